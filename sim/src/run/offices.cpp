// The old units' offices after a merger: the seat of each new unit, the surplus offices, the
// distance from each office to its seat, and the staff who need official housing.

#include "amsim/sim/run/offices.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/scenario.hpp"
#include "amsim/sim/staffing/roster.hpp"

#include <algorithm>
#include <iterator>
#include <map>

namespace amsim::sim {

const char* role_name(Office::Role role) {
    switch (role) {
    case Office::Role::seat:
        return "seat";
    case Office::Role::kept:
        return "kept";
    case Office::Role::surplus:
        break;
    }
    return "surplus";
}

OfficeParams office_params(const Scenario& scenario) {
    OfficeParams p;
    p.table = scenario.offices_path;
    p.housing_km = scenario.housing_km.value_or(p.housing_km);
    p.detour = scenario.detour.value_or(p.detour);
    return p;
}

const char* seat_by_text(Office::SeatBy by) {
    switch (by) {
    case Office::SeatBy::table:
        return "table";
    case Office::SeatBy::mapping:
        return "mapping";
    case Office::SeatBy::official_point:
        return "nearest the official seat point";
    case Office::SeatBy::most_populous:
        return "most populous old unit (estimated)";
    case Office::SeatBy::none:
        break;
    }
    return "";
}

namespace {

/// A role however a planner types it, in English or Vietnamese.
std::optional<Office::Role> role_of(const std::string& text) {
    const std::string k = geo::fold(text);
    if (k.empty()) {
        return std::nullopt;
    }
    if (k == "seat" || k == "tru so" || k == "tru so chinh" || k == "tru so moi") {
        return Office::Role::seat;
    }
    if (k == "kept" || k == "keep" || k == "giu lai" || k == "su dung" || k == "tiep tuc su dung") {
        return Office::Role::kept;
    }
    if (k == "surplus" || k == "doi du" || k == "du") {
        return Office::Role::surplus;
    }
    throw InputError("'" + text + "' is not seat / trụ sở, kept / giữ lại or surplus / dôi dư");
}

} // namespace

std::map<std::string, OfficeRow>
read_offices(const CsvTable& t, const std::map<std::string, std::string>& old_code_of) {
    const std::size_t c_code = t.require("old_code");
    const std::size_t c_lon = t.require("lon");
    const std::size_t c_lat = t.require("lat");
    const auto c_role = t.column("role");
    const auto c_address = t.column("address");
    std::map<std::string, OfficeRow> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string& code = t.rows[r][c_code];
        const auto it = old_code_of.find(code);
        if (it == old_code_of.end()) {
            throw InputError(t.where(r) + ", column '" + t.header[c_code] + "': '" + code +
                             "' is no old unit of the base");
        }
        OfficeRow row;
        row.line = t.lines[r];
        const auto lon = cell_number(t, r, c_lon, "lon", -180, 180);
        const auto lat = cell_number(t, r, c_lat, "lat", -90, 90);
        if (!lon || !lat) {
            throw InputError(t.where(r) + ": an office needs both lon and lat");
        }
        row.lon = *lon;
        row.lat = *lat;
        if (c_role) {
            try {
                row.role = role_of(t.rows[r][*c_role]);
            } catch (const InputError& e) {
                throw InputError(t.where(r) + ", column '" + t.header[*c_role] + "': " + e.what());
            }
        }
        row.address = c_address ? t.rows[r][*c_address] : "";
        if (const auto [at, added] = out.emplace(it->second, row); !added) {
            throw InputError(t.where(r) + ": the office of '" + code +
                             "' is listed twice (first at line " + std::to_string(at->second.line) +
                             ")");
        }
    }
    return out;
}

