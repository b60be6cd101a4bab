#pragma once
/// @file group_table.hpp
/// A code -> group table, as a planner edits it in a spreadsheet: a CSV with the columns
/// `code` and `group`.

#include "amsim/sim/scenario/csv.hpp"

#include <map>
#include <string>

namespace amsim::sim {

/// Reads the table; a code listed twice with different groups is an InputError naming
/// both lines.
[[nodiscard]] std::map<std::string, std::string> read_group_table(const std::string& path);
/// The same from a parsed table.
[[nodiscard]] std::map<std::string, std::string> group_table_from(const CsvTable& table);

} // namespace amsim::sim
