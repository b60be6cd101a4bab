#include "amsim/geo/topology.hpp"

#include "amsim/geo/equal_area.hpp"
#include "amsim/geo/error.hpp"
#include "detail/flat_hash.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>

namespace amsim::geo {

namespace {

std::uint64_t bits(double d) noexcept {
    if (d == 0) {
        d = 0; // -0.0 and 0.0 are one point
    }
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    return u;
}

std::uint64_t edge_key(std::uint32_t a, std::uint32_t b) noexcept {
    return a < b ? (std::uint64_t{a} << 32) | b : (std::uint64_t{b} << 32) | a;
}

std::string point_text(const Coord& c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.7f %.7f", c.x, c.y);
    return buf;
}

/// Union-find over node ids; the root is the smallest id (deterministic).
class UnionFind {
public:
    explicit UnionFind(std::size_t n) : m_parent(n) {
        std::iota(m_parent.begin(), m_parent.end(), 0U);
    }
    std::uint32_t find(std::uint32_t a) {
        while (m_parent[a] != a) {
            m_parent[a] = m_parent[m_parent[a]];
            a = m_parent[a];
        }
        return a;
    }
    bool unite(std::uint32_t a, std::uint32_t b) {
        a = find(a);
        b = find(b);
        if (a == b) {
            return false;
        }
        if (b < a) {
            std::swap(a, b);
        }
        m_parent[b] = a;
        return true;
    }
    void grow(std::size_t n) {
        const auto old = m_parent.size();
        m_parent.resize(n);
        std::iota(m_parent.begin() + static_cast<std::ptrdiff_t>(old), m_parent.end(),
                  static_cast<std::uint32_t>(old));
    }

private:
    std::vector<std::uint32_t> m_parent;
};

/// Rings as node sequences (compressed rows), with the unit of each ring.
struct RingNodes {
    std::vector<std::uint32_t> offsets{0};
    std::vector<std::uint32_t> nodes;
    std::vector<std::uint32_t> unit;

    [[nodiscard]] std::size_t ring_count() const { return unit.size(); }
    /// Segment k of the flat array runs nodes[k] -> nodes[next(k)].
    [[nodiscard]] std::uint32_t next(std::uint32_t k, std::size_t ring) const {
        return (k + 1 == offsets[ring + 1]) ? offsets[ring] : k + 1;
    }
};

/// Closes a ring in progress: drops a repeated closing node, keeps rings of 3+ nodes.
void close_ring(RingNodes& rn, std::uint32_t unit) {
    const std::uint32_t start = rn.offsets.back();
    while (rn.nodes.size() > start + 1 && rn.nodes.back() == rn.nodes[start]) {
        rn.nodes.pop_back();
    }
    if (rn.nodes.size() - start < 3) {
        rn.nodes.resize(start);
        return;
    }
    rn.offsets.push_back(static_cast<std::uint32_t>(rn.nodes.size()));
    rn.unit.push_back(unit);
}

struct Segment {
    std::uint32_t flat; ///< index in RingNodes::nodes of the start
    std::uint32_t ring;
};

/// Squared distance from p to segment ab and the projection parameter.
double seg_dist2(const Coord& p, const Coord& a, const Coord& b, double& t) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    const double tc = std::clamp(t, 0.0, 1.0);
    const double ex = a.x + tc * dx - p.x, ey = a.y + tc * dy - p.y;
    return ex * ex + ey * ey;
}

/// Proper intersection of ab and cd (interiors cross at one point); returns parameters.
bool proper_crossing(const Coord& a, const Coord& b, const Coord& c, const Coord& d,
                     double& t, double& u) {
    const double rx = b.x - a.x, ry = b.y - a.y;
    const double sx = d.x - c.x, sy = d.y - c.y;
    const double den = rx * sy - ry * sx;
    if (den == 0) {
        return false; // parallel or collinear: near-collinear overlap is a snapping matter
    }
    const double qx = c.x - a.x, qy = c.y - a.y;
    t = (qx * sy - qy * sx) / den;
    u = (qx * ry - qy * rx) / den;
    return t > 0 && t < 1 && u > 0 && u < 1;
}

struct Split {
    std::uint32_t flat;
    double t;
    std::uint32_t node;
    bool operator<(const Split& o) const {
        return flat != o.flat ? flat < o.flat : (t != o.t ? t < o.t : node < o.node);
    }
};

/// A uniform grid over free segments: cell -> segment ids (sorted pairs).
class SegmentGrid {
public:
    SegmentGrid(double cell, const Coord& origin) : m_cell(cell), m_origin(origin) {}

