// National-scale checks on the real data in ../shared/data (skipped when it is absent).
// Label "national": they take minutes, not seconds.

#include "amsim/geo/dissolve.hpp"
#include "amsim/geo/equal_area.hpp"
#include "amsim/geo/geos_context.hpp"
#include "amsim/geo/layer_jobs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

std::string post_reform_source() {
    const std::string dir = test::national_data_dir();
    return dir.empty() ? std::string()
                       : "/vsigzip/" + dir +
                             "/raw/thanglequoc-vietnamese-provinces-database/"
                             "vn_communes_2025_full.geojson.gz";
}

std::string pre_reform_source() {
    const std::string dir = test::national_data_dir();
    return dir.empty()
               ? std::string()
               : "/vsigzip/" + dir + "/derived/vn_communes_pre2025_mapmaker_gsocodes.geojson.gz";
}

/// Area of the GEOS UnaryUnion of the projected members of each group.
std::vector<double> geos_union_areas(const LoadedLayer& loaded, const Grouping& grouping) {
    GeosContext geos;
    const PolygonSet metric = loaded.projection->project(loaded.layer.geometry);
    std::vector<double> areas(grouping.keys.size(), 0);
    for (std::uint32_t g = 0; g < grouping.keys.size(); ++g) {
        std::vector<GEOSGeometry*> parts;
        for (std::size_t u = 0; u < grouping.group_of_unit.size(); ++u) {
            if (grouping.group_of_unit[u] == g) {
                parts.push_back(geos.to_geos(metric, u).release());
            }
        }
        GeomPtr coll = geos.own(GEOSGeom_createCollection_r(geos.handle(),
                                                            GEOS_GEOMETRYCOLLECTION,
                                                            parts.data(),
                                                            static_cast<unsigned>(parts.size())),
                                "collection");
        GeomPtr u =
            geos.own(GEOSUnaryUnion_r(geos.handle(), coll.get()), "union " + grouping.keys[g]);
        GEOSArea_r(geos.handle(), u.get(), &areas[g]);
    }
    return areas;
}

/// Each unit's area from the topology against its own (repaired) shape's area: snapping
/// moves vertices by a decimetre at most, so they differ by a few square metres, where a
/// unit whose rings were mapped to the wrong nodes would be off by far more.
void expect_unit_areas_match_shapes(const LoadedLayer& loaded) {
    const PolygonSet metric = loaded.projection->project(loaded.layer.geometry);
    double worst = 0;
    std::size_t worst_unit = 0;
    for (std::size_t u = 0; u < loaded.layer.units.size(); ++u) {
        const double diff = std::abs(loaded.unit_area_m2[u] - metric.part_area(u));
        if (diff > worst) {
            worst = diff;
            worst_unit = u;
        }
    }
    std::printf("largest unit area change from snapping: %.3f m2 (%s)\n",
                worst,
                loaded.layer.describe(worst_unit).c_str());
    EXPECT_LT(worst, 500.0) << loaded.layer.describe(worst_unit);
}

TEST(National, PostReformCommunesDissolveIntoThirtyFourValidProvincesEqualToGeosUnion) {
    const std::string src = post_reform_source();
    if (src.empty()) {
        GTEST_SKIP() << "national data not found";
    }
    test::register_gdal();
    LayerSpec spec;
    spec.source = src;
    spec.read.mapping.code = "code";
    spec.read.mapping.parent = "province_code";
    const LoadedLayer loaded = load_layer(spec, {});
    ASSERT_EQ(loaded.layer.units.size(), 3321U);
    expect_unit_areas_match_shapes(loaded);
    Grouping grouping = group_by_field(loaded.layer, "province_code");
    ASSERT_EQ(grouping.keys.size(), 34U);
    const std::vector<double> geos_areas = geos_union_areas(loaded, grouping);
    const DissolvedLayer d = dissolve_layer(loaded, grouping);

    GeosContext geos;
    double total_overlap = 0;
    for (std::size_t g = 0; g < 34; ++g) {
        SCOPED_TRACE("province " + grouping.keys[g]);
        // Valid output.
        GeomPtr out = geos.to_geos(d.result.geometry, g);
        EXPECT_EQ(GEOSisValid_r(geos.handle(), out.get()), 1);
        // Equal to the union of its communes (GEOS, same projection).
        const double rel = std::abs(d.result.area[g] - geos_areas[g]) / geos_areas[g];
        std::printf("province %s: ours %.6f km2, GEOS union %.6f km2, rel %.2e, overlap %.6f km2\n",
                    grouping.keys[g].c_str(),
                    d.result.area[g] / 1e6,
                    geos_areas[g] / 1e6,
                    rel,
                    d.result.overlap_area[g] / 1e6);
        EXPECT_LT(rel, 1e-6);
        // Sum of the parts = union + reported overlap. Not to 1e-9: snapping within 0.1 m can
        // turn a sliver gap 0.1 m wide inside out (province 91: 234.7 m2, 4.8e-8 relative).
        EXPECT_NEAR(d.member_area_m2[g],
                    d.result.area[g] + d.result.overlap_area[g],
                    1e-7 * d.member_area_m2[g]);
        total_overlap += d.result.overlap_area[g];
    }
    std::printf("total overlap %.6f km2\n", total_overlap / 1e6);
    // Every province comes straight from the arc dissolve, with no GEOS fallback.
    EXPECT_TRUE(d.fallback_groups.empty()) << d.fallback_groups.size() << " fallback(s)";
}

TEST(National, PreReformCommunesDissolveIntoProvincesWithNoUnitLost) {
    const std::string src = pre_reform_source();
    if (src.empty()) {
        GTEST_SKIP() << "national data not found";
    }
    test::register_gdal();
    LayerSpec spec;
    spec.source = src;
    spec.read.mapping.code = "fid";
    spec.read.mapping.code = "gso_commune_code_2019";
    spec.read.mapping.parent = "gso_province_code_2019";
    const LoadedLayer loaded = load_layer(spec, {});
    ASSERT_EQ(loaded.layer.units.size(), 11047U);
    EXPECT_EQ(loaded.validity.repaired, loaded.validity.invalid);
    expect_unit_areas_match_shapes(loaded);
    Grouping grouping = group_by_field(loaded.layer, "gso_province_code_2019");
    const std::vector<double> geos_areas = geos_union_areas(loaded, grouping);
    const DissolvedLayer d = dissolve_layer(loaded, grouping);
    std::uint32_t members = 0;
    GeosContext geos;
    for (std::size_t g = 0; g < grouping.keys.size(); ++g) {
        SCOPED_TRACE("province " + grouping.keys[g]);
        members += d.result.members[g];
        GeomPtr out = geos.to_geos(d.result.geometry, g);
        EXPECT_EQ(GEOSisValid_r(geos.handle(), out.get()), 1);
        EXPECT_GT(d.result.area[g], 0);
        const double rel = std::abs(d.result.area[g] - geos_areas[g]) / geos_areas[g];
        std::printf("province %s: ours %.6f km2, GEOS union %.6f km2, rel %.2e\n",
                    grouping.keys[g].c_str(),
                    d.result.area[g] / 1e6,
                    geos_areas[g] / 1e6,
                    rel);
        EXPECT_LT(rel, 1e-6);
    }
    EXPECT_EQ(members, 11047U);
    EXPECT_TRUE(d.fallback_groups.empty()) << d.fallback_groups.size() << " fallback(s)";
}

} // namespace
} // namespace amsim::geo
