// amsim compare A B: two plans over the same base side by side; optionally a GeoPackage
// with the old units whose partners differ, per-province and summary tables.

#include "amsim/sim/plans/compare.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/layer_jobs.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/sim/outputs/layer_styles.hpp"
#include "amsim/sim/outputs/map.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class CompareCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("a", m_a, "First scenario (file or directory)")->required();
        app.add_option("b", m_b, "Second scenario, over the same base layer")->required();
        app.add_option("-o,--output",
                       m_output,
                       "GeoPackage with the old units whose partners differ ('differences'), "
                       "and the 'provinces' and 'summary' tables (optional)");
        app.add_flag("--overwrite", m_overwrite, "Replace an existing output");
        add_province_option(app, m_province);
        app.add_option("--map",
                       m_map,
                       "A map of where the plans differ (.png or .svg): old units whose partners "
                       "differ in orange, plan A's units in black, plan B's in red");
        app.add_option("--lang", m_lang, "The map's title and legend: vi (default) or en")
            ->check(CLI::IsMember({"vi", "en"}));
        app.add_option("--rules",
                       m_rules,
                       "Judge both plans by this rules profile (default each scenario's own)");
        app.footer("Example:\n  amsim compare scenarios/vn-2025 data/work/proposals/vn-2025 "
                   "-o data/work/runs/compare.gpkg");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario a = open_scenario(m_a, global);
        const sim::Scenario b = open_scenario(m_b, global);
        auto profile = [&](const sim::Scenario& s) { return command_profile(s, m_rules); };
        // Both outputs are checked before the work: a refusal comes first, not last.
        m_policy.overwrite = m_overwrite;
        protect_scenario(m_policy, a, global);
        protect_scenario(m_policy, b, global);
        for (const std::string& out : {m_output, m_map}) {
            if (!out.empty()) {
                geo::check_output(out, m_policy);
            }
        }
        if (!sim::same_base(a, b)) {
            throw InputError("scenarios '" + a.name + "' and '" + b.name +
                             "' have different base layers (" + a.base.source + " and " +
                             b.base.source + "): plans can only be compared over the same units");
        }
        // One base, loaded and built once, for both plans.
        sim::BaseOptions bo;
        bo.source = resolve_source(a.base.source, global);
        bo.progress = make_progress(global);
        const sim::Base base = sim::load_base(a.base, bo);
        sim::BuildOptions build;
        build.progress = bo.progress;
        const sim::ScenarioCheck check_a = sim::require_checked(a, base);
        const sim::ScenarioCheck check_b = sim::require_checked(b, base);
        if (a.base.population_field != b.base.population_field ||
            a.base.region_field != b.base.region_field) {
            throw InputError("scenarios '" + a.name + "' and '" + b.name +
                             "' read different population or region fields of their base "
                             "layer: plans can only be compared on the same figures");
        }
        sim::Run ra = sim::build_run(base, a, check_a, profile(a), build);
        sim::Run rb = sim::build_run(base, b, check_b, profile(b), build);
        const geo::LoadedLayer& loaded = base.loaded;
        std::vector<std::string> codes;
        std::string province;
        if (!m_province.empty()) {
            // One province: both runs cut to it, over its old units.
            std::string how;
            province = sim::find_province(a, check_a, m_province, how);
            if (!how.empty() && !global.json) {
                std::printf("%s\n", how.c_str());
            }
            ra = sim::run_for_province(ra, province);
            rb = sim::run_for_province(rb, province);
        }
        // The old units compared (all, or the province's), by their index in the base layer.
        std::vector<std::uint32_t> compared;
        for (std::size_t u = 0; u < loaded.layer.units.size(); ++u) {
            const geo::Unit& unit = loaded.layer.units[u];
            const auto p = check_a.new_province_of.find(unit.parent_code);
            if (province.empty() || (p != check_a.new_province_of.end() && p->second == province)) {
                codes.push_back(unit.code);
                compared.push_back(static_cast<std::uint32_t>(u));
            }
        }
        const sim::PlanComparison c = sim::compare_plans(a, ra, b, rb, codes);
        if (!m_output.empty()) {
            write(c, loaded, compared);
        }
        if (!m_map.empty()) {
            draw_map(c, loaded, compared, province.empty() ? nullptr : &ra);
        }
        if (global.json) {
            print_json(c);
        } else {
            print_text(c);
        }
        return 0;
    }

