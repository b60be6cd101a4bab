// The 2026 staffing quota per new commune and its 5-year path, from a roster where it covers a
// unit and from the estimate elsewhere.

#include "amsim/sim/staffing/roster.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace amsim::sim {

std::vector<UnitQuota> propose_quotas(const StaffingReport& report,
                                      const RosterPlacement* placement,
                                      RoadmapParams::Profile profile) {
    const std::array<double, 5>& shares = profile_shares(profile);
    std::vector<UnitQuota> out(report.result.communes.size());
    for (std::size_t g = 0; g < out.size(); ++g) {
        const NewUnitStaff& c = report.result.communes[g];
        UnitQuota& q = out[g];
        q.norm = c.norm;
        q.in_post = c.staffed();
        if (placement != nullptr && g < placement->units.size() &&
            placement->units[g].in_post() > 0) {
            const UnitRoster& u = placement->units[g];
            q.from_roster = true;
            q.in_post = static_cast<double>(u.in_post());
            q.leaving = static_cast<double>(u.leaving);
        }
        const double surplus = std::max(0.0, q.surplus());
        double cut = 0;
        for (std::size_t y = 0; y < 5; ++y) {
            cut += shares[y];
            // The last year lands on the norm exactly, whatever the shares' rounding.
            const double left = y == 4 ? q.norm : q.in_post - q.leaving - surplus * cut;
            q.ceiling[y] = std::max(q.norm, static_cast<int>(std::ceil(left - 1e-9)));
        }
    }
    return out;
}

std::vector<geo::OutputField> quota_table(const StaffingReport& report,
                                          const std::vector<UnitQuota>& quotas) {
    using K = geo::OutputField::Kind;
    std::vector<geo::OutputField> t = {{"code", K::string, {}},
                                       {"name", K::string, {}},
                                       {"province_code", K::string, {}},
                                       {"norm", K::integer, {}},
                                       {"in_post", K::real, {}},
                                       {"leaving_at_merger", K::real, {}},
                                       {"surplus", K::real, {}},
                                       {"quota_2026", K::integer, {}},
                                       {"quota_2027", K::integer, {}},
                                       {"quota_2028", K::integer, {}},
                                       {"quota_2029", K::integer, {}},
                                       {"quota_2030", K::integer, {}},
                                       {"in_post_source", K::string, {}}};
    t[3].title = "norm (09/CV-BCĐ frame and increments, Party block)";
    t[4].title = "cadres and civil servants in post";
    t[6].title = "surplus over the norm after those leaving at the merger (negative: posts "
                 "vacant)";
    t[7].title = "quota to mid-2026 (end of year 1)";
    t[11].title = "quota to mid-2030 (end of year 5: the norm)";
    for (std::size_t g = 0; g < quotas.size(); ++g) {
        const UnitQuota& q = quotas[g];
        const std::vector<geo::AttributeValue> row = {
            report.codes[g],
            report.names[g],
            report.result.communes[g].province,
            std::int64_t{q.norm},
            q.in_post,
            q.leaving,
            q.surplus(),
            std::int64_t{q.ceiling[0]},
            std::int64_t{q.ceiling[1]},
            std::int64_t{q.ceiling[2]},
            std::int64_t{q.ceiling[3]},
            std::int64_t{q.ceiling[4]},
            std::string(q.from_roster ? "roster"
                                      : (report.result.estimated ? "estimated" : "table"))};
        geo::append_row(t, row);
    }
    return t;
}

} // namespace amsim::sim
