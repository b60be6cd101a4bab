// amsim propose SCENARIO -o DIR: a merger plan over the scenario's base layer (or, for the
// next round, over the new units of one of its runs), written as a scenario amsim run takes.

#include "amsim/sim/plans/propose.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/outputs/report.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "../common.hpp"

namespace amsim::cli {

namespace {

namespace fs = std::filesystem;

/// A scenario whose base is the communes layer of a run: each new commune is an old unit of
/// its own, each province kept as it is.
sim::Scenario next_round_scenario(const sim::Scenario& s, const std::string& run_gpkg) {
    sim::Scenario n;
    n.path = s.path;
    n.name = s.name + "-next";
    n.description = "The new units of a run of '" + s.name + "'";
    n.rules = s.rules;
    n.base.source = run_gpkg;
    n.base.layer = "communes";
    n.base.mapping.code = "code";
    n.base.mapping.name = "name";
    n.base.mapping.parent = "province_code";
    n.base.mapping.type = "type";
    n.base.population_field = "population";
    for (const sim::ProvinceMerger& m : s.provinces) {
        sim::ProvinceMerger kept = m;
        kept.members = {m.code};
        kept.capital = m.code;
        n.provinces.push_back(kept);
    }
    return n;
}

class ProposeCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option("-o,--output",
                       m_output,
                       "Directory for the proposal's scenario.toml and "
                       "mapping.csv (created)")
            ->required();
        app.add_flag("--overwrite", m_overwrite, "Replace an existing proposal in the directory");
        app.add_option(
            "--rules", m_rules, "Rules profile to meet (default the scenario's; e.g. vn-2026)");
        app.add_option("--next-round",
                       m_run,
                       "Start from the new units of this run of the scenario (its GeoPackage, "
                       "from amsim run) instead of the old units");
        app.add_flag("--fix-only",
                     m_fix_only,
                     "Merge only the units below standard, each with its best neighbour; the "
                     "others stay as they are (the next round)");
        app.add_option("--targets",
                       m_targets,
                       "Units wanted per new province (CSV: province, count); default the "
                       "scenario's own count per province");
        app.add_option("--reduction",
                       m_reduction,
                       "Instead of targets: this percentage fewer units than the scenario's plan "
                       "in each province (than the units given, for a next round)")
            ->check(in_range(0, 99));
        app.add_option("--keep", m_keep, "Units kept alone and unchanged (CSV: code)");
        app.add_option(
            "--lock", m_lock, "Groups fixed by the planner (CSV: code, group): kept as given");
        app.add_option("--seed", m_opt.seed, "Random seed (default 1): same seed, same plan");
        add_province_option(app, m_province);
        app.add_option(
               "--steps-per-unit", m_opt.steps_per_unit, "Annealing steps per unit (default 10000)")
            ->check(in_range(0, 1e7));
        app.add_option("--time-budget",
                       m_opt.time_budget_s,
                       "Seconds per province at most (default none; a province stopped by it "
                       "is reported, and its plan may then depend on the machine)")
            ->check(in_range(0, 1e6));
        app.add_option("--name", m_name, "Name of the proposal (default <scenario>-proposal)");
        app.footer("Examples:\n"
                   "  amsim propose scenarios/vn-2025 -o data/work/proposals/vn-2025\n"
                   "  amsim run data/work/proposals/vn-2025 -o data/work/runs\n"
                   "  amsim compare scenarios/vn-2025 data/work/proposals/vn-2025\n"
                   "  amsim propose scenarios/vn-2025 --next-round data/work/runs/vn-2025.gpkg "
                   "--rules vn-2026 --fix-only -o data/work/proposals/vn-2026");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario given = open_scenario(m_path, global);
        const sim::RulesProfile profile = command_profile(given, m_rules);
        // The base and, by default, the targets: the scenario's own plan per province.
        const bool next = !m_run.empty();
        const std::string name =
            !m_name.empty() ? m_name : given.name + (next ? "-next-round" : "-proposal");
        // The proposal's two files are checked before the work; the scenario it starts from,
        // its mapping, base and tables are never written over.
        m_policy.overwrite = m_overwrite;
        protect_scenario(m_policy, given, global);
        for (const std::string& in : {profile.path, m_run, m_targets, m_keep, m_lock}) {
            m_policy.protect(in);
        }
        const std::vector<std::string> outputs = {(fs::path(m_output) / "mapping.csv").string(),
                                                  (fs::path(m_output) / "scenario.toml").string()};
        for (const std::string& o : outputs) {
            geo::check_output(o, m_policy);
        }
        sim::RunRecord rec;
        rec.started = sim::utc_now();
        rec.command = "propose";
        rec.scenario = fs::absolute(given.path).string();
        rec.scenario_name = name;
        rec.rules = profile.name;
        rec.parameters = nlohmann::json{{"rules", profile.name},
                                        {"next_round", m_run},
                                        {"fix_only", m_fix_only},
                                        {"reduction", m_reduction ? *m_reduction : -1.0},
                                        {"seed", m_opt.seed},
                                        {"steps_per_unit", m_opt.steps_per_unit},
                                        {"time_budget_s", m_opt.time_budget_s}}
                             .dump();
        rec.outputs = json_paths(outputs);
        RecordedRun recorded(global, rec);
        if (next) {
            sim::require_run(m_run);
        }
        const sim::Scenario s = next ? next_round_scenario(given, m_run) : given;
        sim::BaseOptions bo;
        bo.source = resolve_source(s.base.source, global);
        bo.keep_geometry = true; // centres
        bo.progress = make_progress(global);
        const sim::Base base = sim::load_base(s.base, bo);
        const geo::LoadedLayer& loaded = base.loaded;
        sim::ScenarioCheck check;
        if (next) {
            for (const sim::ProvinceMerger& m : s.provinces) {
                check.new_province_of[m.code] = m.code;
            }
        } else {
            check = sim::require_checked(s, base);
            for (const auto& [code, rows] : check.members) {
                ++m_opt.targets[check.province_of_new.at(code)];
            }
        }
        std::vector<sim::ProposeUnit> units;
        std::vector<sim::ProposeEdge> edges;
        sim::propose_inputs(s, check, loaded, units, edges);
        apply_targets_and_keeps(units);
        if (!m_province.empty()) {
            lock_other_provinces(s, check, units);
        }
        m_opt.fix_only = m_fix_only;
        m_opt.progress = make_progress(global);
        const auto t0 = std::chrono::steady_clock::now();
        const sim::Proposal proposal =
            sim::propose(units, edges, sim::province_standards(s, profile), m_opt);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        sim::Scenario out = sim::proposal_scenario(s, units, proposal, name, profile.name);
        out.description += std::string(m_fix_only ? ", fix-only" : "") + " under rules '" +
                           profile.name + "', seed " + std::to_string(m_opt.seed);
        if (next) {
            // The base path as given, resolved by write_scenario relative to the output.
            out.base.source = fs::absolute(m_run).string();
        }
        sim::write_scenario(out,
                            m_output,
                            "Generated by: amsim propose " + m_path + " (see docs/proposals.md)",
                            m_policy);
        for (const std::string& o : outputs) {
            recorded.wrote(o);
        }
        nlohmann::json j = summary(proposal, units.size(), seconds, name);
        if (!m_province_code.empty()) {
            j["province"] = m_province_code;
        }
        j["figures_carried"] = !out.commune_figures_path.empty();
        j["figures_source"] = out.figures_label;
        if (m_reduction) {
            j["reduction_pct"] = *m_reduction;
            j["reduction_from"] = m_reduction_from;
            j["reduction_from_units"] = m_reduction_units;
        }
        // The record of runs: inputs with checksums, the national figures.
        rec.inputs = {sim::record_input("scenario", given.path),
                      sim::record_input("base", base.source),
                      sim::record_input("rules", profile.path)};
        if (!next) {
            rec.inputs.push_back(sim::record_input("mapping", given.mapping_path));
        }
        for (const auto& [role, path] : {std::pair<std::string, std::string>{"targets", m_targets},
                                         {"keep", m_keep},
                                         {"lock", m_lock}}) {
            if (!path.empty()) {
                rec.inputs.push_back(sim::record_input(role, path));
            }
        }
        nlohmann::json national = j;
        national.erase("provinces");
        rec.summary = national.dump();
        rec.timings = nlohmann::json{{"propose", seconds}}.dump();
        rec.seconds = seconds;
        recorded.complete(rec);
        report(global, j);
        return 0;
    }

private:
    /// --province: the other provinces keep the scenario's plan (their units locked into
    /// their new units); the proposal changes the one province.
    void lock_other_provinces(const sim::Scenario& s,
                              const sim::ScenarioCheck& check,
                              const std::vector<sim::ProposeUnit>& units) {
        if (check.members.empty()) {
            throw UsageError("--province needs a scenario with a plan (not --next-round)");
        }
        std::string how;
        const std::string province = sim::find_province(s, check, m_province, how);
        m_province_code = province;
        if (!how.empty()) {
            std::printf("%s\n", how.c_str());
        }
        std::map<std::string, std::pair<std::string, double>> plan; // old code -> new, share
        for (const sim::MappingRow& m : s.mapping) {
            auto& [code, share] = plan[m.old_code];
            if (m.share > share) {
                code = m.new_code;
                share = m.share;
            }
        }
        for (const sim::ProposeUnit& u : units) {
            if (u.province != province) {
                m_opt.locked.emplace(u.code, "plan:" + plan[u.code].first);
            }
        }
        // The other provinces' targets are their plan's counts (--reduction and --targets
        // apply to this province alone).
        std::map<std::string, std::size_t> planned;
        for (const auto& [code, rows] : check.members) {
            ++planned[check.province_of_new.at(code)];
        }
        for (const auto& [p, n] : planned) {
            if (p != province) {
                m_opt.targets[p] = n;
            }
        }
        if (m_reduction) {
            m_reduction_units = planned[province];
            m_reduction_from = "province " + province + "'s plan";
        }
    }

