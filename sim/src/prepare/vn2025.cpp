// The 2025 reform of Viet Nam as a scenario (see vn2025.hpp), in stages: read the sources,
// overlay the old polygons on the new communes, match every polygon (the crosswalk), write
// the base layer, place the old capitals, write the two scenarios.

#include "amsim/sim/prepare/vn2025.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/overlay.hpp"
#include "amsim/geo/validity.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "vn2025_figures.hpp"

namespace amsim::sim::vn2025 {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            if (!cur.empty()) {
                out.push_back(cur);
            }
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) {
        out.push_back(cur);
    }
    return out;
}

std::string type_of(const std::string& full_name) {
    if (full_name.starts_with("Phường")) {
        return "phuong";
    }
    if (full_name.starts_with("Đặc khu")) {
        return "dac_khu";
    }
    return "xa";
}

/// Text of unit u's attribute `field` (InputError if the layer has no such field).
std::string attr(const geo::UnitLayer& l, std::size_t u, const std::string& field) {
    return geo::to_text(l.units[u].attributes[*l.require_attribute(field, "crosswalk")]);
}

struct NewCommune {
    std::string code, name, type, province;
};

/// Everything the recipe reads from the data directory.
struct Sources {
    geo::UnitLayer post; ///< post-reform communes (simplified: overlay and cuts)
    std::map<std::string, std::size_t> post_part; ///< new code -> its part in `post`
    std::map<std::string, NewCommune> new_communes;
    std::map<std::string, std::set<std::string>> new_of_old; ///< 2025-03-01 code -> new
    std::map<std::string, std::vector<std::string>> legal;   ///< new -> its legal predecessors
    std::map<std::string, std::string> new_province;         ///< old province -> new
    std::map<std::string, std::string> old_name;             ///< old province -> its name
    /// New province -> its name and member old provinces.
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> provinces;
    CsvTable census;
    std::map<std::string, std::string> district_type; ///< GSO district code -> Quận, Huyện...
    std::map<std::string, double> pop2019;            ///< by 2019 commune code
    geo::UnitLayer pre;                               ///< pre-reform polygons, repaired
    geo::ValidityReport pre_validity;
    geo::UnitLayer pre_simplified; ///< the same, simplified (for the overlay)
};

void read_official_mapping(const std::string& d, Sources& s) {
    const auto merges = nlohmann::json::parse(
        geo::read_gzip_file(d + "/raw/dvhcvn-20250701/mapping_merges_new_to_old.json.gz"));
    for (const auto& prov : merges.at("data")) {
        for (const auto& c : prov.at("level2s")) {
            std::string code = c.at("level2_id").get<std::string>();
            // Code conflicts between sources (SOURCES.md): the polygons use NSO's codes.
            if (code == "06970") {
                code = "06978";
            } else if (code == "23737") {
                code = "23938";
            }
            for (const auto& m : c.at("merges")) {
                s.new_of_old[m.at("old_id").get<std::string>()].insert(code);
                s.legal[code].push_back(m.at("old_id").get<std::string>());
            }
        }
    }
}

/// The centrally governed cities (thành phố trực thuộc trung ương) after the reform.
const std::set<std::string>& cities() {
    static const std::set<std::string> c = {"01", "31", "46", "48", "79", "92"};
    return c;
}

/// A new province's name with its title, as the resolutions write it ("Tỉnh Tuyên Quang").
std::string titled(const std::string& code, const std::string& name) {
    if (name.starts_with("Tỉnh ") || name.starts_with("Thành phố ")) {
        return name;
    }
    return (cities().contains(code) ? "Thành phố " : "Tỉnh ") + name;
}

void read_tables(const std::string& d, Sources& s) {
    const CsvTable pm = read_table(d + "/derived/province_mapping_63_to_34.csv");
    for (const auto& row : pm.rows) {
        const std::string old_code = row[pm.require("old_province_code")];
        const std::string new_code = row[pm.require("new_province_code")];
        s.new_province[old_code] = new_code;
        s.old_name[old_code] = row[pm.require("old_province_name")];
        s.provinces[new_code].first = titled(new_code, row[pm.require("new_province_name")]);
        s.provinces[new_code].second.push_back(old_code);
    }
    const CsvTable districts = read_table(
        d + "/raw/tranngocminhhieu-vietnamadminunits/gso_districts_as_of_2025-06-30.csv");
    for (const auto& row : districts.rows) {
        s.district_type[row[districts.require("Mã")]] = row[districts.require("Cấp")];
    }
    s.census = read_table(d + "/derived/pop2019_commune_census_gsocodes.csv");
    for (const auto& row : s.census.rows) {
        const std::string code = row[s.census.require("gso_commune_code_2019")];
        const std::string p = row[s.census.require("pop_total_2019")];
        if (!code.empty() && !p.empty()) {
            s.pop2019[code] += std::stod(p);
        }
    }
}

