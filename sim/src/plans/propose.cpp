#include "amsim/sim/plans/propose.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/polygon_set.hpp"
#include "amsim/geo/topology.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "region.hpp"

namespace amsim::sim {

double ProposedGroup::polsby_popper() const {
    return perimeter_km > 0 ? 4 * std::numbers::pi * area_km2 / (perimeter_km * perimeter_km) : 0;
}

namespace {

/// One new province's proposal.
class Solver {
public:
    Solver(const std::vector<ProposeUnit>& all,
           std::vector<std::uint32_t> ids,
           const std::vector<ProposeEdge>& edges,
           const ProvinceStandards& standards,
           const ProposeOptions& options,
           std::uint64_t seed)
        : m_all(all), m_ids(std::move(ids)), m_st(standards), m_opt(options), m_rng(seed) {
        const std::size_t n = m_ids.size();
        std::map<std::uint32_t, int> local;
        for (std::size_t i = 0; i < n; ++i) {
            local.emplace(m_ids[i], static_cast<int>(i));
        }
        m_adj.resize(n);
        for (const ProposeEdge& e : edges) {
            const auto a = local.find(e.a), b = local.find(e.b);
            if (a != local.end() && b != local.end() && a->second != b->second) {
                m_adj[static_cast<std::size_t>(a->second)].emplace_back(b->second, e.length_km);
                m_adj[static_cast<std::size_t>(b->second)].emplace_back(a->second, e.length_km);
            }
        }
        for (auto& list : m_adj) {
            std::sort(list.begin(), list.end());
        }
        m_region.assign(n, -1);
    }

    /// Groups as lists of local indices.
    std::vector<std::vector<int>> solve(std::size_t target, ProvinceOutcome& out) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::size_t n = m_ids.size();
        out.units = n;
        freeze_given();
        if (m_opt.fix_only) {
            for (std::size_t u = 0; u < n; ++u) {
                if (m_region[u] < 0) {
                    new_region({static_cast<int>(u)});
                }
            }
            for (const Region& region : m_regions) {
                out.failing_before += !region.frozen && !judge(region).passes;
            }
            merge_failing();
            out.target = out.failing_before;
        } else {
            out.target = target;
            const std::size_t frozen = m_regions.size();
            grow(target > frozen ? target - frozen : 0);
            anneal(t0, out);
        }
        // Groups: regions with members, in order of their smallest unit.
        std::vector<std::vector<int>> groups(m_regions.size());
        for (std::size_t u = 0; u < n; ++u) {
            groups[static_cast<std::size_t>(m_region[u])].push_back(static_cast<int>(u));
        }
        std::erase_if(groups, [](const std::vector<int>& g) { return g.empty(); });
        std::sort(groups.begin(), groups.end());
        out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return groups;
    }

    [[nodiscard]] Judged judge(const Region& r) const { return judge_region(r, m_st); }

private:
    [[nodiscard]] const ProposeUnit& unit(int u) const {
        return m_all[m_ids[static_cast<std::size_t>(u)]];
    }

    /// Border length between unit u and the members of region r.
    [[nodiscard]] double shared(int u, int r) const {
        double s = 0;
        for (const auto& [v, len] : m_adj[static_cast<std::size_t>(u)]) {
            if (m_region[static_cast<std::size_t>(v)] == r) {
                s += len;
            }
        }
        return s;
    }

    /// Region r with unit u added (sign +1) or removed (-1), given u's border with r.
    [[nodiscard]] Region with(const Region& r, int u, int sign, double border) const {
        Region x = r;
        change(x, unit(u), sign, border);
        return x;
    }

    void add(int u, int r) {
        const double border = shared(u, r);
        m_regions[static_cast<std::size_t>(r)] =
            with(m_regions[static_cast<std::size_t>(r)], u, +1, border);
        m_region[static_cast<std::size_t>(u)] = r;
    }

    int new_region(const std::vector<int>& members, bool frozen = false) {
        const int r = static_cast<int>(m_regions.size());
        m_regions.emplace_back();
        m_regions.back().frozen = frozen;
        for (int u : members) {
            add(u, r);
        }
        return r;
    }

    /// Units kept alone, and groups locked by the planner; special zones stay alone.
    void freeze_given() {
        const std::set<std::string> keep(m_opt.keep.begin(), m_opt.keep.end());
        std::map<std::string, std::vector<int>> locked;
        for (std::size_t u = 0; u < m_ids.size(); ++u) {
            const ProposeUnit& p = unit(static_cast<int>(u));
            if (keep.contains(p.code) || p.type == UnitType::dac_khu ||
                (m_opt.fix_only && !p.population_known)) {
                new_region({static_cast<int>(u)}, true);
            } else if (const auto it = m_opt.locked.find(p.code); it != m_opt.locked.end()) {
                locked[it->second].push_back(static_cast<int>(u));
            } else if (!p.zone.empty()) { // the plan's special zone, kept whole
                locked["\x01zone:" + p.zone].push_back(static_cast<int>(u));
            }
        }
        for (const auto& [name, members] : locked) {
            new_region(members, true);
        }
    }