    /// The targets (--reduction, --targets) and the units kept or locked (--keep, --lock).
    void apply_targets_and_keeps(const std::vector<sim::ProposeUnit>& units) {
        std::map<std::string, std::size_t> units_in;
        for (const sim::ProposeUnit& u : units) {
            ++units_in[u.province];
        }
        if (m_reduction) {
            // "10 % beyond the plan": from the scenario's own units per province, where it has
            // a plan; from the units given (a next round's) otherwise.
            const std::map<std::string, std::size_t> from =
                m_opt.targets.empty() ? units_in : m_opt.targets;
            m_reduction_from = m_opt.targets.empty() ? "the units given" : "the scenario's plan";
            m_reduction_units = 0;
            m_opt.targets.clear();
            for (const auto& [p, n] : from) {
                m_reduction_units += n;
                m_opt.targets[p] =
                    std::max<std::size_t>(1,
                                          static_cast<std::size_t>(std::lround(
                                              static_cast<double>(n) * (1 - *m_reduction / 100))));
            }
        }
        if (!m_targets.empty()) {
            for (const auto& [p, n] : sim::proposal_targets(sim::read_table(m_targets), units_in)) {
                m_opt.targets[p] = n;
            }
        }
        std::set<std::string> codes;
        for (const sim::ProposeUnit& u : units) {
            codes.insert(u.code);
        }
        const sim::CsvTable keep = m_keep.empty() ? sim::CsvTable{} : sim::read_table(m_keep);
        const sim::CsvTable lock = m_lock.empty() ? sim::CsvTable{} : sim::read_table(m_lock);
        if (!m_keep.empty()) {
            m_opt.keep = sim::proposal_keep(keep, codes);
        }
        if (!m_lock.empty()) {
            m_opt.locked = sim::proposal_lock(lock, codes);
        }
        if (!m_keep.empty() && !m_lock.empty()) {
            sim::check_keep_and_lock(keep, lock);
        }
    }

