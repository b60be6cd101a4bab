#include "amsim/sim/plans/compare.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/run_record.hpp"

#include <filesystem>
#include <map>

namespace amsim::sim {

namespace {

double pairs(double n) {
    return n * (n - 1) / 2;
}

/// Each old unit's new unit: the mapping row with its largest share (the first of equals).
std::vector<std::string> assignment(const Scenario& s, const std::vector<std::string>& old_codes) {
    std::map<std::string, std::size_t> index;
    for (std::size_t u = 0; u < old_codes.size(); ++u) {
        index.emplace(old_codes[u], u);
    }
    std::vector<std::string> out(old_codes.size());
    std::vector<double> best(old_codes.size(), -1);
    for (const MappingRow& m : s.mapping) {
        const auto it = index.find(m.old_code);
        if (it != index.end() && m.share > best[it->second]) {
            best[it->second] = m.share;
            out[it->second] = m.new_code;
        }
    }
    return out;
}

PlanFigures figures(const Scenario& s, const Run& r) {
    PlanFigures f;
    f.name = s.name;
    f.units = r.communes.size();
    double pp = 0;
    for (const NewCommune& c : r.communes) {
        f.below_standard += c.verdict.evaluated && !c.verdict.pass;
        // Percentages are kept when the waiver applies: the unit may meet the standard anyway.
        f.meets_outright += (c.verdict.evaluated || c.verdict.waived) &&
                            c.verdict.population_known && c.verdict.area_pct >= 100 &&
                            c.verdict.population_pct >= 100;
        pp += c.polsby_popper;
    }
    f.mean_polsby_popper = f.units > 0 ? pp / static_cast<double>(f.units) : 0;
    if (!r.staffing) {
        throw InternalError("plan '" + s.name + "' was built without its staffing");
    }
    for (const NewUnitStaff& c : r.staffing->result.communes) {
        f.staffed += c.staffed();
        f.norm += c.norm;
    }
    f.surplus = r.staffing->result.surplus_total;
    for (const RoadmapYear& y : r.staffing->roadmap.years) {
        f.payouts_5y_vnd += y.payout_vnd;
    }
    f.payroll_before_vnd = r.staffing->roadmap.payroll_before_vnd;
    f.payroll_after_vnd =
        r.staffing->roadmap.years.empty() ? 0 : r.staffing->roadmap.years.back().payroll_vnd;
    f.staff_estimated = r.staffing->result.estimated;
    return f;
}

} // namespace

double adjusted_rand_index(const std::vector<std::uint32_t>& a,
                           const std::vector<std::uint32_t>& b) {
    const std::size_t n = a.size();
    if (n != b.size()) {
        throw InternalError("adjusted Rand index of labellings of different lengths");
    }
    std::map<std::pair<std::uint32_t, std::uint32_t>, double> both;
    std::map<std::uint32_t, double> in_a, in_b;
    for (std::size_t i = 0; i < n; ++i) {
        both[{a[i], b[i]}] += 1;
        in_a[a[i]] += 1;
        in_b[b[i]] += 1;
    }
    double index = 0, sum_a = 0, sum_b = 0;
    for (const auto& [k, v] : both) {
        index += pairs(v);
    }
    for (const auto& [k, v] : in_a) {
        sum_a += pairs(v);
    }
    for (const auto& [k, v] : in_b) {
        sum_b += pairs(v);
    }
    const double expected = n > 1 ? sum_a * sum_b / pairs(static_cast<double>(n)) : 0;
    const double max_index = (sum_a + sum_b) / 2;
    if (max_index == expected) {
        return 1; // both partitions all singletons or all one group: identical
    }
    return (index - expected) / (max_index - expected);
}

bool same_base(const Scenario& a, const Scenario& b) {
    namespace fs = std::filesystem;
    auto where = [](const std::string& source) {
        if (source.starts_with("@/") || source.find(':') != std::string::npos) {
            return source;
        }
        std::error_code ec;
        const fs::path p = fs::weakly_canonical(fs::absolute(source), ec);
        return ec ? source : p.string();
    };
    if (a.base.layer != b.base.layer || a.base.mapping.code != b.base.mapping.code) {
        return false;
    }
    const std::string pa = where(a.base.source), pb = where(b.base.source);
    if (pa == pb) {
        return true;
    }
    // A copied scenario folder with its own copy of the base: the same file by content.
    std::error_code ea, eb;
    if (!fs::is_regular_file(pa, ea) || !fs::is_regular_file(pb, eb) ||
        fs::file_size(pa, ea) != fs::file_size(pb, eb) || ea || eb) {
        return false;
    }
    return sha256_file(pa) == sha256_file(pb);
}

PlanComparison compare_plans(const Scenario& a,
                             const Run& run_a,
                             const Scenario& b,
                             const Run& run_b,
                             const std::vector<std::string>& old_codes) {
    if (!same_base(a, b)) {
        throw InputError("scenarios '" + a.name + "' and '" + b.name +
                         "' have different base layers (" + a.base.source + " and " +
                         b.base.source + "): plans can only be compared over the same units");
    }
    PlanComparison out;
    out.old_units = old_codes.size();
    out.new_a = assignment(a, old_codes);
    out.new_b = assignment(b, old_codes);
    out.a = figures(a, run_a);
    out.b = figures(b, run_b);

    // Labels, group sizes, and the pair counts of the two partitions.
    std::map<std::string, std::uint32_t> label_a, label_b;
    std::vector<std::uint32_t> la(old_codes.size()), lb(old_codes.size());
    for (std::size_t u = 0; u < old_codes.size(); ++u) {
        la[u] =
            label_a.emplace(out.new_a[u], static_cast<std::uint32_t>(label_a.size())).first->second;
        lb[u] =
            label_b.emplace(out.new_b[u], static_cast<std::uint32_t>(label_b.size())).first->second;
    }
    out.adjusted_rand = adjusted_rand_index(la, lb);
    std::map<std::uint32_t, std::size_t> size_a, size_b;
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> size_ab;
    for (std::size_t u = 0; u < la.size(); ++u) {
        ++size_a[la[u]];
        ++size_b[lb[u]];
        ++size_ab[{la[u], lb[u]}];
    }
    // The same partners: the unit's group is the same set of old units in both plans.
    out.differs.resize(la.size());
    std::size_t same = 0;
    for (std::size_t u = 0; u < la.size(); ++u) {
        const std::size_t common = size_ab[{la[u], lb[u]}];
        out.differs[u] = !(common == size_a[la[u]] && common == size_b[lb[u]]);
        same += !out.differs[u];
    }
    out.same_partners = la.empty() ? 1 : static_cast<double>(same) / static_cast<double>(la.size());

    // Per province: each plan's units there, and the old units of the province (by A).
    std::map<std::string, ProvinceComparison> rows;
    auto add_plan = [&](const Run& r, bool first) {
        for (const NewCommune& c : r.communes) {
            ProvinceComparison& p = rows[c.province];
            p.province = c.province;
            (first ? p.units_a : p.units_b) += 1;
            (first ? p.below_a : p.below_b) += c.verdict.evaluated && !c.verdict.pass;
            (first ? p.mean_pp_a : p.mean_pp_b) += c.polsby_popper;
        }
    };
    add_plan(run_a, true);
    add_plan(run_b, false);
    std::map<std::string, std::string> province_of_a;
    for (const NewCommune& c : run_a.communes) {
        province_of_a[c.code] = c.province;
    }
    std::map<std::string, std::size_t> same_in;
    for (std::size_t u = 0; u < la.size(); ++u) {
        const auto it = province_of_a.find(out.new_a[u]);
        if (it == province_of_a.end()) {
            continue;
        }
        ++rows[it->second].old_units;
        same_in[it->second] += !out.differs[u];
    }
    for (auto& [code, p] : rows) {
        p.mean_pp_a = p.units_a > 0 ? p.mean_pp_a / static_cast<double>(p.units_a) : 0;
        p.mean_pp_b = p.units_b > 0 ? p.mean_pp_b / static_cast<double>(p.units_b) : 0;
        p.same_partners =
            p.old_units > 0 ? static_cast<double>(same_in[code]) / static_cast<double>(p.old_units)
                            : 1;
        out.provinces.push_back(p);
    }
    return out;
}

} // namespace amsim::sim
