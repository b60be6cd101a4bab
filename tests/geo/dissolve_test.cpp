// Dissolve on hand-made coverages with exact expected results.

#include "amsim/geo/dissolve.hpp"

#include "amsim/geo/geos_context.hpp"
#include "amsim/geo/topology.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

struct Built {
    test::AsciiCoverage cov;
    Topology topo;
};

Built build(const std::string& art, double snap = 0) {
    Built b{test::make_coverage(art), {}};
    b.cov.geometry.normalize_orientation();
    TopologyOptions opt;
    opt.snap_tolerance = snap;
    b.topo = Topology::build(b.cov.geometry, opt);
    return b;
}

/// Polygons and holes of group g.
std::pair<std::size_t, std::size_t> shape(const DissolveResult& r, std::size_t g) {
    std::size_t polys = 0, holes = 0;
    for (std::uint32_t q = r.geometry.part_begin(g); q < r.geometry.part_end(g); ++q) {
        ++polys;
        holes += r.geometry.polygon_end(q) - r.geometry.polygon_begin(q) - 1;
    }
    return {polys, holes};
}

bool valid(const DissolveResult& r, std::size_t g) {
    GeosContext geos;
    GeomPtr p = geos.to_geos(r.geometry, g);
    return GEOSisValid_r(geos.handle(), p.get()) == 1;
}

TEST(Dissolve, AdjacentSquaresMergeIntoOneSquarePolygon) {
    Built b = build("AB/CD");
    std::vector<std::uint32_t> all(4, 0);
    const DissolveResult r = dissolve(b.topo, all, 1);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{1}, std::size_t{0}));
    EXPECT_DOUBLE_EQ(r.area[0], 4.0);
    EXPECT_DOUBLE_EQ(r.geometry.part_area(0), 4.0);
    // The shared borders are gone: only the 8 outline vertices remain.
    EXPECT_EQ(r.geometry.coord_count(), 8U);
    EXPECT_EQ(r.members[0], 4U);
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, RingAroundACentreKeepsTheHole) {
    // Eight units around a ninth; merging the eight leaves the centre as a hole.
    Built b = build("ABC/DEF/GHI");
    std::vector<std::uint32_t> groups(9, 0);
    groups[4] = 1; // E, the centre
    const DissolveResult r = dissolve(b.topo, groups, 2);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{1}, std::size_t{1}));
    EXPECT_DOUBLE_EQ(r.area[0], 8.0);
    EXPECT_DOUBLE_EQ(r.area[1], 1.0);
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, IslandsStaySeparatePolygonsOfOneGroup) {
    Built b = build("A.B/.../C..");
    std::vector<std::uint32_t> all(3, 0);
    const DissolveResult r = dissolve(b.topo, all, 1);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{3}, std::size_t{0}));
    EXPECT_DOUBLE_EQ(r.area[0], 3.0);
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, SquaresTouchingAtACornerGiveTwoValidPolygons) {
    Built b = build("A./.B");
    std::vector<std::uint32_t> all(2, 0);
    const DissolveResult r = dissolve(b.topo, all, 1);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{2}, std::size_t{0}));
    EXPECT_DOUBLE_EQ(r.area[0], 2.0);
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, GroupingByRowsGivesOnePolygonPerRow) {
    Built b = build("AAB/CDD");
    // Units: A(2 cells) B C D(2 cells); rows: {A,B} {C,D}.
    const std::vector<std::uint32_t> groups{0, 0, 1, 1};
    const DissolveResult r = dissolve(b.topo, groups, 2);
    EXPECT_DOUBLE_EQ(r.area[0], 3.0);
    EXPECT_DOUBLE_EQ(r.area[1], 3.0);
    // Nodes where inner borders met stay on the outline (collinear): 8 per row.
    EXPECT_EQ(r.geometry.coord_count(), 16U);
}

TEST(Dissolve, UnassignedUnitsAreLeftOut) {
    Built b = build("AB");
    const std::vector<std::uint32_t> groups{0, no_unit};
    const DissolveResult r = dissolve(b.topo, groups, 1);
    EXPECT_DOUBLE_EQ(r.area[0], 1.0);
    EXPECT_EQ(r.members[0], 1U);
}

TEST(Dissolve, ReDissolveWithAnotherGroupingOnTheSameTopology) {
    Built b = build("ABCD/EFGH");
    const std::vector<std::uint32_t> cols{0, 1, 2, 3, 0, 1, 2, 3};
    const std::vector<std::uint32_t> halves{0, 0, 1, 1, 0, 0, 1, 1};
    const DissolveResult r1 = dissolve(b.topo, cols, 4);
    const DissolveResult r2 = dissolve(b.topo, halves, 2);
    for (std::size_t g = 0; g < 4; ++g) {
        EXPECT_DOUBLE_EQ(r1.area[g], 2.0);
    }
    EXPECT_DOUBLE_EQ(r2.area[0], 4.0);
    EXPECT_DOUBLE_EQ(r2.area[1], 4.0);
}

