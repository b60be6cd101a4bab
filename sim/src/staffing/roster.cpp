// A staff roster placed in the new units and compared with their norms.

#include "amsim/sim/staffing/roster.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

namespace amsim::sim {

namespace {

/// A cell's value among named choices, its text however typed (case, diacritics, '_' or
/// ' '); an InputError names the line, column, value and the choices.
template <typename T>
T choice(const CsvTable& t,
         std::size_t r,
         std::size_t c,
         const std::vector<std::pair<const char*, T>>& choices) {
    std::string key = geo::fold(t.rows[r][c]);
    std::replace(key.begin(), key.end(), '_', ' ');
    std::string names;
    for (const auto& [name, value] : choices) {
        std::string n = geo::fold(name);
        std::replace(n.begin(), n.end(), '_', ' ');
        if (n == key) {
            return value;
        }
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    throw InputError(t.where(r) + ", column '" + t.header[c] + "': '" + t.rows[r][c] +
                     "' is none of " + names);
}

/// " ('00001' is: ...)" when a code is a known code without its leading zeros, as a
/// spreadsheet that read the column as numbers leaves it.
std::string lost_zeros(const std::string& code, const std::map<std::string, std::string>& known) {
    const auto padded = zeros_restored(
        code, [&](const std::string& c) { return known.contains(c); }, 6);
    return padded ? "; '" + *padded +
                        "' is: the spreadsheet dropped its leading zeros; format the column as "
                        "Text and type the codes again"
                  : "";
}

/// A whole number in [lo, hi] in a cell, or an InputError naming the line and column.
int whole_cell(const CsvTable& t, std::size_t r, std::size_t c, int lo, int hi) {
    const auto v = geo::parse_number(t.rows[r][c]);
    const std::string where = t.where(r) + ", column '" + t.header[c] + "'";
    if (!v) {
        throw InputError(where + ": '" + t.rows[r][c] + "' is not a number");
    }
    return static_cast<int>(geo::checked_whole(*v, lo, hi, where));
}

/// A birth date as Vietnamese write it (day first: 15/03/1968, 03/1968) or ISO (1968-03-15,
/// 1968-03): its year and month.
std::pair<int, int> birth_date(const CsvTable& t, std::size_t r, std::size_t c) {
    const std::string& v = t.rows[r][c];
    int y = 0, m = 0, d = 0;
    char tail = 0;
    const bool ok = std::sscanf(v.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
                    (std::sscanf(v.c_str(), "%4d-%2d%c", &y, &m, &tail) == 2 && v.size() <= 7) ||
                    std::sscanf(v.c_str(), "%2d/%2d/%4d%c", &d, &m, &y, &tail) == 3 ||
                    (std::sscanf(v.c_str(), "%2d/%4d%c", &m, &y, &tail) == 2 && v.size() <= 7);
    if (!ok || m < 1 || m > 12 || y < 1930 || y > 2010) {
        throw InputError(t.where(r) + ", column '" + t.header[c] + "': '" + v +
                         "' is not a birth date (15/03/1968, 03/1968 or 1968-03-15)");
    }
    return {y, m};
}

/// The columns a leaver's payout reads.
struct PayoutColumns {
    std::optional<std::size_t> lead, birth, sex, si_years, si_months, to_retire, allowance, worked;
    explicit PayoutColumns(const CsvTable& t)
        : lead(t.column("leadership_coefficient")), birth(t.column("birth_date")),
          sex(t.column("sex")), si_years(t.column("si_years")), si_months(t.column("si_months")),
          to_retire(t.column("months_to_retirement")), allowance(t.column("monthly_allowance")),
          worked(t.column("years_worked")) {}

    /// Row r's payout fields into p, each checked for range.
    void read(const CsvTable& t, std::size_t r, RosterPerson& p) const {
        const PayoutColumns& c = *this;
        const auto& row = t.rows[r];
        auto given = [&](const std::optional<std::size_t>& col) {
            return col && !row[*col].empty();
        };
        if (given(c.lead)) {
            const auto v = geo::parse_number(row[*c.lead]);
            const std::string where = t.where(r) + ", column '" + t.header[*c.lead] + "'";
            if (!v) {
                throw InputError(where + ": '" + row[*c.lead] + "' is not a coefficient");
            }
            p.leadership_coefficient = geo::checked_range(*v, 0.0, 2.0, where);
        }
        if (given(c.birth)) {
            const auto [y, m] = birth_date(t, r, *c.birth);
            p.birth_year = y;
            p.birth_month = m;
        }
        if (given(c.sex)) {
            p.female = choice<bool>(
                t, r, *c.sex, {{"male", false}, {"nam", false}, {"female", true}, {"nữ", true}});
        }
        if (given(c.si_years) || given(c.si_months)) {
            p.si_months = (given(c.si_years) ? 12 * whole_cell(t, r, *c.si_years, 0, 50) : 0) +
                          (given(c.si_months) ? whole_cell(t, r, *c.si_months, 0, 11) : 0);
        }
        if (given(c.to_retire)) {
            p.months_to_retirement = whole_cell(t, r, *c.to_retire, 0, 600);
        }
        if (given(c.allowance)) {
            p.monthly_allowance = whole_cell(t, r, *c.allowance, 0, 100'000'000);
        }
        if (given(c.worked)) {
            p.months_worked = 12 * whole_cell(t, r, *c.worked, 0, 50);
        }
    }
};

} // namespace

std::pair<int, int> retirement_month(int birth_year, int birth_month, bool female) {
    // The age required in a year: 2021's, plus 3 (men) or 4 (women) months a year, capped.
    auto required = [&](int year) {
        const int step = female ? 4 : 3, start = female ? 55 * 12 + 4 : 60 * 12 + 3;
        const int cap = female ? 60 * 12 : 62 * 12;
        return std::min(start + step * std::max(0, year - 2021), cap);
    };
    // The first month at which the person's age reaches what its year requires.
    const int born = birth_year * 12 + (birth_month - 1);
    for (int month = born + 55 * 12;; ++month) {
        if (month - born >= required(month / 12)) {
            return {month / 12, month % 12 + 1};
        }
    }
}

namespace {

/// The person's home (columns home_lon, home_lat: WGS 84 degrees), both or neither.
void read_home(const CsvTable& t,
               std::size_t r,
               std::optional<std::size_t> c_lon,
               std::optional<std::size_t> c_lat,
               RosterPerson& p) {
    auto degrees = [&](std::optional<std::size_t> c, double limit) -> std::optional<double> {
        if (!c || t.rows[r][*c].empty()) {
            return std::nullopt;
        }
        const std::string where = t.where(r) + ", column '" + t.header[*c] + "'";
        const auto v = geo::parse_number(t.rows[r][*c]);
        if (!v) {
            throw InputError(where + ": '" + t.rows[r][*c] + "' is not a number of degrees");
        }
        return geo::checked_range(*v, -limit, limit, where);
    };
    p.home_lon = degrees(c_lon, 180);
    p.home_lat = degrees(c_lat, 90);
    if (p.home_lon.has_value() != p.home_lat.has_value()) {
        throw InputError(t.where(r) + ": a home needs both home_lon and home_lat");
    }
}

} // namespace

Roster read_roster(const CsvTable& t,
                   const std::map<std::string, std::string>& old_code_of,
                   const std::vector<std::string>& new_codes) {
    const std::size_t c_old = t.require("old_code");
    const std::size_t c_cat = t.require("category");
    const auto c_id = t.column("id");
    const auto c_name = t.column("name");
    const auto c_new = t.column("new_code");
    const auto c_pos = t.column("position");
    const auto c_coef = t.column("salary_coefficient");
    const auto c_leave = t.column("leave");
    const auto c_home_lon = t.column("home_lon");
    const auto c_home_lat = t.column("home_lat");
    const PayoutColumns payout_columns(t);
    const std::set<std::string> known_new(new_codes.begin(), new_codes.end());
    Roster out;
    out.path = t.path;
    std::set<std::string> ids;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        RosterPerson p;
        p.line = t.lines[r];
        p.id = c_id && !row[*c_id].empty() ? row[*c_id] : "line " + std::to_string(p.line);
        if (c_id && !row[*c_id].empty() && !ids.insert(row[*c_id]).second) {
            throw InputError(t.where(r) + ", column '" + t.header[*c_id] + "': id '" + row[*c_id] +
                             "' is on an earlier line too");
        }
        const auto old = old_code_of.find(row[c_old]);
        if (old == old_code_of.end()) {
            throw InputError(t.where(r) + ", column '" + t.header[c_old] + "': '" + row[c_old] +
                             "' is no old unit of the scenario's base (its code or official "
                             "code)" +
                             lost_zeros(row[c_old], old_code_of));
        }
        p.old_unit = old->second;
        if (c_new && !row[*c_new].empty()) {
            if (!known_new.contains(row[*c_new])) {
                throw InputError(t.where(r) + ", column '" + t.header[*c_new] + "': '" +
                                 row[*c_new] + "' is no new unit of the scenario");
            }
            p.assigned = row[*c_new];
        }
        p.category = choice<StaffCategory>(
            t,
            r,
            c_cat,
            {{"cadre", StaffCategory::cadre},
             {"cán bộ", StaffCategory::cadre},
             {"civil_servant", StaffCategory::civil_servant},
             {"công chức", StaffCategory::civil_servant},
             {"non_specialised", StaffCategory::non_specialised},
             {"không chuyên trách", StaffCategory::non_specialised},
             {"người hoạt động không chuyên trách", StaffCategory::non_specialised}});
        if (c_pos) {
            p.position = row[*c_pos];
        }
        if (c_name) {
            p.name = row[*c_name];
        }
        if (c_coef && !row[*c_coef].empty()) {
            const auto v = geo::parse_number(row[*c_coef]);
            if (!v) {
                throw InputError(t.where(r) + ", column '" + t.header[*c_coef] + "': '" +
                                 row[*c_coef] + "' is not a salary coefficient");
            }
            // The salary scales of Decree 204/2004 run from 1.0 to 10.0 (12.0 with seniority).
            p.salary_coefficient = geo::checked_range(
                *v, 1.0, 12.0, t.where(r) + ", column '" + t.header[*c_coef] + "'");
        }
        if (c_leave && !row[*c_leave].empty()) {
            p.leave = choice<Leave>(t,
                                    r,
                                    *c_leave,
                                    {{"stays", Leave::stays},
                                     {"ở lại", Leave::stays},
                                     {"early_retirement", Leave::early_retirement},
                                     {"nghỉ hưu trước tuổi", Leave::early_retirement},
                                     {"resignation", Leave::resignation},
                                     {"thôi việc", Leave::resignation},
                                     {"nghỉ thôi việc", Leave::resignation},
                                     {"post_ends", Leave::post_ends},
                                     {"chấm dứt", Leave::post_ends}});
            const bool worker = p.category == StaffCategory::non_specialised;
            if (worker != (p.leave == Leave::post_ends)) {
                throw InputError(t.where(r) + ", column '" + t.header[*c_leave] + "': '" +
                                 row[*c_leave] + "' is not how " +
                                 (worker ? "a non-specialised worker leaves (post_ends)"
                                         : "a cadre or civil servant leaves (early_retirement "
                                           "or resignation)"));
            }
        }
        payout_columns.read(t, r, p);
        read_home(t, r, c_home_lon, c_home_lat, p);
        out.people.push_back(std::move(p));
    }
    return out;
}

RosterPayouts
price_roster(const Roster& roster, const RosterPlacement& placement, const LeaveDate& leave) {
    RosterPayouts out;
    out.unit_total.assign(placement.units.size(), 0);
    for (std::size_t k = 0; k < roster.people.size(); ++k) {
        const RosterPerson& p = roster.people[k];
        if (p.leave == Leave::stays) {
            continue;
        }
        LeaverPayout l;
        l.person = k;
        l.months_to_retirement = p.months_to_retirement;
        if (!l.months_to_retirement && p.birth_year && p.female) {
            const auto [y, m] = retirement_month(*p.birth_year, *p.birth_month, *p.female);
            l.months_to_retirement = std::max(0, (y * 12 + m) - (leave.year * 12 + leave.month));
            l.months_estimated = true;
        }
        PayoutPerson who;
        who.salary_coefficient = p.salary_coefficient;
        who.leadership_coefficient = p.leadership_coefficient;
        who.si_months = p.si_months.value_or(0);
        who.months_before_retirement = l.months_to_retirement.value_or(0);
        who.monthly_allowance = p.monthly_allowance;
        who.months_worked = p.months_worked;
        who.decree = p.leave == Leave::post_ends ? Decree::d154 : Decree::d178;
        who.kind = p.leave == Leave::early_retirement ? Departure::early_retirement
                   : p.leave == Leave::resignation    ? Departure::resignation
                                                      : Departure::non_specialised;
        if (!l.months_to_retirement) {
            l.refused = "months to retirement unknown: give birth_date and sex, or "
                        "months_to_retirement";
        } else if (!p.si_months && p.leave != Leave::post_ends) {
            l.refused = "years of social insurance unknown: give si_years (and si_months)";
        } else {
            try {
                l.payout = compute_payout(who);
            } catch (const UsageError& e) {
                l.refused = e.what();
            }
        }
        if (l.payout) {
            out.unit_total[placement.unit_of_person[k]] += l.payout->total;
            out.total += l.payout->total;
        } else {
            ++out.refused;
        }
        out.leavers.push_back(std::move(l));
    }
    return out;
}

Roster read_roster_file(const std::string& path,
                        const Scenario& scenario,
                        const Base& base,
                        const StaffingReport& report) {
    return read_roster(read_table(path), old_code_lookup(scenario, base), report.codes);
}

RosterTotals RosterPlacement::totals() const {
    RosterTotals t;
    for (const bool a : by_assignment) {
        t.assigned += a;
    }
    for (const UnitRoster& u : units) {
        if (u.in_post() + u.non_specialised == 0) {
            continue; // a unit the roster does not cover
        }
        ++t.units;
        t.in_post += u.in_post();
        t.leaving += u.leaving;
        t.norm += static_cast<std::size_t>(u.norm);
        t.over_norm += u.over_norm();
        t.units_over_norm += u.over_norm() > 0;
        t.posts_ending += u.posts_ending;
    }
    return t;
}

RosterPlacement place_roster(const Roster& roster,
                             const StaffingReport& report,
                             const std::vector<std::string>& old_codes) {
    const std::size_t n_new = report.codes.size();
    std::map<std::string, std::size_t> new_index, old_index;
    for (std::size_t i = 0; i < n_new; ++i) {
        new_index.emplace(report.codes[i], i);
    }
    for (std::size_t i = 0; i < old_codes.size(); ++i) {
        old_index.emplace(old_codes[i], i);
    }
    // The new unit that keeps each old unit: the largest share, the first link on a tie.
    std::vector<std::size_t> keeper(old_codes.size(), n_new);
    std::vector<double> best(old_codes.size(), -1);
    for (const StaffingInput::Link& l : report.input.links) {
        if (l.share > best[l.old_index]) {
            best[l.old_index] = l.share;
            keeper[l.old_index] = l.new_index;
        }
    }
    RosterPlacement out;
    out.units.resize(n_new);
    for (std::size_t i = 0; i < n_new && i < report.result.communes.size(); ++i) {
        out.units[i].norm = report.result.communes[i].norm;
    }
    for (const RosterPerson& p : roster.people) {
        std::size_t unit = n_new;
        if (!p.assigned.empty()) {
            const auto it = new_index.find(p.assigned);
            if (it == new_index.end()) {
                throw InputError(roster.path + ":" + std::to_string(p.line) + ": new unit '" +
                                 p.assigned + "' is outside the units staffed here");
            }
            unit = it->second;
        } else if (const auto it = old_index.find(p.old_unit); it != old_index.end()) {
            unit = keeper[it->second];
        }
        if (unit >= n_new) {
            throw InputError(roster.path + ":" + std::to_string(p.line) + ": old unit '" +
                             p.old_unit + "' goes to no new unit staffed here; give new_code");
        }
        out.unit_of_person.push_back(unit);
        out.by_assignment.push_back(!p.assigned.empty());
        UnitRoster& u = out.units[unit];
        switch (p.category) {
        case StaffCategory::cadre:
            ++u.cadres;
            break;
        case StaffCategory::civil_servant:
            ++u.civil_servants;
            break;
        case StaffCategory::non_specialised:
            ++u.non_specialised;
            break;
        }
        u.leaving += p.leave == Leave::early_retirement || p.leave == Leave::resignation;
        u.posts_ending += p.leave == Leave::post_ends;
    }
    return out;
}

namespace {

/// The report of leavers in the layout a province sends upward.
std::vector<geo::OutputField> leavers_report(const Roster& roster,
                                             const RosterPlacement& placement,
                                             const RosterPayouts& payouts,
                                             const StaffingReport& report) {
    using K = geo::OutputField::Kind;
    std::vector<geo::OutputField> f = {{"STT", K::integer, {}},
                                       {"Họ và tên", K::string, {}},
                                       {"Chức vụ", K::string, {}},
                                       {"Đơn vị cũ (mã)", K::string, {}},
                                       {"Đơn vị mới", K::string, {}},
                                       {"Đối tượng", K::string, {}},
                                       {"Hình thức nghỉ", K::string, {}},
                                       {"Căn cứ", K::string, {}},
                                       {"Hệ số lương", K::real, {}},
                                       {"Số tháng nghỉ trước tuổi", K::integer, {}},
                                       {"Số năm đóng BHXH", K::real, {}},
                                       {"Tiền lương tháng (đồng)", K::integer, {}},
                                       {"Kinh phí chi trả (đồng)", K::integer, {}},
                                       {"Ghi chú", K::string, {}}};
    std::int64_t n = 0;
    for (const LeaverPayout& l : payouts.leavers) {
        const RosterPerson& p = roster.people[l.person];
        const std::size_t unit = placement.unit_of_person[l.person];
        const bool worker = p.leave == Leave::post_ends;
        std::string note = l.refused.empty() ? "" : "Chưa tính được: " + l.refused;
        if (l.months_estimated) {
            note += std::string(note.empty() ? "" : "; ") +
                    "số tháng tính theo ngày sinh và lộ trình tuổi nghỉ hưu";
        }
        const std::vector<geo::AttributeValue> row = {
            ++n,
            p.name.empty() ? p.id : p.name,
            p.position,
            p.old_unit,
            report.names[unit] + " (" + report.codes[unit] + ")",
            std::string(p.category == StaffCategory::cadre           ? "Cán bộ"
                        : p.category == StaffCategory::civil_servant ? "Công chức"
                                                                     : "Người hoạt động không "
                                                                       "chuyên trách"),
            std::string(p.leave == Leave::early_retirement ? "Nghỉ hưu trước tuổi"
                        : p.leave == Leave::resignation    ? "Nghỉ thôi việc"
                                                           : "Chấm dứt hoạt động"),
            std::string(worker ? "Nghị định 154/2025/NĐ-CP, Điều 9"
                               : "Nghị định 178/2024/NĐ-CP (sửa đổi bởi Nghị định 67/2025/NĐ-CP)"),
            p.salary_coefficient > 0 ? geo::AttributeValue(p.salary_coefficient)
                                     : geo::AttributeValue{},
            l.months_to_retirement ? geo::AttributeValue(std::int64_t{*l.months_to_retirement})
                                   : geo::AttributeValue{},
            p.si_months ? geo::AttributeValue(*p.si_months / 12.0) : geo::AttributeValue{},
            l.payout ? geo::AttributeValue(l.payout->monthly_salary) : geo::AttributeValue{},
            l.payout ? geo::AttributeValue(l.payout->total) : geo::AttributeValue{},
            note};
        geo::append_row(f, row);
    }
    // The total, as the last row.
    for (std::size_t c = 0; c < f.size(); ++c) {
        f[c].values.emplace_back(c == 1    ? geo::AttributeValue(std::string("Tổng cộng"))
                                 : c == 12 ? geo::AttributeValue(payouts.total)
                                 : c == 13 && payouts.refused > 0
                                     ? geo::AttributeValue(std::to_string(payouts.refused) +
                                                           " người chưa tính được kinh phí")
                                     : geo::AttributeValue{});
    }
    return f;
}

/// The roster per new province, and the nation's total row.
std::vector<geo::OutputField> province_totals(const RosterPlacement& placement,
                                              const RosterPayouts& payouts,
                                              const StaffingReport& report) {
    using K = geo::OutputField::Kind;
    struct Sum {
        std::int64_t units = 0, people = 0, in_post = 0, leaving = 0, over_norm = 0,
                     posts_ending = 0, priced = 0, refused = 0, payout = 0;
        void add(const Sum& o) {
            units += o.units;
            people += o.people;
            in_post += o.in_post;
            leaving += o.leaving;
            over_norm += o.over_norm;
            posts_ending += o.posts_ending;
            priced += o.priced;
            refused += o.refused;
            payout += o.payout;
        }
    };
    std::map<std::string, Sum> by;
    for (std::size_t i = 0; i < placement.units.size(); ++i) {
        const UnitRoster& u = placement.units[i];
        if (u.in_post() + u.non_specialised == 0) {
            continue;
        }
        Sum& s = by[report.result.communes[i].province];
        s.units += 1;
        s.people += static_cast<std::int64_t>(u.in_post() + u.non_specialised);
        s.in_post += static_cast<std::int64_t>(u.in_post());
        s.leaving += static_cast<std::int64_t>(u.leaving);
        s.over_norm += static_cast<std::int64_t>(u.over_norm());
        s.posts_ending += static_cast<std::int64_t>(u.posts_ending);
        s.payout += payouts.unit_total[i];
    }
    for (const LeaverPayout& l : payouts.leavers) {
        Sum& s = by[report.result.communes[placement.unit_of_person[l.person]].province];
        (l.payout ? s.priced : s.refused) += 1;
    }
    std::vector<geo::OutputField> t = {{"province_code", K::string, {}},
                                       {"units", K::integer, {}},
                                       {"people", K::integer, {}},
                                       {"in_post", K::integer, {}},
                                       {"leaving", K::integer, {}},
                                       {"over_norm", K::integer, {}},
                                       {"posts_ending", K::integer, {}},
                                       {"leavers_priced", K::integer, {}},
                                       {"leavers_refused", K::integer, {}},
                                       {"payout_vnd", K::integer, {}}};
    Sum all;
    auto push = [&](const std::string& code, const Sum& s) {
        const std::vector<geo::AttributeValue> row = {code,
                                                      s.units,
                                                      s.people,
                                                      s.in_post,
                                                      s.leaving,
                                                      s.over_norm,
                                                      s.posts_ending,
                                                      s.priced,
                                                      s.refused,
                                                      s.payout};
        geo::append_row(t, row);
    };
    for (const auto& [code, s] : by) {
        push(code, s);
        all.add(s);
    }
    push("total", all);
    return t;
}

} // namespace

RosterRun run_roster(const std::string& path,
                     const Scenario& scenario,
                     const Base& base,
                     const StaffingReport& report,
                     const LeaveDate& leave) {
    RosterRun out;
    out.roster = read_roster_file(path, scenario, base, report);
    std::vector<std::string> old_codes;
    old_codes.reserve(base.loaded.layer.units.size());
    for (const geo::Unit& u : base.loaded.layer.units) {
        old_codes.push_back(u.code);
    }
    out.placement = place_roster(out.roster, report, old_codes);
    out.payouts = price_roster(out.roster, out.placement, leave);
    return out;
}

RosterTables roster_tables(const Roster& roster,
                           const RosterPlacement& placement,
                           const RosterPayouts& payouts,
                           const StaffingReport& report) {
    using K = geo::OutputField::Kind;
    auto whole = [](std::size_t n) { return geo::AttributeValue(static_cast<std::int64_t>(n)); };
    RosterTables t;
    t.units = {{"code", K::string, {}},
               {"name", K::string, {}},
               {"norm", K::integer, {}},
               {"cadres", K::integer, {}},
               {"civil_servants", K::integer, {}},
               {"in_post", K::integer, {}},
               {"leaving", K::integer, {}},
               {"over_norm", K::integer, {}},
               {"non_specialised", K::integer, {}},
               {"posts_ending", K::integer, {}},
               {"payout_vnd", K::integer, {}}};
    for (std::size_t i = 0; i < placement.units.size(); ++i) {
        const UnitRoster& u = placement.units[i];
        if (u.in_post() + u.non_specialised == 0) {
            continue; // a unit the roster does not cover
        }
        const std::vector<geo::AttributeValue> row = {report.codes[i],
                                                      report.names[i],
                                                      static_cast<std::int64_t>(u.norm),
                                                      whole(u.cadres),
                                                      whole(u.civil_servants),
                                                      whole(u.in_post()),
                                                      whole(u.leaving),
                                                      whole(u.over_norm()),
                                                      whole(u.non_specialised),
                                                      whole(u.posts_ending),
                                                      payouts.unit_total[i]};
        geo::append_row(t.units, row);
    }
    t.people = {{"id", K::string, {}},
                {"line", K::integer, {}},
                {"old_code", K::string, {}},
                {"new_code", K::string, {}},
                {"placed_by", K::string, {}},
                {"category", K::string, {}},
                {"position", K::string, {}},
                {"leave", K::string, {}}};
    for (std::size_t k = 0; k < roster.people.size(); ++k) {
        const RosterPerson& p = roster.people[k];
        const char* category = p.category == StaffCategory::cadre           ? "cadre"
                               : p.category == StaffCategory::civil_servant ? "civil_servant"
                                                                            : "non_specialised";
        const char* leave = p.leave == Leave::stays              ? "stays"
                            : p.leave == Leave::early_retirement ? "early_retirement"
                            : p.leave == Leave::resignation      ? "resignation"
                                                                 : "post_ends";
        const std::vector<geo::AttributeValue> row = {
            p.id,
            whole(p.line),
            p.old_unit,
            report.codes[placement.unit_of_person[k]],
            std::string(placement.by_assignment[k] ? "assignment" : "mapping"),
            std::string(category),
            p.position,
            std::string(leave)};
        geo::append_row(t.people, row);
    }
    t.payouts = {{"id", K::string, {}},
                 {"line", K::integer, {}},
                 {"new_code", K::string, {}},
                 {"leave", K::string, {}},
                 {"decree", K::string, {}},
                 {"months_to_retirement", K::integer, {}},
                 {"months_estimated", K::integer, {}},
                 {"monthly_salary_vnd", K::integer, {}},
                 {"components", K::string, {}},
                 {"payout_vnd", K::integer, {}},
                 {"refused", K::string, {}}};
    t.leavers = leavers_report(roster, placement, payouts, report);
    t.provinces = province_totals(placement, payouts, report);
    for (const LeaverPayout& l : payouts.leavers) {
        const RosterPerson& p = roster.people[l.person];
        std::string components;
        for (const PayoutComponent& c :
             l.payout ? l.payout->components : std::vector<PayoutComponent>{}) {
            components += (components.empty() ? "" : "; ") + c.name + " = " + c.formula + " = " +
                          std::to_string(c.amount);
        }
        const std::vector<geo::AttributeValue> row = {
            p.id,
            whole(p.line),
            report.codes[placement.unit_of_person[l.person]],
            std::string(p.leave == Leave::early_retirement ? "early_retirement"
                        : p.leave == Leave::resignation    ? "resignation"
                                                           : "post_ends"),
            std::string(p.leave == Leave::post_ends ? "154/2025/ND-CP Art. 9"
                                                    : "178/2024/ND-CP as amended by 67/2025"),
            l.months_to_retirement ? geo::AttributeValue(std::int64_t{*l.months_to_retirement})
                                   : geo::AttributeValue{},
            std::int64_t{l.months_estimated ? 1 : 0},
            l.payout ? geo::AttributeValue(l.payout->monthly_salary) : geo::AttributeValue{},
            components,
            l.payout ? geo::AttributeValue(l.payout->total) : geo::AttributeValue{},
            l.refused};
        geo::append_row(t.payouts, row);
    }
    return t;
}

} // namespace amsim::sim
