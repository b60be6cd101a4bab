#include "amsim/sim/run/province_scope.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/run/lookup.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace amsim::sim {

std::string find_province(const Scenario& scenario,
                          const ScenarioCheck& check,
                          const std::string& key,
                          std::string& how) {
    how.clear();
    // The new provinces with their names: the scenario's mergers, then its figures table.
    std::map<std::string, std::string> names;
    for (const auto& [old_code, new_code] : check.new_province_of) {
        names.emplace(new_code, new_code);
    }
    for (const auto& [code, f] : scenario.province_figures.units) {
        if (names.contains(code) && !f.name.empty()) {
            names[code] = f.name;
        }
    }
    for (const ProvinceMerger& m : scenario.provinces) {
        names[m.code] = m.name;
    }
    std::string k = key;
    while (!k.empty() && k.back() == ' ') {
        k.pop_back();
    }
    if (names.contains(k)) {
        return k;
    }
    if (const auto it = check.new_province_of.find(k); it != check.new_province_of.end()) {
        how = "old province " + k + " is in new province " + it->second + " (" + names[it->second] +
              ")";
        return it->second;
    }
    const std::string wanted = place_key(k);
    for (const auto& [code, name] : names) {
        if (place_key(name) == wanted) {
            return code;
        }
    }
    std::string list;
    for (const auto& [code, name] : names) {
        list += (list.empty() ? "" : ", ") + code + (name != code ? " " + name : "");
    }
    throw UsageError("--province '" + key + "': no new or old province of scenario '" +
                     scenario.name + "' has this code or name (new provinces: " + list + ")");
}

std::string province_file_key(const Scenario& scenario, const std::string& key) {
    const std::string wanted = place_key(key);
    for (const ProvinceMerger& m : scenario.provinces) {
        if (m.code == key || place_key(m.name) == wanted) {
            return m.code;
        }
    }
    for (const auto& [code, f] : scenario.province_figures.units) {
        if (code == key || (!f.name.empty() && place_key(f.name) == wanted)) {
            return code;
        }
    }
    std::string out = geo::fold(key);
    std::replace(out.begin(), out.end(), ' ', '-');
    return out;
}

Run run_for_province(const Run& run, const std::string& province) {
    Run out = run;
    out.communes.clear();
    out.provinces.clear();
    out.mapping.clear();
    for (const NewCommune& c : run.communes) {
        if (c.province == province) {
            out.communes.push_back(c);
        }
    }
    for (const NewProvince& p : run.provinces) {
        if (p.code == province) {
            out.provinces.push_back(p);
        }
    }
    std::set<std::string> old_units, old_provinces;
    for (const MappedUnit& m : run.mapping) {
        if (m.new_province == province) {
            out.mapping.push_back(m);
            old_units.insert(m.old_code);
            old_provinces.insert(m.old_province);
        }
    }
    // The parts of a unit the split layer divided count once, as in the whole run.
    out.old_units = out.provinces.empty() ? old_units.size() : out.provinces.front().old_communes;
    out.old_provinces = old_provinces.size();
    std::map<std::uint32_t, std::size_t> rows_of_unit;
    for (const MappedUnit& m : out.mapping) {
        ++rows_of_unit[m.unit];
    }
    out.split_units = 0;
    for (const auto& [unit, rows] : rows_of_unit) {
        out.split_units += rows > 1;
    }
    if (run.staffing) {
        out.staffing = staffing_for_province(*run.staffing, province);
    }
    out.scope = province;
    return out;
}

} // namespace amsim::sim
