#include "amsim/sim/serve/session.hpp"

#include "amsim/geo/simplify.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/plans/propose.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "session_state.hpp"

namespace amsim::sim {

namespace {

using nlohmann::json;

constexpr std::size_t max_units_per_edit = 100000;

/// A point inside a unit: the middle of the widest stretch of its largest polygon along the
/// horizontal line through that polygon's centre.
geo::Coord inside_point(const geo::PolygonSet& set, std::size_t part) {
    std::size_t best = set.part_begin(part);
    double best_area = -1;
    for (std::uint32_t q = set.part_begin(part); q < set.part_end(part); ++q) {
        const double a = std::abs(geo::signed_area(set.ring(set.polygon_begin(q))));
        if (a > best_area) {
            best_area = a;
            best = q;
        }
    }
    if (best_area < 0) {
        return {};
    }
    geo::Envelope env;
    for (const geo::Coord& c : set.ring(set.polygon_begin(best))) {
        env.expand(c);
    }
    const double y = (env.miny + env.maxy) / 2;
    std::vector<double> xs;
    for (std::uint32_t r = set.polygon_begin(best); r < set.polygon_end(best); ++r) {
        const auto ring = set.ring(r);
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const geo::Coord& a = ring[i];
            const geo::Coord& b = ring[(i + 1) % ring.size()];
            if ((a.y > y) != (b.y > y)) {
                xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
            }
        }
    }
    std::sort(xs.begin(), xs.end());
    geo::Coord out{(env.minx + env.maxx) / 2, y};
    double widest = -1;
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2) {
        if (xs[i + 1] - xs[i] > widest) {
            widest = xs[i + 1] - xs[i];
            out.x = (xs[i] + xs[i + 1]) / 2;
        }
    }
    return out;
}

/// The cadres and civil servants each old unit brings to whichever new unit takes it (its
/// own and its share of its district's), by the staffing model with every old unit its own
/// new unit: what a unit brings does not depend on its partners.
std::vector<double> staff_per_unit(const Scenario& s,
                                   const ScenarioCheck& check,
                                   const Base& base,
                                   const std::vector<EditorUnit>& units,
                                   const StaffingParams& params) {
    std::vector<std::string> province;
    province.reserve(units.size());
    for (const EditorUnit& u : units) {
        province.push_back(u.province);
    }
    const std::vector<NewUnitStaff> staff =
        staff_per_old_unit(s, check, base.loaded, province, params);
    const std::size_t n = staff.size();
    std::vector<double> out(n, 0);
    for (std::size_t u = 0; u < n; ++u) {
        out[u] = staff[u].staffed();
    }
    return out;
}