Sources read_sources(const std::string& d, const geo::ProgressFn& progress) {
    Sources s;
    geo::ReadOptions ro;
    ro.mapping.code = "code";
    ro.mapping.name = "fullName";
    ro.mapping.parent = "province_code";
    std::vector<geo::Diagnostic> diags;
    s.post = geo::read_units(
        "/vsigzip/" + d + "/derived/vn_communes_2025_simplified5pct.geojson.gz", ro, diags);
    for (std::size_t i = 0; i < s.post.units.size(); ++i) {
        const geo::Unit& u = s.post.units[i];
        s.new_communes[u.code] = {u.code, u.name, type_of(u.name), u.parent_code};
        s.post_part[u.code] = i;
    }
    read_official_mapping(d, s);
    read_tables(d, s);
    // Pre-reform polygons: full (the base) and simplified (overlay), joined by 'fid'.
    geo::ReadOptions pre_ro;
    pre_ro.mapping.code = "fid";
    pre_ro.mapping.name = "name";
    pre_ro.mapping.parent = "gso_province_code_2019";
    pre_ro.progress = progress;
    s.pre = geo::read_units("/vsigzip/" + d +
                                "/derived/vn_communes_pre2025_mapmaker_gsocodes.geojson.gz",
                            pre_ro,
                            diags);
    // The base layer is written valid: its invalid polygons repaired as amsim run would
    // (the repairs are listed by amsim inspect on the source).
    s.pre_validity = geo::check_units(s.pre, true);
    s.pre_simplified = geo::read_units(
        "/vsigzip/" + d +
            "/derived/vn_communes_pre2025_mapmaker_gsocodes_simplified10pct.geojson.gz",
        pre_ro,
        diags);
    return s;
}

/// Overlay areas of every old polygon (simplified where it can be) with the new communes of
/// its new province, and each polygon's envelope centre.
struct Overlay {
    std::vector<std::map<std::string, double>> overlap;
    std::vector<geo::Coord> centre;
};