namespace {

/// The legal old unit a base unit belongs to: the unit a split divided, else the unit whose
/// official code it shares (a base drawn before earlier mergers has several polygons per unit
/// of the official list), else itself. A ';'-joined official code (a unit later split) is no
/// one unit: the polygon is its own.
std::string legal_unit(const Base& base, std::uint32_t u, std::optional<std::size_t> official) {
    const OldUnit& unit = base.units[u];
    const std::string& own = unit.split_of.empty() ? unit.code : unit.split_of;
    if (!official || !unit.split_of.empty()) {
        return own;
    }
    const std::string code = geo::to_text(base.loaded.layer.units[u].attributes[*official]);
    return code.empty() || code.find(';') != std::string::npos ? own : "official:" + code;
}

/// One office per legal old unit, at its largest polygon, going with that polygon to its new
/// unit.
std::vector<Office> offices_of(const Run& run,
                               const Base& base,
                               std::optional<std::size_t> official,
                               const std::map<std::string, OfficeRow>& table,
                               std::map<std::string, std::size_t>& office_of_key,
                               const std::string* province) {
    std::map<std::string, std::pair<double, std::size_t>> largest; // key -> (area, row)
    for (std::size_t r = 0; r < run.mapping.size(); ++r) {
        const MappedUnit& mu = run.mapping[r];
        if (!mu.takes_geometry || (province != nullptr && mu.new_province != *province)) {
            continue;
        }
        const std::string key = legal_unit(base, mu.unit, official);
        const double area = base.loaded.unit_area_m2[mu.unit];
        const auto [it, added] = largest.emplace(key, std::make_pair(area, r));
        if (!added && area > it->second.first) {
            it->second = {area, r};
        }
    }
    std::vector<Office> out;
    out.reserve(largest.size());
    for (const auto& [key, part] : largest) {
        office_of_key.emplace(key, out.size());
        const MappedUnit& mu = run.mapping[part.second];
        Office o;
        o.key = key;
        const OldUnit& unit = base.units[mu.unit];
        o.old_code = unit.split_of.empty() ? unit.code : unit.split_of;
        o.old_name = mu.old_name;
        o.old_official_code = mu.old_official_code;
        o.old_province = mu.old_province;
        o.new_code = mu.new_code;
        o.province = mu.new_province;
        if (const auto t = table.find(key); t != table.end()) {
            o.point = {t->second.lon, t->second.lat};
            o.from_table = true;
            o.address = t->second.address;
            o.role = t->second.role.value_or(Office::Role::surplus);
        } else {
            o.point = geo::centroid(base.loaded.layer.geometry, mu.unit);
        }
        std::vector<geo::Coord> at = {o.point};
        base.loaded.projection->project_in_place(at);
        o.at = at[0];
        out.push_back(std::move(o));
    }
    return out;
}

/// The seat among a new unit's offices (indices into `offices`), and why.
std::size_t choose_seat(const std::vector<Office>& offices,
                        const std::vector<std::size_t>& mine,
                        const NewCommune& c,
                        std::optional<std::size_t> mapping_seat,
                        const std::vector<double>& population,
                        Office::SeatBy& why) {
    for (const std::size_t i : mine) {
        if (offices[i].from_table && offices[i].role == Office::Role::seat) {
            why = Office::SeatBy::table;
            return i;
        }
    }
    for (const std::size_t i : mine) {
        if (mapping_seat == i) {
            why = Office::SeatBy::mapping;
            return i;
        }
    }
    if (c.seat_at && c.seat_from_figures) {
        why = Office::SeatBy::official_point;
        return *std::min_element(mine.begin(), mine.end(), [&](std::size_t a, std::size_t b) {
            return geo::distance(offices[a].at, *c.seat_at) <
                   geo::distance(offices[b].at, *c.seat_at);
        });
    }
    why = Office::SeatBy::most_populous;
    auto people = [&](std::size_t i) { return population[i]; };
    return *std::min_element(mine.begin(), mine.end(), [&](std::size_t a, std::size_t b) {
        return people(a) > people(b);
    });
}

/// Each province's offices, surplus offices and housing: its communes' sums.
void sum_provinces(Run& run) {
    std::map<std::string, NewProvince*> province;
    for (NewProvince& p : run.provinces) {
        p.offices = p.offices_surplus = 0;
        p.housing_staff.reset();
        province[p.code] = &p;
    }
    for (const NewCommune& c : run.communes) {
        if (const auto it = province.find(c.province); it != province.end()) {
            NewProvince& p = *it->second;
            p.offices += c.offices;
            p.offices_surplus += c.offices_surplus;
            if (c.housing_staff) {
                p.housing_staff = p.housing_staff.value_or(0) + *c.housing_staff;
            }
        }
    }
}

/// A province's offices placed again replace its old ones, in key order as a whole placing
/// makes; `office_of_key` then indexes the province's offices in the run.
void replace_province_offices(Run& run,
                              std::vector<Office> placed,
                              const std::string& province,
                              std::map<std::string, std::size_t>& office_of_key) {
    std::vector<Office> merged;
    merged.reserve(run.offices.size() + placed.size());
    auto next = placed.begin();
    for (Office& o : run.offices) {
        if (o.province == province) {
            continue;
        }
        for (; next != placed.end() && next->key < o.key; ++next) {
            merged.push_back(std::move(*next));
        }
        merged.push_back(std::move(o));
    }
    std::move(next, placed.end(), std::back_inserter(merged));
    run.offices = std::move(merged);
    office_of_key.clear();
    for (std::size_t i = 0; i < run.offices.size(); ++i) {
        if (run.offices[i].province == province) {
            office_of_key.emplace(run.offices[i].key, i);
        }
    }
}

} // namespace

