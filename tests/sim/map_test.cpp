// Maps of a run: the data read back from the run's GeoPackage, and PNG and SVG pages drawn.

#include "amsim/sim/outputs/map.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/run/pipeline.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <numeric>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

const std::string fixtures = AMSIM_TEST_FIXTURES;

/// Width and height of a PNG from its IHDR chunk (big-endian, at bytes 16-23).
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& bytes) {
    auto be = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            v = (v << 8) | static_cast<unsigned char>(bytes.at(at + i));
        }
        return v;
    };
    return {be(16), be(20)};
}

TEST(Map, AFixtureRunIsReadBackAndDrawnOnAnA4Page) {
    test::register_gdal();
    test::TempDir dir;
    const Scenario s = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    RunOptions opt;
    opt.output = dir.file("run.gpkg");
    opt.source = s.base.source;
    (void)run_scenario(s, load_profile(s.rules, ".", default_profiles_dir()), opt);

    const MapData d = read_map_data(dir.file("run.gpkg"));
    ASSERT_EQ(d.code.size(), 2U);
    EXPECT_EQ(d.scenario_name, "four-communes");
    EXPECT_EQ(d.old_units.part_count(), 4U); // the base's four communes, from the provenance
    ASSERT_EQ(d.neighbours[0].size(), 1U);   // the two new units share a border
    EXPECT_EQ(d.neighbours[0][0], 1U);
    ASSERT_EQ(d.province_code.size(), 1U);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(d.surplus[i].has_value());
        EXPECT_NE(d.verdict[i], -1); // both judged (2 units each: no waiver)
    }

    MapOptions o;
    o.metric = MapMetric::population_pct;
    write_map(d, o, dir.file("maps/national.png"), {});
    const std::string png = test::slurp(dir.file("maps/national.png"));
    ASSERT_GT(png.size(), 24U);
    EXPECT_EQ(png.substr(1, 3), "PNG");
    // A4 at 150 dpi.
    EXPECT_EQ(png_size(png), (std::pair<std::uint32_t, std::uint32_t>{1240, 1754}));
    o.province = "N1";
    o.metric = MapMetric::new_unit;
    write_map(d, o, dir.file("maps/n1.svg"), {});
    const std::string svg = test::slurp(dir.file("maps/n1.svg"));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("<path"), std::string::npos);
    // Errors: an unknown province names the ones there are; an unknown format.
    o.province = "P9";
    try {
        write_map(d, o, dir.file("maps/p9.png"), {});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("new provinces: N1"), std::string::npos);
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("maps/p9.png")));
    EXPECT_THROW(write_map(d, MapOptions{}, dir.file("maps/x.jpg"), {}), UsageError);
    EXPECT_THROW((void)read_map_data(dir.file("none.gpkg")), InputError);
}

TEST(Map, ARemoteIslandIsLeftOutOfAProvinceFrame) {
    // 20 unit squares in a row, and one 500 units away: the island is remote.
    geo::PolygonSet units;
    for (int i = 0; i < 21; ++i) {
        const double x = i < 20 ? i : 520;
        test::add_box(units, x, 0, x + 1, 1);
        units.end_part();
    }
    std::vector<std::size_t> all(21);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_EQ(remote_units(units, all), std::vector<std::size_t>{20});
    // Two such islands among 21 units are more than 1 in 20: the frame keeps them.
    std::vector<std::size_t> fewer(all.begin() + 1, all.end());
    geo::PolygonSet two = units;
    test::add_box(two, 530, 0, 531, 1);
    two.end_part();
    fewer.push_back(21);
    EXPECT_TRUE(remote_units(two, fewer).empty());
    // Fewer than 10 units: nothing is left out.
    EXPECT_TRUE(remote_units(units, {0, 1, 20}).empty());
}

} // namespace
} // namespace amsim::sim