Overlay overlay(const Sources& s, const geo::ProgressFn& progress) {
    std::map<std::string, std::size_t> simplified_of;
    for (std::size_t u = 0; u < s.pre_simplified.units.size(); ++u) {
        simplified_of[s.pre_simplified.units[u].code] = u;
    }
    const std::size_t n = s.pre.units.size();
    geo::PolygonSet shapes;
    Overlay out;
    out.centre.resize(n);
    std::vector<std::string> province(n);
    for (std::size_t u = 0; u < n; ++u) {
        const auto it = simplified_of.find(s.pre.units[u].code);
        const geo::PolygonSet& src =
            it != simplified_of.end() ? s.pre_simplified.geometry : s.pre.geometry;
        const std::size_t part = it != simplified_of.end() ? it->second : u;
        shapes.append_part(src, part);
        if (src.part_begin(part) != src.part_end(part)) {
            const geo::Envelope e = src.part_envelope(part);
            out.centre[u] = {(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2};
        }
        const auto np = s.new_province.find(s.pre.units[u].parent_code);
        province[u] = np != s.new_province.end() ? np->second : "";
    }
    const auto hits = geo::overlap_areas(
        shapes,
        s.post.geometry,
        [&](std::size_t u, std::size_t i) { return s.post.units[i].parent_code == province[u]; },
        [&](double f) { geo::report(progress, "prepare: overlay", f); });
    out.overlap.resize(n);
    for (std::size_t u = 0; u < n; ++u) {
        for (const geo::Overlap& o : hits[u]) {
            out.overlap[u][s.post.units[o.part].code] += o.area;
        }
    }
    return out;
}

/// The new communes an old polygon goes to, with their shares, and how they were found.
std::map<std::string, double> shares_of(const Sources& s,
                                        const Overlay& ov,
                                        std::size_t u,
                                        const std::string& province,
                                        std::string& method) {
    std::set<std::string> candidates;
    for (const std::string& c : split(attr(s.pre, u, "gso_commune_code_2024_11"), ';')) {
        if (auto it = s.new_of_old.find(c); it != s.new_of_old.end()) {
            for (const std::string& nc : it->second) {
                const auto n = s.new_communes.find(nc);
                if (n != s.new_communes.end() && n->second.province == province) {
                    candidates.insert(nc);
                }
            }
        }
    }
    std::map<std::string, double> shares;
    const std::map<std::string, double>& overlap = ov.overlap[u];
    if (!candidates.empty()) {
        method = "code";
        double total = 0;
        for (const std::string& nc : candidates) {
            const auto it = overlap.find(nc);
            shares[nc] = it != overlap.end() ? it->second : 0;
            total += shares[nc];
        }
        for (auto& [nc, share] : shares) {
            share = total > 0 ? share / total : 1.0 / static_cast<double>(candidates.size());
        }
    } else if (!overlap.empty()) {
        method = "overlay";
        double total = 0;
        for (const auto& [nc, a] : overlap) {
            total += a;
        }
        for (const auto& [nc, a] : overlap) {
            shares[nc] = a / total;
        }
    } else {
        method = "nearest";
        double best = 1e300;
        std::string best_code;
        for (std::size_t i = 0; i < s.post.units.size(); ++i) {
            if (s.post.units[i].parent_code != province) {
                continue;
            }
            const geo::Envelope e = s.post.geometry.part_envelope(i);
            const double dx = (e.minx + e.maxx) / 2 - ov.centre[u].x;
            const double dy = (e.miny + e.maxy) / 2 - ov.centre[u].y;
            if (dx * dx + dy * dy < best) {
                best = dx * dx + dy * dy;
                best_code = s.post.units[i].code;
            }
        }
        if (best_code.empty()) {
            throw InputError("no new commune in province " + province + " for " +
                             s.pre.describe(u));
        }
        shares[best_code] = 1;
    }
    return shares;
}

/// Slivers under `least` dropped (the largest kept at least), the rest scaled to sum to 1.
std::map<std::string, double>
without_slivers(const std::map<std::string, double>& shares, double least, double& kept) {
    std::string largest;
    for (const auto& [nc, share] : shares) {
        if (largest.empty() || share > shares.at(largest)) {
            largest = nc;
        }
    }
    std::map<std::string, double> out;
    kept = 0;
    for (const auto& [nc, share] : shares) {
        if (share >= least || nc == largest) {
            out[nc] = share;
            kept += share;
        }
    }
    return out;
}

/// The crosswalk: every old polygon's new communes and shares, its population.
struct Crosswalk {
    std::ostringstream mapping, report;
    std::map<std::string, std::size_t> methods;
    std::vector<std::string> unit_code, method;
    struct Row {
        std::string unit, old_province, new_code, share;
    };
    std::vector<Row> rows;
    std::vector<double> population; ///< per polygon; -1: unknown
    /// The base layer's units: a polygon whole, a piece of a split polygon, or a new unit's
    /// post-reform polygon where no old polygon went into it.
    struct BaseUnit {
        std::string code;
        std::size_t polygon = 0; ///< in the pre-reform layer (or the post layer)
        double fraction = 1;     ///< of the polygon's area (and population)
        std::string split_of;    ///< the polygon's code, for a piece
        std::string new_code;    ///< for a post-reform polygon
        std::string province;    ///< its old province, for a post-reform polygon
    };
    std::vector<BaseUnit> units;
    geo::PolygonSet geometry; ///< part i is units[i]'s
    std::size_t split = 0;    ///< polygons cut into pieces
    std::size_t pieces = 0;
    std::vector<std::string> from_post;   ///< new units given their post-reform polygon
    std::set<std::string> reached_by_cut; ///< new units made only of split neighbours' parts
};

/// Population: the 2019 census of its code, divided by area among polygons sharing the code.
double population_of(const Sources& s,
                     const std::map<std::string, std::vector<std::size_t>>& units_of_code2019,
                     std::size_t u) {
    const std::string c2019 = attr(s.pre, u, "gso_commune_code_2019");
    const auto it = s.pop2019.find(c2019);
    if (c2019.empty() || it == s.pop2019.end()) {
        return -1;
    }
    double total = 0, mine = 0;
    for (std::size_t v : units_of_code2019.at(c2019)) {
        const double a = std::abs(s.pre.geometry.part_area(v));
        total += a;
        mine += v == u ? a : 0;
    }
    return total > 0 ? it->second * mine / total : it->second;
}

/// Polygon u's units of the base and their mapping rows: whole into one new commune, or, if
/// it is divided among several, cut along their official polygons (the largest share takes
/// what the others leave), one unit per piece.
void place_polygon(const Sources& s,
                   std::size_t u,
                   const std::map<std::string, double>& final_shares,
                   Crosswalk& cw) {
    // A polygon divided among several new communes is cut along their official polygons:
    // the largest share takes what the others leave.
    std::vector<std::string> order;
    order.reserve(final_shares.size());
    for (const auto& [nc, share] : final_shares) {
        order.push_back(nc);
    }
    std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
        return final_shares.at(a) > final_shares.at(b);
    });
    geo::PolygonSet pieces;
    if (order.size() > 1) {
        std::vector<std::size_t> cut = {0};
        for (std::size_t k = 1; k < order.size(); ++k) {
            cut.push_back(s.post_part.at(order[k]));
        }
        pieces = geo::cut_part(s.pre.geometry, u, s.post.geometry, cut, 0.01);
    }
    std::vector<std::pair<std::string, double>> kept; // new code, area of its piece
    double total = 0;
    for (std::size_t k = 0; k < order.size() && order.size() > 1; ++k) {
        const double a = std::abs(pieces.part_area(k));
        if (a > 0) {
            kept.emplace_back(order[k], a);
            total += a;
        }
    }
    if (kept.size() < 2) { // whole: one new commune (or every cut was a sliver)
        const std::string& nc = order.front();
        const NewCommune& c = s.new_communes.at(nc);
        cw.mapping << cw.unit_code[u] << ',' << nc << ',' << csv_quote(c.name) << ',' << c.type
                   << ",1.000000\n";
        cw.rows.push_back({cw.unit_code[u], s.pre.units[u].parent_code, nc, "1.000000"});
        cw.units.push_back({cw.unit_code[u], u, 1, "", "", ""});
        cw.geometry.append_part(s.pre.geometry, u);
    } else {
        ++cw.split;
        for (std::size_t k = 0; k < kept.size(); ++k) {
            const auto& [nc, a] = kept[k];
            const NewCommune& c = s.new_communes.at(nc);
            const std::string code = cw.unit_code[u] + "." + std::to_string(k + 1);
            cw.mapping << code << ',' << nc << ',' << csv_quote(c.name) << ',' << c.type
                       << ",1.000000\n";
            cw.rows.push_back({code, s.pre.units[u].parent_code, nc, "1.000000"});
            cw.units.push_back({code, u, a / total, cw.unit_code[u], "", ""});
            const std::size_t piece =
                static_cast<std::size_t>(std::find(order.begin(), order.end(), nc) - order.begin());
            cw.geometry.append_part(pieces, piece);
            ++cw.pieces;
        }
    }
}

