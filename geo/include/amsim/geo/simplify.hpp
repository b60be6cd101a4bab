#pragma once
/// @file simplify.hpp
/// Lines thinned for display (the editor's map): Douglas-Peucker on one polyline, its ends
/// kept, so that arcs sharing nodes stay joined after each is simplified on its own.

#include "amsim/geo/polygon_set.hpp"

#include <span>
#include <string>
#include <vector>

namespace amsim::geo {

/// The vertices of `line` that Douglas-Peucker keeps at `tolerance` (CRS units): the first and
/// the last always, and every vertex farther than the tolerance from the kept chord around it.
[[nodiscard]] std::vector<Coord> simplify_line(std::span<const Coord> line, double tolerance);

/// Coordinates in `crs_wkt` turned into WGS 84 longitude/latitude in place (nothing to do for
/// a geographic CRS). Throws InputError if the CRS cannot be transformed.
void to_lonlat(const std::string& crs_wkt, std::vector<Coord>& coords);

} // namespace amsim::geo
