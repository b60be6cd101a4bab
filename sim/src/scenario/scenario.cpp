#include "amsim/sim/scenario/scenario.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <set>

#include "toml_fields.hpp"

namespace amsim::sim {

namespace fs = std::filesystem;
using detail::at;
using detail::Fields;

const char* to_string(UnitType t) {
    switch (t) {
    case UnitType::xa:
        return "xa";
    case UnitType::phuong:
        return "phuong";
    case UnitType::dac_khu:
        return "dac_khu";
    }
    return "?";
}

namespace {

std::string resolve(const fs::path& dir, const std::string& p) {
    if (p.empty() || p.starts_with("@/") || p.find(':') != std::string::npos ||
        fs::path(p).is_absolute()) {
        return p; // data-directory, connection strings and absolute paths as given
    }
    return (dir / p).lexically_normal().string();
}

/// The [splits] table: the split layer and its fields.
geo::SplitOptions
parse_splits(const toml::table& table, const std::string& path, const fs::path& dir) {
    const Fields sp(
        table, path, "[splits]", {"file", "layer", "unit", "part", "population", "tolerance_pct"});
    geo::SplitOptions o;
    o.source = resolve(dir, sp.text("file", true));
    o.layer = sp.text("layer", false);
    if (const std::string f = sp.text("unit", false); !f.empty()) {
        o.unit_field = f;
    }
    if (const std::string f = sp.text("part", false); !f.empty()) {
        o.part_field = f;
    }
    o.population_field = sp.text("population", false);
    if (const auto pct = sp.number("tolerance_pct", 0, 10)) {
        o.tolerance = *pct / 100;
    }
    return o;
}

} // namespace

UnitType unit_type_of(const std::string& type_or_name) {
    std::string k = geo::fold(type_or_name);
    std::replace(k.begin(), k.end(), '_', ' ');
    if (k.starts_with("phuong")) {
        return UnitType::phuong;
    }
    return k.starts_with("dac khu") ? UnitType::dac_khu : UnitType::xa;
}

UnitType
parse_unit_type(const std::string& text, const std::string& where, const std::string& column) {
    // However typed: "Xã", "xa ", "XA", "Phường", "dac khu", "đặc_khu".
    std::string k = geo::fold(text);
    std::replace(k.begin(), k.end(), '_', ' ');
    if (k == "xa") {
        return UnitType::xa;
    }
    if (k == "phuong") {
        return UnitType::phuong;
    }
    if (k == "dac khu") {
        return UnitType::dac_khu;
    }
    throw ScenarioError(where + ", column '" + column + "': '" + text +
                        "' is not a commune-level type (xa, phuong or dac_khu)");
}

std::vector<MappingRow> read_mapping(const std::string& path) {
    return mapping_from(read_table(path));
}

namespace {

/// The tables' rows keyed by the base layer's codes, where the base says which field holds
/// the official codes: the base's codes are read then (not its geometries).
void key_by_official_codes(const Scenario& s,
                           const SourceResolver& resolve,
                           std::initializer_list<std::vector<MappingRow>*> tables) {
    const MappingRow* first = nullptr; // the first row given by official code
    for (const std::vector<MappingRow>* rows : tables) {
        for (const MappingRow& m : *rows) {
            if (first == nullptr && m.by_official) {
                first = &m;
            }
        }
    }
    if (s.base.official_code_field.empty()) {
        if (first != nullptr) {
            throw ScenarioError(first->where + ": names old unit '" + first->old_code +
                                "' by its official code, but the scenario's [base] does not say "
                                "which field holds official codes (official_code = \"...\")");
        }
        return;
    }
    std::vector<std::vector<std::string>> fields;
    try {
        fields = geo::read_field_text(resolve ? resolve(s.base.source) : s.base.source,
                                      s.base.layer,
                                      {s.base.mapping.code, s.base.official_code_field});
    } catch (const Error&) {
        if (first != nullptr) {
            throw;
        }
        return; // the base is read, and its errors told, where it is loaded
    }
    for (std::vector<MappingRow>* rows : tables) {
        key_by_base_codes(*rows, fields[0], fields[1]);
    }
}

} // namespace

/// The key of a set of old units: their codes sorted, '\n'-joined.
std::string members_key(std::vector<std::string> old_codes) {
    std::sort(old_codes.begin(), old_codes.end());
    old_codes.erase(std::unique(old_codes.begin(), old_codes.end()), old_codes.end());
    std::string key;
    for (const std::string& c : old_codes) {
        key += c;
        key += '\n';
    }
    return key;
}

std::string described_code(const Scenario& scenario,
                           const std::string& code,
                           std::vector<std::string> old_codes) {
    if (scenario.figures_unit_of_members.empty()) {
        return code;
    }
    const auto it = scenario.figures_unit_of_members.find(members_key(std::move(old_codes)));
    return it == scenario.figures_unit_of_members.end() ? std::string() : it->second;
}

std::string
mapping_bytes(const std::vector<MappingRow>& rows, const std::string& path, const CsvStyle& style) {
    using geo::OutputField;
    std::vector<OutputField> fields(6);
    const char* names[] = {"old_code", "new_code", "new_name", "new_type", "seat", "share"};
    for (std::size_t k = 0; k < fields.size(); ++k) {
        fields[k].name = names[k];
    }
    fields[5].kind = OutputField::Kind::real;
    for (const MappingRow& m : rows) {
        fields[0].values.emplace_back(m.old_code);
        fields[1].values.emplace_back(m.new_code);
        fields[2].values.emplace_back(m.new_name);
        fields[3].values.emplace_back(std::string(to_string(m.new_type)));
        fields[4].values.emplace_back(m.seat);
        fields[5].values.emplace_back(m.share);
    }
    return table_bytes(fields, path, style);
}

std::vector<MappingRow> mapping_from(const CsvTable& t) {
    // The old unit: its code in the base layer, or (a table a planner made from the official
    // list) its official code alone.
    const auto c_official = t.column("old_official_code");
    const std::size_t c_old =
        c_official ? t.column("old_code").value_or(*c_official) : t.require("old_code");
    const std::size_t c_new = t.require("new_code");
    const std::size_t c_name = t.require("new_name");
    const std::size_t c_type = t.require("new_type");
    const auto c_seat = t.column("seat");
    const auto c_share = t.column("share");
    std::vector<MappingRow> rows;
    rows.reserve(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& f = t.rows[r];
        MappingRow m;
        m.where = t.where(r);
        m.old_code = f[c_old];
        m.new_code = f[c_new];
        m.new_name = f[c_name];
        if (m.old_code.empty() && c_official && !f[*c_official].empty()) {
            m.old_code = f[*c_official];
            m.by_official = true;
        } else if (c_official && c_old == *c_official) {
            m.by_official = true;
        }
        if (m.old_code.empty()) {
            throw ScenarioError(m.where + ", column 'old_code': empty" +
                                (c_official ? " (and so is old_official_code)" : ""));
        }
        if (m.new_code.empty()) {
            throw ScenarioError(m.where + ", column 'new_code': empty (old unit '" + m.old_code +
                                "')");
        }
        m.new_type = parse_unit_type(f[c_type], m.where, "new_type");
        if (c_seat) {
            m.seat = f[*c_seat];
        }
        if (c_share && !f[*c_share].empty()) {
            const std::string& s = f[*c_share];
            const auto share = geo::parse_number(s);
            m.share = share.value_or(0);
            if (!share || !(m.share > 0 && m.share <= 1)) {
                throw ScenarioError(m.where + ", column 'share': '" + s +
                                    "' is not a number in (0, 1]");
            }
        }
        rows.push_back(std::move(m));
    }
    return rows;
}

Scenario load_scenario(const std::string& path, const SourceResolver& resolve) {
    Scenario s = parse_scenario(geo::read_file(path), path);
    s.mapping = read_mapping(s.mapping_path);
    std::vector<MappingRow> overrides;
    if (!s.overrides_path.empty()) {
        overrides = read_mapping(s.overrides_path);
    }
    // The mapping the commune figures describe, where it is not this scenario's.
    std::vector<MappingRow> described;
    const bool other_mapping =
        (!s.commune_figures_path.empty() || !s.regions_path.empty()) &&
        (!s.overrides_path.empty() ||
         (!s.figures_mapping_path.empty() && s.figures_mapping_path != s.mapping_path));
    if (other_mapping) {
        described =
            s.figures_mapping_path.empty() ? s.mapping : read_mapping(s.figures_mapping_path);
    }
    key_by_official_codes(s, resolve, {&s.mapping, &overrides, &described});
    if (other_mapping) {
        std::map<std::string, std::vector<std::string>> members;
        for (const MappingRow& m : described) {
            members[m.new_code].push_back(m.old_code);
        }
        for (auto& [code, old_codes] : members) {
            s.figures_unit_of_members.emplace(members_key(std::move(old_codes)), code);
        }
    }
    if (!s.overrides_path.empty()) {
        std::set<std::string> replaced;
        for (const MappingRow& m : overrides) {
            replaced.insert(m.old_code);
        }
        std::erase_if(s.mapping,
                      [&](const MappingRow& m) { return replaced.contains(m.old_code); });
        s.mapping.insert(s.mapping.end(),
                         std::make_move_iterator(overrides.begin()),
                         std::make_move_iterator(overrides.end()));
    }
    if (!s.commune_figures_path.empty()) {
        s.commune_figures = read_figures(s.commune_figures_path, s.figures_label);
    }
    if (!s.province_figures_path.empty()) {
        s.province_figures = read_figures(s.province_figures_path, s.figures_label);
    }
    if (!s.regions_path.empty()) {
        s.regions = read_figures(s.regions_path, "table");
    }
    return s;
}

Scenario parse_scenario(const std::string& text, const std::string& path) {
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw ScenarioError(at(path, e.source()) + ": " + std::string(e.description()));
    }
    Scenario s;
    s.path = path;
    const fs::path dir = fs::path(path).parent_path();
    const Fields top(root,
                     path,
                     "the scenario",
                     {"name",
                      "description",
                      "rules",
                      "base",
                      "communes",
                      "province",
                      "figures",
                      "regions",
                      "splits"});
    s.name = top.text("name", true);
    s.description = top.text("description", false);
    s.rules = top.text("rules", true);

