// Cutting a unit along other polygons: the pieces cover it exactly, never overlap, and a
// sliver stays with the rest. Hand-made squares with known areas.

#include "amsim/geo/overlay.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace amsim::geo {
namespace {

/// An axis-aligned rectangle as one part.
void rectangle(PolygonSet& set, double x0, double y0, double x1, double y1) {
    const std::array<Coord, 4> ring = {Coord{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    set.add_ring(ring);
    set.end_polygon();
    set.end_part();
}

TEST(CutPart, PiecesCoverTheUnitAndDoNotOverlap) {
    PolygonSet unit;
    rectangle(unit, 0, 0, 10, 10); // 100
    PolygonSet cutters;
    rectangle(cutters, 6, -1, 12, 11);  // 0: takes x in [6, 10]: 40
    rectangle(cutters, -1, 7, 6, 11);   // 1: takes x < 6, y in [7, 10]: 18
    rectangle(cutters, 5, 5, 8, 8);     // 2: overlaps both others: what is left of it, 1
    rectangle(cutters, -5, -5, -1, -1); // 3: outside the unit: an empty piece
    const std::array<std::size_t, 5> cut = {99, 0, 1, 2, 3};
    const PolygonSet pieces = cut_part(unit, 0, cutters, cut, 0.0);
    ASSERT_EQ(pieces.part_count(), 5U);
    EXPECT_NEAR(std::abs(pieces.part_area(1)), 40, 1e-9);
    EXPECT_NEAR(std::abs(pieces.part_area(2)), 18, 1e-9);
    // Cutter 2 covers [5, 8] x [5, 8]; pieces 1 and 2 took x >= 6 and y >= 7 before it.
    EXPECT_NEAR(std::abs(pieces.part_area(3)), 1 * 2, 1e-9);
    EXPECT_EQ(pieces.part_begin(4), pieces.part_end(4));
    // The rest: 100 - 40 - 18 - 2. Areas are conserved.
    EXPECT_NEAR(std::abs(pieces.part_area(0)), 40, 1e-9);
    double total = 0;
    for (std::size_t k = 0; k < pieces.part_count(); ++k) {
        total += std::abs(pieces.part_area(k));
    }
    EXPECT_NEAR(total, 100, 1e-9);
}

TEST(CutPart, ASliverStaysWithTheRest) {
    PolygonSet unit;
    rectangle(unit, 0, 0, 10, 10);
    PolygonSet cutters;
    rectangle(cutters, 9.9, 0, 20, 10); // 1 % of the unit
    const std::array<std::size_t, 2> cut = {0, 0};
    const PolygonSet pieces = cut_part(unit, 0, cutters, cut, 0.02);
    ASSERT_EQ(pieces.part_count(), 2U);
    EXPECT_NEAR(std::abs(pieces.part_area(0)), 100, 1e-9);
    EXPECT_EQ(pieces.part_begin(1), pieces.part_end(1));
}

} // namespace
} // namespace amsim::geo
