#include "amsim/sim/plans/ensemble.hpp"

#include "amsim/core/error.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <numbers>
#include <set>
#include <tuple>

#include "region.hpp"

namespace amsim::sim {

namespace {

/// SplitMix64 (Steele, Lea and Flood 2014): seeds the generator from any 64-bit value.
std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// xoshiro256** (Blackman and Vigna 2018), with bounded draws by Lemire's method: the same
/// numbers from the same seed with any compiler or standard library (std's distributions are
/// not specified bit for bit).
class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        for (std::uint64_t& w : m_s) {
            w = splitmix(seed);
        }
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    /// Uniform in [0, n), n > 0.
    std::uint32_t below(std::uint32_t n) {
        auto m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next() >> 32)) * n;
        auto low = static_cast<std::uint32_t>(m);
        if (low < n) {
            const std::uint32_t threshold = (0U - n) % n;
            while (low < threshold) {
                m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next() >> 32)) * n;
                low = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<std::uint32_t>(m >> 32);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> m_s{};
};

/// FNV-1a, 64 bits.
std::uint64_t fnv(const void* data, std::size_t n, std::uint64_t h = 0xCBF29CE484222325ULL) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
        h = (h ^ p[i]) * 0x100000001B3ULL;
    }
    return h;
}

/// One new province's graph: its old units (global indices, ascending), adjacency (local
/// indices) with border lengths, and the plan's groups.
struct ProvinceGraph {
    std::string code;
    std::vector<std::uint32_t> units;
    std::vector<std::uint32_t> adj_start, adj;
    std::vector<double> adj_km;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges; ///< local, a < b
    std::vector<std::uint32_t> start;                           ///< local group per unit
    std::uint32_t groups = 0;
    std::vector<bool> frozen; ///< per group: holds a special zone
};

std::vector<ProvinceGraph> province_graphs(const EnsembleInput& in, const std::string& only) {
    std::map<std::string, std::vector<std::uint32_t>> by_province;
    for (std::uint32_t u = 0; u < in.units.size(); ++u) {
        if (only.empty() || in.units[u].province == only) {
            by_province[in.units[u].province].push_back(u);
        }
    }
    if (!only.empty() && by_province.empty()) {
        throw InputError("no new province '" + only + "' in the scenario");
    }
    std::vector<ProvinceGraph> graphs;
    std::vector<std::uint32_t> local(in.units.size(), 0);
    std::vector<std::map<std::uint32_t, double>> nbr(in.units.size());
    for (const ProposeEdge& e : in.edges) {
        if (e.a != e.b && in.units[e.a].province == in.units[e.b].province) {
            nbr[e.a][e.b] += e.length_km;
            nbr[e.b][e.a] += e.length_km;
        }
    }
    for (auto& [code, units] : by_province) {
        ProvinceGraph g;
        g.code = code;
        g.units = units;
        for (std::uint32_t k = 0; k < units.size(); ++k) {
            local[units[k]] = k;
        }
        std::map<std::string, std::uint32_t> group_of;
        for (std::uint32_t k = 0; k < units.size(); ++k) {
            const std::uint32_t u = units[k];
            g.adj_start.push_back(static_cast<std::uint32_t>(g.adj.size()));
            for (const auto& [v, km] : nbr[u]) {
                g.adj.push_back(local[v]);
                g.adj_km.push_back(km);
                if (u < v) {
                    g.edges.emplace_back(k, local[v]);
                }
            }
            const auto [it, added] = group_of.emplace(in.start[u], g.groups);
            g.groups += added ? 1 : 0;
            g.start.push_back(it->second);
        }
        g.adj_start.push_back(static_cast<std::uint32_t>(g.adj.size()));
        g.frozen.assign(g.groups, false);
        for (std::uint32_t k = 0; k < units.size(); ++k) {
            const ProposeUnit& p = in.units[units[k]];
            if (p.type == UnitType::dac_khu || !p.zone.empty()) {
                g.frozen[g.start[k]] = true;
            }
        }
        if (g.groups > std::numeric_limits<std::uint16_t>::max()) {
            throw InputError("new province " + code + ": more than 65,535 new units");
        }
        graphs.push_back(std::move(g));
    }
    return graphs;
}

