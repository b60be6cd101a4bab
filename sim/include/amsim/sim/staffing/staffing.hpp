#pragma once
/// @file staffing.hpp
/// Staff of the units before the reform and their reallocation to the new units (issue 4,
/// first part): commune staff by the mapping's shares, district staff (all of whom move down)
/// to the communes of the district's territory by population, provincial bodies to the new
/// province; then the norm of each new commune and its surplus. Reallocation is a sparse
/// matrix product (Eigen), so nobody is created or lost: every column of each matrix sums
/// to 1.
///
/// Real per-unit staffing is not public. Without a staffing table, old units' staff are
/// estimated from the legal norms (Decree 33/2023 for communes) and the national magnitudes
/// of ../shared/domain/RULES.md §4.1, and every figure is labelled estimated.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace amsim::sim {

/// Parameters, each with its source (RULES.md §4); [U] marks an unconfirmed value.
struct StaffingParams {
    // Decree 33/2023 (pre-reform commune norms). Commune class is not in the data: [U] class
    // II for every commune (a parameter).
    int commune_class = 2;
    // District-level cadres and civil servants, national (about 140,000 [P], RULES.md §4.1),
    // shared among districts by population.
    double district_staff_national = 140000;
    // Provincial bodies: 447,657 norms in the 52 merging provinces [P] (2,321 cadres, 79,118
    // civil servants, 366,218 public employees); applied to every province per inhabitant
    // of those 52 provinces.
    double merging_province_cadres = 2321;
    double merging_province_civil_servants = 79118;
    double merging_province_public_employees = 366218;
    // New commune norm (09/CV-BCĐ): government frame 32, +1 per `step` people above 16,000
    // (mountainous 1,000, other 2,000 [U]), capped at 50 (xa) or 70 (phuong, dac_khu) [U];
    // plus the Party and mass-organisation block, 23-30 [P]: 23 by default.
    int government_frame = 32;
    int step_mountain = 1000;
    int step_other = 2000;
    int cap_xa = 50;
    int cap_ward = 70;
    int party_block = 23;
    // Categories. Cadres (can bo) of a commune are its elected posts: the 11 titles of the
    // Law on Cadres and Civil Servants 2008, Art. 61(3) (Party secretary and deputy, People's
    // Council chair and vice-chair, People's Committee chair and vice-chair, Fatherland
    // Front, and the heads of the Youth Union, Women's Union, Farmers' Union and Veterans'
    // Association); the rest of a commune's norm are civil servants. Not in RULES.md [U].
    int commune_cadre_posts = 11;
    // Cadres among district staff: no published split [U].
    double district_cadre_share = 0.15;
    /// How district staff are shared among the new communes of the district's territory.
    enum class DistrictWeight {
        population,
        area,
        units
    } district_weight = DistrictWeight::population;
};

/// One old commune-level unit as the staffing model needs it.
struct OldCommune {
    bool ward = false;           ///< phường (a thị trấn counts as a commune)
    bool mountain = false;       ///< region class
    bool urban_district = false; ///< ward of an urban district (quận)
    double population = 0;
    double area_km2 = 0;
    std::string district; ///< district key (population shares of district staff)
    std::string province; ///< old province code
    /// Actual staff from a staffing table; absent = estimated from the Decree 33 norms.
    std::optional<double> cadres_civil_servants;
    std::optional<double> cadres; ///< of cadres_civil_servants; absent = the posts rule
    std::optional<double> non_specialised;
    std::optional<double> salary_coefficient; ///< mean of its staff, from a table
};

/// A district's staff from a staffing table (level district).
struct DistrictStaff {
    double cadres = 0, civil_servants = 0;
    std::optional<double> salary_coefficient;
};

/// Decree 33/2023 norm of an old commune: cadres and civil servants, and non-specialised
/// workers (base by type and class, + population and area increments).
struct Decree33Norm {
    int cadres_civil_servants = 0;
    int non_specialised = 0;
};
[[nodiscard]] Decree33Norm decree33_norm(const OldCommune& c, const StaffingParams& p);

/// Norm of a new commune-level unit (government frame with increments and cap, plus the
/// Party and mass-organisation block).
[[nodiscard]] int new_commune_norm(double population,
                                   bool mountain,
                                   bool ward_or_special_zone,
                                   const StaffingParams& p);

struct ProvinceStaff {
    std::string code;
    double cadres = 0, civil_servants = 0, public_employees = 0;
};

