// amsim ensemble SCENARIO -o DIR --plans N [--shard I/K]: lawful alternative plans drawn by a
// ReCom chain, one SQLite file per shard; amsim ensemble summarise DIR...: the shards merged,
// and where the scenario's plan (and any compared) falls among them.

#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/plans/ensemble_job.hpp"
#include "amsim/sim/plans/ensemble_store.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "../common.hpp"

namespace amsim::cli {

namespace {

namespace fs = std::filesystem;

class EnsembleCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("args",
                       m_args,
                       "A scenario (file or directory); or 'summarise' and the shard files or "
                       "directories to merge; or 'export', the scenario, and the shard files "
                       "or directories holding --plan")
            ->required();
        app.add_option("-o,--output",
                       m_output,
                       "Directory for the shard files (plans-I-of-K.sqlite); for summarise, for "
                       "the report and tables (default the first directory given)");
        app.add_option(
               "--plans", m_opt.plans, "Plans of the whole run, every shard together (default 100)")
            ->check(in_range(1, 1e9));
        app.add_option("--seed", m_opt.seed, "Random seed (default 1): same seed, same plans");
        app.add_option("--shard",
                       m_shard,
                       "This shard of a run split in K: I/K, 1 <= I <= K (default 1/1); K "
                       "shards of N/K plans hold exactly the plans of one run of N");
        add_province_option(app, m_opt.province);
        app.add_option("--plans-per-chain",
                       m_opt.plans_per_chain,
                       "Plans between independent restarts from the plan (default 50)")
            ->check(in_range(1, 1e9));
        app.add_option("--burn-in",
                       m_opt.burn_in,
                       "Sweeps before a chain's first plan (a sweep: one step per new unit; "
                       "default 100)")
            ->check(in_range(0, 1e6));
        app.add_option("--thin", m_opt.thin, "Sweeps between recorded plans (default 5)")
            ->check(in_range(1, 1e6));
        app.add_option("--reduction",
                       m_opt.reduction,
                       "Plans with this percentage fewer units than the scenario's in each "
                       "province (the next round); the scenario's plan is still the reference")
            ->check(in_range(0, 99));
        app.add_option("--compare",
                       m_compare,
                       "Another plan over the same base (a scenario) to place among the "
                       "ensemble, beside the scenario's own; repeat the option for more")
            ->allow_extra_args(false);
        app.add_option("--rules",
                       m_rules,
                       "Rules profile the plans must meet (default the "
                       "scenario's)");
        app.add_option("--plan",
                       m_plan,
                       "export: the plan to write as a scenario (its number, from 0, as in "
                       "ensemble-plans.csv)");
        app.add_flag("--no-partitions",
                     m_no_partitions,
                     "Keep only each plan's metrics, not its partition (smaller files)");
        app.add_option("--lang", m_lang, "summarise: the report's language, vi (default) or en")
            ->check(CLI::IsMember({"vi", "en"}));
        app.add_flag("--overwrite", m_overwrite, "Replace existing outputs");
        app.footer("Examples:\n"
                   "  amsim ensemble scenarios/vn-2025 -o data/work/ensemble --plans 1000\n"
                   "  amsim ensemble summarise data/work/ensemble\n"
                   "  amsim ensemble export scenarios/vn-2025 data/work/ensemble --plan 17 "
                   "-o data/work/plan-17\n"
                   "  amsim ensemble scenarios/vn-2025 -o data/work/ensemble --plans 100000 "
                   "--shard 3/16   (one task of a cluster job: scripts/slurm/submit-ensemble.sh)\n"
                   "See docs/ensembles.md.");
    }

