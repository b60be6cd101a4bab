// The editing session's JSON documents: a province's geometry for the map (once) and its
// state after every edit.

#include "amsim/geo/simplify.hpp"
#include "amsim/sim/serve/session.hpp"

#include <cmath>

#include "../outputs/report_text.hpp"
#include "session_state.hpp"

namespace amsim::sim {

namespace {

using nlohmann::json;

/// Longitude/latitude to 1e-5 degree (about a metre): what a screen shows, and short JSON.
json lonlat(const geo::Coord& c) {
    return json::array({std::round(c.x * 1e5) / 1e5, std::round(c.y * 1e5) / 1e5});
}

json line(const std::vector<geo::Coord>& coords) {
    json out = json::array();
    for (const geo::Coord& c : coords) {
        out.push_back(lonlat(c));
    }
    return out;
}

/// A value rounded for display (the page shows figures, the files keep them exact).
json rounded(double v, double unit) {
    return std::round(v / unit) * unit;
}

json optional_number(const std::optional<double>& v, double unit) {
    return v ? rounded(*v, unit) : json(nullptr);
}

/// A commune's flags (commune_flags: "; "-joined) in Vietnamese, numbers and codes kept.
std::string flags_vi(const std::string& flags) {
    const std::pair<const char*, const char*> words[] = {
        {"not contiguous: ", "không liền khoảnh: "},
        {" polygons", " mảnh"},
        {" (special zone)", " (đặc khu)"},
        {"region class: profile default ", "vùng: mặc định của bộ quy định "},
        {"region class ", "vùng "},
        {"estimate: density below ", "ước tính: mật độ dưới "},
        {"uses an unconfirmed rule value", "có dùng giá trị quy định chưa được xác nhận"},
        {" member(s) split between new units", " đơn vị cũ bị chia cho nhiều đơn vị mới"},
        {"'mountain'", "'miền núi'"},
        {"'other'", "'khác'"},
        {"vùng mountain", "vùng miền núi"},
        {"vùng other", "vùng khác"}};
    std::string out = flags;
    for (const auto& [en, vi] : words) {
        for (std::size_t at = out.find(en); at != std::string::npos;
             at = out.find(en, at + std::string(vi).size())) {
            out.replace(at, std::string(en).size(), vi);
        }
    }
    return out;
}

/// A commune's words as the page shows them, in Vietnamese (the report's wording: laws spelt
/// out, sources named as the law names them); the JSON keeps amsim's own words beside them.
json vietnamese(const json& c) {
    namespace rt = report_text;
    const auto vi = [&](const char* key, rt::Kind kind) {
        return rt::cell(c.at(key).get<std::string>(), kind, rt::Lang::vi);
    };
    const auto computed = [&](const char* key, rt::Kind kind) -> std::string {
        return c.at(key) == "computed from the polygons" ? "tính từ ranh giới (các polygon)"
                                                         : vi(key, kind);
    };
    return {{"why", vi("why", rt::Kind::why)},
            {"standard", rt::standard_text(c.at("standard").get<std::string>(), rt::Lang::vi)},
            {"type", vi("type", rt::Kind::type)},
            {"region", vi("region", rt::Kind::region)},
            {"region_source", vi("region_source", rt::Kind::source)},
            {"area_source", computed("area_source", rt::Kind::source)},
            {"population_source", vi("population_source", rt::Kind::source)},
            {"flags", flags_vi(c.at("flags").get<std::string>())}};
}

} // namespace

json EditSession::Impl::geometry_of(const std::string& province) const {
    if (const auto it = geometry.find(province); it != geometry.end()) {
        return it->second;
    }
    const geo::UnitLayer& layer = base.loaded.layer;
    const geo::PolygonSet& shapes = layer.geometry;
    const geo::Topology& topo = base.loaded.topology;
    const std::vector<std::uint32_t>& mine = units_of_province.at(province);
    std::vector<int> local(layer.units.size(), -1);
    geo::Envelope env;
    for (std::size_t i = 0; i < mine.size(); ++i) {
        local[mine[i]] = static_cast<int>(i);
    }
    // Everything in longitude/latitude first, then simplified at a screen's precision.
    const auto to_screen = [&](std::vector<geo::Coord> coords) {
        geo::to_lonlat(layer.crs_wkt, coords);
        return coords;
    };
    std::vector<std::vector<std::vector<std::vector<geo::Coord>>>> polygons(mine.size());
    for (std::size_t i = 0; i < mine.size(); ++i) {
        for (std::uint32_t q = shapes.part_begin(mine[i]); q < shapes.part_end(mine[i]); ++q) {
            auto& rings = polygons[i].emplace_back();
            for (std::uint32_t r = shapes.polygon_begin(q); r < shapes.polygon_end(q); ++r) {
                const auto ring = shapes.ring(r);
                rings.push_back(to_screen({ring.begin(), ring.end()}));
                for (const geo::Coord& c : rings.back()) {
                    env.expand(c);
                }
            }
        }
    }
    const double tolerance = std::hypot(env.maxx - env.minx, env.maxy - env.miny) / 5000;
    json features = json::array();
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const std::uint32_t u = mine[i];
        json polys = json::array();
        for (auto& rings : polygons[i]) {
            json p = json::array();
            for (auto& ring : rings) {
                ring.push_back(ring.front()); // closed, so that its ends stay where they are
                std::vector<geo::Coord> thin = geo::simplify_line(ring, tolerance);
                p.push_back(line(thin.size() >= 4 ? thin : ring));
            }
            polys.push_back(std::move(p));
        }
        features.push_back({{"code", layer.units[u].code},
                            {"name", layer.units[u].name},
                            {"old_province", base.units[u].province},
                            {"type", to_string(units[u].type)},
                            {"area_km2", rounded(units[u].area_km2, 0.01)},
                            {"population", optional_number(units[u].population, 1)},
                            {"label", lonlat(units[u].label)},
                            {"polygons", std::move(polys)}});
    }
    json arcs = json::array();
    for (std::size_t a = 0; a < topo.arc_count(); ++a) {
        const std::uint32_t l = topo.arc_left(a), r = topo.arc_right(a);
        const int li = l < local.size() ? local[l] : -1;
        const int ri = r < local.size() ? local[r] : -1;
        if (li < 0 && ri < 0) {
            continue;
        }
        std::vector<geo::Coord> coords;
        for (const std::uint32_t n : topo.arc_nodes(a)) {
            coords.push_back(topo.node(n));
        }
        arcs.push_back(
            {{"a", li}, {"b", ri}, {"c", line(geo::simplify_line(to_screen(coords), tolerance))}});
    }
    json out = {{"units", std::move(features)},
                {"arcs", std::move(arcs)},
                {"bounds", {{env.miny, env.minx}, {env.maxy, env.maxx}}}};
    geometry.emplace(province, out);
    return out;
}