    /// The proposal's figures, nationally and per province.
    [[nodiscard]] nlohmann::json summary(const sim::Proposal& p,
                                         std::size_t n_units,
                                         double seconds,
                                         const std::string& name) const {
        std::size_t failing = 0, before = 0, meets = 0, target = 0, budget = 0, unknown = 0;
        std::size_t failing_unknown = 0;
        double pp = 0;
        nlohmann::json provinces = nlohmann::json::array();
        for (const sim::ProvinceOutcome& o : p.provinces) {
            failing += o.failing;
            before += o.failing_before;
            target += o.target;
            budget += o.stopped_by_budget;
            unknown += o.unknown;
            failing_unknown += o.failing_unknown;
            provinces.push_back({{"province", o.province},
                                 {"units", o.units},
                                 {"target", o.target},
                                 {"groups", o.groups},
                                 {"failing_before", o.failing_before},
                                 {"failing", o.failing},
                                 {"unknown_population", o.unknown},
                                 {"failing_unknown_population", o.failing_unknown},
                                 {"mean_polsby_popper", o.mean_polsby_popper},
                                 {"stopped_by_budget", o.stopped_by_budget},
                                 {"seconds", o.seconds}});
        }
        for (const sim::ProposedGroup& g : p.groups) {
            meets += g.meets_standard;
            pp += g.polsby_popper();
        }
        return {{"name", name},
                {"output", m_output},
                {"units", n_units},
                {"groups", p.groups.size()},
                {"target", target},
                {"failing", failing},
                {"failing_before", before},
                {"unknown_population", unknown},
                {"failing_unknown_population", failing_unknown},
                {"meet_standard_outright", meets},
                {"mean_polsby_popper",
                 p.groups.empty() ? 0 : pp / static_cast<double>(p.groups.size())},
                {"stopped_by_budget", budget},
                {"seconds", seconds},
                {"provinces", provinces}};
    }

