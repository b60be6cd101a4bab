#pragma once
/// @file figures.hpp
/// Figures a scenario gives for its new units (official or a planner's own): area, population,
/// type, seat point and address, and the legal predecessors. A run judges a unit on these where
/// they exist and keeps its figures computed from the polygons beside them (run.hpp).

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace amsim::sim {

enum class UnitType;

/// One unit's row of a figures table; a blank cell is an unknown figure.
struct UnitFigures {
    std::string code;
    std::string name;
    std::optional<UnitType> type;
    std::optional<double> area_km2;
    std::optional<double> population;
    std::optional<double> seat_lon, seat_lat; ///< WGS 84 degrees
    std::string seat_address;
    std::optional<std::size_t> predecessors; ///< legal predecessors (whole or in part)
    std::string predecessor_codes;           ///< their codes, ";"-joined
    std::string region;                      ///< mountain | other | island (empty: not given)
    /// A reduction of the population standard that applies to the unit (Res 112/2025: land
    /// border, ethnic minorities), in percent.
    std::optional<double> population_reduction_pct;
    std::string where; ///< "file:line"

    [[nodiscard]] bool has_seat() const { return seat_lon && seat_lat; }
};

/// A figures table: by unit code, with the label every figure from it carries.
struct FiguresTable {
    std::string path;
    std::string label; ///< e.g. "official"; how outputs name the source
    std::map<std::string, UnitFigures> units;

    [[nodiscard]] const UnitFigures* find(const std::string& code) const {
        const auto it = units.find(code);
        return it != units.end() ? &it->second : nullptr;
    }
};

/// Reads a figures CSV: a `code` column, and any of name, type, area_km2, population,
/// seat_lon, seat_lat, seat_address, predecessors, predecessor_codes, region (mountain, other
/// or island; "miền núi", "hải đảo", "khác" too), population_reduction_pct (other columns are
/// ignored). A bad number, a value out of range or a repeated code is a ScenarioError naming
/// the file, line and column.
[[nodiscard]] FiguresTable read_figures(const std::string& path, const std::string& label);

} // namespace amsim::sim
