#pragma once
/// @file compare.hpp
/// Two plans over the same base layer side by side (issue 5): how far they agree (adjusted
/// Rand index of the two partitions of the old units, and the share of old units that end
/// up with exactly the same partners), and per plan and province the number of units, those
/// below standard, compactness, staff and payroll.

#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace amsim::sim {

/// Adjusted Rand index of two labellings of the same items (1 = the same partition, about 0
/// = as alike as chance). Labels are any integers.
[[nodiscard]] double adjusted_rand_index(const std::vector<std::uint32_t>& a,
                                         const std::vector<std::uint32_t>& b);

/// One plan's figures.
struct PlanFigures {
    std::string name;
    std::size_t units = 0;
    std::size_t below_standard = 0;
    std::size_t meets_outright = 0; ///< at or above the standard, waiver or not
    double mean_polsby_popper = 0;
    double staffed = 0, norm = 0, surplus = 0;
    double payouts_5y_vnd = 0, payroll_before_vnd = 0, payroll_after_vnd = 0;
    bool staff_estimated = true;
};

struct ProvinceComparison {
    std::string province;
    std::size_t units_a = 0, units_b = 0;
    std::size_t below_a = 0, below_b = 0;
    double mean_pp_a = 0, mean_pp_b = 0;
    std::size_t old_units = 0; ///< old units in the province (by plan A)
    double same_partners = 0;  ///< share of them with the same partners in both plans
};

struct PlanComparison {
    std::size_t old_units = 0;
    double adjusted_rand = 0;
    double same_partners = 0;
    PlanFigures a, b;
    std::vector<ProvinceComparison> provinces; ///< by code
    /// Per old unit (base layer order): its new unit in each plan (the one with the largest
    /// share), and whether its partners differ.
    std::vector<std::string> new_a, new_b;
    std::vector<bool> differs;
};

/// Whether two scenarios read the same base layer: the same path once resolved, or two files
/// with the same content (SHA-256), as a copied scenario folder has; and the same layer and
/// code field.
[[nodiscard]] bool same_base(const Scenario& a, const Scenario& b);

/// Compares two checked scenarios over the same base layer, from their runs. Throws
/// InputError if the base layers differ (another source, layer or code field).
[[nodiscard]] PlanComparison compare_plans(const Scenario& a,
                                           const Run& run_a,
                                           const Scenario& b,
                                           const Run& run_b,
                                           const std::vector<std::string>& old_codes);

} // namespace amsim::sim
