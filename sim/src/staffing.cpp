#include "amsim/sim/staffing.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/sim/csv.hpp"

#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

namespace amsim::sim {

namespace {

/// Res 1211/2016 (as amended) base standards used by Decree 33 for the increments.
struct Standard {
    double population;
    double area_km2;
};

Standard base_standard(const OldCommune& c) {
    if (c.ward) {
        return {c.urban_district ? 15000.0 : 7000.0, 5.5};
    }
    return c.mountain ? Standard{5000, 50} : Standard{8000, 30};
}

int increments(const OldCommune& c) {
    const Standard st = base_standard(c);
    int extra = 0;
    if (c.population > st.population) {
        const double step = st.population / (c.ward && c.urban_district ? 3.0 : 2.0);
        extra += static_cast<int>(std::floor((c.population - st.population) / step));
    }
    if (c.area_km2 > st.area_km2) {
        extra += static_cast<int>(std::floor((c.area_km2 - st.area_km2) / st.area_km2));
    }
    return extra;
}

double check_conserved(double before, const Eigen::VectorXd& after, const char* what) {
    const double total = after.sum();
    if (std::abs(total - before) > 1e-6 * std::max(1.0, std::abs(before))) {
        throw InternalError(std::string("staff reallocation ") + what + ": " +
                            std::to_string(before) + " before, " + std::to_string(total) +
                            " after");
    }
    return total;
}

} // namespace

Decree33Norm decree33_norm(const OldCommune& c, const StaffingParams& p) {
    if (p.commune_class < 1 || p.commune_class > 3) {
        throw UsageError("commune class must be 1, 2 or 3");
    }
    const int k = p.commune_class - 1;
    static constexpr int ward_base[] = {23, 21, 19};
    static constexpr int commune_base[] = {22, 20, 18};
    static constexpr int non_specialised_base[] = {14, 12, 10};
    const int extra = increments(c);
    return {(c.ward ? ward_base[k] : commune_base[k]) + extra, non_specialised_base[k] + extra};
}

int new_commune_norm(double population,
                     bool mountain,
                     bool ward_or_special_zone,
                     const StaffingParams& p) {
    int government = p.government_frame;
    if (population > 16000) {
        const int step = mountain ? p.step_mountain : p.step_other;
        government += static_cast<int>(std::floor((population - 16000) / step));
    }
    government = std::min(government, ward_or_special_zone ? p.cap_ward : p.cap_xa);
    return government + p.party_block;
}

StaffingResult reallocate_staff(const StaffingInput& in, const StaffingParams& p) {
    StaffingResult out;
    const std::size_t n_old = in.old_units.size();
    const std::size_t n_new = in.new_count;

    // Old communes' staff (Decree 33 norms: the estimate).
    Eigen::VectorXd cc(static_cast<Eigen::Index>(n_old));
    Eigen::VectorXd ca(static_cast<Eigen::Index>(n_old)); // cadres, of cc
    Eigen::VectorXd ns(static_cast<Eigen::Index>(n_old));
    Eigen::VectorXd pay(static_cast<Eigen::Index>(n_old));  // cc x salary coefficient, if known
    Eigen::VectorXd paid(static_cast<Eigen::Index>(n_old)); // cc whose coefficient is known
    for (std::size_t u = 0; u < n_old; ++u) {
        const OldCommune& c = in.old_units[u];
        const Decree33Norm norm = decree33_norm(c, p);
        const auto i = static_cast<Eigen::Index>(u);
        cc[i] = c.cadres_civil_servants.value_or(norm.cadres_civil_servants);
        ca[i] = c.cadres.value_or(std::min<double>(p.commune_cadre_posts, cc[i]));
        ns[i] = c.non_specialised.value_or(norm.non_specialised);
        paid[i] = c.salary_coefficient ? cc[i] : 0;
        pay[i] = c.salary_coefficient ? cc[i] * *c.salary_coefficient : 0;
        out.units_from_table += c.cadres_civil_servants.has_value();
    }
    out.commune_cadres_civil_servants = cc.sum();
    out.commune_cadres = ca.sum();
    out.commune_non_specialised = ns.sum();

    // Districts: staff by population, and each district's population going to each new unit.
    std::map<std::string, std::size_t> district_of;
    for (const OldCommune& c : in.old_units) {
        district_of.emplace(c.district, district_of.size());
    }
    const auto n_districts = static_cast<Eigen::Index>(district_of.size());
    Eigen::VectorXd district_pop = Eigen::VectorXd::Zero(n_districts);
    Eigen::VectorXd district_units = Eigen::VectorXd::Zero(n_districts);
    Eigen::VectorXd district_area = Eigen::VectorXd::Zero(n_districts);
    for (const OldCommune& c : in.old_units) {
        const auto d = static_cast<Eigen::Index>(district_of.at(c.district));
        district_pop[d] += c.population;
        district_units[d] += 1;
        district_area[d] += c.area_km2;
    }
    // Districts without a table row share the national magnitude by population.
    const double pop_total = district_pop.sum();
    Eigen::VectorXd district_staff(n_districts), district_cadres(n_districts);
    Eigen::VectorXd district_pay = Eigen::VectorXd::Zero(n_districts);
    Eigen::VectorXd district_paid = Eigen::VectorXd::Zero(n_districts);
    for (const auto& [key, d] : district_of) {
        const auto i = static_cast<Eigen::Index>(d);
        if (const auto it = in.district_table.find(key); it != in.district_table.end()) {
            district_staff[i] = it->second.cadres + it->second.civil_servants;
            district_cadres[i] = it->second.cadres;
            if (it->second.salary_coefficient) {
                district_paid[i] = district_staff[i];
                district_pay[i] = district_staff[i] * *it->second.salary_coefficient;
            }
            ++out.districts_from_table;
            continue;
        }
        district_staff[i] = pop_total > 0
                                ? p.district_staff_national * district_pop[i] / pop_total
                                : p.district_staff_national / static_cast<double>(n_districts);
        district_cadres[i] = p.district_cadre_share * district_staff[i];
    }
    out.district_staff = district_staff.sum();
    out.district_cadres = district_cadres.sum();

    // Reallocation matrices (new x old, new x district); every column sums to 1.
    std::vector<Eigen::Triplet<double>> rc, rd;
    std::vector<double> column(n_old, 0);
    for (const StaffingInput::Link& l : in.links) {
        rc.emplace_back(static_cast<int>(l.new_index), static_cast<int>(l.old_index), l.share);
        column[l.old_index] += l.share;
        const OldCommune& c = in.old_units[l.old_index];
        const auto d = static_cast<Eigen::Index>(district_of.at(c.district));
        // By the chosen weight's share (population by default); a district whose weight is
        // unknown (0) by its units' count.
        double w = l.share / district_units[d];
        if (p.district_weight == StaffingParams::DistrictWeight::population &&
            district_pop[d] > 0) {
            w = l.share * c.population / district_pop[d];
        } else if (p.district_weight == StaffingParams::DistrictWeight::area &&
                   district_area[d] > 0) {
            w = l.share * c.area_km2 / district_area[d];
        }
        rd.emplace_back(static_cast<int>(l.new_index), static_cast<int>(d), w);
    }
    for (std::size_t u = 0; u < n_old; ++u) {
        if (std::abs(column[u] - 1) > 1e-4) {
            throw InternalError("old unit " + std::to_string(u) + " is shared out " +
                                std::to_string(column[u]) + " times, not once");
        }
    }
    Eigen::SparseMatrix<double> r_commune(static_cast<Eigen::Index>(n_new),
                                          static_cast<Eigen::Index>(n_old));
    r_commune.setFromTriplets(rc.begin(), rc.end());
    Eigen::SparseMatrix<double> r_district(static_cast<Eigen::Index>(n_new), district_pop.size());
    r_district.setFromTriplets(rd.begin(), rd.end());
    // Shares typed with 4 decimals: normalise the columns so that nobody is lost.
    Eigen::VectorXd colsum = Eigen::RowVectorXd::Ones(r_commune.rows()) * r_commune;
    for (int k = 0; k < r_commune.outerSize(); ++k) {
        for (Eigen::SparseMatrix<double>::InnerIterator it(r_commune, k); it; ++it) {
            it.valueRef() /= colsum[it.col()];
        }
    }
    Eigen::VectorXd dsum = Eigen::RowVectorXd::Ones(r_district.rows()) * r_district;
    for (int k = 0; k < r_district.outerSize(); ++k) {
        for (Eigen::SparseMatrix<double>::InnerIterator it(r_district, k); it; ++it) {
            it.valueRef() /= dsum[it.col()];
        }
    }
    const Eigen::VectorXd new_cc = r_commune * cc;
    const Eigen::VectorXd new_ca = r_commune * ca;
    const Eigen::VectorXd new_ns = r_commune * ns;
    const Eigen::VectorXd new_pay = r_commune * pay + r_district * district_pay;
    const Eigen::VectorXd new_paid = r_commune * paid + r_district * district_paid;
    const Eigen::VectorXd new_district = r_district * district_staff;
    const Eigen::VectorXd new_district_cadres = r_district * district_cadres;
    check_conserved(out.commune_cadres_civil_servants, new_cc, "of commune staff");
    check_conserved(out.commune_cadres, new_ca, "of commune cadres");
    check_conserved(out.commune_non_specialised, new_ns, "of non-specialised workers");
    check_conserved(out.district_staff, new_district, "of district staff");
    check_conserved(out.district_cadres, new_district_cadres, "of district cadres");

    out.communes.resize(n_new);
    for (std::size_t g = 0; g < n_new; ++g) {
        NewUnitStaff& s = out.communes[g];
        const auto i = static_cast<Eigen::Index>(g);
        s.province = g < in.new_province.size() ? in.new_province[g] : std::string();
        s.from_communes = new_cc[i];
        s.from_districts = new_district[i];
        s.cadres_from_communes = new_ca[i];
        s.cadres_from_districts = new_district_cadres[i];
        s.non_specialised_ended = new_ns[i];
        // A mean coefficient only when every person's is known.
        if (new_paid[i] > 0 && std::abs(new_paid[i] - s.staffed()) <= 1e-6 * s.staffed()) {
            s.salary_coefficient = new_pay[i] / new_paid[i];
        }
        s.norm =
            new_commune_norm(in.new_population[g], in.new_mountain[g], in.new_ward_or_zone[g], p);
        out.norm_total += s.norm;
        out.surplus_total += std::max(0.0, s.surplus());
    }

    // Provincial bodies: per inhabitant of the merging provinces, to the new province.
    std::map<std::string, double> province_pop;
    for (const OldCommune& c : in.old_units) {
        province_pop[c.province] += c.population;
    }
    std::map<std::string, std::size_t> members;
    for (const auto& [old_code, new_code] : in.province_map) {
        ++members[new_code];
    }
    double merging_pop = 0;
    for (const auto& [old_code, new_code] : in.province_map) {
        if (members[new_code] > 1) {
            merging_pop += province_pop[old_code];
        }
    }
    std::map<std::string, ProvinceStaff> by_new;
    for (const auto& [old_code, new_code] : in.province_map) {
        const double share = merging_pop > 0 ? province_pop[old_code] / merging_pop : 0;
        ProvinceStaff old{old_code,
                          share * p.merging_province_cadres,
                          share * p.merging_province_civil_servants,
                          share * p.merging_province_public_employees};
        if (const auto it = in.province_table.find(old_code); it != in.province_table.end()) {
            old = it->second;
            old.code = old_code;
            ++out.provinces_from_table;
        }
        out.old_provinces.push_back(old);
        ProvinceStaff& ps = by_new[new_code];
        ps.code = new_code;
        ps.cadres += old.cadres;
        ps.civil_servants += old.civil_servants;
        ps.public_employees += old.public_employees;
    }
    for (auto& [code, ps] : by_new) {
        out.provinces.push_back(ps);
    }
    out.estimated = out.units_from_table < n_old || out.districts_from_table < district_of.size() ||
                    out.provinces_from_table < in.province_map.size();
    return out;
}

} // namespace amsim::sim

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