private:
    /// `compared`: the base layer's index of each old unit compared (c's order).
    void write(const sim::PlanComparison& c,
               const geo::LoadedLayer& loaded,
               const std::vector<std::uint32_t>& compared) const {
        using geo::OutputField;
        using K = OutputField::Kind;
        std::vector<std::uint32_t> units, rows;
        for (std::size_t k = 0; k < c.differs.size(); ++k) {
            if (c.differs[k]) {
                units.push_back(compared[k]);
                rows.push_back(static_cast<std::uint32_t>(k));
            }
        }
        const geo::PolygonSet shapes = geo::unit_shapes(loaded, units);
        std::vector<OutputField> df = {{"code", K::string, {}},
                                       {"name", K::string, {}},
                                       {"old_province", K::string, {}},
                                       {"new_code_a", K::string, {}},
                                       {"new_code_b", K::string, {}}};
        for (std::uint32_t k : rows) {
            const geo::Unit& unit = loaded.layer.units[compared[k]];
            df[0].values.emplace_back(unit.code);
            df[1].values.emplace_back(unit.name);
            df[2].values.emplace_back(unit.parent_code);
            df[3].values.emplace_back(c.new_a[k]);
            df[4].values.emplace_back(c.new_b[k]);
        }
        std::vector<OutputField> pf = {{"province_code", K::string, {}},
                                       {"units_a", K::integer, {}},
                                       {"units_b", K::integer, {}},
                                       {"below_standard_a", K::integer, {}},
                                       {"below_standard_b", K::integer, {}},
                                       {"mean_polsby_popper_a", K::real, {}},
                                       {"mean_polsby_popper_b", K::real, {}},
                                       {"old_communes", K::integer, {}},
                                       {"same_partners", K::real, {}}};
        for (const sim::ProvinceComparison& p : c.provinces) {
            const std::vector<geo::AttributeValue> row = {p.province,
                                                          static_cast<std::int64_t>(p.units_a),
                                                          static_cast<std::int64_t>(p.units_b),
                                                          static_cast<std::int64_t>(p.below_a),
                                                          static_cast<std::int64_t>(p.below_b),
                                                          p.mean_pp_a,
                                                          p.mean_pp_b,
                                                          static_cast<std::int64_t>(p.old_units),
                                                          p.same_partners};
            geo::append_row(pf, row);
        }
        std::vector<OutputField> sf = {{"plan", K::string, {}},
                                       {"units", K::integer, {}},
                                       {"below_standard", K::integer, {}},
                                       {"meets_outright", K::integer, {}},
                                       {"mean_polsby_popper", K::real, {}},
                                       {"commune_staffed", K::real, {}},
                                       {"commune_norm", K::real, {}},
                                       {"surplus", K::real, {}},
                                       {"payouts_5y_vnd", K::integer, {}},
                                       {"payroll_before_vnd", K::integer, {}},
                                       {"payroll_after_vnd", K::integer, {}},
                                       {"adjusted_rand", K::real, {}},
                                       {"same_partners", K::real, {}},
                                       {"staff_estimated", K::integer, {}}};
        for (const sim::PlanFigures* f : {&c.a, &c.b}) {
            const std::vector<geo::AttributeValue> row = {
                f->name,
                static_cast<std::int64_t>(f->units),
                static_cast<std::int64_t>(f->below_standard),
                static_cast<std::int64_t>(f->meets_outright),
                f->mean_polsby_popper,
                f->staffed,
                f->norm,
                f->surplus,
                static_cast<std::int64_t>(std::llround(f->payouts_5y_vnd)),
                static_cast<std::int64_t>(std::llround(f->payroll_before_vnd)),
                static_cast<std::int64_t>(std::llround(f->payroll_after_vnd)),
                c.adjusted_rand,
                c.same_partners,
                std::int64_t{f->staff_estimated ? 1 : 0}};
            geo::append_row(sf, row);
        }
        sim::describe_fields("differences", df);
        sim::describe_fields("provinces", pf);
        sim::describe_fields("summary", sf);
        geo::WriteOptions wo;
        wo.policy = m_policy;
        wo.crs_wkt = loaded.layer.crs_wkt;
        geo::write_layers(m_output,
                          {{"differences", &shapes, df, sim::difference_style()},
                           {"provinces", nullptr, pf},
                           {"summary", nullptr, sf}},
                          wo);
    }

    /// The old units coloured by whether their partners differ, with both plans' units. With
    /// one province (`run_a` its run by plan A), the map is framed on it and the units around
    /// it are drawn by their old province, for context.
    void draw_map(const sim::PlanComparison& c,
                  const geo::LoadedLayer& loaded,
                  const std::vector<std::uint32_t>& compared,
                  const sim::Run* run_a) const {
        sim::MapData d;
        d.scenario_name = c.a.name + " / " + c.b.name;
        d.rules = m_rules.empty() ? "each plan's own" : m_rules;
        d.units = loaded.layer.geometry;
        const std::size_t n = loaded.layer.units.size();
        std::vector<std::string> new_a(n), new_b(n);
        std::vector<char> differs(n, 0);
        for (std::size_t u = 0; u < n; ++u) {
            new_a[u] = new_b[u] = "~" + loaded.layer.units[u].parent_code; // outside
        }
        for (std::size_t k = 0; k < compared.size(); ++k) {
            new_a[compared[k]] = c.new_a[k];
            new_b[compared[k]] = c.new_b[k];
            differs[compared[k]] = c.differs[k] ? 1 : 0;
        }
        // A plan's units: the old units dissolved by their new code (in code order).
        std::vector<std::string> keys_a;
        auto plan = [&](const std::vector<std::string>& new_of, std::vector<std::string>* keys) {
            geo::Grouping g;
            g.keys = new_of;
            std::sort(g.keys.begin(), g.keys.end());
            g.keys.erase(std::unique(g.keys.begin(), g.keys.end()), g.keys.end());
            for (const std::string& code : new_of) {
                g.group_of_unit.push_back(static_cast<std::uint32_t>(
                    std::lower_bound(g.keys.begin(), g.keys.end(), code) - g.keys.begin()));
            }
            if (keys != nullptr) {
                *keys = g.keys;
            }
            return geo::dissolve_layer(loaded, std::move(g)).result.geometry;
        };
        d.provinces = plan(new_a, &keys_a);
        d.other_units = plan(new_b, nullptr);
        d.province_code.assign(d.provinces.part_count(), "");
        d.province_name.assign(d.provinces.part_count(), "");
        sim::MapOptions o;
        if (run_a != nullptr && !run_a->provinces.empty()) {
            // Plan A's units of the province carry its code and name: the map's frame and
            // title; the units outside it are its grey surroundings.
            o.province = run_a->provinces.front().code;
            for (std::size_t j = 0; j < keys_a.size(); ++j) {
                if (!keys_a[j].starts_with("~")) {
                    d.province_code[j] = o.province;
                    d.province_name[j] = run_a->provinces.front().name;
                }
            }
        }
        for (std::size_t u = 0; u < n; ++u) {
            d.code.push_back(loaded.layer.units[u].code);
            d.name.push_back(loaded.layer.units[u].name);
            const bool inside = !o.province.empty() && !new_a[u].starts_with("~");
            d.province.push_back(inside ? o.province : loaded.layer.units[u].parent_code);
            d.differs.push_back(differs[u]);
        }
        d.units_label = "old units";
        d.provinces_label = "plan A: " + c.a.name;
        d.other_label = "plan B: " + c.b.name;
        o.metric = sim::MapMetric::difference;
        o.lang = m_lang;
        sim::write_map(d, o, m_map, m_policy);
    }

    static void print_json(const sim::PlanComparison& c) {
        auto plan = [](const sim::PlanFigures& f) {
            return nlohmann::json{{"name", f.name},
                                  {"units", f.units},
                                  {"below_standard", f.below_standard},
                                  {"meets_outright", f.meets_outright},
                                  {"mean_polsby_popper", f.mean_polsby_popper},
                                  {"commune_staffed", f.staffed},
                                  {"commune_norm", f.norm},
                                  {"surplus", f.surplus},
                                  {"payouts_5y_vnd", f.payouts_5y_vnd},
                                  {"payroll_before_vnd", f.payroll_before_vnd},
                                  {"payroll_after_vnd", f.payroll_after_vnd},
                                  {"staff_estimated", f.staff_estimated}};
        };
        nlohmann::json provinces = nlohmann::json::array();
        for (const sim::ProvinceComparison& p : c.provinces) {
            provinces.push_back({{"province", p.province},
                                 {"units_a", p.units_a},
                                 {"units_b", p.units_b},
                                 {"below_standard_a", p.below_a},
                                 {"below_standard_b", p.below_b},
                                 {"mean_polsby_popper_a", p.mean_pp_a},
                                 {"mean_polsby_popper_b", p.mean_pp_b},
                                 {"old_units", p.old_units},
                                 {"same_partners", p.same_partners}});
        }
        const nlohmann::json j = {{"old_units", c.old_units},
                                  {"adjusted_rand", c.adjusted_rand},
                                  {"same_partners", c.same_partners},
                                  {"a", plan(c.a)},
                                  {"b", plan(c.b)},
                                  {"provinces", provinces}};
        std::cout << j.dump(2) << '\n';
    }

    void print_text(const sim::PlanComparison& c) const {
        std::printf("'%s' (A) and '%s' (B) over %zu old units: adjusted Rand index %.3f; %.1f%% "
                    "of old units have the same partners\n",
                    c.a.name.c_str(),
                    c.b.name.c_str(),
                    c.old_units,
                    c.adjusted_rand,
                    100 * c.same_partners);
        std::printf("  %-28s %12s %12s\n", "", "A", "B");
        auto row = [](const char* what, double x, double y, const char* fmt) {
            std::printf("  %-28s ", what);
            std::printf(fmt, x);
            std::printf(" ");
            std::printf(fmt, y);
            std::printf("\n");
        };
        row("units", static_cast<double>(c.a.units), static_cast<double>(c.b.units), "%12.0f");
        row("below standard",
            static_cast<double>(c.a.below_standard),
            static_cast<double>(c.b.below_standard),
            "%12.0f");
        row("meet the standard outright",
            static_cast<double>(c.a.meets_outright),
            static_cast<double>(c.b.meets_outright),
            "%12.0f");
        row("mean Polsby-Popper", c.a.mean_polsby_popper, c.b.mean_polsby_popper, "%12.3f");
        row("commune staff (estimated)", c.a.staffed, c.b.staffed, "%12.0f");
        row("commune norm", c.a.norm, c.b.norm, "%12.0f");
        row("surplus", c.a.surplus, c.b.surplus, "%12.0f");
        row("payouts, 5 years, bn VND",
            c.a.payouts_5y_vnd / 1e9,
            c.b.payouts_5y_vnd / 1e9,
            "%12.1f");
        row("payroll after, bn VND/yr",
            c.a.payroll_after_vnd / 1e9,
            c.b.payroll_after_vnd / 1e9,
            "%12.1f");
        std::printf("  per province: units A/B, below standard A/B, mean Polsby-Popper A/B, "
                    "same partners\n");
        for (const sim::ProvinceComparison& p : c.provinces) {
            std::printf("    %-4s %4zu/%-4zu %4zu/%-4zu %.3f/%.3f %5.1f%%\n",
                        p.province.c_str(),
                        p.units_a,
                        p.units_b,
                        p.below_a,
                        p.below_b,
                        p.mean_pp_a,
                        p.mean_pp_b,
                        100 * p.same_partners);
        }
        if (!m_output.empty()) {
            std::printf("  -> %s (differences, provinces, summary)\n", m_output.c_str());
        }
    }

    std::string m_a, m_b, m_output, m_rules, m_map, m_province, m_lang = "vi";
    bool m_overwrite = false;
    geo::OutputPolicy m_policy;
};

} // namespace

std::unique_ptr<Command> make_compare_command() {
    return std::make_unique<CompareCommand>();
}

} // namespace amsim::cli
