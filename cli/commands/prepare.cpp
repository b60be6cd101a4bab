// amsim prepare-vn2025 -o DIR: generates the real 2025 reform as a scenario from the national
// data directory (the data may not be redistributed, so neither is what is made from it):
//   DIR/base.gpkg      the pre-reform commune polygons, one unit per polygon, with the 2019
//                      census population and how each was matched;
//   DIR/mapping.csv    old polygon -> new commune (code, name, type, share);
//   DIR/scenario.toml  the 34 provinces (23 mergers) and the files above;
//   DIR/crosswalk.csv  how every polygon was matched.
//
// The crosswalk. The polygons carry 2019 GSO codes and their 2024-11 successors; the official
// mapping (dvhcvn 20250701) is keyed by the 2025-03-01 codes. A polygon whose 2024-11 code is
// an old unit of that mapping takes its new commune(s) from it ("code"); between 2024-11 and
// 2025-03 about 460 communes merged, and 208 polygons have no code: those are matched by
// spatial overlay with the post-reform polygons ("overlay"), or to the nearest new commune of
// their province when nothing overlaps ("nearest"). Shares of a polygon split between several
// new communes come from the overlay areas; parts under 5 % are dropped (digitising and
// vintage differences between the two layers, not splits).

#include "amsim/geo/error.hpp"
#include "amsim/geo/geos_context.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/validity.hpp"
#include "amsim/sim/csv.hpp"

#include <cpl_vsi.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

namespace fs = std::filesystem;

std::string read_gz(const std::string& path) {
    VSILFILE* f = VSIFOpenL(("/vsigzip/" + path).c_str(), "rb");
    if (f == nullptr) {
        throw InputError(path + ": cannot open");
    }
    std::string out;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0) {
        out.append(buf, n);
    }
    VSIFCloseL(f);
    return out;
}

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

class PrepareCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("-o,--output",
                       m_output,
                       "Directory for the generated scenario (default scenarios/vn-2025, "
                       "where git ignores the generated files)");
        app.add_flag("--overwrite", m_overwrite, "Replace existing generated files");
        app.footer("Example:\n  amsim prepare-vn2025 && amsim run scenarios/vn-2025 -o "
                   "data/work/runs");
    }

    int run(const GlobalOptions& global) override {
        const std::string d = data_dir(global);
        const auto progress = make_progress(global);
        // Every generated file is checked before the work; the text files are written as one
        // output at the end (all or none), after the base layer.
        geo::OutputPolicy policy;
        policy.overwrite = m_overwrite;
        for (const char* f : {"base.gpkg",
                              "mapping.csv",
                              "scenario.toml",
                              "scenario-no-province-merger.toml",
                              "capitals.csv",
                              "mapping-no-province-merger.csv",
                              "crosswalk.csv"}) {
            geo::check_output((fs::path(m_output) / f).string(), policy);
        }

        // Post-reform communes (simplified: overlay only) and the official mapping.
        geo::ReadOptions ro;
        ro.mapping.code = "code";
        ro.mapping.name = "fullName";
        ro.mapping.parent = "province_code";
        std::vector<geo::Diagnostic> diags;
        const geo::UnitLayer post = geo::read_units(
            "/vsigzip/" + d + "/derived/vn_communes_2025_simplified5pct.geojson.gz", ro, diags);
        std::map<std::string, NewCommune> new_communes;
        for (const geo::Unit& u : post.units) {
            new_communes[u.code] = {u.code, u.name, type_of(u.name), u.parent_code};
        }
        const auto merges = nlohmann::json::parse(
            read_gz(d + "/raw/dvhcvn-20250701/mapping_merges_new_to_old.json.gz"));
        std::map<std::string, std::set<std::string>> new_of_old; // 2025-03-01 code -> new
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
                    new_of_old[m.at("old_id").get<std::string>()].insert(code);
                }
            }
        }

        // Province mergers.
        const sim::CsvTable pm = sim::read_csv(d + "/derived/province_mapping_63_to_34.csv");
        std::map<std::string, std::string> new_province; // old -> new
        std::map<std::string, std::string> old_name;
        std::map<std::string, std::pair<std::string, std::vector<std::string>>> provinces;
        for (std::size_t r = 0; r < pm.rows.size(); ++r) {
            const auto& row = pm.rows[r];
            const std::string old_code = row[pm.require("old_province_code")];
            const std::string new_code = row[pm.require("new_province_code")];
            new_province[old_code] = new_code;
            old_name[old_code] = row[pm.require("old_province_name")];
            provinces[new_code].first = row[pm.require("new_province_name")];
            provinces[new_code].second.push_back(old_code);
        }

        // Census population by 2019 code.
        const sim::CsvTable census =
            sim::read_csv(d + "/derived/pop2019_commune_census_gsocodes.csv");
        std::map<std::string, double> pop2019;
        for (const auto& row : census.rows) {
            const std::string code = row[census.require("gso_commune_code_2019")];
            const std::string p = row[census.require("pop_total_2019")];
            if (!code.empty() && !p.empty()) {
                pop2019[code] += std::stod(p);
            }
        }

        // Pre-reform polygons: full (the base) and simplified (overlay), joined by 'fid'.
        geo::ReadOptions pre_ro;
        pre_ro.mapping.code = "fid";
        pre_ro.mapping.name = "name";
        pre_ro.mapping.parent = "gso_province_code_2019";
        pre_ro.progress = progress;
        geo::UnitLayer pre = geo::read_units(
            "/vsigzip/" + d + "/derived/vn_communes_pre2025_mapmaker_gsocodes.geojson.gz",
            pre_ro,
            diags);
        // The base layer is written valid: its invalid polygons repaired as amsim run would
        // (the repairs are listed by amsim inspect on the source).
        const geo::ValidityReport pre_validity = geo::check_units(pre, true);
        const geo::UnitLayer pre_s = geo::read_units(
            "/vsigzip/" + d +
                "/derived/vn_communes_pre2025_mapmaker_gsocodes_simplified10pct.geojson.gz",
            pre_ro,
            diags);
        std::map<std::string, std::size_t> simplified_of;
        for (std::size_t u = 0; u < pre_s.units.size(); ++u) {
            simplified_of[pre_s.units[u].code] = u;
        }

        // Overlay areas of every old polygon with the new communes of its new province.
        geo::GeosContext geos;
        std::vector<geo::GeomPtr> post_geoms;
        GEOSSTRtree* tree = GEOSSTRtree_create_r(geos.handle(), 10);
        for (std::size_t i = 0; i < post.units.size(); ++i) {
            post_geoms.push_back(geos.to_geos(post.geometry, i));
        }
        for (std::size_t i = 0; i < post.units.size(); ++i) {
            // The tree's item is the unit's index (GEOS takes it as a pointer).
            GEOSSTRtree_insert_r(geos.handle(),
                                 tree,
                                 post_geoms[i].get(),
                                 reinterpret_cast<void*>(i)); // NOLINT(performance-no-int-to-ptr)
        }
        const std::size_t n = pre.units.size();
        std::vector<std::map<std::string, double>> overlap(n);
        std::vector<geo::Coord> centre(n);
        for (std::size_t u = 0; u < n; ++u) {
            const auto it = simplified_of.find(pre.units[u].code);
            const geo::PolygonSet& src = it != simplified_of.end() ? pre_s.geometry : pre.geometry;
            const std::size_t part = it != simplified_of.end() ? it->second : u;
            if (src.part_begin(part) == src.part_end(part)) {
                continue;
            }
            const geo::Envelope e = src.part_envelope(part);
            centre[u] = {(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2};
            geo::GeomPtr g = geos.to_geos(src, part);
            geo::GeomPtr valid(GEOSMakeValid_r(geos.handle(), g.get()),
                               geo::GeomDeleter{geos.handle()});
            const std::string prov = new_province[pre.units[u].parent_code];
            struct Ctx {
                std::vector<std::size_t> hits;
            } ctx;
            GEOSSTRtree_query_r(
                geos.handle(),
                tree,
                valid.get(),
                [](void* item, void* data) {
                    static_cast<Ctx*>(data)->hits.push_back(reinterpret_cast<std::size_t>(item));
                },
                &ctx);
            for (std::size_t i : ctx.hits) {
                if (post.units[i].parent_code != prov) {
                    continue;
                }
                GEOSGeometry* x =
                    GEOSIntersection_r(geos.handle(), valid.get(), post_geoms[i].get());
                if (x == nullptr) {
                    continue;
                }
                double a = 0;
                GEOSArea_r(geos.handle(), x, &a);
                GEOSGeom_destroy_r(geos.handle(), x);
                if (a > 0) {
                    overlap[u][post.units[i].code] += a;
                }
            }
            geo::report(
                progress, "prepare: overlay", static_cast<double>(u + 1) / static_cast<double>(n));
        }
        GEOSSTRtree_destroy_r(geos.handle(), tree);

        // The crosswalk.
        std::ostringstream mapping;
        std::ostringstream report;
        mapping << "old_code,new_code,new_name,new_type,share\n";
        report << "unit_code,name,province_2019,code_2019,code_2024_11,method,new_codes\n";
        std::map<std::string, std::size_t> methods;
        std::map<std::string, std::vector<std::size_t>> units_of_code2019;
        for (std::size_t u = 0; u < n; ++u) {
            const std::string c = attr(pre, u, "gso_commune_code_2019");
            if (!c.empty()) {
                units_of_code2019[c].push_back(u);
            }
        }
        std::vector<std::string> unit_code(n), method(n);
        struct Row {
            std::string unit, old_province, new_code, share;
        };
        std::vector<Row> rows;
        std::vector<double> population(n, -1);
        for (std::size_t u = 0; u < n; ++u) {
            unit_code[u] = "m" + pre.units[u].code;
            const std::string prov = new_province[pre.units[u].parent_code];
            std::set<std::string> candidates;
            for (const std::string& c : split(attr(pre, u, "gso_commune_code_2024_11"), ';')) {
                if (auto it = new_of_old.find(c); it != new_of_old.end()) {
                    for (const std::string& nc : it->second) {
                        if (new_communes.contains(nc) && new_communes[nc].province == prov) {
                            candidates.insert(nc);
                        }
                    }
                }
            }
            std::map<std::string, double> shares;
            if (!candidates.empty()) {
                method[u] = "code";
                double total = 0;
                for (const std::string& nc : candidates) {
                    const auto it = overlap[u].find(nc);
                    shares[nc] = it != overlap[u].end() ? it->second : 0;
                    total += shares[nc];
                }
                for (auto& [nc, s] : shares) {
                    s = total > 0 ? s / total : 1.0 / static_cast<double>(candidates.size());
                }
            } else if (!overlap[u].empty()) {
                method[u] = "overlay";
                double total = 0;
                for (const auto& [nc, a] : overlap[u]) {
                    total += a;
                }
                for (const auto& [nc, a] : overlap[u]) {
                    shares[nc] = a / total;
                }
            } else {
                method[u] = "nearest";
                double best = 1e300;
                std::string best_code;
                for (std::size_t i = 0; i < post.units.size(); ++i) {
                    if (post.units[i].parent_code != prov) {
                        continue;
                    }
                    const geo::Envelope e = post.geometry.part_envelope(i);
                    const double dx = (e.minx + e.maxx) / 2 - centre[u].x;
                    const double dy = (e.miny + e.maxy) / 2 - centre[u].y;
                    if (dx * dx + dy * dy < best) {
                        best = dx * dx + dy * dy;
                        best_code = post.units[i].code;
                    }
                }
                if (best_code.empty()) {
                    throw InputError("no new commune in province " + prov + " for " +
                                     pre.describe(u));
                }
                shares[best_code] = 1;
            }
            // Drop slivers under 5 %, keep the largest at least.
            double kept = 0;
            std::string largest;
            for (const auto& [nc, s] : shares) {
                if (largest.empty() || s > shares[largest]) {
                    largest = nc;
                }
            }
            std::map<std::string, double> final_shares;
            for (const auto& [nc, s] : shares) {
                if (s >= 0.05 || nc == largest) {
                    final_shares[nc] = s;
                    kept += s;
                }
            }
            std::string list;
            double written = 0;
            std::size_t k = 0;
            for (const auto& [nc, s] : final_shares) {
                const NewCommune& c = new_communes.at(nc);
                char share[32];
                // The last share is what the others leave, so that the written shares sum to 1.
                std::snprintf(share,
                              sizeof share,
                              "%.6f",
                              ++k == final_shares.size() ? 1 - written : s / kept);
                written += std::stod(share);
                mapping << unit_code[u] << ',' << nc << ',' << sim::csv_quote(c.name) << ','
                        << c.type << ',' << share << '\n';
                rows.push_back({unit_code[u], pre.units[u].parent_code, nc, share});
                list += (list.empty() ? "" : ";") + nc;
            }
            ++methods[method[u]];
            report << unit_code[u] << ',' << sim::csv_quote(pre.units[u].name) << ','
                   << pre.units[u].parent_code << ',' << attr(pre, u, "gso_commune_code_2019")
                   << ',' << attr(pre, u, "gso_commune_code_2024_11") << ',' << method[u] << ','
                   << list << '\n';
            // Population: the 2019 census of its code, divided by area among polygons
            // sharing the code.
            const std::string c2019 = attr(pre, u, "gso_commune_code_2019");
            if (auto it = pop2019.find(c2019); !c2019.empty() && it != pop2019.end()) {
                const auto& same = units_of_code2019[c2019];
                double total = 0, mine = 0;
                for (std::size_t v : same) {
                    const double a = std::abs(pre.geometry.part_area(v));
                    total += a;
                    mine += v == u ? a : 0;
                }
                population[u] = total > 0 ? it->second * mine / total : it->second;
            }
        }

        // The base layer: full polygons, one unit each.
        using K = geo::OutputField::Kind;
        std::vector<geo::OutputField> fields = {{"unit_code", K::string, {}},
                                                {"name", K::string, {}},
                                                {"province", K::string, {}},
                                                {"population", K::real, {}},
                                                {"code_2019", K::string, {}},
                                                {"crosswalk", K::string, {}},
                                                {"district", K::string, {}}};
        for (std::size_t u = 0; u < n; ++u) {
            fields[0].values.emplace_back(unit_code[u]);
            fields[1].values.emplace_back(pre.units[u].name);
            fields[2].values.emplace_back(pre.units[u].parent_code);
            fields[3].values.push_back(population[u] >= 0 ? geo::AttributeValue(population[u])
                                                          : geo::AttributeValue(std::monostate{}));
            fields[4].values.emplace_back(attr(pre, u, "gso_commune_code_2019"));
            // The 2019 district; for a polygon without one, its province and district name.
            const std::string district = attr(pre, u, "gso_district_code_2019");
            fields[6].values.emplace_back(district.empty() ? pre.units[u].parent_code + ":" +
                                                                 attr(pre, u, "district")
                                                           : district);
            fields[5].values.emplace_back(method[u]);
        }
        geo::WriteOptions wo;
        wo.policy = policy;
        wo.crs_wkt = pre.crs_wkt;
        wo.layer = "communes_pre2025";
        geo::write_units((fs::path(m_output) / "base.gpkg").string(), pre.geometry, fields, wo);

        std::ostringstream caps;
        // Where each old province's capital was, approximately: the centroid of the district
        // named "Thành phố <province>" ("name"), else of its most populous city or urban
        // district in the 2019 census ("largest city"). No capital point is in the data.
        {
            std::map<std::string, double> district_pop;
            for (const auto& row : census.rows) {
                const std::string p = row[census.require("pop_total_2019")];
                if (!p.empty()) {
                    district_pop[row[census.require("gso_district_code_2019")]] += std::stod(p);
                }
            }
            geo::ReadOptions dro;
            dro.mapping.code = "district_code";
            dro.mapping.name = "name";
            dro.mapping.parent = "province_code";
            const geo::UnitLayer districts = geo::read_units(
                "/vsigzip/" + d +
                    "/raw/daohoangson-dvhcvn/vn_districts_pre2025_gischinhphu.geojson.gz",
                dro,
                diags);
            caps << "old_province,province_name,capital_district,method,lon,lat\n";
            for (const auto& [code, name] : old_name) {
                std::string short_name = name;
                for (const char* prefix : {"Tỉnh ", "Thành phố "}) {
                    if (short_name.starts_with(prefix)) {
                        short_name = short_name.substr(std::string(prefix).size());
                    }
                }
                std::size_t best = districts.units.size();
                std::string how;
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
                        best = i;
                        how = "name";
                        break;
                    }
                    const bool urban = dname.starts_with("Thành phố") || dname.starts_with("Quận");
                    const double pop =
                        district_pop.contains(dist.code) ? district_pop[dist.code] : 0;
                    if (urban && pop > best_pop) {
                        best = i;
                        best_pop = pop;
                        how = "largest city";
                    }
                }
                if (best == districts.units.size()) {
                    continue; // not in the district layer (Quảng Ninh): no point
                }
                const geo::Envelope e = districts.geometry.part_envelope(best);
                char buf[64];
                std::snprintf(
                    buf, sizeof buf, "%.5f,%.5f", (e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2);
                caps << code << ',' << sim::csv_quote(name) << ','
                     << sim::csv_quote(districts.units[best].name) << ',' << how << ',' << buf
                     << '\n';
            }
        }

        // The scenario: the 34 provinces; a merged province carries the code of the member
        // holding its centre (Res 60-NQ/TW; RULES.md §3.1), which is its capital.
        const std::set<std::string> cities = {"01", "31", "46", "48", "79", "92"};
        // The header both scenarios share: what generated them, the base layer, the mapping.
        auto header = [&](std::ostream& out,
                          const std::string& name,
                          const std::string& description,
                          const std::string& mapping_file) {
            out << "# Generated by: amsim prepare-vn2025 -o " << m_output << "\n"
                << "# From the national data directory; not for redistribution (see SOURCES.md).\n"
                << "name = \"" << name << "\"\ndescription = \"" << description << "\"\n"
                << "rules = \"vn-2025\"\n\n[base]\nsource = \"base.gpkg\"\nlayer = "
                   "\"communes_pre2025\"\ncode = \"unit_code\"\nname = \"name\"\nprovince = "
                   "\"province\"\npopulation = \"population\"\n\n[communes]\nmapping = \""
                << mapping_file << "\"\n";
        };
        std::ostringstream toml;
        header(toml,
               "vn-2025",
               "The 2025 reform: 63 -> 34 provinces, 10,035 -> 3,321 communes (official mapping, "
               "dvhcvn 20250701), on the pre-reform commune polygons",
               "mapping.csv");
        for (const auto& [code, p] : provinces) {
            toml << "\n[[province]]\ncode = \"" << code << "\"\nname = \"" << p.first
                 << "\"\ntype = \"" << (cities.contains(code) ? "thanh_pho_tw" : "tinh")
                 << "\"\nmembers = [";
            for (std::size_t i = 0; i < p.second.size(); ++i) {
                toml << (i ? ", " : "") << '"' << p.second[i] << '"';
            }
            toml << "]\ncapital = \"" << code << "\"\n";
        }
        // The alternative a planner asks first: the same communes, no province merged.
        std::ostringstream alt;
        header(alt,
               "vn-2025-no-province-merger",
               "The 2025 commune mapping with the 63 provinces kept",
               "mapping-no-province-merger.csv");
        for (const auto& [code, name] : old_name) { // each old province as it was
            alt << "\n[[province]]\ncode = \"" << code << "\"\nname = \"" << name << "\"\ntype = \""
                << (cities.contains(code) ? "thanh_pho_tw" : "tinh") << "\"\nmembers = [\"" << code
                << "\"]\ncapital = \"" << code << "\"\n";
        }
        // Its mapping: a new commune drawn across old province lines (possible once the
        // provinces merged) is cut into one unit per old province, coded <code>-<province>.
        std::map<std::string, std::set<std::string>> old_provinces_of;
        for (const Row& r : rows) {
            old_provinces_of[r.new_code].insert(r.old_province);
        }
        std::ostringstream alt_map;
        alt_map << "old_code,new_code,new_name,new_type,share\n";
        std::size_t cut = 0;
        for (const Row& r : rows) {
            const NewCommune& c = new_communes.at(r.new_code);
            const bool across = old_provinces_of[r.new_code].size() > 1;
            alt_map << r.unit << ',' << r.new_code << (across ? "-" + r.old_province : "") << ','
                    << sim::csv_quote(across ? c.name + " (" + r.old_province + ")" : c.name) << ','
                    << c.type << ',' << r.share << '\n';
        }
        for (const auto& [code, ps] : old_provinces_of) {
            cut += ps.size() > 1;
        }
        geo::OutputSet files(policy);
        for (const auto& [file, text] :
             {std::pair<const char*, const std::ostringstream*>{"mapping.csv", &mapping},
              {"crosswalk.csv", &report},
              {"capitals.csv", &caps},
              {"scenario.toml", &toml},
              {"scenario-no-province-merger.toml", &alt},
              {"mapping-no-province-merger.csv", &alt_map}}) {
            files.add((fs::path(m_output) / file).string(), text->str());
        }
        files.commit();
        if (global.json) {
            std::cout << nlohmann::json{{"output", m_output},
                                        {"polygons", n},
                                        {"crosswalk_code", methods["code"]},
                                        {"crosswalk_overlay", methods["overlay"]},
                                        {"crosswalk_nearest", methods["nearest"]},
                                        {"new_communes", new_communes.size()},
                                        {"drawn_across_provinces", cut},
                                        {"polygons_repaired", pre_validity.repaired}}
                             .dump(2)
                      << '\n';
        } else if (!global.quiet) {
            std::printf("prepared vn-2025 in %s: %zu polygons; crosswalk by code %zu, overlay "
                        "%zu, nearest %zu; %zu new communes referenced; %zu drawn across old "
                        "province lines (cut by province in the no-province-merger variant)\n",
                        m_output.c_str(),
                        n,
                        methods["code"],
                        methods["overlay"],
                        methods["nearest"],
                        new_communes.size(),
                        cut);
            if (pre_validity.repaired > 0) {
                std::printf("  %zu invalid polygons of the pre-reform layer repaired by MakeValid "
                            "in base.gpkg\n",
                            pre_validity.repaired);
            }
        }
        return 0;
    }

private:
    std::string m_output = AMSIM_SOURCE_DIR "/scenarios/vn-2025";
    bool m_overwrite = false;
};

} // namespace

std::unique_ptr<Command> make_prepare_command() {
    return std::make_unique<PrepareCommand>();
}

} // namespace amsim::cli
