#include "amsim/geo/unit_layer.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace amsim::geo {

std::string to_text(const AttributeValue& v) {
    struct Visitor {
        std::string operator()(std::monostate /*unused*/) const { return {}; }
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

std::optional<double> to_number(const AttributeValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return static_cast<double>(*i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        double out = 0;
        const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
        if (ec == std::errc() && end == s->data() + s->size()) {
            return out;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> UnitLayer::attribute_index(const std::string& field) const {
    for (std::size_t i = 0; i < attribute_names.size(); ++i) {
        if (attribute_names[i] == field) {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> UnitLayer::require_attribute(const std::string& field,
                                                        const std::string& role) const {
    if (field.empty()) {
        return std::nullopt;
    }
    if (auto i = attribute_index(field)) {
        return i;
    }
    std::string names;
    for (const std::string& n : attribute_names) {
        names += (names.empty() ? "" : ", ") + n;
    }
    throw InputError(source + ": layer '" + layer_name + "': no field '" + field + "' for the " +
                     role + " (fields: " + names + ")");
}

std::optional<double>
UnitLayer::number(std::size_t unit, std::size_t attribute, double lo, double hi) const {
    const AttributeValue& v = units[unit].attributes[attribute];
    if (std::holds_alternative<std::monostate>(v)) {
        return std::nullopt;
    }
    const std::string where = describe(unit) + ": field '" + attribute_names[attribute] + "'";
    std::optional<double> d;
    if (const auto* s = std::get_if<std::string>(&v)) {
        if (s->empty()) {
            return std::nullopt;
        }
        d = parse_number(*s);
        if (!d) {
            throw InputError(where + ": '" + *s + "' is not a number");
        }
    } else {
        d = to_number(v);
    }
    return checked_range(d.value_or(0), lo, hi, where);
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