json EditSession::Impl::state_of(const std::string& province) const {
    const auto groups = members(province);
    json communes = json::array();
    double staffed_total = 0, norm_total = 0, surplus_total = 0;
    std::size_t unknown = 0, scattered = 0;
    for (const NewCommune& c : run.communes) {
        if (c.province != province) {
            continue;
        }
        const std::vector<std::uint32_t>& members = groups.at(c.code);
        double staffed = 0, population = 0, mountain_area = 0, area = 0;
        std::uint32_t largest = members.front();
        for (const std::uint32_t u : members) {
            for (const std::size_t r : units[u].rows) {
                const double share = scenario.mapping[r].share;
                staffed += share * units[u].staff;
                population += share * units[u].population.value_or(0);
                area += share * units[u].area_km2;
                mountain_area += units[u].mountain ? share * units[u].area_km2 : 0;
            }
            largest = units[u].area_km2 > units[largest].area_km2 ? u : largest;
        }
        const int norm = new_commune_norm(
            population, 2 * mountain_area > area, c.type != UnitType::xa, staffing);
        staffed_total += staffed;
        norm_total += norm;
        surplus_total += std::max(0.0, staffed - norm);
        unknown += c.population_unknown() ? 1 : 0;
        scattered += c.polygons > 1 ? 1 : 0;
        const Verdict& v = c.verdict;
        communes.push_back(
            {{"code", c.code},
             {"name", c.name},
             {"type", to_string(c.type)},
             {"members", members.size()},
             {"area_km2", rounded(c.judged_area(), 0.01)},
             {"area_source",
              c.area_km2_figures ? run.figures_label : std::string("computed from the polygons")},
             {"population", optional_number(c.judged_population(), 1)},
             {"population_source",
              c.population_figures
                  ? run.figures_label
                  : run.population_label +
                        (c.population_by_area ? " (partly by area: estimate)" : "")},
             {"area_pct", rounded(v.area_pct, 0.1)},
             {"population_pct", rounded(v.population_pct, 0.1)},
             {"evaluated", v.evaluated},
             {"waived", v.waived},
             {"pass", v.pass},
             {"why", v.why},
             {"standard", v.standard},
             {"region", c.region.empty() ? run.default_region : c.region},
             {"region_source", c.region_source},
             {"polygons", c.polygons},
             {"polsby_popper", rounded(c.polsby_popper, 0.001)},
             {"seat", c.seat_office},
             {"seat_km", optional_number(c.seat_distance_km, 0.1)},
             {"staff", rounded(staffed, 0.1)},
             {"norm", norm},
             {"surplus", rounded(staffed - norm, 0.1)},
             {"flags", commune_flags(c, run)},
             {"label", lonlat(units[largest].label)}});
        communes.back()["vi"] = vietnamese(communes.back());
    }
    json assign = json::array(), locks = json::array();
    for (const std::uint32_t u : units_of_province.at(province)) {
        assign.push_back(new_code_of(*this, u));
        locks.push_back(locked.contains(base.loaded.layer.units[u].code));
    }
    const NewProvince& p = *std::find_if(run.provinces.begin(),
                                         run.provinces.end(),
                                         [&](const NewProvince& x) { return x.code == province; });
    const bool undoable = !undo.empty() && undo.back().province == province;
    const bool redoable = !redo.empty() && redo.back().province == province;
    return {{"version", version},
            {"unsaved", version != saved_version},
            {"undo", undoable ? json(undo.back().what) : json(nullptr)},
            {"redo", redoable ? json(redo.back().what) : json(nullptr)},
            {"province",
             {{"code", p.code},
              {"name", p.name},
              {"new_units", p.new_communes()},
              {"target", target.at(province)},
              {"target_source", "the plan as loaded"},
              {"xa", p.xa},
              {"phuong", p.phuong},
              {"dac_khu", p.dac_khu},
              {"below_standard", p.below_standard},
              {"population_unknown", unknown},
              {"not_contiguous", scattered},
              {"staff", rounded(staffed_total, 1)},
              {"norm", norm_total},
              {"surplus", rounded(surplus_total, 1)},
              {"staff_source",
               "estimated from the Decree 33/2023 norms (old units) and the new communes' norm"}}},
            {"communes", std::move(communes)},
            {"assign", std::move(assign)},
            {"locked", std::move(locks)}};
}

} // namespace amsim::sim