/// The new communes polygon u goes to, with their shares (slivers dropped).
std::map<std::string, double>
shares_of_polygon(const Sources& s, const Overlay& ov, std::size_t u, Crosswalk& cw) {
    cw.unit_code[u] = "m" + s.pre.units[u].code;
    const auto np = s.new_province.find(s.pre.units[u].parent_code);
    const std::string province = np != s.new_province.end() ? np->second : "";
    double kept = 0;
    std::map<std::string, double> shares = shares_of(s, ov, u, province, cw.method[u]);
    // A split the official list names is kept down to 1 % (the cut follows the official
    // boundary); an overlay match drops overlaps under 5 % (the two layers' vintage and
    // digitising, not splits).
    return without_slivers(shares, cw.method[u] == "code" ? 0.01 : 0.05, kept);
}

/// A new commune that no polygon's shares reach, but whose territory old polygons hold
/// (it was made only of parts of split neighbours): every polygon overlapping it by 1 % of
/// its own overlay area or more gives it a share, so that the cut gives it its piece.
std::set<std::string> reach_every_commune(const Overlay& ov,
                                          std::vector<std::map<std::string, double>>& shares) {
    std::set<std::string> reached;
    for (const auto& m : shares) {
        for (const auto& [nc, share] : m) {
            reached.insert(nc);
        }
    }
    std::set<std::string> added;
    for (std::size_t u = 0; u < shares.size(); ++u) {
        double total = 0;
        for (const auto& [nc, a] : ov.overlap[u]) {
            total += a;
        }
        for (const auto& [nc, a] : ov.overlap[u]) {
            if (!reached.contains(nc) && total > 0 && a >= 0.01 * total) {
                shares[u][nc] = a / total;
                added.insert(nc);
            }
        }
    }
    return added;
}

