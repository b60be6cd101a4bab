#include "amsim/sim/scenario/group_table.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/scenario/csv.hpp"

namespace amsim::sim {

std::map<std::string, std::string> read_group_table(const std::string& path) {
    return group_table_from(read_table(path));
}

std::map<std::string, std::string> group_table_from(const CsvTable& t) {
    const std::size_t c_code = t.require("code");
    const std::size_t c_group = t.require("group");
    std::map<std::string, std::string> out;
    std::map<std::string, std::size_t> row_of;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& code = t.rows[r][c_code];
        const std::string& group = t.rows[r][c_group];
        if (code.empty()) {
            throw InputError(t.where(r) + ": column 'code' is empty");
        }
        if (group.empty()) {
            throw InputError(t.where(r) + ": column 'group' is empty for code '" + code + "'");
        }
        auto [it, fresh] = out.emplace(code, group);
        if (!fresh && it->second != group) {
            throw InputError(t.where(r) + ": code '" + code + "' is put in group '" + group +
                             "' here and in group '" + it->second + "' at line " +
                             std::to_string(t.lines[row_of[code]]));
        }
        row_of.emplace(code, r);
    }
    return out;
}

} // namespace amsim::sim
