#pragma once
/// @file run.hpp
/// A run in memory: a checked scenario's new communes and provinces built on its base's
/// topology, their metrics and verdicts against a rules profile, the mapping and the staffing,
/// as typed data. Nothing here reads or writes a file but the staffing's optional tables;
/// run_file.hpp writes a run to a GeoPackage and reads it back.

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/offices.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <cstdint>
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
    /// Legal predecessors (whole or in part): the figures table's count, else the distinct
    /// old units of the mapping. The waiver counts these.
    std::size_t predecessors = 0;
    std::size_t base_units = 0;    ///< units of the base layer (split parts counted apart)
    std::size_t split_members = 0; ///< of which split between several new units
    std::size_t polygons = 0;
    double area_km2 = 0; ///< computed from the polygons
    double perimeter_km = 0;
    std::optional<double> population; ///< summed from the base layer's population field
    /// Part of that population is a divided unit's shared by area (an estimate).
    bool population_by_area = false;
    /// From the scenario's figures table (its label says which source), where it has them.
    std::optional<double> area_km2_figures;
    std::optional<double> population_figures;
    std::string seat_address;
    std::string region;        ///< the region class it was judged under (empty: default)
    std::string region_source; ///< table, base layer, or the estimate's rule
    double population_reduction_pct = 0;
    double polsby_popper = 0;               ///< 4 pi A / P^2
    std::optional<double> seat_distance_km; ///< farthest predecessor centroid from the seat
    bool seat_from_figures = false;         ///< the seat is the figures' point
    std::optional<geo::Coord> seat_at;      ///< the seat point, equal-area metres
    // Offices (offices.hpp): inherited, surplus, the seat's old unit, staff needing housing.
    std::size_t offices = 0, offices_surplus = 0;
    std::string seat_office;
    std::optional<double> housing_staff;
    bool housing_from_roster = false;    ///< housing_staff counts the roster's people
    std::optional<geo::Coord> seat_used; ///< the seat point distances are measured to
    std::optional<double> iou_official;  ///< intersection over union with the official unit
    Verdict verdict;
    /// The verdict counted the old way (the waiver on base units, split parts included)
    /// differs from this one: below standard or waived under one and not the other.
    bool verdict_changed_by_counting = false;
    geo::PolygonSet shape; ///< one part, in the base's CRS (empty if it has no polygon)

    [[nodiscard]] bool below_standard() const { return verdict.evaluated && !verdict.pass; }
    [[nodiscard]] bool population_unknown() const { return !verdict.population_known; }
    /// The figures a unit is judged on: the figures table's where it has them.
    [[nodiscard]] double judged_area() const { return area_km2_figures.value_or(area_km2); }
    [[nodiscard]] std::optional<double> judged_population() const {
        return population_figures ? population_figures : population;
    }
    [[nodiscard]] std::optional<double> density() const {
        const std::optional<double> p = judged_population();
        const double a = judged_area();
        return p && a > 0 ? std::optional<double>(*p / a) : std::nullopt;
    }
};

struct NewProvince {
    std::string code;
    std::string name;
    std::string type;
    std::string region;
    std::string capital;
    std::vector<std::string> members;
    double area_km2 = 0;              ///< computed from the polygons
    std::optional<double> population; ///< summed from the base layer
    bool population_by_area = false;  ///< never: divided units stay within their province
    std::optional<double> area_km2_figures, population_figures; ///< the figures table's
    std::size_t old_communes = 0;
    std::size_t xa = 0, phuong = 0, dac_khu = 0;
    std::size_t below_standard = 0;               ///< new communes failing their standard
    std::size_t offices = 0, offices_surplus = 0; ///< of its communes (offices.hpp)
    std::optional<double> housing_staff;
    Verdict verdict;
    geo::PolygonSet shape; ///< one part, in the base's CRS

    [[nodiscard]] std::size_t new_communes() const { return xa + phuong + dac_khu; }
    [[nodiscard]] double judged_area() const { return area_km2_figures.value_or(area_km2); }
    [[nodiscard]] std::optional<double> judged_population() const {
        return population_figures ? population_figures : population;
    }
    /// Share of its old communes that are gone, in percent.
    [[nodiscard]] double reduction_pct() const {
        return old_communes > 0 ? 100.0 * (1.0 - static_cast<double>(new_communes()) /
                                                     static_cast<double>(old_communes))
                                : 0.0;
    }
};