    [[nodiscard]] std::int64_t cx(double x) const {
        return static_cast<std::int64_t>(std::floor((x - m_origin.x) / m_cell));
    }
    [[nodiscard]] std::int64_t cy(double y) const {
        return static_cast<std::int64_t>(std::floor((y - m_origin.y) / m_cell));
    }
    static std::uint64_t key(std::int64_t x, std::int64_t y) {
        return (static_cast<std::uint64_t>(x + (1LL << 31)) << 32) ^
               static_cast<std::uint64_t>(y + (1LL << 31));
    }
    void add(std::uint32_t id, const Envelope& e) {
        for (std::int64_t x = cx(e.minx); x <= cx(e.maxx); ++x) {
            for (std::int64_t y = cy(e.miny); y <= cy(e.maxy); ++y) {
                m_entries.push_back({key(x, y), id});
            }
        }
    }
    void finish() { std::sort(m_entries.begin(), m_entries.end()); }
    /// Segment ids in the cell holding p.
    template <typename F>
    void for_cell(const Coord& p, F&& f) const {
        const std::uint64_t k = key(cx(p.x), cy(p.y));
        auto it = std::lower_bound(m_entries.begin(), m_entries.end(), Entry{k, 0});
        for (; it != m_entries.end() && it->key == k; ++it) {
            f(it->id);
        }
    }
    /// Pairs of ids sharing a cell (each pair possibly several times), i < j.
    template <typename F>
    void for_pairs(F&& f) const {
        std::size_t i = 0;
        while (i < m_entries.size()) {
            std::size_t j = i;
            while (j < m_entries.size() && m_entries[j].key == m_entries[i].key) {
                ++j;
            }
            for (std::size_t a = i; a < j; ++a) {
                for (std::size_t b = a + 1; b < j; ++b) {
                    f(m_entries[a].id, m_entries[b].id);
                }
            }
            i = j;
        }
    }

private:
    struct Entry {
        std::uint64_t key;
        std::uint32_t id;
        bool operator<(const Entry& o) const { return key != o.key ? key < o.key : id < o.id; }
    };
    double m_cell;
    Coord m_origin;
    std::vector<Entry> m_entries;
};

struct Edge {
    std::uint32_t a, b;
    std::uint32_t left, right;
    std::uint32_t next_same_key; ///< chain of edges with the same node pair
};

/// Twice the signed area of a node chain relative to origin, computed relative to its
/// first point for precision: sum (p_i - s) x (p_i+1 - s) + (s - o) x (e - s).
double chain_area2(std::span<const std::uint32_t> chain, const std::vector<Coord>& nodes,
                   const Coord& origin) {
    const Coord s = nodes[chain[0]];
    long double sum = 0;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        const Coord& p = nodes[chain[i]];
        const Coord& q = nodes[chain[i + 1]];
        sum += static_cast<long double>((p.x - s.x) * (q.y - s.y) - (q.x - s.x) * (p.y - s.y));
    }
    const Coord& e = nodes[chain.back()];
    sum += static_cast<long double>((s.x - origin.x) * (e.y - s.y) - (e.x - s.x) * (s.y - origin.y));
    return static_cast<double>(sum);
}

} // namespace