    [[nodiscard]] double distance2(const Region& r, int u) const {
        const ProposeUnit& p = unit(u);
        const double dx = r.sx / r.area - p.centre.x, dy = r.sy / r.area - p.centre.y;
        return dx * dx + dy * dy;
    }

    /// How far a region is towards its standard: the smaller ratio of the two.
    [[nodiscard]] double fill(const Region& r) const {
        const Judged j = judge(r);
        const auto& th = m_st.threshold[j.ward ? 1 : 0][j.mountain ? 1 : 0];
        double f = 1e9;
        if (th.area_km2) {
            f = std::min(f, r.area / *th.area_km2);
        }
        if (th.population) {
            f = std::min(f, r.pop / *th.population);
        }
        return f;
    }

    /// Seeds spread over each connected part of the free units, then growth: the region
    /// furthest from its standard takes the free neighbour nearest to its centre.
    void grow(std::size_t k) {
        std::vector<std::vector<int>> parts = free_parts();
        if (parts.empty()) {
            return;
        }
        const std::vector<std::size_t> seeds = seeds_per_part(parts, k);
        place_seeds(parts, seeds);
        grow_regions();
    }

    /// Connected parts of the free units.
    [[nodiscard]] std::vector<std::vector<int>> free_parts() const {
        const std::size_t n = m_ids.size();
        // Connected parts of the free units.
        std::vector<int> part(n, -1);
        std::vector<std::vector<int>> parts;
        for (std::size_t s = 0; s < n; ++s) {
            if (m_region[s] >= 0 || part[s] >= 0) {
                continue;
            }
            parts.emplace_back();
            std::vector<int> stack = {static_cast<int>(s)};
            part[s] = static_cast<int>(parts.size() - 1);
            while (!stack.empty()) {
                const int u = stack.back();
                stack.pop_back();
                parts.back().push_back(u);
                for (const auto& [v, len] : m_adj[static_cast<std::size_t>(u)]) {
                    const auto vi = static_cast<std::size_t>(v);
                    if (m_region[vi] < 0 && part[vi] < 0) {
                        part[vi] = part[s];
                        stack.push_back(v);
                    }
                }
            }
        }
        return parts;
    }

    /// Seeds per part: at least one, the rest by the share of free units (largest
    /// remainders), never more than the part's units.
    static std::vector<std::size_t> seeds_per_part(const std::vector<std::vector<int>>& parts,
                                                   std::size_t k) {
        std::size_t free_units = 0;
        for (const auto& p : parts) {
            free_units += p.size();
        }
        k = std::clamp(k, parts.size(), free_units);
        std::vector<std::size_t> seeds(parts.size(), 1);
        std::vector<std::pair<double, std::size_t>> remainder;
        std::size_t given = parts.size();
        const auto extra = static_cast<double>(k - parts.size());
        const auto spare = static_cast<double>(free_units - parts.size());
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const double want =
                spare > 0 ? extra * static_cast<double>(parts[i].size() - 1) / spare : 0;
            const auto whole = static_cast<std::size_t>(std::floor(want));
            seeds[i] += whole;
            given += whole;
            remainder.emplace_back(-(want - std::floor(want)), i);
        }
        std::sort(remainder.begin(), remainder.end());
        for (std::size_t j = 0; given < k && j < remainder.size(); ++j) {
            const std::size_t i = remainder[j].second;
            if (seeds[i] < parts[i].size()) {
                ++seeds[i];
                ++given;
            }
        }
        return seeds;
    }

    /// Farthest-point seeds within each part, starting from a random unit.
    void place_seeds(std::vector<std::vector<int>>& parts, const std::vector<std::size_t>& seeds) {
        for (std::size_t i = 0; i < parts.size(); ++i) {
            std::vector<int>& members = parts[i];
            std::sort(members.begin(), members.end());
            std::vector<double> nearest(members.size(), std::numeric_limits<double>::infinity());
            std::size_t pick =
                std::uniform_int_distribution<std::size_t>(0, members.size() - 1)(m_rng);
            for (std::size_t s = 0; s < seeds[i]; ++s) {
                new_region({members[pick]});
                const geo::Coord c = unit(members[pick]).centre;
                double best = -1;
                for (std::size_t j = 0; j < members.size(); ++j) {
                    const geo::Coord q = unit(members[j]).centre;
                    nearest[j] =
                        std::min(nearest[j], (q.x - c.x) * (q.x - c.x) + (q.y - c.y) * (q.y - c.y));
                    if (m_region[static_cast<std::size_t>(members[j])] < 0 && nearest[j] > best) {
                        best = nearest[j];
                        pick = j;
                    }
                }
            }
        }
    }

