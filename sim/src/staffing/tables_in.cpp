// What a planner gives instead of the estimates: a staffing table, an age distribution.

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace amsim::sim {

namespace {

/// A number in [lo, hi] in a table cell, or an InputError naming the line and column.
double cell_number(
    const CsvTable& t, std::size_t r, std::size_t c, const char* what, double lo, double hi) {
    const std::string& v = t.rows[r][c];
    const auto d = geo::parse_number(v);
    if (!d) {
        throw InputError(t.where(r) + ", column '" + t.header[c] + "': '" + v + "' is not " + what);
    }
    return geo::checked_range(*d, lo, hi, t.where(r) + ", column '" + t.header[c] + "'");
}

/// The most people one row of a staffing table can hold: more than any province employs.
constexpr double max_people = 1e6;

} // namespace

std::size_t apply_staffing_table(const std::string& path,
                                 const std::vector<std::string>& codes,
                                 StaffingInput& in) {
    return apply_staffing_table(read_table(path), codes, in);
}

std::size_t
apply_staffing_table(const CsvTable& t, const std::vector<std::string>& codes, StaffingInput& in) {
    const std::string& path = t.path;
    const std::size_t c_code = t.require("code");
    const auto c_level = t.column("level");
    const auto c_cc = t.column("cadres_civil_servants");
    const auto c_ca = t.column("cadres");
    const auto c_cs = t.column("civil_servants");
    const auto c_ns = t.column("non_specialised");
    const auto c_pe = t.column("public_employees");
    const auto c_coef = t.column("salary_coefficient");
    if (!c_cc && !(c_ca && c_cs)) {
        throw InputError(path + ":1: the staff need a column cadres_civil_servants, or the two "
                                "columns cadres and civil_servants");
    }
    std::map<std::string, std::size_t> index_of;
    for (std::size_t u = 0; u < codes.size(); ++u) {
        index_of.emplace(codes[u], u);
    }
    std::set<std::string> districts, provinces;
    for (const OldCommune& c : in.old_units) {
        districts.insert(c.district);
    }
    for (const auto& [old_code, new_code] : in.province_map) {
        provinces.insert(old_code);
    }
    auto present = [&](std::size_t r, const std::optional<std::size_t>& c) {
        return c && !t.rows[r][*c].empty();
    };
    auto people = [&](std::size_t r, std::size_t c) {
        // Head counts: a row of 21.5 people is a typing slip, not a part-time post.
        return static_cast<double>(
            geo::checked_whole(cell_number(t, r, c, "a number of people", 0, max_people),
                               0,
                               static_cast<std::int64_t>(max_people),
                               t.where(r) + ", column '" + t.header[c] + "'"));
    };
    auto coefficient = [&](std::size_t r) -> std::optional<double> {
        if (!present(r, c_coef)) {
            return std::nullopt;
        }
        const double v = cell_number(t, r, *c_coef, "a salary coefficient", 0, 1e6);
        if (v < 1 || v > 10) { // the salary scales of Decree 204/2004
            throw InputError(t.where(r) + ", column 'salary_coefficient': " + t.rows[r][*c_coef] +
                             " is outside the salary scales (1-10)");
        }
        return v;
    };
    // Cadres and civil servants of a row: the pair of columns, or the total.
    auto staff = [&](std::size_t r) -> std::pair<double, std::optional<double>> {
        if (present(r, c_ca) || present(r, c_cs)) {
            if (!present(r, c_ca) || !present(r, c_cs)) {
                throw InputError(t.where(r) + ": give both cadres and civil_servants, or "
                                              "cadres_civil_servants");
            }
            const double ca = people(r, *c_ca);
            return {ca + people(r, *c_cs), ca};
        }
        if (!present(r, c_cc)) {
            throw InputError(t.where(r) + ": no staff (cadres and civil_servants, or "
                                          "cadres_civil_servants)");
        }
        return {people(r, *c_cc), std::nullopt};
    };
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& code = t.rows[r][c_code];
        const std::string level = present(r, c_level) ? t.rows[r][*c_level] : "commune";
        if (!seen.insert({level, code}).second) {
            throw InputError(t.where(r) + ": " + level + " '" + code + "' is listed twice");
        }
        if (level == "commune") {
            const auto it = index_of.find(code);
            if (it == index_of.end()) {
                throw InputError(t.where(r) + ": code '" + code +
                                 "' is not a unit of the base layer");
            }
            OldCommune& c = in.old_units[it->second];
            const auto [total, cadres] = staff(r);
            c.cadres_civil_servants = total;
            c.cadres = cadres;
            if (present(r, c_ns)) {
                c.non_specialised = people(r, *c_ns);
            }
            c.salary_coefficient = coefficient(r);
        } else if (level == "district") {
            if (!districts.contains(code)) {
                throw InputError(t.where(r) + ": district '" + code +
                                 "' is not a district of the base layer");
            }
            const auto [total, cadres] = staff(r);
            if (!cadres) {
                throw InputError(t.where(r) + ": a district needs cadres and civil_servants");
            }
            in.district_table[code] = {*cadres, total - *cadres, coefficient(r)};
        } else if (level == "province") {
            if (!provinces.contains(code)) {
                throw InputError(t.where(r) + ": province '" + code +
                                 "' is not an old province of the scenario");
            }
            const auto [total, cadres] = staff(r);
            if (!cadres || !present(r, c_pe)) {
                throw InputError(t.where(r) + ": a province needs cadres, civil_servants and "
                                              "public_employees");
            }
            in.province_table[code] = {code, *cadres, total - *cadres, people(r, *c_pe)};
        } else {
            throw InputError(t.where(r) + ", column 'level': '" + level +
                             "' is not commune, district or province");
        }
    }
    return seen.size();
}

