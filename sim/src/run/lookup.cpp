#include "amsim/sim/run/lookup.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace amsim::sim {

const char* to_string(LookupAnswer::Status s) {
    switch (s) {
    case LookupAnswer::Status::found:
        return "found";
    case LookupAnswer::Status::ambiguous:
        return "ambiguous";
    case LookupAnswer::Status::not_found:
        return "not found";
    }
    return "?";
}

std::string place_key(const std::string& name) {
    std::string k = geo::fold(name);
    std::replace(k.begin(), k.end(), '_', ' ');
    while (!k.empty() && k.back() == ' ') {
        k.pop_back();
    }
    // Titles, longest first so that "thanh pho" is not read as "thanh".
    static const char* const titles[] = {"thanh pho ",
                                         "thi tran ",
                                         "dac khu ",
                                         "phuong ",
                                         "huyen ",
                                         "thi xa ",
                                         "quan ",
                                         "tinh ",
                                         "xa ",
                                         "tp. ",
                                         "tp ",
                                         "tx. ",
                                         "tx ",
                                         "tt. ",
                                         "tt ",
                                         "p. ",
                                         "q. "};
    for (const char* t : titles) {
        const std::string title = t;
        if (k.size() > title.size() && k.starts_with(title)) {
            k = k.substr(title.size());
            break;
        }
    }
    if (!k.empty() &&
        std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const std::size_t nz = k.find_first_not_of('0');
        k = nz == std::string::npos ? "0" : k.substr(nz);
    }
    return k;
}

namespace {

/// The keys a name may be known by: as typed (folded) and without its title, since a title
/// word may begin a name ("Tịnh Biên" is not "Tỉnh Biên").
std::vector<std::string> place_keys(const std::string& name) {
    std::string full = geo::fold(name);
    std::replace(full.begin(), full.end(), '_', ' ');
    while (!full.empty() && full.back() == ' ') {
        full.pop_back();
    }
    std::vector<std::string> keys{full};
    if (std::string k = place_key(name); k != full) {
        keys.push_back(std::move(k));
    }
    // Names as people shorten them.
    static const std::map<std::string, std::string> aliases = {{"hcm", "ho chi minh"},
                                                               {"tphcm", "ho chi minh"},
                                                               {"tp hcm", "ho chi minh"},
                                                               {"tp.hcm", "ho chi minh"},
                                                               {"sai gon", "ho chi minh"},
                                                               {"saigon", "ho chi minh"},
                                                               {"hn", "ha noi"},
                                                               {"tp hn", "ha noi"}};
    if (const auto it = aliases.find(full); it != aliases.end()) {
        keys.push_back(it->second);
    }
    return keys;
}

bool same_keys(const std::vector<std::string>& ka, const std::vector<std::string>& kb) {
    return std::any_of(ka.begin(), ka.end(), [&](const std::string& k) {
        return !k.empty() && std::find(kb.begin(), kb.end(), k) != kb.end();
    });
}

/// One old unit of the base (a unit, or one piece of a divided one).
struct OldEntry {
    std::string code, official, name, district, province, province_name;
    std::string identity; ///< pieces of one old unit share it
    std::string new_province;
    std::vector<std::string> district_keys, province_keys, new_province_keys; ///< place_keys
    double area = 0; ///< in the base CRS, for the pieces' shares
};

bool is_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

struct Lookup::Impl {
    std::vector<OldEntry> units;
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_code, by_name, by_identity;
    /// Old unit -> mapping rows (new code, share).
    std::vector<std::vector<std::pair<std::string, double>>> rows;
    std::map<std::string, Destination> new_units;          ///< code -> name, type, province
    std::map<std::string, std::vector<std::string>> legal; ///< old code -> new codes (figures)
    std::map<std::string, std::string> new_province_of_old;
    std::map<std::string, std::string> province_names; ///< new province -> name
    // Points: the units' envelopes on a grid of cells.
    const geo::PolygonSet* geometry = nullptr;
    geo::Envelope extent;
    double cell = 1;
    std::size_t nx = 0, ny = 0;
    std::vector<std::vector<std::uint32_t>> grid;

