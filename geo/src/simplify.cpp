#include "amsim/geo/simplify.hpp"

#include "amsim/core/error.hpp"

#include <ogr_spatialref.h>

#include <memory>
#include <utility>

namespace amsim::geo {

namespace {

/// Squared distance from p to the segment ab.
double segment_distance2(const Coord& p, const Coord& a, const Coord& b) noexcept {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

} // namespace

std::vector<Coord> simplify_line(std::span<const Coord> line, double tolerance) {
    if (line.size() <= 2 || tolerance <= 0) {
        return {line.begin(), line.end()};
    }
    std::vector<bool> keep(line.size(), false);
    keep.front() = keep.back() = true;
    const double tol2 = tolerance * tolerance;
    // An explicit stack: a national arc may have tens of thousands of vertices.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, line.size() - 1}};
    while (!stack.empty()) {
        const auto [first, last] = stack.back();
        stack.pop_back();
        double worst = -1;
        std::size_t at = first;
        for (std::size_t i = first + 1; i < last; ++i) {
            const double d = segment_distance2(line[i], line[first], line[last]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tol2) {
            keep[at] = true;
            stack.emplace_back(first, at);
            stack.emplace_back(at, last);
        }
    }
    std::vector<Coord> out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (keep[i]) {
            out.push_back(line[i]);
        }
    }
    return out;
}

void to_lonlat(const std::string& crs_wkt, std::vector<Coord>& coords) {
    OGRSpatialReference from;
    if (crs_wkt.empty() || from.importFromWkt(crs_wkt.c_str()) != OGRERR_NONE ||
        from.IsGeographic() != 0) {
        return; // longitude/latitude already (or no CRS: taken as such)
    }
    from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const std::unique_ptr<OGRCoordinateTransformation> t(
        OGRCreateCoordinateTransformation(&from, &wgs84));
    if (!t) {
        throw InputError("cannot transform the base layer's CRS into longitude/latitude");
    }
    for (Coord& c : coords) {
        if (!t->Transform(1, &c.x, &c.y)) {
            throw InputError("cannot transform the point (" + std::to_string(c.x) + ", " +
                             std::to_string(c.y) + ") into longitude/latitude");
        }
    }
}

} // namespace amsim::geo