    /// Growth: the least-filled open region takes its nearest free neighbour, until none can.
    void grow_regions() {
        const std::size_t n = m_ids.size();
        std::vector<std::vector<int>> members(m_regions.size());
        for (std::size_t u = 0; u < n; ++u) {
            if (m_region[u] >= 0) {
                members[static_cast<std::size_t>(m_region[u])].push_back(static_cast<int>(u));
            }
        }
        std::vector<bool> open(m_regions.size(), true);
        for (std::size_t r = 0; r < m_regions.size(); ++r) {
            open[r] = !m_regions[r].frozen;
        }
        while (true) {
            int best_r = -1;
            double best_fill = std::numeric_limits<double>::infinity();
            for (std::size_t r = 0; r < m_regions.size(); ++r) {
                if (open[r]) {
                    const double f = fill(m_regions[r]);
                    if (f < best_fill) {
                        best_fill = f;
                        best_r = static_cast<int>(r);
                    }
                }
            }
            if (best_r < 0) {
                break;
            }
            const auto r = static_cast<std::size_t>(best_r);
            int take = -1;
            double take_d = std::numeric_limits<double>::infinity();
            for (int u : members[r]) {
                for (const auto& [v, len] : m_adj[static_cast<std::size_t>(u)]) {
                    if (m_region[static_cast<std::size_t>(v)] < 0) {
                        const double d = distance2(m_regions[r], v);
                        if (d < take_d || (d == take_d && v < take)) {
                            take_d = d;
                            take = v;
                        }
                    }
                }
            }
            if (take < 0) {
                open[r] = false;
                continue;
            }
            add(take, best_r);
            members[r].push_back(take);
        }
    }

    /// Whether region r stays connected without unit u.
    bool connected_without(int u, int r) {
        int start = -1, size = 0;
        for (const auto& [v, len] : m_adj[static_cast<std::size_t>(u)]) {
            if (m_region[static_cast<std::size_t>(v)] == r) {
                start = v;
                ++size;
            }
        }
        if (size <= 1) {
            return true; // u touches the rest once: a leaf (or its only other contact)
        }
        // Breadth-first from one neighbour over the region without u.
        const int want = m_regions[static_cast<std::size_t>(r)].n - 1;
        ++m_stamp;
        m_seen.resize(m_ids.size(), 0);
        m_seen[static_cast<std::size_t>(u)] = m_stamp;
        m_seen[static_cast<std::size_t>(start)] = m_stamp;
        m_queue.assign(1, start);
        int reached = 1;
        for (std::size_t q = 0; q < m_queue.size() && reached < want; ++q) {
            for (const auto& [v, len] : m_adj[static_cast<std::size_t>(m_queue[q])]) {
                const auto vi = static_cast<std::size_t>(v);
                if (m_region[vi] == r && m_seen[vi] != m_stamp) {
                    m_seen[vi] = m_stamp;
                    m_queue.push_back(v);
                    ++reached;
                }
            }
        }
        return reached == want;
    }

