#include "amsim/geo/equal_area.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace amsim::geo {
namespace {

TEST(EqualArea, ProjectedAreaAgreesWithTheGeodesicAreaInVietnam) {
    // A 1 x 1 degree cell near Hanoi, densified so straight edges follow the ellipsoid.
    PolygonSet s;
    std::vector<Coord> ring;
    const int n = 100;
    for (int i = 0; i < n; ++i)
        ring.push_back({105 + i / double(n), 21});
    for (int i = 0; i < n; ++i)
        ring.push_back({106, 21 + i / double(n)});
    for (int i = 0; i < n; ++i)
        ring.push_back({106 - i / double(n), 22});
    for (int i = 0; i < n; ++i)
        ring.push_back({105, 22 - i / double(n)});
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
