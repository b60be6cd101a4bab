// Units divided by a split layer the planner draws: part polygons or cut lines. Hand-made
// squares with known areas: the parts cover the unit exactly (area conserved), and each
// check (gaps, overlaps, a line that divides nothing, unknown codes) stops with the feature.

#include "amsim/geo/split.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/ogr_io.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

/// Unit U = [0, 10] x [0, 10] (100), then V = [10, 20] x [0, 10] beside it.
constexpr const char* base_json = R"({"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"code": "U", "pop": 1000},
  "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}},
 {"type": "Feature", "properties": {"code": "V", "pop": 500},
  "geometry": {"type": "Polygon", "coordinates": [[[10, 0], [20, 0], [20, 10], [10, 10], [10, 0]]]}}
]})";

std::string feature(const std::string& properties, const std::string& geometry) {
    return R"({"type": "Feature", "properties": {)" + properties + "}, \"geometry\": " + geometry +
           "}";
}

std::string box(double x0, double y0, double x1, double y1) {
    auto p = [](double x, double y) {
        return "[" + std::to_string(x) + ", " + std::to_string(y) + "]";
    };
    return R"({"type": "Polygon", "coordinates": [[)" + p(x0, y0) + ", " + p(x1, y0) + ", " +
           p(x1, y1) + ", " + p(x0, y1) + ", " + p(x0, y0) + "]]}";
}

std::string line(double x0, double y0, double x1, double y1) {
    return R"({"type": "LineString", "coordinates": [[)" + std::to_string(x0) + ", " +
           std::to_string(y0) + "], [" + std::to_string(x1) + ", " + std::to_string(y1) + "]]}";
}

std::string part(const std::string& unit, const std::string& code, const std::string& geometry) {
    return feature(R"("unit": ")" + unit + R"(", "part": ")" + code + "\"", geometry);
}

class Split : public ::testing::Test {
protected:
    test::TempDir dir;

    void SetUp() override { test::register_gdal(); }

    UnitLayer base() {
        const std::string path = dir.file("base.geojson");
        std::ofstream(path) << base_json;
        ReadOptions opt;
        opt.mapping.code = "code";
        std::vector<Diagnostic> diags;
        return read_units(path, opt, diags);
    }

    SplitOptions layer(const std::vector<std::string>& features) {
        std::string json = R"({"type": "FeatureCollection", "features": [)";
        for (std::size_t i = 0; i < features.size(); ++i) {
            json += (i ? ",\n" : "\n") + features[i];
        }
        json += "]}";
        SplitOptions o;
        o.source = dir.file("split.geojson");
        std::ofstream(o.source) << json;
        return o;
    }

    /// The error split_units stops with ("" if none).
    std::string error_of(const SplitOptions& o) {
        UnitLayer l = base();
        try {
            (void)split_units(l, o);
        } catch (const InputError& e) {
            return e.what();
        }
        return "";
    }
};

double area(const UnitLayer& l, std::size_t u) {
    return std::abs(l.geometry.part_area(u));
}

TEST_F(Split, PartPolygonsReplaceTheUnitInItsPlaceAndConserveItsArea) {
    UnitLayer l = base();
    const SplitReport r = split_units(
        l, layer({part("U", "U-east", box(7, 0, 10, 10)), part("U", "U-west", box(0, 0, 7, 10))}));
    EXPECT_FALSE(r.lines);
    EXPECT_EQ(r.units, 1U);
    ASSERT_EQ(l.units.size(), 3U);
    // The largest part first, then the others in the layer's order; V after them.
    EXPECT_EQ(l.units[0].code, "U-west");
    EXPECT_EQ(l.units[1].code, "U-east");
    EXPECT_EQ(l.units[2].code, "V");
    EXPECT_NEAR(area(l, 0), 70, 1e-9);
    EXPECT_NEAR(area(l, 1), 30, 1e-9);
    EXPECT_NEAR(area(l, 2), 100, 1e-9);
    ASSERT_EQ(r.parts.size(), 2U);
    EXPECT_EQ(r.parts[0].unit, 0U);
    EXPECT_EQ(r.parts[0].split_of, "U");
    EXPECT_NEAR(r.parts[0].area_fraction, 0.7, 1e-12);
    EXPECT_NEAR(r.parts[1].area_fraction, 0.3, 1e-12);
    // Parts keep the unit's attributes (the caller divides its population).
    EXPECT_EQ(to_number(l.units[1].attributes[1]).value_or(0), 1000);
}

TEST_F(Split, ASmallGapGoesToTheLargestPartAndPartsAreCutToTheUnit) {
    UnitLayer l = base();
    // [6.99, 7] is left uncovered (0.1 % of U, under the 0.5 % tolerance); the east part
    // reaches 1 into V, and is cut to U.
    const SplitReport r = split_units(
        l, layer({part("U", "a", box(0, 0, 6.99, 10)), part("U", "b", box(7, 0, 11, 10))}));
    EXPECT_NEAR(area(l, 0), 70, 1e-9); // a, with the gap
    EXPECT_NEAR(area(l, 1), 30, 1e-9);
    EXPECT_NEAR(area(l, 2), 100, 1e-9); // V untouched
    ASSERT_EQ(r.diagnostics.size(), 1U);
    EXPECT_EQ(r.diagnostics[0].code, "split_outside_unit");
    EXPECT_NE(r.diagnostics[0].message.find("10.00 %"), std::string::npos);
}