    const toml::table& base = top.table("base");
    const Fields b(base,
                   path,
                   "[base]",
                   {"source",
                    "layer",
                    "code",
                    "name",
                    "province",
                    "type",
                    "population",
                    "population_source",
                    "region",
                    "district_type",
                    "district",
                    "province_name",
                    "official_code"});
    s.base.source = resolve(dir, b.text("source", true));
    s.base.layer = b.text("layer", false);
    s.base.mapping.code = b.text("code", true);
    s.base.mapping.name = b.text("name", false);
    s.base.mapping.parent = b.text("province", true);
    s.base.mapping.type = b.text("type", false);
    s.base.population_field = b.text("population", false);
    if (const std::string label = b.text("population_source", false); !label.empty()) {
        s.base.population_source = label;
    }
    s.base.region_field = b.text("region", false);
    s.base.district_type_field = b.text("district_type", false);
    s.base.district_field = b.text("district", false);
    s.base.province_name_field = b.text("province_name", false);
    s.base.official_code_field = b.text("official_code", false);

    if (root.get("splits") != nullptr) {
        s.base.splits = parse_splits(top.table("splits"), path, dir);
    }

    const toml::table& communes = top.table("communes");
    const Fields c(communes, path, "[communes]", {"mapping", "overrides"});
    s.mapping_path = resolve(dir, c.text("mapping", true));
    if (const std::string o = c.text("overrides", false); !o.empty()) {
        s.overrides_path = resolve(dir, o);
    }

