#include "amsim/geo/equal_area.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace amsim::geo {
namespace {

TEST(EqualArea, ProjectedAreaAgreesWithTheGeodesicAreaInVietnam) {
    // A 1 x 1 degree cell near Hanoi, densified so straight edges follow the ellipsoid.
    PolygonSet s;
    const int n = 100;
    std::vector<Coord> ring;
    ring.reserve(4 * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        ring.push_back({105 + i / double(n), 21});
    }
    for (int i = 0; i < n; ++i) {
        ring.push_back({106, 21 + i / double(n)});
    }
    for (int i = 0; i < n; ++i) {
        ring.push_back({106 - i / double(n), 22});
    }
    for (int i = 0; i < n; ++i) {
        ring.push_back({105, 22 - i / double(n)});
    }
    s.add_ring(ring);
    s.end_part();
    Envelope e;
    e.expand(Coord{102, 8});
    e.expand(Coord{110, 23.4});
    const EqualAreaProjection proj("", e);
    const double projected = proj.project(s).part_area(0);
    const double geodesic = geodesic_area(s, 0);
    // About 11,600 km2; the two agree to better than 1e-5 relative.
    EXPECT_NEAR(geodesic / 1e6, 11600, 150);
    EXPECT_NEAR(projected / geodesic, 1.0, 1e-5);
}

} // namespace
} // namespace amsim::geo

namespace amsim::geo {
namespace {

TEST(EqualArea, ClosedFormAgreesWithProjOverTheCountryAndBeyond) {
    // Vietnam's extent and 20 degrees around it: the closed form and PROJ's LAEA agree to
    // a micrometre (they are the same formulas; the difference is rounding).
    Envelope e;
    e.expand(Coord{102.14, 7.18});
    e.expand(Coord{117.83, 23.39});
    const EqualAreaProjection proj("", e);
    std::vector<Coord> pts;
    // 85 to 135 E by 0.37 degrees, 10 S to 42 N by 0.29 (integer counters: no drift).
    for (int i = 0; 85 + 0.37 * i <= 135; ++i) {
        for (int j = 0; - 10 + 0.29 * j <= 42; ++j) {
            pts.push_back({85 + 0.37 * i, -10 + 0.29 * j});
        }
    }
    std::vector<Coord> closed = pts;
    std::vector<Coord> reference = pts;
    proj.project_in_place(closed);
    proj.project_with_proj(reference);
    double worst = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        worst =
            std::max(worst, std::hypot(closed[i].x - reference[i].x, closed[i].y - reference[i].y));
    }
    EXPECT_LT(worst, 1e-6) << "metres";
    // The centre maps to the origin, and 1 degree east of it to about 111 km east.
    std::vector<Coord> centre{{(102.14 + 117.83) / 2, (7.18 + 23.39) / 2}};
    proj.project_in_place(centre);
    EXPECT_NEAR(centre[0].x, 0, 20); // the centre is rounded to 1e-4 degree (11 m)
    EXPECT_NEAR(centre[0].y, 0, 20);
}

} // namespace
} // namespace amsim::geo
