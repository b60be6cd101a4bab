#pragma once
/// @file region.hpp
/// A group of old units as the plan searches see it (propose, ensemble): sums that make its
/// verdict, its cost and a change of its members O(1), and its verdict against a province's
/// standards. Internal to sim.

#include "amsim/sim/plans/propose.hpp"

#include <algorithm>
#include <numbers>

namespace amsim::sim {

constexpr double fail_weight = 10;
constexpr double miss_weight = 1; ///< below the standard itself, waived or not
constexpr double compact_weight = 2;
constexpr double shortfall_weight = 1;

/// A group under construction: sums that make its cost and its moves O(degree).
struct Region {
    double area = 0, pop = 0, mountain_area = 0, perimeter = 0;
    double sx = 0, sy = 0; ///< area-weighted centre sums
    int n = 0;
    int wards = 0;   ///< members that are phường
    int unknown = 0; ///< units of unknown population
    bool frozen = false;
    bool has_zone = false; ///< holds a special zone (kept alone)
};

/// Region r with unit p added (sign +1) or removed (-1), given p's border with r's units.
inline void change(Region& x, const ProposeUnit& p, int sign, double border) {
    const double s = sign;
    x.area += s * p.area_km2;
    x.pop += s * p.population;
    x.mountain_area += p.mountain ? s * p.area_km2 : 0;
    x.perimeter += s * (p.perimeter_km - 2 * border);
    x.sx += s * p.area_km2 * p.centre.x;
    x.sy += s * p.area_km2 * p.centre.y;
    x.n += sign;
    x.wards += p.type == UnitType::phuong ? sign : 0;
    x.unknown += p.population_known ? 0 : sign;
    x.has_zone = x.has_zone || (sign > 0 && (p.type == UnitType::dac_khu || !p.zone.empty()));
}

struct Judged {
    bool meets = false, passes = false, ward = false, mountain = false;
    double cost = 0;
};

/// A region against its province's standards, and its cost.
inline Judged judge_region(const Region& r, const ProvinceStandards& st) {
    Judged j;
    j.ward = r.wards > 0; // a ward merged with any unit is a ward (Res 76; RULES.md 1.4)
    j.mountain = 2 * r.mountain_area > r.area;
    if (r.has_zone) {
        j.meets = j.passes = true; // special zones have no numeric standard
        return j;
    }
    const ProvinceStandards::Threshold& th = st.threshold[j.ward ? 1 : 0][j.mountain ? 1 : 0];
    double shortfall = 0;
    j.meets = true;
    if (th.area_km2) {
        j.meets = j.meets && r.area >= *th.area_km2;
        shortfall += std::max(0.0, 1 - r.area / *th.area_km2);
    }
    if (th.population && r.unknown == 0) {
        j.meets = j.meets && r.pop >= *th.population;
        shortfall += std::max(0.0, 1 - r.pop / *th.population);
    }
    const bool waived = st.waiver_min_units > 0 &&
                        static_cast<std::size_t>(r.n) >= st.waiver_min_units &&
                        (!st.waiver_wards_only || j.ward);
    j.meets = j.meets && r.unknown == 0;
    j.passes = j.meets || waived; // the waiver holds whatever the population (amsim run)
    const double pp =
        r.perimeter > 0 ? 4 * std::numbers::pi * r.area / (r.perimeter * r.perimeter) : 0;
    j.cost = (j.passes ? 0 : fail_weight) + (j.meets ? 0 : miss_weight) +
             shortfall_weight * shortfall + compact_weight * (1 - pp);
    return j;
}

} // namespace amsim::sim
