#include "detail/snap.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "detail/flat_hash.hpp"

namespace amsim::geo::detail {

namespace {

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
    [[nodiscard]] bool is_root(std::uint32_t a) const { return m_parent[a] == a; }
    /// Points every node at its root, after which root() may be called from any thread.
    void flatten() {
        for (std::uint32_t a = 0; a < m_parent.size(); ++a) {
            m_parent[a] = find(a);
        }
    }
    [[nodiscard]] std::uint32_t root(std::uint32_t a) const { return m_parent[a]; }
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
        std::iota(m_parent.begin() + static_cast<std::ptrdiff_t>(old),
                  m_parent.end(),
                  static_cast<std::uint32_t>(old));
    }

private:
    std::vector<std::uint32_t> m_parent;
};

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
bool proper_crossing(
    const Coord& a, const Coord& b, const Coord& c, const Coord& d, double& t, double& u) {
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
    void finish() {
        tbb::parallel_sort(m_entries.begin(), m_entries.end());
        m_cell_starts.clear();
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            if (i == 0 || m_entries[i].key != m_entries[i - 1].key) {
                m_cell_starts.push_back(static_cast<std::uint32_t>(i));
            }
        }
        m_first = FlatHash64(m_cell_starts.size());
        for (const std::uint32_t start : m_cell_starts) {
            m_first.set(m_entries[start].key, start);
        }
        m_cell_starts.push_back(static_cast<std::uint32_t>(m_entries.size()));
    }
    [[nodiscard]] std::size_t cell_count() const { return m_cell_starts.size() - 1; }
    /// Pairs of ids sharing cell c (the c-th non-empty cell), with its key.
    template <typename F>
    void for_pairs_in_cell(std::size_t c, F&& f) const {
        const std::uint32_t i = m_cell_starts[c], j = m_cell_starts[c + 1];
        for (std::uint32_t a = i; a < j; ++a) {
            for (std::uint32_t b = a + 1; b < j; ++b) {
                f(m_entries[a].id, m_entries[b].id, m_entries[i].key);
            }
        }
    }
    /// Segment ids in the cell holding p.
    template <typename F>
    void for_cell(const Coord& p, F&& f) const {
        for_key(key(cx(p.x), cy(p.y)), f);
    }
    /// Ids in the cells an envelope covers, with each cell's key.
    template <typename F>
    void for_neighbours(const Envelope& e, F&& f) const {
        for (std::int64_t x = cx(e.minx); x <= cx(e.maxx); ++x) {
            for (std::int64_t y = cy(e.miny); y <= cy(e.maxy); ++y) {
                const std::uint64_t k = key(x, y);
                for_key(k, [&](std::uint32_t id) { f(id, k); });
            }
        }
    }
    /// The one cell in which a pair of overlapping envelopes is examined: the cell holding
    /// the lower-left corner of their intersection.
    [[nodiscard]] std::uint64_t home_cell(const Envelope& a, const Envelope& b) const {
        return key(cx(std::max(a.minx, b.minx)), cy(std::max(a.miny, b.miny)));
    }

private:
    struct Entry {
        std::uint64_t key;
        std::uint32_t id;
        bool operator<(const Entry& o) const { return key != o.key ? key < o.key : id < o.id; }
    };
    template <typename F>
    void for_key(std::uint64_t k, F&& f) const {
        const std::uint32_t first = m_first.get_or(k, ~std::uint32_t{0});
        if (first == ~std::uint32_t{0}) {
            return;
        }
        for (std::size_t i = first; i < m_entries.size() && m_entries[i].key == k; ++i) {
            f(m_entries[i].id);
        }
    }
    double m_cell;
    Coord m_origin;
    std::vector<Entry> m_entries;
    std::vector<std::uint32_t> m_cell_starts;
    FlatHash64 m_first{16};
};