    /// Simulated annealing over single-unit moves between neighbouring regions.
    void anneal(std::chrono::steady_clock::time_point t0, ProvinceOutcome& out) {
        const std::size_t n = m_ids.size();
        if (n < 2) {
            return;
        }
        std::vector<double> cost(m_regions.size());
        for (std::size_t r = 0; r < m_regions.size(); ++r) {
            cost[r] = judge(m_regions[r]).cost;
        }
        const std::size_t steps = m_opt.steps_per_unit * n;
        const double t_start = 0.5, t_end = 0.002;
        const double cooling = std::pow(t_end / t_start, 1.0 / static_cast<double>(steps));
        double temperature = t_start;
        std::uniform_int_distribution<std::size_t> pick_unit(0, n - 1);
        std::uniform_real_distribution<double> unit_interval(0, 1);
        auto try_move = [&](int u, int h, bool greedy) {
            const int g = m_region[static_cast<std::size_t>(u)];
            auto& rg = m_regions[static_cast<std::size_t>(g)];
            auto& rh = m_regions[static_cast<std::size_t>(h)];
            if (rg.frozen || rh.frozen || rg.n <= 1) {
                return false;
            }
            const Region g2 = with(rg, u, -1, shared(u, g));
            const Region h2 = with(rh, u, +1, shared(u, h));
            const double cg = judge(g2).cost, ch = judge(h2).cost;
            const double delta =
                cg + ch - cost[static_cast<std::size_t>(g)] - cost[static_cast<std::size_t>(h)];
            const bool accept = delta < -1e-12 || (!greedy && delta <= 0) ||
                                (!greedy && unit_interval(m_rng) < std::exp(-delta / temperature));
            if (!accept || !connected_without(u, g)) {
                return false;
            }
            rg = g2;
            rh = h2;
            cost[static_cast<std::size_t>(g)] = cg;
            cost[static_cast<std::size_t>(h)] = ch;
            m_region[static_cast<std::size_t>(u)] = h;
            return true;
        };
        for (std::size_t step = 0; step < steps; ++step) {
            temperature *= cooling;
            if ((step & 4095) == 0 && m_opt.time_budget_s > 0 &&
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >
                    m_opt.time_budget_s) {
                out.stopped_by_budget = true;
                break;
            }
            const int u = static_cast<int>(pick_unit(m_rng));
            const auto& adj = m_adj[static_cast<std::size_t>(u)];
            if (adj.empty()) {
                continue;
            }
            const int v =
                adj[std::uniform_int_distribution<std::size_t>(0, adj.size() - 1)(m_rng)].first;
            const int h = m_region[static_cast<std::size_t>(v)];
            if (h != m_region[static_cast<std::size_t>(u)]) {
                (void)try_move(u, h, false);
            }
        }
        // Greedy passes to a local optimum.
        for (int pass = 0; pass < 20; ++pass) {
            bool moved = false;
            for (std::size_t u = 0; u < n; ++u) {
                for (const auto& [v, len] : m_adj[u]) {
                    const int h = m_region[static_cast<std::size_t>(v)];
                    if (h != m_region[u] && try_move(static_cast<int>(u), h, true)) {
                        moved = true;
                        break;
                    }
                }
            }
            if (!moved) {
                break;
            }
        }
    }

    /// Fix-only: each region below standard merges with the neighbouring region that lowers
    /// the cost most, until no merge helps.
    void merge_failing() {
        std::vector<bool> alive(m_regions.size(), true);
        std::vector<std::vector<int>> members(m_regions.size());
        for (std::size_t u = 0; u < m_ids.size(); ++u) {
            members[static_cast<std::size_t>(m_region[u])].push_back(static_cast<int>(u));
        }
        bool merged = true;
        while (merged) {
            merged = false;
            // The worst first: by cost, then by region number.
            std::vector<std::pair<double, int>> failing;
            for (std::size_t r = 0; r < m_regions.size(); ++r) {
                if (alive[r] && !m_regions[r].frozen) {
                    const Judged j = judge(m_regions[r]);
                    if (!j.passes) {
                        failing.emplace_back(-j.cost, static_cast<int>(r));
                    }
                }
            }
            std::sort(failing.begin(), failing.end());
            for (const auto& [neg_cost, r] : failing) {
                const auto ri = static_cast<std::size_t>(r);
                if (!alive[ri] || judge(m_regions[ri]).passes) {
                    continue;
                }
                std::set<int> neighbours;
                for (int u : members[ri]) {
                    for (const auto& [v, len] : m_adj[static_cast<std::size_t>(u)]) {
                        const int s = m_region[static_cast<std::size_t>(v)];
                        if (s != r && !m_regions[static_cast<std::size_t>(s)].frozen) {
                            neighbours.insert(s);
                        }
                    }
                }
                int best = -1;
                double best_delta = -1e-12;
                const double own = judge(m_regions[ri]).cost;
                for (int s : neighbours) {
                    const auto si = static_cast<std::size_t>(s);
                    Region x = m_regions[si];
                    for (int u : members[ri]) {
                        x = with(x, u, +1, shared(u, s));
                    }
                    const double delta = judge(x).cost - own - judge(m_regions[si]).cost;
                    if (delta < best_delta) {
                        best_delta = delta;
                        best = s;
                    }
                }
                if (best < 0) {
                    continue;
                }
                const auto bi = static_cast<std::size_t>(best);
                for (int u : members[ri]) {
                    add(u, best);
                }
                members[bi].insert(members[bi].end(), members[ri].begin(), members[ri].end());
                members[ri].clear();
                m_regions[ri] = Region();
                alive[ri] = false;
                merged = true;
            }
        }
    }

    const std::vector<ProposeUnit>& m_all;
    std::vector<std::uint32_t> m_ids;
    const ProvinceStandards& m_st;
    const ProposeOptions& m_opt;
    std::mt19937_64 m_rng;
    std::vector<std::vector<std::pair<int, double>>> m_adj;
    std::vector<int> m_region;
    std::vector<Region> m_regions;
    std::vector<int> m_seen, m_queue;
    int m_stamp = 0;
};