void crosswalk(const Sources& s, const Overlay& ov, Crosswalk& cw) {
    const std::size_t n = s.pre.units.size();
    cw.mapping << "old_code,new_code,new_name,new_type,share\n";
    cw.report << "unit_code,name,province_2019,code_2019,code_2024_11,method,new_codes\n";
    std::map<std::string, std::vector<std::size_t>> units_of_code2019;
    for (std::size_t u = 0; u < n; ++u) {
        const std::string c = attr(s.pre, u, "gso_commune_code_2019");
        if (!c.empty()) {
            units_of_code2019[c].push_back(u);
        }
    }
    cw.unit_code.resize(n);
    cw.method.resize(n);
    cw.population.assign(n, -1);
    std::vector<std::map<std::string, double>> shares(n);
    for (std::size_t u = 0; u < n; ++u) {
        shares[u] = shares_of_polygon(s, ov, u, cw);
    }
    cw.reached_by_cut = reach_every_commune(ov, shares);
    for (std::size_t u = 0; u < n; ++u) {
        place_polygon(s, u, shares[u], cw);
        ++cw.methods[cw.method[u]];
        std::string list;
        for (const auto& [nc, share] : shares[u]) {
            list += (list.empty() ? "" : ";") + nc;
        }
        cw.report << cw.unit_code[u] << ',' << csv_quote(s.pre.units[u].name) << ','
                  << s.pre.units[u].parent_code << ',' << attr(s.pre, u, "gso_commune_code_2019")
                  << ',' << attr(s.pre, u, "gso_commune_code_2024_11") << ',' << cw.method[u] << ','
                  << list << '\n';
        cw.population[u] = population_of(s, units_of_code2019, u);
    }
    // New units no old polygon went into (Hoàng Sa and Trường Sa, not in the pre-reform
    // layer): their post-reform polygon, in the old province whose code the new one carries.
    std::set<std::string> reached;
    for (const Crosswalk::Row& r : cw.rows) {
        reached.insert(r.new_code);
    }
    for (const auto& [code, c] : s.new_communes) {
        if (reached.contains(code)) {
            continue;
        }
        const std::vector<std::string>& members = s.provinces.at(c.province).second;
        const std::string old_province =
            std::find(members.begin(), members.end(), c.province) != members.end()
                ? c.province
                : members.front();
        const std::string unit = "n" + code;
        cw.mapping << unit << ',' << code << ',' << csv_quote(c.name) << ',' << c.type
                   << ",1.000000\n";
        cw.rows.push_back({unit, old_province, code, "1.000000"});
        cw.units.push_back({unit, s.post_part.at(code), 1, "", code, old_province});
        cw.geometry.append_part(s.post.geometry, s.post_part.at(code));
        cw.from_post.push_back(code);
    }
}