std::vector<std::string> string_list(const json& request, const char* key) {
    const auto it = request.find(key);
    if (it == request.end() || !it->is_array() || it->empty()) {
        throw EditError(400, std::string("'") + key + "' must be a non-empty list of unit codes");
    }
    if (it->size() > max_units_per_edit) {
        throw EditError(400, std::string("'") + key + "' lists too many units");
    }
    std::vector<std::string> out;
    for (const json& v : *it) {
        if (!v.is_string()) {
            throw EditError(400, std::string("'") + key + "' must list unit codes as text");
        }
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::string string_field(const json& request, const char* key) {
    const auto it = request.find(key);
    if (it == request.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw EditError(400, std::string("'") + key + "' must be given as text");
    }
    return it->get<std::string>();
}

/// The province's mapping rows as an edit changes them, then settled (seats, names, types)
/// and compared with the plan to make the change.
class Draft {
public:
    Draft(const EditSession::Impl& s, std::string province)
        : m_s(s), m_province(std::move(province)) {
        for (const std::uint32_t u : s.units_of_province.at(m_province)) {
            for (const std::size_t r : s.units[u].rows) {
                m_rows.emplace(r, s.scenario.mapping[r]);
            }
        }
        m_before = groups();
    }

    [[nodiscard]] const std::string& group_of(std::uint32_t unit) const {
        return m_rows.at(m_s.units[unit].rows.front()).new_code;
    }

    /// Moves a unit (all its rows) into group `to`, named and typed as that group is.
    void move(std::uint32_t unit, const std::string& to) {
        if (group_of(unit) == to) {
            return; // already there
        }
        const MappingRow* target = nullptr;
        for (const auto& [r, row] : m_rows) {
            if (row.new_code == to) {
                target = &row;
                break;
            }
        }
        const std::string name = target != nullptr ? target->new_name : to;
        const UnitType type = target != nullptr ? target->new_type : UnitType::xa;
        for (const std::size_t r : m_s.units[unit].rows) {
            MappingRow& row = m_rows.at(r);
            row.new_code = to;
            row.new_name = name;
            row.new_type = type;
            row.seat.clear();
        }
        m_touched.insert(to);
    }

    /// Puts units into a new group of their own (code made unique in the scenario).
    std::string make_group(const std::vector<std::uint32_t>& members, std::string name) {
        std::set<std::string> used;
        for (const MappingRow& row : m_s.scenario.mapping) {
            used.insert(row.new_code);
        }
        for (const auto& [r, row] : m_rows) {
            used.insert(row.new_code);
        }
        std::string code;
        for (std::size_t k = 1; code.empty() || used.contains(code); ++k) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s-M%zu", m_province.c_str(), k);
            code = buf;
        }
        const bool ward = std::any_of(members.begin(), members.end(), [&](std::uint32_t u) {
            return m_s.units[u].type == UnitType::phuong;
        });
        const UnitType type = ward ? UnitType::phuong : UnitType::xa;
        if (name.empty()) {
            name = titled(type, m_s.base.loaded.layer.units[most_populous(members)].name);
        }
        for (const std::uint32_t u : members) {
            move(u, code);
            for (const std::size_t r : m_s.units[u].rows) {
                m_rows.at(r).new_name = name;
                m_rows.at(r).new_type = type;
            }
        }
        m_fresh.insert(code);
        return code;
    }

    void rename(const std::string& group, const std::string& name, std::optional<UnitType> type) {
        for (auto& [r, row] : m_rows) {
            if (row.new_code == group) {
                row.new_name = name;
                row.new_type = type.value_or(row.new_type);
            }
        }
    }

    /// New group code -> its old units, now.
    [[nodiscard]] std::map<std::string, std::vector<std::uint32_t>> groups() const {
        std::map<std::string, std::vector<std::uint32_t>> out;
        for (const std::uint32_t u : m_s.units_of_province.at(m_province)) {
            out[group_of(u)].push_back(u);
        }
        return out;
    }

    /// Refuses a draft that empties a group the edit did not mean to remove.
    void require_not_emptied(const std::set<std::string>& removable) const {
        const auto after = groups();
        for (const auto& [code, members] : m_before) {
            if (!after.contains(code) && !removable.contains(code)) {
                throw EditError(
                    422,
                    "this would leave " + code + " (" +
                        m_s.scenario.mapping[m_s.units[members.front()].rows.front()].new_name +
                        ") with no unit: merge or dissolve it instead");
            }
        }
    }

    /// The change: seats settled in the groups the edit touched, then the rows that differ.
    [[nodiscard]] Change change(std::string what) {
        settle_seats();
        Change c;
        c.province = m_province;
        c.what = std::move(what);
        for (const auto& [r, row] : m_rows) {
            const MappingRow& now = m_s.scenario.mapping[r];
            if (row.new_code != now.new_code || row.new_name != now.new_name ||
                row.new_type != now.new_type || row.seat != now.seat) {
                c.before.emplace_back(r, now);
                c.after.emplace_back(r, row);
            }
        }
        return c;
    }

private:
    /// The member with the most people (the first of equals): a new group's name and seat.
    [[nodiscard]] std::uint32_t most_populous(const std::vector<std::uint32_t>& members) const {
        return *std::max_element(members.begin(), members.end(), [&](auto a, auto b) {
            return m_s.units[a].population.value_or(0) < m_s.units[b].population.value_or(0);
        });
    }

    /// A group whose seat left it (or a new group) takes its most populous member's.
    void settle_seats() {
        const auto now = groups();
        for (const auto& [code, members] : now) {
            std::string seat;
            std::vector<std::size_t> rows;
            for (const auto& [r, row] : m_rows) {
                if (row.new_code == code) {
                    rows.push_back(r);
                    seat = seat.empty() ? row.seat : seat;
                }
            }
            const bool member = std::any_of(members.begin(), members.end(), [&](std::uint32_t u) {
                return m_s.base.loaded.layer.units[u].code == seat;
            });
            const bool lost = !seat.empty() && !member;
            const bool changed = m_touched.contains(code) || lost;
            if (member || (seat.empty() && !m_fresh.contains(code) && !changed)) {
                continue;
            }
            if (seat.empty() && !m_fresh.contains(code) && !lost) {
                continue; // a group without a seat keeps none
            }
            for (const std::size_t r : rows) {
                m_rows.at(r).seat.clear();
            }
            m_rows.at(rows.front()).seat = m_s.base.loaded.layer.units[most_populous(members)].code;
        }
    }

    const EditSession::Impl& m_s;
    std::string m_province;
    std::map<std::size_t, MappingRow> m_rows;
    std::map<std::string, std::vector<std::uint32_t>> m_before;
    std::set<std::string> m_touched, m_fresh;
};

void require_unlocked(const EditSession::Impl& s, const std::vector<std::uint32_t>& units) {
    for (const std::uint32_t u : units) {
        const std::string& code = s.base.loaded.layer.units[u].code;
        if (s.locked.contains(code)) {
            throw EditError(422,
                            "unit " + code + " (" + s.base.loaded.layer.units[u].name +
                                ") is locked: unlock it first");
        }
        if (s.units[u].rows.size() > 1) {
            throw EditError(422,
                            "unit " + code +
                                " is shared between new units in the mapping (share column): "
                                "edit its rows in the mapping file");
        }
    }
}

/// Gives each member of a dissolved group to the neighbouring group it shares the longest
/// border with, the best-placed first, until none is left.
void dissolve_into_neighbours(const EditSession::Impl& s,
                              Draft& draft,
                              const std::string& group,
                              std::vector<std::uint32_t> members) {
    while (!members.empty()) {
        double longest = -1;
        std::size_t pick = 0;
        std::string to;
        for (std::size_t i = 0; i < members.size(); ++i) {
            for (const auto& [v, km] : s.neighbours[members[i]]) {
                if (s.units[v].province == s.units[members[i]].province &&
                    draft.group_of(v) != group && km > longest) {
                    longest = km;
                    pick = i;
                    to = draft.group_of(v);
                }
            }
        }
        if (to.empty()) {
            throw EditError(422,
                            group + " has no neighbour in the province to take its units " +
                                "(an island): move them by hand");
        }
        draft.move(members[pick], to);
        members.erase(members.begin() + static_cast<std::ptrdiff_t>(pick));
    }
}

} // namespace