std::uint64_t hash_text(const std::string& s) {
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a
    for (const char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return h;
}

} // namespace

Proposal propose(const std::vector<ProposeUnit>& units,
                 const std::vector<ProposeEdge>& edges,
                 const std::map<std::string, ProvinceStandards>& standards,
                 const ProposeOptions& options) {
    std::map<std::string, std::vector<std::uint32_t>> by_province;
    for (std::size_t u = 0; u < units.size(); ++u) {
        by_province[units[u].province].push_back(static_cast<std::uint32_t>(u));
    }
    for (const auto& locked : options.locked) {
        const std::string& code = locked.first; // a binding clang 14 lets a lambda capture
        if (std::none_of(
                units.begin(), units.end(), [&](const ProposeUnit& p) { return p.code == code; })) {
            throw InputError("locked unit '" + code + "' is not a unit of the base layer");
        }
    }
    std::vector<std::string> codes;
    for (const auto& [code, ids] : by_province) {
        if (!standards.contains(code)) {
            throw InputError("province '" + code + "' has no standards (not in the scenario)");
        }
        codes.push_back(code);
    }
    std::vector<ProvinceOutcome> outcomes(codes.size());
    std::vector<std::vector<std::vector<std::uint32_t>>> groups(codes.size());
    std::atomic<std::size_t> done{0};
    tbb::parallel_for(std::size_t{0}, codes.size(), [&](std::size_t i) {
        const std::vector<std::uint32_t>& ids = by_province.at(codes[i]);
        const auto target_it = options.targets.find(codes[i]);
        const std::size_t target =
            target_it != options.targets.end() ? target_it->second : (ids.size() + 2) / 3;
        Solver solver(
            units, ids, edges, standards.at(codes[i]), options, options.seed ^ hash_text(codes[i]));
        outcomes[i].province = codes[i];
        for (const std::vector<int>& g : solver.solve(target, outcomes[i])) {
            std::vector<std::uint32_t> global;
            global.reserve(g.size());
            for (int u : g) {
                global.push_back(ids[static_cast<std::size_t>(u)]);
            }
            std::sort(global.begin(), global.end());
            groups[i].push_back(std::move(global));
        }
        geo::report(options.progress,
                    "propose",
                    static_cast<double>(done.fetch_add(1) + 1) / static_cast<double>(codes.size()));
    });

    Proposal out;
    // Each group's internal border, from one pass over the borders.
    out.group_of_unit.assign(units.size(), geo::no_unit);
    std::uint32_t next_group = 0;
    for (const auto& province_groups : groups) {
        for (const std::vector<std::uint32_t>& members : province_groups) {
            for (std::uint32_t u : members) {
                out.group_of_unit[u] = next_group;
            }
            ++next_group;
        }
    }
    std::vector<double> shared(next_group, 0);
    for (const ProposeEdge& e : edges) {
        if (out.group_of_unit[e.a] == out.group_of_unit[e.b]) {
            shared[out.group_of_unit[e.a]] += e.length_km;
        }
    }
    for (std::size_t i = 0; i < codes.size(); ++i) {
        ProvinceOutcome& po = outcomes[i];
        const ProvinceStandards& st = standards.at(codes[i]);
        double pp_sum = 0;
        for (const std::vector<std::uint32_t>& members : groups[i]) {
            ProposedGroup g;
            g.province = codes[i];
            g.units = members;
            Region r;
            for (std::uint32_t u : members) {
                change(r, units[u], +1, 0);
            }
            r.perimeter -= 2 * shared[out.groups.size()]; // the group's inner borders
            const Judged j = judge_region(r, st);
            g.area_km2 = r.area;
            g.population = r.pop;
            g.population_known = r.unknown == 0;
            g.perimeter_km = r.perimeter;
            g.type = r.has_zone ? UnitType::dac_khu : (j.ward ? UnitType::phuong : UnitType::xa);
            g.mountain = j.mountain;
            g.meets_standard = j.meets;
            g.passes = j.passes;
            // As amsim run: a group of unknown population is not judged, never below standard.
            po.failing += !g.passes && g.population_known;
            po.unknown += !g.population_known;
            po.failing_unknown += !g.passes && !g.population_known;
            pp_sum += g.polsby_popper();
            out.groups.push_back(std::move(g));
        }
        po.groups = groups[i].size();
        po.mean_polsby_popper = po.groups > 0 ? pp_sum / static_cast<double>(po.groups) : 0;
        out.provinces.push_back(po);
    }
    return out;
}