void place_offices(Run& run,
                   const Base& base,
                   const Scenario& scenario,
                   const OfficeParams& params,
                   const StaffingParams* staffing,
                   const std::string* province) {
    const auto in_scope = [&](const std::string& p) {
        return province == nullptr || p == *province;
    };
    run.office_params = params;
    const std::map<std::string, OfficeRow> table = // by base code
        params.table.empty()
            ? std::map<std::string, OfficeRow>{}
            : read_offices(read_table(params.table), old_code_lookup(scenario, base));
    std::optional<std::size_t> official;
    if (!scenario.base.official_code_field.empty()) {
        official = base.loaded.layer.attribute_index(scenario.base.official_code_field);
    }
    // The table's rows by legal unit (a row may name any polygon of its unit).
    std::map<std::string, OfficeRow> by_unit;
    for (const auto& [code, row] : table) {
        by_unit.emplace(legal_unit(base, base.unit(code), official), row);
    }
    std::map<std::string, std::size_t> office_of_key;
    std::vector<Office> placed = offices_of(run, base, official, by_unit, office_of_key, province);
    if (province == nullptr) {
        run.offices = std::move(placed);
    } else {
        replace_province_offices(run, std::move(placed), *province, office_of_key);
    }
    auto office_of = [&](std::uint32_t u) {
        return office_of_key.at(legal_unit(base, u, official));
    };
    std::map<std::string, std::vector<std::size_t>> of_unit;
    for (std::size_t i = 0; i < run.offices.size(); ++i) {
        if (in_scope(run.offices[i].province)) {
            of_unit[run.offices[i].new_code].push_back(i);
        }
    }
    // The old units' population (for the estimated seat) and the seat the mapping names.
    std::vector<double> population(run.offices.size(), 0);
    std::map<std::string, std::size_t> mapping_seat;
    for (const MappedUnit& mu : run.mapping) {
        if (!in_scope(mu.new_province)) {
            continue;
        }
        population[office_of(mu.unit)] += mu.share * base.population[mu.unit].value_or(0);
        if (!scenario.mapping[mu.row].seat.empty()) {
            mapping_seat[mu.new_code] = office_of(base.unit(scenario.mapping[mu.row].seat));
        }
    }
    std::map<std::string, geo::Coord> seat_point;
    for (NewCommune& c : run.communes) {
        if (!in_scope(c.province)) {
            continue;
        }
        const auto mine = of_unit.find(c.code);
        c.offices = mine == of_unit.end() ? 0 : mine->second.size();
        c.offices_surplus = 0;
        c.seat_office.clear();
        c.seat_used.reset();
        c.housing_from_roster = false;
        if (c.offices == 0) {
            continue; // a unit drawn from parts whose polygons went elsewhere
        }
        Office::SeatBy why = Office::SeatBy::none;
        const auto named = mapping_seat.find(c.code);
        const std::size_t seat = choose_seat(
            run.offices,
            mine->second,
            c,
            named == mapping_seat.end() ? std::nullopt : std::optional<std::size_t>(named->second),
            population,
            why);
        Office& s = run.offices[seat];
        s.role = Office::Role::seat;
        s.seat_by = why;
        c.seat_office = s.old_code;
        const geo::Coord at = c.seat_at && c.seat_from_figures ? *c.seat_at : s.at;
        seat_point[c.code] = at;
        c.seat_used = at;
        for (const std::size_t i : mine->second) {
            Office& o = run.offices[i];
            if (i != seat && o.role == Office::Role::seat) {
                o.role = Office::Role::kept; // a second seat in the table: kept, not the seat
            }
            o.km_to_seat = geo::distance(o.at, at) / 1e3;
            c.offices_surplus += o.role == Office::Role::surplus;
        }
    }
    // Housing: each old commune's cadres and civil servants, by the mapping's shares, whose
    // old office lies beyond the threshold from their new unit's seat.
    std::map<std::string, double> housing;
    if (staffing != nullptr && run.staffing) {
        const std::vector<OldCommune>& old = run.staffing->input.old_units;
        for (const MappedUnit& mu : run.mapping) {
            if (!in_scope(mu.new_province)) {
                continue;
            }
            const auto seat = seat_point.find(mu.new_code);
            if (seat == seat_point.end() || mu.unit >= old.size()) {
                continue;
            }
            const Office& office = run.offices[office_of(mu.unit)];
            const OldCommune& oc = old[mu.unit];
            const double staff = oc.cadres_civil_servants.value_or(
                decree33_norm(oc, *staffing).cadres_civil_servants);
            double& need = housing[mu.new_code];
            if (geo::distance(office.at, seat->second) / 1e3 > params.housing_km) {
                need += mu.share * staff;
            }
        }
    }
    for (NewCommune& c : run.communes) {
        if (!in_scope(c.province)) {
            continue;
        }
        c.housing_staff.reset();
        if (staffing != nullptr && run.staffing) {
            c.housing_staff = housing[c.code];
        }
    }
    sum_provinces(run);
}

