// Topology: exact matching, snapping, adjacency and border lengths on hand-made layers.

#include "amsim/geo/topology.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

Topology build(PolygonSet& set, double snap = 0) {
    set.normalize_orientation();
    TopologyOptions opt;
    opt.snap_tolerance = snap;
    return Topology::build(set, opt);
}

TEST(Topology, GridOfFourHasFourAdjacentPairsAndUnitBorders) {
    auto cov = test::make_coverage("AB/CD");
    const Topology t = build(cov.geometry);
    const auto adj = t.adjacency();
    ASSERT_EQ(adj.size(), 4U); // A-B, A-C, B-D, C-D; corners A-D and B-C touch at a point only
    for (const Adjacency& a : adj) {
        EXPECT_DOUBLE_EQ(a.length, 1.0);
    }
    EXPECT_EQ(t.stats().exact_free_segments, 8U);
    const auto areas = t.unit_areas();
    for (double a : areas) {
        EXPECT_DOUBLE_EQ(a, 1.0);
    }
    const auto per = t.unit_perimeters();
    for (double p : per) {
        EXPECT_DOUBLE_EQ(p, 4.0);
    }
}

TEST(Topology, DisjointUnitsShareNoNodeWhateverTheirNumber) {
    // 300 separate unit squares: every vertex is a node of its own, three times more than
    // a coverage of as many vertices would have, so the vertex index must grow.
    PolygonSet set;
    for (int i = 0; i < 300; ++i) {
        const int column = i % 20, row = i / 20;
        const double x = 2.0 * column, y = 2.0 * row;
        const std::vector<Coord> ring{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}};
        set.add_ring(ring);
        set.end_part();
    }
    const Topology t = build(set);
    EXPECT_EQ(t.stats().nodes, 1200U);
    EXPECT_EQ(t.arc_count(), 300U);
    EXPECT_TRUE(t.adjacency().empty());
    for (double a : t.unit_areas()) {
        EXPECT_DOUBLE_EQ(a, 1.0);
    }
}

TEST(Topology, ArcsRunBetweenJunctionsWithTheirTwoSides) {
    auto cov = test::make_coverage("AB");
    const Topology t = build(cov.geometry);
    // Shared border A|B (one arc) and the two outline halves (free arcs).
    EXPECT_EQ(t.arc_count(), 3U);
    EXPECT_EQ(t.stats().free_arcs, 2U);
}

TEST(Topology, VertexOnANeighboursBorderIsInsertedWithinTolerance) {
    // B's border has a vertex at (1, 0.5) that A's border lacks: a T-junction.
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0.5}});
    set.end_part();
    const Topology exact = build(set, 0);
    EXPECT_TRUE(exact.adjacency().empty());
    const Topology snapped = build(set, 1e-9);
    EXPECT_EQ(snapped.stats().vertices_inserted, 1U);
    ASSERT_EQ(snapped.adjacency().size(), 1U);
    EXPECT_DOUBLE_EQ(snapped.adjacency()[0].length, 1.0);
}

TEST(Topology, NearbyVerticesAreMergedAndTheMoveReported) {
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{1 + 4e-7, 0}, {2, 0}, {2, 1}, {1 + 4e-7, 1}});
    set.end_part();
    const Topology t = build(set, 1e-6);
    EXPECT_EQ(t.stats().nodes_merged, 2U);
    EXPECT_NEAR(t.stats().max_snap_distance, 4e-7, 1e-12);
    ASSERT_EQ(t.adjacency().size(), 1U);
    // Beyond the tolerance nothing is matched.
    const Topology strict = build(set, 1e-7);
    EXPECT_TRUE(strict.adjacency().empty());
}

TEST(Topology, PreparedIndexStorageOfAnySizeGivesTheSameTopology) {
    // A grid with a T-junction and a near miss, so that snapping inserts and merges.
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{1 + 4e-7, 0}, {2, 0}, {2, 1}, {1 + 4e-7, 1}, {1, 0.5}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{0, 1}, {1, 1}, {1, 2}, {0, 2}});
    set.end_part();
    set.normalize_orientation();
    TopologyOptions opt;
    opt.snap_tolerance = 1e-6;
    const Topology plain = Topology::build(set, opt);
    // Storage sized for more vertices than the layer has (used), and for fewer (ignored).
    for (const std::size_t capacity : {std::size_t{1000}, std::size_t{3}}) {
        VertexIndex::Storage storage(capacity);
        storage.map();
        const Topology t = Topology::build(set, VertexIndex(set, std::move(storage)), {}, opt);
        EXPECT_EQ(t.arc_count(), plain.arc_count()) << capacity;
        EXPECT_EQ(t.stats().nodes_merged, plain.stats().nodes_merged) << capacity;
        EXPECT_EQ(t.stats().vertices_inserted, plain.stats().vertices_inserted) << capacity;
        ASSERT_EQ(t.adjacency().size(), 2U) << capacity; // A-B, A-C; B and C touch at a corner
        for (std::size_t k = 0; k < 2; ++k) {
            EXPECT_EQ(t.adjacency()[k].a, plain.adjacency()[k].a);
            EXPECT_EQ(t.adjacency()[k].b, plain.adjacency()[k].b);
            EXPECT_DOUBLE_EQ(t.adjacency()[k].length, plain.adjacency()[k].length);
        }
    }
    EXPECT_EQ(plain.stats().nodes_merged, 2U);
    EXPECT_EQ(plain.stats().vertices_inserted, 1U);
}

TEST(Topology, CrossingBordersAreNodedAndReportedAsOverlap) {
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1.2, 0}, {1.2, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{1, -0.5}, {2, -0.5}, {2, 1.5}, {1, 1.5}});
    set.end_part();
    const Topology t = build(set, 1e-9);
    EXPECT_EQ(t.stats().crossings_noded, 2U);
    ASSERT_EQ(t.overlapping_pairs().size(), 1U);
    EXPECT_EQ(t.overlapping_pairs()[0], std::make_pair(0U, 1U));
}

TEST(Topology, SameWayBordersAreDuplicateEdges) {
    // B lies on top of A's left half: their left borders run the same way.
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {2, 0}, {2, 1}, {0, 1}});
    set.end_part();
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.end_part();
    const Topology t = build(set, 1e-9);
    EXPECT_GT(t.stats().duplicate_edges, 0U);
    ASSERT_EQ(t.overlapping_pairs().size(), 1U);
}

} // namespace
} // namespace amsim::geo
