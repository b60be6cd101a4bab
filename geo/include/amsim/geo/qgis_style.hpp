#pragma once
/// @file qgis_style.hpp
/// Styles QGIS applies when it opens a layer of an output GeoPackage (issue 15): a QML
/// document per layer, stored in the GeoPackage's `layer_styles` table as QGIS itself stores
/// them (useAsDefault = 1), so that a layer opens coloured as amsim's maps are rather than in
/// one random colour.

#include <optional>
#include <string>
#include <vector>

namespace amsim::geo {

struct Rgb8 {
    int r = 0, g = 0, b = 0;
};

/// One class of a layer's features: those the filter (a QGIS expression; empty = all)
/// selects, filled (or not) and outlined.
struct StyleRule {
    std::string label;
    std::string filter;
    std::optional<Rgb8> fill; ///< none: outline only
    Rgb8 outline{60, 60, 60};
    double outline_mm = 0.2;
    /// What is drawn: polygons filled (fill, outline), points as markers (fill, outline,
    /// `marker` shape of QGIS's SimpleMarker, `size_mm`), or lines (outline, outline_mm).
    enum class Kind { fill, marker, line } kind = Kind::fill;
    std::string marker = "circle";
    double size_mm = 2;
};

/// A QML document: one symbol for one rule without a filter, else a rule-based renderer (the
/// rules' filters should not overlap).
[[nodiscard]] std::string style_qml(const std::vector<StyleRule>& rules);

/// The style of a polygon layer given none: a light fill with grey outlines.
[[nodiscard]] std::string default_style_qml();

} // namespace amsim::geo