Roadmap make_roadmap(const StaffingResult& staffing, const RoadmapParams& p) {
    static constexpr std::array<double, 5> linear = {0.2, 0.2, 0.2, 0.2, 0.2};
    static constexpr std::array<double, 5> front = {0.4, 0.3, 0.15, 0.1, 0.05};
    const auto& profile = p.profile == RoadmapParams::Profile::linear ? linear : front;
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

    std::array<double, 5> payroll_after{}; // national, after each year
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
            payroll_after[y] += payroll(now);
        }
        u.payroll_after_vnd = payroll(now);
    }
    // Totals: national by year, and per province.
    std::map<std::string, RoadmapUnit> by_province;
    double staff = 0;
    for (std::size_t g = 0; g < out.units.size(); ++g) {
        const RoadmapUnit& u = out.units[g];
        RoadmapUnit& pr = by_province[staffing.communes[g].province];
        pr.code = staffing.communes[g].province;
        pr.leadership = u.leadership;
        pr.staff_start += u.staff_start;
        pr.payroll_before_vnd += u.payroll_before_vnd;
        pr.payroll_after_vnd += u.payroll_after_vnd;
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
        }
        staff -= ry.retirements + ry.paid_departures;
        ry.payroll_vnd = payroll_after[y];
        out.years.push_back(ry);
    }
    return out;
}

} // namespace amsim::sim

