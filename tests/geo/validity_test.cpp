#include "amsim/geo/validity.hpp"

#include "amsim/geo/geos_context.hpp"

#include <gtest/gtest.h>

namespace amsim::geo {
namespace {

UnitLayer layer_with(const std::vector<std::vector<Coord>>& rings, std::vector<std::string> codes) {
    UnitLayer l;
    l.source = "test";
    l.layer_name = "units";
    l.mapping.code = "code";
    for (std::size_t i = 0; i < rings.size(); ++i) {
        if (!rings[i].empty()) {
            l.geometry.add_ring(rings[i]);
        }
        l.geometry.end_part();
        l.units.push_back({static_cast<std::int64_t>(i), codes[i], "", "", "", {}});
    }
    return l;
}

TEST(Validity, BowTieIsReportedWithItsLocationAndRepaired) {
    UnitLayer l = layer_with({{{0, 0}, {2, 2}, {2, 0}, {0, 2}}}, {"A"});
    const ValidityReport r = check_units(l, true);
    EXPECT_EQ(r.invalid, 1U);
    EXPECT_EQ(r.repaired, 1U);
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_NE(r.diagnostics[0].message.find("Self-intersection"), std::string::npos)
        << r.diagnostics[0].message;
    EXPECT_NE(r.diagnostics[0].location.find("code 'A'"), std::string::npos);
    // MakeValid splits the bow tie into its two triangles: area 2.
    EXPECT_EQ(l.geometry.part_end(0) - l.geometry.part_begin(0), 2U);
    EXPECT_NEAR(l.geometry.part_area(0), 2.0, 1e-12);
}

TEST(Validity, DuplicateMissingCodesAndEmptyGeometriesAreErrors) {
    const std::vector<Coord> sq{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    UnitLayer l = layer_with({sq, sq, sq, {}}, {"A", "A", "", "D"});
    const ValidityReport r = check_units(l, false);
    EXPECT_EQ(r.duplicate_codes, 1U);
    EXPECT_EQ(r.missing_codes, 1U);
    EXPECT_EQ(r.empty, 1U);
    EXPECT_EQ(count(r.diagnostics, Severity::error), 3U);
}

} // namespace
} // namespace amsim::geo

namespace amsim::geo {
namespace {

TEST(Validity, AnInvalidResultIsMadeValidAndSaidSo) {
    // A ring touching itself at (2,4) and so enclosing a hole: invalid as one ring.
    PolygonSet inverted;
    inverted.add_ring(
        std::vector<Coord>{{0, 0}, {4, 0}, {4, 4}, {2, 4}, {3, 2}, {1, 2}, {2, 4}, {0, 4}});
    inverted.end_part();
    GeosContext geos;
    EXPECT_NE(invalid_reason(geos, inverted, 0).find("Self-intersection"), std::string::npos);
    std::string how;
    const PolygonSet fixed = ensure_valid(geos, inverted, "group 'X'", how);
    EXPECT_EQ(invalid_reason(geos, fixed, 0), "");
    EXPECT_NE(how.find("MakeValid"), std::string::npos);
    // Shell 16 less the hole (2 wide, 2 high triangle): 14; one polygon with a hole.
    EXPECT_NEAR(fixed.part_area(0), 14.0, 1e-12);
    EXPECT_EQ(fixed.polygon_count(), 1U);
    EXPECT_EQ(fixed.ring_count(), 2U);
    // A valid part is returned as it is.
    PolygonSet square;
    square.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    square.end_part();
    (void)ensure_valid(geos, square, "group 'Y'", how);
    EXPECT_EQ(how, "");
}

} // namespace
} // namespace amsim::geo