    void index_units(const Scenario& scenario, const Base& base);
    void index_provinces(const Scenario& scenario, const ScenarioCheck& check);
    void index_new_units(const Scenario& scenario, const ScenarioCheck& check, const Base& base);
    void index_points(const geo::UnitLayer& layer);
    [[nodiscard]] LookupAnswer find_point(const LookupQuery& q) const;
    /// None when the code is unknown and a name is given to try next.
    [[nodiscard]] std::optional<LookupAnswer> find_code(const LookupQuery& q) const;
    [[nodiscard]] LookupAnswer find_name(const LookupQuery& q) const;

    [[nodiscard]] std::vector<Destination>
    destinations(const std::vector<std::uint32_t>& group) const {
        double total = 0;
        for (std::uint32_t u : group) {
            total += units[u].area;
        }
        std::map<std::string, double> share;
        for (std::uint32_t u : group) {
            const double w =
                total > 0 ? units[u].area / total : 1.0 / static_cast<double>(group.size());
            for (const auto& [code, s] : rows[u]) {
                share[code] += w * s;
            }
        }
        std::vector<Destination> out;
        for (const auto& [code, s] : share) {
            Destination d = new_units.at(code);
            d.share = s;
            out.push_back(std::move(d));
        }
        std::stable_sort(out.begin(), out.end(), [](const Destination& a, const Destination& b) {
            return a.share > b.share;
        });
        return out;
    }

    [[nodiscard]] LookupAnswer answer(const std::vector<std::uint32_t>& group,
                                      const char* how) const {
        LookupAnswer a;
        a.status = LookupAnswer::Status::found;
        a.how = how;
        const OldEntry& e = units[group.front()];
        a.old_code = e.official.empty() ? e.code : e.official;
        a.old_name = e.name;
        a.old_district = e.district;
        a.old_province = e.province_name.empty() ? e.province : e.province_name;
        a.to = destinations(group);
        if (a.to.size() > 1) {
            a.note = "divided between " + std::to_string(a.to.size()) + " new units";
        }
        return a;
    }

    /// The candidates' old units (by identity), each a group of base units.
    [[nodiscard]] std::vector<std::vector<std::uint32_t>>
    groups_of(const std::vector<std::uint32_t>& candidates) const {
        std::vector<std::string> seen;
        std::vector<std::vector<std::uint32_t>> out;
        for (std::uint32_t u : candidates) {
            const std::string& id = units[u].identity;
            if (std::find(seen.begin(), seen.end(), id) == seen.end()) {
                seen.push_back(id);
                out.push_back(by_identity.at(id));
            }
        }
        return out;
    }

    /// The old province, or the new one, by code or name.
    [[nodiscard]] static bool province_matches(const OldEntry& e,
                                               const std::string& raw,
                                               const std::vector<std::string>& keys) {
        return raw == e.province || raw == e.new_province || same_keys(keys, e.province_keys) ||
               same_keys(keys, e.new_province_keys);
    }
};

void Lookup::Impl::index_units(const Scenario& scenario, const Base& base) {
    Impl& im = *this;
    const geo::UnitLayer& layer = base.loaded.layer;
    const auto i_official =
        layer.require_attribute(scenario.base.official_code_field, "official code");
    const auto i_district = layer.require_attribute(scenario.base.district_field, "district");
    const auto i_province_name =
        layer.require_attribute(scenario.base.province_name_field, "province name");
    const bool with_geometry = layer.geometry.part_count() == layer.units.size();
    im.units.resize(base.units.size());
    im.rows.resize(base.units.size());
    for (std::size_t u = 0; u < base.units.size(); ++u) {
        OldEntry& e = im.units[u];
        const geo::Unit& unit = layer.units[u];
        e.code = unit.code;
        e.name = unit.name;
        e.province = unit.parent_code;
        if (i_official) {
            e.official = geo::to_text(unit.attributes[*i_official]);
        }
        if (i_district) {
            e.district = geo::to_text(unit.attributes[*i_district]);
        }
        if (i_province_name) {
            e.province_name = geo::to_text(unit.attributes[*i_province_name]);
        }
        // Pieces of one old unit: the parts of a divided unit, polygons sharing an official
        // code, or (without one) a name in one district of one province.
        e.identity = !base.units[u].split_of.empty() ? "s:" + base.units[u].split_of
                     : !e.official.empty()           ? "o:" + e.official
                     : !e.name.empty() ? "n:" + e.name + "|" + e.district + "|" + e.province
                                       : "c:" + e.code;
        e.area = with_geometry ? std::abs(layer.geometry.part_area(u)) : 0;
        const auto id = static_cast<std::uint32_t>(u);
        im.by_code[e.code].push_back(id);
        if (!e.official.empty() && e.official != e.code) {
            im.by_code[e.official].push_back(id);
        }
        if (!base.units[u].split_of.empty()) {
            im.by_code[base.units[u].split_of].push_back(id);
        }
        for (const std::string& k : place_keys(e.name)) {
            im.by_name[k].push_back(id);
        }
        im.by_identity[e.identity].push_back(id);
    }
    for (auto& [code, list] : im.by_code) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }
}

