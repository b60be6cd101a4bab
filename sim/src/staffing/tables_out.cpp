// The staffing as tables: per new commune, the roadmap by year, per province, the assumptions.

#include "amsim/geo/numbers.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>

namespace amsim::sim {

namespace {

using geo::OutputField;
using K = OutputField::Kind;

std::vector<OutputField> fields(std::initializer_list<std::pair<const char*, K>> spec) {
    std::vector<OutputField> f;
    for (const auto& [name, kind] : spec) {
        f.push_back({name, kind, {}});
    }
    return f;
}

/// Money in whole dong.
std::int64_t vnd(double v) {
    return geo::round_to_int64(v, "an amount in dong");
}

std::int64_t estimated(const StaffingReport& rep) {
    return rep.result.estimated ? 1 : 0;
}

std::vector<OutputField> commune_table(const StaffingReport& rep) {
    std::vector<OutputField> t = fields({{"code", K::string},
                                         {"name", K::string},
                                         {"province_code", K::string},
                                         {"old_codes", K::string},
                                         {"old_districts", K::string},
                                         {"cadres_from_communes", K::real},
                                         {"civil_servants_from_communes", K::real},
                                         {"cadres_from_districts", K::real},
                                         {"civil_servants_from_districts", K::real},
                                         {"staffed", K::real},
                                         {"norm", K::integer},
                                         {"surplus", K::real},
                                         {"surplus_cadres", K::real},
                                         {"surplus_civil_servants", K::real},
                                         {"non_specialised_ended", K::real},
                                         {"leave_year1", K::real},
                                         {"leave_year2", K::real},
                                         {"leave_year3", K::real},
                                         {"leave_year4", K::real},
                                         {"leave_year5", K::real},
                                         {"payout_5y_vnd", K::integer},
                                         {"payroll_before_vnd", K::integer},
                                         {"payroll_after_vnd", K::integer},
                                         {"estimated", K::integer}});
    for (std::size_t g = 0; g < rep.result.communes.size(); ++g) {
        const NewUnitStaff& c = rep.result.communes[g];
        const RoadmapUnit& u = rep.roadmap.units[g];
        geo::append_row(t,
                        {rep.codes[g],
                         rep.names[g],
                         c.province,
                         rep.predecessors[g],
                         rep.districts[g],
                         c.cadres_from_communes,
                         c.from_communes - c.cadres_from_communes,
                         c.cadres_from_districts,
                         c.from_districts - c.cadres_from_districts,
                         c.staffed(),
                         std::int64_t{c.norm},
                         c.surplus(),
                         c.surplus_cadres(),
                         c.surplus_civil_servants(),
                         c.non_specialised_ended,
                         u.departures(0),
                         u.departures(1),
                         u.departures(2),
                         u.departures(3),
                         u.departures(4),
                         vnd(u.total_payout_vnd()),
                         vnd(u.payroll_before_vnd),
                         vnd(u.payroll_after_vnd),
                         estimated(rep)});
    }
    return t;
}

std::vector<OutputField> year_table(const StaffingReport& rep) {
    std::vector<OutputField> t = fields({{"year", K::integer},
                                         {"staff_start", K::real},
                                         {"retirements", K::real},
                                         {"paid_departures", K::real},
                                         {"early_retirements", K::real},
                                         {"non_specialised_ended", K::real},
                                         {"payout_vnd", K::integer},
                                         {"non_specialised_payout_vnd", K::integer},
                                         {"payroll_vnd", K::integer},
                                         {"payroll_saving_vnd", K::integer},
                                         {"estimated", K::integer}});
    for (const RoadmapYear& y : rep.roadmap.years) {
        geo::append_row(t,
                        {std::int64_t{y.year},
                         y.staff_start,
                         y.retirements,
                         y.paid_departures,
                         y.early_retirements,
                         y.non_specialised_ended,
                         vnd(y.payout_vnd),
                         vnd(y.non_specialised_payout_vnd),
                         vnd(y.payroll_vnd),
                         vnd(rep.roadmap.payroll_before_vnd - y.payroll_vnd),
                         estimated(rep)});
    }
    return t;
}

std::vector<OutputField> province_table(const StaffingReport& rep) {
    std::map<std::string, ProvinceStaff> bodies;
    for (const ProvinceStaff& ps : rep.result.provinces) {
        bodies[ps.code] = ps;
    }
    std::map<std::string, std::pair<double, double>> moved; // staff, staff x km
    for (const CapitalMove& mv : rep.capital_moves) {
        for (const auto& [old_code, new_code] : rep.input.province_map) {
            if (old_code == mv.from) {
                moved[new_code].first += mv.staff;
                moved[new_code].second += mv.km ? mv.staff * *mv.km : 0;
            }
        }
    }
    std::vector<OutputField> t = fields({{"province_code", K::string},
                                         {"provincial_cadres", K::real},
                                         {"provincial_civil_servants", K::real},
                                         {"provincial_public_employees", K::real},
                                         {"capital_moved_staff", K::real},
                                         {"capital_moved_mean_km", K::real},
                                         {"commune_staffed", K::real},
                                         {"commune_norm", K::real},
                                         {"commune_surplus", K::real},
                                         {"departures_5y", K::real},
                                         {"payout_5y_vnd", K::integer},
                                         {"payroll_before_vnd", K::integer},
                                         {"payroll_after_vnd", K::integer},
                                         {"leadership_per_commune", K::real},
                                         {"estimated", K::integer}});
    std::map<std::string, std::pair<double, double>> norm_surplus;
    for (const NewUnitStaff& c : rep.result.communes) {
        norm_surplus[c.province].first += c.norm;
        norm_surplus[c.province].second += std::max(0.0, c.surplus());
    }
    for (const RoadmapUnit& pr : rep.roadmap.provinces) {
        const ProvinceStaff& b = bodies[pr.code];
        const auto [staff, km] = moved[pr.code];
        double departures = 0;
        for (std::size_t y = 0; y < 5; ++y) {
            departures += pr.departures(y);
        }
        geo::append_row(t,
                        {pr.code,
                         b.cadres,
                         b.civil_servants,
                         b.public_employees,
                         staff,
                         staff > 0 ? km / staff : 0.0,
                         pr.staff_start,
                         norm_surplus[pr.code].first,
                         norm_surplus[pr.code].second,
                         departures,
                         vnd(pr.total_payout_vnd()),
                         vnd(pr.payroll_before_vnd),
                         vnd(pr.payroll_after_vnd),
                         pr.leadership,
                         estimated(rep)});
    }
    return t;
}

std::vector<OutputField> assumption_table(const StaffingReport& rep) {
    std::vector<OutputField> t = fields({{"name", K::string},
                                         {"value", K::string},
                                         {"source", K::string},
                                         {"unconfirmed", K::integer}});
    for (const StaffingReport::Assumption& a : rep.assumptions) {
        geo::append_row(t, {a.name, a.value, a.source, std::int64_t{a.unconfirmed ? 1 : 0}});
    }
    return t;
}

} // namespace

StaffingTables staffing_tables(const StaffingReport& rep) {
    return {commune_table(rep), year_table(rep), province_table(rep), assumption_table(rep)};
}

StaffingTotals staffing_totals(const StaffingReport& rep) {
    StaffingTotals t;
    for (const NewUnitStaff& c : rep.result.communes) {
        t.staffed += c.staffed();
        t.cadres += c.cadres();
        t.non_specialised += c.non_specialised_ended;
        t.below_norm += c.surplus() < 0;
    }
    for (const ProvinceStaff& p : rep.result.provinces) {
        t.provincial += p.cadres + p.civil_servants + p.public_employees;
    }
    for (const RoadmapYear& y : rep.roadmap.years) {
        t.payouts_5y_vnd += y.payout_vnd;
        t.departures_5y += y.retirements + y.paid_departures;
    }
    t.payroll_saving_vnd = rep.roadmap.years.empty() ? 0
                                                     : rep.roadmap.payroll_before_vnd -
                                                           rep.roadmap.years.back().payroll_vnd;
    return t;
}

} // namespace amsim::sim
