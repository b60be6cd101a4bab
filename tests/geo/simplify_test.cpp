// Lines thinned for the editor's map, and coordinates into longitude/latitude, by hand.

#include "amsim/geo/simplify.hpp"

#include <gtest/gtest.h>
#include <ogr_spatialref.h>

#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

TEST(Simplify, DouglasPeuckerKeepsTheEndsAndWhatStandsOutByMoreThanTheTolerance) {
    // Chord (0,0)-(4,0): (3,3) is 3 away, kept. Chord (0,0)-(3,3): the farthest, (2,0), is
    // 2/sqrt(2) = 1.41 away, kept; then (1,0.2) is 0.2 from (0,0)-(2,0): dropped at 1 or 0.5.
    const std::vector<Coord> line = {{0, 0}, {1, 0.2}, {2, 0}, {3, 3}, {4, 0}};
    EXPECT_EQ(simplify_line(line, 1.0), (std::vector<Coord>{{0, 0}, {2, 0}, {3, 3}, {4, 0}}));
    EXPECT_EQ(simplify_line(line, 0.5), simplify_line(line, 1.0));
    // At 0.1 the 0.2 counts: nothing is dropped.
    EXPECT_EQ(simplify_line(line, 0.1), line);
    // At 5 only the ends are left; two points or none stay as they are.
    EXPECT_EQ(simplify_line(line, 5), (std::vector<Coord>{{0, 0}, {4, 0}}));
    EXPECT_EQ(simplify_line(std::vector<Coord>{{0, 0}, {1, 1}}, 5).size(), 2U);
    EXPECT_TRUE(simplify_line(std::vector<Coord>{}, 5).empty());
}

TEST(Simplify, ProjectedCoordinatesIntoLongitudeLatitude) {
    test::register_gdal();
    OGRSpatialReference utm;
    utm.importFromEPSG(32648); // UTM zone 48N: central meridian 105 E, false easting 500 km
    char* wkt = nullptr;
    utm.exportToWkt(&wkt);
    const std::string utm_wkt = wkt;
    CPLFree(wkt);
    std::vector<Coord> points = {{500000, 0}};
    to_lonlat(utm_wkt, points);
    EXPECT_NEAR(points[0].x, 105, 1e-9);
    EXPECT_NEAR(points[0].y, 0, 1e-9);
    // Longitude/latitude stays as it is.
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.exportToWkt(&wkt);
    const std::string wgs84_wkt = wkt;
    CPLFree(wkt);
    std::vector<Coord> lonlat = {{105.5, 21.25}};
    to_lonlat(wgs84_wkt, lonlat);
    EXPECT_EQ(lonlat[0], (Coord{105.5, 21.25}));
}

} // namespace
} // namespace amsim::geo
