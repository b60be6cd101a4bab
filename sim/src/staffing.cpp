#include "amsim/sim/staffing.hpp"

#include "amsim/geo/error.hpp"
#include "amsim/sim/csv.hpp"

#include <Eigen/SparseCore>

#include <cmath>
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
    Eigen::VectorXd ns(static_cast<Eigen::Index>(n_old));
    for (std::size_t u = 0; u < n_old; ++u) {
        const OldCommune& c = in.old_units[u];
        const Decree33Norm norm = decree33_norm(c, p);
        cc[static_cast<Eigen::Index>(u)] =
            c.cadres_civil_servants.value_or(norm.cadres_civil_servants);
        ns[static_cast<Eigen::Index>(u)] = c.non_specialised.value_or(norm.non_specialised);
        out.units_from_table += c.cadres_civil_servants.has_value();
    }
    out.estimated = out.units_from_table < n_old;
    out.commune_cadres_civil_servants = cc.sum();
    out.commune_non_specialised = ns.sum();

    // Districts: staff by population, and each district's population going to each new unit.
    std::map<std::string, std::size_t> district_of;
    for (const OldCommune& c : in.old_units) {
        district_of.emplace(c.district, district_of.size());
    }
    Eigen::VectorXd district_pop =
        Eigen::VectorXd::Zero(static_cast<Eigen::Index>(district_of.size()));
    Eigen::VectorXd district_units =
        Eigen::VectorXd::Zero(static_cast<Eigen::Index>(district_of.size()));
    for (const OldCommune& c : in.old_units) {
        const auto d = static_cast<Eigen::Index>(district_of.at(c.district));
        district_pop[d] += c.population;
        district_units[d] += 1;
    }
    const double pop_total = district_pop.sum();
    Eigen::VectorXd district_staff(district_pop.size());
    for (Eigen::Index d = 0; d < district_pop.size(); ++d) {
        district_staff[d] =
            pop_total > 0 ? p.district_staff_national * district_pop[d] / pop_total
                          : p.district_staff_national / static_cast<double>(district_pop.size());
    }
    out.district_staff = district_staff.sum();

    // Reallocation matrices (new x old, new x district); every column sums to 1.
    std::vector<Eigen::Triplet<double>> rc, rd;
    std::vector<double> column(n_old, 0);
    for (const StaffingInput::Link& l : in.links) {
        rc.emplace_back(static_cast<int>(l.new_index), static_cast<int>(l.old_index), l.share);
        column[l.old_index] += l.share;
        const OldCommune& c = in.old_units[l.old_index];
        const auto d = static_cast<Eigen::Index>(district_of.at(c.district));
        // By population share; a district of unknown population by its units' count.
        const double w = district_pop[d] > 0 ? l.share * c.population / district_pop[d]
                                             : l.share / district_units[d];
        rd.emplace_back(static_cast<int>(l.new_index), static_cast<int>(d), w);
    }
    for (std::size_t u = 0; u < n_old; ++u) {
        if (std::abs(column[u] - 1) > 1e-4) {
            throw InternalError("old unit " + std::to_string(u) + " is shared out " +
                                std::to_string(column[u]) + " times, not once");
        }
    }
    Eigen::SparseMatrix<double> Rc(static_cast<Eigen::Index>(n_new),
                                   static_cast<Eigen::Index>(n_old));
    Rc.setFromTriplets(rc.begin(), rc.end());
    Eigen::SparseMatrix<double> Rd(static_cast<Eigen::Index>(n_new), district_pop.size());
    Rd.setFromTriplets(rd.begin(), rd.end());
    // Shares typed with 4 decimals: normalise the columns so that nobody is lost.
    Eigen::VectorXd colsum = Eigen::RowVectorXd::Ones(Rc.rows()) * Rc;
    for (int k = 0; k < Rc.outerSize(); ++k) {
        for (Eigen::SparseMatrix<double>::InnerIterator it(Rc, k); it; ++it) {
            it.valueRef() /= colsum[it.col()];
        }
    }
    Eigen::VectorXd dsum = Eigen::RowVectorXd::Ones(Rd.rows()) * Rd;
    for (int k = 0; k < Rd.outerSize(); ++k) {
        for (Eigen::SparseMatrix<double>::InnerIterator it(Rd, k); it; ++it) {
            it.valueRef() /= dsum[it.col()];
        }
    }
    const Eigen::VectorXd new_cc = Rc * cc;
    const Eigen::VectorXd new_ns = Rc * ns;
    const Eigen::VectorXd new_district = Rd * district_staff;
    check_conserved(out.commune_cadres_civil_servants, new_cc, "of commune staff");
    check_conserved(out.commune_non_specialised, new_ns, "of non-specialised workers");
    check_conserved(out.district_staff, new_district, "of district staff");

    out.communes.resize(n_new);
    for (std::size_t g = 0; g < n_new; ++g) {
        NewUnitStaff& s = out.communes[g];
        s.from_communes = new_cc[static_cast<Eigen::Index>(g)];
        s.from_districts = new_district[static_cast<Eigen::Index>(g)];
        s.non_specialised_ended = new_ns[static_cast<Eigen::Index>(g)];
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
        const ProvinceStaff old{old_code,
                                share * p.merging_province_cadres,
                                share * p.merging_province_civil_servants,
                                share * p.merging_province_public_employees};
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

Roadmap make_roadmap(const StaffingResult& staffing, const RoadmapParams& p) {
    static constexpr std::array<double, 5> linear = {0.2, 0.2, 0.2, 0.2, 0.2};
    static constexpr std::array<double, 5> front = {0.4, 0.3, 0.15, 0.1, 0.05};
    const auto& profile = p.profile == RoadmapParams::Profile::linear ? linear : front;
    // Monthly pay per person, and the leadership allowances of each commune; the
    // public-service allowance applies to both (as in the Ministry's examples).
    const double per_coefficient =
        static_cast<double>(p.base_salary) * (1 + p.public_service_pct / 100);
    const double monthly = p.salary_coefficient * per_coefficient;
    const double leadership = static_cast<double>(staffing.communes.size()) *
                              p.leadership_per_commune * per_coefficient * 12;
    auto payout = [&](PayoutPerson person, int year) {
        person.months_since_decision = year == 1 ? 1 : 13;
        return static_cast<double>(compute_payout(person).total);
    };
    Roadmap out;
    out.unit_departures.assign(staffing.communes.size(), {});
    std::array<double, 5> retire{}, paid{};
    double staff = 0;
    for (const NewUnitStaff& c : staffing.communes) {
        staff += c.staffed();
    }
    out.payroll_before_vnd = staff * monthly * 12 + leadership;
    for (std::size_t g = 0; g < staffing.communes.size(); ++g) {
        const NewUnitStaff& c = staffing.communes[g];
        const double surplus = std::max(0.0, c.surplus());
        double now = c.staffed();
        for (int y = 0; y < 5; ++y) {
            const double cut = surplus * profile[static_cast<std::size_t>(y)];
            const double r = std::min(cut, now * p.retirement_rate);
            retire[static_cast<std::size_t>(y)] += r;
            paid[static_cast<std::size_t>(y)] += cut - r;
            out.unit_departures[g][static_cast<std::size_t>(y)] = cut;
            now -= cut;
        }
    }
    for (int y = 0; y < 5; ++y) {
        const auto k = static_cast<std::size_t>(y);
        RoadmapYear ry;
        ry.year = y + 1;
        ry.staff_start = staff;
        ry.retirements = retire[k];
        ry.paid_departures = paid[k];
        ry.payout_vnd =
            paid[k] * (p.early_retirement_share * payout(p.typical_retiree, y + 1) +
                       (1 - p.early_retirement_share) * payout(p.typical_resigner, y + 1));
        staff -= retire[k] + paid[k];
        ry.payroll_vnd = staff * monthly * 12 + leadership;
        out.years.push_back(ry);
    }
    return out;
}

} // namespace amsim::sim

