// Whole-layer jobs on hand-made layers written to a temporary GeoPackage.

#include "amsim/geo/layer_jobs.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/geos_context.hpp"

#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <vector>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

/// Writes units (part i = unit with code "U<i>") in VN-2000 / UTM 48N and loads them back.
LoadedLayer load(const test::TempDir& dir, PolygonSet geometry, bool keep_geometry = true) {
    test::register_gdal();
    OGRSpatialReference srs;
    srs.importFromEPSG(3405);
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    const std::string crs = wkt;
    CPLFree(wkt);
    std::vector<std::string> codes;
    for (std::size_t i = 0; i < geometry.part_count(); ++i) {
        codes.push_back("U" + std::to_string(i));
    }
    geometry.normalize_orientation();
    const std::string path = dir.file("units.gpkg");
    test::write_fixture_layer(path, geometry, codes, crs);
    LayerSpec spec;
    spec.source = path;
    spec.read.mapping.code = "code";
    spec.keep_geometry = keep_geometry;
    return load_layer(spec, {});
}

void box(PolygonSet& s, double x0, double y0, double x1, double y1) {
    test::add_box(s, x0, y0, x1, y1);
    s.end_part();
}

TEST(LayerJobs, CoverageReportCountsATripleOverlapOncePerExtraCover) {
    // A: 2 km x 1 km; B and C: its left half, twice. The left half is covered three times.
    test::TempDir dir;
    PolygonSet s;
    box(s, 500000, 2300000, 502000, 2301000);
    box(s, 500000, 2300000, 501000, 2301000);
    box(s, 500000, 2300000, 501000, 2301000);
    const LoadedLayer loaded = load(dir, std::move(s));
    const CoverageReport rep = analyse_coverage(loaded);
    const double half = rep.total_area_m2 / 4; // total = 2 + 1 + 1 halves... = 4 halves
    EXPECT_NEAR(rep.union_area_m2, 2 * half, 1e-6 * half);
    EXPECT_NEAR(rep.overlap_area_m2, 2 * half, 1e-6 * half);
    EXPECT_NEAR(rep.total_area_m2 - rep.union_area_m2, rep.overlap_area_m2, 1e-6);
    // Three overlapping pairs, each the left half (about 1 km2, UTM scale aside).
    ASSERT_EQ(rep.overlaps.size(), 3U);
    for (const CoverageProblem& p : rep.overlaps) {
        EXPECT_NEAR(p.area_m2, half, 1e-6 * half);
    }
    EXPECT_NEAR(half, 1e6, 0.01e6);
    EXPECT_TRUE(rep.gaps.empty());
}

TEST(LayerJobs, AGapBetweenUnitsIsReportedWithItsArea) {
    // Two 1 km squares around a 1 km square hole, closed by a U-shaped third unit.
    test::TempDir dir;
    PolygonSet s;
    box(s, 500000, 2300000, 501000, 2301000); // left
    box(s, 502000, 2300000, 503000, 2301000); // right
    box(s, 500000, 2301000, 503000, 2302000); // top
    box(s, 500000, 2299000, 503000, 2300000); // bottom
    const LoadedLayer loaded = load(dir, std::move(s));
    const CoverageReport rep = analyse_coverage(loaded);
    ASSERT_EQ(rep.gaps.size(), 1U);
    EXPECT_NEAR(rep.gaps[0].area_m2, rep.total_area_m2 / 8, 1e-6 * rep.total_area_m2);
    EXPECT_EQ(rep.gaps[0].unit_codes.size(), 4U);
    EXPECT_EQ(rep.adjacent_pairs, 4U);
}

