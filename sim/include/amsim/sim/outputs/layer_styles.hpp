#pragma once
/// @file layer_styles.hpp
/// The QGIS styles of amsim's output layers (issue 15), in the colours of its maps: a run's
/// communes by their verdict, its provinces as outlines, a comparison's differences; and each
/// field's title and description (the GeoPackage schema extension, QGIS's aliases).

#include "amsim/geo/ogr_io.hpp"

#include <string>
#include <vector>

namespace amsim::sim {

/// New communes by verdict (fields evaluated, waived, meets_standard, meets_standard_anyway):
/// below standard red, meeting it green, waived light blue (meeting it anyway) or lilac (missing
/// it if judged, or not known), not evaluated grey, as `amsim map --metric verdict`.
[[nodiscard]] std::string verdict_style();

/// Provinces: their outlines only.
[[nodiscard]] std::string province_style();

/// Old units whose partners differ between two plans (`amsim compare -o`): orange.
[[nodiscard]] std::string difference_style();

/// Gives each field of a layer that amsim names its title (Vietnamese, as the report labels
/// it) and description (both languages, where the figure comes from); fields it does not
/// know keep none. `layer` says whether the figures are estimated (the staffing tables).
void describe_fields(const std::string& layer, std::vector<geo::OutputField>& fields);

} // namespace amsim::sim
