#include "amsim/sim/scenario/figures.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cmath>

namespace amsim::sim {

namespace {

/// A region class however written: mountain / miền núi (vùng cao), island / hải đảo, other /
/// khác.
std::string region_class(const std::string& text, const std::string& where) {
    const std::string k = geo::fold(text);
    if (k == "mountain" || k.starts_with("mien nui") || k == "vung cao") {
        return "mountain";
    }
    if (k == "island" || k == "hai dao" || k == "dao") {
        return "island";
    }
    if (k == "other" || k == "khac") {
        return "other";
    }
    throw ScenarioError(where + ", column 'region': '" + text +
                        "' is not a region class (mountain, island or other)");
}

} // namespace

FiguresTable read_figures(const std::string& path, const std::string& label) {
    const CsvTable t = read_table(path);
    FiguresTable out;
    out.path = path;
    out.label = label;
    const std::size_t c_code = t.require("code");
    const auto c_name = t.column("name");
    const auto c_type = t.column("type");
    const auto c_area = t.column("area_km2");
    const auto c_pop = t.column("population");
    const auto c_lon = t.column("seat_lon");
    const auto c_lat = t.column("seat_lat");
    const auto c_address = t.column("seat_address");
    const auto c_pred = t.column("predecessors");
    const auto c_codes = t.column("predecessor_codes");
    const auto c_region = t.column("region");
    const auto c_reduction = t.column("population_reduction_pct");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& f = t.rows[r];
        UnitFigures u;
        u.where = t.where(r);
        u.code = f[c_code];
        if (u.code.empty()) {
            throw ScenarioError(u.where + ", column 'code': empty");
        }
        u.name = c_name ? f[*c_name] : "";
        if (c_type && !f[*c_type].empty()) {
            u.type = parse_unit_type(f[*c_type], u.where, "type");
        }
        // Areas from 1 m2 to a continent; people up to ten thousand million.
        u.area_km2 = cell_number(t, r, c_area, "area_km2", 1e-6, 1e7);
        u.population = cell_number(t, r, c_pop, "population", 0, 1e10);
        u.seat_lon = cell_number(t, r, c_lon, "seat_lon", -180, 180);
        u.seat_lat = cell_number(t, r, c_lat, "seat_lat", -90, 90);
        if (u.seat_lon.has_value() != u.seat_lat.has_value()) {
            throw ScenarioError(u.where + ": a seat needs both seat_lon and seat_lat");
        }
        u.seat_address = c_address ? f[*c_address] : "";
        if (const auto n = cell_number(t, r, c_pred, "predecessors", 1, 1e5)) {
            u.predecessors = static_cast<std::size_t>(
                geo::checked_whole(*n, 1, 100000, u.where + ", column 'predecessors'"));
        }
        u.predecessor_codes = c_codes ? f[*c_codes] : "";
        if (c_region && !f[*c_region].empty()) {
            u.region = region_class(f[*c_region], u.where);
        }
        u.population_reduction_pct =
            cell_number(t, r, c_reduction, "population_reduction_pct", 0, 100);
        const std::string code = u.code;
        if (!out.units.emplace(code, std::move(u)).second) {
            throw ScenarioError(t.where(r) + ", column 'code': '" + code +
                                "' is listed twice (first at " + out.units.at(code).where + ")");
        }
    }
    return out;
}

} // namespace amsim::sim
