// A run built in memory, in named stages: the old units grouped into new communes (each old
// unit's polygon to its largest share) and provinces, both dissolved on the base's topology,
// the communes' metrics and verdicts, the provinces' totals and verdicts, then the staffing.

#include "amsim/core/error.hpp"
#include "amsim/sim/run/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <set>

namespace amsim::sim {

namespace {

/// The new communes as groups of old units, and which mapping row gives each old unit's
/// polygon. With `province` set, only that new province's communes are grouped.
struct CommuneGroups {
    std::vector<std::string> codes; ///< in code order
    std::map<std::string, std::uint32_t> group_of_code;
    geo::Grouping grouping;
    std::vector<std::size_t> rows_of_unit; ///< mapping rows naming each old unit
    std::vector<std::size_t> geometry_row; ///< the row whose new unit gets its polygon
    std::size_t split_units = 0;
    std::size_t moved = 0; ///< split units moved whole into a unit that had no polygon
};

CommuneGroups group_communes(const Base& base,
                             const Scenario& s,
                             const ScenarioCheck& check,
                             const std::string* province) {
    CommuneGroups cg;
    const std::size_t n_units = base.units.size();
    // The rows to read: all, or (one province) its new units' rows, which name every row of
    // their old units (an old unit's parts stay within one new province).
    std::vector<std::size_t> rows;
    if (province == nullptr) {
        for (const auto& [code, members] : check.members) {
            cg.group_of_code.emplace(code, static_cast<std::uint32_t>(cg.codes.size()));
            cg.codes.push_back(code);
        }
    } else {
        for (const auto& [code, in] : check.province_of_new) { // in code order, as members
            if (in == *province) {
                cg.group_of_code.emplace(code, static_cast<std::uint32_t>(cg.codes.size()));
                cg.codes.push_back(code);
                const std::vector<std::size_t>& members = check.members.at(code);
                rows.insert(rows.end(), members.begin(), members.end());
            }
        }
    }
    if (province == nullptr) {
        rows.resize(s.mapping.size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            rows[r] = r;
        }
    } else {
        std::sort(rows.begin(), rows.end()); // file order, as a national run reads them
    }
    cg.grouping.keys = cg.codes;
    cg.grouping.group_of_unit.assign(n_units, geo::no_unit);
    std::vector<double> best_share(n_units, 0);
    cg.rows_of_unit.assign(n_units, 0);
    cg.geometry_row.assign(n_units, s.mapping.size());
    for (const std::size_t r : rows) {
        const MappingRow& m = s.mapping[r];
        const std::uint32_t u = base.unit(m.old_code);
        ++cg.rows_of_unit[u];
        if (m.share > best_share[u]) {
            best_share[u] = m.share;
            cg.geometry_row[u] = r;
        }
    }
    for (const std::size_t r : rows) {
        const std::uint32_t u = base.unit(s.mapping[r].old_code);
        if (cg.geometry_row[u] == r) {
            cg.grouping.group_of_unit[u] = cg.group_of_code.at(s.mapping[r].new_code);
        }
    }
    for (std::size_t u = 0; u < n_units; ++u) {
        cg.split_units += cg.rows_of_unit[u] > 1;
    }
    // A new unit all of whose members have a larger share elsewhere would get no geometry:
    // it takes its largest member from a new unit that keeps another one.
    std::vector<std::size_t> units_in(cg.codes.size(), 0);
    for (std::uint32_t g : cg.grouping.group_of_unit) {
        if (g != geo::no_unit) {
            ++units_in[g];
        }
    }
    for (std::size_t g = 0; g < cg.codes.size(); ++g) {
        if (units_in[g] > 0) {
            continue;
        }
        std::vector<std::size_t> by_share = check.members.at(cg.codes[g]);
        std::stable_sort(by_share.begin(), by_share.end(), [&](std::size_t a, std::size_t b) {
            return s.mapping[a].share > s.mapping[b].share;
        });
        for (std::size_t r : by_share) {
            const std::uint32_t u = base.unit(s.mapping[r].old_code);
            const std::uint32_t from = cg.grouping.group_of_unit[u];
            if (from != geo::no_unit && units_in[from] > 1) {
                --units_in[from];
                ++units_in[g];
                cg.grouping.group_of_unit[u] = static_cast<std::uint32_t>(g);
                cg.geometry_row[u] = r;
                ++cg.moved;
                break;
            }
        }
    }
    return cg;
}

/// What the grouping did to split units, as warnings.
void split_findings(const Scenario& s, const CommuneGroups& cg, std::vector<geo::Diagnostic>& out) {
    if (cg.moved > 0) {
        out.push_back({geo::Severity::warning,
                       "split_units_moved",
                       s.mapping_path,
                       std::to_string(cg.moved) +
                           " split old unit(s) moved whole into a new unit that would "
                           "otherwise have had no geometry"});
    }
    if (cg.split_units > 0) {
        out.push_back({geo::Severity::warning,
                       "split_units",
                       s.mapping_path,
                       std::to_string(cg.split_units) +
                           " old unit(s) are mapped in parts: no boundary between the parts is "
                           "known, so each goes whole into the new unit with its largest share "
                           "(areas of the others are short by that much); population is "
                           "divided by the shares"});
    }
}

/// The new provinces (in code order) as groups of old units.
geo::Grouping
group_provinces(const Base& base, const ScenarioCheck& check, const std::string* province) {
    std::set<std::string> codes;
    for (const auto& [old_code, new_code] : check.new_province_of) {
        if (province == nullptr || new_code == *province) {
            codes.insert(new_code);
        }
    }
    geo::Grouping g;
    g.keys.assign(codes.begin(), codes.end());
    std::map<std::string, std::uint32_t> group_of;
    for (std::size_t i = 0; i < g.keys.size(); ++i) {
        group_of.emplace(g.keys[i], static_cast<std::uint32_t>(i));
    }
    g.group_of_unit.assign(base.units.size(), geo::no_unit);
    for (std::size_t u = 0; u < base.units.size(); ++u) {
        const auto it = check.new_province_of.find(base.units[u].province);
        if (it != check.new_province_of.end()) {
            const auto at = group_of.find(it->second);
            if (at != group_of.end()) {
                g.group_of_unit[u] = at->second;
            }
        }
    }
    return g;
}

/// A new province as the scenario describes it (a province it does not list keeps its
/// code as name and capital).
NewProvince describe_province(const Scenario& s, const std::string& code) {
    NewProvince p;
    p.code = code;
    p.name = code;
    p.type = "tinh";
    p.region = "other";
    p.capital = code;
    p.members = {code};
    for (const ProvinceMerger& m : s.provinces) {
        if (m.code == code) {
            p.name = m.name;
            p.type = m.type;
            p.region = m.region.empty() ? "other" : m.region;
            p.capital = m.capital;
            p.members = m.members;
        }
    }
    return p;
}

/// An old unit's centroid, in metres of the base's equal-area projection.
geo::Coord centre(const Base& base, std::uint32_t u) {
    std::vector<geo::Coord> c = {geo::centroid(base.loaded.layer.geometry, u)};
    base.loaded.projection->project_in_place(c);
    return c[0];
}

/// The region class covering most of a new unit's area (none given: "", the default).
std::string
dominant_region(const Base& base, const Scenario& s, const std::vector<std::size_t>& rows) {
    std::map<std::string, double> region_area;
    for (std::size_t r : rows) {
        const std::uint32_t u = base.unit(s.mapping[r].old_code);
        region_area[base.region[u]] += s.mapping[r].share * base.loaded.unit_area_m2[u];
    }
    std::string region;
    double most = -1;
    for (const auto& [name, a] : region_area) {
        if (a > most) {
            most = a;
            region = name;
        }
    }
    return region;
}

/// The region class a new commune is judged under, and where it comes from: the scenario's
/// regions table, its figures table, the base layer's field, or the density estimate (a xa
/// below the scenario's density is mountain); none: the profile's default.
void region_of(const Base& base,
               const Scenario& s,
               const std::vector<std::size_t>& rows,
               const std::string& described,
               NewCommune& c) {
    for (const FiguresTable* table : {&s.regions, &s.commune_figures}) {
        if (const UnitFigures* r = table->find(described)) {
            if (r->population_reduction_pct && c.population_reduction_pct == 0) {
                c.population_reduction_pct = *r->population_reduction_pct; // the first given
            }
            if (!r->region.empty()) {
                c.region = r->region;
                c.region_source = table->label;
                return;
            }
        }
    }
    c.region = dominant_region(base, s, rows);
    if (!c.region.empty()) {
        c.region_source = "base layer";
        return;
    }
    const std::optional<double> density = c.density();
    if (s.mountain_density_below && c.type == UnitType::xa && density) {
        c.region = *density < *s.mountain_density_below ? "mountain" : "other";
        char rule[96];
        std::snprintf(rule,
                      sizeof rule,
                      "estimate: density %s %g/km2",
                      c.region == "mountain" ? "below" : "at or above",
                      *s.mountain_density_below);
        c.region_source = rule;
    }
}

/// New commune g of a dissolve: its metrics from the polygons and the base's fields, and its
/// verdict against the profile.
NewCommune make_commune(const Base& base,
                        const Scenario& s,
                        const ScenarioCheck& check,
                        const CommuneGroups& cg,
                        const geo::DissolvedLayer& dc,
                        std::size_t g,
                        const NewProvince& province,
                        const RulesProfile& profile) {
    const std::vector<std::size_t>& rows = check.members.at(cg.codes[g]);
    const MappingRow& first = s.mapping[rows.front()];
    NewCommune c;
    c.code = cg.codes[g];
    c.name = first.new_name;
    c.type = first.new_type;
    c.province = province.code;
    c.base_units = rows.size();
    c.polygons = dc.result.geometry.part_end(g) - dc.result.geometry.part_begin(g);
    c.area_km2 = dc.result.area[g] / 1e6;
    c.perimeter_km = dc.result.perimeter[g] / 1e3;
    const double perimeter = dc.result.perimeter[g];
    c.polsby_popper =
        perimeter > 0 ? 4 * std::numbers::pi * dc.result.area[g] / (perimeter * perimeter) : 0;
    double population = 0;
    bool known = true;
    std::string seat;
    std::set<std::string> old_codes;
    std::vector<std::string> base_codes; // the base's units (split parts apart)
    for (std::size_t r : rows) {
        base_codes.push_back(s.mapping[r].old_code);
        const MappingRow& m = s.mapping[r];
        const std::uint32_t u = base.unit(m.old_code);
        c.split_members += cg.rows_of_unit[u] > 1;
        // A part of a divided unit counts as that unit: the legal predecessor.
        old_codes.insert(base.units[u].split_of.empty() ? m.old_code : base.units[u].split_of);
        c.population_by_area = c.population_by_area || base.population_by_area[u];
        if (base.population[u]) {
            population += m.share * *base.population[u];
        } else {
            known = false;
        }
        if (!m.seat.empty()) {
            seat = m.seat;
        }
    }
    if (known) {
        c.population = population;
    }
    c.predecessors = old_codes.size();
    std::optional<geo::Coord> at;
    // The figures of the unit with the same old units (an edited plan's unit whose old units
    // changed is judged on its polygons and the base's population).
    const std::string described = described_code(s, c.code, std::move(base_codes));
    const UnitFigures* figures = s.commune_figures.find(described);
    if (const UnitFigures* f = figures) {
        c.area_km2_figures = f->area_km2;
        c.population_figures = f->population;
        c.seat_address = f->seat_address;
        c.predecessors = f->predecessors.value_or(c.predecessors);
        if (f->has_seat()) {
            std::vector<geo::Coord> point = {{*f->seat_lon, *f->seat_lat}};
            base.loaded.projection->project_in_place(point);
            at = point[0];
            c.seat_from_figures = true;
        }
    }
    if (!at && !seat.empty()) {
        at = centre(base, base.unit(seat));
    }
    c.seat_at = at;
    if (at) {
        double far = 0;
        for (std::size_t r : rows) {
            far = std::max(far, geo::distance(centre(base, base.unit(s.mapping[r].old_code)), *at));
        }
        c.seat_distance_km = far / 1e3;
    }
    UnitFacts f;
    f.type = c.type;
    region_of(base, s, rows, described, c);
    f.region = c.region;
    f.population_reduction_pct = c.population_reduction_pct;
    f.province_class = province.type == "thanh_pho_tw"
                           ? "city"
                           : (province.region == "mountain" ? "mountain" : "other");
    f.area_km2 = c.judged_area();
    f.population = c.judged_population();
    f.predecessors = c.predecessors;
    c.verdict = judge_commune(profile, f);
    // The old counting: every base unit (split parts apart) as a predecessor.
    f.predecessors = c.base_units;
    const Verdict by_base = judge_commune(profile, f);
    c.verdict_changed_by_counting = by_base.waived != c.verdict.waived ||
                                    (by_base.evaluated && !by_base.pass) != c.below_standard();
    c.shape.append_part(dc.result.geometry, g);
    return c;
}

/// The provinces' outlines and totals from their old units (these do not change with the
/// communes), and their verdicts.
void total_provinces(const Base& base,
                     const geo::Grouping& groups,
                     const geo::DissolvedLayer& dp,
                     const RulesProfile& profile,
                     const FiguresTable& figures,
                     std::vector<NewProvince>& provinces) {
    std::vector<double> population(provinces.size(), 0);
    std::vector<bool> known(provinces.size(), true);
    for (std::size_t u = 0; u < base.units.size(); ++u) {
        const std::uint32_t g = groups.group_of_unit[u];
        if (g == geo::no_unit) {
            continue;
        }
        // The parts of a divided unit follow each other in the layer: the unit counts once.
        const std::string& whole = base.units[u].split_of;
        provinces[g].old_communes += whole.empty() || u == 0 || base.units[u - 1].split_of != whole;
        if (base.population[u]) {
            population[g] += *base.population[u];
        } else {
            known[g] = false;
        }
    }
    for (std::size_t g = 0; g < provinces.size(); ++g) {
        NewProvince& p = provinces[g];
        p.area_km2 = dp.result.area[g] / 1e6;
        if (known[g]) {
            p.population = population[g];
        }
        if (const UnitFigures* f = figures.find(p.code)) {
            p.area_km2_figures = f->area_km2;
            p.population_figures = f->population;
        }
        p.verdict =
            judge_province(profile, p.type, p.region, p.judged_area(), p.judged_population());
        p.shape.append_part(dp.result.geometry, g);
    }
}

/// Each province's new communes by type, and those below standard.
void count_communes(const std::vector<NewCommune>& communes, std::vector<NewProvince>& provinces) {
    std::map<std::string, std::size_t> index;
    for (std::size_t g = 0; g < provinces.size(); ++g) {
        index.emplace(provinces[g].code, g);
        provinces[g].xa = provinces[g].phuong = provinces[g].dac_khu = 0;
        provinces[g].below_standard = 0;
    }
    for (const NewCommune& c : communes) {
        const auto it = index.find(c.province);
        if (it == index.end()) {
            continue;
        }
        NewProvince& p = provinces[it->second];
        p.xa += c.type == UnitType::xa;
        p.phuong += c.type == UnitType::phuong;
        p.dac_khu += c.type == UnitType::dac_khu;
        p.below_standard += c.below_standard();
    }
}

/// The provinces of a run, dissolved from the base's units.
std::vector<NewProvince> build_provinces(const Base& base,
                                         const Scenario& s,
                                         const ScenarioCheck& check,
                                         const RulesProfile& profile,
                                         const geo::ProgressFn& progress) {
    const geo::Grouping groups = group_provinces(base, check, nullptr);
    geo::report(progress, "run: provinces", 0);
    const geo::DissolvedLayer dp = geo::dissolve_layer(base.loaded, groups);
    geo::report(progress, "run: provinces", 1);
    std::vector<NewProvince> provinces;
    for (const std::string& code : groups.keys) {
        provinces.push_back(describe_province(s, code));
    }
    total_provinces(base, groups, dp, profile, s.province_figures, provinces);
    return provinces;
}

/// The new communes of a run (all, or one new province's), judged with their provinces.
std::vector<NewCommune> build_communes(const Base& base,
                                       const Scenario& s,
                                       const ScenarioCheck& check,
                                       const RulesProfile& profile,
                                       const std::vector<NewProvince>& provinces,
                                       const CommuneGroups& groups,
                                       const geo::ProgressFn& progress) {
    geo::report(progress, "run: communes", 0);
    const geo::DissolvedLayer dc = geo::dissolve_layer(base.loaded, groups.grouping);
    geo::report(progress, "run: communes", 1);
    std::map<std::string, std::size_t> pindex;
    for (std::size_t g = 0; g < provinces.size(); ++g) {
        pindex.emplace(provinces[g].code, g);
    }
    std::vector<NewCommune> communes;
    communes.reserve(groups.codes.size());
    for (std::size_t g = 0; g < groups.codes.size(); ++g) {
        const NewProvince& p = provinces[pindex.at(check.province_of_new.at(groups.codes[g]))];
        communes.push_back(make_commune(base, s, check, groups, dc, g, p, profile));
    }
    return communes;
}

/// Mapping row r as the run resolves it (without which row takes the polygon).
MappedUnit mapped(const Base& base, const Scenario& s, const ScenarioCheck& check, std::size_t r) {
    const MappingRow& m = s.mapping[r];
    MappedUnit mu;
    mu.row = r;
    mu.unit = base.unit(m.old_code);
    mu.old_code = m.old_code;
    mu.new_code = m.new_code;
    mu.share = m.share;
    mu.old_province = base.units[mu.unit].province;
    const geo::Unit& unit = base.loaded.layer.units[mu.unit];
    mu.old_name = unit.name;
    if (const auto i = base.loaded.layer.attribute_index(s.base.official_code_field);
        i && !s.base.official_code_field.empty()) {
        mu.old_official_code = geo::to_text(unit.attributes[*i]);
    }
    mu.new_province = check.province_of_new.at(m.new_code);
    return mu;
}

std::vector<MappedUnit> map_units(const Base& base,
                                  const Scenario& s,
                                  const ScenarioCheck& check,
                                  const CommuneGroups& groups) {
    std::vector<MappedUnit> out;
    out.reserve(s.mapping.size());
    for (std::size_t r = 0; r < s.mapping.size(); ++r) {
        MappedUnit mu = mapped(base, s, check, r);
        mu.takes_geometry = groups.geometry_row[mu.unit] == r;
        out.push_back(std::move(mu));
    }
    return out;
}

/// The mapping of a run after one province's rows changed: that province's rows resolved
/// again; the others keep which row takes each old unit's polygon (found by old and new code
/// if rows were added or removed).
void remap_province(Run& run,
                    const Base& base,
                    const Scenario& s,
                    const ScenarioCheck& check,
                    const CommuneGroups& groups,
                    const std::string& province) {
    if (run.mapping.size() == s.mapping.size()) {
        // An old unit stays in its new province: the province's rows are where they were.
        for (MappedUnit& m : run.mapping) {
            if (m.new_province == province) {
                m = mapped(base, s, check, m.row);
                m.takes_geometry = groups.geometry_row[m.unit] == m.row;
            }
        }
        return;
    }
    std::map<std::uint32_t, std::string> taker; // old unit -> new code taking its polygon
    for (const MappedUnit& m : run.mapping) {
        if (m.takes_geometry && m.new_province != province) {
            taker[m.unit] = m.new_code;
        }
    }
    run.mapping.clear();
    for (std::size_t r = 0; r < s.mapping.size(); ++r) {
        MappedUnit mu = mapped(base, s, check, r);
        if (mu.new_province == province) {
            mu.takes_geometry = groups.geometry_row[mu.unit] == r;
        } else if (const auto t = taker.find(mu.unit);
                   t != taker.end() && t->second == mu.new_code) {
            mu.takes_geometry = true;
            taker.erase(t); // one row per old unit
        }
        run.mapping.push_back(std::move(mu));
    }
}

} // namespace

Run build_run(const Base& base,
              const Scenario& s,
              const ScenarioCheck& check,
              const RulesProfile& profile,
              const BuildOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    Run run;
    run.scenario = s.name;
    run.rules_profile = profile.name;
    run.default_region = profile.default_region;
    run.figures_label = s.figures_label;
    run.population_label = s.base.population_source;
    run.crs_wkt = base.loaded.layer.crs_wkt;
    run.timings = base.loaded.timings;
    run.findings = base.loaded.validity.diagnostics;
    run.findings.insert(run.findings.end(), check.findings.begin(), check.findings.end());
    run.old_units = base.units.size();
    if (base.split) {
        run.divided_units = base.split->units;
        run.divided_parts = base.split->parts.size();
        run.old_units -= run.divided_parts - run.divided_units;
        for (const geo::Diagnostic& d : base.split->diagnostics) {
            run.findings.push_back(d);
        }
    }
    run.old_provinces = check.new_province_of.size();
    const CommuneGroups groups = group_communes(base, s, check, nullptr);
    run.split_units = groups.split_units;
    split_findings(s, groups, run.findings);
    run.provinces = build_provinces(base, s, check, profile, options.progress);
    run.communes = build_communes(base, s, check, profile, run.provinces, groups, options.progress);
    count_communes(run.communes, run.provinces);
    run.mapping = map_units(base, s, check, groups);
    if (options.staffing) {
        geo::report(options.progress, "run: staffing", 0);
        run.staffing = staff_scenario(s, check, base.loaded, options.staffing_options);
        geo::report(options.progress, "run: staffing", 1);
    }
    place_offices(run,
                  base,
                  s,
                  options.offices.value_or(office_params(s)),
                  run.staffing ? &options.staffing_options.params : nullptr);
    run.timings.emplace_back(
        "build", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return run;
}

void rebuild_province(Run& run,
                      const Base& base,
                      const Scenario& s,
                      const ScenarioCheck& check,
                      const RulesProfile& profile,
                      const std::string& province) {
    const auto at = std::lower_bound(run.provinces.begin(),
                                     run.provinces.end(),
                                     province,
                                     [](const NewProvince& p, auto& c) { return p.code < c; });
    if (at == run.provinces.end() || at->code != province) {
        throw InputError("no new province '" + province + "' in run '" + run.scenario + "'");
    }
    const CommuneGroups groups = group_communes(base, s, check, &province);
    std::vector<NewCommune> rebuilt =
        build_communes(base, s, check, profile, run.provinces, groups, {});
    // The other provinces' communes stay; the province's are replaced, in code order (both
    // lists are in code order: merged, not sorted).
    std::vector<NewCommune> communes;
    communes.reserve(run.communes.size() + rebuilt.size());
    auto next = rebuilt.begin();
    for (NewCommune& c : run.communes) {
        if (c.province == province) {
            continue;
        }
        for (; next != rebuilt.end() && next->code < c.code; ++next) {
            communes.push_back(std::move(*next));
        }
        communes.push_back(std::move(c));
    }
    for (; next != rebuilt.end(); ++next) {
        communes.push_back(std::move(*next));
    }
    run.communes = std::move(communes);
    count_communes(run.communes, run.provinces);
    remap_province(run, base, s, check, groups, province);
    run.staffing.reset();
    place_offices(run, base, s, run.office_params, nullptr, &province);
}

geo::PolygonSet commune_shapes(const Run& run) {
    geo::PolygonSet out;
    for (const NewCommune& c : run.communes) {
        out.append_part(c.shape, 0);
    }
    return out;
}

geo::PolygonSet province_shapes(const Run& run) {
    geo::PolygonSet out;
    for (const NewProvince& p : run.provinces) {
        out.append_part(p.shape, 0);
    }
    return out;
}

std::string commune_flags(const NewCommune& c, const Run& run) {
    std::string out;
    auto add = [&](const std::string& flag) { out += (out.empty() ? "" : "; ") + flag; };
    if (c.polygons > 1) {
        add("not contiguous: " + std::to_string(c.polygons) + " polygons" +
            (c.type == UnitType::dac_khu ? " (special zone)" : ""));
    }
    if (c.verdict.region_defaulted) {
        add("region class: profile default '" + run.default_region + "'");
    } else if (c.region_source.starts_with("estimate")) {
        add("region class " + c.region + " (" + c.region_source + ")");
    }
    if (c.verdict.unconfirmed) {
        add("uses an unconfirmed rule value");
    }
    if (c.split_members > 0) {
        add(std::to_string(c.split_members) + " member(s) split between new units");
    }
    return out;
}

} // namespace amsim::sim