namespace amsim::sim {

namespace {

/// A number in [lo, hi] in a table cell, or an InputError naming the line and column.
double cell_number(
    const CsvTable& t, std::size_t r, std::size_t c, const char* what, double lo, double hi) {
    const std::string& v = t.rows[r][c];
    const auto d = geo::parse_number(v);
    if (!d) {
        throw InputError(t.where(r) + ", column '" + t.header[c] + "': '" + v + "' is not " + what);
    }
    return geo::checked_range(*d, lo, hi, t.where(r) + ", column '" + t.header[c] + "'");
}

/// The most people one row of a staffing table can hold: more than any province employs.
constexpr double max_people = 1e6;

} // namespace

std::size_t apply_staffing_table(const std::string& path,
                                 const std::vector<std::string>& codes,
                                 StaffingInput& in) {
    return apply_staffing_table(read_csv(path), codes, in);
}

std::size_t
apply_staffing_table(const CsvTable& t, const std::vector<std::string>& codes, StaffingInput& in) {
    const std::string& path = t.path;
    const std::size_t c_code = t.require("code");
    const auto c_level = t.column("level");
    const auto c_cc = t.column("cadres_civil_servants");
    const auto c_ca = t.column("cadres");
    const auto c_cs = t.column("civil_servants");
    const auto c_ns = t.column("non_specialised");
    const auto c_pe = t.column("public_employees");
    const auto c_coef = t.column("salary_coefficient");
    if (!c_cc && !(c_ca && c_cs)) {
        throw InputError(path + ":1: the staff need a column cadres_civil_servants, or the two "
                                "columns cadres and civil_servants");
    }
    std::map<std::string, std::size_t> index_of;
    for (std::size_t u = 0; u < codes.size(); ++u) {
        index_of.emplace(codes[u], u);
    }
    std::set<std::string> districts, provinces;
    for (const OldCommune& c : in.old_units) {
        districts.insert(c.district);
    }
    for (const auto& [old_code, new_code] : in.province_map) {
        provinces.insert(old_code);
    }
    auto present = [&](std::size_t r, const std::optional<std::size_t>& c) {
        return c && !t.rows[r][*c].empty();
    };
    auto people = [&](std::size_t r, std::size_t c) {
        // Head counts: a row of 21.5 people is a typing slip, not a part-time post.
        return static_cast<double>(
            geo::checked_whole(cell_number(t, r, c, "a number of people", 0, max_people),
                               0,
                               static_cast<std::int64_t>(max_people),
                               t.where(r) + ", column '" + t.header[c] + "'"));
    };
    auto coefficient = [&](std::size_t r) -> std::optional<double> {
        if (!present(r, c_coef)) {
            return std::nullopt;
        }
        const double v = cell_number(t, r, *c_coef, "a salary coefficient", 0, 1e6);
        if (v < 1 || v > 10) { // the salary scales of Decree 204/2004
            throw InputError(t.where(r) + ", column 'salary_coefficient': " + t.rows[r][*c_coef] +
                             " is outside the salary scales (1-10)");
        }
        return v;
    };
    // Cadres and civil servants of a row: the pair of columns, or the total.
    auto staff = [&](std::size_t r) -> std::pair<double, std::optional<double>> {
        if (present(r, c_ca) || present(r, c_cs)) {
            if (!present(r, c_ca) || !present(r, c_cs)) {
                throw InputError(t.where(r) + ": give both cadres and civil_servants, or "
                                              "cadres_civil_servants");
            }
            const double ca = people(r, *c_ca);
            return {ca + people(r, *c_cs), ca};
        }
        if (!present(r, c_cc)) {
            throw InputError(t.where(r) + ": no staff (cadres and civil_servants, or "
                                          "cadres_civil_servants)");
        }
        return {people(r, *c_cc), std::nullopt};
    };
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& code = t.rows[r][c_code];
        const std::string level = present(r, c_level) ? t.rows[r][*c_level] : "commune";
        if (!seen.insert({level, code}).second) {
            throw InputError(t.where(r) + ": " + level + " '" + code + "' is listed twice");
        }
        if (level == "commune") {
            const auto it = index_of.find(code);
            if (it == index_of.end()) {
                throw InputError(t.where(r) + ": code '" + code +
                                 "' is not a unit of the base layer");
            }
            OldCommune& c = in.old_units[it->second];
            const auto [total, cadres] = staff(r);
            c.cadres_civil_servants = total;
            c.cadres = cadres;
            if (present(r, c_ns)) {
                c.non_specialised = people(r, *c_ns);
            }
            c.salary_coefficient = coefficient(r);
        } else if (level == "district") {
            if (!districts.contains(code)) {
                throw InputError(t.where(r) + ": district '" + code +
                                 "' is not a district of the base layer");
            }
            const auto [total, cadres] = staff(r);
            if (!cadres) {
                throw InputError(t.where(r) + ": a district needs cadres and civil_servants");
            }
            in.district_table[code] = {*cadres, total - *cadres, coefficient(r)};
        } else if (level == "province") {
            if (!provinces.contains(code)) {
                throw InputError(t.where(r) + ": province '" + code +
                                 "' is not an old province of the scenario");
            }
            const auto [total, cadres] = staff(r);
            if (!cadres || !present(r, c_pe)) {
                throw InputError(t.where(r) + ": a province needs cadres, civil_servants and "
                                              "public_employees");
            }
            in.province_table[code] = {code, *cadres, total - *cadres, people(r, *c_pe)};
        } else {
            throw InputError(t.where(r) + ", column 'level': '" + level +
                             "' is not commune, district or province");
        }
    }
    return seen.size();
}