/// The reallocation, inputs: the mapping as (old index, new index, share) triplets, the new
/// province of each new commune, and each old unit's facts.
struct StaffingInput {
    std::vector<OldCommune> old_units;
    std::size_t new_count = 0;
    struct Link {
        std::size_t old_index;
        std::size_t new_index;
        double share;
    };
    std::vector<Link> links;
    std::vector<double> new_population;    ///< per new commune
    std::vector<bool> new_mountain;        ///< per new commune
    std::vector<bool> new_ward_or_zone;    ///< per new commune
    std::vector<std::string> new_province; ///< per new commune
    /// Old province -> new province; those merged with others set the provincial rate.
    std::vector<std::pair<std::string, std::string>> province_map;
    /// From a staffing table: districts (by district key) and old provinces' bodies.
    std::map<std::string, DistrictStaff> district_table;
    std::map<std::string, ProvinceStaff> province_table;
};

struct NewUnitStaff {
    std::string province;             ///< new province
    double from_communes = 0;         ///< cadres and civil servants of the old communes (by share)
    double from_districts = 0;        ///< district cadres and civil servants moved down
    double cadres_from_communes = 0;  ///< of from_communes
    double cadres_from_districts = 0; ///< of from_districts
    double non_specialised_ended = 0; ///< their posts end with the two-tier model
    double salary_coefficient = 0;    ///< staff-weighted mean from tables; 0 = not known
    int norm = 0;                     ///< cadres and civil servants together
    [[nodiscard]] double staffed() const { return from_communes + from_districts; }
    [[nodiscard]] double surplus() const { return staffed() - norm; }
    [[nodiscard]] double cadres() const { return cadres_from_communes + cadres_from_districts; }
    [[nodiscard]] double civil_servants() const { return staffed() - cadres(); }
    /// The norm is set for cadres and civil servants together: the surplus is shared between
    /// the categories in proportion to the staff inherited [U].
    [[nodiscard]] double surplus_cadres() const {
        return staffed() > 0 ? surplus() * cadres() / staffed() : 0;
    }
    [[nodiscard]] double surplus_civil_servants() const { return surplus() - surplus_cadres(); }
};

struct StaffingResult {
    bool estimated = true;            ///< any old unit's staff estimated
    std::size_t units_from_table = 0; ///< old units whose staff came from a table
    // Before (old units).
    double commune_cadres_civil_servants = 0;
    double commune_cadres = 0; ///< of commune_cadres_civil_servants
    double commune_non_specialised = 0;
    double district_staff = 0;
    double district_cadres = 0; ///< of district_staff
    std::size_t districts_from_table = 0, provinces_from_table = 0;
    std::vector<NewUnitStaff> communes;       ///< per new commune
    std::vector<ProvinceStaff> provinces;     ///< new provinces
    std::vector<ProvinceStaff> old_provinces; ///< the same staff by old province
    double norm_total = 0;
    double surplus_total = 0; ///< sum of positive surpluses
};

/// Estimates the old units' staff and reallocates them. Throws InternalError if a share
/// column does not sum to 1 (nobody may be created or lost).
[[nodiscard]] StaffingResult reallocate_staff(const StaffingInput& in, const StaffingParams& p);

} // namespace amsim::sim

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/scenario.hpp"
#include "amsim/sim/staffing/payout.hpp"

