#pragma once
/// @file roster.hpp
/// A staff roster (issue 16): one row a person of the old units (cadre, civil servant or
/// non-specialised worker), placed in the new units, each new unit's people in post compared
/// with its norm. The roster's people are personal data: they appear only in the placement
/// table the planner asks for, never in messages or the record of runs.

#include "amsim/geo/ogr_io.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/staffing/payout.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

enum class StaffCategory { cadre, civil_servant, non_specialised };

/// What a person does at the merger: stays, or leaves (retires early, resigns under Decree
/// 178; a non-specialised worker whose post ends, Decree 154).
enum class Leave { stays, early_retirement, resignation, post_ends };

struct RosterPerson {
    std::size_t line = 0; ///< the row's line in the file (1 = the header)
    std::string id;       ///< the roster's id, else "line N"
    std::string name;     ///< the person's name (only in the report of leavers)
    std::string old_unit; ///< the old unit, as the base keys it
    std::string assigned; ///< the new unit the planner assigns; empty = as the mapping places
    StaffCategory category = StaffCategory::civil_servant;
    std::string position;
    double salary_coefficient = 0;
    double leadership_coefficient = 0;
    Leave leave = Leave::stays;
    // What a leaver's payout needs (Decree 178, Decree 154).
    std::optional<int> birth_year, birth_month; ///< birth_date
    std::optional<bool> female;                 ///< sex
    std::optional<int> si_months;               ///< si_years x 12 + si_months
    std::optional<int> months_to_retirement;    ///< given; else from the birth date and sex
    std::int64_t monthly_allowance = 0;         ///< non-specialised workers: A, VND a month
    int months_worked = 0;                      ///< non-specialised workers: years_worked x 12
    std::optional<double> home_lon, home_lat;   ///< home (WGS 84), for official housing
};

/// The month (year, month) a person reaches the statutory retirement age of the Labour Code
/// 2019, Art. 169(2): men 60 years 3 months in 2021, 3 months more each year to 62 in 2028;
/// women 55 years 4 months in 2021, 4 months more each year to 60 in 2035 (the tables of
/// Decree 135/2020). Reduced ages (hard work, disability) are not known from a roster: give
/// months_to_retirement for them.
[[nodiscard]] std::pair<int, int> retirement_month(int birth_year, int birth_month, bool female);

struct Roster {
    std::string path;
    std::vector<RosterPerson> people;
};

/// Reads a roster (CSV as Excel saves it, .xlsx, .ods). Columns (names however typed): old_code
/// (the old unit: its base code or its official code) and category (cadre / cán bộ,
/// civil_servant / công chức, non_specialised / không chuyên trách) are required; id, new_code
/// (an assignment), position, salary_coefficient (1.0-12.0) and leave (empty or "stays" / ở lại,
/// early_retirement / nghỉ hưu trước tuổi, resignation / thôi việc, post_ends / chấm dứt) are
/// optional. `old_code_of` turns any code a planner may give into the base's; `new_codes` are
/// the scenario's new units. An InputError names the file, line, column and value.
[[nodiscard]] Roster read_roster(const CsvTable& table,
                                 const std::map<std::string, std::string>& old_code_of,
                                 const std::vector<std::string>& new_codes);

/// Reads a roster file for a scenario: its old units by the base's code or, with `[base]
/// official_code`, the official one (a unit drawn in pieces: its first piece).
[[nodiscard]] Roster read_roster_file(const std::string& path,
                                      const Scenario& scenario,
                                      const Base& base,
                                      const StaffingReport& report);

/// A new unit's people from the roster, against its norm (cadres and civil servants).
struct UnitRoster {
    std::size_t cadres = 0, civil_servants = 0, non_specialised = 0;
    std::size_t leaving = 0;      ///< cadres and civil servants who leave
    std::size_t posts_ending = 0; ///< non-specialised workers whose posts end
    int norm = 0;
    [[nodiscard]] std::size_t in_post() const { return cadres + civil_servants; }
    /// Cadres and civil servants who stay, above the norm (0 at or below it).
    [[nodiscard]] std::size_t over_norm() const {
        const std::size_t staying = in_post() - leaving;
        return staying > static_cast<std::size_t>(norm) ? staying - static_cast<std::size_t>(norm)
                                                        : 0;
    }
};

/// A placement's sums over the units the roster covers.
struct RosterTotals {
    std::size_t assigned = 0, units = 0, in_post = 0, leaving = 0, norm = 0, over_norm = 0,
                units_over_norm = 0, posts_ending = 0;
};