void Lookup::Impl::index_provinces(const Scenario& scenario, const ScenarioCheck& check) {
    Impl& im = *this;
    for (const auto& [code, f] : scenario.province_figures.units) {
        if (!f.name.empty()) {
            im.province_names[code] = f.name;
        }
    }
    for (const ProvinceMerger& m : scenario.provinces) {
        im.province_names[m.code] = m.name;
    }
    im.new_province_of_old = check.new_province_of;
    // Names as keys once, not per query.
    for (OldEntry& e : im.units) {
        e.district_keys = e.district.empty() ? std::vector<std::string>{} : place_keys(e.district);
        e.province_keys =
            e.province_name.empty() ? std::vector<std::string>{} : place_keys(e.province_name);
        if (const auto np = im.new_province_of_old.find(e.province);
            np != im.new_province_of_old.end()) {
            e.new_province = np->second;
            if (const auto name = im.province_names.find(np->second);
                name != im.province_names.end()) {
                for (std::string& k : place_keys(name->second)) {
                    e.new_province_keys.push_back(std::move(k));
                }
            }
        }
    }
}

void Lookup::Impl::index_new_units(const Scenario& scenario,
                                   const ScenarioCheck& check,
                                   const Base& base) {
    Impl& im = *this;
    std::unordered_map<std::string, std::uint32_t> unit_of;
    for (std::size_t u = 0; u < base.units.size(); ++u) {
        unit_of.emplace(base.units[u].code, static_cast<std::uint32_t>(u));
    }
    for (const MappingRow& m : scenario.mapping) {
        const auto it = unit_of.find(m.old_code);
        if (it == unit_of.end()) {
            continue; // a checked scenario has none
        }
        im.rows[it->second].emplace_back(m.new_code, m.share);
        if (!im.new_units.contains(m.new_code)) {
            Destination d;
            d.code = m.new_code;
            d.name = m.new_name;
            d.type = to_string(m.new_type);
            const auto p = check.province_of_new.find(m.new_code);
            d.province = p != check.province_of_new.end() ? p->second : "";
            const auto pn = im.province_names.find(d.province);
            d.province_name = pn != im.province_names.end() ? pn->second : d.province;
            im.new_units.emplace(m.new_code, d);
        }
    }
    // The legal predecessors of the figures table: every old code of the official merge list.
    for (const auto& [code, f] : scenario.commune_figures.units) {
        std::string list = f.predecessor_codes;
        std::replace(list.begin(), list.end(), ',', ';');
        std::size_t start = 0;
        while (start <= list.size()) {
            const std::size_t end = std::min(list.find(';', start), list.size());
            std::string old = list.substr(start, end - start);
            old.erase(0, old.find_first_not_of(' '));
            old.erase(old.find_last_not_of(' ') + 1);
            if (!old.empty() && im.new_units.contains(code)) {
                im.legal[old].push_back(code);
            }
            start = end + 1;
        }
    }
}