std::vector<AgeBand> read_age_distribution(const std::string& path) {
    return age_distribution_from(read_csv(path));
}

std::vector<AgeBand> age_distribution_from(const CsvTable& t) {
    const std::string& path = t.path;
    const std::size_t c_from = t.require("age_from");
    const std::size_t c_to = t.require("age_to");
    const std::size_t c_share = t.require("share");
    std::vector<AgeBand> bands;
    double total = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        AgeBand b{cell_number(t, r, c_from, "an age", 14, 100),
                  cell_number(t, r, c_to, "an age", 14, 100),
                  cell_number(t, r, c_share, "a share", 0, max_people)};
        if (b.to <= b.from) {
            throw InputError(t.where(r) + ": the band " + t.rows[r][c_from] + "-" +
                             t.rows[r][c_to] + " is empty (age_to must exceed age_from)");
        }
        for (const AgeBand& o : bands) {
            if (b.from < o.to && o.from < b.to) {
                throw InputError(t.where(r) + ": the band " + t.rows[r][c_from] + "-" +
                                 t.rows[r][c_to] + " overlaps an earlier one");
            }
        }
        total += b.share;
        bands.push_back(b);
    }
    if (!(total > 0)) {
        throw InputError(path + ": the shares sum to 0");
    }
    for (AgeBand& b : bands) {
        b.share /= total;
    }
    return bands;
}

