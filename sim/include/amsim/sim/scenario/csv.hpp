#pragma once
/// @file csv.hpp
/// The planner-editable tables at sim's edge (mappings, figures, group and staffing tables):
/// CSV as Excel and LibreOffice save it (RFC 4180; UTF-8 with or without a byte-order mark,
/// UTF-16 with one; ',', ';' or tab separators; decimal commas where the separator is not a
/// comma), or a spreadsheet (.xlsx, .ods). Cells are text: codes keep their leading zeros.
/// Errors name the file, line and column.

#include "amsim/geo/ogr_io.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

struct CsvTable {
    std::string path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines; ///< source line of each row (1-based)
    char separator = ',';           ///< of a CSV file

    /// Index of a column by name, if present (its name however typed: case, spaces and
    /// diacritics aside, '_' as a space).
    [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;
    /// Index of a required column; throws InputError naming the file and the columns.
    [[nodiscard]] std::size_t require(const std::string& name) const;
    /// "path:line" of row i.
    [[nodiscard]] std::string where(std::size_t row) const;
};

/// How a CSV file is written, so that a table read from a planner's file goes back in the form
/// it came in (Excel shows a UTF-8 file without a byte-order mark as mojibake, and a ';' table
/// in a decimal-comma locale wants "0,5").
struct CsvStyle {
    enum class Encoding { utf8, utf8_bom, utf16le, utf16be };
    Encoding encoding = Encoding::utf8;
    char separator = ',';
    bool crlf = false;
};

/// The style of CSV text as read from a file (see parse_csv for what is detected).
[[nodiscard]] CsvStyle csv_style_of(const std::string& raw);

/// UTF-8 CSV text as written in a style: separators (outside quotes) and decimal points of
/// plain numbers (when the separator is not ',') swapped, CRLF line ends, the encoding.
[[nodiscard]] std::string styled_csv(const std::string& utf8_csv, const CsvStyle& style);

/// Parses CSV text. UTF-8 byte-order marks at the start are skipped; UTF-16 with a mark is
/// converted; other encodings are an InputError that says how to save the file as UTF-8;
/// every row must have the header's number of fields.
[[nodiscard]] CsvTable parse_csv(const std::string& raw, const std::string& path);
/// A field quoted for writing CSV when it needs it (comma, semicolon, tab, quote or newline).
[[nodiscard]] std::string csv_quote(const std::string& field);

/// CSV text: a header and rows of text fields, quoted where they need it.
[[nodiscard]] std::string csv_text(const std::vector<std::string>& header,
                                   const std::vector<std::vector<std::string>>& rows);

/// CSV text of fields (one value per row each) with a header. Numbers are written with up
/// to 6 decimals, exactly the same for the same values.
[[nodiscard]] std::string csv_text(const std::vector<geo::OutputField>& fields);

/// The bytes of a table written to `path`: a spreadsheet for .xlsx and .ods, else CSV (in
/// the style given).
[[nodiscard]] std::string table_bytes(const std::vector<geo::OutputField>& fields,
                                      const std::string& path,
                                      const CsvStyle& style = {});

/// Writes fields as a table (see table_bytes), an output under the policy (output_file.hpp).
void write_table(const std::string& path,
                 const std::vector<geo::OutputField>& fields,
                 const geo::OutputPolicy& policy);

/// The number in a cell of a scenario's table, checked for range; none if the column is absent
/// or the cell blank. A bad number is a ScenarioError naming the file, line, column and value.
[[nodiscard]] std::optional<double> cell_number(const CsvTable& t,
                                                std::size_t row,
                                                std::optional<std::size_t> column,
                                                const char* name,
                                                double lo,
                                                double hi);

/// The known code a code of digits is with its leading zeros back, if any (a spreadsheet that
/// read a column of codes as numbers drops them): up to `zeros` zeros put back.
[[nodiscard]] std::optional<std::string>
zeros_restored(const std::string& code,
               const std::function<bool(const std::string&)>& known,
               std::size_t zeros);

/// Reads a table: a spreadsheet (.xlsx, .ods: its first sheet) or CSV (InputError if it
/// cannot be read).
[[nodiscard]] CsvTable read_table(const std::string& path);

} // namespace amsim::sim
