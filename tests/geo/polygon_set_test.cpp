#include "amsim/geo/polygon_set.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace amsim::geo {
namespace {

TEST(PolygonSet, ShoelaceAreaSignFollowsOrientation) {
    const std::vector<Coord> ccw{{0, 0}, {2, 0}, {2, 1}, {0, 1}};
    EXPECT_DOUBLE_EQ(signed_area(ccw), 2.0);
    const std::vector<Coord> cw{{0, 0}, {0, 1}, {2, 1}, {2, 0}};
    EXPECT_DOUBLE_EQ(signed_area(cw), -2.0);
    EXPECT_DOUBLE_EQ(ring_length(ccw), 6.0);
}

TEST(PolygonSet, ClosingVertexIsDroppedAndHolesSubtract) {
    PolygonSet s;
    s.add_ring(std::vector<Coord>{{0, 0}, {0, 4}, {4, 4}, {4, 0}, {0, 0}}); // clockwise shell
    s.add_ring(std::vector<Coord>{{1, 1}, {2, 1}, {2, 2}, {1, 2}});         // ccw hole
    s.end_part();
    EXPECT_EQ(s.coord_count(), 8U);
    s.normalize_orientation();
    EXPECT_GT(signed_area(s.ring(0)), 0);
    EXPECT_LT(signed_area(s.ring(1)), 0);
    EXPECT_DOUBLE_EQ(s.part_area(0), 15.0);
}

TEST(PolygonSet, LocatesPointsInsideOutsideAndOnTheBoundary) {
    const std::vector<Coord> sq{{0, 0}, {2, 0}, {2, 2}, {0, 2}};
    EXPECT_EQ(locate_in_ring({1, 1}, sq), 1);
    EXPECT_EQ(locate_in_ring({3, 1}, sq), 0);
    EXPECT_EQ(locate_in_ring({2, 1}, sq), -1);
}

TEST(PolygonSet, ReplacePartKeepsTheOthers) {
    PolygonSet s;
    s.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    s.end_part();
    s.add_ring(std::vector<Coord>{{5, 5}, {6, 5}, {6, 6}, {5, 6}});
    s.end_part();
    PolygonSet r;
    r.add_ring(std::vector<Coord>{{0, 0}, {3, 0}, {3, 3}, {0, 3}});
    r.end_part();
    s.replace_part(0, r);
    EXPECT_EQ(s.part_count(), 2U);
    EXPECT_DOUBLE_EQ(s.part_area(0), 9.0);
    EXPECT_DOUBLE_EQ(s.part_area(1), 1.0);
}

} // namespace
} // namespace amsim::geo