    if (root.get("figures") != nullptr) {
        const Fields f(top.table("figures"),
                       path,
                       "[figures]",
                       {"communes", "provinces", "source", "mapping"});
        const std::string communes_file = f.text("communes", false);
        const std::string provinces_file = f.text("provinces", false);
        s.commune_figures_path = communes_file.empty() ? "" : resolve(dir, communes_file);
        s.province_figures_path = provinces_file.empty() ? "" : resolve(dir, provinces_file);
        s.figures_label = f.text("source", false);
        const std::string figures_mapping = f.text("mapping", false);
        s.figures_mapping_path = figures_mapping.empty() ? "" : resolve(dir, figures_mapping);
    }
    if (s.figures_label.empty()) {
        s.figures_label = "official";
    }
    if (root.get("regions") != nullptr) {
        const Fields r(
            top.table("regions"), path, "[regions]", {"file", "estimate_mountain_below_density"});
        const std::string file = r.text("file", false);
        s.regions_path = file.empty() ? "" : resolve(dir, file);
        s.mountain_density_below = r.number("estimate_mountain_below_density", 1, 1e6);
    }
    if (root.get("offices") != nullptr) {
        const Fields o(top.table("offices"), path, "[offices]", {"file", "housing_km", "detour"});
        const std::string file = o.text("file", false);
        s.offices_path = file.empty() ? "" : resolve(dir, file);
        s.housing_km = o.number("housing_km", 0, 1000);
        s.detour = o.number("detour", 1, 5);
    }