std::map<std::string, ProvinceStandards> province_standards(const Scenario& s,
                                                            const RulesProfile& profile) {
    std::map<std::string, ProvinceStandards> out;
    for (const ProvinceMerger& m : s.provinces) {
        ProvinceStandards st;
        st.province_class =
            m.type == "thanh_pho_tw" ? "city" : (m.region == "mountain" ? "mountain" : "other");
        for (int t = 0; t < 2; ++t) {
            for (int mountain = 0; mountain < 2; ++mountain) {
                const Standard* found = commune_standard(profile,
                                                         t == 1 ? UnitType::phuong : UnitType::xa,
                                                         mountain == 1 ? "mountain" : "other",
                                                         st.province_class);
                if (found != nullptr) {
                    st.threshold[t][mountain] = {found->area_km2, found->population};
                }
            }
        }
        st.waiver_min_units = profile.waiver_min_units;
        st.waiver_wards_only = profile.waiver_wards_only;
        out[m.code] = st;
    }
    return out;
}

void propose_inputs(const Scenario& s,
                    const ScenarioCheck& check,
                    const geo::LoadedLayer& loaded,
                    std::vector<ProposeUnit>& units,
                    std::vector<ProposeEdge>& edges) {
    const geo::UnitLayer& layer = loaded.layer;
    const auto i_pop = layer.require_attribute(s.base.population_field, "population");
    const auto i_region = layer.require_attribute(s.base.region_field, "region class");
    const std::vector<double> perimeters = loaded.topology.unit_perimeters();
    std::vector<geo::Coord> centres(layer.units.size());
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        centres[u] = geo::centroid(layer.geometry, u);
    }
    loaded.projection->project_in_place(centres);
    std::map<std::string, std::string> zone_of; // old unit -> the plan's special zone
    for (const MappingRow& m : s.mapping) {
        if (m.new_type == UnitType::dac_khu) {
            zone_of[m.old_code] = m.new_code;
        }
    }
    units.clear();
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const geo::Unit& g = layer.units[u];
        ProposeUnit p;
        p.code = g.code;
        p.name = g.name;
        const auto it = check.new_province_of.find(g.parent_code);
        p.province = it != check.new_province_of.end() ? it->second : g.parent_code;
        p.type = unit_type_of(g.type.empty() ? g.name : g.type);
        p.mountain = i_region && geo::to_text(g.attributes[*i_region]) == "mountain";
        p.zone = zone_of.contains(g.code) ? zone_of.at(g.code) : "";
        p.area_km2 = loaded.unit_area_m2[u] / 1e6;
        const auto pop = population_of(layer, u, i_pop);
        p.population = pop.value_or(0);
        p.population_known = pop.has_value();
        p.perimeter_km = perimeters[u] / 1e3;
        p.centre = centres[u];
        units.push_back(std::move(p));
    }
    edges.clear();
    for (const geo::Adjacency& a : loaded.topology.adjacency()) {
        if (units[a.a].province == units[a.b].province) {
            edges.push_back({a.a, a.b, a.length / 1e3});
        }
    }
}

std::string titled(UnitType type, const std::string& name) {
    std::string rest = name;
    for (const char* title : {"Thị trấn ", "Thị Trấn ", "Xã ", "Phường ", "Đặc khu "}) {
        if (rest.starts_with(title)) {
            rest = rest.substr(std::string(title).size());
            break;
        }
    }
    const char* title = type == UnitType::phuong    ? "Phường "
                        : type == UnitType::dac_khu ? "Đặc khu "
                                                    : "Xã ";
    return title + rest;
}

Scenario proposal_scenario(const Scenario& base,
                           const std::vector<ProposeUnit>& units,
                           const Proposal& proposal,
                           const std::string& name,
                           const std::string& rules) {
    Scenario s;
    s.name = name;
    s.description = "Proposed by amsim propose from scenario '" + base.name + "'";
    s.rules = rules;
    s.base = base.base;
    s.provinces = base.provinces;
    s.mapping_path = "mapping.csv";
    // The figures of the plan it came from follow the units that keep their old units; the
    // others are judged on their polygons and the base's population, as in any plan.
    s.commune_figures_path = base.commune_figures_path;
    s.province_figures_path = base.province_figures_path;
    s.figures_label = base.figures_label;
    s.figures_mapping_path =
        base.figures_mapping_path.empty() ? base.mapping_path : base.figures_mapping_path;
    s.regions_path = base.regions_path;
    s.mountain_density_below = base.mountain_density_below;
    s.offices_path = base.offices_path;
    s.housing_km = base.housing_km;
    s.detour = base.detour;
    std::map<std::string, std::size_t> number;
    std::map<std::pair<std::string, std::string>, std::size_t> name_uses;
    std::vector<std::string> names(proposal.groups.size());
    std::vector<std::uint32_t> seats(proposal.groups.size());
    for (std::size_t g = 0; g < proposal.groups.size(); ++g) {
        const ProposedGroup& grp = proposal.groups[g];
        std::uint32_t seat = grp.units.front();
        for (std::uint32_t u : grp.units) {
            if (units[u].population > units[seat].population) {
                seat = u;
            }
        }
        seats[g] = seat;
        names[g] = titled(grp.type, units[seat].name);
        ++name_uses[{grp.province, names[g]}];
    }
    for (std::size_t g = 0; g < proposal.groups.size(); ++g) {
        const ProposedGroup& grp = proposal.groups[g];
        char code[64];
        std::snprintf(code, sizeof code, "P%s-%03zu", grp.province.c_str(), ++number[grp.province]);
        std::string label = names[g];
        if (name_uses[{grp.province, label}] > 1) {
            label += " (" + units[seats[g]].code + ")";
        }
        for (std::uint32_t u : grp.units) {
            MappingRow m;
            m.old_code = units[u].code;
            m.new_code = code;
            m.new_name = label;
            m.new_type = grp.type;
            m.seat = units[seats[g]].code;
            m.share = 1;
            s.mapping.push_back(std::move(m));
        }
    }
    return s;
}

