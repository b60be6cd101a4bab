#include "amsim/geo/polygon_set.hpp"

#include "amsim/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace amsim::geo {

double signed_area(std::span<const Coord> ring) noexcept {
    const std::size_t n = ring.size();
    if (n < 3) {
        return 0;
    }
    // Relative to the first vertex, so large absolute coordinates lose no precision.
    const Coord o = ring[0];
    double sum = 0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double x1 = ring[i].x - o.x, y1 = ring[i].y - o.y;
        const double x2 = ring[i + 1].x - o.x, y2 = ring[i + 1].y - o.y;
        sum += x1 * y2 - x2 * y1;
    }
    return sum / 2;
}

double ring_length(std::span<const Coord> ring) noexcept {
    double sum = 0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
        const Coord& a = ring[i];
        const Coord& b = ring[(i + 1) % n];
        sum += distance(a, b);
    }
    return sum;
}

bool on_edge_or_cross(const Coord& p, const Coord& a, const Coord& b, bool& inside) noexcept {
    const double eps = 1e-12 * (1 + std::abs(p.x) + std::abs(p.y));
    const double ymin = std::min(a.y, b.y), ymax = std::max(a.y, b.y);
    if (p.y < ymin - eps || p.y > ymax + eps) {
        return false; // neither on the edge nor crossed by the ray
    }
    const bool spans = (a.y > p.y) != (b.y > p.y);
    const double xmin = std::min(a.x, b.x), xmax = std::max(a.x, b.x);
    if (p.x < xmin - eps) {
        inside = spans ? !inside : inside; // the edge lies wholly right of p
        return false;
    }
    if (p.x > xmax + eps) {
        return false; // wholly left of p
    }
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double cross = dx * (p.y - a.y) - dy * (p.x - a.x);
    if (cross * cross <= eps * eps * (dx * dx + dy * dy)) {
        return true;
    }
    if (spans && p.x < a.x + (p.y - a.y) * dx / dy) {
        inside = !inside;
    }
    return false;
}

int locate_in_ring(const Coord& p, std::span<const Coord> ring) noexcept {
    const std::size_t n = ring.size();
    bool inside = false;
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        if (on_edge_or_cross(p, ring[i], ring[j], inside)) {
            return -1;
        }
    }
    return inside ? 1 : 0;
}

void PolygonSet::add_ring(std::span<const Coord> ring) {
    std::size_t n = ring.size();
    if (n > 1 && ring.front() == ring.back()) {
        --n;
    }
    if (m_coords.size() + n > std::numeric_limits<std::uint32_t>::max()) {
        throw InternalError("polygon set exceeds 4 billion vertices");
    }
    m_coords.insert(m_coords.end(), ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(n));
    m_ring_offsets.push_back(static_cast<std::uint32_t>(m_coords.size()));
}

void PolygonSet::end_polygon() {
    if (m_ring_offsets.size() - 1 == m_polygon_offsets.back()) {
        return; // no ring since the last polygon: nothing to close
    }
    m_polygon_offsets.push_back(static_cast<std::uint32_t>(m_ring_offsets.size() - 1));
}

void PolygonSet::end_part() {
    end_polygon();
    m_part_offsets.push_back(static_cast<std::uint32_t>(m_polygon_offsets.size() - 1));
}

void PolygonSet::reserve(std::size_t coords, std::size_t rings) {
    m_coords.reserve(coords);
    m_ring_offsets.reserve(rings + 1);
}

Envelope PolygonSet::part_envelope(std::size_t p) const {
    Envelope e;
    for (std::uint32_t q = part_begin(p); q < part_end(p); ++q) {
        // The shell bounds the polygon.
        for (const Coord& c : ring(polygon_begin(q))) {
            e.expand(c);
        }
    }
    return e;
}

double PolygonSet::part_area(std::size_t p) const {
    double a = 0;
    for (std::uint32_t q = part_begin(p); q < part_end(p); ++q) {
        for (std::uint32_t r = polygon_begin(q); r < polygon_end(q); ++r) {
            const double s = std::abs(signed_area(ring(r)));
            a += (r == polygon_begin(q)) ? s : -s;
        }
    }
    return a;
}

void PolygonSet::normalize_orientation() {
    for (std::size_t q = 0; q < polygon_count(); ++q) {
        for (std::uint32_t r = polygon_begin(q); r < polygon_end(q); ++r) {
            const bool shell = (r == polygon_begin(q));
            const double s = signed_area(ring(r));
            if ((shell && s < 0) || (!shell && s > 0)) {
                auto rg = ring(r);
                std::reverse(rg.begin(), rg.end());
            }
        }
    }
}

void PolygonSet::append(const PolygonSet& other) {
    for (std::size_t p = 0; p < other.part_count(); ++p) {
        append_part(other, p);
    }
}

void PolygonSet::append_part(const PolygonSet& other, std::size_t p) {
    for (std::uint32_t q = other.part_begin(p); q < other.part_end(p); ++q) {
        for (std::uint32_t r = other.polygon_begin(q); r < other.polygon_end(q); ++r) {
            add_ring(other.ring(r));
        }
        end_polygon();
    }
    end_part();
}

void PolygonSet::replace_part(std::size_t p, const PolygonSet& other) {
    if (other.part_count() != 1) {
        throw InternalError("replace_part needs exactly one part");
    }
    PolygonSet out;
    out.reserve(m_coords.size() + other.coord_count(), ring_count() + other.ring_count());
    for (std::size_t i = 0; i < part_count(); ++i) {
        const PolygonSet& src = (i == p) ? other : *this;
        const std::size_t sp = (i == p) ? 0 : i;
        for (std::uint32_t q = src.part_begin(sp); q < src.part_end(sp); ++q) {
            for (std::uint32_t r = src.polygon_begin(q); r < src.polygon_end(q); ++r) {
                out.add_ring(src.ring(r));
            }
            out.end_polygon();
        }
        out.end_part();
    }
    *this = std::move(out);
}

Coord centroid(const PolygonSet& set, std::size_t p) {
    double a = 0, cx = 0, cy = 0;
    for (std::uint32_t q = set.part_begin(p); q < set.part_end(p); ++q) {
        for (std::uint32_t r = set.polygon_begin(q); r < set.polygon_end(q); ++r) {
            const auto ring = set.ring(r);
            const Coord o = ring[0];
            for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
                const double x1 = ring[i].x - o.x, y1 = ring[i].y - o.y;
                const double x2 = ring[i + 1].x - o.x, y2 = ring[i + 1].y - o.y;
                const double t = (x1 * y2 - x2 * y1) / 2;
                a += t;
                cx += t * (o.x + ring[i].x + ring[i + 1].x) / 3;
                cy += t * (o.y + ring[i].y + ring[i + 1].y) / 3;
            }
        }
    }
    if (a == 0) {
        const Envelope e = set.part_envelope(p);
        return {(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2};
    }
    return {cx / a, cy / a};
}

} // namespace amsim::geo