namespace amsim::sim {

std::size_t apply_staffing_table(const std::string& path,
                                 const std::vector<std::string>& codes,
                                 StaffingInput& in) {
    const CsvTable t = read_csv(path);
    const std::size_t c_code = t.require("code");
    const std::size_t c_cc = t.require("cadres_civil_servants");
    const auto c_ns = t.column("non_specialised");
    std::map<std::string, std::size_t> index_of;
    for (std::size_t u = 0; u < codes.size(); ++u) {
        index_of.emplace(codes[u], u);
    }
    auto number = [&](std::size_t r, std::size_t c, const char* column) {
        const std::string& v = t.rows[r][c];
        std::size_t used = 0;
        double d = -1;
        try {
            d = std::stod(v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v.size() || !(d >= 0)) {
            throw InputError(t.where(r) + ", column '" + column + "': '" + v +
                             "' is not a number of people");
        }
        return d;
    };
    std::set<std::string> seen;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& code = t.rows[r][c_code];
        const auto it = index_of.find(code);
        if (it == index_of.end()) {
            throw InputError(t.where(r) + ": code '" + code + "' is not a unit of the base layer");
        }
        if (!seen.insert(code).second) {
            throw InputError(t.where(r) + ": code '" + code + "' is listed twice");
        }
        OldCommune& c = in.old_units[it->second];
        c.cadres_civil_servants = number(r, c_cc, "cadres_civil_servants");
        if (c_ns && !t.rows[r][*c_ns].empty()) {
            c.non_specialised = number(r, *c_ns, "non_specialised");
        }
    }
    return seen.size();
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
        const auto pop = i_pop ? geo::to_number(unit.attributes[*i_pop]) : std::nullopt;
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
