#pragma once
/// @file overlay.hpp
/// Overlay measures between two polygon sets, computed by GEOS on every core.

#include "amsim/geo/polygon_set.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace amsim::geo {

/// Intersection over union of part `first` of `a` with part `second` of `b`, per pair (both
/// sets in the same, preferably equal-area, CRS). An invalid pair is intersected once more
/// after repair (MakeValid); a pair GEOS cannot intersect, or an empty part, has no value.
[[nodiscard]] std::vector<std::optional<double>>
intersection_over_union(const PolygonSet& a,
                        const PolygonSet& b,
                        std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs);

/// One part of `b` overlapping a part of `a`, and the area of their intersection.
struct Overlap {
    std::uint32_t part = 0; ///< in b
    double area = 0;        ///< in the sets' CRS units squared
};

/// For every part of `a`, the parts of `b` it overlaps with a positive area, found through an
/// STRtree of `b`'s envelopes, in the tree's (deterministic) order. Each part of `a` is made
/// valid before it is intersected; `consider(i, j)`, when given, says which pairs to intersect.
/// Empty parts of `a` overlap nothing.
[[nodiscard]] std::vector<std::vector<Overlap>>
overlap_areas(const PolygonSet& a,
              const PolygonSet& b,
              const std::function<bool(std::size_t, std::size_t)>& consider = {},
              const std::function<void(double)>& progress = {});

/// Part `part` of `set` cut along the parts of `cutters`: piece k (k >= 1) is the part's
/// intersection with cutters part `cut[k]`; piece 0 is what the others leave (the part minus
/// their union), so that the pieces cover the part exactly and never overlap. A piece under
/// `min_fraction` of the part's area is left in piece 0 (no slivers). Returns one part per
/// entry of `cut` (cut[0] is not read), possibly empty. Invalid input is repaired (MakeValid)
/// first; a GeometryError if GEOS cannot cut it.
[[nodiscard]] PolygonSet cut_part(const PolygonSet& set,
                                  std::size_t part,
                                  const PolygonSet& cutters,
                                  std::span<const std::size_t> cut,
                                  double min_fraction);

} // namespace amsim::geo