void Lookup::Impl::index_points(const geo::UnitLayer& layer) {
    Impl& im = *this;
    const bool with_geometry = layer.geometry.part_count() == layer.units.size();
    if (with_geometry && !layer.units.empty()) {
        im.geometry = &layer.geometry;
        for (std::size_t u = 0; u < layer.units.size(); ++u) {
            if (layer.geometry.part_begin(u) != layer.geometry.part_end(u)) {
                im.extent.expand(layer.geometry.part_envelope(u));
            }
        }
        const double w = im.extent.maxx - im.extent.minx, h = im.extent.maxy - im.extent.miny;
        // About 4 units per cell on average.
        im.cell = std::max(std::sqrt(w * h * 4 / static_cast<double>(layer.units.size())), 1e-9);
        im.nx = static_cast<std::size_t>(w / im.cell) + 1;
        im.ny = static_cast<std::size_t>(h / im.cell) + 1;
        im.grid.resize(im.nx * im.ny);
        for (std::size_t u = 0; u < layer.units.size(); ++u) {
            if (layer.geometry.part_begin(u) == layer.geometry.part_end(u)) {
                continue;
            }
            const geo::Envelope e = layer.geometry.part_envelope(u);
            const auto x0 = static_cast<std::size_t>((e.minx - im.extent.minx) / im.cell);
            const auto x1 = static_cast<std::size_t>((e.maxx - im.extent.minx) / im.cell);
            const auto y0 = static_cast<std::size_t>((e.miny - im.extent.miny) / im.cell);
            const auto y1 = static_cast<std::size_t>((e.maxy - im.extent.miny) / im.cell);
            for (std::size_t y = y0; y <= y1 && y < im.ny; ++y) {
                for (std::size_t x = x0; x <= x1 && x < im.nx; ++x) {
                    im.grid[y * im.nx + x].push_back(static_cast<std::uint32_t>(u));
                }
            }
        }
    }
}

Lookup::Lookup(const Scenario& scenario, const ScenarioCheck& check, const Base& base)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->index_units(scenario, base);
    m_impl->index_provinces(scenario, check);
    m_impl->index_new_units(scenario, check, base);
    m_impl->index_points(base.loaded.layer);
}

Lookup::~Lookup() = default;
Lookup::Lookup(Lookup&&) noexcept = default;
Lookup& Lookup::operator=(Lookup&&) noexcept = default;

namespace {

/// Whether a point is inside part p (inside a shell and not in its holes).
bool part_contains(const geo::PolygonSet& set, std::size_t p, const geo::Coord& c) {
    for (std::uint32_t q = set.part_begin(p); q < set.part_end(p); ++q) {
        if (geo::locate_in_ring(c, set.ring(set.polygon_begin(q))) < 0) {
            return true; // on the shell
        }
        if (geo::locate_in_ring(c, set.ring(set.polygon_begin(q))) == 0) {
            continue;
        }
        bool in_hole = false;
        for (std::uint32_t r = set.polygon_begin(q) + 1; r < set.polygon_end(q) && !in_hole; ++r) {
            in_hole = geo::locate_in_ring(c, set.ring(r)) == 1;
        }
        if (!in_hole) {
            return true;
        }
    }
    return false;
}

} // namespace

LookupAnswer Lookup::Impl::find_point(const LookupQuery& q) const {
    const Impl& im = *this;
    LookupAnswer a;
    if (im.geometry == nullptr) {
        a.note = "the base layer has no geometry to look a point up in";
        return a;
    }
    const geo::Coord c{*q.lon, *q.lat};
    if (!(std::isfinite(c.x) && std::isfinite(c.y)) || c.x < im.extent.minx ||
        c.x > im.extent.maxx || c.y < im.extent.miny || c.y > im.extent.maxy) {
        a.note = "outside the base layer";
        return a;
    }
    const auto x = static_cast<std::size_t>((c.x - im.extent.minx) / im.cell);
    const auto y = static_cast<std::size_t>((c.y - im.extent.miny) / im.cell);
    for (std::uint32_t u : im.grid[std::min(y, im.ny - 1) * im.nx + std::min(x, im.nx - 1)]) {
        if (part_contains(*im.geometry, u, c)) {
            // A point lies in one piece: the new unit of that piece alone.
            LookupAnswer found = im.answer({u}, "point");
            const auto group = im.by_identity.at(im.units[u].identity);
            if (group.size() > 1) {
                found.note = "in a part of an old unit divided between new units";
            }
            return found;
        }
    }
    a.note = "in no old unit of the base layer (at sea, or outside the area)";
    return a;
}

