#include "amsim/sim/run/pipeline.hpp"

#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/run/run_file.hpp"

#include <chrono>

namespace amsim::sim {

RunResult run_scenario(const Scenario& s, const RulesProfile& profile, const RunOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    BaseOptions bo;
    bo.source = options.source;
    bo.keep_geometry = true; // predecessors' centroids
    bo.progress = options.progress;
    const Base base = load_base(s.base, bo);
    const ScenarioCheck check = require_checked(s, base);
    RunResult out;
    const std::string province = options.province.empty()
                                     ? ""
                                     : find_province(s, check, options.province, out.province_note);
    BuildOptions build;
    build.staffing_options = options.staffing;
    build.progress = options.progress;
    build.offices = options.offices;
    out.output = options.output;
    out.run = build_run(base, s, check, profile, build);
    if (!options.official.empty()) {
        compare_with_official(
            out.run, base, options.official, options.official_code, options.progress);
    }
    if (!options.roster.empty()) {
        (void)roster_housing(out.run, base, s, options.roster);
    }
    if (!province.empty()) {
        out.run = run_for_province(out.run, province);
    }
    geo::report(options.progress, "run: write", 0);
    if (!options.output.empty()) {
        // Checksummed once: the output's provenance and the record of runs both use them.
        out.inputs = {record_input("scenario", s.path),
                      record_input("mapping", s.mapping_path),
                      record_input("base", options.source),
                      record_input("rules", profile.path)};
        geo::OutputPolicy policy = options.policy;
        if (!s.overrides_path.empty()) {
            out.inputs.push_back(record_input("overrides", s.overrides_path));
        }
        if (!options.roster.empty()) {
            out.inputs.push_back(record_input("roster", options.roster));
            policy.protect(options.roster);
        }
        if (!out.run.office_params.table.empty()) {
            out.inputs.push_back(record_input("offices", out.run.office_params.table));
            policy.protect(out.run.office_params.table);
        }
        if (s.base.splits) {
            out.inputs.push_back(record_input("splits", s.base.splits->source));
            policy.protect(s.base.splits->source);
        }
        for (const std::string& in : {options.official,
                                      options.staffing.table,
                                      options.staffing.ages,
                                      options.staffing.capitals}) {
            policy.protect(in);
        }
        write_run_file(options.output, out.run, s, profile, out.inputs, policy);
    }
    geo::report(options.progress, "run: write", 1);
    out.run.timings.emplace_back(
        "run", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return out;
}

} // namespace amsim::sim
