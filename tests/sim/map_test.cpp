// Maps of a run: the data read back from the run's GeoPackage, and PNG and SVG pages drawn.

#include "amsim/sim/outputs/map.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/report.hpp"
#include "amsim/sim/run/pipeline.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <set>

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

/// The four fixture communes run into dir/run.gpkg.
void run_fixture(test::TempDir& dir) {
    test::register_gdal();
    const Scenario s = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    RunOptions opt;
    opt.output = dir.file("run.gpkg");
    opt.source = s.base.source;
    (void)run_scenario(s, load_profile(s.rules, ".", default_profiles_dir()), opt);
}

TEST(Map, AFixtureRunIsReadBackAndDrawnOnAnA4Page) {
    test::TempDir dir;
    run_fixture(dir);

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

    // The offices: each unit's one surplus office (00002's, 00004's) and the four offices,
    // seated where the mapping says (00001 and 00003, the west squares' centroids).
    ASSERT_EQ(d.offices_surplus.size(), 2U);
    EXPECT_EQ(d.offices_surplus[0], 1.0);
    EXPECT_EQ(d.offices_surplus[1], 1.0);
    ASSERT_EQ(d.office_at.size(), 4U);
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(d.office_role[k], d.office_at[k].x < 105.1 ? 0 : 2) << k;
    }
    MapOptions offices;
    offices.metric = MapMetric::offices;
    offices.province = "N1";
    EXPECT_TRUE(metric_has_data(d, offices));
    write_map(d, offices, dir.file("maps/offices.svg"), {});
    // Drawn on an A4 page, as the other metrics.
    const std::string offices_svg = test::slurp(dir.file("maps/offices.svg"));
    EXPECT_NE(offices_svg.find("<svg"), std::string::npos);

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

/// How often `part` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