std::optional<LookupAnswer> Lookup::Impl::find_code(const LookupQuery& q) const {
    const Impl& im = *this;
    LookupAnswer a;
    std::string code = q.code;
    auto it = im.by_code.find(code);
    if (it == im.by_code.end() && is_digits(code)) {
        // A code whose spreadsheet dropped its leading zeros.
        for (std::size_t width = code.size() + 1; width <= 5 && it == im.by_code.end(); ++width) {
            it = im.by_code.find(std::string(width - code.size(), '0') + code);
        }
    }
    if (it != im.by_code.end()) {
        const auto groups = im.groups_of(it->second);
        if (groups.size() == 1) {
            return im.answer(groups.front(), "code");
        }
    }
    const auto listed = im.legal.find(code);
    if (listed != im.legal.end()) {
        a.status = LookupAnswer::Status::found;
        a.how = "legal predecessor";
        a.old_code = code;
        for (const std::string& n : listed->second) {
            Destination d = im.new_units.at(n);
            d.share = listed->second.size() == 1 ? 1 : 0;
            a.to.push_back(std::move(d));
        }
        if (a.to.size() > 1) {
            a.note = "divided between " + std::to_string(a.to.size()) +
                     " new units by the official merge list (shares not given)";
        }
        return a;
    }
    if (q.commune.empty()) {
        a.note = "no old unit has code '" + q.code + "'";
        return a;
    }
    return std::nullopt;
}

LookupAnswer Lookup::Impl::find_name(const LookupQuery& q) const {
    const Impl& im = *this;
    LookupAnswer a;
    std::vector<std::uint32_t> named;
    for (const std::string& k : place_keys(q.commune)) {
        if (const auto it = im.by_name.find(k); it != im.by_name.end()) {
            named.insert(named.end(), it->second.begin(), it->second.end());
        }
    }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    if (named.empty()) {
        a.note = "no old unit is named '" + q.commune + "'";
        return a;
    }
    std::vector<std::uint32_t> candidates;
    const auto province_keys = place_keys(q.province), district_keys = place_keys(q.district);
    for (std::uint32_t u : named) {
        const OldEntry& e = im.units[u];
        if (!q.province.empty() && !Impl::province_matches(e, q.province, province_keys)) {
            continue;
        }
        if (!q.district.empty() && !same_keys(district_keys, e.district_keys) &&
            e.district != q.district) {
            continue;
        }
        candidates.push_back(u);
    }
    auto groups = im.groups_of(candidates);
    if (groups.size() > 1) {
        // Namesakes of another title ("Thị trấn Xuân Mai", "Xã Xuân Mai"): the one typed with
        // its title, if only one is.
        const std::string typed = place_keys(q.commune).front();
        std::vector<std::vector<std::uint32_t>> titled;
        for (const auto& g : groups) {
            if (place_keys(im.units[g.front()].name).front() == typed) {
                titled.push_back(g);
            }
        }
        if (titled.size() == 1) {
            groups = std::move(titled);
        }
    }
    if (groups.empty()) {
        a.note = "'" + q.commune + "' is not in " +
                 (q.district.empty() ? "" : "district '" + q.district + "' ") +
                 (q.province.empty() ? "" : "province '" + q.province + "'");
        return a;
    }
    if (groups.size() > 1) {
        a.status = LookupAnswer::Status::ambiguous;
        a.how = "name";
        std::string list;
        for (std::size_t g = 0; g < groups.size() && g < 8; ++g) {
            const OldEntry& e = im.units[groups[g].front()];
            list += (list.empty() ? "" : "; ") + e.name + ", " + e.district + ", " +
                    (e.province_name.empty() ? e.province : e.province_name);
        }
        a.note = std::to_string(groups.size()) + " old units have this name: " + list +
                 (groups.size() > 8 ? "; ..." : "") + " (give the district and province)";
        return a;
    }
    return im.answer(groups.front(), "name");
}

LookupAnswer Lookup::find(const LookupQuery& q) const {
    if (q.lon && q.lat) {
        return m_impl->find_point(q);
    }
    if (!q.code.empty()) {
        if (auto found = m_impl->find_code(q)) {
            return *found;
        }
    }
    if (q.commune.empty()) {
        LookupAnswer a;
        a.note = "nothing to look up: give a code, a commune's name, or a point";
        return a;
    }
    return m_impl->find_name(q);
}

