// Decree 33 norms of the old communes, and the staff of the old units reallocated to the new
// communes by sparse matrices that conserve every head.

#include "amsim/core/error.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

namespace {

/// The old communes' staff (Decree 33 norms where no table gives it).
struct OldStaff {
    Eigen::VectorXd cc;   ///< cadres and civil servants
    Eigen::VectorXd ca;   ///< cadres, of cc
    Eigen::VectorXd ns;   ///< non-specialised workers
    Eigen::VectorXd pay;  ///< cc x salary coefficient, if known
    Eigen::VectorXd paid; ///< cc whose coefficient is known
};

OldStaff old_commune_staff(const StaffingInput& in, const StaffingParams& p, StaffingResult& out) {
    const auto n_old = static_cast<Eigen::Index>(in.old_units.size());
    OldStaff st{Eigen::VectorXd(n_old),
                Eigen::VectorXd(n_old),
                Eigen::VectorXd(n_old),
                Eigen::VectorXd(n_old),
                Eigen::VectorXd(n_old)};
    for (std::size_t u = 0; u < in.old_units.size(); ++u) {
        const OldCommune& c = in.old_units[u];
        const Decree33Norm norm = decree33_norm(c, p);
        const auto i = static_cast<Eigen::Index>(u);
        st.cc[i] = c.cadres_civil_servants.value_or(norm.cadres_civil_servants);
        st.ca[i] = c.cadres.value_or(std::min<double>(p.commune_cadre_posts, st.cc[i]));
        st.ns[i] = c.non_specialised.value_or(norm.non_specialised);
        st.paid[i] = c.salary_coefficient ? st.cc[i] : 0;
        st.pay[i] = c.salary_coefficient ? st.cc[i] * *c.salary_coefficient : 0;
        out.units_from_table += c.cadres_civil_servants.has_value();
    }
    out.commune_cadres_civil_servants = st.cc.sum();
    out.commune_cadres = st.ca.sum();
    out.commune_non_specialised = st.ns.sum();
    return st;
}

/// The districts: their weights (population, units, area) and staff.
struct Districts {
    std::map<std::string, std::size_t> index;
    Eigen::VectorXd pop, units, area;
    Eigen::VectorXd staff, cadres, pay, paid;
};

Districts district_staff(const StaffingInput& in, const StaffingParams& p, StaffingResult& out) {
    Districts d;
    for (const OldCommune& c : in.old_units) {
        d.index.emplace(c.district, d.index.size());
    }
    const auto n = static_cast<Eigen::Index>(d.index.size());
    d.pop = Eigen::VectorXd::Zero(n);
    d.units = Eigen::VectorXd::Zero(n);
    d.area = Eigen::VectorXd::Zero(n);
    for (const OldCommune& c : in.old_units) {
        const auto i = static_cast<Eigen::Index>(d.index.at(c.district));
        d.pop[i] += c.population;
        d.units[i] += 1;
        d.area[i] += c.area_km2;
    }
    // Districts without a table row share the national magnitude by population.
    const double pop_total = d.pop.sum();
    d.staff = Eigen::VectorXd(n);
    d.cadres = Eigen::VectorXd(n);
    d.pay = Eigen::VectorXd::Zero(n);
    d.paid = Eigen::VectorXd::Zero(n);
    for (const auto& [key, k] : d.index) {
        const auto i = static_cast<Eigen::Index>(k);
        if (const auto it = in.district_table.find(key); it != in.district_table.end()) {
            d.staff[i] = it->second.cadres + it->second.civil_servants;
            d.cadres[i] = it->second.cadres;
            if (it->second.salary_coefficient) {
                d.paid[i] = d.staff[i];
                d.pay[i] = d.staff[i] * *it->second.salary_coefficient;
            }
            ++out.districts_from_table;
            continue;
        }
        d.staff[i] = pop_total > 0 ? p.district_staff_national * d.pop[i] / pop_total
                                   : p.district_staff_national / static_cast<double>(n);
        d.cadres[i] = p.district_cadre_share * d.staff[i];
    }
    out.district_staff = d.staff.sum();
    out.district_cadres = d.cadres.sum();
    return d;
}

/// Every column of a matrix scaled to sum to 1 (shares typed with 4 decimals: nobody lost).
void normalise_columns(Eigen::SparseMatrix<double>& m) {
    const Eigen::VectorXd colsum = Eigen::RowVectorXd::Ones(m.rows()) * m;
    for (int k = 0; k < m.outerSize(); ++k) {
        for (Eigen::SparseMatrix<double>::InnerIterator it(m, k); it; ++it) {
            it.valueRef() /= colsum[it.col()];
        }
    }
}

/// The reallocation matrices (new x old commune, new x district); every column sums to 1.
struct Reallocation {
    Eigen::SparseMatrix<double> commune, district;
};

Reallocation reallocation(const StaffingInput& in, const StaffingParams& p, const Districts& d) {
    const std::size_t n_old = in.old_units.size();
    std::vector<Eigen::Triplet<double>> rc, rd;
    std::vector<double> column(n_old, 0);
    for (const StaffingInput::Link& l : in.links) {
        rc.emplace_back(static_cast<int>(l.new_index), static_cast<int>(l.old_index), l.share);
        column[l.old_index] += l.share;
        const OldCommune& c = in.old_units[l.old_index];
        const auto k = static_cast<Eigen::Index>(d.index.at(c.district));
        // By the chosen weight's share (population by default); a district whose weight is
        // unknown (0) by its units' count.
        double w = l.share / d.units[k];
        if (p.district_weight == StaffingParams::DistrictWeight::population && d.pop[k] > 0) {
            w = l.share * c.population / d.pop[k];
        } else if (p.district_weight == StaffingParams::DistrictWeight::area && d.area[k] > 0) {
            w = l.share * c.area_km2 / d.area[k];
        }
        rd.emplace_back(static_cast<int>(l.new_index), static_cast<int>(k), w);
    }
    for (std::size_t u = 0; u < n_old; ++u) {
        if (std::abs(column[u] - 1) > 1e-4) {
            throw InternalError("old unit " + std::to_string(u) + " is shared out " +
                                std::to_string(column[u]) + " times, not once");
        }
    }
    Reallocation r;
    r.commune.resize(static_cast<Eigen::Index>(in.new_count), static_cast<Eigen::Index>(n_old));
    r.district.resize(static_cast<Eigen::Index>(in.new_count), d.pop.size());
    r.commune.setFromTriplets(rc.begin(), rc.end());
    r.district.setFromTriplets(rd.begin(), rd.end());
    normalise_columns(r.commune);
    normalise_columns(r.district);
    return r;
}

/// Each new commune's staff from its old communes and districts, and its norm.
void new_communes(const StaffingInput& in,
                  const StaffingParams& p,
                  const OldStaff& st,
                  const Districts& d,
                  const Reallocation& r,
                  StaffingResult& out) {
    const Eigen::VectorXd new_cc = r.commune * st.cc;
    const Eigen::VectorXd new_ca = r.commune * st.ca;
    const Eigen::VectorXd new_ns = r.commune * st.ns;
    const Eigen::VectorXd new_pay = r.commune * st.pay + r.district * d.pay;
    const Eigen::VectorXd new_paid = r.commune * st.paid + r.district * d.paid;
    const Eigen::VectorXd new_district = r.district * d.staff;
    const Eigen::VectorXd new_district_cadres = r.district * d.cadres;
    check_conserved(out.commune_cadres_civil_servants, new_cc, "of commune staff");
    check_conserved(out.commune_cadres, new_ca, "of commune cadres");
    check_conserved(out.commune_non_specialised, new_ns, "of non-specialised workers");
    check_conserved(out.district_staff, new_district, "of district staff");
    check_conserved(out.district_cadres, new_district_cadres, "of district cadres");
    out.communes.resize(in.new_count);
    for (std::size_t g = 0; g < in.new_count; ++g) {
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
}

/// Provincial bodies: per inhabitant of the merging provinces, to the new province.
void provincial_bodies(const StaffingInput& in, const StaffingParams& p, StaffingResult& out) {
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
}

} // namespace

StaffingResult reallocate_staff(const StaffingInput& in, const StaffingParams& p) {
    StaffingResult out;
    const OldStaff st = old_commune_staff(in, p, out);
    const Districts d = district_staff(in, p, out);
    const Reallocation r = reallocation(in, p, d);
    new_communes(in, p, st, d, r, out);
    provincial_bodies(in, p, out);
    out.estimated = out.units_from_table < in.old_units.size() ||
                    out.districts_from_table < d.index.size() ||
                    out.provinces_from_table < in.province_map.size();
    return out;
}

} // namespace amsim::sim