    for (const toml::table* t : top.tables("province")) {
        const Fields p(
            *t, path, "[[province]]", {"code", "name", "type", "members", "capital", "region"});
        ProvinceMerger m;
        m.where = at(path, t->source());
        m.code = p.text("code", true);
        m.name = p.text("name", true);
        m.type = p.text("type", true);
        m.members = p.texts("members");
        m.capital = p.text("capital", false);
        m.region = p.text("region", false);
        if (!m.region.empty() && m.region != "mountain" && m.region != "other") {
            throw ScenarioError(m.where + ": region '" + m.region + "' of province " + m.code +
                                " is neither 'mountain' nor 'other'");
        }
        s.provinces.push_back(std::move(m));
    }
    return s;
}

std::optional<double>
population_of(const geo::UnitLayer& layer, std::size_t unit, std::optional<std::size_t> field) {
    return field ? layer.number(unit, *field, 0, 1e9) : std::nullopt;
}

std::vector<OldUnit> old_units(const geo::UnitLayer& layer) {
    std::vector<OldUnit> units;
    units.reserve(layer.units.size());
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const geo::Unit& unit = layer.units[u];
        const bool read_geometry = layer.geometry.part_count() == layer.units.size();
        units.push_back(
            {unit.code,
             unit.parent_code,
             unit.type,
             layer.describe(u),
             !read_geometry || layer.geometry.part_begin(u) != layer.geometry.part_end(u),
             {}});
    }
    return units;
}

void require_consistent(const Scenario& s, const ScenarioCheck& check) {
    if (check.errors > 0) {
        throw ScenarioError(s.path + ": " + std::to_string(check.errors) +
                            " error(s) in the scenario; 'amsim check " + s.path + "' lists them");
    }
}

namespace {

/// The checks of check_scenario, stage by stage, collecting findings into one result.
class Checker {
public:
    Checker(const Scenario& scenario, const std::vector<OldUnit>& base_units)
        : m_s(scenario), m_units(base_units) {}

    ScenarioCheck run() {
        check_units();
        check_provinces();
        check_rows();
        check_shares();
        for (const auto& [code, rows] : m_out.members) {
            check_new_unit(code, rows);
        }
        check_new_codes();
        check_figures();
        return std::move(m_out);
    }

private:
    const Scenario& m_s;
    const std::vector<OldUnit>& m_units;
    ScenarioCheck m_out;
    std::map<std::string, std::size_t> m_unit_of;
    std::set<std::string> m_old_provinces;
    std::map<std::string, std::vector<std::size_t>> m_rows_of_old;
    std::map<std::string, std::vector<std::string>> m_parts_of; ///< divided unit -> its parts

    void error(const std::string& code, const std::string& where, const std::string& msg) {
        m_out.findings.push_back({geo::Severity::error, code, where, msg});
        ++m_out.errors;
    }
    void warning(const std::string& code, const std::string& where, const std::string& msg) {
        m_out.findings.push_back({geo::Severity::warning, code, where, msg});
    }

