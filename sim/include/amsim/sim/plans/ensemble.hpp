#pragma once
/// @file ensemble.hpp
/// Ensembles of lawful merger plans (issue 18): where a plan falls among the plans the law
/// allows, as redistricting asks of a district map (GerryChain, redist, frcw.rs).
///
/// The chain, in each new province independently (docs/ensembles.md):
/// - The state: every old unit of the province in one new unit; as many new units as the
///   scenario's plan has there. Units of a special zone (đặc khu) keep their plan's unit.
/// - A step (ReCom, DeFord, Duchin and Solomon 2021): an edge of the province's adjacency graph
///   joining two new units is drawn uniformly (so pairs with longer common borders in units
///   are drawn more often); the old units of both are merged; a uniform random spanning tree
///   of them is drawn (Wilson's algorithm); of the tree's edges, those whose removal leaves two
///   lawful parts (each meets the standards of its type and region, or is waived, as amsim run
///   judges) are candidates, and one is cut, uniformly. Where no edge gives two lawful parts,
///   an edge whose parts fail no more often than the two units did is a candidate instead
///   (the standards are constraints where the geography allows, and the chain never makes a
///   pair worse); with no candidate a new tree is drawn, up to 3 times, then the step is
///   rejected (the plan stays). Accepted proposals are taken without a Metropolis
///   correction: like GerryChain's ReCom, the chain's stationary distribution is not known in
///   closed form; the report gives mixing diagnostics (split R-hat across restarts, the
///   acceptance rate, distinct plans).
/// - Restarts: plans come in chains of `plans_per_chain`; every chain starts from the plan
///   (independent restarts), runs `burn_in` sweeps, then records a plan every `thin` sweeps;
///   a sweep is as many steps as the province has new units.
/// - Randomness: xoshiro256** seeded from (seed, chain, province), so plan i of a run of N is
///   the same plan in any shard that holds it, on any machine, and a province's plans do not
///   depend on the others (--province gives the national run's plans of that province).
///
/// Every plan, the given one included, is judged on the same terms: areas from the polygons,
/// population from the base layer, the seat at the most populous member, staff estimated per
/// old unit (as amsim staff's estimate) and summed.

#include "amsim/geo/progress.hpp"
#include "amsim/sim/plans/propose.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace amsim::sim {

/// The graph and facts the chain works on.
struct EnsembleInput {
    std::vector<ProposeUnit> units;
    std::vector<ProposeEdge> edges;
    std::map<std::string, ProvinceStandards> standards;
    /// The plan the chain starts from: per old unit, its new unit's key (groups within
    /// provinces). Its metrics are the reference the ensemble is read against.
    std::vector<std::string> start;
    /// Staff per old unit (from_communes, from_districts, cadres, non-specialised and salary):
    /// as a plan where each old unit stands alone; empty = no staffing metrics.
    std::vector<NewUnitStaff> unit_staff;
    StaffingParams staffing;
    RoadmapParams roadmap;
};

struct EnsembleOptions {
    std::size_t plans = 100; ///< plans of the whole run (every shard together)
    std::uint64_t seed = 1;
    std::size_t shard = 0, shards = 1; ///< this shard (0-based) of how many
    std::size_t plans_per_chain = 50;  ///< plans between restarts
    std::size_t burn_in = 100;         ///< sweeps before a chain's first plan
    std::size_t thin = 5;              ///< sweeps between recorded plans
    std::string province;              ///< one new province's code; empty = every one
    double reduction = 0;              ///< % fewer units than the plan (reduced_plan)
    bool partitions = true;            ///< keep each plan's partition (labels), not only metrics
    geo::ProgressFn progress;
};

/// The metrics of one plan in one new province (sums over its new units; means are sums
/// divided by `units` where shown).
struct PlanMetrics {
    std::size_t units = 0;
    std::size_t below = 0;    ///< below standard after any waiver (population known)
    std::size_t outright = 0; ///< meeting the standard itself
    std::size_t waived = 0;   ///< below it but waived
    std::size_t cut_edges = 0;
    double polsby_popper_sum = 0; ///< sum over units
    double seat_km_sum = 0;       ///< sum over units of the farthest member from the seat
    double seat_km_max = 0;
    double staffed = 0, norm = 0, surplus = 0; ///< surplus: sum of positive surpluses
    double payouts_vnd = 0;                    ///< 5-year roadmap's payouts
    std::uint64_t checksum = 0;                ///< of the partition (labels aside)
};

/// The metrics by name, for tables: name, value (means divided out).
[[nodiscard]] std::vector<std::pair<std::string, double>> metric_values(const PlanMetrics& m);
/// Sums province metrics into national ones (the checksum combines them in order).
void add_metrics(PlanMetrics& total, const PlanMetrics& province);

/// One province of one plan.
struct PlanRecord {
    std::size_t plan = 0, chain = 0;
    std::string province;
    PlanMetrics metrics;
    std::vector<std::uint16_t> labels; ///< per old unit of the province: canonical new unit
};

/// The chain's counts per chain and province.
struct ChainStats {
    std::size_t chain = 0;
    std::string province;
    std::uint64_t steps = 0, accepted = 0, fallback = 0, rejected = 0;
};

struct EnsembleResult {
    std::vector<std::string> provinces;                    ///< in code order
    std::map<std::string, std::vector<std::string>> codes; ///< old codes per province
    std::vector<PlanRecord> plans;                         ///< by plan, then province
    std::vector<ChainStats> chains;
    double seconds = 0;
    std::uint64_t steps = 0;
};

/// The plans [shard * plans / shards, (shard + 1) * plans / shards) of a run.
[[nodiscard]] EnsembleResult run_ensemble(const EnsembleInput& input,
                                          const EnsembleOptions& options);

/// A plan with `pct` per cent fewer new units in each province (rounded, at least one): again
/// and again, the two neighbouring new units with the fewest people together are merged (the
/// merged unit keeps the smaller key; special zones are kept). The ensemble of a further
/// reduction starts there ("10 % beyond the plan").
[[nodiscard]] std::vector<std::string> reduced_plan(const EnsembleInput& input, double pct);

/// The metrics of a plan given as a new unit's key per old unit (as EnsembleInput::start),
/// per province.
[[nodiscard]] std::map<std::string, PlanMetrics> plan_metrics(const EnsembleInput& input,
                                                              const std::vector<std::string>& plan);

} // namespace amsim::sim