Topology Topology::build(const PolygonSet& geometry, const TopologyOptions& options) {
    Topology topo;
    topo.m_unit_count = geometry.part_count();
    TopologyStats& st = topo.m_stats;
    st.vertices = geometry.coord_count();

    Envelope all;
    for (const Coord& c : geometry.coords()) {
        all.expand(c);
    }
    topo.m_origin = all.empty() ? Coord{} : Coord{(all.minx + all.maxx) / 2, (all.miny + all.maxy) / 2};

    // 1. Exact vertex identity.
    report(options.progress, "topology: nodes", 0);
    std::vector<Coord>& nodes = topo.m_nodes;
    std::vector<std::uint32_t> vertex_node(geometry.coord_count());
    {
        detail::FlatHash128 index(geometry.coord_count());
        const auto& coords = geometry.coords();
        for (std::size_t i = 0; i < coords.size(); ++i) {
            bool inserted = false;
            const std::uint32_t id = index.find_or_insert(
                bits(coords[i].x), bits(coords[i].y), static_cast<std::uint32_t>(nodes.size()),
                inserted);
            if (inserted) {
                nodes.push_back(coords[i]);
            }
            vertex_node[i] = id;
        }
    }

    RingNodes rings;
    rings.nodes.reserve(geometry.coord_count());
    for (std::size_t p = 0; p < geometry.part_count(); ++p) {
        for (std::uint32_t q = geometry.part_begin(p); q < geometry.part_end(p); ++q) {
            for (std::uint32_t r = geometry.polygon_begin(q); r < geometry.polygon_end(q); ++r) {
                for (std::uint32_t v = geometry.ring_begin(r); v < geometry.ring_end(r); ++v) {
                    const std::uint32_t n = vertex_node[v];
                    if (rings.nodes.size() == rings.offsets.back() || rings.nodes.back() != n) {
                        rings.nodes.push_back(n);
                    }
                }
                close_ring(rings, static_cast<std::uint32_t>(p));
            }
        }
    }
    vertex_node = {};
    report(options.progress, "topology: nodes", 1);

    // 2. Exact segment matching: which segments have no twin?
    auto count_segments = [&](std::vector<Segment>& free) {
        // Per node pair: uses in the low 16 bits, uses running from the smaller node id in
        // the high bits. A segment is matched only by exactly one twin running the other way.
        detail::FlatHash64 counts(rings.nodes.size());
        auto forward = [](std::uint32_t a, std::uint32_t b) { return a < b ? 0x10001U : 1U; };
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                const std::uint32_t a = rings.nodes[k], b = rings.nodes[rings.next(k, r)];
                counts.add(edge_key(a, b), forward(a, b));
            }
        }
        free.clear();
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                const std::uint32_t a = rings.nodes[k], b = rings.nodes[rings.next(k, r)];
                if (counts.get(edge_key(a, b)) != 0x10002U) {
                    free.push_back({k, static_cast<std::uint32_t>(r)});
                }
            }
        }
    };
    std::vector<Segment> free;
    count_segments(free);
    st.exact_free_segments = free.size();

    // 3. Snapping within the tolerance, on free segments only.
    const double tol = options.snap_tolerance;
    // Repeated (at most 4 passes) because moves and splits can make new near-misses.
    for (int pass = 0; pass < 4 && tol > 0 && !free.empty(); ++pass) {
        report(options.progress, "topology: snap", 0);
        const std::size_t merged_before = st.nodes_merged;
        auto seg_a = [&](const Segment& s) -> std::uint32_t { return rings.nodes[s.flat]; };
        auto seg_b = [&](const Segment& s) -> std::uint32_t {
            return rings.nodes[rings.next(s.flat, s.ring)];
        };
        double total_len = 0;
        for (const Segment& s : free) {
            const Coord& a = nodes[seg_a(s)];
            const Coord& b = nodes[seg_b(s)];
            total_len += std::hypot(b.x - a.x, b.y - a.y);
        }
        const double cell = std::max(8 * tol, 2 * total_len / static_cast<double>(free.size()));
        SegmentGrid grid(cell, topo.m_origin);
        for (std::uint32_t i = 0; i < free.size(); ++i) {
            Envelope e;
            e.expand(nodes[seg_a(free[i])]);
            e.expand(nodes[seg_b(free[i])]);
            e.minx -= tol;
            e.miny -= tol;
            e.maxx += tol;
            e.maxy += tol;
            grid.add(i, e);
        }
        grid.finish();
        const double tol2 = tol * tol;

        // 3a. Vertex-vertex: free nodes closer than tol become one (smallest id wins).
        UnionFind uf(nodes.size());
        for (const Segment& s : free) {
          for (const std::uint32_t v : {seg_a(s), seg_b(s)}) {
            const Coord pv = nodes[v];
            grid.for_cell(pv, [&](std::uint32_t id) {
                for (std::uint32_t w : {seg_a(free[id]), seg_b(free[id])}) {
                    if (w == v) {
                        continue;
                    }
                    const double dx = nodes[w].x - pv.x, dy = nodes[w].y - pv.y;
                    if (dx * dx + dy * dy <= tol2 && uf.unite(v, w)) {
                        ++st.nodes_merged;
                    }
                }
            });
          }
        }
        auto root_coord = [&](std::uint32_t n) -> const Coord& { return nodes[uf.find(n)]; };
        for (const Segment& s : free) {
            for (std::uint32_t n : {seg_a(s), seg_b(s)}) {
                const Coord& c = nodes[n];
                const Coord& r = root_coord(n);
                st.max_snap_distance = std::max(st.max_snap_distance, std::hypot(c.x - r.x, c.y - r.y));
            }
        }

        // 3b. Vertex on a neighbour's segment: insert it there.
        std::vector<Split> splits;
        for (const Segment& s : free) {
          for (const std::uint32_t end : {seg_a(s), seg_b(s)}) {
            const std::uint32_t v = uf.find(end);
            const Coord pv = nodes[v];
            grid.for_cell(pv, [&](std::uint32_t id) {
                const std::uint32_t a = uf.find(seg_a(free[id]));
                const std::uint32_t b = uf.find(seg_b(free[id]));
                if (a == v || b == v || a == b) {
                    return;
                }
                double t = 0;
                const double d2 = seg_dist2(pv, nodes[a], nodes[b], t);
                if (d2 <= tol2 && t > 0 && t < 1) {
                    splits.push_back({free[id].flat, t, v});
                    st.max_snap_distance = std::max(st.max_snap_distance, std::sqrt(d2));
                }
            });
          }
        }
        // 3c. Proper crossings between free segments: node them.
        const std::size_t first_crossing_node = nodes.size();
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        grid.for_pairs([&](std::uint32_t i, std::uint32_t j) { pairs.emplace_back(i, j); });
        std::sort(pairs.begin(), pairs.end());
        pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::size_t, Coord>> crossing_units;
        for (auto [i, j] : pairs) {
            const std::uint32_t a = uf.find(seg_a(free[i])), b = uf.find(seg_b(free[i]));
            const std::uint32_t c = uf.find(seg_a(free[j])), d = uf.find(seg_b(free[j]));
            if (a == c || a == d || b == c || b == d || a == b || c == d) {
                continue;
            }
            double t = 0, u = 0;
            if (!proper_crossing(nodes[a], nodes[b], nodes[c], nodes[d], t, u)) {
                continue;
            }
            const Coord x{nodes[a].x + t * (nodes[b].x - nodes[a].x),
                          nodes[a].y + t * (nodes[b].y - nodes[a].y)};
            const auto id = static_cast<std::uint32_t>(nodes.size());
            nodes.push_back(x);
            uf.grow(nodes.size());
            splits.push_back({free[i].flat, t, id});
            splits.push_back({free[j].flat, u, id});
            ++st.crossings_noded;
            std::uint32_t ua = rings.unit[free[i].ring], ub = rings.unit[free[j].ring];
            if (ub < ua) {
                std::swap(ua, ub);
            }
            auto& entry = crossing_units[{ua, ub}];
            if (entry.first++ == 0) {
                entry.second = x;
            }
        }
        for (const auto& [units, entry] : crossing_units) {
            if (units.first != units.second) {
                topo.m_overlapping_pairs.push_back(units);
            }
            topo.m_diagnostics.push_back(
                {Severity::warning, "crossing_borders", point_text(entry.second),
                 "borders of units #" + std::to_string(units.first) + " and #" +
                     std::to_string(units.second) + " cross " + std::to_string(entry.first) +
                     " time(s): they overlap"});
        }
        std::sort(splits.begin(), splits.end());
        splits.erase(std::unique(splits.begin(), splits.end(),
                                 [](const Split& x, const Split& y) {
                                     return x.flat == y.flat && x.node == y.node;
                                 }),
                     splits.end());
        st.vertices_inserted += static_cast<std::size_t>(
            std::count_if(splits.begin(), splits.end(), [&](const Split& sp) {
                return sp.node < first_crossing_node;
            }));

        // 3d. Rebuild the rings with roots and inserted nodes.
        RingNodes out;
        out.nodes.reserve(rings.nodes.size() + splits.size());
        std::size_t si = 0;
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            auto push = [&](std::uint32_t n) {
                n = uf.find(n);
                if (out.nodes.size() == out.offsets.back() || out.nodes.back() != n) {
                    out.nodes.push_back(n);
                }
            };
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                push(rings.nodes[k]);
                while (si < splits.size() && splits[si].flat < k) {
                    ++si;
                }
                for (; si < splits.size() && splits[si].flat == k; ++si) {
                    push(splits[si].node);
                }
            }
            close_ring(out, rings.unit[r]);
        }
        rings = std::move(out);
        report(options.progress, "topology: snap", 1);
        if (splits.empty() && st.nodes_merged == merged_before) {
            break;
        }
        count_segments(free);
    }

    // 4. Edges: a segment and its reverse twin make one edge with a unit on each side.
    report(options.progress, "topology: edges", 0);
    std::vector<Edge> edges;
    edges.reserve(rings.nodes.size() / 2 + 16);
    {
        detail::FlatHash64 first_edge(rings.nodes.size());
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::size_t, Coord>> dups;
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            const std::uint32_t unit = rings.unit[r];
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                const std::uint32_t a = rings.nodes[k];
                const std::uint32_t b = rings.nodes[rings.next(k, r)];
                const std::uint64_t key = edge_key(a, b);
                std::uint32_t e = first_edge.get_or(key, no_unit);
                std::uint32_t last = no_unit;
                bool matched = false;
                bool seen = false;
                for (; e != no_unit; last = e, e = edges[e].next_same_key) {
                    seen = true;
                    if (edges[e].right == no_unit && edges[e].a == b && edges[e].b == a) {
                        edges[e].right = unit;
                        matched = true;
                        break;
                    }
                }
                if (matched) {
                    continue;
                }
                const auto id = static_cast<std::uint32_t>(edges.size());
                edges.push_back({a, b, unit, no_unit, no_unit});
                if (last == no_unit) {
                    first_edge.set(key, id);
                } else {
                    edges[last].next_same_key = id;
                }
                if (seen) {
                    ++st.duplicate_edges;
                    const std::uint32_t other = edges[first_edge.get(key)].left;
                    auto& d = dups[{std::min(other, unit), std::max(other, unit)}];
                    if (d.first++ == 0) {
                        d.second = nodes[a];
                    }
                }
            }
        }
        for (const auto& [units, d] : dups) {
            if (units.first != units.second) {
                topo.m_overlapping_pairs.push_back(units);
            }
            topo.m_diagnostics.push_back(
                {Severity::warning, "duplicate_edge", point_text(d.second),
                 std::to_string(d.first) + " segment(s) of units #" + std::to_string(units.first) +
                     " and #" + std::to_string(units.second) +
                     " run the same way along one border: the units overlap there"});
        }
    }
    std::sort(topo.m_overlapping_pairs.begin(), topo.m_overlapping_pairs.end());
    topo.m_overlapping_pairs.erase(
        std::unique(topo.m_overlapping_pairs.begin(), topo.m_overlapping_pairs.end()),
        topo.m_overlapping_pairs.end());
    st.nodes = 0;
    st.edges = edges.size();
    st.shared_edges = static_cast<std::size_t>(std::count_if(
        edges.begin(), edges.end(), [](const Edge& e) { return e.right != no_unit; }));
    report(options.progress, "topology: edges", 1);

    // 5. Arcs: maximal chains of edges through nodes of degree 2 with the same two sides.
    report(options.progress, "topology: arcs", 0);
    std::vector<std::uint32_t> inc_offsets(nodes.size() + 1, 0);
    for (const Edge& e : edges) {
        ++inc_offsets[e.a + 1];
        ++inc_offsets[e.b + 1];
    }
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        inc_offsets[i + 1] += inc_offsets[i];
        st.nodes += inc_offsets[i + 1] != inc_offsets[i];
    }
    std::vector<std::uint32_t> inc(inc_offsets.back());
    {
        std::vector<std::uint32_t> fill(inc_offsets.begin(), inc_offsets.end() - 1);
        for (std::uint32_t i = 0; i < edges.size(); ++i) {
            inc[fill[edges[i].a]++] = i;
            inc[fill[edges[i].b]++] = i;
        }
    }
    // Sides of edge e when walked away from node n: (left, right).
    auto sides_from = [&](std::uint32_t e, std::uint32_t n) {
        return edges[e].a == n ? std::pair{edges[e].left, edges[e].right}
                               : std::pair{edges[e].right, edges[e].left};
    };
    auto is_junction = [&](std::uint32_t n) {
        const std::uint32_t deg = inc_offsets[n + 1] - inc_offsets[n];
        if (deg != 2) {
            return true;
        }
        const std::uint32_t e1 = inc[inc_offsets[n]], e2 = inc[inc_offsets[n] + 1];
        const auto s1 = sides_from(e1, n); // walking away along e1
        const auto s2 = sides_from(e2, n);
        // Arriving along e1 means sides (s1.second, s1.first); leaving along e2 gives s2.
        return !(s1.second == s2.first && s1.first == s2.second);
    };
    std::vector<bool> visited(edges.size(), false);
    auto walk = [&](std::uint32_t start_node, std::uint32_t first) {
        auto [left, right] = sides_from(first, start_node);
        std::vector<std::uint32_t> chain{start_node};
        std::uint32_t n = start_node;
        std::uint32_t e = first;
        while (true) {
            visited[e] = true;
            n = edges[e].a == n ? edges[e].b : edges[e].a;
            chain.push_back(n);
            if (n == start_node || is_junction(n)) {
                break;
            }
            const std::uint32_t e1 = inc[inc_offsets[n]], e2 = inc[inc_offsets[n] + 1];
            e = (e1 == e) ? e2 : e1;
            if (visited[e]) {
                break;
            }
        }
        if (left == no_unit && right != no_unit) {
            std::reverse(chain.begin(), chain.end());
            std::swap(left, right);
        }
        topo.m_arc_nodes.insert(topo.m_arc_nodes.end(), chain.begin(), chain.end());
        topo.m_arc_offsets.push_back(static_cast<std::uint32_t>(topo.m_arc_nodes.size()));
        topo.m_arc_left.push_back(left);
        topo.m_arc_right.push_back(right);
    };
    for (std::uint32_t n = 0; n < nodes.size(); ++n) {
        if (inc_offsets[n + 1] == inc_offsets[n] || !is_junction(n)) {
            continue;
        }
        for (std::uint32_t k = inc_offsets[n]; k < inc_offsets[n + 1]; ++k) {
            const std::uint32_t e = inc[k];
            // A loop edge (a == b cannot occur) or an edge already walked from its other end.
            if (!visited[e]) {
                walk(n, e);
            }
        }
    }
    for (std::uint32_t e = 0; e < edges.size(); ++e) {
        if (!visited[e]) {
            walk(edges[e].a, e); // closed loop without a junction
        }
    }
    for (std::size_t a = 0; a < topo.arc_count(); ++a) {
        auto chain = topo.arc_nodes(a);
        topo.m_arc_area2.push_back(chain_area2(chain, nodes, topo.m_origin));
        Envelope env;
        for (std::uint32_t n : chain) {
            env.expand(nodes[n]);
        }
        topo.m_arc_envelope.push_back(env);
        st.free_arcs += topo.m_arc_right[a] == no_unit;
    }
    st.arcs = topo.arc_count();
    report(options.progress, "topology: arcs", 1);
    return topo;
}