TEST(Annex, EveryNewUnitWithItsOldUnitsFiguresVerdictAndBasis) {
    test::TempDir dir;
    run_fixture(dir);
    ReportOptions ro;
    ro.date = "01/12/2026";
    ro.maps = false;
    const AnnexPage page = annex_html(dir.file("run.gpkg"), ro);
    const std::string& h = page.html;
    // 00001 = Xa A + Xa B: 21,000 people, 131.25 % of 16,000 (cut: 131,2); 00003 = Xa C + Xa D:
    // 12,000, 75 %, below the standard (vn-2025, xa: 30 km2 and 16,000).
    EXPECT_EQ(page.units, 2U);
    EXPECT_EQ(page.below, 1U);
    // Rows: the province in the summary, the 2 units, the 1 below standard.
    EXPECT_EQ(occurrences(h, "<tr><td class=\"c\">"), 4U);
    EXPECT_NE(h.find("Xa AB (00001)</td><td>Xa A (00001); Xa B (00002)</td>"), std::string::npos);
    EXPECT_NE(h.find("Xa CD (00003)</td><td>Xa C (00003); Xa D (00004)</td>"), std::string::npos);
    EXPECT_NE(h.find("21.000<br>(131,2%)"), std::string::npos);
    EXPECT_NE(h.find("12.000<br>(75,0%)"), std::string::npos);
    EXPECT_NE(h.find("Chưa đạt tiêu chuẩn: dân số đạt 75% tiêu chuẩn 16.000 người"),
              std::string::npos);
    EXPECT_EQ(occurrences(h, ">Đạt tiêu chuẩn<"), 1U);
    EXPECT_NE(h.find("Nghị quyết 76/2025/UBTVQH15"), std::string::npos);
    // The nation's row sums its provinces: 4 communes -> 2, halved.
    EXPECT_NE(h.find("<td>Toàn quốc</td><td class=\"n\">4</td><td class=\"n\">2</td>"),
              std::string::npos);
    EXPECT_NE(h.find("<td class=\"n\">50,0</td>"), std::string::npos);
    // The title page names the province (the nation here), scenario and date; pages numbered.
    EXPECT_NE(h.find("PHỤ LỤC"), std::string::npos);
    EXPECT_NE(h.find("four-communes"), std::string::npos);
    EXPECT_NE(h.find("01/12/2026"), std::string::npos);
    EXPECT_NE(h.find("counter(page)"), std::string::npos);
    // One province: its rows only; the nation's province headings gone.
    ro.province = "N1";
    EXPECT_EQ(annex_html(dir.file("run.gpkg"), ro).units, 2U);
    EXPECT_EQ(occurrences(annex_html(dir.file("run.gpkg"), ro).html, "class=\"province\""), 0U);
    // Printing that fails leaves nothing behind and says what Chromium said.
    ::setenv("AMSIM_CHROMIUM", "/bin/false", 1);
    EXPECT_THROW((void)write_annex(dir.file("run.gpkg"), dir.file("annex.pdf"), ro), InputError);
    ::unsetenv("AMSIM_CHROMIUM");
    EXPECT_FALSE(std::filesystem::exists(dir.file("annex.pdf")));
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

/// A grid of n x n unit squares (codes "r,c"), each unit's neighbours the 4 beside it.
MapData grid(int n, const std::vector<int>& order) {
    MapData d;
    std::vector<int> slot_of(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        slot_of[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
    }
    for (const int cell : order) {
        const int r = cell / n, c = cell % n;
        test::add_box(d.units, c, r, c + 1, r + 1);
        d.units.end_part();
        d.code.push_back(std::to_string(r) + "," + std::to_string(c));
        d.name.push_back(d.code.back());
        d.province.emplace_back("P");
        std::vector<std::uint32_t> near;
        for (const auto& [dr, dc] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
            if (r + dr >= 0 && r + dr < n && c + dc >= 0 && c + dc < n) {
                const int cell_near = (r + dr) * n + c + dc;
                near.push_back(
                    static_cast<std::uint32_t>(slot_of[static_cast<std::size_t>(cell_near)]));
            }
        }
        d.neighbours.push_back(near);
    }
    return d;
}

TEST(Map, AUnitKeepsItsColourWhateverTheOrderAndNeighboursDiffer) {
    std::vector<int> order(36);
    std::iota(order.begin(), order.end(), 0);
    const MapData a = grid(6, order);
    std::reverse(order.begin(), order.end());
    std::swap(order[3], order[17]);
    const MapData b = grid(6, order);
    const std::vector<int> ca = unit_palette_indices(a), cb = unit_palette_indices(b);
    std::map<std::string, int> by_code;
    for (std::size_t i = 0; i < a.code.size(); ++i) {
        by_code[a.code[i]] = ca[i];
        for (const std::uint32_t n : a.neighbours[i]) {
            EXPECT_NE(ca[i], ca[n]) << a.code[i] << " and " << a.code[n];
        }
    }
    for (std::size_t i = 0; i < b.code.size(); ++i) {
        EXPECT_EQ(cb[i], by_code[b.code[i]]) << b.code[i]; // the same unit, the same colour
    }
    // Not one colour for all: the code chooses among the palette's 8.
    EXPECT_GE(std::set<int>(ca.begin(), ca.end()).size(), 4U);
}

TEST(Map, InsetsEnlargeTheDensestCentresNotAnOutlyingUnit) {
    std::vector<int> order(100);
    std::iota(order.begin(), order.end(), 0);
    MapData d = grid(10, order);
    // 100 people per km2 everywhere; a 3 x 3 centre of 10,000 at rows and columns 0-2, one
    // of 5,000 at 7-9; a lone unit (row 0, column 5) of 20,000 among units of 100.
    d.density.assign(100, 100.0);
    for (std::size_t r = 0; r < 3; ++r) {
        for (std::size_t c = 0; c < 3; ++c) {
            d.density[r * 10 + c] = 10000.0;
            d.density[(r + 7) * 10 + c + 7] = 5000.0;
        }
    }
    d.density[5] = 20000.0;
    std::vector<std::size_t> shown(100);
    std::iota(shown.begin(), shown.end(), 0);
    const auto centres = dense_centres(d, shown, 2, 9, 3.0);
    ASSERT_EQ(centres.size(), 2U);
    EXPECT_EQ(centres[0], (std::vector<std::size_t>{0, 1, 2, 10, 11, 12, 20, 21, 22}));
    EXPECT_EQ(centres[1], (std::vector<std::size_t>{77, 78, 79, 87, 88, 89, 97, 98, 99}));
    // Centres closer than the separation: only the densest.
    EXPECT_EQ(dense_centres(d, shown, 2, 9, 20.0).size(), 1U);
    // No density known: no inset.
    d.density.assign(100, std::nullopt);
    EXPECT_TRUE(dense_centres(d, shown, 2, 9, 3.0).empty());
}

} // namespace
} // namespace amsim::sim