struct RosterPlacement {
    std::vector<std::size_t> unit_of_person; ///< index into the report's new communes
    std::vector<bool> by_assignment;         ///< placed by the planner, not the mapping
    std::vector<UnitRoster> units;           ///< per new commune, as the report's
    [[nodiscard]] RosterTotals totals() const;
};

/// Places each person in a new commune: the planner's assignment, else the new unit that
/// takes the largest share of their old unit (the one that keeps its polygon when shares tie).
/// `old_codes` are the base's units in the report's order; every person is placed once.
[[nodiscard]] RosterPlacement place_roster(const Roster& roster,
                                           const StaffingReport& report,
                                           const std::vector<std::string>& old_codes);

/// The month people leave (the arrangement decision's), from which months to retirement count.
struct LeaveDate {
    int year = 2025, month = 7; ///< July 2025: the two-tier local government begins
};

/// Each leaver's payout by amsim's calculator (compute_payout): Decree 178 for cadres and civil
/// servants (early retirement, resignation), Decree 154 Art. 9 for non-specialised workers
/// whose posts end; a leaver outside the decree's cases, or whose row lacks what the payout
/// needs, is refused with why and their line.
struct LeaverPayout {
    std::size_t person = 0; ///< in the roster
    std::optional<Payout> payout;
    std::string refused; ///< why not, if not
    std::optional<int> months_to_retirement;
    bool months_estimated = false; ///< from the birth date and sex, not given
};
struct RosterPayouts {
    std::vector<LeaverPayout> leavers;
    std::vector<std::int64_t> unit_total; ///< per new commune, VND
    std::int64_t total = 0;
    std::size_t refused = 0;
};
[[nodiscard]] RosterPayouts
price_roster(const Roster& roster, const RosterPlacement& placement, const LeaveDate& leave);

/// The placement as tables: per new commune (norm, in post by category, leaving, over the
/// norm) and per person (their row's id and line, old unit, new unit, how placed, leave).
/// and the payouts (per leaver: the decree, each component and the total, or why refused);
/// and the report of leavers as a Department sends it upward (Vietnamese headings: each leaver
/// with name, position, old and new unit, category, how they leave and under which decree,
/// coefficient, months early, years of insurance, monthly salary and payout; a total row).
struct RosterTables {
    std::vector<geo::OutputField> units, people, payouts, leavers;
    /// Per new province: units the roster covers, people, in post, leaving, over the norm,
    /// posts ending, leavers priced and refused, payouts; a national total row.
    std::vector<geo::OutputField> provinces;
};
[[nodiscard]] RosterTables roster_tables(const Roster& roster,
                                         const RosterPlacement& placement,
                                         const RosterPayouts& payouts,
                                         const StaffingReport& report);

/// The staffing quota proposed for a new commune (biên chế 2026 and the 5-year path): its
/// norm, its cadres and civil servants in post (the roster's, where the roster places anyone
/// in the unit, else the estimate's), who leave now (the roster's leavers), the surplus over
/// the norm, and the ceiling at the end of each year of the 5-year period: the staff left after
/// cutting the surplus by the profile's shares, rounded up to whole posts, never below the
/// norm (a unit below its norm may fill up to it).
struct UnitQuota {
    int norm = 0;
    double in_post = 0;
    bool from_roster = false;
    double leaving = 0; ///< leave at the merger (roster)
    [[nodiscard]] double surplus() const { return in_post - leaving - norm; }
    std::array<int, 5> ceiling{}; ///< years 1-5 (to mid-2026 ... mid-2030)
};
[[nodiscard]] std::vector<UnitQuota> propose_quotas(const StaffingReport& report,
                                                    const RosterPlacement* placement,
                                                    RoadmapParams::Profile profile);
/// The proposal as a table: one row a new commune, each figure's source named.
[[nodiscard]] std::vector<geo::OutputField> quota_table(const StaffingReport& report,
                                                        const std::vector<UnitQuota>& quotas);

/// A roster file read, placed and priced for a staffed scenario: what `amsim staff --roster`
/// does.
struct RosterRun {
    Roster roster;
    RosterPlacement placement;
    RosterPayouts payouts;
};
[[nodiscard]] RosterRun run_roster(const std::string& path,
                                   const Scenario& scenario,
                                   const Base& base,
                                   const StaffingReport& report,
                                   const LeaveDate& leave);

} // namespace amsim::sim