void Topology::set_metric(const EqualAreaProjection& projection) {
    std::vector<Coord> metric = m_nodes;
    projection.project_in_place(metric);
    m_arc_metric_area2.resize(arc_count());
    m_arc_length.resize(arc_count());
    for (std::size_t a = 0; a < arc_count(); ++a) {
        auto chain = arc_nodes(a);
        m_arc_metric_area2[a] = chain_area2(chain, metric, Coord{0, 0});
        double len = 0;
        for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
            const Coord& p = metric[chain[i]];
            const Coord& q = metric[chain[i + 1]];
            len += std::hypot(q.x - p.x, q.y - p.y);
        }
        m_arc_length[a] = len;
    }
}

std::vector<double> Topology::unit_areas() const {
    std::vector<long double> sum(m_unit_count, 0);
    const auto& area2 = has_metric() ? m_arc_metric_area2 : m_arc_area2;
    for (std::size_t a = 0; a < arc_count(); ++a) {
        if (m_arc_left[a] != no_unit) {
            sum[m_arc_left[a]] += area2[a];
        }
        if (m_arc_right[a] != no_unit) {
            sum[m_arc_right[a]] -= area2[a];
        }
    }
    std::vector<double> out(m_unit_count);
    for (std::size_t u = 0; u < m_unit_count; ++u) {
        out[u] = static_cast<double>(sum[u] / 2);
    }
    return out;
}