    int run(const GlobalOptions& global) override {
        m_policy.overwrite = m_overwrite;
        if (m_args.front() == "summarise" || m_args.front() == "summarize") {
            return summarise(global);
        }
        if (m_args.front() == "export") {
            return export_plan(global);
        }
        if (m_args.size() != 1) {
            throw UsageError("ensemble takes one scenario (or: ensemble summarise DIR...)");
        }
        if (m_output.empty()) {
            throw UsageError("ensemble: -o DIR is required (the directory of the shard files)");
        }
        parse_shard();
        sim::EnsembleJob job;
        job.scenario = open_scenario(m_args.front(), global);
        job.source = resolve_source(job.scenario.base.source, global);
        job.profile = command_profile(job.scenario, m_rules);
        protect_scenario(m_policy, job.scenario, global);
        for (const std::string& c : m_compare) {
            sim::Scenario other = open_scenario(c, global);
            protect_scenario(m_policy, other, global);
            job.compare.emplace_back(other.name, std::move(other));
        }
        m_opt.partitions = !m_no_partitions;
        m_opt.progress = make_progress(global);
        job.options = m_opt;
        job.output = m_output;
        job.policy = m_policy;
        // The record of runs: what made the shard, its inputs with checksums, its counts.
        const std::string shard =
            (fs::path(m_output) / sim::shard_file_name(m_opt.shard, m_opt.shards)).string();
        sim::RunRecord rec;
        rec.started = sim::utc_now();
        rec.command = "ensemble";
        rec.scenario = fs::absolute(job.scenario.path).string();
        rec.scenario_name = job.scenario.name;
        rec.rules = job.profile.name;
        rec.parameters = nlohmann::json{
            {"plans", m_opt.plans},
            {"seed", m_opt.seed},
            {"shard", m_opt.shard + 1},
            {"shards", m_opt.shards},
            {"province", m_opt.province},
            {"reduction", m_opt.reduction},
            {"plans_per_chain", m_opt.plans_per_chain},
            {"burn_in", m_opt.burn_in},
            {"thin", m_opt.thin},
            {"compare",
             m_compare}}.dump();
        rec.outputs = json_paths({shard});
        RecordedRun recorded(global, rec);
        const sim::EnsembleJobResult r = sim::run_ensemble_job(job);
        recorded.wrote(r.path);
        rec.inputs = r.inputs; // hashed once, for the shard's meta and the record
        std::uint64_t accepted = 0;
        for (const sim::ChainStats& c : r.result.chains) {
            accepted += c.accepted;
        }
        rec.summary = nlohmann::json{
            {"plans", r.result.plans.size() / std::max<std::size_t>(1, r.result.provinces.size())},
            {"provinces", r.result.provinces.size()},
            {"steps", r.result.steps},
            {"accepted",
             accepted}}.dump();
        rec.seconds = r.result.seconds;
        recorded.complete(rec);
        print_run(global, r);
        return 0;
    }

private:
    void parse_shard() {
        if (m_shard.empty()) {
            return;
        }
        const auto slash = m_shard.find('/');
        std::size_t i = 0, k = 0;
        try {
            std::size_t used = 0;
            i = std::stoul(m_shard.substr(0, slash), &used);
            if (slash == std::string::npos || used != slash) {
                throw std::invalid_argument("no I/K");
            }
            k = std::stoul(m_shard.substr(slash + 1), &used);
            if (used != m_shard.size() - slash - 1) {
                throw std::invalid_argument("no I/K");
            }
        } catch (const std::exception&) {
            throw UsageError("--shard " + m_shard + ": expected I/K, e.g. 3/16");
        }
        if (k == 0 || i == 0 || i > k || k > 1000000) {
            throw UsageError("--shard " + m_shard + ": needs 1 <= I <= K <= 1000000");
        }
        m_opt.shard = i - 1;
        m_opt.shards = k;
    }

    void print_run(const GlobalOptions& global, const sim::EnsembleJobResult& r) const {
        const sim::EnsembleResult& e = r.result;
        const double rate = e.seconds > 0 ? static_cast<double>(e.steps) / e.seconds : 0;
        const std::size_t lo = m_opt.shard * m_opt.plans / m_opt.shards;
        const std::size_t hi = (m_opt.shard + 1) * m_opt.plans / m_opt.shards;
        std::uint64_t accepted = 0, fallback = 0;
        for (const sim::ChainStats& c : e.chains) {
            accepted += c.accepted;
            fallback += c.fallback;
        }
        if (global.json) {
            nlohmann::json j = {{"file", r.path},
                                {"plans", hi - lo},
                                {"first_plan", lo},
                                {"shard", m_opt.shard + 1},
                                {"shards", m_opt.shards},
                                {"provinces", e.provinces.size()},
                                {"steps", e.steps},
                                {"accepted", accepted},
                                {"fallback", fallback},
                                {"seconds", e.seconds},
                                {"steps_per_second", rate}};
            std::cout << j.dump(2) << '\n';
            return;
        }
        if (!r.province_how.empty()) {
            std::printf("%s\n", r.province_how.c_str());
        }
        std::printf("ensemble: plans %zu-%zu of %zu (shard %zu/%zu), %zu province(s) -> %s\n",
                    lo + (hi > lo ? 1 : 0),
                    hi,
                    m_opt.plans,
                    m_opt.shard + 1,
                    m_opt.shards,
                    e.provinces.size(),
                    r.path.c_str());
        const double steps = static_cast<double>(std::max<std::uint64_t>(1, e.steps));
        std::printf("  %llu chain steps in %.1f s (%.0f steps/s), %.1f %% accepted, %.1f %% by "
                    "the fallback cut (no lawful one)\n",
                    static_cast<unsigned long long>(e.steps),
                    e.seconds,
                    rate,
                    100 * static_cast<double>(accepted) / steps,
                    100 * static_cast<double>(fallback) / steps);
        std::printf("  next: amsim ensemble summarise %s\n", m_output.c_str());
    }