/// The base layer: full polygons, the pieces of split ones, and the post-reform polygons of
/// new units no old polygon went into.
void write_base(const Sources& s, const Crosswalk& cw, const PrepareOptions& options) {
    using K = geo::OutputField::Kind;
    std::vector<geo::OutputField> fields = {{"unit_code", K::string, {}},
                                            {"name", K::string, {}},
                                            {"province", K::string, {}},
                                            {"population", K::real, {}},
                                            {"code_2019", K::string, {}},
                                            {"crosswalk", K::string, {}},
                                            {"district", K::string, {}},
                                            {"split_of", K::string, {}},
                                            {"area_fraction", K::real, {}},
                                            {"district_type", K::string, {}},
                                            {"district_name", K::string, {}},
                                            {"province_name", K::string, {}},
                                            {"code_2024", K::string, {}}};
    const geo::UnitLayer& pre = s.pre;
    for (const Crosswalk::BaseUnit& b : cw.units) {
        fields[0].values.emplace_back(b.code);
        if (!b.new_code.empty()) { // a post-reform polygon: no old unit, no census
            const NewCommune& c = s.new_communes.at(b.new_code);
            fields[1].values.emplace_back(c.name);
            fields[2].values.emplace_back(b.province);
            fields[3].values.emplace_back(std::monostate{});
            fields[4].values.emplace_back(std::string());
            fields[5].values.emplace_back(std::string("post-reform polygon"));
            fields[6].values.emplace_back(std::string());
        } else {
            const std::size_t u = b.polygon;
            fields[1].values.emplace_back(pre.units[u].name);
            fields[2].values.emplace_back(pre.units[u].parent_code);
            fields[3].values.push_back(cw.population[u] >= 0
                                           ? geo::AttributeValue(cw.population[u] * b.fraction)
                                           : geo::AttributeValue(std::monostate{}));
            fields[4].values.emplace_back(attr(pre, u, "gso_commune_code_2019"));
            fields[5].values.emplace_back(cw.method[u]);
            // The 2019 district; for a polygon without one, its province and district name.
            const std::string district = attr(pre, u, "gso_district_code_2019");
            fields[6].values.emplace_back(district.empty() ? pre.units[u].parent_code + ":" +
                                                                 attr(pre, u, "district")
                                                           : district);
        }
        fields[7].values.emplace_back(b.split_of);
        fields[8].values.emplace_back(b.fraction);
        // Quận (urban district), Huyện, Thị xã, Thành phố: the 2025 list's type of the
        // polygon's 2019 district (empty where the district is not in it).
        const auto dt = b.new_code.empty()
                            ? s.district_type.find(attr(pre, b.polygon, "gso_district_code_2019"))
                            : s.district_type.end();
        fields[9].values.emplace_back(dt != s.district_type.end() ? dt->second : std::string());
        // As a resident names the old unit: its district and old province by name, and its
        // last official code (November 2024) for amsim lookup.
        const std::string province = b.new_code.empty() ? pre.units[b.polygon].parent_code : "";
        const auto old_name = s.old_name.find(province);
        fields[10].values.emplace_back(b.new_code.empty() ? attr(pre, b.polygon, "district")
                                                          : std::string());
        fields[11].values.emplace_back(old_name != s.old_name.end() ? old_name->second
                                                                    : std::string());
        fields[12].values.emplace_back(
            b.new_code.empty() ? attr(pre, b.polygon, "gso_commune_code_2024_11") : std::string());
    }
    geo::WriteOptions wo;
    wo.policy = options.policy;
    wo.crs_wkt = pre.crs_wkt;
    wo.layer = "communes_pre2025";
    geo::write_units((fs::path(options.output) / "base.gpkg").string(), cw.geometry, fields, wo);
}

/// The district that was an old province's capital: the one named "Thành phố <province>", else
/// its most populous city or urban district; none if the province has no district polygons.
std::size_t capital_district(const geo::UnitLayer& districts,
                             const std::map<std::string, double>& district_pop,
                             const std::string& code,
                             const std::string& name,
                             std::string& how) {
    std::string short_name = name;
    for (const char* prefix : {"Tỉnh ", "Thành phố "}) {
        if (short_name.starts_with(prefix)) {
            short_name = short_name.substr(std::string(prefix).size());
        }
    }
    std::size_t best = districts.units.size();
    double best_pop = -1;
    for (std::size_t i = 0; i < districts.units.size(); ++i) {
        const geo::Unit& dist = districts.units[i];
        std::string dname = dist.name; // some are spelt "Thành Phố"
        if (dname.starts_with("Thành Phố")) {
            dname.replace(0, std::string("Thành Phố").size(), "Thành phố");
        }
        if (dist.parent_code != code ||
            districts.geometry.part_begin(i) == districts.geometry.part_end(i)) {
            continue;
        }
        if (dname == "Thành phố " + short_name) {
            how = "name";
            return i;
        }
        const bool urban = dname.starts_with("Thành phố") || dname.starts_with("Quận");
        const auto p = district_pop.find(dist.code);
        const double pop = p != district_pop.end() ? p->second : 0;
        if (urban && pop > best_pop) {
            best = i;
            best_pop = pop;
            how = "largest city";
        }
    }
    return best;
}

