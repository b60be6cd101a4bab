#pragma once
/// @file split.hpp
/// Old units divided between several new ones by a layer the planner draws: the parts as
/// polygons, or lines that cut the unit. Each divided unit is replaced, in the layer, by its
/// parts before the topology is built, so that every later stage sees the parts as units.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/unit_layer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace amsim::geo {

struct SplitOptions {
    std::string source;              ///< the split layer (any OGR source)
    std::string layer;               ///< empty = its only (or first) layer
    std::string unit_field = "unit"; ///< the code of the unit each feature divides
    std::string part_field = "part"; ///< polygons: the part's code (lines: not read)
    std::string population_field;    ///< polygons, optional: the part's population
    /// A gap left between a unit's parts, or an area two parts both claim, larger than this
    /// fraction of the unit is an error; smaller ones go to the unit's largest part, or to the
    /// first of the two parts (by code).
    double tolerance = 0.005;
};

/// One part a unit was divided into.
struct SplitPart {
    std::uint32_t unit = 0;   ///< its index in the layer after the split
    std::string code;         ///< polygons: the part field; lines: "<unit code>.<k>", largest first
    std::string split_of;     ///< the divided unit's code
    double area_fraction = 0; ///< of the divided unit's area
    std::optional<double> population; ///< from the split layer's population field
    std::int64_t feature = -1;        ///< its feature in the split layer (polygons)
};

struct SplitReport {
    std::string where;  ///< "source: layer 'x'"
    bool lines = false; ///< cut lines (else part polygons)
    std::size_t units = 0;
    std::vector<SplitPart> parts; ///< in layer order
    std::vector<Diagnostic> diagnostics;
};

/// Replaces every unit the split layer names by its parts, in the unit's place, each with the
/// unit's name, parent, type and attributes (a population attribute is the whole unit's: the
/// caller divides it). The parts cover the unit exactly and never overlap:
/// - polygons: each part is the unit's intersection with the part's polygon; the largest part
///   also takes what the others leave. Parts that leave more than the tolerance of the unit
///   uncovered, claim it twice, or miss it are an InputError naming the features;
/// - lines: the unit is cut along its lines (each line from boundary to boundary; a line that
///   ends inside the unit is an InputError). Every face becomes a part: an island of the unit
///   no line crosses is a part of its own.
/// A unit code the layer does not hold, a part code that is already a unit's, a code given
/// twice, or a unit given only one part is an InputError.
[[nodiscard]] SplitReport split_units(UnitLayer& layer, const SplitOptions& options);

} // namespace amsim::geo
