#pragma once
/// @file csv.hpp
/// A small RFC 4180 CSV reader for the planner-editable tables at sim's edge (mappings,
/// group tables). Errors name the file, line and column.

#include "amsim/geo/ogr_io.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

struct CsvTable {
    std::string path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines; ///< source line of each row (1-based)

    /// Index of a column by name, if present.
    [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;
    /// Index of a required column; throws InputError naming the file and the columns.
    [[nodiscard]] std::size_t require(const std::string& name) const;
    /// "path:line" of row i.
    [[nodiscard]] std::string where(std::size_t row) const;
};

/// Parses CSV text. UTF-8 byte-order marks at the start are skipped; every row must have the
/// header's number of fields.
[[nodiscard]] CsvTable parse_csv(const std::string& text, const std::string& path);
/// A field quoted for writing CSV when it needs it (comma, quote or newline).
[[nodiscard]] std::string csv_quote(const std::string& field);

/// CSV text: a header and rows of text fields, quoted where they need it.
[[nodiscard]] std::string csv_text(const std::vector<std::string>& header,
                                   const std::vector<std::vector<std::string>>& rows);

/// CSV text of fields (one value per row each) with a header. Numbers are written with up
/// to 6 decimals, exactly the same for the same values.
[[nodiscard]] std::string csv_text(const std::vector<geo::OutputField>& fields);

/// Writes fields as a CSV file, an output under the policy (see output_file.hpp).
void write_csv(const std::string& path,
               const std::vector<geo::OutputField>& fields,
               const geo::OutputPolicy& policy);

/// Reads and parses a CSV file (InputError if it cannot be read).
[[nodiscard]] CsvTable read_csv(const std::string& path);

} // namespace amsim::sim
