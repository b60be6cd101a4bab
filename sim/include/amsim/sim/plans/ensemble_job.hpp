#pragma once
/// @file ensemble_job.hpp
/// `amsim ensemble`'s one call: a scenario's base loaded and checked, its graph, standards and
/// staff per old unit (ensemble_input), the chain run for one shard, the shard's file written
/// beside the metrics of the scenario's plan and of any plan compared with it.

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/plans/ensemble.hpp"
#include "amsim/sim/plans/ensemble_store.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <string>
#include <utility>
#include <vector>

namespace amsim::sim {

/// The ensemble's inputs from a checked scenario over its loaded base: old units and borders
/// (as propose sees them), the standards of each new province, the scenario's plan, and the
/// staff of each old unit as amsim staff estimates it (default parameters).
[[nodiscard]] EnsembleInput ensemble_input(const Scenario& scenario,
                                           const ScenarioCheck& check,
                                           const geo::LoadedLayer& loaded,
                                           const RulesProfile& profile);

/// A scenario's plan over units (of the same base): each old unit's new unit code (a unit
/// split among new units: the one with the largest share). ScenarioError if a unit has none.
[[nodiscard]] std::vector<std::string> scenario_plan(const Scenario& scenario,
                                                     const std::vector<ProposeUnit>& units);

struct EnsembleJob {
    Scenario scenario;
    std::string source; ///< its base layer's source, resolved
    RulesProfile profile;
    /// Other plans over the same base to read against the ensemble: name, scenario.
    std::vector<std::pair<std::string, Scenario>> compare;
    EnsembleOptions options;
    std::string output; ///< directory of the shard files
    geo::OutputPolicy policy;
};

struct EnsembleJobResult {
    std::string path;         ///< the shard's file
    std::string province_how; ///< how an old province's code was read, if it was
    EnsembleResult result;
    ReferencePlans references;
    std::vector<RecordedInput> inputs; ///< scenario, mapping, base, rules with their checksums
};

[[nodiscard]] EnsembleJobResult run_ensemble_job(const EnsembleJob& job);

/// One plan of an ensemble written as a scenario (scenario.toml and mapping.csv in `output`),
/// for amsim run, serve, compare: the provinces the shards hold take the plan's partition,
/// the others keep the scenario's plan; new units coded and named as amsim propose does
/// (P<province>-<n>, after the most populous member, typed as the law types a merger).
struct EnsemblePlanExport {
    Scenario scenario;  ///< the ensemble's scenario
    std::string source; ///< its base layer's source, resolved
    RulesProfile profile;
    std::vector<std::string> inputs; ///< the shard files, or their directories
    std::size_t plan = 0;
    std::string output;
    geo::OutputPolicy policy;
};

struct EnsemblePlanExported {
    Scenario scenario;
    std::vector<std::string> provinces; ///< those the plan changed
};

EnsemblePlanExported export_ensemble_plan(const EnsemblePlanExport& job);

} // namespace amsim::sim
