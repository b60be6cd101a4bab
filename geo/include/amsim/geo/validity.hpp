#pragma once
/// @file validity.hpp
/// Per-feature validity report and repair with GEOS MakeValid.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/unit_layer.hpp"

#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

namespace amsim::geo {

struct ValidityReport {
    std::size_t invalid = 0;  ///< invalid geometries found
    std::size_t repaired = 0; ///< of which repaired by MakeValid
    std::size_t empty = 0;    ///< null or empty geometries
    std::size_t duplicate_codes = 0;
    std::size_t missing_codes = 0;
    std::vector<Diagnostic> diagnostics;
};

/// What checking a layer found, before any repair is applied.
struct ValidityFindings {
    ValidityReport report; ///< `repaired` is counted when the repairs are applied
    /// Unit index -> its MakeValid result, in unit order.
    std::vector<std::pair<std::uint32_t, PolygonSet>> repairs;
};

/// The checks of check_units without changing the layer, so that other work may read the
/// same geometry meanwhile. If `repair_found` is given, it is set as soon as one unit needs
/// a repair (work that assumed the geometry final can then stop early).
[[nodiscard]] ValidityFindings
find_invalid(const UnitLayer& layer, bool repair, std::atomic<bool>* repair_found = nullptr);

/// Completes the report (repairs counted) and, with `in_place`, puts the repairs into the
/// layer's geometry (one pass over it).
[[nodiscard]] ValidityReport
apply_repairs(UnitLayer& layer, ValidityFindings&& findings, bool in_place = true);

class GeosContext;

/// Why part `part` of a set is not a valid (multi)polygon, with a location; empty if valid.
[[nodiscard]] std::string
invalid_reason(GeosContext& geos, const PolygonSet& set, std::size_t part);

/// The polygonal part of GEOS MakeValid (structure method: areas kept, collapsed parts
/// dropped) of part `part` of a set, oriented, as a one-part set.
[[nodiscard]] PolygonSet make_valid(GeosContext& geos, const PolygonSet& set, std::size_t part);

/// A one-part set made valid if it is not: MakeValid, said in `how` ("" if it was valid).
/// GeometryError naming `what` if even MakeValid gives no valid polygon: amsim writes no
/// invalid geometry.
[[nodiscard]] PolygonSet
ensure_valid(GeosContext& geos, PolygonSet part, const std::string& what, std::string& how);

/// Checks every unit (GEOS validity with the reason and location, empty geometry, missing
/// or duplicate codes). With repair, invalid geometries are replaced by their MakeValid
/// result (polygonal part only) and the change in area is reported. Runs on every core.
[[nodiscard]] ValidityReport check_units(UnitLayer& layer, bool repair);

} // namespace amsim::geo
