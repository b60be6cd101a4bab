#pragma once
/// @file map.hpp
/// Maps of a run (issue 6), drawn with Cairo: the new units over the old boundaries, coloured
/// by new unit or by a metric, with labels, legend, scale bar and title, on an A4 page; PNG
/// or SVG by the file's extension. The data come from a run's GeoPackage (amsim run), and
/// the old boundaries from the base layer its provenance table names.

#include "amsim/geo/output_file.hpp"
#include "amsim/geo/polygon_set.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

/// What a map is coloured by.
enum class MapMetric {
    new_unit,       ///< each new unit its colour (neighbours differ)
    population_pct, ///< population as a % of the standard
    area_pct,       ///< area as a % of the standard
    surplus,        ///< staff above the norm (estimated)
    seat_distance,  ///< farthest predecessor from the seat, km
    verdict,        ///< meets / waived / below standard
    difference,     ///< two plans: the old units whose partners differ (amsim compare)
    offices,        ///< surplus offices per new unit, with every old office and its seat
};

[[nodiscard]] MapMetric parse_metric(const std::string& name);
[[nodiscard]] const char* metric_name(MapMetric id);
[[nodiscard]] std::vector<std::string> metric_names();

/// A run's units for mapping (longitude, latitude).
struct MapData {
    std::string scenario_name, rules;
    geo::PolygonSet units; ///< part i = new unit i
    std::vector<std::string> code, name, province;
    std::vector<std::optional<double>> population_pct, area_pct, surplus, seat_distance;
    std::vector<std::optional<double>> density; ///< people per km2 (where the centres are)
    /// 1 meets, 0 below, -1 not evaluated; waived: 2 meets it anyway, 3 would miss it or its
    /// figures are unknown.
    std::vector<int> verdict;
    geo::PolygonSet provinces; ///< part j = new province j
    std::vector<std::string> province_code, province_name;
    geo::PolygonSet old_units; ///< the old boundaries (empty if the base cannot be read)
    std::vector<std::string> old_province; ///< of each old unit, as in the base (parent)
    std::map<std::string, std::string> provenance;
    std::vector<std::vector<std::uint32_t>> neighbours; ///< of each new unit (for colours)
    std::vector<int> differs;    ///< difference maps: 1 if the unit's partners differ
    geo::PolygonSet other_units; ///< difference maps: the second plan's units (red lines)
    std::string units_label = "new units", provinces_label = "provinces", other_label;
    /// Offices (a run's offices layer; empty for a run without one): surplus offices per new
    /// unit, and each old office's point, use (0 seat, 1 kept, 2 surplus) and new unit.
    std::vector<std::optional<double>> offices_surplus;
    std::vector<geo::Coord> office_at;
    std::vector<int> office_role;
    std::vector<std::string> office_unit;
};

/// Reads a run's GeoPackage (and the base layer its provenance names; `base_override`
/// replaces that path when set). Throws InputError naming the file and layer.
[[nodiscard]] MapData read_map_data(const std::string& run_gpkg,
                                    const std::string& base_override = "");

struct MapOptions {
    MapMetric metric = MapMetric::new_unit;
    std::string province;    ///< new province code; empty = the whole country
    std::string title;       ///< empty = made from the scenario, metric and area
    double dpi = 150;        ///< PNG resolution (A4: 210 x 297 mm)
    std::string lang = "vi"; ///< titles and legends: vi (default) or en
    /// Insets of the densest centres (by people per km2) where the units are too small to
    /// label: two on a national map, one on a province's.
    bool insets = true;
};

/// The units of `shown` a map enlarges in insets: the `count` densest centres, each the
/// `size` units nearest to one of the densest units, as dense as their people over their
/// area (so that one unit with an outlying figure makes no centre), the centres at least
/// `separation` (degrees) apart and sharing no unit; the units of each in index order.
[[nodiscard]] std::vector<std::vector<std::size_t>>
dense_centres(const MapData& data,
              const std::vector<std::size_t>& shown,
              std::size_t count,
              std::size_t size,
              double separation);

/// The colour (an index into the map's palette of 8) of each new unit: one chosen from the
/// unit's code, the next free one where a neighbour already has it (units taken in code
/// order), so that a unit keeps its colour between runs and plans while neighbours differ.
[[nodiscard]] std::vector<int> unit_palette_indices(const MapData& data);

/// Units of `shown` far from where most of them lie (remote islands), at most 1 in 20:
/// province maps leave them out of the frame and name them.
[[nodiscard]] std::vector<std::size_t> remote_units(const geo::PolygonSet& units,
                                                    const std::vector<std::size_t>& shown);

enum class MapFormat { png, svg };

/// The format a map path asks for by its extension (.png or .svg; UsageError otherwise).
[[nodiscard]] MapFormat map_format(const std::string& path);

/// Whether any unit the map shows (all, or the province's) has a value of its metric; the
/// unit map always has. None: the map would be "no data" everywhere.
[[nodiscard]] bool metric_has_data(const MapData& data, const MapOptions& options);

/// Throws InputError, saying what the run lacks, unless metric_has_data.
void require_metric_data(const MapData& data, const MapOptions& options);

/// Draws one map: the bytes of a PNG or SVG file.
[[nodiscard]] std::string
render_map(const MapData& data, const MapOptions& options, MapFormat format);

/// Draws one map to path (.png or .svg) as an output under the policy (output_file.hpp).
void write_map(const MapData& data,
               const MapOptions& options,
               const std::string& path,
               const geo::OutputPolicy& policy);

} // namespace amsim::sim
