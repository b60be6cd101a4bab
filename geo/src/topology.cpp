#include "amsim/geo/topology.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/equal_area.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>

#include "detail/flat_hash.hpp"
#include "detail/ring_nodes.hpp"
#include "detail/snap.hpp"

namespace amsim::geo {

namespace {

std::string point_text(const Coord& c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.7f %.7f", c.x, c.y);
    return buf;
}

struct Edge {
    std::uint32_t a, b;
    std::uint32_t left, right;
};

/// Twice the signed area of a node chain relative to origin, computed relative to its
/// first point for precision: sum (p_i - s) x (p_i+1 - s) + (s - o) x (e - s).
double chain_area2(std::span<const std::uint32_t> chain,
                   const std::vector<Coord>& nodes,
                   const Coord& origin) {
    const Coord s = nodes[chain[0]];
    long double sum = 0;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        const Coord& p = nodes[chain[i]];
        const Coord& q = nodes[chain[i + 1]];
        sum += static_cast<long double>((p.x - s.x) * (q.y - s.y) - (q.x - s.x) * (p.y - s.y));
    }
    const Coord& e = nodes[chain.back()];
    sum +=
        static_cast<long double>((s.x - origin.x) * (e.y - s.y) - (e.x - s.x) * (s.y - origin.y));
    return static_cast<double>(sum);
}

} // namespace

struct VertexIndex::Impl {
    explicit Impl(std::size_t expected) : index(expected) {}
    std::size_t capacity = 0; ///< vertices the arrays were sized for
    detail::FlatCoordIndex index;
    std::vector<Coord> nodes;
    std::vector<std::uint32_t> vertex_node; ///< flat coordinate -> node
    std::size_t part_count = 0;
    std::size_t coord_count = 0;
    Envelope extent;
};

namespace {

/// Capacity for the worst case (every vertex a node, plus what snapping inserts): pages
/// never written are never mapped, and the array is never copied to grow.
std::size_t node_capacity(std::size_t coords) {
    return coords + coords / 8 + 16;
}

} // namespace

VertexIndex::Storage::Storage() = default;
VertexIndex::Storage::~Storage() = default;
VertexIndex::Storage::Storage(Storage&&) noexcept = default;
VertexIndex::Storage& VertexIndex::Storage::operator=(Storage&&) noexcept = default;

VertexIndex::Storage::Storage(std::size_t coords) {
    m_impl = std::make_unique<Impl>(0);
    m_impl->capacity = coords;
    m_impl->vertex_node.reserve(coords);
    m_impl->nodes.reserve(node_capacity(coords));
}

void VertexIndex::Storage::map() {
    if (m_impl == nullptr) {
        return;
    }
    Impl& im = *m_impl;
    // In a coverage most vertices lie on a shared border: about half are distinct.
    im.index = detail::FlatCoordIndex(im.capacity / 2);
    im.vertex_node.resize(im.capacity);
    // The nodes expected are written once; the rest of the capacity stays unmapped until
    // snapping needs it.
    im.nodes.resize(im.capacity / 2 + im.capacity / 16);
    im.nodes.clear();
}

VertexIndex::VertexIndex(const PolygonSet& geometry, Storage storage) {
    const auto& coords = geometry.coords();
    if (storage.m_impl != nullptr && storage.m_impl->capacity >= coords.size()) {
        m_impl = std::move(storage.m_impl);
    } else {
        Storage fresh(coords.size());
        fresh.map();
        m_impl = std::move(fresh.m_impl);
    }
    Impl& im = *m_impl;
    im.coord_count = coords.size();
    for (const Coord& c : coords) {
        im.extent.expand(c);
    }
    im.part_count = geometry.part_count();
    im.vertex_node.resize(coords.size());
    // Hashes are computed 16 points ahead, so that a point's slot can be fetched while
    // earlier ones are looked up: the probes are memory-latency bound.
    constexpr std::size_t ahead = 16;
    std::array<std::uint64_t, ahead> upcoming{};
    for (std::size_t i = 0; i < std::min(ahead, coords.size()); ++i) {
        upcoming[i] = detail::FlatCoordIndex::hash(coords[i]);
        im.index.prefetch(upcoming[i]);
    }
    for (std::size_t i = 0; i < coords.size(); ++i) {
        const std::uint64_t h = upcoming[i % ahead];
        if (i + ahead < coords.size()) {
            upcoming[i % ahead] = detail::FlatCoordIndex::hash(coords[i + ahead]);
            im.index.prefetch(upcoming[i % ahead]);
        }
        im.vertex_node[i] = im.index.find_or_insert(coords[i], h, im.nodes);
    }
}

