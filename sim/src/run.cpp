#include "amsim/sim/run.hpp"

#include "amsim/geo/error.hpp"
#include "amsim/geo/geos_context.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/sim/run_record.hpp"
#include "amsim/sim/staffing.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

namespace amsim::sim {

namespace {

using geo::AttributeValue;
using geo::OutputField;

AttributeValue opt(const std::optional<double>& v) {
    return v ? AttributeValue(*v) : AttributeValue(std::monostate{});
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const std::string& s : v) {
        out += (out.empty() ? "" : sep) + s;
    }
    return out;
}

} // namespace

namespace {

/// Where a run comes from: the scenario, its inputs with their SHA-256, the rules profile
/// and amsim's version (key, value rows), for maps and reports made later from the output.
std::vector<OutputField> provenance(const Scenario& s,
                                    const RulesProfile& profile,
                                    const std::vector<RecordedInput>& inputs) {
    using K = OutputField::Kind;
    std::vector<OutputField> f = {{"key", K::string, {}}, {"value", K::string, {}}};
    auto add = [&](const std::string& k, const std::string& v) {
        f[0].values.emplace_back(k);
        f[1].values.emplace_back(v);
    };
    add("amsim_version", amsim_version());
    add("scenario_name", s.name);
    add("scenario_description", s.description);
    add("rules_profile", profile.name);
    add("base_layer", s.base.layer);
    add("base_code_field", s.base.mapping.code);
    for (const RecordedInput& in : inputs) {
        add(in.role, in.path);
        add(in.role + "_sha256", in.sha256);
    }
    return f;
}

} // namespace