std::vector<geo::OutputField> lookup_table(const Lookup& lookup,
                                           const CsvTable& table,
                                           std::map<std::string, std::size_t>& counts) {
    auto column = [&](std::initializer_list<const char*> names) -> std::optional<std::size_t> {
        for (std::size_t k = 0; k < table.header.size(); ++k) {
            std::string h = geo::fold(table.header[k]);
            std::replace(h.begin(), h.end(), '_', ' ');
            for (const char* n : names) {
                if (h == n) {
                    return k;
                }
            }
        }
        return std::nullopt;
    };
    const auto c_code = column({"code", "old code", "ma", "ma xa", "ma don vi", "ma dvhc"});
    const auto c_commune =
        column({"commune", "old name", "name", "xa", "phuong", "xa phuong", "ten xa", "ten"});
    const auto c_district = column({"district", "huyen", "quan huyen", "ten huyen"});
    const auto c_province = column({"province", "tinh", "tinh thanh", "ten tinh"});
    const auto c_lon = column({"lon", "longitude", "kinh do", "x"});
    const auto c_lat = column({"lat", "latitude", "vi do", "y"});
    if (!c_code && !c_commune && !(c_lon && c_lat)) {
        throw InputError(table.path +
                         ":1: no column to look up: give 'code' (ma), 'commune' (xa) with "
                         "'district' (huyen) and 'province' (tinh), or 'lon' and 'lat'");
    }
    using K = geo::OutputField::Kind;
    std::vector<geo::OutputField> out;
    for (const std::string& h : table.header) {
        out.push_back({h, K::string, {}});
    }
    const std::size_t first_new = out.size();
    for (const char* name : {"new_code",
                             "new_name",
                             "new_type",
                             "new_province",
                             "new_province_name",
                             "match",
                             "note"}) {
        out.push_back({name, K::string, {}});
    }
    for (geo::OutputField& f : out) {
        f.values.reserve(table.rows.size());
    }
    std::unordered_map<std::string, LookupAnswer> cache;
    auto cell = [&](const std::vector<std::string>& row, const std::optional<std::size_t>& c) {
        return c ? row[*c] : std::string();
    };
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        LookupQuery q;
        q.code = cell(row, c_code);
        q.commune = cell(row, c_commune);
        q.district = cell(row, c_district);
        q.province = cell(row, c_province);
        if (c_lon && c_lat && !row[*c_lon].empty() && !row[*c_lat].empty()) {
            q.lon = geo::parse_number(row[*c_lon]);
            q.lat = geo::parse_number(row[*c_lat]);
            if (!q.lon || !q.lat) {
                throw InputError(table.where(r) + ": '" + row[*c_lon] + "', '" + row[*c_lat] +
                                 "' is not a longitude and latitude");
            }
        }
        // A register repeats its villages: each distinct address is looked up once.
        std::string key = q.code + '\x1f' + q.commune + '\x1f' + q.district + '\x1f' + q.province;
        if (q.lon) {
            key += '\x1f' + row[*c_lon] + '\x1f' + row[*c_lat];
        }
        auto cached = cache.find(key);
        if (cached == cache.end()) {
            cached = cache.emplace(std::move(key), lookup.find(q)).first;
        }
        const LookupAnswer& a = cached->second;
        ++counts[to_string(a.status)];
        for (std::size_t k = 0; k < row.size(); ++k) {
            out[k].values.emplace_back(row[k]);
        }
        std::string codes, names, types, provinces, province_names;
        for (const Destination& d : a.to) {
            auto add = [&](std::string& s, const std::string& v) {
                s += (s.empty() ? "" : "; ") + v;
            };
            std::string code = d.code;
            if (a.to.size() > 1 && d.share > 0) {
                char buf[32];
                std::snprintf(buf, sizeof buf, " (%.0f %%)", 100 * d.share);
                code += buf;
            }
            add(codes, code);
            add(names, d.name);
            add(types, d.type);
            if (provinces.find(d.province) == std::string::npos) {
                add(provinces, d.province);
                add(province_names, d.province_name);
            }
        }
        const std::string match =
            a.status == LookupAnswer::Status::found ? a.how : std::string(to_string(a.status));
        const std::string* values[] = {
            &codes, &names, &types, &provinces, &province_names, &match, &a.note};
        for (std::size_t k = 0; k < std::size(values); ++k) {
            out[first_new + k].values.emplace_back(*values[k]);
        }
    }
    return out;
}

} // namespace amsim::sim