StaffingInput staffing_input(const Scenario& s,
                             const ScenarioCheck& check,
                             const geo::LoadedLayer& loaded,
                             const std::string& district_field,
                             std::size_t* unknown_population) {
    const geo::UnitLayer& layer = loaded.layer;
    const auto i_pop = layer.require_attribute(s.base.population_field, "population");
    const auto i_region = layer.require_attribute(s.base.region_field, "region class");
    // The district field is optional: without it, the province stands for the district.
    const auto i_district = layer.attribute_index(district_field);
    StaffingInput in;
    std::map<std::string, std::size_t> index_of;
    std::size_t unknown = 0;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const geo::Unit& unit = layer.units[u];
        index_of.emplace(unit.code, u);
        OldCommune c;
        const std::string type = unit.type.empty() ? unit.name : unit.type;
        c.ward = type.starts_with("Phường") || type == "phuong";
        c.mountain = i_region && geo::to_text(unit.attributes[*i_region]) == "mountain";
        c.area_km2 = loaded.unit_area_m2[u] / 1e6;
        const auto pop = population_of(layer, u, i_pop);
        if (pop) {
            c.population = *pop;
        } else {
            ++unknown;
        }
        c.district = i_district ? geo::to_text(unit.attributes[*i_district]) : unit.parent_code;
        c.province = unit.parent_code;
        in.old_units.push_back(std::move(c));
    }
    std::map<std::string, std::size_t> new_index;
    for (const auto& [code, rows] : check.members) {
        new_index.emplace(code, new_index.size());
        in.new_province.push_back(check.province_of_new.at(code));
    }
    in.new_count = new_index.size();
    in.new_population.assign(in.new_count, 0);
    in.new_mountain.assign(in.new_count, false);
    in.new_ward_or_zone.assign(in.new_count, false);
    std::vector<double> mountain_area(in.new_count, 0), area(in.new_count, 0);
    for (const MappingRow& m : s.mapping) {
        const std::size_t u = index_of.at(m.old_code);
        const std::size_t g = new_index.at(m.new_code);
        in.links.push_back({u, g, m.share});
        in.new_population[g] += m.share * in.old_units[u].population;
        in.new_ward_or_zone[g] = m.new_type != UnitType::xa;
        mountain_area[g] += in.old_units[u].mountain ? m.share * in.old_units[u].area_km2 : 0;
        area[g] += m.share * in.old_units[u].area_km2;
    }
    // A new unit is mountainous when most of its area is (its region class in amsim run).
    for (std::size_t g = 0; g < in.new_count; ++g) {
        in.new_mountain[g] = area[g] > 0 && 2 * mountain_area[g] > area[g];
    }
    for (const auto& [old_code, new_code] : check.new_province_of) {
        in.province_map.emplace_back(old_code, new_code);
    }
    if (unknown_population != nullptr) {
        *unknown_population = unknown;
    }
    return in;
}

} // namespace amsim::sim