RosterHousing roster_housing(Run& run,
                             const Base& base,
                             const Scenario& scenario,
                             const std::string& roster_path) {
    if (!run.staffing) {
        throw InternalError("a roster's housing needs the run's staffing");
    }
    const Roster roster = read_roster_file(roster_path, scenario, base, *run.staffing);
    std::vector<std::string> old_codes;
    old_codes.reserve(base.units.size());
    for (const OldUnit& u : base.units) {
        old_codes.push_back(u.code);
    }
    const RosterPlacement placement = place_roster(roster, *run.staffing, old_codes);
    std::optional<std::size_t> official;
    if (!scenario.base.official_code_field.empty()) {
        official = base.loaded.layer.attribute_index(scenario.base.official_code_field);
    }
    std::map<std::string, const Office*> office_of_key;
    for (const Office& o : run.offices) {
        office_of_key.emplace(o.key, &o);
    }
    std::map<std::string, NewCommune*> unit;
    for (NewCommune& c : run.communes) {
        unit[c.code] = &c;
    }
    RosterHousing out;
    out.path = roster_path;
    std::map<std::string, std::size_t> need;
    for (std::size_t k = 0; k < roster.people.size(); ++k) {
        const RosterPerson& p = roster.people[k];
        const std::string& code = run.staffing->codes[placement.unit_of_person[k]];
        need.emplace(code, 0);
        if (p.category == StaffCategory::non_specialised || p.leave != Leave::stays) {
            continue;
        }
        const auto c = unit.find(code);
        if (c == unit.end() || !c->second->seat_used) {
            continue;
        }
        ++out.people;
        std::optional<geo::Coord> from;
        if (p.home_lon && p.home_lat) {
            std::vector<geo::Coord> home = {{*p.home_lon, *p.home_lat}};
            base.loaded.projection->project_in_place(home);
            from = home[0];
            ++out.by_home;
        } else if (const auto o =
                       office_of_key.find(legal_unit(base, base.unit(p.old_unit), official));
                   o != office_of_key.end()) {
            from = o->second->at;
        }
        if (from &&
            geo::distance(*from, *c->second->seat_used) / 1e3 > run.office_params.housing_km) {
            ++need[code];
            ++out.need;
        }
    }
    for (const auto& [code, n] : need) {
        if (const auto c = unit.find(code); c != unit.end()) {
            c->second->housing_staff = static_cast<double>(n);
            c->second->housing_from_roster = true;
        }
    }
    out.units = need.size();
    sum_provinces(run);
    run.housing_roster = out;
    return out;
}

} // namespace amsim::sim