/// One mapping row as the run resolved it.
struct MappedUnit {
    std::size_t row = 0;    ///< in the scenario's mapping
    std::uint32_t unit = 0; ///< in the base
    std::string old_code, new_code;
    std::string old_name, old_official_code; ///< as the base gives them (official: if it has one)
    double share = 1;
    std::string old_province;
    std::string new_province;
    bool takes_geometry = false; ///< the row whose new unit gets the old unit's polygon
};

/// A run: the typed results of one scenario under one rules profile.
struct Run {
    std::string scenario;       ///< the scenario's name
    std::string scope;          ///< the new province the run was cut to (--province); empty = whole
    std::string rules_profile;  ///< the profile's name
    std::string default_region; ///< the profile's, for units whose region was not given
    std::string figures_label;  ///< source of the scenario's figures ("official")
    std::string population_label;                ///< source of the base's population field
    std::vector<NewCommune> communes;            ///< by code
    std::vector<NewProvince> provinces;          ///< by code
    std::vector<MappedUnit> mapping;             ///< as the scenario's mapping rows
    std::string crs_wkt;                         ///< of the shapes (the base's)
    std::optional<StaffingReport> staffing;      ///< when built (BuildOptions::staffing)
    std::vector<Office> offices;                 ///< the old units' offices (offices.hpp)
    std::optional<RosterHousing> housing_roster; ///< when a roster gave the housing
    OfficeParams office_params;
    std::size_t old_units = 0; ///< the parts of a unit the split layer divided count once
    std::size_t old_provinces = 0;
    std::size_t divided_units = 0;    ///< by the scenario's split layer
    std::size_t divided_parts = 0;    ///< the parts they were divided into
    std::size_t split_units = 0;      ///< old units mapped in parts: geometry goes to the largest
    std::size_t official_missing = 0; ///< new units with no official polygon of their code
    bool official_compared = false;
    std::vector<geo::Diagnostic> findings;
    geo::Timings timings;
};

struct BuildOptions {
    bool staffing = true; ///< the staffing estimate (or table) and its roadmap
    StaffingOptions staffing_options;
    geo::ProgressFn progress;
    std::optional<OfficeParams> offices{}; ///< none: the scenario's [offices] (office_params)
};

/// Builds a run in memory from a base, a scenario checked against it (require_checked) and a
/// rules profile. No file is written.
[[nodiscard]] Run build_run(const Base& base,
                            const Scenario& scenario,
                            const ScenarioCheck& check,
                            const RulesProfile& profile,
                            const BuildOptions& options = {});

/// Builds one new province of a run again after its part of the mapping changed (the
/// scenario and check given are the changed ones; the province mergers must be the run's):
/// its new communes, their metrics and verdicts, and the province's counts, on the base's
/// topology. Nothing national is redone: the province's outline, area and population do not
/// change with its communes. The staffing is not rebuilt: it is dropped from the run.
void rebuild_province(Run& run,
                      const Base& base,
                      const Scenario& scenario,
                      const ScenarioCheck& check,
                      const RulesProfile& profile,
                      const std::string& province);

/// Intersection over union of each new commune with the official polygon of its code (read
/// from `source`, code field `code_field`); units without one are counted.
void compare_with_official(Run& run,
                           const Base& base,
                           const std::string& source,
                           const std::string& code_field,
                           const geo::ProgressFn& progress = {});

/// The shapes of all new communes (part g = communes[g]) or provinces, in one set.
[[nodiscard]] geo::PolygonSet commune_shapes(const Run& run);
[[nodiscard]] geo::PolygonSet province_shapes(const Run& run);

/// What a commune's figures carry with them, in words (not contiguous, region defaulted,
/// unconfirmed value, split members), "; "-joined for a table cell.
[[nodiscard]] std::string commune_flags(const NewCommune& commune, const Run& run);

} // namespace amsim::sim