/// A province's plan as the chain changes it.
class Chain {
public:
    Chain(const ProvinceGraph& g, const EnsembleInput& in, std::uint64_t seed)
        : m_g(g), m_in(in), m_st(in.standards.at(g.code)), m_rng(seed), m_assign(g.start),
          m_members(g.groups), m_stamp(g.units.size(), 0), m_pos(g.units.size(), 0) {
        for (std::uint32_t k = 0; k < g.units.size(); ++k) {
            m_members[g.start[k]].push_back(k);
        }
        m_passes.resize(g.groups);
        for (std::uint32_t d = 0; d < g.groups; ++d) {
            m_passes[d] = judge_region(sums(m_members[d]), m_st).passes;
        }
        for (const auto& [a, b] : g.edges) {
            m_movable = m_movable || (g.start[a] != g.start[b] && !g.frozen[g.start[a]] &&
                                      !g.frozen[g.start[b]]);
        }
    }

    /// One ReCom step.
    void step(ChainStats& stats) {
        ++stats.steps;
        if (!m_movable) {
            ++stats.rejected;
            return;
        }
        std::uint32_t a = 0, b = 0;
        for (int tries = 0;; ++tries) {
            const auto& e = m_g.edges[m_rng.below(static_cast<std::uint32_t>(m_g.edges.size()))];
            a = m_assign[e.first];
            b = m_assign[e.second];
            if (a != b && !m_g.frozen[a] && !m_g.frozen[b]) {
                break;
            }
            if (tries == 1000) {
                ++stats.rejected;
                return;
            }
        }
        if (!merged_graph(a, b)) {
            ++stats.rejected;
            return;
        }
        const int failing_before = (m_passes[a] ? 0 : 1) + (m_passes[b] ? 0 : 1);
        for (int attempt = 0; attempt < 3; ++attempt) {
            wilson();
            bool fallback = false;
            const std::uint32_t cut = choose_cut(failing_before, fallback);
            if (cut != none) {
                apply(a, b, cut);
                ++stats.accepted;
                stats.fallback += fallback ? 1 : 0;
                return;
            }
        }
        ++stats.rejected;
    }

    [[nodiscard]] const std::vector<std::uint32_t>& assignment() const { return m_assign; }

private:
    static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

    [[nodiscard]] Region sums(const std::vector<std::uint32_t>& locals) const {
        Region r;
        for (const std::uint32_t k : locals) {
            change(r, m_in.units[m_g.units[k]], +1, 0);
        }
        return r;
    }

    /// The units of groups a and b and their adjacency among themselves (m_set, m_nbr);
    /// false if they are not connected.
    bool merged_graph(std::uint32_t a, std::uint32_t b) {
        ++m_round;
        m_set = m_members[a];
        m_set.insert(m_set.end(), m_members[b].begin(), m_members[b].end());
        for (std::uint32_t i = 0; i < m_set.size(); ++i) {
            m_stamp[m_set[i]] = m_round;
            m_pos[m_set[i]] = i;
        }
        const auto n = static_cast<std::uint32_t>(m_set.size());
        m_nbr_start.assign(n + 1, 0);
        m_nbr.clear();
        for (std::uint32_t i = 0; i < n; ++i) {
            m_nbr_start[i] = static_cast<std::uint32_t>(m_nbr.size());
            const std::uint32_t k = m_set[i];
            for (std::uint32_t j = m_g.adj_start[k]; j < m_g.adj_start[k + 1]; ++j) {
                if (m_stamp[m_g.adj[j]] == m_round) {
                    m_nbr.push_back(m_pos[m_g.adj[j]]);
                }
            }
        }
        m_nbr_start[n] = static_cast<std::uint32_t>(m_nbr.size());
        // Connected: a breadth-first search from the first unit reaches every one.
        m_order.assign(1, 0);
        m_seen.assign(n, false);
        m_seen[0] = true;
        for (std::size_t h = 0; h < m_order.size(); ++h) {
            for (std::uint32_t j = m_nbr_start[m_order[h]]; j < m_nbr_start[m_order[h] + 1]; ++j) {
                if (!m_seen[m_nbr[j]]) {
                    m_seen[m_nbr[j]] = true;
                    m_order.push_back(m_nbr[j]);
                }
            }
        }
        return m_order.size() == n;
    }