EditSession::EditSession(const SessionOptions& options) : m(std::make_unique<Impl>()) {
    Impl& s = *m;
    s.options = options;
    s.scenario = options.scenario;
    s.loaded = s.scenario.mapping;
    BaseOptions bo;
    bo.source = options.source;
    bo.progress = options.progress;
    s.base = load_base(s.scenario.base, bo);
    s.check = require_checked(s.scenario, s.base);
    // Figures that describe the plan as loaded follow its units by their old units once edited.
    const bool figures =
        !s.scenario.commune_figures_path.empty() || !s.scenario.regions_path.empty();
    if (figures && s.scenario.figures_unit_of_members.empty()) {
        for (const auto& [code, rows] : s.check.members) {
            std::vector<std::string> old_codes;
            for (const std::size_t r : rows) {
                old_codes.push_back(s.scenario.mapping[r].old_code);
            }
            s.scenario.figures_unit_of_members.emplace(members_key(old_codes), code);
        }
    }
    BuildOptions build;
    build.staffing = false;
    build.progress = options.progress;
    s.run = build_run(s.base, s.scenario, s.check, options.profile, build);
    const geo::UnitLayer& layer = s.base.loaded.layer;
    s.units.resize(layer.units.size());
    std::vector<geo::Coord> labels(layer.units.size());
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        EditorUnit& e = s.units[u];
        e.province = s.check.new_province_of.at(s.base.units[u].province);
        e.area_km2 = s.base.loaded.unit_area_m2[u] / 1e6;
        e.population = s.base.population[u];
        e.type =
            unit_type_of(layer.units[u].type.empty() ? layer.units[u].name : layer.units[u].type);
        e.mountain = s.base.region[u] == "mountain";
        labels[u] = inside_point(layer.geometry, u);
        s.units_of_province[e.province].push_back(static_cast<std::uint32_t>(u));
    }
    geo::to_lonlat(layer.crs_wkt, labels);
    for (std::size_t r = 0; r < s.scenario.mapping.size(); ++r) {
        s.units[s.base.unit(s.scenario.mapping[r].old_code)].rows.push_back(r);
    }
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        s.units[u].label = labels[u];
    }
    const std::vector<double> staff =
        staff_per_unit(s.scenario, s.check, s.base, s.units, s.staffing);
    for (std::size_t u = 0; u < staff.size(); ++u) {
        s.units[u].staff = staff[u];
    }
    s.neighbours.resize(layer.units.size());
    for (const geo::Adjacency& a : s.base.loaded.topology.adjacency()) {
        s.neighbours[a.a].emplace_back(a.b, a.length / 1e3);
        s.neighbours[a.b].emplace_back(a.a, a.length / 1e3);
    }
    for (const auto& [code, province] : s.check.province_of_new) {
        ++s.target[province];
    }
    s.save_path =
        s.scenario.overrides_path.empty() ? s.scenario.mapping_path : s.scenario.overrides_path;
    s.save_sha256 = sha256_file(s.save_path);
    s.saved_rows = s.scenario.mapping;
    if (!s.scenario.overrides_path.empty()) {
        for (const MappingRow& row : read_mapping(s.scenario.overrides_path)) {
            s.override_units.insert(row.old_code);
        }
    }
}

