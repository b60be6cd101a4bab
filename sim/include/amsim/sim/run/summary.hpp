#pragma once
/// @file summary.hpp
/// The national figures of a run: counts before and after, verdicts, and the agreement with
/// the official polygons when they were compared.

#include "amsim/sim/run/run.hpp"

#include <cstddef>
#include <optional>

namespace amsim::sim {

/// Intersection over union with the official polygons: how many compared, its quantiles and
/// how many fall below 0.5 and 0.8.
struct IouSummary {
    std::size_t compared = 0, missing = 0;
    double p10 = 0, p25 = 0, median = 0, p75 = 0;
    std::size_t below_0_5 = 0, below_0_8 = 0;
};

struct RunSummary {
    std::size_t old_units = 0, new_units = 0;
    std::size_t xa = 0, phuong = 0, dac_khu = 0;
    std::size_t old_provinces = 0, new_provinces = 0;
    std::size_t below_standard = 0, waived = 0, not_evaluated = 0;
    std::size_t population_unknown = 0; ///< not judged for want of a population (not waived)
    std::size_t waived_meeting = 0;     ///< waived, and meeting the standard anyway
    /// Units whose verdict (below standard or waived) differs when the waiver counts base
    /// units (split parts apart) instead of legal predecessors.
    std::size_t verdict_changed_by_counting = 0;
    std::size_t provinces_below_standard = 0;
    std::size_t provinces_population_unknown = 0;
    std::size_t split_units = 0;
    std::size_t divided_units = 0, divided_parts = 0; ///< by the scenario's split layer
    double reduction_pct = 0;                         ///< of the old units, gone
    std::optional<IouSummary> iou; ///< when the run was compared with official polygons
    // Offices (offices.hpp): old offices, those from the planner's table (the rest are
    // centroids), kept beside the seats, surplus; seats by how chosen; staff needing housing.
    std::size_t offices = 0, offices_from_table = 0, offices_kept = 0, offices_surplus = 0;
    std::size_t seats_by_table = 0, seats_by_mapping = 0, seats_by_official_point = 0,
                seats_estimated = 0;
    std::optional<double> housing_staff;
    std::size_t units_without_office = 0; ///< new units whose old units' offices went elsewhere
};

[[nodiscard]] RunSummary summarise(const Run& run);

} // namespace amsim::sim