TEST(Dissolve, AGapBetweenMembersBecomesAHole) {
    // A and B leave a 0.2 x 0.4 notch between them, closed on all sides by C below/above.
    PolygonSet set;
    const std::vector<Coord> a{
        {0, 0}, {1, 0}, {1, 0.3}, {0.9, 0.3}, {0.9, 0.7}, {1, 0.7}, {1, 1}, {0, 1}};
    const std::vector<Coord> b{
        {1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0.7}, {1.1, 0.7}, {1.1, 0.3}, {1, 0.3}};
    set.add_ring(a);
    set.end_part();
    set.add_ring(b);
    set.end_part();
    set.normalize_orientation();
    const Topology topo = Topology::build(set, {});
    const std::vector<std::uint32_t> all{0, 0};
    const DissolveResult r = dissolve(topo, all, 1);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{1}, std::size_t{1}));
    EXPECT_NEAR(r.area[0], 2.0 - 0.08, 1e-12);
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, AnOverlapBetweenMembersIsCountedOnceAndReported) {
    // B pushes a 0.2 x 0.4 bump into A; the union is the 2 x 1 rectangle.
    PolygonSet set;
    const std::vector<Coord> a{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    const std::vector<Coord> b{
        {1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0.7}, {0.8, 0.7}, {0.8, 0.3}, {1, 0.3}};
    set.add_ring(a);
    set.end_part();
    set.add_ring(b);
    set.end_part();
    set.normalize_orientation();
    TopologyOptions opt;
    opt.snap_tolerance = 1e-9; // inserts B's bump corners into A's border
    const Topology topo = Topology::build(set, opt);
    const std::vector<std::uint32_t> all{0, 0};
    const DissolveResult r = dissolve(topo, all, 1);
    EXPECT_NEAR(r.area[0], 2.0, 1e-12);
    EXPECT_NEAR(r.overlap_area[0], 0.08, 1e-12);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{1}, std::size_t{0}));
    EXPECT_TRUE(valid(r, 0));
}

DissolveResult dissolve_all(PolygonSet set) {
    set.normalize_orientation();
    TopologyOptions opt;
    opt.snap_tolerance = 1e-9;
    const Topology topo = Topology::build(set, opt);
    const std::vector<std::uint32_t> all(set.part_count(), 0);
    return dissolve(topo, all, 1);
}

TEST(Dissolve, AnOverlapWedgeTouchingTheOutlineAtANodeIsDroppedNotCrossed) {
    // B's border dips into A as a wedge whose apex side starts at (1, 1), a corner of the
    // union's outline: arcs must be paired at (1, 1) without crossing.
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {0.8, 0.6}, {1, 0.2}});
    set.end_part();
    const DissolveResult r = dissolve_all(std::move(set));
    EXPECT_NEAR(r.area[0], 2.0, 1e-12);
    EXPECT_NEAR(r.overlap_area[0], 0.08, 1e-12);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{1}, std::size_t{0}));
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, UnitsOverlappingAlongSameWayBordersGiveTheirUnion) {
    // B and C both lie on A's left half, their borders running the same way as A's on three
    // sides: the left half is covered three times. Union = A; overlap = 2 x 1.
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {2, 0}, {2, 1}, {1, 1}, {0, 1}});
    set.end_part();
    for (int copy = 0; copy < 2; ++copy) {
        set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
        set.end_part();
    }
    const DissolveResult r = dissolve_all(std::move(set));
    EXPECT_NEAR(r.area[0], 2.0, 1e-12);
    EXPECT_NEAR(r.overlap_area[0], 2.0, 1e-12);
    EXPECT_EQ(shape(r, 0), std::make_pair(std::size_t{1}, std::size_t{0}));
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, AnInletAlongASameWayBorderStaysInsideTheUnion) {
    // B follows A's bottom border the same way, then turns up into A: its part inside A is
    // an overlap; the union is A plus B's part below.
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {2, 0}, {2, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{0, 0}, {0, -1}, {1, -1}, {1, 0}, {1, 0.5}, {0, 0.5}});
    set.end_part();
    const DissolveResult r = dissolve_all(std::move(set));
    EXPECT_NEAR(r.area[0], 3.0, 1e-12);
    EXPECT_NEAR(r.overlap_area[0], 0.5, 1e-12);
    EXPECT_TRUE(valid(r, 0));
}

TEST(Dissolve, AreaIsConservedOnACleanCoverage) {
    // Any grouping of a clean coverage: group areas sum to the total exactly.
    Built b = build("ABCDE/FGHIJ/KLMNO/PQRST");
    std::vector<std::uint32_t> groups;
    for (std::uint32_t u = 0; u < 20; ++u) {
        groups.push_back((u * 7) % 5);
    }
    const DissolveResult r = dissolve(b.topo, groups, 5);
    double sum = 0;
    for (double a : r.area) {
        sum += a;
    }
    EXPECT_NEAR(sum, 20.0, 20.0 * 1e-12);
    for (std::size_t g = 0; g < 5; ++g) {
        EXPECT_TRUE(valid(r, g)) << g;
        EXPECT_NEAR(r.overlap_area[g], 0.0, 1e-12);
    }
}

} // namespace
} // namespace amsim::geo