    int export_plan(const GlobalOptions& global) {
        if (m_args.size() < 3 || m_output.empty() || !m_plan) {
            throw UsageError("ensemble export SCENARIO DIR... --plan I -o OUTDIR: the scenario, "
                             "the shard files or their directories, the plan, the output");
        }
        sim::EnsemblePlanExport job;
        job.scenario = open_scenario(m_args[1], global);
        job.source = resolve_source(job.scenario.base.source, global);
        job.profile = command_profile(job.scenario, m_rules);
        job.inputs.assign(m_args.begin() + 2, m_args.end());
        job.plan = *m_plan;
        job.output = m_output;
        job.policy = m_policy;
        protect_scenario(job.policy, job.scenario, global);
        for (const std::string& f : job.inputs) {
            job.policy.protect(f);
        }
        const sim::EnsemblePlanExported e = sim::export_ensemble_plan(job);
        if (global.json) {
            std::cout << nlohmann::json{{"scenario", m_output + "/scenario.toml"},
                                        {"name", e.scenario.name},
                                        {"plan", *m_plan},
                                        {"provinces", e.provinces}}
                             .dump(2)
                      << '\n';
            return 0;
        }
        std::printf("plan %zu of the ensemble (%zu province(s) from the plan, the others as "
                    "the scenario has them) -> %s/scenario.toml\n  next: amsim run %s -o <dir>; "
                    "amsim serve %s\n",
                    *m_plan,
                    e.provinces.size(),
                    m_output.c_str(),
                    m_output.c_str(),
                    m_output.c_str());
        return 0;
    }

    int summarise(const GlobalOptions& global) {
        sim::SummaryOptions o;
        o.inputs.assign(m_args.begin() + 1, m_args.end());
        if (o.inputs.empty()) {
            throw UsageError("ensemble summarise: give the shard files or their directories");
        }
        o.output = m_output;
        if (o.output.empty()) {
            std::error_code ec;
            if (!fs::is_directory(o.inputs.front(), ec)) {
                throw UsageError("ensemble summarise: -o DIR is needed when the first input "
                                 "is a file");
            }
            o.output = o.inputs.front();
        }
        o.lang = m_lang;
        o.policy = m_policy;
        for (const std::string& f : o.inputs) {
            o.policy.protect(f);
        }
        const sim::EnsembleSummary s = sim::summarise_ensemble(o);
        if (global.json) {
            nlohmann::json metrics = nlohmann::json::array();
            for (const sim::MetricSummary& m : s.metrics) {
                metrics.push_back({{"province", m.province},
                                   {"metric", m.metric},
                                   {"median", m.median},
                                   {"p05", m.p05},
                                   {"p95", m.p95},
                                   {"rhat", m.rhat},
                                   {"value", m.reference},
                                   {"percentile", m.percentile}});
            }
            std::cout << nlohmann::json{{"plans", s.plans},
                                        {"distinct", s.distinct},
                                        {"shards_missing", s.shards_missing},
                                        {"files", s.files},
                                        {"metrics", metrics}}
                             .dump(2)
                      << '\n';
            return 0;
        }
        std::printf("ensemble of '%s': %zu plans (%zu distinct), %zu chains, shards %zu of %zu\n",
                    s.meta.scenario.c_str(),
                    s.plans,
                    s.distinct,
                    s.chains,
                    s.shards_found.size(),
                    s.meta.shards);
        if (!s.shards_missing.empty()) {
            std::printf("  WARNING: shards missing:");
            for (const std::size_t k : s.shards_missing) {
                std::printf(" %zu", k);
            }
            std::printf(" (the summary covers the shards given)\n");
        }
        std::printf("  %-20s %12s %10s %12s %22s %7s\n",
                    "metric",
                    "plan",
                    "pct",
                    "median",
                    "5-95 %",
                    "R-hat");
        for (const sim::MetricSummary& m : s.metrics) {
            if (!m.province.empty()) {
                break;
            }
            const auto v = m.reference.find("plan");
            std::printf("  %-20s %12.4g %9.1f%% %12.4g %10.4g - %-9.4g %7.3f\n",
                        m.metric.c_str(),
                        v != m.reference.end() ? v->second : 0.0,
                        v != m.reference.end() ? m.percentile.at("plan") : 0.0,
                        m.median,
                        m.p05,
                        m.p95,
                        m.rhat);
        }
        // Plans compared with --compare: value (percentile) of each national metric.
        for (const auto& [name, value] : s.metrics.front().reference) {
            if (name == "plan") {
                continue;
            }
            std::printf("  %s:", name.c_str());
            for (const sim::MetricSummary& m : s.metrics) {
                if (m.province.empty()) {
                    std::printf(" %s %.4g (%.1f%%)",
                                m.metric.c_str(),
                                m.reference.at(name),
                                m.percentile.at(name));
                }
            }
            std::printf("\n");
        }
        for (const std::string& f : s.files) {
            std::printf("  -> %s\n", f.c_str());
        }
        return 0;
    }

    std::vector<std::string> m_args;
    std::string m_output, m_shard, m_rules, m_lang = "vi";
    std::vector<std::string> m_compare;
    std::optional<std::size_t> m_plan;
    bool m_no_partitions = false, m_overwrite = false;
    sim::EnsembleOptions m_opt;
    geo::OutputPolicy m_policy;
};

} // namespace

std::unique_ptr<Command> make_ensemble_command() {
    return std::make_unique<EnsembleCommand>();
}

} // namespace amsim::cli