std::vector<double> Topology::unit_perimeters() const {
    std::vector<double> out(m_unit_count, 0);
    for (std::size_t a = 0; a < arc_count(); ++a) {
        double len = m_arc_length.empty() ? 0 : m_arc_length[a];
        if (m_arc_length.empty()) {
            auto chain = arc_nodes(a);
            for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
                len += std::hypot(m_nodes[chain[i + 1]].x - m_nodes[chain[i]].x,
                                  m_nodes[chain[i + 1]].y - m_nodes[chain[i]].y);
            }
        }
        if (m_arc_left[a] != no_unit) {
            out[m_arc_left[a]] += len;
        }
        if (m_arc_right[a] != no_unit && m_arc_right[a] != m_arc_left[a]) {
            out[m_arc_right[a]] += len;
        }
    }
    return out;
}

std::vector<Adjacency> Topology::adjacency() const {
    std::vector<Adjacency> pairs;
    for (std::size_t a = 0; a < arc_count(); ++a) {
        const std::uint32_t l = m_arc_left[a], r = m_arc_right[a];
        if (l == no_unit || r == no_unit || l == r) {
            continue;
        }
        double len = 0;
        if (!m_arc_length.empty()) {
            len = m_arc_length[a];
        } else {
            auto chain = arc_nodes(a);
            for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
                len += std::hypot(m_nodes[chain[i + 1]].x - m_nodes[chain[i]].x,
                                  m_nodes[chain[i + 1]].y - m_nodes[chain[i]].y);
            }
        }
        pairs.push_back({std::min(l, r), std::max(l, r), len, 1});
    }
    std::sort(pairs.begin(), pairs.end(), [](const Adjacency& x, const Adjacency& y) {
        return x.a != y.a ? x.a < y.a : x.b < y.b;
    });
    std::vector<Adjacency> out;
    for (const Adjacency& p : pairs) {
        if (!out.empty() && out.back().a == p.a && out.back().b == p.b) {
            out.back().length += p.length;
            out.back().arcs += 1;
        } else {
            out.push_back(p);
        }
    }
    return out;
}

} // namespace amsim::geo