namespace {

/// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(const std::string& v) {
    std::string out = "\"";
    for (const char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(u));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

} // namespace

namespace {

/// The row of each key, so that a key listed twice names both lines.
class FirstRow {
public:
    explicit FirstRow(const CsvTable& t) : m_t(t) {}
    void add(const std::string& key, std::size_t r, const char* what) {
        const auto [it, fresh] = m_row.emplace(key, r);
        if (!fresh) {
            throw InputError(m_t.where(r) + ": " + what + " '" + key +
                             "' is listed twice (also at line " +
                             std::to_string(m_t.lines[it->second]) + ")");
        }
    }

private:
    const CsvTable& m_t;
    std::map<std::string, std::size_t> m_row;
};

void require_unit(const std::set<std::string>& codes,
                  const CsvTable& t,
                  std::size_t r,
                  const std::string& code) {
    if (!codes.contains(code)) {
        throw InputError(t.where(r) + ": code '" + code + "' is not a unit of the base layer");
    }
}

} // namespace

std::map<std::string, std::size_t>
proposal_targets(const CsvTable& t, const std::map<std::string, std::size_t>& units_in) {
    const std::size_t p = t.require("province"), c = t.require("count");
    std::map<std::string, std::size_t> out;
    FirstRow seen(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& code = t.rows[r][p];
        const auto units = units_in.find(code);
        if (units == units_in.end()) {
            throw InputError(t.where(r) + ": province '" + code +
                             "' has no unit in the base layer");
        }
        seen.add(code, r, "province");
        const auto n = geo::parse_number(t.rows[r][c]);
        if (!n) {
            throw InputError(t.where(r) + ", column 'count': '" + t.rows[r][c] +
                             "' is not a whole number of units");
        }
        out[code] = static_cast<std::size_t>(
            geo::checked_whole(*n,
                               1,
                               static_cast<std::int64_t>(units->second),
                               t.where(r) + ", column 'count' (province '" + code + "' has " +
                                   std::to_string(units->second) + " units)"));
    }
    return out;
}

std::vector<std::string> proposal_keep(const CsvTable& t, const std::set<std::string>& codes) {
    const std::size_t c = t.require("code");
    std::vector<std::string> out;
    FirstRow seen(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        require_unit(codes, t, r, t.rows[r][c]);
        seen.add(t.rows[r][c], r, "code");
        out.push_back(t.rows[r][c]);
    }
    return out;
}

std::map<std::string, std::string> proposal_lock(const CsvTable& t,
                                                 const std::set<std::string>& codes) {
    const std::size_t c = t.require("code"), g = t.require("group");
    std::map<std::string, std::string> out;
    FirstRow seen(t);
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        require_unit(codes, t, r, t.rows[r][c]);
        seen.add(t.rows[r][c], r, "code");
        if (t.rows[r][g].empty()) {
            throw InputError(t.where(r) + ": column 'group' is empty for code '" + t.rows[r][c] +
                             "'");
        }
        out[t.rows[r][c]] = t.rows[r][g];
    }
    return out;
}

void check_keep_and_lock(const CsvTable& keep, const CsvTable& lock) {
    const std::size_t kc = keep.require("code"), lc = lock.require("code"),
                      lg = lock.require("group");
    std::map<std::string, std::size_t> kept;
    for (std::size_t r = 0; r < keep.rows.size(); ++r) {
        kept.emplace(keep.rows[r][kc], r);
    }
    for (std::size_t r = 0; r < lock.rows.size(); ++r) {
        if (const auto it = kept.find(lock.rows[r][lc]); it != kept.end()) {
            throw InputError(lock.where(r) + ": code '" + lock.rows[r][lc] +
                             "' is locked into group '" + lock.rows[r][lg] +
                             "' here but kept alone at " + keep.where(it->second) +
                             ": remove one of the two rows");
        }
    }
}

