#pragma once
/// @file run.hpp
/// Running a checked scenario: the new communes and provinces built on the base layer's
/// topology, their metrics and verdicts against the rules profile, and the summary tables,
/// written into one GeoPackage.

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/rules_profile.hpp"
#include "amsim/sim/run_record.hpp"
#include "amsim/sim/scenario.hpp"
#include "amsim/sim/staffing.hpp"

#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

/// One new commune-level unit with its metrics and verdict.
struct NewCommune {
    std::string code;
    std::string name;
    UnitType type = UnitType::xa;
    std::string province;
    std::size_t predecessors = 0;  ///< old units (whole or in part)
    std::size_t split_members = 0; ///< of which split between several new units
    std::size_t polygons = 0;
    double area_km2 = 0;
    double perimeter_km = 0;
    std::optional<double> population;
    double polsby_popper = 0;               ///< 4 pi A / P^2
    std::optional<double> seat_distance_km; ///< farthest predecessor centroid from the seat
    std::optional<double> iou_official;     ///< intersection over union with the official unit
    Verdict verdict;
    std::string flags; ///< not contiguous, region defaulted, unconfirmed value...
};

struct NewProvince {
    std::string code;
    std::string name;
    std::string type;
    std::string region;
    std::string capital;
    std::vector<std::string> members;
    double area_km2 = 0;
    std::optional<double> population;
    std::size_t old_communes = 0;
    std::size_t xa = 0, phuong = 0, dac_khu = 0;
    std::size_t below_standard = 0; ///< new communes failing their standard
    Verdict verdict;
};

struct RunResult {
    std::vector<NewCommune> communes; ///< by code
    StaffingReport staffing;
    /// The scenario, mapping, base and rules profile with their SHA-256 (when an output was
    /// written: its provenance table holds the same).
    std::vector<RecordedInput> inputs;
    std::vector<NewProvince> provinces; ///< by code
    std::size_t old_units = 0;
    std::size_t old_provinces = 0;
    std::size_t split_units = 0; ///< old units mapped in parts: geometry goes to the largest
    std::vector<geo::Diagnostic> findings;
    std::string output;
    geo::Timings timings;
    std::size_t official_missing = 0; ///< new units with no official polygon of their code
};

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
};

/// Runs a scenario whose check found no error (ScenarioError otherwise).
[[nodiscard]] RunResult
run_scenario(const Scenario& scenario, const RulesProfile& profile, const RunOptions& options);

} // namespace amsim::sim
