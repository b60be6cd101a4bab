// The staffing of a checked scenario: the estimate (or table) on its base, the reallocation,
// the roadmap, the capitals moved, and every assumption the figures rest on.

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

namespace amsim::sim {

namespace {

std::string number_text(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// Provincial staff of each merged member whose capital is not kept, and the distance.
std::vector<CapitalMove>
capital_moves(const Scenario& s, const StaffingResult& r, const std::string& capitals_path) {
    std::map<std::string, std::pair<double, double>> point;
    if (!capitals_path.empty()) {
        const CsvTable caps = read_table(capitals_path);
        const std::size_t c_code = caps.require("old_province");
        const std::size_t c_lon = caps.require("lon");
        const std::size_t c_lat = caps.require("lat");
        for (std::size_t row = 0; row < caps.rows.size(); ++row) {
            const double lon = geo::parse_number(caps.rows[row][c_lon]).value_or(1e9);
            const double lat = geo::parse_number(caps.rows[row][c_lat]).value_or(1e9);
            if (!(std::abs(lon) <= 180 && std::abs(lat) <= 90)) {
                throw InputError(caps.where(row) + ": '" + caps.rows[row][c_lon] + "', '" +
                                 caps.rows[row][c_lat] + "' is not a longitude and latitude");
            }
            point[caps.rows[row][c_code]] = {lon, lat};
        }
    }
    std::map<std::string, double> staff_of;
    for (const ProvinceStaff& ps : r.old_provinces) {
        staff_of[ps.code] = ps.cadres + ps.civil_servants + ps.public_employees;
    }
    std::vector<CapitalMove> moves;
    for (const ProvinceMerger& m : s.provinces) {
        for (const std::string& member : m.members) {
            if (member == m.capital) {
                continue;
            }
            CapitalMove mv{member, m.capital, staff_of[member], std::nullopt};
            if (point.contains(member) && point.contains(m.capital)) {
                // Great-circle distance on a sphere of the WGS 84 mean radius.
                constexpr double rad = 3.14159265358979323846 / 180;
                const auto [lon1, lat1] = point[member];
                const auto [lon2, lat2] = point[m.capital];
                const double a = std::pow(std::sin((lat2 - lat1) * rad / 2), 2) +
                                 std::cos(lat1 * rad) * std::cos(lat2 * rad) *
                                     std::pow(std::sin((lon2 - lon1) * rad / 2), 2);
                mv.km = 2 * 6371.0088 * std::asin(std::sqrt(a));
            }
            moves.push_back(mv);
        }
    }
    return moves;
}

} // namespace

namespace {

/// Each new commune's code, name, predecessors as people know them (name and official code;
/// the pieces of one old unit once; share if partial) and districts.
void describe_communes(const Scenario& s,
                       const ScenarioCheck& check,
                       const geo::UnitLayer& layer,
                       StaffingReport& rep) {
    std::map<std::string, std::size_t> unit_of;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        unit_of.emplace(layer.units[u].code, u);
    }
    const auto i_official = layer.attribute_index(s.base.official_code_field);
    for (const auto& [code, rows] : check.members) {
        rep.codes.push_back(code);
        rep.names.push_back(s.mapping[rows.front()].new_name);
        std::string list;
        std::set<std::string> listed;
        for (const std::size_t row : rows) {
            const MappingRow& m = s.mapping[row];
            std::string name, id = m.old_code;
            if (const auto u = unit_of.find(m.old_code); u != unit_of.end()) {
                name = layer.units[u->second].name;
                if (i_official && !s.base.official_code_field.empty()) {
                    const std::string official =
                        geo::to_text(layer.units[u->second].attributes[*i_official]);
                    id = official.empty() ? id : official;
                }
            }
            std::string item = name.empty() ? id : name + " (" + id + ")";
            if (m.share < 1) {
                item += " *" + number_text(m.share, 4);
            }
            if (listed.insert(item).second) {
                list += (list.empty() ? "" : "; ") + item;
            }
        }
        rep.predecessors.push_back(list);
    }
    std::vector<std::set<std::string>> districts(rep.codes.size());
    for (const StaffingInput::Link& l : rep.input.links) {
        districts[l.new_index].insert(rep.input.old_units[l.old_index].district);
    }
    for (const std::set<std::string>& d : districts) {
        std::string list;
        for (const std::string& key : d) {
            list += (list.empty() ? "" : ";") + key;
        }
        rep.districts.push_back(list);
    }
}

/// What every figure rests on.
void add_assumptions(const StaffingOptions& options,
                     const RoadmapParams& road,
                     StaffingReport& rep) {
    const StaffingParams& p = options.params;
    auto add = [&](std::string name, std::string value, std::string source, bool u) {
        rep.assumptions.push_back({std::move(name), std::move(value), std::move(source), u});
    };
    const bool table = !options.table.empty();
    add("old commune staff",
        rep.result.units_from_table == rep.input.old_units.size()
            ? "staffing table"
            : "Decree 33/2023 norms, class " + std::to_string(p.commune_class) +
                  " for every commune" +
                  (table ? " (" + std::to_string(rep.result.units_from_table) +
                               " units from the staffing table)"
                         : ""),
        "Decree 33/2023/ND-CP; RULES.md §4.3 (commune class not in the data)",
        rep.result.units_from_table < rep.input.old_units.size());
    add("commune cadres",
        "the " + std::to_string(p.commune_cadre_posts) + " elected posts of each commune",
        "Law on Cadres and Civil Servants 2008, Art. 61(3); not in RULES.md",
        true);
    add("district staff",
        number_text(p.district_staff_national, 0) + " nationally, by population (" +
            std::to_string(rep.result.districts_from_table) + " districts from the table)",
        "RULES.md §4.1 (about 140,000 district staff move to communes)",
        false);
    add("district cadres",
        number_text(100 * p.district_cadre_share, 0) + " % of district staff",
        "no published split",
        true);
    add("district staff to communes",
        p.district_weight == StaffingParams::DistrictWeight::population ? "by population share"
        : p.district_weight == StaffingParams::DistrictWeight::area     ? "by area share"
                                                                        : "by unit count",
        "issue 4: population share by default",
        false);
    add("provincial bodies",
        "the 52 merging provinces' 447,657 norms per inhabitant, applied to every province (" +
            std::to_string(rep.result.provinces_from_table) + " provinces from the table)",
        "RULES.md §4.1 (2,321 cadres, 79,118 civil servants, 366,218 public employees)",
        rep.result.provinces_from_table < rep.input.province_map.size());
    add("new commune norm",
        std::to_string(p.government_frame) + " government posts + 1 per " +
            std::to_string(p.step_other) + " people above 16,000 (" +
            std::to_string(p.step_mountain) + " in mountain communes), at most " +
            std::to_string(p.cap_xa) + " (xa) or " + std::to_string(p.cap_ward) +
            " (phuong, dac khu); + " + std::to_string(p.party_block) +
            " Party and mass-organisation posts",
        "Decision 759, 09/CV-BCD; RULES.md §4.2 (increments and caps [U])",
        true);
    add("surplus by category",
        "shared between cadres and civil servants in proportion to the staff inherited",
        "the norms are not set by category",
        true);
    add("reduction profile",
        road.profile == RoadmapParams::Profile::linear ? "linear over 5 years"
                                                       : "front-loaded: 40/30/15/10/5 %",
        "Res 76 Art. 11: 5 years; no annual profile prescribed (RULES.md §4.1)",
        true);
    add("retirements",
        road.ages.empty() ? number_text(100 * road.retirement_rate, 1) + " % of staff a year"
                          : "from the age distribution " + options.ages + ", retirement age " +
                                number_text(road.retirement_age, 1),
        "no age data published",
        true);
    add("paid leavers",
        number_text(100 * road.early_retirement_share, 0) +
            " % early retirement (Decree 178 A; typical person " +
            number_text(road.typical_retiree.salary_coefficient, 2) + ", " +
            std::to_string(road.typical_retiree.si_months / 12) + " years of SI, " +
            number_text(rep.roadmap.early_retiree_months, 0) +
            " months early), the rest resignation (Decree 178 B; " +
            number_text(road.typical_resigner.salary_coefficient, 2) + ", " +
            std::to_string(road.typical_resigner.si_months / 12) + " years of SI)",
        "Decree 178/2024 as amended by Decree 67/2025; RULES.md §4.5",
        true);
    add("non-specialised workers",
        "posts end with the two-tier model, paid in year 1: a typical worker on an allowance of " +
            std::to_string(road.typical_non_specialised.monthly_allowance) + " VND/month, " +
            std::to_string(road.typical_non_specialised.months_worked / 12) + " years worked, " +
            std::to_string(road.typical_non_specialised.months_before_retirement / 12) +
            " years to retirement",
        "Decree 154/2025 Art. 9; RULES.md §4.6",
        true);
    add("pay",
        "salary coefficient x " + std::to_string(road.base_salary) + " VND x 12, + " +
            number_text(road.public_service_pct, 0) +
            " % public-service allowance; mean coefficient " +
            number_text(road.salary_coefficient, 2) + " where no table gives one",
        "Decree 73/2024; RULES.md §4.4 (mean coefficient [U])",
        true);
    add("leadership allowances per commune",
        number_text(road.leadership_per_commune, 2) + " (Ha Noi, TP HCM " +
            number_text(road.leadership_per_commune_hn_hcm, 2) +
            "): chairman, 2.5 vice-chairs, 4 heads, 8 deputies",
        "Decree 07/2026 coefficients; numbers of posts from drafts (RULES.md §4.2-4.4)",
        true);
}

} // namespace

StaffingReport staff_scenario(const Scenario& s,
                              const ScenarioCheck& check,
                              const geo::LoadedLayer& loaded,
                              const StaffingOptions& options) {
    namespace fs = std::filesystem;
    StaffingReport rep;
    rep.input = staffing_input(s, check, loaded, options.district_field, &rep.unknown_population);
    if (!options.table.empty()) {
        std::vector<std::string> old_codes;
        for (const geo::Unit& u : loaded.layer.units) {
            old_codes.push_back(u.code);
        }
        rep.table_rows = apply_staffing_table(options.table, old_codes, rep.input);
    }
    RoadmapParams road = options.roadmap;
    if (!options.ages.empty()) {
        road.ages = read_age_distribution(options.ages);
    }
    rep.result = reallocate_staff(rep.input, options.params);
    rep.roadmap = make_roadmap(rep.result, road);
    rep.capitals_path = options.capitals;
    if (rep.capitals_path.empty() && !s.path.empty() &&
        fs::exists(fs::path(s.path).parent_path() / "capitals.csv")) {
        rep.capitals_path = (fs::path(s.path).parent_path() / "capitals.csv").string();
    }
    rep.capital_moves = capital_moves(s, rep.result, rep.capitals_path);
    describe_communes(s, check, loaded.layer, rep);
    add_assumptions(options, road, rep);
    return rep;
}

StaffingReport staffing_for_province(const StaffingReport& report, const std::string& province) {
    StaffingReport out;
    out.input = report.input;
    out.capitals_path = report.capitals_path;
    out.unknown_population = report.unknown_population;
    out.table_rows = report.table_rows;
    out.assumptions = report.assumptions;
    StaffingResult& r = out.result;
    r.estimated = report.result.estimated;
    r.units_from_table = report.result.units_from_table;
    r.districts_from_table = report.result.districts_from_table;
    r.provinces_from_table = report.result.provinces_from_table;
    for (std::size_t g = 0; g < report.result.communes.size(); ++g) {
        const NewUnitStaff& c = report.result.communes[g];
        if (c.province != province) {
            continue;
        }
        r.communes.push_back(c);
        // Staff is conserved: what the old units had is what their new units receive.
        r.commune_cadres_civil_servants += c.from_communes;
        r.commune_cadres += c.cadres_from_communes;
        r.commune_non_specialised += c.non_specialised_ended;
        r.district_staff += c.from_districts;
        r.district_cadres += c.cadres_from_districts;
        r.norm_total += c.norm;
        r.surplus_total += std::max(0.0, c.surplus());
        out.roadmap.units.push_back(report.roadmap.units.at(g));
        const std::pair<std::vector<std::string>*, const std::vector<std::string>*> columns[] = {
            {&out.codes, &report.codes},
            {&out.names, &report.names},
            {&out.predecessors, &report.predecessors},
            {&out.districts, &report.districts}};
        for (const auto& [to, from] : columns) {
            if (g < from->size()) {
                to->push_back((*from)[g]);
            }
        }
    }
    for (const ProvinceStaff& p : report.result.provinces) {
        if (p.code == province) {
            r.provinces.push_back(p);
        }
    }
    std::set<std::string> old_provinces;
    for (const auto& [old_code, new_code] : report.input.province_map) {
        if (new_code == province) {
            old_provinces.insert(old_code);
        }
    }
    for (const ProvinceStaff& p : report.result.old_provinces) {
        if (old_provinces.contains(p.code)) {
            r.old_provinces.push_back(p);
        }
    }
    for (const CapitalMove& m : report.capital_moves) {
        if (old_provinces.contains(m.from)) {
            out.capital_moves.push_back(m);
        }
    }
    out.roadmap.early_retiree_months = report.roadmap.early_retiree_months;
    total_roadmap(out.roadmap, r);
    return out;
}

} // namespace amsim::sim