    /// A uniform spanning tree of the merged units (Wilson 1996: loop-erased random walks);
    /// m_parent[i] is i's parent, the root's is none.
    void wilson() {
        const auto n = static_cast<std::uint32_t>(m_set.size());
        m_parent.assign(n, none);
        m_seen.assign(n, false);
        m_seen[m_rng.below(n)] = true;
        for (std::uint32_t i = 0; i < n; ++i) {
            std::uint32_t u = i;
            while (!m_seen[u]) {
                const std::uint32_t deg = m_nbr_start[u + 1] - m_nbr_start[u];
                m_parent[u] = m_nbr[m_nbr_start[u] + m_rng.below(deg)];
                u = m_parent[u];
            }
            for (u = i; !m_seen[u]; u = m_parent[u]) {
                m_seen[u] = true;
            }
        }
    }

    /// The tree edge to cut (named by its child), uniformly among those leaving two lawful
    /// parts, else among those failing no more than before; none if neither.
    std::uint32_t choose_cut(int failing_before, bool& fallback) {
        const auto n = static_cast<std::uint32_t>(m_set.size());
        // Children before parents: the order of a search from the root, reversed.
        std::uint32_t root = 0;
        m_children_start.assign(n + 1, 0);
        for (std::uint32_t i = 0; i < n; ++i) {
            if (m_parent[i] == none) {
                root = i;
            } else {
                ++m_children_start[m_parent[i] + 1];
            }
        }
        for (std::uint32_t i = 0; i < n; ++i) {
            m_children_start[i + 1] += m_children_start[i];
        }
        m_children.assign(n, 0);
        std::vector<std::uint32_t>& fill = m_fill;
        fill.assign(m_children_start.begin(), m_children_start.end() - 1);
        for (std::uint32_t i = 0; i < n; ++i) {
            if (m_parent[i] != none) {
                m_children[fill[m_parent[i]]++] = i;
            }
        }
        m_order.assign(1, root);
        for (std::size_t h = 0; h < m_order.size(); ++h) {
            const std::uint32_t u = m_order[h];
            for (std::uint32_t j = m_children_start[u]; j < m_children_start[u + 1]; ++j) {
                m_order.push_back(m_children[j]);
            }
        }
        m_sub.assign(n, Region{});
        for (std::size_t h = n; h-- > 0;) {
            const std::uint32_t u = m_order[h];
            change(m_sub[u], m_in.units[m_g.units[m_set[u]]], +1, 0);
            if (m_parent[u] != none) {
                add(m_sub[m_parent[u]], m_sub[u]);
            }
        }
        m_lawful.clear();
        m_fallback.clear();
        for (std::uint32_t u = 0; u < n; ++u) {
            if (u == root) {
                continue;
            }
            Region rest = m_sub[root];
            add(rest, m_sub[u], -1);
            const int failing = (judge_region(m_sub[u], m_st).passes ? 0 : 1) +
                                (judge_region(rest, m_st).passes ? 0 : 1);
            if (failing == 0) {
                m_lawful.push_back(u);
            } else if (failing <= failing_before) {
                m_fallback.push_back(u);
            }
        }
        if (!m_lawful.empty()) {
            return m_lawful[m_rng.below(static_cast<std::uint32_t>(m_lawful.size()))];
        }
        if (!m_fallback.empty()) {
            fallback = true;
            return m_fallback[m_rng.below(static_cast<std::uint32_t>(m_fallback.size()))];
        }
        return none;
    }

    static void add(Region& x, const Region& y, int sign = 1) {
        const double s = sign;
        x.area += s * y.area;
        x.pop += s * y.pop;
        x.mountain_area += s * y.mountain_area;
        x.n += sign * y.n;
        x.wards += sign * y.wards;
        x.unknown += sign * y.unknown;
    }

    /// The subtree under `cut` becomes group a, the rest group b.
    void apply(std::uint32_t a, std::uint32_t b, std::uint32_t cut) {
        m_members[a].clear();
        m_members[b].clear();
        m_order.assign(1, cut);
        for (std::size_t h = 0; h < m_order.size(); ++h) {
            const std::uint32_t u = m_order[h];
            for (std::uint32_t j = m_children_start[u]; j < m_children_start[u + 1]; ++j) {
                m_order.push_back(m_children[j]);
            }
        }
        ++m_round;
        for (const std::uint32_t u : m_order) {
            m_stamp[m_set[u]] = m_round;
        }
        for (const std::uint32_t k : m_set) {
            const std::uint32_t g = m_stamp[k] == m_round ? a : b;
            m_assign[k] = g;
            m_members[g].push_back(k);
        }
        std::sort(m_members[a].begin(), m_members[a].end());
        std::sort(m_members[b].begin(), m_members[b].end());
        m_passes[a] = judge_region(sums(m_members[a]), m_st).passes;
        m_passes[b] = judge_region(sums(m_members[b]), m_st).passes;
    }