EditSession::~EditSession() = default;
EditSession::EditSession(EditSession&&) noexcept = default;
EditSession& EditSession::operator=(EditSession&&) noexcept = default;

std::uint64_t EditSession::version() const {
    return m->version;
}

void EditSession::Impl::require_version(const json& request) const {
    const auto it = request.find("version");
    if (it == request.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0) {
        throw EditError(400, "'version' must be given: the plan's version the page shows");
    }
    if (it->get<std::uint64_t>() != version) {
        throw EditError(409,
                        "the plan has changed since this page was drawn (version " +
                            std::to_string(version) + ", the page's " +
                            std::to_string(it->get<std::uint64_t>()) +
                            "): another tab or window edited it; reload to see its changes");
    }
}

const std::string& EditSession::Impl::require_province(const json& request) const {
    const std::string code = string_field(request, "province");
    const auto it = units_of_province.find(code);
    if (it == units_of_province.end()) {
        throw EditError(404, "no new province '" + code + "' in scenario '" + scenario.name + "'");
    }
    if (!options.province.empty() && code != options.province) {
        throw EditError(403,
                        "this session edits province " + options.province + " only (--province)");
    }
    return it->first;
}

std::uint32_t EditSession::Impl::require_unit(const std::string& code,
                                              const std::string& province) const {
    const auto it = base.unit_of_code.find(code);
    if (it == base.unit_of_code.end()) {
        throw EditError(404, "no old unit '" + code + "' in the base layer");
    }
    if (units[it->second].province != province) {
        throw EditError(422,
                        "unit " + code + " is in province " + units[it->second].province +
                            ", not " + province + ": units move within their new province");
    }
    return it->second;
}

