#pragma once
/// @file base.hpp
/// A scenario's base: the layer of the old units read, checked and with its topology built,
/// once. Every command that works on a scenario (check, run, staff, propose, compare) loads
/// it here; a run, a province rebuilt after an edit, or both plans of a comparison reuse it.

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace amsim::sim {

struct BaseOptions {
    std::string source; ///< the base layer's source, resolved by the caller
    /// Keep the units' source geometry (centroids, maps); without it shapes come from the
    /// topology.
    bool keep_geometry = true;
    /// Build the topology (areas, neighbours, dissolve). Without it the layer is only read,
    /// as `amsim check` needs: codes, provinces, types, whether each unit has a geometry.
    bool topology = true;
    geo::ProgressFn progress;
};

/// The old units of a scenario's base, as every stage after loading needs them.
struct Base {
    std::string source;
    geo::LoadedLayer loaded; ///< layer, topology, areas, projection (topology: if built)
    std::vector<OldUnit> units;
    std::unordered_map<std::string, std::uint32_t> unit_of_code;
    /// The fields a run reads, per unit: population (none: unknown) and region class.
    std::vector<std::optional<double>> population;
    std::vector<std::string> region;
    /// The units the scenario's split layer divided, and their parts (none without one).
    std::optional<geo::SplitReport> split;
    /// Per unit: its population is a share, by area, of a divided unit's (an estimate).
    std::vector<bool> population_by_area;

    [[nodiscard]] std::uint32_t unit(const std::string& code) const {
        return unit_of_code.at(code);
    }
};

/// Reads the base layer `spec` describes (from `options.source`): its units, their
/// population and region fields (an InputError names a bad value's feature and field). The
/// units `spec.splits` divides are replaced by their parts first; a part takes the unit's
/// population by area unless the split layer gives its own.
[[nodiscard]] Base load_base(const BaseLayer& spec, const BaseOptions& options);

/// Every code a planner may give an old unit by -> the base's code: the base's own codes and,
/// with `[base] official_code`, the official ones (a unit drawn in pieces: its first piece).
[[nodiscard]] std::map<std::string, std::string> old_code_lookup(const Scenario& scenario,
                                                                 const Base& base);

/// Checks a scenario against its base and stops (ScenarioError, pointing at `amsim check`)
/// if the check found an error: every stage after this starts from a consistent scenario.
[[nodiscard]] ScenarioCheck require_checked(const Scenario& scenario, const Base& base);

} // namespace amsim::sim