std::vector<AgeBand> read_age_distribution(const std::string& path) {
    return age_distribution_from(read_table(path));
}

std::vector<AgeBand> age_distribution_from(const CsvTable& t) {
    const std::string& path = t.path;
    const std::size_t c_from = t.require("age_from");
    const std::size_t c_to = t.require("age_to");
    const std::size_t c_share = t.require("share");
    std::vector<AgeBand> bands;
    double total = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        AgeBand b{cell_number(t, r, c_from, "an age", 14, 100),
                  cell_number(t, r, c_to, "an age", 14, 100),
                  cell_number(t, r, c_share, "a share", 0, max_people)};
        if (b.to <= b.from) {
            throw InputError(t.where(r) + ": the band " + t.rows[r][c_from] + "-" +
                             t.rows[r][c_to] + " is empty (age_to must exceed age_from)");
        }
        for (const AgeBand& o : bands) {
            if (b.from < o.to && o.from < b.to) {
                throw InputError(t.where(r) + ": the band " + t.rows[r][c_from] + "-" +
                                 t.rows[r][c_to] + " overlaps an earlier one");
            }
        }
        total += b.share;
        bands.push_back(b);
    }
    if (!(total > 0)) {
        throw InputError(path + ": the shares sum to 0");
    }
    for (AgeBand& b : bands) {
        b.share /= total;
    }
    return bands;
}

StaffingInput staffing_input(const Scenario& s,
                             const ScenarioCheck& check,
                             const geo::LoadedLayer& loaded,
                             const std::string& district_field,
                             std::size_t* unknown_population) {
    const geo::UnitLayer& layer = loaded.layer;
    const auto i_pop = layer.require_attribute(s.base.population_field, "population");
    const auto i_region = layer.require_attribute(s.base.region_field, "region class");
    const auto i_district_type =
        layer.require_attribute(s.base.district_type_field, "district type");
    // The district field is optional: without it, the province stands for the district.
    const auto i_district = layer.attribute_index(district_field);
    StaffingInput in;
    std::map<std::string, std::size_t> index_of;
    std::size_t unknown = 0;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const geo::Unit& unit = layer.units[u];
        index_of.emplace(unit.code, u);
        OldCommune c;
        c.ward = unit_type_of(unit.type.empty() ? unit.name : unit.type) == UnitType::phuong;
        c.mountain = i_region && geo::to_text(unit.attributes[*i_region]) == "mountain";
        if (i_district_type) {
            const std::string dt = geo::fold(geo::to_text(unit.attributes[*i_district_type]));
            c.urban_district = c.ward && (dt == "quan" || dt == "urban_district");
        }
        c.area_km2 = loaded.unit_area_m2[u] / 1e6;
        const auto pop = population_of(layer, u, i_pop);
        if (pop) {
            c.population = *pop;
        } else {
            ++unknown;
        }
        c.district = i_district ? geo::to_text(unit.attributes[*i_district]) : unit.parent_code;
        c.province = unit.parent_code;
        in.old_units.push_back(std::move(c));
    }
    std::map<std::string, std::size_t> new_index;
    for (const auto& [code, rows] : check.members) {
        new_index.emplace(code, new_index.size());
        in.new_province.push_back(check.province_of_new.at(code));
    }
    in.new_count = new_index.size();
    in.new_population.assign(in.new_count, 0);
    in.new_mountain.assign(in.new_count, false);
    in.new_ward_or_zone.assign(in.new_count, false);
    std::vector<double> mountain_area(in.new_count, 0), area(in.new_count, 0);
    for (const MappingRow& m : s.mapping) {
        const std::size_t u = index_of.at(m.old_code);
        const std::size_t g = new_index.at(m.new_code);
        in.links.push_back({u, g, m.share});
        in.new_population[g] += m.share * in.old_units[u].population;
        in.new_ward_or_zone[g] = m.new_type != UnitType::xa;
        mountain_area[g] += in.old_units[u].mountain ? m.share * in.old_units[u].area_km2 : 0;
        area[g] += m.share * in.old_units[u].area_km2;
    }
    // A new unit is mountainous when most of its area is (its region class in amsim run).
    for (std::size_t g = 0; g < in.new_count; ++g) {
        in.new_mountain[g] = area[g] > 0 && 2 * mountain_area[g] > area[g];
    }
    for (const auto& [old_code, new_code] : check.new_province_of) {
        in.province_map.emplace_back(old_code, new_code);
    }
    if (unknown_population != nullptr) {
        *unknown_population = unknown;
    }
    return in;
}

std::vector<NewUnitStaff> staff_per_old_unit(const Scenario& s,
                                             const ScenarioCheck& check,
                                             const geo::LoadedLayer& loaded,
                                             const std::vector<std::string>& province,
                                             const StaffingParams& params) {
    StaffingInput in = staffing_input(s, check, loaded, StaffingOptions{}.district_field);
    const std::size_t n = in.old_units.size();
    in.new_count = n;
    in.links.clear();
    in.new_population.assign(n, 0);
    in.new_mountain.assign(n, false);
    in.new_ward_or_zone.assign(n, false);
    in.new_province.assign(n, "");
    for (std::size_t u = 0; u < n; ++u) {
        in.links.push_back({u, u, 1.0});
        in.new_population[u] = in.old_units[u].population;
        in.new_mountain[u] = in.old_units[u].mountain;
        in.new_ward_or_zone[u] = in.old_units[u].ward;
        in.new_province[u] = province.at(u);
    }
    return reallocate_staff(in, params).communes;
}

} // namespace amsim::sim