namespace amsim::sim {

namespace {

std::string number_text(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// Provincial staff of each merged member whose capital is not kept, and the distance.
std::vector<CapitalMove>
capital_moves(const Scenario& s, const StaffingResult& r, const std::string& capitals_path) {
    std::map<std::string, std::pair<double, double>> point;
    if (!capitals_path.empty()) {
        const CsvTable caps = read_csv(capitals_path);
        const std::size_t c_code = caps.require("old_province");
        const std::size_t c_lon = caps.require("lon");
        const std::size_t c_lat = caps.require("lat");
        for (std::size_t row = 0; row < caps.rows.size(); ++row) {
            const double lon = geo::parse_number(caps.rows[row][c_lon]).value_or(1e9);
            const double lat = geo::parse_number(caps.rows[row][c_lat]).value_or(1e9);
            if (!(std::abs(lon) <= 180 && std::abs(lat) <= 90)) {
                throw InputError(caps.where(row) + ": '" + caps.rows[row][c_lon] + "', '" +
                                 caps.rows[row][c_lat] + "' is not a longitude and latitude");
            }
            point[caps.rows[row][c_code]] = {lon, lat};
        }
    }
    std::map<std::string, double> staff_of;
    for (const ProvinceStaff& ps : r.old_provinces) {
        staff_of[ps.code] = ps.cadres + ps.civil_servants + ps.public_employees;
    }
    std::vector<CapitalMove> moves;
    for (const ProvinceMerger& m : s.provinces) {
        for (const std::string& member : m.members) {
            if (member == m.capital) {
                continue;
            }
            CapitalMove mv{member, m.capital, staff_of[member], std::nullopt};
            if (point.contains(member) && point.contains(m.capital)) {
                // Great-circle distance on a sphere of the WGS 84 mean radius.
                constexpr double rad = 3.14159265358979323846 / 180;
                const auto [lon1, lat1] = point[member];
                const auto [lon2, lat2] = point[m.capital];
                const double a = std::pow(std::sin((lat2 - lat1) * rad / 2), 2) +
                                 std::cos(lat1 * rad) * std::cos(lat2 * rad) *
                                     std::pow(std::sin((lon2 - lon1) * rad / 2), 2);
                mv.km = 2 * 6371.0088 * std::asin(std::sqrt(a));
            }
            moves.push_back(mv);
        }
    }
    return moves;
}

} // namespace

StaffingReport staff_scenario(const Scenario& s,
                              const ScenarioCheck& check,
                              const geo::LoadedLayer& loaded,
                              const StaffingOptions& options) {
    namespace fs = std::filesystem;
    StaffingReport rep;
    rep.input = staffing_input(s, check, loaded, options.district_field, &rep.unknown_population);
    if (!options.table.empty()) {
        std::vector<std::string> old_codes;
        for (const geo::Unit& u : loaded.layer.units) {
            old_codes.push_back(u.code);
        }
        rep.table_rows = apply_staffing_table(options.table, old_codes, rep.input);
    }
    RoadmapParams road = options.roadmap;
    if (!options.ages.empty()) {
        road.ages = read_age_distribution(options.ages);
    }
    rep.result = reallocate_staff(rep.input, options.params);
    rep.roadmap = make_roadmap(rep.result, road);
    rep.capitals_path = options.capitals;
    if (rep.capitals_path.empty() && !s.path.empty() &&
        fs::exists(fs::path(s.path).parent_path() / "capitals.csv")) {
        rep.capitals_path = (fs::path(s.path).parent_path() / "capitals.csv").string();
    }
    rep.capital_moves = capital_moves(s, rep.result, rep.capitals_path);
    for (const auto& [code, rows] : check.members) {
        rep.codes.push_back(code);
        rep.names.push_back(s.mapping[rows.front()].new_name);
        std::string list;
        for (const std::size_t row : rows) {
            const MappingRow& m = s.mapping[row];
            list += (list.empty() ? "" : ";") + m.old_code;
            if (m.share < 1) {
                list += "*" + number_text(m.share, 4);
            }
        }
        rep.predecessors.push_back(list);
    }
    std::vector<std::set<std::string>> districts(rep.codes.size());
    for (const StaffingInput::Link& l : rep.input.links) {
        districts[l.new_index].insert(rep.input.old_units[l.old_index].district);
    }
    for (const std::set<std::string>& d : districts) {
        std::string list;
        for (const std::string& key : d) {
            list += (list.empty() ? "" : ";") + key;
        }
        rep.districts.push_back(list);
    }

    // What every figure rests on.
    const StaffingParams& p = options.params;
    auto add = [&](std::string name, std::string value, std::string source, bool u) {
        rep.assumptions.push_back({std::move(name), std::move(value), std::move(source), u});
    };
    const bool table = !options.table.empty();
    add("old commune staff",
        rep.result.units_from_table == rep.input.old_units.size()
            ? "staffing table"
            : "Decree 33/2023 norms, class " + std::to_string(p.commune_class) +
                  " for every commune" +
                  (table ? " (" + std::to_string(rep.result.units_from_table) +
                               " units from the staffing table)"
                         : ""),
        "Decree 33/2023/ND-CP; RULES.md §4.3 (commune class not in the data)",
        rep.result.units_from_table < rep.input.old_units.size());
    add("commune cadres",
        "the " + std::to_string(p.commune_cadre_posts) + " elected posts of each commune",
        "Law on Cadres and Civil Servants 2008, Art. 61(3); not in RULES.md",
        true);
    add("district staff",
        number_text(p.district_staff_national, 0) + " nationally, by population (" +
            std::to_string(rep.result.districts_from_table) + " districts from the table)",
        "RULES.md §4.1 (about 140,000 district staff move to communes)",
        false);
    add("district cadres",
        number_text(100 * p.district_cadre_share, 0) + " % of district staff",
        "no published split",
        true);
    add("district staff to communes",
        p.district_weight == StaffingParams::DistrictWeight::population ? "by population share"
        : p.district_weight == StaffingParams::DistrictWeight::area     ? "by area share"
                                                                        : "by unit count",
        "issue 4: population share by default",
        false);
    add("provincial bodies",
        "the 52 merging provinces' 447,657 norms per inhabitant, applied to every province (" +
            std::to_string(rep.result.provinces_from_table) + " provinces from the table)",
        "RULES.md §4.1 (2,321 cadres, 79,118 civil servants, 366,218 public employees)",
        rep.result.provinces_from_table < rep.input.province_map.size());
    add("new commune norm",
        std::to_string(p.government_frame) + " government posts + 1 per " +
            std::to_string(p.step_other) + " people above 16,000 (" +
            std::to_string(p.step_mountain) + " in mountain communes), at most " +
            std::to_string(p.cap_xa) + " (xa) or " + std::to_string(p.cap_ward) +
            " (phuong, dac khu); + " + std::to_string(p.party_block) +
            " Party and mass-organisation posts",
        "Decision 759, 09/CV-BCD; RULES.md §4.2 (increments and caps [U])",
        true);
    add("surplus by category",
        "shared between cadres and civil servants in proportion to the staff inherited",
        "the norms are not set by category",
        true);
    add("reduction profile",
        road.profile == RoadmapParams::Profile::linear ? "linear over 5 years"
                                                       : "front-loaded: 40/30/15/10/5 %",
        "Res 76 Art. 11: 5 years; no annual profile prescribed (RULES.md §4.1)",
        true);
    add("retirements",
        road.ages.empty() ? number_text(100 * road.retirement_rate, 1) + " % of staff a year"
                          : "from the age distribution " + options.ages + ", retirement age " +
                                number_text(road.retirement_age, 1),
        "no age data published",
        true);
    add("paid leavers",
        number_text(100 * road.early_retirement_share, 0) +
            " % early retirement (Decree 178 A; typical person " +
            number_text(road.typical_retiree.salary_coefficient, 2) + ", " +
            std::to_string(road.typical_retiree.si_months / 12) + " years of SI, " +
            number_text(rep.roadmap.early_retiree_months, 0) +
            " months early), the rest resignation (Decree 178 B; " +
            number_text(road.typical_resigner.salary_coefficient, 2) + ", " +
            std::to_string(road.typical_resigner.si_months / 12) + " years of SI)",
        "Decree 178/2024 as amended by Decree 67/2025; RULES.md §4.5",
        true);
    add("pay",
        "salary coefficient x " + std::to_string(road.base_salary) + " VND x 12, + " +
            number_text(road.public_service_pct, 0) +
            " % public-service allowance; mean coefficient " +
            number_text(road.salary_coefficient, 2) + " where no table gives one",
        "Decree 73/2024; RULES.md §4.4 (mean coefficient [U])",
        true);
    add("leadership allowances per commune",
        number_text(road.leadership_per_commune, 2) + " (Ha Noi, TP HCM " +
            number_text(road.leadership_per_commune_hn_hcm, 2) +
            "): chairman, 2.5 vice-chairs, 4 heads, 8 deputies",
        "Decree 07/2026 coefficients; numbers of posts from drafts (RULES.md §4.2-4.4)",
        true);
    return rep;
}

StaffingTables staffing_tables(const StaffingReport& rep) {
    using geo::OutputField;
    using K = OutputField::Kind;
    const std::int64_t estimated = rep.result.estimated ? 1 : 0;
    auto fields = [](std::initializer_list<std::pair<const char*, K>> spec) {
        std::vector<OutputField> f;
        for (const auto& [name, kind] : spec) {
            f.push_back({name, kind, {}});
        }
        return f;
    };
    auto push = [](std::vector<OutputField>& f, std::vector<geo::AttributeValue> row) {
        for (std::size_t k = 0; k < row.size(); ++k) {
            f[k].values.push_back(std::move(row[k]));
        }
    };
    // Money in whole dong.
    auto vnd = [](double v) { return geo::round_to_int64(v, "an amount in dong"); };
    StaffingTables t;
    t.communes = fields({{"code", K::string},
                         {"name", K::string},
                         {"province", K::string},
                         {"predecessors", K::string},
                         {"districts", K::string},
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
        push(t.communes,
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
              estimated});
    }
    t.years = fields({{"year", K::integer},
                      {"staff_start", K::real},
                      {"retirements", K::real},
                      {"paid_departures", K::real},
                      {"early_retirements", K::real},
                      {"payout_vnd", K::integer},
                      {"payroll_vnd", K::integer},
                      {"payroll_saving_vnd", K::integer},
                      {"estimated", K::integer}});
    for (const RoadmapYear& y : rep.roadmap.years) {
        push(t.years,
             {std::int64_t{y.year},
              y.staff_start,
              y.retirements,
              y.paid_departures,
              y.early_retirements,
              vnd(y.payout_vnd),
              vnd(y.payroll_vnd),
              vnd(rep.roadmap.payroll_before_vnd - y.payroll_vnd),
              estimated});
    }
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
    t.provinces = fields({{"province", K::string},
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
        push(t.provinces,
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
              estimated});
    }
    t.assumptions = fields({{"name", K::string},
                            {"value", K::string},
                            {"source", K::string},
                            {"unconfirmed", K::integer}});
    for (const StaffingReport::Assumption& a : rep.assumptions) {
        push(t.assumptions, {a.name, a.value, a.source, std::int64_t{a.unconfirmed ? 1 : 0}});
    }
    return t;
}

} // namespace amsim::sim