std::map<std::string, std::vector<std::uint32_t>>
EditSession::Impl::members(const std::string& province) const {
    std::map<std::string, std::vector<std::uint32_t>> out;
    for (const std::uint32_t u : units_of_province.at(province)) {
        out[new_code_of(*this, u)].push_back(u);
    }
    return out;
}

void EditSession::Impl::refresh(const std::string& province) {
    for (auto it = check.province_of_new.begin(); it != check.province_of_new.end();) {
        if (it->second == province) {
            check.members.erase(it->first);
            it = check.province_of_new.erase(it);
        } else {
            ++it;
        }
    }
    for (const std::uint32_t u : units_of_province.at(province)) {
        for (const std::size_t r : units[u].rows) {
            check.members[scenario.mapping[r].new_code].push_back(r);
            check.province_of_new[scenario.mapping[r].new_code] = province;
        }
    }
    for (const auto& [code, p] : check.province_of_new) {
        if (p == province) {
            std::sort(check.members[code].begin(), check.members[code].end());
        }
    }
    rebuild_province(run, base, scenario, check, options.profile, province);
}

void EditSession::Impl::apply(Change change) {
    for (const auto& [r, row] : change.after) {
        scenario.mapping[r] = row;
    }
    refresh(change.province);
    edited_provinces.insert(change.province);
    undo.push_back(std::move(change));
    ++version;
}

namespace {

/// Undoes or redoes the province's last change.
json step_back_or_forth(EditSession::Impl& s, const std::string& op, const std::string& province) {
    std::set<std::string> changed;
    auto& from = op == "undo" ? s.undo : s.redo;
    auto& to = op == "undo" ? s.redo : s.undo;
    if (from.empty() || from.back().province != province) {
        throw EditError(422, "nothing to " + op + " in this province");
    }
    Change c = std::move(from.back());
    from.pop_back();
    for (const auto& [r, row] : op == "undo" ? c.before : c.after) {
        s.scenario.mapping[r] = row;
    }
    for (const auto* rows : {&c.before, &c.after}) {
        for (const auto& [r, row] : *rows) {
            changed.insert(row.new_code);
        }
    }
    s.refresh(province);
    to.push_back(std::move(c));
    ++s.version;
    json out = s.state_of(province);
    out["changed"] = changed;
    return out;
}

/// Locks or unlocks old units (no change to the plan: not undoable).
json lock_units(EditSession::Impl& s, const json& request, const std::string& province) {
    const auto it = request.find("locked");
    const bool lock = it == request.end() || (it->is_boolean() && it->get<bool>());
    for (const std::string& code : string_list(request, "units")) {
        (void)s.require_unit(code, province);
        if (lock) {
            s.locked.insert(code);
        } else {
            s.locked.erase(code);
        }
    }
    ++s.version;
    return s.state_of(province);
}

/// Applies a plan edit (move, new, merge, dissolve, rename) to the draft; returns what it did.
std::string draft_edit(const EditSession::Impl& s,
                       Draft& draft,
                       const json& request,
                       const std::string& province,
                       std::set<std::string>& changed,
                       std::set<std::string>& removable) {
    const std::string op = string_field(request, "op");
    std::string what;
    const auto units_of = [&](const char* key) {
        std::vector<std::uint32_t> out;
        for (const std::string& code : string_list(request, key)) {
            out.push_back(s.require_unit(code, province));
        }
        return out;
    };
    const auto groups = s.members(province);
    const auto require_group = [&](const std::string& code) -> const std::vector<std::uint32_t>& {
        const auto it = groups.find(code);
        if (it == groups.end()) {
            throw EditError(404, "no new unit '" + code + "' in province " + province);
        }
        return it->second;
    };
    if (op == "move") {
        const std::vector<std::uint32_t> moved = units_of("units");
        const std::string to = string_field(request, "to");
        require_group(to);
        require_unlocked(s, moved);
        for (const std::uint32_t u : moved) {
            changed.insert(draft.group_of(u));
            draft.move(u, to);
        }
        changed.insert(to);
        what = "move " + std::to_string(moved.size()) + " unit(s) to " + to;
    } else if (op == "new") {
        const std::vector<std::uint32_t> moved = units_of("units");
        require_unlocked(s, moved);
        for (const std::uint32_t u : moved) {
            changed.insert(draft.group_of(u));
        }
        const auto name = request.find("name");
        const std::string code = draft.make_group(
            moved, name != request.end() && name->is_string() ? name->get<std::string>() : "");
        changed.insert(code);
        what = "new unit " + code;
    } else if (op == "merge") {
        const std::string keep = string_field(request, "unit");
        const std::string gone = string_field(request, "with");
        require_group(keep);
        const std::vector<std::uint32_t>& absorbed = require_group(gone);
        if (keep == gone) {
            throw EditError(422, "a unit cannot be merged with itself");
        }
        require_unlocked(s, absorbed);
        for (const std::uint32_t u : absorbed) {
            draft.move(u, keep);
        }
        removable.insert(gone);
        changed = {keep, gone};
        what = "merge " + gone + " into " + keep;
    } else if (op == "dissolve") {
        const std::string gone = string_field(request, "unit");
        const std::vector<std::uint32_t>& members = require_group(gone);
        require_unlocked(s, members);
        dissolve_into_neighbours(s, draft, gone, members);
        removable.insert(gone);
        for (const std::uint32_t u : members) {
            changed.insert(draft.group_of(u));
        }
        changed.insert(gone);
        what = "dissolve " + gone;
    } else if (op == "rename") {
        const std::string code = string_field(request, "unit");
        require_group(code);
        std::optional<UnitType> type;
        if (const auto t = request.find("type"); t != request.end()) {
            if (!t->is_string()) {
                throw EditError(400, "'type' must be xa, phuong or dac_khu");
            }
            try {
                type = parse_unit_type(t->get<std::string>(), "the request", "type");
            } catch (const Error& e) {
                throw EditError(400, e.what());
            }
        }
        draft.rename(code, geo::nfc(string_field(request, "name")), type);
        changed.insert(code);
        what = "rename " + code;
    } else {
        throw EditError(
            400, "unknown op '" + op + "': move, new, merge, dissolve, rename, lock, undo or redo");
    }
    return what;
}

} // namespace

