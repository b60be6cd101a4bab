#pragma once
/// @file unit_layer.hpp
/// Administrative units as loaded from a vector source: typed identity fields, dynamic
/// attributes, and their geometry in one flat PolygonSet (part i = unit i).

#include "amsim/geo/polygon_set.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace amsim::geo {

/// A typed attribute value (null, bool, integer, real or string).
using AttributeValue = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

/// Renders an attribute as text ("" for null); integers without decimals.
[[nodiscard]] std::string to_text(const AttributeValue& v);
/// An attribute as a number: integers, reals and numeric text; null otherwise.
[[nodiscard]] std::optional<double> to_number(const AttributeValue& v);

/// Which source fields carry the unit's identity. Only the code is required.
/// Field names live here and nowhere else.
struct FieldMapping {
    std::string code;              ///< unique unit code
    std::string name;              ///< display name (optional)
    std::string parent;            ///< parent unit code, e.g. province (optional)
    std::string type;              ///< unit type, e.g. xã / phường (optional)
    std::vector<std::string> keep; ///< further attributes to keep; empty = all fields
};

struct Unit {
    std::int64_t fid = -1; ///< feature id in the source
    std::string code;
    std::string name;
    std::string parent_code;
    std::string type;
    std::vector<AttributeValue> attributes; ///< parallel to UnitLayer::attribute_names
};

struct UnitLayer {
    std::string source; ///< path or connection string as given
    std::string layer_name;
    std::string crs_wkt;    ///< source CRS (geometry is kept in it)
    bool geographic = true; ///< CRS is longitude/latitude
    FieldMapping mapping;
    std::vector<std::string> attribute_names;
    std::vector<Unit> units;
    PolygonSet geometry; ///< part i is units[i]

    /// Index of an attribute by source field name, if kept.
    [[nodiscard]] std::optional<std::size_t> attribute_index(const std::string& field) const;
    /// The same for a field the caller was told to use: none if `field` is empty, an
    /// InputError naming the layer and listing its fields if it is absent.
    [[nodiscard]] std::optional<std::size_t> require_attribute(const std::string& field,
                                                               const std::string& role) const;
    /// A unit's attribute as a number in [lo, hi]; none when the value is null. Text that is
    /// not a decimal number, a value that is not finite or out of range is an InputError
    /// naming the source, layer, feature and field (never a silent "unknown").
    [[nodiscard]] std::optional<double>
    number(std::size_t unit, std::size_t attribute, double lo, double hi) const;
    /// "source: layer 'x': feature F (code 'C')" for error messages.
    [[nodiscard]] std::string describe(std::size_t unit) const;
};

} // namespace amsim::geo