TEST_F(Split, PartsThatLeaveAGapOrOverlapAreRefused) {
    const std::string gap =
        error_of(layer({part("U", "a", box(0, 0, 6, 10)), part("U", "b", box(7, 0, 10, 10))}));
    EXPECT_NE(gap.find("unit 'U': its parts leave 10.00 % of it uncovered, near 6.5"),
              std::string::npos)
        << gap;
    const std::string overlap =
        error_of(layer({part("U", "a", box(0, 0, 8, 10)), part("U", "b", box(7, 0, 10, 10))}));
    EXPECT_NE(overlap.find("feature 0 (part 'a') and feature 1 (part 'b') overlap over 10.00 % "
                           "of unit 'U'"),
              std::string::npos)
        << overlap;
    const std::string missing =
        error_of(layer({part("U", "a", box(0, 0, 10, 10)), part("U", "b", box(30, 0, 40, 10))}));
    EXPECT_NE(missing.find("feature 1 (part 'b'): does not overlap unit 'U'"), std::string::npos)
        << missing;
}

TEST_F(Split, CodesAreChecked) {
    EXPECT_NE(error_of(layer({part("Z", "a", box(0, 0, 5, 10))}))
                  .find("field 'unit': 'Z' is not a unit of"),
              std::string::npos);
    EXPECT_NE(error_of(layer({part("U", "a", box(0, 0, 5, 10)), part("U", "a", box(5, 0, 10, 10))}))
                  .find("feature 1: part 'a' is also feature 0"),
              std::string::npos);
    EXPECT_NE(error_of(layer({part("U", "V", box(0, 0, 5, 10)), part("U", "b", box(5, 0, 10, 10))}))
                  .find("part 'V' is already the code of a unit"),
              std::string::npos);
    EXPECT_NE(
        error_of(layer({part("U", "a", box(0, 0, 10, 10))})).find("unit 'U' has only this part"),
        std::string::npos);
}

TEST_F(Split, PartsMayCarryTheirOwnPopulation) {
    SplitOptions o =
        layer({feature(R"("unit": "U", "part": "a", "people": 800)", box(0, 0, 7, 10)),
               feature(R"("unit": "U", "part": "b", "people": "2e2")", box(7, 0, 10, 10))});
    o.population_field = "people";
    UnitLayer l = base();
    const SplitReport r = split_units(l, o);
    ASSERT_EQ(r.parts.size(), 2U);
    EXPECT_EQ(r.parts[0].population.value_or(-1), 800);
    EXPECT_EQ(r.parts[1].population.value_or(-1), 200);
    SplitOptions bad =
        layer({feature(R"("unit": "U", "part": "a", "people": -3)", box(0, 0, 7, 10)),
               feature(R"("unit": "U", "part": "b", "people": 1)", box(7, 0, 10, 10))});
    bad.population_field = "people";
    EXPECT_NE(error_of(bad).find("field 'people': '-3' is not a population"), std::string::npos);
}

TEST_F(Split, CutLinesMakeNumberedPartsLargestFirst) {
    UnitLayer l = base();
    // A vertical line across U at x = 7 and a horizontal one at y = 4 from its west edge to
    // the first: three faces, 42 (x < 7, y > 4), 30 (x > 7) and 28 (x < 7, y < 4).
    const SplitReport r = split_units(l,
                                      layer({feature(R"("unit": "U")", line(7, -1, 7, 11)),
                                             feature(R"("unit": "U")", line(-1, 4, 7, 4))}));
    EXPECT_TRUE(r.lines);
    ASSERT_EQ(l.units.size(), 4U);
    EXPECT_EQ(l.units[0].code, "U.1");
    EXPECT_NEAR(area(l, 0), 42, 1e-9); // x < 7, y > 4
    EXPECT_EQ(l.units[1].code, "U.2");
    EXPECT_NEAR(area(l, 1), 30, 1e-9); // x > 7
    EXPECT_EQ(l.units[2].code, "U.3");
    EXPECT_NEAR(area(l, 2), 28, 1e-9); // x < 7, y < 4
    double fractions = 0;
    for (const SplitPart& p : r.parts) {
        fractions += p.area_fraction;
    }
    EXPECT_NEAR(fractions, 1, 1e-12);
}

TEST_F(Split, ACutLineThatDividesNothingIsRefused) {
    const std::string e = error_of(layer({feature(R"("unit": "U")", line(7, -1, 7, 11)),
                                          feature(R"("unit": "U")", line(-1, 4, 5, 4))}));
    EXPECT_NE(e.find("feature 1: a cut line of unit 'U' divides nothing"), std::string::npos) << e;
    const std::string inside = error_of(layer({feature(R"("unit": "U")", line(2, 2, 8, 8))}));
    EXPECT_NE(inside.find("a cut line of unit 'U' divides nothing"), std::string::npos) << inside;
    const std::string outside = error_of(layer({feature(R"("unit": "U")", line(30, 0, 30, 10))}));
    EXPECT_NE(outside.find("unit 'U': its cut lines do not divide it"), std::string::npos)
        << outside;
}

TEST_F(Split, ALayerOfBothPolygonsAndLinesIsRefused) {
    const std::string e = error_of(
        layer({part("U", "a", box(0, 0, 7, 10)), feature(R"("unit": "U")", line(7, -1, 7, 11))}));
    EXPECT_NE(e.find("feature 1: geometry is Line String, but the layer's first feature is a "
                     "polygon"),
              std::string::npos)
        << e;
}

} // namespace
} // namespace amsim::geo