    const ProvinceGraph& m_g;
    const EnsembleInput& m_in;
    const ProvinceStandards& m_st;
    Rng m_rng;
    std::vector<std::uint32_t> m_assign;
    std::vector<std::vector<std::uint32_t>> m_members;
    std::vector<bool> m_passes;
    bool m_movable = false;
    // Scratch of a step.
    std::vector<std::uint32_t> m_stamp, m_pos;
    std::uint32_t m_round = 0;
    std::vector<std::uint32_t> m_set, m_nbr_start, m_nbr, m_order, m_parent;
    std::vector<std::uint32_t> m_children_start, m_children, m_fill, m_lawful, m_fallback;
    std::vector<bool> m_seen;
    std::vector<Region> m_sub;
};

/// The metrics of a province's plan (local group per unit).
PlanMetrics province_metrics(const ProvinceGraph& g,
                             const EnsembleInput& in,
                             const std::vector<std::uint32_t>& assign,
                             std::vector<std::uint16_t>* labels) {
    const ProvinceStandards& st = in.standards.at(g.code);
    PlanMetrics m;
    // Canonical labels: groups numbered by their first unit.
    std::vector<std::uint32_t> canon(g.units.size() + 1, std::numeric_limits<std::uint32_t>::max());
    std::vector<std::uint16_t> lab(g.units.size());
    std::uint32_t next = 0;
    for (std::size_t k = 0; k < g.units.size(); ++k) {
        std::uint32_t& c = canon[assign[k]];
        if (c == std::numeric_limits<std::uint32_t>::max()) {
            c = next++;
        }
        lab[k] = static_cast<std::uint16_t>(c);
    }
    m.checksum =
        fnv(lab.data(), lab.size() * sizeof(std::uint16_t), fnv(g.code.data(), g.code.size()));
    m.units = next;
    std::vector<Region> regions(next);
    std::vector<std::uint32_t> seat(next, std::numeric_limits<std::uint32_t>::max());
    std::vector<NewUnitStaff> staff(next);
    for (std::size_t k = 0; k < g.units.size(); ++k) {
        const std::uint32_t d = lab[k];
        const ProposeUnit& p = in.units[g.units[k]];
        double border = 0; // with the group's units before this one
        for (std::uint32_t j = g.adj_start[k]; j < g.adj_start[k + 1]; ++j) {
            if (g.adj[j] < k && lab[g.adj[j]] == d) {
                border += g.adj_km[j];
            } else if (g.adj[j] > k && lab[g.adj[j]] != d) {
                ++m.cut_edges;
            }
        }
        change(regions[d], p, +1, border);
        if (seat[d] == std::numeric_limits<std::uint32_t>::max() ||
            p.population > in.units[g.units[seat[d]]].population) {
            seat[d] = static_cast<std::uint32_t>(k);
        }
        if (!in.unit_staff.empty()) {
            const NewUnitStaff& s = in.unit_staff[g.units[k]];
            NewUnitStaff& t = staff[d];
            const double paid =
                t.staffed() * t.salary_coefficient + s.staffed() * s.salary_coefficient;
            const bool known =
                (t.staffed() == 0 || t.salary_coefficient > 0) && s.salary_coefficient > 0;
            t.from_communes += s.from_communes;
            t.from_districts += s.from_districts;
            t.cadres_from_communes += s.cadres_from_communes;
            t.cadres_from_districts += s.cadres_from_districts;
            t.non_specialised_ended += s.non_specialised_ended;
            t.salary_coefficient = known && t.staffed() > 0 ? paid / t.staffed() : 0;
        }
    }
    std::vector<double> farthest(next, 0); // member from the seat, km
    for (std::size_t k = 0; k < g.units.size(); ++k) {
        const std::uint32_t d = lab[k];
        const geo::Coord& c = in.units[g.units[k]].centre;
        const geo::Coord& s = in.units[g.units[seat[d]]].centre;
        farthest[d] = std::max(farthest[d], std::hypot(c.x - s.x, c.y - s.y) / 1e3);
    }
    StaffingResult staffing;
    for (std::uint32_t d = 0; d < next; ++d) {
        const Region& r = regions[d];
        const Judged j = judge_region(r, st);
        m.below += !j.passes && r.unknown == 0 ? 1 : 0; // as amsim run: unknown, not judged
        m.outright += j.meets ? 1 : 0;
        m.waived += j.passes && !j.meets ? 1 : 0;
        m.polsby_popper_sum +=
            r.perimeter > 0 ? 4 * std::numbers::pi * r.area / (r.perimeter * r.perimeter) : 0;
        m.seat_km_sum += farthest[d];
        m.seat_km_max = std::max(m.seat_km_max, farthest[d]);
        if (!in.unit_staff.empty()) {
            NewUnitStaff& s = staff[d];
            s.province = g.code;
            s.norm = new_commune_norm(r.pop, j.mountain, j.ward || r.has_zone, in.staffing);
            m.staffed += s.staffed();
            m.norm += s.norm;
            m.surplus += std::max(0.0, s.surplus());
        }
    }
    if (!in.unit_staff.empty()) {
        staffing.communes = std::move(staff);
        for (const RoadmapUnit& u : make_roadmap(staffing, in.roadmap).units) {
            m.payouts_vnd += u.total_payout_vnd();
        }
    }
    if (labels != nullptr) {
        *labels = std::move(lab);
    }
    return m;
}

