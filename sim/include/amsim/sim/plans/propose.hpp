#pragma once
/// @file propose.hpp
/// Automatic merger proposals (issue 5). Old units are grouped into new units within each
/// new province (provinces are independent and solved in parallel): every unit once, groups
/// contiguous through shared borders (a unit without a land neighbour may stay alone), each
/// meeting the area and population standards of its type whenever the geography allows,
/// compact, and as many per province as the target.
///
/// The method: seeded region growing to the target count (the region furthest below its
/// standards grows first, taking the neighbour closest to its centre), then simulated
/// annealing over single-unit moves between neighbouring groups, each move keeping the donor
/// connected. The cost of a group is 10 if it fails its standard (after the profile's waiver),
/// plus 1 if it does not meet the standard itself (waived or not), plus its relative shortfall
/// of area and population against the standard, plus 2 x (1 - its Polsby-Popper score): the
/// search first avoids failures, then prefers groups that meet the standard outright, then
/// compact ones. (Weights chosen on the national layer: see docs/proposals.md.)
/// A group holding a unit of unknown population cannot be judged: unless waived, it counts as
/// failing (as in amsim run).
/// In fix-only mode (the next round) the units start alone and only those below standard are
/// merged, each with the neighbour that lowers the cost most, until none can be fixed; units
/// of unknown population are left as they are.
/// Deterministic for a given seed: the number of annealing steps is fixed; the time budget only
/// stops a province early (and says so).

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/geo/progress.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace amsim::sim {

/// One old unit as the proposer sees it.
struct ProposeUnit {
    std::string code;
    std::string name;
    std::string province; ///< new province code
    UnitType type = UnitType::xa;
    bool mountain = false;
    double area_km2 = 0;
    double population = 0;        ///< 0 when unknown
    bool population_known = true; ///< a group with a unit of unknown population cannot be
                                  ///< judged: it is not counted below standard
    double perimeter_km = 0;
    geo::Coord centre; ///< metres, equal-area projection
    /// The special zone (đặc khu) the scenario's plan puts the unit in, if any: the law made
    /// every island district one special zone, and a proposal keeps it so.
    std::string zone;
};

/// A border between two units, in km.
struct ProposeEdge {
    std::uint32_t a = 0, b = 0;
    double length_km = 0;
};

/// The standards a new unit of a province is judged by (from the rules profile).
struct ProvinceStandards {
    std::string province_class = "other"; ///< city | mountain | other
    /// [type xa, phuong][mountain?]: thresholds; absent = no numeric standard
    struct Threshold {
        std::optional<double> area_km2, population;
    };
    Threshold threshold[2][2];
    std::size_t waiver_min_units = 0;
    bool waiver_wards_only = false;
};

struct ProposeOptions {
    /// Target count per new province; a province without one keeps its number of units in
    /// fix-only mode, and gets a third of them otherwise.
    std::map<std::string, std::size_t> targets;
    std::vector<std::string> keep;             ///< old codes kept alone, unchanged
    std::map<std::string, std::string> locked; ///< old code -> group: groups kept as given
    bool fix_only = false;                     ///< merge only units below standard
    std::uint64_t seed = 1;
    std::size_t steps_per_unit = 10000; ///< annealing steps per unit of a province
    double time_budget_s = 0;           ///< 0 = none; else per province
    geo::ProgressFn progress;
};

/// One group of the proposal.
struct ProposedGroup {
    std::string province;
    std::vector<std::uint32_t> units; ///< ascending
    double area_km2 = 0, population = 0, perimeter_km = 0;
    UnitType type = UnitType::xa;
    bool mountain = false;
    bool population_known = true;
    bool meets_standard = false; ///< area and population at or above the standard itself
    bool passes = false;         ///< meets it, or is waived, or has no numeric standard
    [[nodiscard]] double polsby_popper() const;
};

struct ProvinceOutcome {
    std::string province;
    std::size_t units = 0, target = 0, groups = 0;
    std::size_t failing_before = 0;  ///< fix-only: units below standard at the start
    std::size_t failing = 0;         ///< groups below standard (after any waiver), population known
    std::size_t unknown = 0;         ///< groups holding a unit of unknown population
    std::size_t failing_unknown = 0; ///< not judged: not waived, and of unknown population
    double mean_polsby_popper = 0;
    bool stopped_by_budget = false;
    double seconds = 0;
};

struct Proposal {
    std::vector<ProposedGroup> groups; ///< by province, then by smallest unit
    std::vector<std::uint32_t> group_of_unit;
    std::vector<ProvinceOutcome> provinces; ///< by code
};

/// Proposes groups for units whose adjacency is `edges` (both directions not needed).
[[nodiscard]] Proposal propose(const std::vector<ProposeUnit>& units,
                               const std::vector<ProposeEdge>& edges,
                               const std::map<std::string, ProvinceStandards>& standards,
                               const ProposeOptions& options);

/// The standards of each new province of a scenario under a profile.
[[nodiscard]] std::map<std::string, ProvinceStandards>
province_standards(const Scenario& scenario, const RulesProfile& profile);

/// The units and borders of a scenario's base layer (loaded with its geometry), each unit in
/// its new province. A unit's type: phuong if the base type field (or its name's prefix)
/// says so, dac_khu likewise, else xa.
void propose_inputs(const Scenario& scenario,
                    const ScenarioCheck& check,
                    const geo::LoadedLayer& loaded,
                    std::vector<ProposeUnit>& units,
                    std::vector<ProposeEdge>& edges);

/// A name with the title of its type: the member's own title (Xã, Phường, Thị trấn, Đặc
/// khu; "Thị trấn" is abolished) replaced by the group's ("Thị trấn Ba Chẽ" in a xa is
/// "Xã Ba Chẽ").
[[nodiscard]] std::string titled(UnitType type, const std::string& name);

/// The proposal as a scenario over the same base: groups coded P<province>-<n> in order,
/// named after their most populous member with the group's title ("Thị trấn Ba Chẽ" in a
/// xa is "Xã Ba Chẽ": the title is abolished), typed as the law types a merger: a phường if
/// any member is one, a đặc khu for a special zone, else a xã.
[[nodiscard]] Scenario proposal_scenario(const Scenario& base,
                                         const std::vector<ProposeUnit>& units,
                                         const Proposal& proposal,
                                         const std::string& name,
                                         const std::string& rules);

/// The planner's tables for a proposal, each checked row by row (errors name file:line):
/// targets (province,count): a count is a whole number from 1 to the province's units;
/// kept units (code) and locked groups (code,group): codes of the base layer. A province or
/// code listed twice is an error naming both lines.
[[nodiscard]] std::map<std::string, std::size_t>
proposal_targets(const CsvTable& table, const std::map<std::string, std::size_t>& units_in);
[[nodiscard]] std::vector<std::string> proposal_keep(const CsvTable& table,
                                                     const std::set<std::string>& codes);
[[nodiscard]] std::map<std::string, std::string> proposal_lock(const CsvTable& table,
                                                               const std::set<std::string>& codes);
/// A unit both kept alone (`keep`, column code) and locked into a group (`lock`) is a
/// contradiction: an error naming both rows.
void check_keep_and_lock(const CsvTable& keep, const CsvTable& lock);

/// Writes a scenario (scenario.toml and mapping.csv) into dir as one output under the
/// policy (both or neither; see output_file.hpp); the base source is written relative to dir
/// when it is a path.
void write_scenario(const Scenario& scenario,
                    const std::string& dir,
                    const std::string& comment,
                    const geo::OutputPolicy& policy);

} // namespace amsim::sim
