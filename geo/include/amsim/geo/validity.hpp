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

/// Checks every unit (GEOS validity with the reason and location, empty geometry, missing
/// or duplicate codes). With repair, invalid geometries are replaced by their MakeValid
/// result (polygonal part only) and the change in area is reported. Runs on every core.
[[nodiscard]] ValidityReport check_units(UnitLayer& layer, bool repair);

} // namespace amsim::geo