VertexIndex::~VertexIndex() = default;
VertexIndex::VertexIndex(VertexIndex&&) noexcept = default;
VertexIndex& VertexIndex::operator=(VertexIndex&&) noexcept = default;

namespace {

void check_cancel(const TopologyOptions& options) {
    if (options.cancel != nullptr && options.cancel->load()) {
        throw TopologyCancelled();
    }
}

} // namespace

Topology Topology::build(const PolygonSet& geometry, const TopologyOptions& options) {
    report(options.progress, "topology: nodes", 0);
    return build_impl(geometry, VertexIndex(geometry), {}, options);
}

Topology Topology::build(PolygonSet&& geometry, const TopologyOptions& options) {
    TopologyOptions opt = options;
    opt.geometry_done = [&geometry, &options] {
        geometry = PolygonSet();
        if (options.geometry_done) {
            options.geometry_done();
        }
    };
    report(options.progress, "topology: nodes", 0);
    return build_impl(geometry, VertexIndex(geometry), {}, opt);
}

Topology Topology::build(const PolygonSet& geometry,
                         VertexIndex&& index,
                         std::span<const Replacement> replacements,
                         const TopologyOptions& options) {
    return build_impl(geometry, std::move(index), replacements, options);
}

Topology Topology::build_impl(const PolygonSet& geometry,
                              VertexIndex&& index,
                              std::span<const Replacement> replacements,
                              const TopologyOptions& options) {
    check_cancel(options);
    Topology topo;
    topo.m_unit_count = geometry.part_count();
    TopologyStats& st = topo.m_stats;
    st.vertices = geometry.coord_count();
    VertexIndex::Impl& im = *index.m_impl;
    if (im.part_count != geometry.part_count() || im.coord_count != geometry.coord_count()) {
        throw InternalError("vertex index made for another geometry (" +
                            std::to_string(im.coord_count) + " vertices, this one has " +
                            std::to_string(geometry.coord_count()) + ")");
    }
    const Envelope& all = im.extent;
    topo.m_origin =
        all.empty() ? Coord{} : Coord{(all.minx + all.maxx) / 2, (all.miny + all.maxy) / 2};

    // 1. Exact vertex identity: from the index, and for replaced parts, looked up again.
    std::vector<Coord>& nodes = topo.m_nodes;
    nodes = std::move(im.nodes);
    std::vector<const PolygonSet*> replacement(geometry.part_count(), nullptr);
    for (const Replacement& r : replacements) {
        replacement.at(r.first) = &r.second;
        st.vertices += r.second.coord_count();
        for (std::uint32_t q = geometry.part_begin(r.first); q < geometry.part_end(r.first); ++q) {
            for (std::uint32_t k = geometry.polygon_begin(q); k < geometry.polygon_end(q); ++k) {
                st.vertices -= geometry.ring(k).size();
            }
        }
    }
    detail::RingNodes rings;
    rings.nodes.reserve(st.vertices);
    auto add_ring = [&](std::span<const Coord> ring, auto&& node_of) {
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const std::uint32_t n = node_of(i);
            if (rings.nodes.size() == rings.offsets.back() || rings.nodes.back() != n) {
                rings.nodes.push_back(n);
            }
        }
    };
    for (std::size_t p = 0; p < geometry.part_count(); ++p) {
        const auto unit = static_cast<std::uint32_t>(p);
        if (const PolygonSet* rep = replacement[p]; rep != nullptr) {
            for (std::uint32_t q = rep->part_begin(0); q < rep->part_end(0); ++q) {
                for (std::uint32_t r = rep->polygon_begin(q); r < rep->polygon_end(q); ++r) {
                    const auto ring = rep->ring(r);
                    add_ring(ring, [&](std::size_t i) {
                        return im.index.find_or_insert(
                            ring[i], detail::FlatCoordIndex::hash(ring[i]), nodes);
                    });
                    detail::close_ring(rings, unit);
                }
            }
            continue;
        }
        for (std::uint32_t q = geometry.part_begin(p); q < geometry.part_end(p); ++q) {
            for (std::uint32_t r = geometry.polygon_begin(q); r < geometry.polygon_end(q); ++r) {
                const std::uint32_t first = geometry.ring_begin(r);
                add_ring(geometry.ring(r),
                         [&](std::size_t i) { return im.vertex_node[first + i]; });
                detail::close_ring(rings, unit);
            }
        }
    }
    index.m_impl.reset(); // the hash table and vertex map are not needed now
    if (options.geometry_done) {
        options.geometry_done(); // `geometry` is not read after this point
    }
    report(options.progress, "topology: nodes", 1);
    check_cancel(options);

    // 2-3. Exact matching, then snapping of the free segments within the tolerance.
    detail::SnapFindings findings;
    detail::snap_rings(
        rings, nodes, options.snap_tolerance, topo.m_origin, st, findings, options.progress);
    topo.m_diagnostics = std::move(findings.diagnostics);
    topo.m_overlapping_pairs = std::move(findings.overlapping_pairs);
    check_cancel(options);

    // Nodes are final (merges keep a root's point): their projection runs on another core
    // while edges and arcs are built, which is serial work. (During snapping, both cores
    // are the snapping's.)
    std::vector<Coord> metric;
    tbb::task_group projecting;
    if (options.projection != nullptr) {
        metric = nodes;
        projecting.run([&metric, &options] { options.projection->project_in_place(metric); });
    }

    // 4. Edges: a segment and its reverse twin make one edge with a unit on each side.
    report(options.progress, "topology: edges", 0);
    std::vector<Edge> edges;
    edges.reserve(rings.nodes.size() + 16); // at most one edge per segment
    {
        // In ring order, a segment takes the edge of an earlier twin running the other way
        // that has no right side yet; else it opens a new edge. An earlier segment running
        // the same way means two units claim the same side: a duplicate edge.
        const detail::OutgoingSegments out(rings, nodes.size());
        std::vector<std::uint32_t> edge_of(rings.nodes.size(), no_unit);
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::pair<std::size_t, Coord>> dups;
        for (std::size_t r = 0; r < rings.ring_count(); ++r) {
            const std::uint32_t unit = rings.unit[r];
            for (std::uint32_t k = rings.offsets[r]; k < rings.offsets[r + 1]; ++k) {
                const std::uint32_t a = rings.nodes[k];
                const std::uint32_t b = rings.nodes[rings.next(k, r)];
                std::uint32_t twin_edge = no_unit;
                out.for_each(b, a, [&](std::uint32_t j) {
                    const std::uint32_t e = edge_of[j];
                    if (twin_edge == no_unit && e != no_unit && edges[e].right == no_unit &&
                        edges[e].a == b) {
                        twin_edge = e;
                    }
                });
                if (twin_edge != no_unit) {
                    edges[twin_edge].right = unit;
                    edge_of[k] = twin_edge;
                    continue;
                }
                std::uint32_t same_way = no_unit;
                out.for_each(a, b, [&](std::uint32_t j) {
                    if (same_way == no_unit && j != k && edge_of[j] != no_unit) {
                        same_way = edges[edge_of[j]].left;
                    }
                });
                edge_of[k] = static_cast<std::uint32_t>(edges.size());
                edges.push_back({a, b, unit, no_unit});
                if (same_way != no_unit) {
                    ++st.duplicate_edges;
                    auto& d = dups[{std::min(same_way, unit), std::max(same_way, unit)}];
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
                {Severity::warning,
                 "duplicate_edge",
                 point_text(d.second),
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
    rings = detail::RingNodes(); // edges hold all that is needed from here
    report(options.progress, "topology: edges", 1);
    check_cancel(options);

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
    // An arc holds its edges plus one node; arcs outnumber nothing but edges.
    topo.m_arc_nodes.reserve(2 * edges.size());
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
    edges = {};
    inc = {};
    inc_offsets = {};
    visited = {};
    if (options.projection != nullptr) {
        projecting.wait();
        std::vector<Coord> added(nodes.begin() + static_cast<std::ptrdiff_t>(metric.size()),
                                 nodes.end());
        options.projection->project_in_place(added);
        metric.insert(metric.end(), added.begin(), added.end());
        topo.set_metric(metric);
    }
    report(options.progress, "topology: arcs", 1);
    return topo;
}

void Topology::set_metric(const std::vector<Coord>& metric) {
    if (metric.size() != m_nodes.size()) {
        throw InternalError("set_metric: " + std::to_string(metric.size()) +
                            " projected nodes for " + std::to_string(m_nodes.size()));
    }
    m_arc_metric_area2.resize(arc_count());
    m_arc_length.resize(arc_count());
    // Each arc on its own: any core, any order, the same numbers.
    tbb::parallel_for(std::size_t{0}, arc_count(), [&](std::size_t a) {
        auto chain = arc_nodes(a);
        m_arc_metric_area2[a] = chain_area2(chain, metric, Coord{0, 0});
        double len = 0;
        for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
            const Coord& p = metric[chain[i]];
            const Coord& q = metric[chain[i + 1]];
            len += distance(p, q);
        }
        m_arc_length[a] = len;
    });
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
                len += distance(m_nodes[chain[i]], m_nodes[chain[i + 1]]);
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
                len += distance(m_nodes[chain[i]], m_nodes[chain[i + 1]]);
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