/// Segments without exactly one twin running the other way: all of them on the first pass
/// (through the outgoing-segment index), then only those derived from free ones.
std::vector<Segment> free_segments(const RingNodes& rings,
                                   std::size_t node_count,
                                   const std::vector<std::uint8_t>* candidate,
                                   const std::vector<std::uint8_t>* changed) {
    std::vector<Segment> free;
    if (candidate == nullptr) {
        const OutgoingSegments out(rings, node_count);
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                const std::uint32_t a = rings.nodes[k], b = rings.nodes[rings.next(k, r)];
                if (out.count(a, b) != 1 || out.count(b, a) != 1) {
                    free.push_back({k, static_cast<std::uint32_t>(r)});
                }
            }
        }
        return free;
    }
    // Matched segments stay matched through snapping (both copies of a node move together),
    // so only candidates can pair up: count them among themselves. Per node pair: uses in
    // the low 16 bits, uses running from the smaller node id in the high bits. A candidate
    // whose two nodes the last pass left unchanged kept its free status: no segment between
    // its nodes appeared or went. Only those touching a changed node are counted (their
    // twins, with the same nodes, touch it too).
    auto touches = [&](std::uint32_t a, std::uint32_t b) {
        return changed == nullptr || (*changed)[a] != 0 || (*changed)[b] != 0;
    };
    std::size_t n_count = 0;
    for (std::size_t r = 0; r < rings.ring_count(); ++r) {
        for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
            if ((*candidate)[k] != 0 && touches(rings.nodes[k], rings.nodes[rings.next(k, r)])) {
                ++n_count;
            }
        }
    }
    FlatHash64 counts(n_count);
    auto forward = [](std::uint32_t a, std::uint32_t b) { return a < b ? 0x10001U : 1U; };
    for (std::size_t r = 0; r < rings.ring_count(); ++r) {
        for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
            if ((*candidate)[k] != 0) {
                const std::uint32_t a = rings.nodes[k], b = rings.nodes[rings.next(k, r)];
                if (touches(a, b)) {
                    counts.add(edge_key(a, b), forward(a, b));
                }
            }
        }
    }
    for (std::size_t r = 0; r < rings.ring_count(); ++r) {
        for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
            if ((*candidate)[k] != 0) {
                const std::uint32_t a = rings.nodes[k], b = rings.nodes[rings.next(k, r)];
                if (!touches(a, b) || counts.get(edge_key(a, b)) != 0x10002U) {
                    free.push_back({k, static_cast<std::uint32_t>(r)});
                }
            }
        }
    }
    return free;
}

} // namespace

