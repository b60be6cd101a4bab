#include "amsim/geo/dissolve.hpp"

#include "amsim/core/error.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <numeric>
#include <span>

namespace amsim::geo {

namespace {

struct DirectedArc {
    std::uint32_t group;
    std::uint32_t arc;
    bool reversed;
    std::uint32_t start;
    std::uint32_t end;
};

/// Point-in-ring with edges bucketed by y, for rings queried many times.
class RingLocator {
public:
    explicit RingLocator(const std::vector<Coord>& ring) : m_ring(&ring) {
        for (const Coord& c : ring) {
            m_env.expand(c);
        }
        const std::size_t n = ring.size();
        m_bands = std::max<std::size_t>(1, n / 8);
        const double h = (m_env.maxy - m_env.miny) / static_cast<double>(m_bands);
        m_height = h > 0 ? h : 1;
        std::vector<std::uint32_t> counts(m_bands + 1, 0);
        auto band_range = [&](std::size_t i, std::size_t& lo, std::size_t& hi) {
            const Coord& a = ring[i];
            const Coord& b = ring[(i + 1) % n];
            lo = band(std::min(a.y, b.y));
            hi = band(std::max(a.y, b.y));
        };
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t lo = 0, hi = 0;
            band_range(i, lo, hi);
            for (std::size_t k = lo; k <= hi; ++k) {
                ++counts[k + 1];
            }
        }
        std::partial_sum(counts.begin(), counts.end(), counts.begin());
        m_offsets = counts;
        m_edges.resize(counts.back());
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t lo = 0, hi = 0;
            band_range(i, lo, hi);
            for (std::size_t k = lo; k <= hi; ++k) {
                m_edges[counts[k]++] = static_cast<std::uint32_t>(i);
            }
        }
    }
    /// 1 inside, 0 outside, -1 on the boundary.
    [[nodiscard]] int locate(const Coord& p) const {
        if (p.y < m_env.miny || p.y > m_env.maxy || p.x < m_env.minx || p.x > m_env.maxx) {
            return 0;
        }
        const std::vector<Coord>& ring = *m_ring;
        const std::size_t n = ring.size();
        const std::size_t k = band(p.y);
        bool inside = false;
        for (std::uint32_t j = m_offsets[k]; j < m_offsets[k + 1]; ++j) {
            if (on_edge_or_cross(p, ring[m_edges[j]], ring[(m_edges[j] + 1) % n], inside)) {
                return -1;
            }
        }
        return inside ? 1 : 0;
    }

private:
    [[nodiscard]] std::size_t band(double y) const {
        const double f = std::floor((y - m_env.miny) / m_height);
        if (f < 0) {
            return 0;
        }
        return std::min(static_cast<std::size_t>(f), m_bands - 1);
    }
    const std::vector<Coord>* m_ring;
    Envelope m_env;
    std::size_t m_bands = 1;
    double m_height = 1;
    std::vector<std::uint32_t> m_offsets;
    std::vector<std::uint32_t> m_edges;
};

struct WorkRing {
    std::vector<std::uint32_t> darcs;
    double area2 = 0;        ///< CRS units, signed
    double metric_area2 = 0; ///< metric, signed
    double length = 0;
    Envelope env;
    std::vector<Coord> coords; ///< materialised lazily
    std::unique_ptr<RingLocator> locator;
    std::size_t queries = 0;
    int parent = -1;
    int w_in = 0;
    RingRole role = RingRole::shell;
};

double angle_of(const Coord& from, const Coord& to) {
    return std::atan2(to.y - from.y, to.x - from.x);
}

} // namespace

