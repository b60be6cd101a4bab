#pragma once
/// @file layer_jobs.hpp
/// The whole-layer workflows behind `amsim inspect` and `amsim dissolve`: load a layer,
/// check and repair it, build its topology once, then report on the coverage or dissolve it
/// by any grouping. The CLI makes one call to these.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/dissolve.hpp"
#include "amsim/geo/equal_area.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/topology.hpp"
#include "amsim/geo/unit_layer.hpp"
#include "amsim/geo/validity.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace amsim::geo {

struct LayerSpec {
    std::string source;
    ReadOptions read;
    /// Snap tolerance in CRS units; negative = default (1e-6 degrees ~ 0.1 m, or 0.1 m).
    double snap_tolerance = -1;
    bool repair = true;
    /// Keep the units' source geometry in memory after the topology is built. Without it,
    /// units' shapes come from the topology (snapped), and a national dissolve needs about
    /// 120 MB less.
    bool keep_geometry = true;
    /// Changes the layer once it is read, before it is checked and its topology built (a
    /// scenario's split layer divides some units).
    std::function<void(UnitLayer&)> after_read;
};

/// Wall-clock seconds per stage.
using Timings = std::vector<std::pair<std::string, double>>;

/// A layer read, checked, repaired and with its topology built (metric set).
struct LoadedLayer {
    UnitLayer layer;
    std::vector<Diagnostic> read_diagnostics;
    ValidityReport validity;
    double snap_tolerance = 0;
    std::unique_ptr<EqualAreaProjection> projection;
    Topology topology;
    /// The topology's findings with units named by code and feature, not by index.
    std::vector<Diagnostic> topology_findings;
    std::vector<double> unit_area_m2; ///< from the topology, after snapping
    Timings timings;
};

[[nodiscard]] LoadedLayer load_layer(const LayerSpec& spec, const ProgressFn& progress);

/// One gap or overlap found in the coverage.
struct CoverageProblem {
    std::string kind; ///< "gap" or "overlap"
    double area_m2 = 0;
    Coord location; ///< a point on its boundary
    std::vector<std::string> unit_codes;
};

struct CoverageReport {
    std::size_t units = 0;
    std::size_t vertices = 0;
    double total_area_m2 = 0;          ///< sum of the units' areas
    double union_area_m2 = 0;          ///< area of the units' union
    std::vector<CoverageProblem> gaps; ///< largest first
    /// Overlapping pairs with the area of their intersection, largest first. An area covered
    /// by three units appears in three pairs.
    std::vector<CoverageProblem> overlaps;
    double gap_area_m2 = 0;
    double overlap_area_m2 = 0;     ///< covered more than once: total_area - union_area
    std::size_t unmatched_arcs = 0; ///< free arcs bounding a gap or overlap
    double unmatched_length_m = 0;
    std::size_t exterior_arcs = 0; ///< free arcs on the coverage's outline
    // Adjacency
    std::size_t adjacent_pairs = 0;
    double mean_neighbours = 0;
    std::size_t max_neighbours = 0;
    std::size_t isolated_units = 0; ///< no land neighbour (islands)
    double shared_border_m = 0;
};

[[nodiscard]] CoverageReport analyse_coverage(const LoadedLayer& loaded);

/// Shapes of some units, part i = units[i]: the source geometry if it was kept, else the
/// units' shapes rebuilt from the topology (after snapping).
[[nodiscard]] PolygonSet unit_shapes(const LoadedLayer& loaded,
                                     const std::vector<std::uint32_t>& units);

/// Units mapped to groups; keys sorted, so group order is deterministic.
struct Grouping {
    std::vector<std::uint32_t> group_of_unit;
    std::vector<std::string> keys;
    std::vector<Diagnostic> diagnostics;
};

/// Groups by the text value of a field (null values form the group "").
[[nodiscard]] Grouping group_by_field(const UnitLayer& layer, const std::string& field);
/// Groups by a code -> group table; a unit missing from the table is an InputError.
[[nodiscard]] Grouping group_by_table(const UnitLayer& layer,
                                      const std::map<std::string, std::string>& table,
                                      const std::string& table_name);

struct DissolvedLayer {
    Grouping grouping;
    DissolveResult result;
    std::vector<double> member_area_m2; ///< sum of the members' areas per group
    /// Groups whose arc dissolve was not a valid polygon (members overlapping along a border
    /// or crossing) and were merged by GEOS instead; one diagnostic each.
    std::vector<std::uint32_t> fallback_groups;
    std::vector<Diagnostic> diagnostics;
};

[[nodiscard]] DissolvedLayer dissolve_layer(const LoadedLayer& loaded, Grouping grouping);

/// Area in square metres of a lon/lat (or CRS) polygon set part, through the projection.
[[nodiscard]] double
metric_area(const EqualAreaProjection& projection, const PolygonSet& set, std::size_t part);

/// Writes a dissolve: one feature per group with its key, member count, member codes,
/// area and overlap area (km2). The layer's own source is never written over.
void write_dissolved(const std::string& path,
                     const LoadedLayer& loaded,
                     const DissolvedLayer& dissolved,
                     const std::string& key_field,
                     OutputPolicy policy);

} // namespace amsim::geo
