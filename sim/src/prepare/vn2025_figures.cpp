// Official figures of the new units: see vn2025_figures.hpp.

#include "vn2025_figures.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/equal_area.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <cmath>
#include <cstdio>
#include <regex>
#include <set>
#include <sstream>

namespace amsim::sim::vn2025::detail {

namespace {

/// A province's name without its title, folded: "Thủ đô Hà Nội" and "Thành phố Hà Nội" are
/// "ha noi".
std::string province_key(const std::string& name) {
    std::string k = geo::fold(name);
    for (const char* title : {"thu do ", "thanh pho ", "tinh "}) {
        if (k.starts_with(title)) {
            k = k.substr(std::string(title).size());
        }
    }
    return k;
}

/// A commune's full name without its type, however written: "Xã Ea H’Leo", "xã Bắc Sơn",
/// "Xã\u00a0Yên Thành" -> the name.
std::string without_type(const std::string& full) {
    const std::string k = geo::fold(full);
    const int words =
        k.starts_with("dac khu ") ? 2 : (k.starts_with("xa ") || k.starts_with("phuong ") ? 1 : 0);
    std::size_t at = 0;
    for (int w = 0; w < words; ++w) {
        at = full.find_first_of(" \xC2", at); // a space, or the lead byte of U+00A0
        if (at == std::string::npos) {
            return full;
        }
        at += full[at] == ' ' ? 1 : 2;
    }
    return full.substr(at);
}

std::string type_key(const std::string& loai) {
    const std::string k = geo::fold(loai);
    return k == "phuong" ? "phuong" : (k == "dac khu" ? "dac_khu" : "xa");
}

/// Digits only ("102,136" and "8.718.000" are thousands-separated); empty if none.
std::string whole_number(const std::string& text) {
    std::string digits;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c != ',' && c != '.' && c != ' ') {
            return "";
        }
    }
    return digits;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// Which post-reform unit each official row is, by province then name: the exact name
/// (NFC, lower case) first, then the folded name, the type breaking ties each time.
std::vector<std::size_t> join_rows(const CsvTable& t,
                                   const geo::UnitLayer& post,
                                   const std::map<std::string, std::string>& province_names,
                                   OfficialFigures& out) {
    std::map<std::string, std::string> province_of_key;
    for (const auto& [code, name] : province_names) {
        province_of_key[province_key(name)] = code;
    }
    const std::size_t none = post.units.size();
    std::vector<std::size_t> unit_of_row(t.rows.size(), none);
    std::set<std::size_t> taken;
    const std::size_t c_prov = t.require("tentinh");
    const std::size_t c_name = t.require("tenhc");
    const std::size_t c_type = t.require("loai");
    for (int stage = 0; stage < 2; ++stage) {
        auto key = [&](const std::string& s) {
            return stage == 0 ? geo::fold(s) + "|" + geo::nfc(s) : geo::fold(s);
        };
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            if (unit_of_row[r] != none) {
                continue;
            }
            const auto p = province_of_key.find(province_key(t.rows[r][c_prov]));
            if (p == province_of_key.end()) {
                continue;
            }
            std::vector<std::size_t> hits;
            for (std::size_t i = 0; i < post.units.size(); ++i) {
                if (!taken.contains(i) && post.units[i].parent_code == p->second &&
                    key(without_type(post.units[i].name)) == key(t.rows[r][c_name])) {
                    hits.push_back(i);
                }
            }
            if (hits.size() > 1) { // the type breaks a tie ("Phường Mỹ Tho", "Xã Mỹ Thọ")
                std::erase_if(hits, [&](std::size_t i) {
                    return geo::fold(post.units[i].name).rfind(geo::fold(t.rows[r][c_type]), 0) !=
                           0;
                });
            }
            if (hits.size() == 1) {
                unit_of_row[r] = hits[0];
                taken.insert(hits[0]);
            }
        }
    }
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        if (unit_of_row[r] == none) {
            out.unmatched.push_back(t.rows[r][c_prov] + ": " + t.rows[r][c_name]);
        } else {
            ++out.matched;
        }
    }
    return unit_of_row;
}

