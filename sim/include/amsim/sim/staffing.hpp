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
    std::optional<double> non_specialised;
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
};

struct NewUnitStaff {
    double from_communes = 0;         ///< cadres and civil servants of the old communes (by share)
    double from_districts = 0;        ///< district cadres and civil servants moved down
    double non_specialised_ended = 0; ///< their posts end with the two-tier model
    int norm = 0;
    [[nodiscard]] double staffed() const { return from_communes + from_districts; }
    [[nodiscard]] double surplus() const { return staffed() - norm; }
};

struct ProvinceStaff {
    std::string code;
    double cadres = 0, civil_servants = 0, public_employees = 0;
};

struct StaffingResult {
    bool estimated = true;            ///< any old unit's staff estimated
    std::size_t units_from_table = 0; ///< old units whose staff came from a table
    // Before (old units).
    double commune_cadres_civil_servants = 0;
    double commune_non_specialised = 0;
    double district_staff = 0;
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
#include "amsim/sim/payout.hpp"
#include "amsim/sim/scenario.hpp"

namespace amsim::sim {

/// The 5-year reduction to the norms (Res 76 Art. 11; no annual profile is prescribed [U]).
/// The age distribution of the staff is not known: a yearly retirement rate stands for it,
/// and retirements count towards the reduction before anyone is paid to leave. Leavers are
/// paid under Decree 178 as amended, for a typical person of each kind [U]; the first year
/// falls within 12 months of the decision, later years at the halved factors.
struct RoadmapParams {
    enum class Profile { linear, front_loaded } profile = Profile::linear;
    double retirement_rate = 0.03;       ///< of staff per year [U]
    double early_retirement_share = 0.4; ///< of paid leavers [U]
    PayoutPerson typical_retiree;        ///< coefficient, SI, months early
    PayoutPerson typical_resigner;
    double salary_coefficient = 3.0; ///< average, for the payroll [U]
    /// Leadership allowances per new commune, as a coefficient: chairman 0.60, 2.5 vice-chairs
    /// x 0.50, 4 heads of department or centre x 0.25, 8 deputies x 0.15 (Decree 07/2026
    /// coefficients outside Ha Noi and TP HCM [P]; the numbers of posts are averages from
    /// drafts, RULES.md §4.2 [U]).
    double leadership_per_commune = 0.60 + 2.5 * 0.50 + 4 * 0.25 + 8 * 0.15;
    double public_service_pct = 25;
    std::int64_t base_salary = 2'340'000;
    RoadmapParams();
};

struct RoadmapYear {
    int year = 0;           ///< 1..5
    double staff_start = 0; ///< commune level
    double retirements = 0;
    double paid_departures = 0;
    double payout_vnd = 0;
    double payroll_vnd = 0; ///< for the staff after this year's departures
};

struct Roadmap {
    std::vector<RoadmapYear> years;
    /// per new commune and year: departures (retirements + paid), [unit][year]
    std::vector<std::array<double, 5>> unit_departures;
    double payroll_before_vnd = 0; ///< the staffed commune level, before any reduction
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

/// Reads a staffing table (CSV: code, cadres_civil_servants, non_specialised) into the old
/// units of `in` whose code it lists (`codes[i]` is old unit i); returns how many it set.
/// Errors name the file and line: unknown codes, codes listed twice, bad numbers.
std::size_t apply_staffing_table(const std::string& path,
                                 const std::vector<std::string>& codes,
                                 StaffingInput& in);

/// Yearly departures per unit until each unit is at its norm after 5 years.
[[nodiscard]] Roadmap make_roadmap(const StaffingResult& staffing, const RoadmapParams& p);

} // namespace amsim::sim