std::uint64_t chain_seed(std::uint64_t seed, std::size_t chain, const std::string& province) {
    std::uint64_t x = seed;
    std::uint64_t h = splitmix(x);
    h ^= static_cast<std::uint64_t>(chain) * 0xD1B54A32D192ED03ULL;
    return fnv(province.data(), province.size(), h);
}

} // namespace

std::vector<std::pair<std::string, double>> metric_values(const PlanMetrics& m) {
    const double n = m.units > 0 ? static_cast<double>(m.units) : 1;
    return {{"units", static_cast<double>(m.units)},
            {"below_standard", static_cast<double>(m.below)},
            {"meets_outright", static_cast<double>(m.outright)},
            {"waived", static_cast<double>(m.waived)},
            {"polsby_popper_mean", m.polsby_popper_sum / n},
            {"cut_edges", static_cast<double>(m.cut_edges)},
            {"seat_km_mean", m.seat_km_sum / n},
            {"seat_km_max", m.seat_km_max},
            {"norm", m.norm},
            {"surplus", m.surplus},
            {"payouts_vnd", m.payouts_vnd}};
}

void add_metrics(PlanMetrics& t, const PlanMetrics& p) {
    t.units += p.units;
    t.below += p.below;
    t.outright += p.outright;
    t.waived += p.waived;
    t.cut_edges += p.cut_edges;
    t.polsby_popper_sum += p.polsby_popper_sum;
    t.seat_km_sum += p.seat_km_sum;
    t.seat_km_max = std::max(t.seat_km_max, p.seat_km_max);
    t.staffed += p.staffed;
    t.norm += p.norm;
    t.surplus += p.surplus;
    t.payouts_vnd += p.payouts_vnd;
    t.checksum =
        fnv(&p.checksum, sizeof p.checksum, t.checksum == 0 ? 0xCBF29CE484222325ULL : t.checksum);
}