/// Where each old province's capital was, approximately: the centre of its capital district
/// (capital_district). No capital point is in the data.
std::string capitals_csv(const Sources& s, const std::string& d) {
    std::map<std::string, double> district_pop;
    for (const auto& row : s.census.rows) {
        const std::string p = row[s.census.require("pop_total_2019")];
        if (!p.empty()) {
            district_pop[row[s.census.require("gso_district_code_2019")]] += std::stod(p);
        }
    }
    geo::ReadOptions dro;
    dro.mapping.code = "district_code";
    dro.mapping.name = "name";
    dro.mapping.parent = "province_code";
    std::vector<geo::Diagnostic> diags;
    const geo::UnitLayer districts = geo::read_units(
        "/vsigzip/" + d + "/raw/daohoangson-dvhcvn/vn_districts_pre2025_gischinhphu.geojson.gz",
        dro,
        diags);
    std::ostringstream caps;
    caps << "old_province,province_name,capital_district,method,lon,lat\n";
    for (const auto& [code, name] : s.old_name) {
        std::string how;
        const std::size_t best = capital_district(districts, district_pop, code, name, how);
        if (best == districts.units.size()) {
            continue; // not in the district layer (Quảng Ninh): no point
        }
        const geo::Envelope e = districts.geometry.part_envelope(best);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.5f,%.5f", (e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2);
        caps << code << ',' << csv_quote(name) << ',' << csv_quote(districts.units[best].name)
             << ',' << how << ',' << buf << '\n';
    }
    return caps.str();
}

/// The header both scenarios share: what generated them, the base layer, the mapping.
void scenario_header(std::ostream& out,
                     const std::string& output,
                     const std::string& name,
                     const std::string& description,
                     const std::string& mapping_file,
                     bool province_figures) {
    out << "# Generated by: amsim prepare-vn2025 -o " << output << "\n"
        << "# From the national data directory; not for redistribution (see SOURCES.md).\n"
        << "name = \"" << name << "\"\ndescription = \"" << description << "\"\n"
        << "rules = \"vn-2025\"\n\n[base]\nsource = \"base.gpkg\"\nlayer = "
           "\"communes_pre2025\"\ncode = \"unit_code\"\nname = \"name\"\nprovince = "
           "\"province\"\npopulation = \"population\"\npopulation_source = \"2019 census\"\n"
           "district_type = \"district_type\"\n"
           "# For amsim lookup: the old unit as a resident names it.\n"
           "district = \"district_name\"\nprovince_name = \"province_name\"\n"
           "official_code = \"code_2024\"\n\n"
           "[communes]\nmapping = \""
        << mapping_file << "\"\n\n"
        << "# Official area, population (quy mo dan so), type and seat of the new units\n"
        << "# (sapnhap.bando.com.vn, 17/7/2025); units are judged on these where given.\n"
        << "[figures]\ncommunes = \"figures-communes.csv\"\n"
        << (province_figures ? "provinces = \"figures-provinces.csv\"\n" : "")
        << "source = \"official\"\n\n"
        << "# No official list of mountainous communes is in the data: a xa is estimated\n"
        << "# mountain when fewer than 200 people live on a km2 (official figures); a table\n"
        << "# (code, region, population_reduction_pct) given as file = \"...\" overrides it.\n"
        << "[regions]\nestimate_mountain_below_density = 200\n";
}

/// The scenario: the 34 provinces; a merged province carries the code of the member holding
/// its centre (Res 60-NQ/TW; RULES.md §3.1), which is its capital.
std::string scenario_toml(const Sources& s, const std::string& output) {
    std::ostringstream toml;
    scenario_header(toml,
                    output,
                    "vn-2025",
                    "The 2025 reform: 63 -> 34 provinces, 10,035 -> 3,321 communes (official "
                    "mapping, dvhcvn 20250701), on the pre-reform commune polygons",
                    "mapping.csv",
                    true);
    for (const auto& [code, p] : s.provinces) {
        toml << "\n[[province]]\ncode = \"" << code << "\"\nname = \"" << p.first << "\"\ntype = \""
             << (cities().contains(code) ? "thanh_pho_tw" : "tinh") << "\"\nmembers = [";
        for (std::size_t i = 0; i < p.second.size(); ++i) {
            toml << (i ? ", " : "") << '"' << p.second[i] << '"';
        }
        toml << "]\ncapital = \"" << code << "\"\n";
    }
    return toml.str();
}

