#pragma once
/// @file layer_styles.hpp
/// The QGIS styles of amsim's output layers (issue 15), in the colours of its maps: a run's
/// communes by their verdict, its provinces as outlines, a comparison's differences.

#include <string>

namespace amsim::sim {

/// New communes by verdict (fields evaluated, waived, meets_standard): below standard red,
/// meeting it green, waived blue, not evaluated grey, as `amsim map --metric verdict`.
[[nodiscard]] std::string verdict_style();

/// Provinces: their outlines only.
[[nodiscard]] std::string province_style();

/// Old units whose partners differ between two plans (`amsim compare -o`): orange.
[[nodiscard]] std::string difference_style();

} // namespace amsim::sim
