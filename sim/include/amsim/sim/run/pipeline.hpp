#pragma once
/// @file pipeline.hpp
/// `amsim run` as one library call: load the base, check the scenario against it, build the
/// run in memory, compare it with official polygons if asked, write its GeoPackage.

#include "amsim/geo/output_file.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace amsim::sim {

struct RunOptions {
    std::string output; ///< .gpkg path; empty = nothing written
    /// What the output may replace (--overwrite); the run's own inputs never.
    geo::OutputPolicy policy;
    std::string source; ///< the base layer's source, resolved by the caller
    geo::ProgressFn progress;
    /// Official polygons of the new units to compare with (resolved source; empty = none),
    /// matched by code through `official_code`.
    std::string official;
    std::string official_code = "code";
    /// The staffing tables' options (estimated from the legal norms by default).
    StaffingOptions staffing;
    /// One new province (--province: a code or name, see find_province); empty = all.
    std::string province;
    /// The offices' table and parameters; none = the scenario's [offices].
    std::optional<OfficeParams> offices;
    /// A staff roster: official housing counted from its people (offices.hpp) where it
    /// covers a unit; empty = none.
    std::string roster;
};

struct RunResult {
    Run run;
    /// The scenario, mapping, base and rules profile with their SHA-256 (when an output was
    /// written: its provenance table holds the same).
    std::vector<RecordedInput> inputs;
    std::string output;
    std::string province_note; ///< how --province was read, when it named an old province
};

/// Runs a scenario whose check finds no error (ScenarioError otherwise).
[[nodiscard]] RunResult
run_scenario(const Scenario& scenario, const RulesProfile& profile, const RunOptions& options);

} // namespace amsim::sim
