#pragma once
// Hand-made maps for the plan searches' tests (propose, ensemble): grids of 1 km squares.

#include "amsim/sim/plans/propose.hpp"

#include <map>
#include <string>
#include <vector>

namespace amsim::sim {

/// A row or grid of 1 km squares: unit i at column i % width, row i / width, each with
/// `pop` people, borders of 1 km between 4-neighbours, all in province "P".
struct Map {
    std::vector<ProposeUnit> units;
    std::vector<ProposeEdge> edges;
};

inline Map grid(std::size_t width, std::size_t height, double pop) {
    Map m;
    for (std::size_t i = 0; i < width * height; ++i) {
        ProposeUnit u;
        u.code = "u" + std::to_string(i);
        u.name = u.code;
        u.province = "P";
        u.area_km2 = 1;
        u.population = pop;
        u.perimeter_km = 4;
        const std::size_t column = i % width, row = i / width;
        u.centre = {1000.0 * static_cast<double>(column), 1000.0 * static_cast<double>(row)};
        m.units.push_back(u);
    }
    for (std::size_t i = 0; i < width * height; ++i) {
        if (i % width + 1 < width) {
            m.edges.push_back(
                {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1), 1});
        }
        if (i + width < width * height) {
            m.edges.push_back(
                {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + width), 1});
        }
    }
    return m;
}

/// Standards of a commune: `area` km2 and `pop` people, no waiver.
inline std::map<std::string, ProvinceStandards>
standards(double area, double pop, std::size_t waiver = 0) {
    ProvinceStandards st;
    for (auto& by_type : st.threshold) {
        for (auto& t : by_type) {
            t = {area, pop};
        }
    }
    st.waiver_min_units = waiver;
    return {{"P", st}, {"Q", st}};
}

} // namespace amsim::sim