    /// The base layer itself: a mapping row must name one unit, and every unit must have its
    /// territory, or the new units' areas would be silently short.
    void check_units() {
        // "feature 3 (code 'x')" out of "source: layer 'l': feature 3 (code 'x')".
        auto feature_of = [](const std::string& describe) {
            const auto k = describe.rfind(": feature ");
            return k == std::string::npos ? describe : describe.substr(k + 2);
        };
        for (std::size_t i = 0; i < m_units.size(); ++i) {
            if (m_units[i].code.empty()) {
                error("missing_code", m_units[i].describe, "no code: no mapping row can name it");
            } else if (const auto [it, fresh] = m_unit_of.emplace(m_units[i].code, i); !fresh) {
                error("duplicate_code",
                      m_units[i].describe,
                      "code '" + m_units[i].code + "' is also the code of " +
                          feature_of(m_units[it->second].describe) +
                          ": a mapping row would name both");
            }
            if (!m_units[i].has_geometry) {
                error("empty_geometry",
                      m_units[i].describe,
                      "null or empty geometry: its new unit would have no area from it");
            }
            if (!m_units[i].province.empty()) {
                m_old_provinces.insert(m_units[i].province);
            }
            if (!m_units[i].split_of.empty()) {
                m_parts_of[m_units[i].split_of].push_back(m_units[i].code);
            }
        }
    }

    /// Provinces: whole old provinces, each in one new province; the rest unchanged.
    void check_provinces() {
        std::set<std::string> new_codes;
        for (const ProvinceMerger& m : m_s.provinces) {
            if (!new_codes.insert(m.code).second) {
                error(
                    "duplicate_province", m.where, "new province code '" + m.code + "' used twice");
            }
            check_merger(m);
        }
        for (const std::string& p : m_old_provinces) {
            if (m_out.new_province_of.emplace(p, p).second && new_codes.contains(p)) {
                error("province_code_taken",
                      m_s.path,
                      "old province " + p + " stays as it is but its code is given to a merger");
            }
        }
    }

    void check_merger(const ProvinceMerger& m) {
        if (m.type != "tinh" && m.type != "thanh_pho_tw") {
            error("bad_province_type",
                  m.where,
                  "type '" + m.type + "' of province " + m.code +
                      " is neither 'tinh' nor 'thanh_pho_tw'");
        }
        if (m.members.empty()) {
            error("empty_province", m.where, "province " + m.code + " has no member province");
        }
        for (const std::string& p : m.members) {
            if (!m_old_provinces.contains(p)) {
                error("unknown_province",
                      m.where,
                      "member '" + p + "' of province " + m.code +
                          " is not a province of the base layer");
            }
            auto [it, fresh] = m_out.new_province_of.emplace(p, m.code);
            if (!fresh && it->second != m.code) {
                error("province_merged_twice",
                      m.where,
                      "old province " + p + " is in new province " + it->second + " and in " +
                          m.code + ": provinces are merged whole");
            }
        }
        if (m.capital.empty()) {
            error("missing_capital",
                  m.where,
                  "province " + m.code + " (" + m.name + ") has no capital");
        } else if (std::find(m.members.begin(), m.members.end(), m.capital) == m.members.end()) {
            error("capital_not_member",
                  m.where,
                  "capital '" + m.capital + "' of province " + m.code +
                      " is not one of its members");
        }
    }

