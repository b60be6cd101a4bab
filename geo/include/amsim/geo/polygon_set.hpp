#pragma once
/// @file polygon_set.hpp
/// A flat, cache-friendly store of many multipolygons (one per "part", e.g. per unit).
/// Rings are stored open (no repeated closing vertex). Shells are counter-clockwise and
/// holes clockwise in the (x, y) plane once normalize_orientation() has run.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace amsim::geo {

struct Coord {
    double x = 0;
    double y = 0;
    friend bool operator==(const Coord&, const Coord&) = default;
};

/// Euclidean distance. (std::hypot guards against overflow that coordinates cannot reach,
/// at several times the cost, on millions of segments.)
inline double distance(const Coord& a, const Coord& b) noexcept {
    const double dx = b.x - a.x, dy = b.y - a.y;
    return std::sqrt(dx * dx + dy * dy);
}

struct Envelope {
    double minx = 1e300, miny = 1e300, maxx = -1e300, maxy = -1e300;
    void expand(const Coord& c) noexcept {
        minx = c.x < minx ? c.x : minx;
        miny = c.y < miny ? c.y : miny;
        maxx = c.x > maxx ? c.x : maxx;
        maxy = c.y > maxy ? c.y : maxy;
    }
    void expand(const Envelope& e) noexcept {
        minx = e.minx < minx ? e.minx : minx;
        miny = e.miny < miny ? e.miny : miny;
        maxx = e.maxx > maxx ? e.maxx : maxx;
        maxy = e.maxy > maxy ? e.maxy : maxy;
    }
    [[nodiscard]] bool empty() const noexcept { return minx > maxx; }
    [[nodiscard]] bool intersects(const Envelope& o) const noexcept {
        return !(o.minx > maxx || o.maxx < minx || o.miny > maxy || o.maxy < miny);
    }
    [[nodiscard]] bool contains(const Envelope& o) const noexcept {
        return o.minx >= minx && o.maxx <= maxx && o.miny >= miny && o.maxy <= maxy;
    }
};

/// Signed area of an open ring by the shoelace formula (positive = counter-clockwise).
[[nodiscard]] double signed_area(std::span<const Coord> ring) noexcept;

/// Length of an open ring's boundary (closing segment included).
[[nodiscard]] double ring_length(std::span<const Coord> ring) noexcept;

/// One edge's share of a point-in-ring test: true if p lies on segment ab (within 1e-12 of
/// the coordinates' magnitude, so that a point on a border up to rounding counts as on it);
/// otherwise flips `inside` when ab crosses the horizontal ray to the right of p.
bool on_edge_or_cross(const Coord& p, const Coord& a, const Coord& b, bool& inside) noexcept;

/// Point-in-ring by crossing number. Returns 1 inside, 0 outside, -1 on the boundary.
[[nodiscard]] int locate_in_ring(const Coord& p, std::span<const Coord> ring) noexcept;

/// Many multipolygons in compressed-row form: part -> polygons -> rings -> coords.
class PolygonSet {
public:
    // --- building --------------------------------------------------------------------
    /// Appends a ring to the current polygon. A closing vertex equal to the first is dropped.
    void add_ring(std::span<const Coord> ring);
    /// Closes the current polygon (its first ring is the shell).
    void end_polygon();
    /// Closes the current part (multipolygon). A part may be empty (no polygons).
    void end_part();
    void reserve(std::size_t coords, std::size_t rings);

    // --- reading ---------------------------------------------------------------------
    [[nodiscard]] std::size_t part_count() const noexcept { return m_part_offsets.size() - 1; }
    [[nodiscard]] std::size_t polygon_count() const noexcept {
        return m_polygon_offsets.size() - 1;
    }
    [[nodiscard]] std::size_t ring_count() const noexcept { return m_ring_offsets.size() - 1; }
    [[nodiscard]] std::size_t coord_count() const noexcept { return m_coords.size(); }

    /// Polygons of part p: [first, last).
    [[nodiscard]] std::uint32_t part_begin(std::size_t p) const { return m_part_offsets[p]; }
    [[nodiscard]] std::uint32_t part_end(std::size_t p) const { return m_part_offsets[p + 1]; }
    /// Rings of polygon q: [first, last); the first is the shell.
    [[nodiscard]] std::uint32_t polygon_begin(std::size_t q) const { return m_polygon_offsets[q]; }
    [[nodiscard]] std::uint32_t polygon_end(std::size_t q) const {
        return m_polygon_offsets[q + 1];
    }
    [[nodiscard]] std::uint32_t ring_begin(std::size_t r) const { return m_ring_offsets[r]; }
    [[nodiscard]] std::uint32_t ring_end(std::size_t r) const { return m_ring_offsets[r + 1]; }
    [[nodiscard]] std::span<const Coord> ring(std::size_t r) const {
        return {m_coords.data() + m_ring_offsets[r], m_ring_offsets[r + 1] - m_ring_offsets[r]};
    }
    [[nodiscard]] std::span<Coord> ring(std::size_t r) {
        return {m_coords.data() + m_ring_offsets[r], m_ring_offsets[r + 1] - m_ring_offsets[r]};
    }
    [[nodiscard]] const std::vector<Coord>& coords() const noexcept { return m_coords; }

    [[nodiscard]] Envelope part_envelope(std::size_t p) const;
    /// Signed planar area of part p (shells minus holes), in squared CRS units.
    [[nodiscard]] double part_area(std::size_t p) const;

    /// Makes shells counter-clockwise and holes clockwise.
    void normalize_orientation();

    /// Appends every part of other (its coordinates are copied).
    void append(const PolygonSet& other);
    /// Appends part p of another set as this set's next part.
    void append_part(const PolygonSet& other, std::size_t p);
    /// Replaces part p by the single part of other (used by repair). O(size).
    void replace_part(std::size_t p, const PolygonSet& other);

private:
    std::vector<Coord> m_coords;
    std::vector<std::uint32_t> m_ring_offsets{0};
    std::vector<std::uint32_t> m_polygon_offsets{0};
    std::vector<std::uint32_t> m_part_offsets{0};
};

/// Area-weighted centroid of part p (shells positive, holes negative); the envelope's centre
/// for a part without area.
[[nodiscard]] Coord centroid(const PolygonSet& set, std::size_t p);

} // namespace amsim::geo