DissolveResult dissolve(const Topology& topology,
                        std::span<const std::uint32_t> group_of_unit,
                        std::uint32_t group_count,
                        const DissolveOptions& options) {
    if (group_of_unit.size() != topology.unit_count()) {
        throw InternalError("dissolve: grouping has " + std::to_string(group_of_unit.size()) +
                            " entries for " + std::to_string(topology.unit_count()) + " units");
    }
    DissolveResult result;
    result.members.assign(group_count, 0);
    for (std::uint32_t g : group_of_unit) {
        if (g != no_unit) {
            if (g >= group_count) {
                throw InternalError("dissolve: group index out of range");
            }
            ++result.members[g];
        }
    }
    auto group_of = [&](std::uint32_t unit) {
        return unit == no_unit ? no_unit : group_of_unit[unit];
    };

    // 1. Arcs with a different group on each side, directed with their group on the left.
    std::vector<DirectedArc> darcs;
    for (std::uint32_t a = 0; a < topology.arc_count(); ++a) {
        const std::uint32_t gl = group_of(topology.arc_left(a));
        const std::uint32_t gr = group_of(topology.arc_right(a));
        if (gl == gr) {
            continue;
        }
        auto nodes = topology.arc_nodes(a);
        if (gl != no_unit) {
            darcs.push_back({gl, a, false, nodes.front(), nodes.back()});
        }
        if (gr != no_unit) {
            darcs.push_back({gr, a, true, nodes.back(), nodes.front()});
        }
    }
    std::sort(darcs.begin(), darcs.end(), [](const DirectedArc& x, const DirectedArc& y) {
        return x.group != y.group ? x.group < y.group
                                  : (x.start != y.start ? x.start < y.start : x.arc < y.arc);
    });

    auto second_node = [&](const DirectedArc& d) {
        auto n = topology.arc_nodes(d.arc);
        return d.reversed ? n[n.size() - 2] : n[1];
    };
    auto before_last_node = [&](const DirectedArc& d) {
        auto n = topology.arc_nodes(d.arc);
        return d.reversed ? n[1] : n[n.size() - 2];
    };

    // 2. The next arc of each. At a node with several ways on, incoming and outgoing arcs
    // are matched without crossing: in clockwise order around the node, each outgoing arc
    // takes the nearest unmatched incoming one before it (a parenthesis matching). With one
    // way on this is the sharpest left turn; with several it never lets a ring cross itself.
    std::vector<std::uint32_t> next(darcs.size(), no_unit);
    struct Spoke {
        double angle;
        bool incoming;
        std::uint32_t lane; ///< the unit on the inner side: orders copies of one border
        std::uint32_t darc;
    };
    auto lane_of = [&](const DirectedArc& d) {
        return d.reversed ? topology.arc_right(d.arc) : topology.arc_left(d.arc);
    };
    std::vector<std::uint32_t> incoming_at;
    {
        // Incoming arcs sorted by (group, end node), to find those meeting at a node.
        incoming_at.resize(darcs.size());
        std::iota(incoming_at.begin(), incoming_at.end(), 0U);
        std::sort(incoming_at.begin(), incoming_at.end(), [&](std::uint32_t x, std::uint32_t y) {
            const DirectedArc& a = darcs[x];
            const DirectedArc& b = darcs[y];
            return a.group != b.group ? a.group < b.group
                                      : (a.end != b.end ? a.end < b.end : x < y);
        });
    }
    std::vector<Spoke> spokes;
    std::size_t in_pos = 0;
    std::size_t out_pos = 0;
    while (out_pos < darcs.size()) {
        const std::uint32_t g = darcs[out_pos].group;
        const std::uint32_t node = darcs[out_pos].start;
        std::size_t out_end = out_pos;
        while (out_end < darcs.size() && darcs[out_end].group == g &&
               darcs[out_end].start == node) {
            ++out_end;
        }
        auto before = [&](std::uint32_t x) {
            const DirectedArc& a = darcs[x];
            return a.group < g || (a.group == g && a.end < node);
        };
        while (in_pos < incoming_at.size() && before(incoming_at[in_pos])) {
            ++in_pos;
        }
        std::size_t in_end = in_pos;
        while (in_end < incoming_at.size() && darcs[incoming_at[in_end]].group == g &&
               darcs[incoming_at[in_end]].end == node) {
            ++in_end;
        }
        if (out_end - out_pos == 1 && in_end - in_pos == 1) {
            next[incoming_at[in_pos]] = static_cast<std::uint32_t>(out_pos);
        } else if (in_end > in_pos) {
            const Coord& n = topology.node(node);
            spokes.clear();
            for (std::size_t k = out_pos; k < out_end; ++k) {
                spokes.push_back({angle_of(n, topology.node(second_node(darcs[k]))),
                                  false,
                                  lane_of(darcs[k]),
                                  static_cast<std::uint32_t>(k)});
            }
            for (std::size_t k = in_pos; k < in_end; ++k) {
                const std::uint32_t d = incoming_at[k];
                spokes.push_back({angle_of(n, topology.node(before_last_node(darcs[d]))),
                                  true,
                                  lane_of(darcs[d]),
                                  d});
            }
            // Clockwise order: decreasing angle. Copies of one border (units overlapping
            // along a border drawn the same way) have equal angles; they are ordered as
            // lanes side by side, the same way at both ends: a lane to the left of the
            // direction of travel leaves at a slightly larger angle and arrives (seen from
            // the node) at a slightly smaller one.
            std::sort(spokes.begin(), spokes.end(), [](const Spoke& x, const Spoke& y) {
                if (x.angle != y.angle) {
                    return x.angle > y.angle;
                }
                if (x.incoming != y.incoming) {
                    return !x.incoming;
                }
                if (x.lane != y.lane) {
                    return x.incoming ? x.lane < y.lane : x.lane > y.lane;
                }
                return x.darc < y.darc;
            });
            std::vector<std::uint32_t> stack;
            std::vector<bool> pushed(spokes.size(), false);
            std::vector<bool> matched(spokes.size(), false);
            std::vector<std::size_t> stack_pos;
            const std::size_t m = spokes.size();
            for (std::size_t i = 0; i < 2 * m; ++i) {
                const std::size_t k = i % m;
                if (spokes[k].incoming) {
                    if (!pushed[k]) {
                        pushed[k] = true;
                        stack_pos.push_back(k);
                    }
                } else if (!matched[k] && !stack_pos.empty()) {
                    const std::size_t in = stack_pos.back();
                    stack_pos.pop_back();
                    matched[k] = true;
                    next[spokes[in].darc] = spokes[k].darc;
                }
            }
        }
        out_pos = out_end;
    }

    // 3. Walk the rings. A walk that comes back to a node it left before (a hole touching
    // its shell at a point, two parts of a group touching at a corner) is split there into
    // rings that each pass a node once: a ring touching itself is not a valid OGC ring.
    std::vector<WorkRing> rings;
    std::vector<std::uint32_t> ring_group;
    std::vector<bool> visited(darcs.size(), false);
    const bool metric = topology.has_metric();
    auto emit = [&](std::span<const std::uint32_t> ids) {
        WorkRing ring;
        ring.darcs.assign(ids.begin(), ids.end());
        for (const std::uint32_t j : ids) {
            const DirectedArc& d = darcs[j];
            const double s = d.reversed ? -1.0 : 1.0;
            ring.area2 += s * topology.arc_area2(d.arc);
            if (metric) {
                ring.metric_area2 += s * topology.arc_metric_area2(d.arc);
                ring.length += topology.arc_length(d.arc);
            }
            ring.env.expand(topology.arc_envelope(d.arc));
        }
        if (ring.area2 == 0) {
            return; // degenerate: an arc walked there and back
        }
        ring_group.push_back(darcs[ids.front()].group);
        rings.push_back(std::move(ring));
    };
    std::vector<std::uint32_t> walk;
    std::vector<std::uint32_t> position_of_node(topology.node_count(), no_unit);
    for (std::uint32_t i = 0; i < darcs.size(); ++i) {
        if (visited[i]) {
            continue;
        }
        walk.clear();
        std::uint32_t j = i;
        while (j != no_unit && !visited[j]) {
            visited[j] = true;
            const std::uint32_t node = darcs[j].start;
            if (const std::uint32_t p = position_of_node[node]; p != no_unit) {
                // The darcs since the walk last left this node close a ring of their own.
                for (std::size_t k = p; k < walk.size(); ++k) {
                    position_of_node[darcs[walk[k]].start] = no_unit;
                }
                emit(std::span<const std::uint32_t>(walk).subspan(p));
                walk.resize(p);
            }
            position_of_node[node] = static_cast<std::uint32_t>(walk.size());
            walk.push_back(j);
            j = next[j];
        }
        for (const std::uint32_t k : walk) {
            position_of_node[darcs[k].start] = no_unit;
        }
        if (!walk.empty()) {
            emit(walk);
        }
    }

    auto materialise = [&](WorkRing& r) {
        if (!r.coords.empty()) {
            return;
        }
        for (std::uint32_t j : r.darcs) {
            const DirectedArc& d = darcs[j];
            auto n = topology.arc_nodes(d.arc);
            if (d.reversed) {
                for (std::size_t k = n.size() - 1; k >= 1; --k) {
                    r.coords.push_back(topology.node(n[k]));
                }
            } else {
                for (std::size_t k = 0; k + 1 < n.size(); ++k) {
                    r.coords.push_back(topology.node(n[k]));
                }
            }
        }
    };
    auto label_of = [&](const WorkRing& r) {
        for (std::uint32_t j : r.darcs) {
            auto n = topology.arc_nodes(darcs[j].arc);
            if (n.size() > 2) {
                return topology.node(n[n.size() / 2]);
            }
        }
        auto n = topology.arc_nodes(darcs[r.darcs.front()].arc);
        const Coord& a = topology.node(n[0]);
        const Coord& b = topology.node(n[1]);
        return Coord{(a.x + b.x) / 2, (a.y + b.y) / 2};
    };
    auto locate = [&](WorkRing& container, const Coord& p) {
        materialise(container);
        if (++container.queries > 4 && container.coords.size() > 256 && !container.locator) {
            container.locator = std::make_unique<RingLocator>(container.coords);
        }
        return container.locator ? container.locator->locate(p)
                                 : locate_in_ring(p, container.coords);
    };

    // Is ring r inside container c? Rings never cross, so any point of r off c's boundary
    // tells; points of r shared with c (a border both follow) are skipped.
    auto contained = [&](WorkRing& r, WorkRing& c, const Coord& label) {
        int where = locate(c, label);
        if (where >= 0) {
            return where == 1;
        }
        materialise(r);
        const std::size_t n = r.coords.size();
        const std::size_t step = std::max<std::size_t>(1, n / 64);
        for (std::size_t k = 0; k < n; k += step) {
            const Coord& a = r.coords[k];
            const Coord& b = r.coords[(k + 1) % n];
            for (const Coord& p : {a, Coord{(a.x + b.x) / 2, (a.y + b.y) / 2}}) {
                where = locate(c, p);
                if (where >= 0) {
                    return where == 1;
                }
            }
        }
        return false; // r lies along c everywhere sampled: not strictly inside
    };

    // 4. Nesting per group, largest first; the winding rule decides each ring's role.
    std::vector<std::uint32_t> order(rings.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        if (ring_group[x] != ring_group[y]) {
            return ring_group[x] < ring_group[y];
        }
        const double ax = std::abs(rings[x].area2), ay = std::abs(rings[y].area2);
        return ax != ay ? ax > ay
                        : darcs[rings[x].darcs.front()].arc < darcs[rings[y].darcs.front()].arc;
    });
    std::vector<Coord> labels(rings.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        WorkRing& r = rings[order[i]];
        labels[order[i]] = label_of(r);
        for (std::size_t j = i; j-- > 0;) {
            const std::uint32_t c = order[j];
            if (ring_group[c] != ring_group[order[i]]) {
                break;
            }
            if (!rings[c].env.contains(r.env)) {
                continue;
            }
            if (contained(r, rings[c], labels[order[i]])) {
                r.parent = static_cast<int>(c);
                break;
            }
        }
        const int w_out = r.parent >= 0 ? rings[static_cast<std::size_t>(r.parent)].w_in : 0;
        const int sign = r.area2 > 0 ? 1 : -1;
        r.w_in = w_out + sign;
        if (sign > 0 && w_out == 0) {
            r.role = RingRole::shell;
        } else if (sign < 0 && w_out == 1) {
            r.role = RingRole::hole;
        } else if (sign > 0) {
            r.role = RingRole::overlap;
        } else {
            r.role = RingRole::inner;
        }
    }

    // 5. Output per group: shells (largest first) with their holes.
    result.area.assign(group_count, 0);
    result.perimeter.assign(group_count, 0);
    result.overlap_area.assign(group_count, 0);
    std::vector<std::vector<std::uint32_t>> holes_of(rings.size());
    for (std::uint32_t idx : order) {
        const WorkRing& r = rings[idx];
        const double area = std::abs(metric ? r.metric_area2 : r.area2) / 2;
        const std::uint32_t g = ring_group[idx];
        switch (r.role) {
        case RingRole::shell:
            result.area[g] += area;
            result.perimeter[g] += r.length;
            break;
        case RingRole::hole: {
            result.area[g] -= area;
            result.perimeter[g] += r.length;
            int p = r.parent;
            while (p >= 0 && rings[static_cast<std::size_t>(p)].role != RingRole::shell) {
                p = rings[static_cast<std::size_t>(p)].parent;
            }
            if (p >= 0) {
                holes_of[static_cast<std::size_t>(p)].push_back(idx);
            }
            break;
        }
        case RingRole::overlap:
            result.overlap_area[g] += area;
            break;
        case RingRole::inner:
            if (r.parent >= 0) {
                result.overlap_area[g] -= area;
            }
            break;
        }
        DissolvedRing info;
        info.group = g;
        info.role = r.role;
        info.area = area;
        info.envelope = r.env;
        info.label = labels[idx];
        for (std::uint32_t j : r.darcs) {
            const DirectedArc& d = darcs[j];
            info.arcs.push_back(d.arc);
            const std::uint32_t u =
                d.reversed ? topology.arc_right(d.arc) : topology.arc_left(d.arc);
            if (u != no_unit) {
                info.units.push_back(u);
            }
        }
        std::sort(info.units.begin(), info.units.end());
        info.units.erase(std::unique(info.units.begin(), info.units.end()), info.units.end());
        result.rings.push_back(std::move(info));
    }
    if (options.keep_geometry) {
        std::size_t k = 0;
        for (std::uint32_t g = 0; g < group_count; ++g) {
            for (; k < order.size() && ring_group[order[k]] == g; ++k) {
                WorkRing& r = rings[order[k]];
                if (r.role != RingRole::shell) {
                    continue;
                }
                materialise(r);
                result.geometry.add_ring(r.coords);
                for (std::uint32_t h : holes_of[order[k]]) {
                    materialise(rings[h]);
                    result.geometry.add_ring(rings[h].coords);
                }
                result.geometry.end_polygon();
            }
            result.geometry.end_part();
        }
    }
    return result;
}

} // namespace amsim::geo