    /// Mapping rows: known old units, each (old, new) pair once.
    void check_rows() {
        std::set<std::pair<std::string, std::string>> seen;
        for (std::size_t r = 0; r < m_s.mapping.size(); ++r) {
            const MappingRow& m = m_s.mapping[r];
            if (!m_unit_of.contains(m.old_code)) {
                if (const auto parts = m_parts_of.find(m.old_code); parts != m_parts_of.end()) {
                    std::string list;
                    for (const std::string& p : parts->second) {
                        list += (list.empty() ? "'" : ", '") + p + "'";
                    }
                    error("divided_unit",
                          m.where,
                          "old unit '" + m.old_code + "' is divided by the split layer into " +
                              list + ": the mapping assigns each part, not the unit");
                } else {
                    error("unknown_code",
                          m.where,
                          "old code '" + m.old_code + "' is not a unit of the base layer" +
                              lost_zeros_hint(m.old_code));
                }
                continue;
            }
            if (!seen.emplace(m.old_code, m.new_code).second) {
                error("assigned_twice",
                      m.where,
                      "old unit '" + m.old_code + "' is assigned to '" + m.new_code +
                          "' more than once");
                continue;
            }
            m_rows_of_old[m.old_code].push_back(r);
            m_out.members[m.new_code].push_back(r);
        }
    }

    /// " ('01234' is: ...)" when a code is a unit's code without its leading zeros, as a
    /// spreadsheet that read the column as numbers leaves it.
    [[nodiscard]] std::string lost_zeros_hint(const std::string& code) const {
        const auto padded = zeros_restored(
            code, [&](const std::string& c) { return m_unit_of.contains(c); }, 4);
        return padded ? " ('" + *padded +
                            "' is: the spreadsheet dropped its leading zeros; format the column "
                            "as Text before typing codes)"
                      : std::string();
    }

    /// New codes as a spreadsheet may have mangled them: one that lost its leading zeros (the
    /// others of the column are longer and all digits), and a code on one row only whose name is
    /// another new unit's in the same province (a typo in the code makes a second unit).
    void check_new_codes() {
        std::map<std::size_t, std::size_t> widths;
        for (const auto& [code, rows] : m_out.members) {
            if (!code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
                    return c >= '0' && c <= '9';
                })) {
                ++widths[code.size()];
            }
        }
        std::size_t usual = 0, most = 0;
        for (const auto& [w, n] : widths) {
            if (n > most) {
                usual = w;
                most = n;
            }
        }
        std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_name;
        for (const auto& [code, rows] : m_out.members) {
            const MappingRow& first = m_s.mapping[rows.front()];
            if (widths.contains(code.size()) && code.size() < usual &&
                std::all_of(
                    code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                most >= 2 * widths[code.size()]) {
                warning("lost_leading_zeros",
                        first.where,
                        "new code '" + code + "' has " + std::to_string(code.size()) +
                            " digits where most have " + std::to_string(usual) +
                            ": did the spreadsheet drop its leading zeros ('" +
                            std::string(usual - code.size(), '0') + code +
                            "')? Format the column as Text");
            }
            const auto province = m_out.province_of_new.find(code);
            by_name[{province == m_out.province_of_new.end() ? "" : province->second,
                     first.new_name}]
                .push_back(code);
        }
        for (const auto& [key, codes] : by_name) {
            if (codes.size() < 2) {
                continue;
            }
            for (const std::string& code : codes) {
                const std::vector<std::size_t>& rows = m_out.members.at(code);
                if (rows.size() != 1) {
                    continue;
                }
                const std::string& other = code == codes.front() ? codes[1] : codes.front();
                warning("same_name_other_code",
                        m_s.mapping[rows.front()].where,
                        "new unit '" + code + "' (" + m_s.mapping[rows.front()].new_name +
                            ") has one old unit and the name of new unit '" + other +
                            "' in the same province: a typo in the new code makes a second "
                            "unit");
            }
        }
    }

    /// An edited plan's unit whose old units changed keeps its code but not its figures: they
    /// describe the unit as it was.
    void check_figures() {
        if (m_s.figures_unit_of_members.empty()) {
            return;
        }
        for (const auto& [code, rows] : m_out.members) {
            const UnitFigures* by_code = m_s.commune_figures.find(code);
            if (by_code == nullptr) {
                continue;
            }
            std::vector<std::string> old_codes;
            for (std::size_t r : rows) {
                old_codes.push_back(m_s.mapping[r].old_code);
            }
            if (described_code(m_s, code, std::move(old_codes)) != code) {
                warning("figures_set_aside",
                        m_s.mapping[rows.front()].where,
                        "new unit '" + code + "' (" + m_s.mapping[rows.front()].new_name +
                            ") has other old units than the unit " + by_code->where +
                            " describes: it is judged on its polygons' area and the base "
                            "layer's population (estimates), not on those " +
                            m_s.commune_figures.label + " figures");
            }
        }
    }