void write_scenario(const Scenario& s,
                    const std::string& dir,
                    const std::string& comment,
                    const geo::OutputPolicy& policy) {
    namespace fs = std::filesystem;
    // A path as the new scenario names it: relative to its folder (data-directory paths and
    // connection strings as they are).
    auto relative = [&](const std::string& path) {
        if (path.empty() || path.starts_with("@/") || path.find(':') != std::string::npos) {
            return path;
        }
        return fs::relative(fs::absolute(path), fs::absolute(dir)).generic_string();
    };
    const std::string source = relative(s.base.source);
    std::ostringstream t;
    t << "# " << comment << "\n";
    t << "name = " << toml_string(s.name) << "\ndescription = " << toml_string(s.description)
      << "\nrules = " << toml_string(s.rules) << "\n\n[base]\nsource = " << toml_string(source)
      << "\n";
    auto field = [&](const char* key, const std::string& v) {
        if (!v.empty()) {
            t << key << " = " << toml_string(v) << "\n";
        }
    };
    field("layer", s.base.layer);
    field("code", s.base.mapping.code);
    field("name", s.base.mapping.name);
    field("province", s.base.mapping.parent);
    field("type", s.base.mapping.type);
    field("population", s.base.population_field);
    if (s.base.population_source != BaseLayer{}.population_source) {
        field("population_source", s.base.population_source);
    }
    field("region", s.base.region_field);
    field("district_type", s.base.district_type_field);
    field("district", s.base.district_field);
    field("province_name", s.base.province_name_field);
    field("official_code", s.base.official_code_field);
    if (const auto& sp = s.base.splits) {
        t << "\n[splits]\nfile = " << toml_string(relative(sp->source)) << "\n";
        field("layer", sp->layer);
        field("unit", sp->unit_field);
        field("part", sp->part_field);
        field("population", sp->population_field);
        t << "tolerance_pct = " << geo::number_text(sp->tolerance * 100) << "\n";
    }
    t << "\n[communes]\nmapping = \"mapping.csv\"\n";
    if (!s.commune_figures_path.empty() || !s.province_figures_path.empty() ||
        !s.regions_path.empty()) {
        t << "\n# The figures of the plan this one came from: they apply to the units that kept "
             "their\n# old units (as in that plan's mapping); the others are judged on their "
             "polygons.\n[figures]\n";
        field("communes", relative(s.commune_figures_path));
        field("mapping", relative(s.figures_mapping_path));
        if (!s.province_figures_path.empty()) {
            field("provinces", relative(s.province_figures_path));
        }
        field("source", s.figures_label);
    }
    if (!s.regions_path.empty() || s.mountain_density_below) {
        t << "\n# The region classes of the plan this one came from, the same way.\n[regions]\n";
        if (!s.regions_path.empty()) {
            field("file", relative(s.regions_path));
        }
        if (s.mountain_density_below) {
            t << "estimate_mountain_below_density = " << geo::number_text(*s.mountain_density_below)
              << "\n";
        }
    }
    if (!s.offices_path.empty() || s.housing_km || s.detour) {
        t << "\n# The old units' offices and the housing threshold of the plan this one came "
             "from.\n[offices]\n";
        if (!s.offices_path.empty()) {
            field("file", relative(s.offices_path));
        }
        if (s.housing_km) {
            t << "housing_km = " << geo::number_text(*s.housing_km) << "\n";
        }
        if (s.detour) {
            t << "detour = " << geo::number_text(*s.detour) << "\n";
        }
    }
    for (const ProvinceMerger& m : s.provinces) {
        t << "\n[[province]]\ncode = " << toml_string(m.code) << "\nname = " << toml_string(m.name)
          << "\ntype = " << toml_string(m.type) << "\nmembers = [";
        for (std::size_t i = 0; i < m.members.size(); ++i) {
            t << (i ? ", " : "") << toml_string(m.members[i]);
        }
        t << "]\ncapital = " << toml_string(m.capital) << "\n";
        if (!m.region.empty()) {
            t << "region = " << toml_string(m.region) << "\n";
        }
    }
    // Both files or neither: the mapping first, so that a scenario.toml never names a
    // mapping that is not there.
    geo::OutputSet files(policy);
    files.add((fs::path(dir) / "mapping.csv").string(), mapping_bytes(s.mapping, "mapping.csv"));
    files.add((fs::path(dir) / "scenario.toml").string(), t.str());
    files.commit();
}

} // namespace amsim::sim
