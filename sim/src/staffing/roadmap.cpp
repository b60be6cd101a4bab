// The 5-year reduction to the norms: retirements, paid departures, payouts and payroll by year.

#include "amsim/sim/staffing/staffing.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace amsim::sim {

RoadmapParams::RoadmapParams() {
    // A chuyên viên (A1) near the top of the scale, 3 years before the age, 25 years of SI;
    // a younger one resigning with 10 years of SI [U].
    typical_retiree.decree = Decree::d178;
    typical_retiree.kind = Departure::early_retirement;
    typical_retiree.salary_coefficient = 4.32;
    typical_retiree.si_months = 25 * 12;
    typical_retiree.months_before_retirement = 36;
    typical_resigner.decree = Decree::d178;
    typical_resigner.kind = Departure::resignation;
    typical_resigner.salary_coefficient = 3.0;
    typical_resigner.si_months = 10 * 12;
    typical_resigner.months_before_retirement = 180;
    typical_non_specialised.decree = Decree::d154;
    typical_non_specialised.kind = Departure::non_specialised;
    typical_non_specialised.monthly_allowance = 3'510'000; // 1.5 x 2,340,000 [U]
    typical_non_specialised.months_worked = 120;
    typical_non_specialised.months_before_retirement = 120;
}

double RoadmapParams::leadership_in(const std::string& province) const {
    return std::find(hn_hcm_provinces.begin(), hn_hcm_provinces.end(), province) !=
                   hn_hcm_provinces.end()
               ? leadership_per_commune_hn_hcm
               : leadership_per_commune;
}

double RoadmapUnit::total_payout_vnd() const {
    double t = 0;
    for (double v : payout_vnd) {
        t += v;
    }
    return t;
}

namespace {

/// Share of the staff whose age lies in [lo, hi) (uniform within each band).
double age_share(const std::vector<AgeBand>& ages, double lo, double hi) {
    double share = 0;
    for (const AgeBand& b : ages) {
        const double overlap = std::min(hi, b.to) - std::max(lo, b.from);
        if (overlap > 0) {
            share += b.share * overlap / (b.to - b.from);
        }
    }
    return share;
}

/// Mean years before the age of the staff aged [age - 5, age - 2): the early retirees.
double mean_years_early(const std::vector<AgeBand>& ages, double age) {
    double weight = 0, sum = 0;
    for (int q = 8; q < 20; ++q) { // quarter-year slices, from 2 to 5 years
        const double y = q / 4.0;
        const double w = age_share(ages, age - y - 0.25, age - y);
        weight += w;
        sum += w * (y + 0.125);
    }
    return weight > 0 ? sum / weight : 3.5;
}

} // namespace

const std::array<double, 5>& profile_shares(RoadmapParams::Profile profile) {
    static constexpr std::array<double, 5> linear = {0.2, 0.2, 0.2, 0.2, 0.2};
    static constexpr std::array<double, 5> front = {0.4, 0.3, 0.15, 0.1, 0.05};
    return profile == RoadmapParams::Profile::linear ? linear : front;
}

