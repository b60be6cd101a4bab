#include "amsim/geo/unit_layer.hpp"

#include <cmath>
#include <cstdio>

namespace amsim::geo {

std::string to_text(const AttributeValue& v) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 1e15) {
                return std::to_string(static_cast<std::int64_t>(d));
            }
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g", d);
            return buf;
        }
        std::string operator()(const std::string& s) const { return s; }
    };
    return std::visit(Visitor{}, v);
}

std::optional<std::size_t> UnitLayer::attribute_index(const std::string& field) const {
    for (std::size_t i = 0; i < attribute_names.size(); ++i) {
        if (attribute_names[i] == field) {
            return i;
        }
    }
    return std::nullopt;
}

std::string UnitLayer::describe(std::size_t unit) const {
    std::string s =
        source + ": layer '" + layer_name + "': feature " + std::to_string(units[unit].fid);
    if (!units[unit].code.empty()) {
        s += " (code '" + units[unit].code + "')";
    }
    return s;
}

} // namespace amsim::geo