std::vector<std::string> reduced_plan(const EnsembleInput& in, double pct) {
    std::vector<std::string> plan = in.start;
    if (pct <= 0) {
        return plan;
    }
    for (const ProvinceGraph& g : province_graphs(in, "")) {
        // Groups by their local index; merged ones point to where they went.
        std::vector<std::uint32_t> into(g.groups);
        std::vector<double> pop(g.groups, 0);
        std::vector<std::string> key(g.groups);
        for (std::uint32_t d = 0; d < g.groups; ++d) {
            into[d] = d;
        }
        for (std::uint32_t k = 0; k < g.units.size(); ++k) {
            pop[g.start[k]] += in.units[g.units[k]].population;
            key[g.start[k]] = in.start[g.units[k]];
        }
        auto root = [&](std::uint32_t d) {
            while (into[d] != d) {
                d = into[d];
            }
            return d;
        };
        const auto target = static_cast<std::size_t>(std::max(
            1.0, std::round(static_cast<double>(g.groups) * (1 - std::min(pct, 100.0) / 100))));
        for (std::size_t count = g.groups; count > target; --count) {
            std::uint32_t best_a = 0, best_b = 0;
            double best = std::numeric_limits<double>::infinity();
            for (const auto& [x, y] : g.edges) {
                std::uint32_t a = root(g.start[x]), b = root(g.start[y]);
                if (a == b || g.frozen[a] || g.frozen[b]) {
                    continue;
                }
                if (key[b] < key[a]) {
                    std::swap(a, b);
                }
                const double p = pop[a] + pop[b];
                if (p < best ||
                    (p == best && std::tie(key[a], key[b]) < std::tie(key[best_a], key[best_b]))) {
                    best = p;
                    best_a = a;
                    best_b = b;
                }
            }
            if (!std::isfinite(best)) {
                break; // no two neighbouring units left to merge
            }
            into[best_b] = best_a;
            pop[best_a] += pop[best_b];
        }
        for (std::uint32_t k = 0; k < g.units.size(); ++k) {
            plan[g.units[k]] = key[root(g.start[k])];
        }
    }
    return plan;
}

std::map<std::string, PlanMetrics> plan_metrics(const EnsembleInput& input,
                                                const std::vector<std::string>& plan) {
    EnsembleInput in = input;
    in.start = plan;
    std::map<std::string, PlanMetrics> out;
    for (const ProvinceGraph& g : province_graphs(in, "")) {
        out[g.code] = province_metrics(g, in, g.start, nullptr);
    }
    return out;
}

EnsembleResult run_ensemble(const EnsembleInput& in, const EnsembleOptions& o) {
    if (in.start.size() != in.units.size()) {
        throw InternalError("ensemble: the start plan does not cover every old unit");
    }
    if (o.shards == 0 || o.shard >= o.shards || o.plans_per_chain == 0 || o.thin == 0) {
        throw InputError("ensemble: --shard I/K needs 1 <= I <= K; chains and thinning at least 1");
    }
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<ProvinceGraph> graphs = province_graphs(in, o.province);
    EnsembleResult out;
    for (const ProvinceGraph& g : graphs) {
        out.provinces.push_back(g.code);
        auto& codes = out.codes[g.code];
        for (const std::uint32_t u : g.units) {
            codes.push_back(in.units[u].code);
        }
    }
    const std::size_t lo = o.shard * o.plans / o.shards;
    const std::size_t hi = (o.shard + 1) * o.plans / o.shards;
    if (lo == hi) {
        return out;
    }
    const std::size_t first_chain = lo / o.plans_per_chain;
    const std::size_t chains = (hi - 1) / o.plans_per_chain - first_chain + 1;
    const std::size_t np = graphs.size();
    out.plans.resize((hi - lo) * np);
    out.chains.resize(chains * np);
    std::atomic<std::size_t> done{0};
    std::mutex progress; // the callback is not required to be thread-safe
    tbb::parallel_for(std::size_t{0}, chains * np, [&](std::size_t task) {
        const std::size_t c = first_chain + task / np;
        const ProvinceGraph& g = graphs[task % np];
        ChainStats& stats = out.chains[task];
        stats.chain = c;
        stats.province = g.code;
        Chain chain(g, in, chain_seed(o.seed, c, g.code));
        const std::size_t sweep = g.groups;
        for (std::size_t s = 0; s < o.burn_in * sweep; ++s) {
            chain.step(stats);
        }
        for (std::size_t j = 0; j < o.plans_per_chain; ++j) {
            const std::size_t i = c * o.plans_per_chain + j;
            if (i >= hi) {
                break;
            }
            for (std::size_t s = 0; s < o.thin * sweep; ++s) {
                chain.step(stats);
            }
            if (i < lo) {
                continue;
            }
            PlanRecord& r = out.plans[(i - lo) * np + task % np];
            r.plan = i;
            r.chain = c;
            r.province = g.code;
            r.metrics =
                province_metrics(g, in, chain.assignment(), o.partitions ? &r.labels : nullptr);
        }
        const double fraction = static_cast<double>(++done) / static_cast<double>(chains * np);
        const std::lock_guard<std::mutex> lock(progress);
        geo::report(o.progress, "ensemble", fraction);
    });
    for (const ChainStats& s : out.chains) {
        out.steps += s.steps;
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace amsim::sim
