#pragma once
/// @file validity.hpp
/// Per-feature validity report and repair with GEOS MakeValid.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/unit_layer.hpp"

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

/// Checks every unit (GEOS validity with the reason and location, empty geometry, missing
/// or duplicate codes). With repair, invalid geometries are replaced by their MakeValid
/// result (polygonal part only) and the change in area is reported. Runs on every core.
[[nodiscard]] ValidityReport check_units(UnitLayer& layer, bool repair);

} // namespace amsim::geo