void snap_rings(RingNodes& rings,
                std::vector<Coord>& nodes,
                double tol,
                const Coord& origin,
                TopologyStats& stats,
                SnapFindings& findings,
                const ProgressFn& progress) {
    TopologyStats& st = stats;
    std::vector<Segment> free = free_segments(rings, nodes.size(), nullptr, nullptr);
    st.exact_free_segments = free.size();
    std::vector<std::uint8_t> candidate;
    std::vector<std::uint8_t> changed;
    // Repeated (at most 4 passes) because moves and splits can make new near-misses.
    for (int pass = 0; pass < 4 && tol > 0 && !free.empty(); ++pass) {
        report(progress, "topology: snap", 0);
        const std::size_t merged_before = st.nodes_merged;
        auto seg_a = [&](const Segment& s) -> std::uint32_t { return rings.nodes[s.flat]; };
        auto seg_b = [&](const Segment& s) -> std::uint32_t {
            return rings.nodes[rings.next(s.flat, s.ring)];
        };
        auto in_parallel = [&](std::size_t count, auto&& body) {
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 256),
                              [&](const tbb::blocked_range<std::size_t>& r) {
                                  for (std::size_t k = r.begin(); k != r.end(); ++k) {
                                      body(k);
                                  }
                              });
        };
        // The searches below visit each segment many times, as a neighbour of others: its
        // ends and their points are copied out once, so that a visit is one memory access.
        struct Ends {
            std::uint32_t a, b;
        };
        struct Points {
            Coord a, b;
        };
        std::vector<Ends> ends(free.size());
        std::vector<Points> pts(free.size());
        in_parallel(free.size(), [&](std::size_t i) {
            ends[i] = {seg_a(free[i]), seg_b(free[i])};
            pts[i] = {nodes[ends[i].a], nodes[ends[i].b]};
        });
        double total_len = 0;
        for (const Points& p : pts) {
            total_len += distance(p.a, p.b);
        }
        const double cell = std::max(8 * tol, 2 * total_len / static_cast<double>(free.size()));
        // A segment's envelope grown by the tolerance, as the grid holds it.
        auto env = [&](std::uint32_t i) {
            Envelope e;
            e.expand(pts[i].a);
            e.expand(pts[i].b);
            e.minx -= tol;
            e.miny -= tol;
            e.maxx += tol;
            e.maxy += tol;
            return e;
        };
        // Active: every free segment on the first pass; then those with an end that the
        // previous pass changed. Their partners can only be segments sharing a cell with
        // them, so later passes put only those in the grid.
        std::vector<std::uint32_t> active;
        for (std::uint32_t i = 0; i < free.size(); ++i) {
            if (pass == 0 || changed[seg_a(free[i])] != 0 || changed[seg_b(free[i])] != 0) {
                active.push_back(i);
            }
        }
        SegmentGrid grid(cell, origin);
        if (active.size() == free.size()) {
            for (std::uint32_t i = 0; i < free.size(); ++i) {
                grid.add(i, env(i));
            }
        } else {
            FlatHash64 active_cells(4 * active.size() + 16);
            auto for_cells = [&](const Envelope& e, auto&& f) {
                for (std::int64_t x = grid.cx(e.minx); x <= grid.cx(e.maxx); ++x) {
                    for (std::int64_t y = grid.cy(e.miny); y <= grid.cy(e.maxy); ++y) {
                        f(SegmentGrid::key(x, y));
                    }
                }
            };
            for (const std::uint32_t i : active) {
                for_cells(env(i), [&](std::uint64_t k) { active_cells.set(k, 1); });
            }
            for (std::uint32_t i = 0; i < free.size(); ++i) {
                bool near = false;
                for_cells(env(i),
                          [&](std::uint64_t k) { near = near || active_cells.get(k) != 0; });
                if (near) {
                    grid.add(i, env(i));
                }
            }
        }
        grid.finish();
        const double tol2 = tol * tol;
        std::vector<std::uint8_t> next_changed(nodes.size(), 0);
        auto touch = [&](std::uint32_t n) {
            if (n >= next_changed.size()) {
                next_changed.resize(n + 1, 0);
            }
            next_changed[n] = 1;
        };

        // The three searches below only read; each collects what it finds per thread, and
        // the findings are applied in sorted order, so results do not depend on scheduling.
        // 3a. Vertex-vertex: free nodes closer than tol become one (smallest id wins, so
        // the components and their roots do not depend on the order of the unions).
        tbb::enumerable_thread_specific<std::vector<std::pair<std::uint32_t, std::uint32_t>>>
            close_local;
        in_parallel(active.size(), [&](std::size_t k) {
            const std::uint32_t i = active[k];
            auto& out_pairs = close_local.local();
            auto near = [&](std::uint32_t v, const Coord& pv, std::uint32_t w, const Coord& pw) {
                const double dx = pw.x - pv.x, dy = pw.y - pv.y;
                if (w != v && dx * dx + dy * dy <= tol2) {
                    out_pairs.emplace_back(std::min(v, w), std::max(v, w));
                }
            };
            auto search = [&](std::uint32_t v, const Coord& pv) {
                grid.for_cell(pv, [&](std::uint32_t id) {
                    near(v, pv, ends[id].a, pts[id].a);
                    near(v, pv, ends[id].b, pts[id].b);
                });
            };
            search(ends[i].a, pts[i].a);
            search(ends[i].b, pts[i].b);
        });
        std::vector<std::pair<std::uint32_t, std::uint32_t>> close;
        for (const auto& local : close_local) {
            close.insert(close.end(), local.begin(), local.end());
        }
        std::sort(close.begin(), close.end());
        close.erase(std::unique(close.begin(), close.end()), close.end());
        UnionFind uf(nodes.size());
        for (auto [v, w] : close) {
            if (uf.unite(v, w)) {
                ++st.nodes_merged;
                touch(v);
                touch(w);
            }
        }
        uf.flatten();
        // From here on, segments join merged nodes at their roots.
        std::vector<Ends> roots;
        if (!close.empty()) {
            roots.resize(free.size());
            in_parallel(free.size(), [&](std::size_t i) {
                roots[i] = {uf.root(ends[i].a), uf.root(ends[i].b)};
            });
        }
        auto root_ends = [&](std::uint32_t i) { return roots.empty() ? ends[i] : roots[i]; };
        auto root_points = [&](std::uint32_t i) {
            Points p = pts[i];
            if (!roots.empty()) {
                if (roots[i].a != ends[i].a) {
                    p.a = nodes[roots[i].a];
                }
                if (roots[i].b != ends[i].b) {
                    p.b = nodes[roots[i].b];
                }
            }
            return p;
        };
        for (auto [v, w] : close) {
            for (std::uint32_t n : {v, w}) {
                const Coord& c = nodes[n];
                const Coord& r = nodes[uf.root(n)];
                st.max_snap_distance = std::max(st.max_snap_distance, distance(c, r));
            }
        }

        // 3b. Vertex on a neighbour's segment: insert it there.
        struct Insertion {
            Split split;
            std::uint32_t a, b; ///< the split segment's ends
            double distance;
        };
        tbb::enumerable_thread_specific<std::vector<Insertion>> split_local;
        in_parallel(active.size(), [&](std::size_t k) {
            const std::uint32_t i = active[k];
            auto& out_splits = split_local.local();
            auto search = [&](std::uint32_t v, const Coord& pv) {
                grid.for_cell(pv, [&](std::uint32_t id) {
                    const auto [a, b] = root_ends(id);
                    if (a == v || b == v || a == b) {
                        return;
                    }
                    const Points p = root_points(id);
                    double t = 0;
                    const double d2 = seg_dist2(pv, p.a, p.b, t);
                    if (d2 <= tol2 && t > 0 && t < 1) {
                        out_splits.push_back({{free[id].flat, t, v}, a, b, std::sqrt(d2)});
                    }
                });
            };
            const auto [a, b] = root_ends(i);
            const Points p = root_points(i);
            search(a, p.a);
            search(b, p.b);
        });
        std::vector<Split> splits;
        for (const auto& local : split_local) {
            for (const Insertion& ins : local) {
                splits.push_back(ins.split);
                touch(ins.split.node); // the inserted vertex and the split segment's ends
                touch(ins.a);
                touch(ins.b);
                st.max_snap_distance = std::max(st.max_snap_distance, ins.distance);
            }
        }
        // 3c. Proper crossings between free segments: node them.
        const std::size_t first_crossing_node = nodes.size();
        // Each pair of segments is examined once, in its home cell; the few that cross are
        // then noded in (i, j) order, so node ids do not depend on the grid.
        tbb::enumerable_thread_specific<std::vector<std::pair<std::uint32_t, std::uint32_t>>>
            cross_local;
        auto examine = [&](std::uint32_t i, std::uint32_t j, std::uint64_t cell_key) {
            if (!env(i).intersects(env(j)) || grid.home_cell(env(i), env(j)) != cell_key) {
                return;
            }
            const auto [a, b] = root_ends(i);
            const auto [c, d] = root_ends(j);
            if (a == c || a == d || b == c || b == d || a == b || c == d) {
                return;
            }
            const Points p = root_points(i), q = root_points(j);
            double t = 0, u = 0;
            if (proper_crossing(p.a, p.b, q.a, q.b, t, u)) {
                cross_local.local().emplace_back(std::min(i, j), std::max(i, j));
            }
        };
        if (active.size() == free.size()) {
            in_parallel(grid.cell_count(),
                        [&](std::size_t c) { grid.for_pairs_in_cell(c, examine); });
        } else {
            std::vector<std::uint8_t> is_active(free.size(), 0);
            for (const std::uint32_t i : active) {
                is_active[i] = 1;
            }
            in_parallel(active.size(), [&](std::size_t k) {
                const std::uint32_t i = active[k];
                grid.for_neighbours(env(i), [&](std::uint32_t j, std::uint64_t key) {
                    if (j != i && !(is_active[j] != 0 && j < i)) {
                        examine(i, j, key);
                    }
                });
            });
        }
        std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
        for (const auto& local : cross_local) {
            pairs.insert(pairs.end(), local.begin(), local.end());
        }
        std::sort(pairs.begin(), pairs.end());
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::size_t, Coord>>
            crossing_units;
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
            for (std::uint32_t n : {a, b, c, d, id}) {
                touch(n);
            }
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
                findings.overlapping_pairs.push_back(units);
            }
            findings.diagnostics.push_back({Severity::warning,
                                            "crossing_borders",
                                            point_text(entry.second),
                                            "borders of units #" + std::to_string(units.first) +
                                                " and #" + std::to_string(units.second) +
                                                " cross " + std::to_string(entry.first) +
                                                " time(s): they overlap"});
        }
        std::sort(splits.begin(), splits.end());
        splits.erase(std::unique(splits.begin(),
                                 splits.end(),
                                 [](const Split& x, const Split& y) {
                                     return x.flat == y.flat && x.node == y.node;
                                 }),
                     splits.end());
        st.vertices_inserted += static_cast<std::size_t>(
            std::count_if(splits.begin(), splits.end(), [&](const Split& sp) {
                return sp.node < first_crossing_node;
            }));

        // 3d. Rebuild the rings with roots and inserted nodes.
        // A segment of the new rings is a candidate for the next pass if it comes from a
        // free segment (a merged-away segment passes its flag to the one before).
        std::vector<std::uint8_t> is_free(rings.nodes.size(), 0);
        for (const Segment& sg : free) {
            is_free[sg.flat] = 1;
        }
        RingNodes out;
        std::vector<std::uint8_t> out_candidate;
        out.nodes.reserve(rings.nodes.size() + splits.size());
        out_candidate.reserve(rings.nodes.size() + splits.size());
        std::size_t si = 0;
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            // A ring with no split and no merged node is copied as it is.
            const std::uint32_t first = rings.offsets[r], last = rings.offsets[r + 1];
            while (si < splits.size() && splits[si].flat < first) {
                ++si;
            }
            const bool has_split = si < splits.size() && splits[si].flat < last;
            bool clean = !has_split;
            for (std::uint32_t k = first; clean && k < last; ++k) {
                clean = uf.is_root(rings.nodes[k]);
            }
            if (clean) {
                out.nodes.insert(
                    out.nodes.end(), rings.nodes.begin() + first, rings.nodes.begin() + last);
                out_candidate.insert(
                    out_candidate.end(), is_free.begin() + first, is_free.begin() + last);
                out.offsets.push_back(static_cast<std::uint32_t>(out.nodes.size()));
                out.unit.push_back(rings.unit[r]);
                continue;
            }
            auto push = [&](std::uint32_t n, std::uint8_t flag) {
                n = uf.find(n);
                if (out.nodes.size() == out.offsets.back() || out.nodes.back() != n) {
                    out.nodes.push_back(n);
                    out_candidate.push_back(flag);
                } else if (flag != 0) {
                    out_candidate.back() = 1;
                }
            };
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                push(rings.nodes[k], is_free[k]);
                while (si < splits.size() && splits[si].flat < k) {
                    ++si;
                }
                for (; si < splits.size() && splits[si].flat == k; ++si) {
                    push(splits[si].node, 1);
                }
            }
            const std::size_t before_close = out.nodes.size();
            const bool kept = close_ring(out, rings.unit[r]);
            if (out.nodes.size() != before_close) {
                out_candidate.resize(out.nodes.size());
                if (kept) {
                    out_candidate.back() = 1;
                }
            }
        }
        rings = std::move(out);
        candidate = std::move(out_candidate);
        changed.assign(nodes.size(), 0);
        for (std::size_t n = 0; n < next_changed.size(); ++n) {
            if (next_changed[n] != 0) {
                changed[n] = 1;
                changed[uf.find(static_cast<std::uint32_t>(n))] = 1;
            }
        }
        report(progress, "topology: snap", 1);
        if (splits.empty() && st.nodes_merged == merged_before) {
            break;
        }
        free = free_segments(rings, nodes.size(), &candidate, &changed);
    }
}

} // namespace amsim::geo::detail