/// The alternative a planner asks first: the same communes, no province merged. A new commune
/// drawn across old province lines (possible once the provinces merged) is cut into one unit
/// per old province, coded <code>-<province>.
std::pair<std::string, std::string>
no_merger(const Sources& s, const Crosswalk& cw, const std::string& output, std::size_t& cut) {
    std::ostringstream alt;
    scenario_header(alt,
                    output,
                    "vn-2025-no-province-merger",
                    "The 2025 commune mapping with the 63 provinces kept",
                    "mapping-no-province-merger.csv",
                    false); // the 63 old provinces reuse codes of the 34 new ones
    for (const auto& [code, name] : s.old_name) { // each old province as it was
        alt << "\n[[province]]\ncode = \"" << code << "\"\nname = \"" << name << "\"\ntype = \""
            << (cities().contains(code) ? "thanh_pho_tw" : "tinh") << "\"\nmembers = [\"" << code
            << "\"]\ncapital = \"" << code << "\"\n";
    }
    std::map<std::string, std::set<std::string>> old_provinces_of;
    for (const Crosswalk::Row& r : cw.rows) {
        old_provinces_of[r.new_code].insert(r.old_province);
    }
    std::ostringstream alt_map;
    alt_map << "old_code,new_code,new_name,new_type,share\n";
    for (const Crosswalk::Row& r : cw.rows) {
        const NewCommune& c = s.new_communes.at(r.new_code);
        const bool across = old_provinces_of[r.new_code].size() > 1;
        alt_map << r.unit << ',' << r.new_code << (across ? "-" + r.old_province : "") << ','
                << csv_quote(across ? c.name + " (" + r.old_province + ")" : c.name) << ','
                << c.type << ',' << r.share << '\n';
    }
    cut = 0;
    for (const auto& [code, ps] : old_provinces_of) {
        cut += ps.size() > 1;
    }
    return {alt.str(), alt_map.str()};
}

} // namespace

const std::vector<std::string>& prepared_files() {
    static const std::vector<std::string> files = {"base.gpkg",
                                                   "mapping.csv",
                                                   "scenario.toml",
                                                   "scenario-no-province-merger.toml",
                                                   "capitals.csv",
                                                   "mapping-no-province-merger.csv",
                                                   "crosswalk.csv",
                                                   "figures-communes.csv",
                                                   "figures-provinces.csv"};
    return files;
}

PrepareSummary prepare(const PrepareOptions& options) {
    for (const std::string& f : prepared_files()) {
        geo::check_output((fs::path(options.output) / f).string(), options.policy);
    }
    Sources s = read_sources(options.data_dir, options.progress);
    std::map<std::string, std::string> province_names;
    for (const auto& [code, p] : s.provinces) {
        province_names[code] = p.first;
    }
    const detail::OfficialFigures figures =
        detail::official_figures(options.data_dir, s.post, province_names, s.legal);
    for (const auto& [code, type] : figures.type_of) { // July 2025 types, not the snapshot's
        s.new_communes.at(code).type = type;
    }
    const Overlay ov = overlay(s, options.progress);
    Crosswalk cw;
    crosswalk(s, ov, cw);
    write_base(s, cw, options);
    const std::string caps = capitals_csv(s, options.data_dir);
    PrepareSummary out;
    const auto [alt, alt_map] = no_merger(s, cw, options.output, out.drawn_across_provinces);
    geo::OutputSet files(options.policy);
    for (const auto& [file, text] :
         {std::pair<const char*, std::string>{"mapping.csv", cw.mapping.str()},
          {"figures-communes.csv", figures.communes_csv},
          {"figures-provinces.csv", figures.provinces_csv},
          {"crosswalk.csv", cw.report.str()},
          {"capitals.csv", caps},
          {"scenario.toml", scenario_toml(s, options.output)},
          {"scenario-no-province-merger.toml", alt},
          {"mapping-no-province-merger.csv", alt_map}}) {
        files.add((fs::path(options.output) / file).string(), text);
    }
    files.commit();
    out.polygons = s.pre.units.size();
    out.split = cw.split;
    out.pieces = cw.pieces;
    out.from_post = cw.from_post;
    out.reached_by_cut.assign(cw.reached_by_cut.begin(), cw.reached_by_cut.end());
    out.by_code = cw.methods["code"];
    out.by_overlay = cw.methods["overlay"];
    out.nearest = cw.methods["nearest"];
    out.new_communes = s.new_communes.size();
    out.repaired = s.pre_validity.repaired;
    out.figures_matched = figures.matched;
    out.figures_unmatched = figures.unmatched;
    out.population_missing = figures.population_missing;
    out.area_ambiguous = figures.area_ambiguous;
    return out;
}

} // namespace amsim::sim::vn2025