RunResult run_scenario(const Scenario& s, const RulesProfile& profile, const RunOptions& options) {
    RunResult out;
    out.output = options.output;
    const auto t0 = std::chrono::steady_clock::now();
    geo::LayerSpec spec;
    spec.source = options.source;
    spec.read.layer = s.base.layer;
    spec.read.mapping = s.base.mapping;
    spec.keep_geometry = true; // predecessors' centroids
    const geo::LoadedLayer loaded = geo::load_layer(spec, options.progress);
    const geo::UnitLayer& layer = loaded.layer;
    out.timings = loaded.timings;
    out.findings = loaded.validity.diagnostics;

    const std::vector<OldUnit> units = old_units(layer);
    std::map<std::string, std::uint32_t> unit_of_code;
    for (std::size_t u = 0; u < units.size(); ++u) {
        unit_of_code.emplace(units[u].code, static_cast<std::uint32_t>(u));
    }
    const ScenarioCheck check = check_scenario(s, units);
    require_consistent(s, check);
    out.findings.insert(out.findings.end(), check.findings.begin(), check.findings.end());
    out.old_units = units.size();

    const auto i_pop = layer.require_attribute(s.base.population_field, "population");
    const auto i_region = layer.require_attribute(s.base.region_field, "region class");
    std::vector<std::optional<double>> pop(units.size());
    std::vector<std::string> region(units.size());
    for (std::size_t u = 0; u < units.size(); ++u) {
        pop[u] = population_of(layer, u, i_pop);
        if (i_region) {
            region[u] = geo::to_text(layer.units[u].attributes[*i_region]);
        }
    }

    // New communes in code order; each old unit's geometry goes to its largest share.
    std::vector<std::string> codes;
    std::map<std::string, std::uint32_t> group_of_code;
    for (const auto& [code, rows] : check.members) {
        group_of_code.emplace(code, static_cast<std::uint32_t>(codes.size()));
        codes.push_back(code);
    }
    geo::Grouping communes;
    communes.keys = codes;
    communes.group_of_unit.assign(units.size(), geo::no_unit);
    std::vector<double> best_share(units.size(), 0);
    std::vector<std::size_t> rows_of_unit(units.size(), 0);
    std::vector<std::size_t> geometry_row(units.size(), s.mapping.size());
    for (std::size_t r = 0; r < s.mapping.size(); ++r) {
        const MappingRow& m = s.mapping[r];
        const std::uint32_t u = unit_of_code.at(m.old_code);
        ++rows_of_unit[u];
        if (m.share > best_share[u]) {
            best_share[u] = m.share;
            communes.group_of_unit[u] = group_of_code.at(m.new_code);
            geometry_row[u] = r;
        }
    }
    for (std::size_t u = 0; u < units.size(); ++u) {
        if (rows_of_unit[u] > 1) {
            ++out.split_units;
        }
    }
    // A new unit all of whose members have a larger share elsewhere would get no geometry:
    // it takes its largest member from a new unit that keeps another one.
    std::vector<std::size_t> units_in(codes.size(), 0);
    for (std::uint32_t g : communes.group_of_unit) {
        if (g != geo::no_unit) {
            ++units_in[g];
        }
    }
    std::size_t moved = 0;
    for (std::size_t g = 0; g < codes.size(); ++g) {
        if (units_in[g] > 0) {
            continue;
        }
        std::vector<std::size_t> rows = check.members.at(codes[g]);
        std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
            return s.mapping[a].share > s.mapping[b].share;
        });
        for (std::size_t r : rows) {
            const std::uint32_t u = unit_of_code.at(s.mapping[r].old_code);
            const std::uint32_t from = communes.group_of_unit[u];
            if (from != geo::no_unit && units_in[from] > 1) {
                --units_in[from];
                ++units_in[g];
                communes.group_of_unit[u] = static_cast<std::uint32_t>(g);
                geometry_row[u] = r;
                ++moved;
                break;
            }
        }
    }
    if (moved > 0) {
        out.findings.push_back({geo::Severity::warning,
                                "split_units_moved",
                                s.mapping_path,
                                std::to_string(moved) +
                                    " split old unit(s) moved whole into a new unit that would "
                                    "otherwise have had no geometry"});
    }
    if (out.split_units > 0) {
        out.findings.push_back(
            {geo::Severity::warning,
             "split_units",
             s.mapping_path,
             std::to_string(out.split_units) +
                 " old unit(s) are mapped in parts: no boundary between the parts is known, so "
                 "each goes whole into the new unit with its largest share (areas of the "
                 "others are short by that much); population is divided by the shares"});
    }
    geo::report(options.progress, "run: communes", 0);
    const geo::DissolvedLayer dc = geo::dissolve_layer(loaded, communes);
    geo::report(options.progress, "run: communes", 1);

    // New provinces in code order.
    std::set<std::string> province_codes;
    for (const auto& [old_code, new_code] : check.new_province_of) {
        province_codes.insert(new_code);
    }
    const std::vector<std::string> pcodes(province_codes.begin(), province_codes.end());
    std::map<std::string, std::uint32_t> group_of_province;
    for (std::size_t i = 0; i < pcodes.size(); ++i) {
        group_of_province.emplace(pcodes[i], static_cast<std::uint32_t>(i));
    }
    geo::Grouping provinces;
    provinces.keys = pcodes;
    provinces.group_of_unit.assign(units.size(), geo::no_unit);
    for (std::size_t u = 0; u < units.size(); ++u) {
        const auto it = check.new_province_of.find(units[u].province);
        if (it != check.new_province_of.end()) {
            provinces.group_of_unit[u] = group_of_province.at(it->second);
        }
    }
    geo::report(options.progress, "run: provinces", 0);
    const geo::DissolvedLayer dp = geo::dissolve_layer(loaded, provinces);
    geo::report(options.progress, "run: provinces", 1);

    for (const std::string& code : pcodes) {
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
        out.provinces.push_back(std::move(p));
    }
    out.old_provinces = check.new_province_of.size();

    // Centroids of the old units, in metres.
    std::vector<geo::Coord> centres(units.size());
    for (std::size_t u = 0; u < units.size(); ++u) {
        centres[u] = geo::centroid(layer.geometry, u);
    }
    loaded.projection->project_in_place(centres);

    for (std::size_t g = 0; g < codes.size(); ++g) {
        const std::vector<std::size_t>& rows = check.members.at(codes[g]);
        const MappingRow& first = s.mapping[rows.front()];
        NewCommune c;
        c.code = codes[g];
        c.name = first.new_name;
        c.type = first.new_type;
        c.province = check.province_of_new.at(c.code);
        c.predecessors = rows.size();
        c.polygons = dc.result.geometry.part_end(g) - dc.result.geometry.part_begin(g);
        c.area_km2 = dc.result.area[g] / 1e6;
        c.perimeter_km = dc.result.perimeter[g] / 1e3;
        c.polsby_popper = dc.result.perimeter[g] > 0
                              ? 4 * std::numbers::pi * dc.result.area[g] /
                                    (dc.result.perimeter[g] * dc.result.perimeter[g])
                              : 0;
        double population = 0;
        bool known = true;
        std::map<std::string, double> region_area;
        std::string seat;
        for (std::size_t r : rows) {
            const MappingRow& m = s.mapping[r];
            const std::uint32_t u = unit_of_code.at(m.old_code);
            c.split_members += rows_of_unit[u] > 1;
            if (pop[u]) {
                population += m.share * *pop[u];
            } else {
                known = false;
            }
            region_area[region[u]] += m.share * loaded.unit_area_m2[u];
            if (!m.seat.empty()) {
                seat = m.seat;
            }
        }
        if (known) {
            c.population = population;
        }
        if (!seat.empty()) {
            const geo::Coord at = centres[unit_of_code.at(seat)];
            double far = 0;
            for (std::size_t r : rows) {
                const geo::Coord& p = centres[unit_of_code.at(s.mapping[r].old_code)];
                far = std::max(far, geo::distance(p, at));
            }
            c.seat_distance_km = far / 1e3;
        }
        // The unit's region class: the one covering most of its area (none given: default).
        std::string unit_region;
        double most = -1;
        for (const auto& [name, a] : region_area) {
            if (a > most) {
                most = a;
                unit_region = name;
            }
        }
        const NewProvince& prov = out.provinces[group_of_province.at(c.province)];
        UnitFacts f;
        f.type = c.type;
        f.region = unit_region;
        f.province_class = prov.type == "thanh_pho_tw"
                               ? "city"
                               : (prov.region == "mountain" ? "mountain" : "other");
        f.area_km2 = c.area_km2;
        f.population = c.population;
        f.predecessors = c.predecessors;
        c.verdict = judge_commune(profile, f);
        std::vector<std::string> flags;
        if (c.polygons > 1) {
            flags.push_back("not contiguous: " + std::to_string(c.polygons) + " polygons" +
                            (c.type == UnitType::dac_khu ? " (special zone)" : ""));
        }
        if (c.verdict.region_defaulted) {
            flags.push_back("region class: profile default '" + profile.default_region + "'");
        }
        if (c.verdict.unconfirmed) {
            flags.emplace_back("uses an unconfirmed rule value");
        }
        if (c.split_members > 0) {
            flags.push_back(std::to_string(c.split_members) + " member(s) split between new units");
        }
        c.flags = join(flags, "; ");
        out.communes.push_back(std::move(c));
    }

    // Intersection over union with the official polygon of the same code.
    if (!options.official.empty()) {
        geo::report(options.progress, "run: compare", 0);
        geo::ReadOptions ro;
        ro.mapping.code = options.official_code;
        std::vector<geo::Diagnostic> ignored;
        const geo::UnitLayer official = geo::read_units(options.official, ro, ignored);
        std::map<std::string, std::size_t> official_of;
        for (std::size_t i = 0; i < official.units.size(); ++i) {
            official_of.emplace(official.units[i].code, i);
        }
        const geo::PolygonSet ours = loaded.projection->project(dc.result.geometry);
        const geo::PolygonSet theirs = loaded.projection->project(official.geometry);
        tbb::enumerable_thread_specific<geo::GeosContext> contexts;
        tbb::parallel_for(std::size_t{0}, out.communes.size(), [&](std::size_t g) {
            const auto it = official_of.find(out.communes[g].code);
            if (it == official_of.end() || ours.part_begin(g) == ours.part_end(g)) {
                return;
            }
            geo::GeosContext& geos = contexts.local();
            geo::GeomPtr a = geos.to_geos(ours, g);
            geo::GeomPtr b = geos.to_geos(theirs, it->second);
            GEOSGeometry* x = GEOSIntersection_r(geos.handle(), a.get(), b.get());
            if (x == nullptr) {
                // Invalid input (GEOS TopologyException): once more on the repaired shapes.
                a = geo::GeomPtr(GEOSMakeValid_r(geos.handle(), a.get()),
                                 geo::GeomDeleter{geos.handle()});
                b = geo::GeomPtr(GEOSMakeValid_r(geos.handle(), b.get()),
                                 geo::GeomDeleter{geos.handle()});
                if (!a || !b) {
                    return;
                }
                x = GEOSIntersection_r(geos.handle(), a.get(), b.get());
            }
            if (x == nullptr) {
                return; // GEOS cannot intersect this pair: left without a figure (counted)
            }
            double ai = 0, aa = 0, ab = 0;
            GEOSArea_r(geos.handle(), x, &ai);
            GEOSGeom_destroy_r(geos.handle(), x);
            GEOSArea_r(geos.handle(), a.get(), &aa);
            GEOSArea_r(geos.handle(), b.get(), &ab);
            const double u = aa + ab - ai;
            out.communes[g].iou_official = u > 0 ? ai / u : 0;
        });
        for (const NewCommune& c : out.communes) {
            out.official_missing += !c.iou_official.has_value();
        }
        geo::report(options.progress, "run: compare", 1);
    }

    // Province metrics and summaries.
    std::vector<double> ppop(pcodes.size(), 0);
    std::vector<bool> pknown(pcodes.size(), true);
    for (std::size_t u = 0; u < units.size(); ++u) {
        const std::uint32_t g = provinces.group_of_unit[u];
        if (g == geo::no_unit) {
            continue;
        }
        ++out.provinces[g].old_communes;
        if (pop[u]) {
            ppop[g] += *pop[u];
        } else {
            pknown[g] = false;
        }
    }
    for (const NewCommune& c : out.communes) {
        NewProvince& p = out.provinces[group_of_province.at(c.province)];
        p.xa += c.type == UnitType::xa;
        p.phuong += c.type == UnitType::phuong;
        p.dac_khu += c.type == UnitType::dac_khu;
        p.below_standard += c.verdict.evaluated && !c.verdict.pass;
    }
    for (std::size_t g = 0; g < pcodes.size(); ++g) {
        NewProvince& p = out.provinces[g];
        p.area_km2 = dp.result.area[g] / 1e6;
        if (pknown[g]) {
            p.population = ppop[g];
        }
        p.verdict = judge_province(profile, p.type, p.region, p.area_km2, p.population);
    }

    // The output: one GeoPackage.
    geo::report(options.progress, "run: write", 0);
    auto field = [](const char* name, OutputField::Kind kind) {
        return OutputField{name, kind, {}};
    };
    using K = OutputField::Kind;
    std::vector<OutputField> cf = {field("code", K::string),
                                   field("name", K::string),
                                   field("type", K::string),
                                   field("province_code", K::string),
                                   field("predecessors", K::integer),
                                   field("polygons", K::integer),
                                   field("area_km2", K::real),
                                   field("population", K::real),
                                   field("density_per_km2", K::real),
                                   field("polsby_popper", K::real),
                                   field("seat_distance_km", K::real),
                                   field("iou_official", K::real),
                                   field("standard", K::string),
                                   field("area_pct_of_standard", K::real),
                                   field("population_pct_of_standard", K::real),
                                   field("evaluated", K::integer),
                                   field("waived", K::integer),
                                   field("meets_standard", K::integer),
                                   field("why", K::string),
                                   field("flags", K::string)};
    for (const NewCommune& c : out.communes) {
        const Verdict& v = c.verdict;
        const std::vector<AttributeValue> row = {
            c.code,
            c.name,
            std::string(to_string(c.type)),
            c.province,
            static_cast<std::int64_t>(c.predecessors),
            static_cast<std::int64_t>(c.polygons),
            c.area_km2,
            opt(c.population),
            c.population && c.area_km2 > 0 ? AttributeValue(*c.population / c.area_km2)
                                           : AttributeValue(std::monostate{}),
            c.polsby_popper,
            opt(c.seat_distance_km),
            opt(c.iou_official),
            v.standard,
            // Kept when the waiver applies: a planner still sees how far the unit is.
            v.evaluated || v.waived ? AttributeValue(v.area_pct) : AttributeValue(std::monostate{}),
            (v.evaluated || v.waived) && v.population_known ? AttributeValue(v.population_pct)
                                                            : AttributeValue(std::monostate{}),
            static_cast<std::int64_t>(v.evaluated),
            static_cast<std::int64_t>(v.waived),
            static_cast<std::int64_t>(v.pass),
            v.why,
            c.flags};
        for (std::size_t k = 0; k < row.size(); ++k) {
            cf[k].values.push_back(row[k]);
        }
    }
    std::vector<OutputField> pf = {field("code", K::string),
                                   field("name", K::string),
                                   field("type", K::string),
                                   field("region", K::string),
                                   field("capital", K::string),
                                   field("members", K::string),
                                   field("area_km2", K::real),
                                   field("population", K::real),
                                   field("old_communes", K::integer),
                                   field("new_communes", K::integer),
                                   field("xa", K::integer),
                                   field("phuong", K::integer),
                                   field("dac_khu", K::integer),
                                   field("reduction_pct", K::real),
                                   field("communes_below_standard", K::integer),
                                   field("area_pct_of_standard", K::real),
                                   field("population_pct_of_standard", K::real),
                                   field("meets_standard", K::integer),
                                   field("why", K::string),
                                   field("unconfirmed_standard", K::integer)};
    for (const NewProvince& p : out.provinces) {
        const std::size_t n = p.xa + p.phuong + p.dac_khu;
        const std::vector<AttributeValue> row = {
            p.code,
            p.name,
            p.type,
            p.region,
            p.capital,
            join(p.members, ";"),
            p.area_km2,
            opt(p.population),
            static_cast<std::int64_t>(p.old_communes),
            static_cast<std::int64_t>(n),
            static_cast<std::int64_t>(p.xa),
            static_cast<std::int64_t>(p.phuong),
            static_cast<std::int64_t>(p.dac_khu),
            p.old_communes > 0
                ? 100.0 * (1.0 - static_cast<double>(n) / static_cast<double>(p.old_communes))
                : 0.0,
            static_cast<std::int64_t>(p.below_standard),
            p.verdict.evaluated ? AttributeValue(p.verdict.area_pct)
                                : AttributeValue(std::monostate{}),
            p.verdict.evaluated && p.verdict.population_known
                ? AttributeValue(p.verdict.population_pct)
                : AttributeValue(std::monostate{}),
            static_cast<std::int64_t>(p.verdict.pass),
            p.verdict.why,
            static_cast<std::int64_t>(p.verdict.unconfirmed)};
        for (std::size_t k = 0; k < row.size(); ++k) {
            pf[k].values.push_back(row[k]);
        }
    }
    std::vector<OutputField> mf = {field("old_code", K::string),
                                   field("old_province", K::string),
                                   field("new_code", K::string),
                                   field("new_province", K::string),
                                   field("share", K::real),
                                   field("takes_geometry", K::integer)};
    for (std::size_t r = 0; r < s.mapping.size(); ++r) {
        const MappingRow& m = s.mapping[r];
        const std::uint32_t u = unit_of_code.at(m.old_code);
        mf[0].values.emplace_back(m.old_code);
        mf[1].values.emplace_back(units[u].province);
        mf[2].values.emplace_back(m.new_code);
        mf[3].values.emplace_back(check.province_of_new.at(m.new_code));
        mf[4].values.emplace_back(m.share);
        mf[5].values.emplace_back(static_cast<std::int64_t>(geometry_row[u] == r));
    }
    std::size_t below = 0, waived = 0, not_evaluated = 0, xa = 0, phuong = 0, dac_khu = 0;
    for (const NewCommune& c : out.communes) {
        below += c.verdict.evaluated && !c.verdict.pass;
        waived += c.verdict.waived;
        not_evaluated += !c.verdict.evaluated && !c.verdict.waived;
        xa += c.type == UnitType::xa;
        phuong += c.type == UnitType::phuong;
        dac_khu += c.type == UnitType::dac_khu;
    }
    std::vector<OutputField> nf = {
        {"scenario", K::string, {s.name}},
        {"rules_profile", K::string, {profile.name}},
        {"old_units", K::integer, {static_cast<std::int64_t>(out.old_units)}},
        {"new_units", K::integer, {static_cast<std::int64_t>(out.communes.size())}},
        {"reduction_pct",
         K::real,
         {out.old_units > 0 ? 100.0 * (1.0 - static_cast<double>(out.communes.size()) /
                                                 static_cast<double>(out.old_units))
                            : 0.0}},
        {"xa", K::integer, {static_cast<std::int64_t>(xa)}},
        {"phuong", K::integer, {static_cast<std::int64_t>(phuong)}},
        {"dac_khu", K::integer, {static_cast<std::int64_t>(dac_khu)}},
        {"old_provinces", K::integer, {static_cast<std::int64_t>(out.old_provinces)}},
        {"new_provinces", K::integer, {static_cast<std::int64_t>(out.provinces.size())}},
        {"communes_below_standard", K::integer, {static_cast<std::int64_t>(below)}},
        {"communes_waived", K::integer, {static_cast<std::int64_t>(waived)}},
        {"communes_not_evaluated", K::integer, {static_cast<std::int64_t>(not_evaluated)}},
        {"split_units", K::integer, {static_cast<std::int64_t>(out.split_units)}}};
    std::vector<OutputField> rf = {field("kind", K::string),
                                   field("type", K::string),
                                   field("region", K::string),
                                   field("province", K::string),
                                   field("area_km2", K::real),
                                   field("population", K::real),
                                   field("unconfirmed", K::integer),
                                   field("source", K::string)};
    auto add_standard = [&](const char* kind, const Standard& st) {
        rf[0].values.emplace_back(std::string(kind));
        rf[1].values.emplace_back(st.type);
        rf[2].values.emplace_back(st.region);
        rf[3].values.emplace_back(st.province);
        rf[4].values.push_back(opt(st.area_km2));
        rf[5].values.push_back(opt(st.population));
        rf[6].values.emplace_back(static_cast<std::int64_t>(st.unconfirmed));
        rf[7].values.emplace_back(st.source);
    };
    for (const Standard& st : profile.communes) {
        add_standard("commune", st);
    }
    for (const Standard& st : profile.provinces) {
        add_standard("province", st);
    }
    // Staffing (estimated from the legal norms unless tables are given) as four tables.
    geo::report(options.progress, "run: staffing", 0);
    out.staffing = staff_scenario(s, check, loaded, options.staffing);
    StaffingTables staff = staffing_tables(out.staffing);
    geo::report(options.progress, "run: staffing", 1);

    if (!options.output.empty()) { // empty: the results only (amsim compare)
        // Checksummed once: the output's provenance and the record of runs both use them.
        out.inputs = {record_input("scenario", s.path),
                      record_input("mapping", s.mapping_path),
                      record_input("base", options.source),
                      record_input("rules", profile.path)};
        geo::WriteOptions wo;
        wo.policy = options.policy;
        wo.geometry_checked = true; // both layers come from dissolve_layer, which checks them
        for (const std::string& in : {s.path,
                                      s.mapping_path,
                                      options.source,
                                      profile.path,
                                      options.official,
                                      options.staffing.table,
                                      options.staffing.ages,
                                      options.staffing.capitals}) {
            wo.policy.protect(in);
        }
        wo.crs_wkt = layer.crs_wkt;
        geo::write_layers(options.output,
                          {{"communes", &dc.result.geometry, cf},
                           {"provinces", &dp.result.geometry, pf},
                           {"mapping", nullptr, mf},
                           {"national_summary", nullptr, nf},
                           {"rules_profile", nullptr, rf},
                           {"staffing", nullptr, std::move(staff.communes)},
                           {"staffing_roadmap", nullptr, std::move(staff.years)},
                           {"staffing_provinces", nullptr, std::move(staff.provinces)},
                           {"staffing_assumptions", nullptr, std::move(staff.assumptions)},
                           {"provenance", nullptr, provenance(s, profile, out.inputs)}},
                          wo);
    }
    geo::report(options.progress, "run: write", 1);
    out.timings.emplace_back(
        "run", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return out;
}

} // namespace amsim::sim