    /// Every old unit assigned, its shares summing to 1.
    void check_shares() {
        for (const OldUnit& u : m_units) {
            auto it = m_rows_of_old.find(u.code);
            if (it == m_rows_of_old.end()) {
                error("never_assigned",
                      m_s.mapping_path,
                      u.describe + " is not assigned to any new unit (add a row, even to keep it "
                                   "as it is)");
                continue;
            }
            double sum = 0;
            for (std::size_t r : it->second) {
                sum += m_s.mapping[r].share;
            }
            if (std::abs(sum - 1) > 1e-4) { // shares typed with 4 decimals pass
                std::string lines;
                for (std::size_t r : it->second) {
                    lines += (lines.empty() ? "" : ", ") + m_s.mapping[r].where;
                }
                error("shares_not_one",
                      m_s.mapping[it->second.front()].where,
                      "shares of old unit '" + u.code + "' sum to " + std::to_string(sum) +
                          ", not 1 (" + lines + ")");
            }
        }
    }

    /// A new unit: one name and type, one province, the seat among the members.
    void check_new_unit(const std::string& code, const std::vector<std::size_t>& rows) {
        const MappingRow& first = m_s.mapping[rows.front()];
        std::set<std::string> provinces;
        bool has_ward = false;
        std::string seat;
        for (std::size_t r : rows) {
            const MappingRow& m = m_s.mapping[r];
            if (m.new_name != first.new_name || m.new_type != first.new_type) {
                // Two spellings that look alike are shown with their code points.
                const std::string how =
                    m.new_name != first.new_name
                        ? " (" + geo::describe_difference(m.new_name, first.new_name) + ")"
                        : "";
                error("inconsistent_new_unit",
                      m.where,
                      "new unit '" + code + "' is '" + m.new_name + "' (" + to_string(m.new_type) +
                          ") here but '" + first.new_name + "' (" + to_string(first.new_type) +
                          ") at " + first.where + how);
            }
            const OldUnit& u = m_units[m_unit_of.at(m.old_code)];
            provinces.insert(m_out.new_province_of.contains(u.province)
                                 ? m_out.new_province_of.at(u.province)
                                 : u.province);
            has_ward = has_ward || unit_type_of(u.type) == UnitType::phuong;
            if (!m.seat.empty()) {
                if (!seat.empty() && seat != m.seat) {
                    error("two_seats",
                          m.where,
                          "new unit '" + code + "' has seat '" + m.seat + "' here and '" + seat +
                              "' on another row");
                }
                seat = m.seat;
            }
        }
        if (!seat.empty() && std::none_of(rows.begin(), rows.end(), [&](std::size_t r) {
                return m_s.mapping[r].old_code == seat;
            })) {
            error("seat_not_member",
                  first.where,
                  "seat '" + seat + "' of new unit '" + code + "' is not one of its old units");
        }
        if (provinces.size() > 1) {
            std::string list;
            for (const std::string& p : provinces) {
                list += (list.empty() ? "" : ", ") + p;
            }
            error("spans_provinces",
                  first.where,
                  "new unit '" + code + "' (" + first.new_name +
                      ") takes old units from new provinces " + list +
                      ": a commune-level unit lies in one province");
        } else if (!provinces.empty()) {
            m_out.province_of_new[code] = *provinces.begin();
        }
        if (has_ward && first.new_type == UnitType::xa) {
            warning("type_rule",
                    first.where,
                    "new unit '" + code +
                        "' merges a ward but is typed xa: a merger containing "
                        "a ward is a ward (Res 76)");
        }
    }
};

} // namespace

ScenarioCheck check_scenario(const Scenario& s, const std::vector<OldUnit>& units) {
    return Checker(s, units).run();
}

} // namespace amsim::sim
