// Mapping rows that name old units by their official code, keyed by the base layer's codes.

#include "amsim/core/error.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace amsim::sim {

void key_by_base_codes(std::vector<MappingRow>& rows,
                       const std::vector<std::string>& codes,
                       const std::vector<std::string>& official) {
    const std::unordered_set<std::string> is_code(codes.begin(), codes.end());
    std::unordered_map<std::string, std::vector<std::size_t>> units_of; // official -> units
    for (std::size_t u = 0; u < official.size(); ++u) {
        if (!official[u].empty()) {
            units_of[official[u]].push_back(u);
        }
    }
    std::vector<MappingRow> out;
    out.reserve(rows.size());
    // The new unit of each base code once keyed, for seats given as official codes.
    std::unordered_map<std::string, std::string> new_of;
    for (MappingRow& m : rows) {
        const auto units = units_of.find(m.old_code);
        if (is_code.contains(m.old_code) && !m.by_official) {
            new_of.emplace(m.old_code, m.new_code);
            out.push_back(std::move(m));
            continue;
        }
        if (units == units_of.end()) {
            if (m.by_official) {
                throw ScenarioError(m.where + ", column 'old_official_code': '" + m.old_code +
                                    "' is not the official code of any unit of the base layer");
            }
            out.push_back(std::move(m)); // check_scenario tells what this code is not
            continue;
        }
        // One row per polygon of the old unit (the parts of a unit split in the base).
        for (std::size_t u : units->second) {
            MappingRow row = m;
            row.old_code = codes[u];
            row.by_official = false;
            new_of.emplace(row.old_code, row.new_code);
            out.push_back(std::move(row));
        }
    }
    for (MappingRow& m : out) {
        if (m.seat.empty() || is_code.contains(m.seat)) {
            continue;
        }
        const auto units = units_of.find(m.seat);
        if (units == units_of.end()) {
            continue; // check_scenario names a seat that is no unit
        }
        std::string seat = codes[units->second.front()];
        for (std::size_t u : units->second) {
            const auto n = new_of.find(codes[u]);
            if (n != new_of.end() && n->second == m.new_code) {
                seat = codes[u];
                break;
            }
        }
        m.seat = seat;
    }
    rows = std::move(out);
}

} // namespace amsim::sim