/// The official area: a dot is the decimal mark, but "1.234" may be thousands; such a value
/// is read the way closer to the unit's area computed from its polygon.
std::string area_text(const std::string& text, double polygon_km2, OfficialFigures& out) {
    static const std::regex ambiguous(R"(\d{1,3}\.\d{3})");
    const auto v = geo::parse_number(text);
    if (!v || *v <= 0) { // "0.0" where the area is not given
        ++out.area_missing;
        return "";
    }
    if (std::regex_match(text, ambiguous) && polygon_km2 > 0) {
        ++out.area_ambiguous;
        const double thousands = *v * 1000;
        if (std::abs(std::log(thousands / polygon_km2)) < std::abs(std::log(*v / polygon_km2))) {
            return fixed(thousands, 2);
        }
    }
    return text;
}

std::string communes_csv(const CsvTable& t,
                         const geo::UnitLayer& post,
                         const std::vector<std::size_t>& unit_of_row,
                         const std::map<std::string, std::vector<std::string>>& legal,
                         OfficialFigures& out) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::size_t i = unit_of_row[r];
        if (i == post.units.size()) {
            continue;
        }
        const auto& f = t.rows[r];
        const geo::Unit& u = post.units[i];
        const double polygon_km2 = geo::geodesic_area(post.geometry, i) / 1e6;
        std::string population = whole_number(f[t.require("dansonguoi")]);
        out.population_missing += population.empty();
        const std::string type = type_key(f[t.require("loai")]);
        out.type_of[u.code] = type;
        std::string codes;
        std::size_t count = 0;
        if (const auto it = legal.find(u.code); it != legal.end()) {
            for (const std::string& c : it->second) {
                codes += (codes.empty() ? "" : ";") + c;
            }
            count = it->second.size();
        }
        rows.push_back({u.code,
                        u.name,
                        type,
                        area_text(f[t.require("dientichkm2")], polygon_km2, out),
                        population,
                        f[t.require("kinhdo")],
                        f[t.require("vido")],
                        f[t.require("trungtamhc")],
                        count > 0 ? std::to_string(count) : "",
                        codes});
    }
    std::sort(rows.begin(), rows.end());
    return csv_text({"code",
                     "name",
                     "type",
                     "area_km2",
                     "population",
                     "seat_lon",
                     "seat_lat",
                     "seat_address",
                     "predecessors",
                     "predecessor_codes"},
                    rows);
}

/// The provinces' table: Vietnamese number formatting ("3.359,80", "8.718.000").
std::string provinces_csv(const std::string& data_dir,
                          const std::map<std::string, std::string>& province_names) {
    const CsvTable t = read_table(
        data_dir +
        "/raw/tranngocminhhieu-vietnamadminunits/sapnhap_new_provinces_area_pop_2025-07-17.csv");
    std::map<std::string, std::string> province_of_key;
    for (const auto& [code, name] : province_names) {
        province_of_key[province_key(name)] = code;
    }
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& f = t.rows[r];
        const auto p = province_of_key.find(province_key(f[t.require("tentinh")]));
        if (p == province_of_key.end()) {
            throw InputError(t.where(r) + ": province '" + f[t.require("tentinh")] +
                             "' is not one of the 34 new provinces");
        }
        std::string area = f[t.require("dientichkm2")];
        std::erase(area, '.');
        std::replace(area.begin(), area.end(), ',', '.');
        rows.push_back({p->second,
                        province_names.at(p->second),
                        area,
                        whole_number(f[t.require("dansonguoi")]),
                        f[t.require("kinhdo")],
                        f[t.require("vido")],
                        f[t.require("trungtamhc")]});
    }
    std::sort(rows.begin(), rows.end());
    return csv_text(
        {"code", "name", "area_km2", "population", "seat_lon", "seat_lat", "seat_address"}, rows);
}

} // namespace

OfficialFigures official_figures(const std::string& data_dir,
                                 const geo::UnitLayer& post,
                                 const std::map<std::string, std::string>& province_names,
                                 const std::map<std::string, std::vector<std::string>>& legal) {
    OfficialFigures out;
    const CsvTable t = read_table(
        data_dir +
        "/raw/tranngocminhhieu-vietnamadminunits/sapnhap_new_communes_area_pop_2025-07-17.csv");
    const std::vector<std::size_t> unit_of_row = join_rows(t, post, province_names, out);
    out.communes_csv = communes_csv(t, post, unit_of_row, legal, out);
    out.provinces_csv = provinces_csv(data_dir, province_names);
    return out;
}

} // namespace amsim::sim::vn2025::detail