namespace amsim::sim {

/// Ages of the staff: the share whose age lies in [from, to), spread evenly within a band.
struct AgeBand {
    double from = 0, to = 0, share = 0;
};

/// Reads an age distribution (CSV: age_from, age_to, share); shares are normalised to 1.
/// Errors name the file and line: bad numbers, empty or overlapping bands.
[[nodiscard]] std::vector<AgeBand> read_age_distribution(const std::string& path);
/// The same from a parsed table.
[[nodiscard]] std::vector<AgeBand> age_distribution_from(const CsvTable& table);

/// The 5-year reduction to the norms (Res 76 Art. 11; no annual profile is prescribed [U]).
/// Retirements come first: from the age distribution when one is given (those reaching the
/// retirement age in each year), else a yearly rate stands for it. The rest of each year's
/// cut leave with payouts under Decree 178 as amended, computed by the payout calculator
/// for a typical person of each kind [U]: early retirement for those 2-5 years before the
/// age (a share of the paid leavers, at most the staff of those ages), resignation for the
/// others. The first year falls within 12 months of the decision, later years at the halved
/// factors.
struct RoadmapParams {
    enum class Profile { linear, front_loaded } profile = Profile::linear;
    double retirement_rate = 0.03;       ///< of staff per year, without an age distribution [U]
    std::vector<AgeBand> ages;           ///< empty = retirement_rate
    double retirement_age = 60;          ///< years, with an age distribution [U]
    double early_retirement_share = 0.4; ///< of paid leavers [U]
    PayoutPerson typical_retiree;        ///< coefficient, SI, months early
    PayoutPerson typical_resigner;
    /// A non-specialised commune worker whose post ends with the two-tier model, paid in the
    /// first year under Decree 154 Art. 9: allowance 1.5 x the base salary, 10 years worked,
    /// 10 years to retirement [U].
    PayoutPerson typical_non_specialised;
    double salary_coefficient = 3.0; ///< average where no table gives one, for the payroll [U]
    /// Leadership allowances per new commune, as a coefficient: chairman, 2.5 vice-chairs,
    /// 4 heads of department or centre, 8 deputies at the Decree 07/2026 coefficients [P]
    /// (the numbers of posts are averages from drafts, RULES.md §4.2 [U]): outside Ha Noi
    /// and TP HCM 0.60 + 2.5 x 0.50 + 4 x 0.25 + 8 x 0.15; in them 0.70 + 2.5 x 0.60 +
    /// 4 x 0.35 + 8 x 0.20.
    double leadership_per_commune = 0.60 + 2.5 * 0.50 + 4 * 0.25 + 8 * 0.15;
    double leadership_per_commune_hn_hcm = 0.70 + 2.5 * 0.60 + 4 * 0.35 + 8 * 0.20;
    std::vector<std::string> hn_hcm_provinces = {"01", "79"}; ///< new province codes
    double public_service_pct = 25;
    std::int64_t base_salary = 2'340'000;
    RoadmapParams();
    /// The leadership coefficient of a commune of this new province.
    [[nodiscard]] double leadership_in(const std::string& province) const;
};

struct RoadmapYear {
    int year = 0;           ///< 1..5
    double staff_start = 0; ///< commune level
    double retirements = 0;
    double paid_departures = 0;
    double early_retirements = 0;          ///< of paid_departures
    double non_specialised_ended = 0;      ///< posts ended (year 1), not counted in the staff
    double payout_vnd = 0;                 ///< every payout, the non-specialised workers' included
    double non_specialised_payout_vnd = 0; ///< of payout_vnd
    double payroll_vnd = 0;                ///< for the staff after this year's departures
};

/// One new commune's (or province's) reduction: per year, and its payroll.
struct RoadmapUnit {
    std::string code; ///< province code (per-province rows); empty for communes
    double staff_start = 0;
    std::array<double, 5> retirements{}, paid{}, early{}, payout_vnd{};
    std::array<double, 5> payroll_vnd{};   ///< a year, after each year's departures (communes)
    double non_specialised_ended = 0;      ///< in year 1
    double non_specialised_payout_vnd = 0; ///< in year 1, included in payout_vnd[0]
    double payroll_before_vnd = 0, payroll_after_vnd = 0; ///< a year, before and after year 5
    double leadership = 0; ///< leadership allowance coefficient per commune (RoadmapParams)
    [[nodiscard]] double departures(std::size_t year) const {
        return retirements[year] + paid[year];
    }
    [[nodiscard]] double total_payout_vnd() const;
};

struct Roadmap {
    std::vector<RoadmapYear> years;
    std::vector<RoadmapUnit> units;     ///< per new commune
    std::vector<RoadmapUnit> provinces; ///< per new province, in code order
    double payroll_before_vnd = 0;      ///< the staffed commune level, before any reduction
    double early_retiree_months = 0;    ///< months before the age of the typical early retiree
};

/// The staffing input of a checked scenario over its loaded base layer: old units' type
/// (phường from the type field, else the name's prefix), region, area (from the topology),
/// population (unknown counts as 0 and is counted in `unknown_population`), district (the
/// `district_field`, else the province); new units in code order, as in ScenarioCheck.
[[nodiscard]] StaffingInput staffing_input(const Scenario& scenario,
                                           const ScenarioCheck& check,
                                           const geo::LoadedLayer& loaded,
                                           const std::string& district_field,
                                           std::size_t* unknown_population = nullptr);

/// What each old unit brings to whichever new unit takes it (its own staff and its share of
/// its district's): the staffing of a plan where every old unit is a new unit of its own, in
/// new province `province[u]`. The reallocation is linear in the units, so a group's staff
/// is the sum of its members' whatever its partners (the editor, ensembles).
[[nodiscard]] std::vector<NewUnitStaff> staff_per_old_unit(const Scenario& scenario,
                                                           const ScenarioCheck& check,
                                                           const geo::LoadedLayer& loaded,
                                                           const std::vector<std::string>& province,
                                                           const StaffingParams& params);

/// Reads a staffing table into `in` and returns how many rows it applied. Columns: code,
/// optional level (commune, the default; district; province), and the staff: cadres and
/// civil_servants, or cadres_civil_servants (split by the posts rule); non_specialised
/// (communes); public_employees (provinces); salary_coefficient (mean, communes and
/// districts). A commune's code is its old unit code (`codes[i]` is old unit i), a
/// district's its district key, a province's its old province code. Errors name the file
/// and line: unknown codes, codes listed twice, bad numbers, missing staff columns.
std::size_t apply_staffing_table(const std::string& path,
                                 const std::vector<std::string>& codes,
                                 StaffingInput& in);
/// The same from a parsed table.
std::size_t apply_staffing_table(const CsvTable& table,
                                 const std::vector<std::string>& codes,
                                 StaffingInput& in);

/// The share of a unit's surplus cut in each of the 5 years: linear 0.2 each, front-loaded
/// 0.4, 0.3, 0.15, 0.1, 0.05 [U] (no annual profile is prescribed).
[[nodiscard]] const std::array<double, 5>& profile_shares(RoadmapParams::Profile profile);

/// Yearly departures per unit until each unit is at its norm after 5 years.
[[nodiscard]] Roadmap make_roadmap(const StaffingResult& staffing, const RoadmapParams& p);
/// The roadmap's totals (per province, per year) from its units (staffing.communes's order).
void total_roadmap(Roadmap& out, const StaffingResult& staffing);

/// Everything the staffing of a scenario takes.
struct StaffingOptions {
    StaffingParams params;
    RoadmapParams roadmap;
    std::string district_field = "district";
    std::string table;    ///< staffing table (optional)
    std::string ages;     ///< age distribution (optional)
    std::string capitals; ///< old provinces' capitals (CSV: old_province, lon, lat); empty =
                          ///< capitals.csv beside the scenario if there is one
};

/// Provincial staff of an old province whose capital is no longer the province's.
struct CapitalMove {
    std::string from, to; ///< old province, and the old province whose capital is kept
    double staff = 0;
    std::optional<double> km; ///< great-circle distance between the capitals
};

/// The staffing of a scenario, and where each figure comes from.
struct StaffingReport {
    StaffingInput input;
    StaffingResult result;
    Roadmap roadmap;
    std::vector<CapitalMove> capital_moves;
    std::string capitals_path;
    std::size_t unknown_population = 0;
    std::size_t table_rows = 0;
    std::vector<std::string> codes, names; ///< per new commune, as result.communes
    std::vector<std::string> predecessors; ///< per new commune: old codes (share if partial)
    std::vector<std::string> districts;    ///< per new commune: districts its staff come from
    /// Every rule and value the figures rest on: name, value, source, unconfirmed.
    struct Assumption {
        std::string name, value, source;
        bool unconfirmed = false;
    };
    std::vector<Assumption> assumptions;
};

/// The part of a staffing report for one new province: its communes, its provincial staff,
/// its old provinces and capital moves, and the totals summed over them. Every figure equals
/// the province's rows of the whole report (communes are staffed independently).
[[nodiscard]] StaffingReport staffing_for_province(const StaffingReport& report,
                                                   const std::string& province);

/// Staff of a checked scenario: estimate (or table), reallocation, roadmap, capital moves.
[[nodiscard]] StaffingReport staff_scenario(const Scenario& scenario,
                                            const ScenarioCheck& check,
                                            const geo::LoadedLayer& loaded,
                                            const StaffingOptions& options);

/// The national totals of a staffing report: new communes' staff, cadres, non-specialised
/// posts ended, provincial staff, communes below their norm, and the 5-year roadmap's sums.
struct StaffingTotals {
    double staffed = 0, cadres = 0, non_specialised = 0, provincial = 0;
    std::size_t below_norm = 0;
    double payouts_5y_vnd = 0, departures_5y = 0, payroll_saving_vnd = 0;
};
[[nodiscard]] StaffingTotals staffing_totals(const StaffingReport& report);

/// The report as tables: per new commune, the roadmap by year, per new province, and the
/// assumptions; every row of the first three says whether it is estimated.
struct StaffingTables {
    std::vector<geo::OutputField> communes, years, provinces, assumptions;
};
[[nodiscard]] StaffingTables staffing_tables(const StaffingReport& report);

} // namespace amsim::sim