Roadmap make_roadmap(const StaffingResult& staffing, const RoadmapParams& p) {
    const auto& profile = profile_shares(p.profile);
    const bool by_age = !p.ages.empty();
    Roadmap out;
    // The typical early retiree: as many months before the age as the staff of those ages.
    PayoutPerson retiree = p.typical_retiree;
    if (by_age) {
        retiree.months_before_retirement =
            static_cast<int>(std::lround(12 * mean_years_early(p.ages, p.retirement_age)));
    }
    out.early_retiree_months = retiree.months_before_retirement;
    auto payout = [&](PayoutPerson person, int year) {
        person.months_since_decision = year == 1 ? 1 : 13;
        return static_cast<double>(compute_payout(person).total);
    };
    const double non_specialised_payout = payout(p.typical_non_specialised, 1);
    std::array<double, 5> early_payout{}, resign_payout{};
    for (int y = 0; y < 5; ++y) {
        early_payout[static_cast<std::size_t>(y)] = payout(retiree, y + 1);
        resign_payout[static_cast<std::size_t>(y)] = payout(p.typical_resigner, y + 1);
    }
    // Pay per person and month per unit of coefficient; the public-service allowance applies
    // to the salary and the leadership allowances alike (as in the Ministry's examples).
    const double per_coefficient =
        static_cast<double>(p.base_salary) * (1 + p.public_service_pct / 100);
    // Shares of the staff retiring in each year, and aged 2-5 years before the age.
    std::array<double, 5> retiring{};
    for (int y = 0; y < 5; ++y) {
        retiring[static_cast<std::size_t>(y)] =
            by_age ? age_share(p.ages, p.retirement_age - y - 1, p.retirement_age - y) : 0;
    }
    const double eligible = by_age ? age_share(p.ages, p.retirement_age - 5, p.retirement_age - 2)
                                   : std::numeric_limits<double>::infinity();

    out.units.resize(staffing.communes.size());
    for (std::size_t g = 0; g < staffing.communes.size(); ++g) {
        const NewUnitStaff& c = staffing.communes[g];
        RoadmapUnit& u = out.units[g];
        const double coefficient =
            c.salary_coefficient > 0 ? c.salary_coefficient : p.salary_coefficient;
        u.leadership = p.leadership_in(c.province);
        const double leadership = u.leadership * per_coefficient * 12;
        auto payroll = [&](double staff) {
            return staff * coefficient * per_coefficient * 12 + leadership;
        };
        u.staff_start = c.staffed();
        u.payroll_before_vnd = payroll(u.staff_start);
        const double surplus = std::max(0.0, c.surplus());
        double now = c.staffed();
        double pool = eligible * c.staffed(); // who may still retire early
        for (std::size_t y = 0; y < 5; ++y) {
            const double cut = surplus * profile[y];
            const double r =
                std::min(cut, by_age ? c.staffed() * retiring[y] : now * p.retirement_rate);
            const double paid = cut - r;
            const double early = std::min(paid * p.early_retirement_share, pool);
            pool -= early;
            u.retirements[y] = r;
            u.paid[y] = paid;
            u.early[y] = early;
            u.payout_vnd[y] = early * early_payout[y] + (paid - early) * resign_payout[y];
            now -= cut;
            u.payroll_vnd[y] = payroll(now);
        }
        u.payroll_after_vnd = payroll(now);
        // The non-specialised workers' posts end with the two-tier model: paid in year 1.
        u.non_specialised_ended = c.non_specialised_ended;
        u.non_specialised_payout_vnd = c.non_specialised_ended * non_specialised_payout;
        u.payout_vnd[0] += u.non_specialised_payout_vnd;
    }
    total_roadmap(out, staffing);
    return out;
}

void total_roadmap(Roadmap& out, const StaffingResult& staffing) {
    // Totals: by year, and per province, sums of the communes'.
    out.provinces.clear();
    out.years.clear();
    out.payroll_before_vnd = 0;
    std::map<std::string, RoadmapUnit> by_province;
    double staff = 0;
    std::array<double, 5> payroll_after{};
    for (std::size_t g = 0; g < out.units.size(); ++g) {
        const RoadmapUnit& u = out.units[g];
        for (std::size_t y = 0; y < 5; ++y) {
            payroll_after[y] += u.payroll_vnd[y];
        }
        RoadmapUnit& pr = by_province[staffing.communes[g].province];
        pr.code = staffing.communes[g].province;
        pr.leadership = u.leadership;
        pr.staff_start += u.staff_start;
        pr.payroll_before_vnd += u.payroll_before_vnd;
        pr.payroll_after_vnd += u.payroll_after_vnd;
        pr.non_specialised_ended += u.non_specialised_ended;
        pr.non_specialised_payout_vnd += u.non_specialised_payout_vnd;
        for (std::size_t y = 0; y < 5; ++y) {
            pr.retirements[y] += u.retirements[y];
            pr.paid[y] += u.paid[y];
            pr.early[y] += u.early[y];
            pr.payout_vnd[y] += u.payout_vnd[y];
        }
        staff += u.staff_start;
        out.payroll_before_vnd += u.payroll_before_vnd;
    }
    for (auto& [code, pr] : by_province) {
        out.provinces.push_back(pr);
    }
    for (std::size_t y = 0; y < 5; ++y) {
        RoadmapYear ry;
        ry.year = static_cast<int>(y) + 1;
        ry.staff_start = staff;
        for (const RoadmapUnit& pr : out.provinces) {
            ry.retirements += pr.retirements[y];
            ry.paid_departures += pr.paid[y];
            ry.early_retirements += pr.early[y];
            ry.payout_vnd += pr.payout_vnd[y];
            if (y == 0) {
                ry.non_specialised_ended += pr.non_specialised_ended;
                ry.non_specialised_payout_vnd += pr.non_specialised_payout_vnd;
            }
        }
        staff -= ry.retirements + ry.paid_departures;
        ry.payroll_vnd = payroll_after[y];
        out.years.push_back(ry);
    }
}

} // namespace amsim::sim
