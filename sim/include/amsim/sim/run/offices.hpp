#pragma once
/// @file offices.hpp
/// The buildings after a merger (issue 16): every old unit's office (headquarters), the seat
/// of each new unit among them, the offices left surplus, the distance from each to the seat,
/// and the staff who would need official housing (nhà công vụ) because their old office is
/// beyond a distance from their new seat.
///
/// An old unit's office is the point a planner's table gives, else the centroid of its
/// polygon (an estimate, labelled). A new unit's seat is, in this order: the office the table
/// marks as seat; the office of the old unit the mapping names as seat; the office nearest the
/// official seat point (figures' seat_lon, seat_lat); else the office of its most populous old
/// unit (an estimate). Every other office of the new unit is surplus unless the table keeps
/// it. Distances are straight lines in the run's equal-area projection; road distance is
/// estimated as a detour factor times that [U].

#include "amsim/geo/polygon_set.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

struct Base;
struct Run;
struct Scenario;
struct StaffingParams;

/// Parameters, each unconfirmed [U]: no national rule fixes them.
struct OfficeParams {
    /// Staff whose old office is farther than this from their new seat need official housing.
    double housing_km = 20;
    /// Road kilometres per straight-line kilometre.
    double detour = 1.3;
    std::string table; ///< the old offices (CSV, XLSX, ODS); empty = centroids
};

/// The scenario's [offices]: its table and parameters, the defaults where it gives none.
[[nodiscard]] OfficeParams office_params(const Scenario& scenario);

struct Office {
    enum class Role { seat, kept, surplus };
    std::string old_code; ///< the legal old unit (a divided unit's own code), as the base keys it
    std::string old_name, old_official_code, old_province;
    std::string new_code, province; ///< the new unit that inherits the office, its province
    geo::Coord point;               ///< in the base layer's CRS (longitude, latitude)
    geo::Coord at;                  ///< in the run's equal-area projection, metres
    bool from_table = false;        ///< else the centroid of the old unit's polygon
    std::string address;            ///< from the table
    Role role = Role::surplus;
    /// Why the seat is this office (seat offices only).
    enum class SeatBy {
        none,
        table,
        mapping,
        official_point,
        most_populous
    } seat_by = SeatBy::none;
    double km_to_seat = 0; ///< straight line to the new unit's seat point
    std::string key;       ///< the legal old unit (official:CODE when grouped by official code)
};

/// Official housing from a staff roster: each cadre and civil servant who stays, in the new
/// unit the roster places them in, whose home (home_lon, home_lat) or, without one, old office
/// lies farther than the threshold from the unit's seat. It replaces the estimate for the
/// units the roster covers. The roster's people stay in memory: only counts are kept.
struct RosterHousing {
    std::string path;
    std::size_t units = 0;   ///< new units the roster covers
    std::size_t people = 0;  ///< cadres and civil servants who stay
    std::size_t by_home = 0; ///< of them, with a home point (the others: old office)
    std::size_t need = 0;    ///< beyond the threshold
};
[[nodiscard]] RosterHousing roster_housing(Run& run,
                                           const Base& base,
                                           const Scenario& scenario,
                                           const std::string& roster_path);

/// The offices of a run: per old unit, and the totals put into its communes and provinces
/// (offices, surplus offices, seat office, staff needing housing). `staffing` gives each old
/// commune's cadres and civil servants (estimated from its norm where no table gives them):
/// without it (a run built without staffing) housing is not estimated. District staff moved to
/// communes are not counted: the district offices are not in the data. With `province`, only
/// that new province's offices and communes are placed again (after an edit of its communes:
/// rebuild_province); the others' are kept.
void place_offices(Run& run,
                   const Base& base,
                   const Scenario& scenario,
                   const OfficeParams& params,
                   const StaffingParams* staffing,
                   const std::string* province = nullptr);

/// The offices table read: old unit (base or official code) -> point, role and address. An
/// error names the file, line, column and value.
struct OfficeRow {
    std::size_t line = 0;
    double lon = 0, lat = 0;
    std::optional<Office::Role> role;
    std::string address;
};
[[nodiscard]] std::map<std::string, OfficeRow>
read_offices(const CsvTable& table, const std::map<std::string, std::string>& old_code_of);

[[nodiscard]] const char* role_name(Office::Role role);
/// How a seat was chosen, as the outputs say it ("" for an office that is no seat).
[[nodiscard]] const char* seat_by_text(Office::SeatBy by);

} // namespace amsim::sim