TEST(LayerJobs, DissolveWithoutTheSourceGeometryGivesTheSameResult) {
    test::TempDir dir;
    auto make = [] {
        PolygonSet s;
        box(s, 500000, 2300000, 501000, 2301000);
        box(s, 501000, 2300000, 502000, 2301000);
        box(s, 500500, 2300200, 501500, 2300800); // overlaps both
        return s;
    };
    const LoadedLayer kept = load(dir, make(), true);
    test::TempDir dir2;
    const LoadedLayer dropped = load(dir2, make(), false);
    EXPECT_EQ(dropped.layer.geometry.part_count(), 0U);
    Grouping all;
    all.group_of_unit = {0, 0, 0};
    all.keys = {"ALL"};
    const DissolvedLayer a = dissolve_layer(kept, all);
    const DissolvedLayer b = dissolve_layer(dropped, all);
    EXPECT_DOUBLE_EQ(a.result.area[0], b.result.area[0]);
    EXPECT_DOUBLE_EQ(a.result.overlap_area[0], b.result.overlap_area[0]);
    EXPECT_NEAR(a.result.area[0] + a.result.overlap_area[0], a.member_area_m2[0], 1e-6);
    // Shapes rebuilt from the topology match the source shapes' areas.
    const PolygonSet shapes = unit_shapes(dropped, {2});
    EXPECT_NEAR(metric_area(*dropped.projection, shapes, 0), dropped.unit_area_m2[2], 1e-3);
}

TEST(LayerJobs, ARepairedUnitEntersTheTopologyInItsRepairedShape) {
    // Unit 0 is a bow-tie over a 1 km square (MakeValid: two triangles, half the square);
    // unit 1 is the square to its right, sharing the right triangle's vertical side. The
    // checks run while the topology is built, so this holds whichever finishes first.
    for (const bool keep : {true, false}) {
        test::TempDir dir;
        PolygonSet s;
        const std::vector<Coord> bow{
            {500000, 2300000}, {501000, 2301000}, {501000, 2300000}, {500000, 2301000}};
        s.add_ring(bow);
        s.end_part();
        box(s, 501000, 2300000, 502000, 2301000);
        const LoadedLayer loaded = load(dir, std::move(s), keep);
        EXPECT_EQ(loaded.validity.invalid, 1U);
        EXPECT_EQ(loaded.validity.repaired, 1U);
        const double square = loaded.unit_area_m2[1];
        EXPECT_NEAR(square, 1e6, 0.01e6);
        EXPECT_NEAR(loaded.unit_area_m2[0], square / 2, 1e-6 * square);
        const auto adj = loaded.topology.adjacency();
        ASSERT_EQ(adj.size(), 1U);
        EXPECT_NEAR(adj[0].length, 1000, 10);
        Grouping all;
        all.group_of_unit = {0, 0};
        all.keys = {"ALL"};
        const DissolvedLayer d = dissolve_layer(loaded, all);
        EXPECT_NEAR(d.result.area[0], 1.5 * square, 1e-6 * square);
        // The left triangle touches the rest at the bow-tie's centre only: a polygon apart.
        EXPECT_EQ(d.result.geometry.part_end(0) - d.result.geometry.part_begin(0), 2U);
    }
}

} // namespace
} // namespace amsim::geo

namespace amsim::geo {
namespace {

TEST(LayerJobs, TopologyFindingsNameUnitsByCode) {
    // Two boxes whose borders cross twice: they overlap by 200 m x 1 km.
    test::TempDir dir;
    PolygonSet s;
    box(s, 500000, 2300000, 501200, 2301000);
    box(s, 501000, 2299500, 502000, 2301500);
    const LoadedLayer loaded = load(dir, std::move(s));
    ASSERT_EQ(loaded.topology_findings.size(), 1U);
    const Diagnostic& d = loaded.topology_findings[0];
    EXPECT_EQ(d.code, "crossing_borders");
    EXPECT_NE(d.message.find("'U0' (feature 1) and 'U1' (feature 2) cross 2 time(s)"),
              std::string::npos)
        << d.message;
}

} // namespace
} // namespace amsim::geo