    void report(const GlobalOptions& global, const nlohmann::json& j) const {
        if (global.json) {
            std::cout << j.dump(2) << '\n';
            return;
        }
        const auto n = [&](const char* k) { return j.at(k).get<std::size_t>(); };
        const std::string name = j.at("name").get<std::string>();
        std::printf("proposal '%s' -> %s/scenario.toml\n", name.c_str(), m_output.c_str());
        if (j.contains("reduction_from")) {
            std::printf("  %g %% fewer units than %s (%zu units)\n",
                        j.at("reduction_pct").get<double>(),
                        j.at("reduction_from").get<std::string>().c_str(),
                        n("reduction_from_units"));
        }
        if (m_fix_only) {
            std::printf("  %zu units -> %zu; below standard: %zu before, %zu after (and %zu units "
                        "of unknown population, left as they are)\n",
                        n("units"),
                        n("groups"),
                        n("failing_before"),
                        n("failing"),
                        n("failing_unknown_population"));
        } else {
            std::printf("  %zu units -> %zu (target %zu); below standard %zu (and %zu not "
                        "judged, population unknown); %zu meet the standard outright (without "
                        "the waiver); judged on the polygons and the base layer's fields\n",
                        n("units"),
                        n("groups"),
                        n("target"),
                        n("failing"),
                        n("failing_unknown_population"),
                        n("meet_standard_outright"));
        }
        for (const auto& p : j.at("provinces")) {
            if (j.contains("province") && p.at("province") == j.at("province")) {
                std::printf("  province %s (the others as the plan has them): %zu units -> %zu "
                            "(target %zu); below standard %zu\n",
                            p.at("province").get<std::string>().c_str(),
                            p.at("units").get<std::size_t>(),
                            p.at("groups").get<std::size_t>(),
                            p.at("target").get<std::size_t>(),
                            p.at("failing").get<std::size_t>());
            }
        }
        if (j.value("figures_carried", false)) {
            std::printf("  amsim run judges the units that kept their old units on the plan's "
                        "own figures and regions (%s), so its count may differ: amsim compare "
                        "shows both plans judged alike\n",
                        j.at("figures_source").get<std::string>().c_str());
        }
        std::printf("  mean Polsby-Popper %.3f; %.1f s",
                    j.at("mean_polsby_popper").get<double>(),
                    j.at("seconds").get<double>());
        if (n("stopped_by_budget") > 0) {
            std::printf("; %zu province(s) stopped by the time budget", n("stopped_by_budget"));
        }
        if (m_run.empty()) {
            std::printf("\n  next: amsim run %s -o <dir>; amsim compare %s %s\n",
                        m_output.c_str(),
                        m_path.c_str(),
                        m_output.c_str());
        } else {
            std::printf("\n  next: amsim run %s -o <dir>\n", m_output.c_str());
        }
    }

    std::string m_path, m_output, m_rules, m_run, m_targets, m_keep, m_lock, m_name;
    std::string m_reduction_from;
    std::string m_province;
    std::string m_province_code; ///< the new province --province names
    std::size_t m_reduction_units = 0;
    std::optional<double> m_reduction;
    bool m_fix_only = false;
    bool m_overwrite = false;
    geo::OutputPolicy m_policy;
    sim::ProposeOptions m_opt;
};

} // namespace

std::unique_ptr<Command> make_propose_command() {
    return std::make_unique<ProposeCommand>();
}

} // namespace amsim::cli