json EditSession::edit(const json& request) {
    Impl& s = *m;
    if (!request.is_object()) {
        throw EditError(400, R"(an edit is a JSON object: {"version", "province", "op", ...})");
    }
    s.require_version(request);
    const std::string province = s.require_province(request);
    const std::string op = string_field(request, "op");
    if (op == "undo" || op == "redo") {
        return step_back_or_forth(s, op, province);
    }
    if (op == "lock") {
        return lock_units(s, request, province);
    }
    Draft draft(s, province);
    std::set<std::string> changed, removable;
    const std::string what = draft_edit(s, draft, request, province, changed, removable);
    draft.require_not_emptied(removable);
    Change change = draft.change(what);
    if (change.after.empty()) {
        throw EditError(422, "this changes nothing in the plan");
    }
    s.apply(std::move(change));
    s.redo.clear();
    json out = s.state_of(province);
    out["changed"] = changed;
    return out;
}

json EditSession::propose(const json& request) {
    Impl& s = *m;
    s.require_version(request);
    const std::string province = s.require_province(request);
    std::size_t target = s.target.at(province);
    if (const auto t = request.find("target"); t != request.end()) {
        if (!t->is_number_integer() || t->get<std::int64_t>() <= 0 ||
            t->get<std::size_t>() > s.units_of_province.at(province).size()) {
            throw EditError(400,
                            "'target' must be a whole number from 1 to the province's " +
                                std::to_string(s.units_of_province.at(province).size()) +
                                " old units");
        }
        target = t->get<std::size_t>();
    }
    std::uint64_t seed = 1;
    if (const auto t = request.find("seed"); t != request.end()) {
        if (!t->is_number_integer() || t->get<std::int64_t>() < 0) {
            throw EditError(400, "'seed' must be a whole number");
        }
        seed = t->get<std::uint64_t>();
    }
    std::vector<ProposeUnit> all, units;
    std::vector<ProposeEdge> all_edges, edges;
    propose_inputs(s.scenario, s.check, s.base.loaded, all, all_edges);
    const std::vector<std::uint32_t>& mine = s.units_of_province.at(province);
    std::vector<std::uint32_t> local(all.size(), UINT32_MAX);
    ProposeOptions po;
    po.targets[province] = target;
    po.seed = seed;
    po.time_budget_s = 10;
    for (const std::uint32_t u : mine) {
        local[u] = static_cast<std::uint32_t>(units.size());
        units.push_back(all[u]);
        if (s.locked.contains(all[u].code)) {
            po.locked[all[u].code] = new_code_of(s, u);
        }
    }
    for (const ProposeEdge& e : all_edges) {
        if (local[e.a] != UINT32_MAX && local[e.b] != UINT32_MAX) {
            edges.push_back({local[e.a], local[e.b], e.length_km});
        }
    }
    const Proposal p =
        sim::propose(units, edges, province_standards(s.scenario, s.options.profile), po);
    Draft draft(s, province);
    // Each group keeps the code of the unit most of its members come from (a locked member's
    // first), unless another group took it; the others become new units.
    std::set<std::string> taken;
    std::vector<std::vector<std::uint32_t>> fresh;
    for (const ProposedGroup& g : p.groups) {
        std::map<std::string, std::size_t> votes;
        std::string lock;
        for (const std::uint32_t l : g.units) {
            const std::uint32_t u = mine[l];
            ++votes[new_code_of(s, u)];
            lock = lock.empty() && s.locked.contains(all[u].code) ? new_code_of(s, u) : lock;
        }
        std::string code = lock;
        if (code.empty()) {
            std::size_t most = 0;
            for (const auto& [c, n] : votes) {
                if (n > most && !taken.contains(c)) {
                    most = n;
                    code = c;
                }
            }
        }
        std::vector<std::uint32_t> members;
        for (const std::uint32_t l : g.units) {
            members.push_back(mine[l]);
        }
        if (code.empty() || taken.contains(code)) {
            fresh.push_back(std::move(members));
            continue;
        }
        taken.insert(code);
        for (const std::uint32_t u : members) {
            draft.move(u, code);
        }
    }
    for (const auto& members : fresh) {
        draft.make_group(members, "");
    }
    Change change = draft.change("propose (target " + std::to_string(target) + ", seed " +
                                 std::to_string(seed) + ")");
    const bool unchanged = change.after.empty();
    if (!unchanged) {
        s.apply(std::move(change));
        s.redo.clear();
    }
    json out = s.state_of(province);
    out["unchanged"] = unchanged;
    out["proposal"] = {
        {"groups", p.groups.size()},
        {"failing", p.provinces.empty() ? 0 : p.provinces.front().failing},
        {"stopped_by_budget", !p.provinces.empty() && p.provinces.front().stopped_by_budget}};
    return out;
}

json EditSession::overview() const {
    const Impl& s = *m;
    json provinces = json::array();
    for (const NewProvince& p : s.run.provinces) {
        if (!s.options.province.empty() && p.code != s.options.province) {
            continue;
        }
        provinces.push_back({{"code", p.code},
                             {"name", p.name},
                             {"old_units", s.units_of_province.at(p.code).size()},
                             {"new_units", p.new_communes()},
                             {"below_standard", p.below_standard}});
    }
    return {{"scenario", s.scenario.name},
            {"rules", s.options.profile.name},
            {"version", s.version},
            {"unsaved", s.version != s.saved_version},
            {"provinces", provinces}};
}

json EditSession::view(const std::string& province) const {
    json request = {{"province", province}};
    const std::string& code = m->require_province(request);
    json out = m->state_of(code);
    out["geometry"] = m->geometry_of(code);
    return out;
}

json EditSession::state(const std::string& province) const {
    json request = {{"province", province}};
    return m->state_of(m->require_province(request));
}

} // namespace amsim::sim