namespace amsim::geo {
namespace {

/// Every part of a dissolve is valid for GEOS.
void expect_all_valid(const DissolvedLayer& d) {
    GeosContext geos;
    for (std::size_t g = 0; g < d.result.geometry.part_count(); ++g) {
        EXPECT_EQ(invalid_reason(geos, d.result.geometry, g), "") << "group " << g;
    }
}

Grouping one_group(std::size_t units) {
    Grouping all;
    all.group_of_unit.assign(units, 0);
    all.keys = {"ALL"};
    return all;
}

TEST(LayerJobs, AHoleTouchingItsShellGivesAValidPolygonFromTheArcWalk) {
    // A valid unit: a 4 km square with a triangular hole touching the shell at (0, 2 km).
    // The arc walk used to make one ring passing that point twice (invalid), which GEOS's
    // UnaryUnion then returned as it was.
    for (const bool keep : {true, false}) {
        test::TempDir dir;
        PolygonSet s;
        const double x = 500000, y = 2300000;
        s.add_ring(std::vector<Coord>{{x, y}, {x + 4000, y}, {x + 4000, y + 4000}, {x, y + 4000}});
        s.add_ring(std::vector<Coord>{{x, y + 2000}, {x + 2000, y + 1000}, {x + 2000, y + 3000}});
        s.end_polygon();
        s.end_part();
        const LoadedLayer loaded = load(dir, std::move(s), keep);
        EXPECT_EQ(loaded.validity.invalid, 0U);
        const DissolvedLayer d = dissolve_layer(loaded, one_group(1));
        EXPECT_TRUE(d.fallback_groups.empty()); // the arc walk itself is valid now
        expect_all_valid(d);
        EXPECT_NEAR(d.result.area[0], 16e6 - 2e6, 1e-3 * 16e6);
    }
}

TEST(LayerJobs, ARepairedUnitIsWrittenFromItsRepair) {
    // A ring touching itself, enclosing a hole: reported repaired by MakeValid, and used to
    // be written as the invalid original.
    for (const bool keep : {true, false}) {
        test::TempDir dir;
        PolygonSet s;
        const double x = 500000, y = 2300000;
        s.add_ring(std::vector<Coord>{{x, y},
                                      {x + 4000, y},
                                      {x + 4000, y + 4000},
                                      {x + 2000, y + 4000},
                                      {x + 3000, y + 2000},
                                      {x + 1000, y + 2000},
                                      {x + 2000, y + 4000},
                                      {x, y + 4000}});
        s.end_part();
        const LoadedLayer loaded = load(dir, std::move(s), keep);
        EXPECT_EQ(loaded.validity.repaired, 1U);
        const DissolvedLayer d = dissolve_layer(loaded, one_group(1));
        expect_all_valid(d);
        EXPECT_NEAR(d.result.area[0], 16e6 - 2e6, 1e-3 * 16e6);
        // Written and read back: still valid.
        const std::string out = dir.file("out.gpkg");
        write_dissolved(out, loaded, d, "group", {});
        ReadOptions ro;
        ro.mapping.code = "group";
        std::vector<Diagnostic> diags;
        UnitLayer back = read_units(out, ro, diags);
        EXPECT_EQ(check_units(back, false).invalid, 0U);
    }
}

TEST(LayerJobs, MembersDrawnTwiceAreMergedByGeosIntoAValidPolygon) {
    // Two identical squares in one group, beside a square whose neighbour puts a node on
    // their shared side: the arc walk cannot make a polygon of the copies, GEOS does.
    for (const bool keep : {true, false}) {
        test::TempDir dir;
        PolygonSet s;
        const double x = 500000, y = 2300000;
        box(s, x, y, x + 1000, y + 1000);
        box(s, x, y, x + 1000, y + 1000);
        box(s, x + 1000, y, x + 2000, y + 1000);
        box(s, x + 1000, y, x + 2000, y + 500);
        const LoadedLayer loaded = load(dir, std::move(s), keep);
        Grouping g;
        g.group_of_unit = {0, 0, 1, 1};
        g.keys = {"A", "B"};
        const DissolvedLayer d = dissolve_layer(loaded, g);
        EXPECT_EQ(d.fallback_groups, std::vector<std::uint32_t>{0});
        expect_all_valid(d);
        EXPECT_NEAR(d.result.area[0], 1e6, 1e-3 * 1e6);
        EXPECT_NEAR(d.result.overlap_area[0], 1e6, 1e-3 * 1e6); // the copy, removed once
    }
}

TEST(LayerJobs, TheWriterRefusesAnInvalidGeometryAndWritesNothing) {
    test::TempDir dir;
    PolygonSet bow;
    bow.add_ring(std::vector<Coord>{{0, 0}, {2, 2}, {2, 0}, {0, 2}});
    bow.end_part();
    EXPECT_THROW(write_units(dir.file("x.gpkg"), bow, {}, {}), InternalError);
    EXPECT_TRUE(test::list_dir(dir.path()).empty());
}

} // namespace
} // namespace amsim::geo
