#include "amsim/sim/run/province_scope.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/run/lookup.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace amsim::sim {

const ProvinceName& match_province(const std::vector<ProvinceName>& provinces,
                                   const std::string& key,
                                   const std::string& whose,
                                   std::string& how) {
    how.clear();
    std::string k = key;
    while (!k.empty() && k.back() == ' ') {
        k.pop_back();
    }
    const std::string wanted = place_key(k);
    for (const ProvinceName& p : provinces) {
        if (p.code == k || (!p.name.empty() && place_key(p.name) == wanted)) {
            return p;
        }
    }
    for (const ProvinceName& p : provinces) {
        if (std::find(p.members.begin(), p.members.end(), k) != p.members.end()) {
            how = "old province " + k + " is now part of " + p.name + " (" + p.code + ")";
            return p;
        }
    }
    std::string list;
    for (const ProvinceName& p : provinces) {
        list += (list.empty() ? "" : ", ") + p.code + (p.name != p.code ? " " + p.name : "");
    }
    throw UsageError("--province '" + key + "': no province of " + whose +
                     " has this code or name, nor was an old province with this code merged "
                     "into one (" +
                     list + ")");
}

std::string find_province(const Scenario& scenario,
                          const ScenarioCheck& check,
                          const std::string& key,
                          std::string& how) {
    // The new provinces with their names: the scenario's mergers, then its figures table.
    std::map<std::string, ProvinceName> named;
    for (const auto& [old_code, new_code] : check.new_province_of) {
        ProvinceName& p = named[new_code];
        p.code = new_code;
        if (p.name.empty()) {
            p.name = new_code;
        }
        p.members.push_back(old_code);
    }
    for (const auto& [code, f] : scenario.province_figures.units) {
        if (named.contains(code) && !f.name.empty()) {
            named[code].name = f.name;
        }
    }
    for (const ProvinceMerger& m : scenario.provinces) {
        named[m.code].code = m.code;
        named[m.code].name = m.name;
    }
    std::vector<ProvinceName> provinces;
    provinces.reserve(named.size());
    for (auto& [code, p] : named) {
        provinces.push_back(std::move(p));
    }
    return match_province(provinces, key, "scenario '" + scenario.name + "'", how).code;
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
    out.offices.clear();
    for (const Office& o : run.offices) {
        if (o.province == province) {
            out.offices.push_back(o);
        }
    }
    out.scope = province;
    return out;
}

} // namespace amsim::sim
