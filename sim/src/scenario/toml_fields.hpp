#pragma once
// Typed access to TOML tables for sim's data files (scenarios, rules profiles): every
// problem names file:line:column, and keys a table does not know are errors (a misspelt key
// would otherwise be silently ignored).

#include "amsim/core/error.hpp"
#include "amsim/geo/text.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace amsim::sim::detail {

inline std::string at(const std::string& path, const toml::source_region& s) {
    return path + ":" + std::to_string(s.begin.line) + ":" + std::to_string(s.begin.column);
}

/// A TOML number as written (nan, inf, 2.7).
inline std::string toml_number_text(const toml::node& n) {
    std::ostringstream out;
    if (const auto* i = n.as_integer()) {
        out << i->get();
    } else if (const auto* f = n.as_floating_point()) {
        const double v = f->get();
        if (std::isnan(v)) {
            return "nan";
        }
        if (std::isinf(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        out << v;
    }
    return out.str();
}

/// Typed access to a TOML table that names the place of every problem, and rejects keys it
/// does not know (a misspelt key would otherwise be silently ignored).
class Fields {
public:
    Fields(const toml::table& t, std::string path, std::string what, std::set<std::string> known)
        : m_t(t), m_path(std::move(path)), m_what(std::move(what)) {
        for (const auto& [key, node] : t) {
            if (known.count(std::string(key.str())) == 0) {
                std::string list;
                for (const std::string& k : known) {
                    list += (list.empty() ? "" : ", ") + k;
                }
                throw ScenarioError(at(m_path, key.source()) + ": unknown key '" +
                                    std::string(key.str()) + "' in " + m_what + " (known: " + list +
                                    ")");
            }
        }
    }
    [[nodiscard]] std::string text(const std::string& key, bool required) const {
        const toml::node* n = m_t.get(key);
        if (n == nullptr) {
            if (required) {
                throw ScenarioError(at(m_path, m_t.source()) + ": " + m_what + " needs '" + key +
                                    "'");
            }
            return {};
        }
        if (!n->is_string()) {
            throw ScenarioError(at(m_path, n->source()) + ": '" + key + "' must be a string");
        }
        std::string v = clean(*n, key);
        if (required && v.empty()) {
            throw ScenarioError(at(m_path, n->source()) + ": '" + key + "' is empty");
        }
        return v;
    }
    [[nodiscard]] std::vector<std::string> texts(const std::string& key) const {
        const toml::node* n = m_t.get(key);
        if (n == nullptr) {
            throw ScenarioError(at(m_path, m_t.source()) + ": " + m_what + " needs '" + key + "'");
        }
        const toml::array* a = n->as_array();
        if (a == nullptr) {
            throw ScenarioError(at(m_path, n->source()) + ": '" + key +
                                "' must be a list of strings");
        }
        std::vector<std::string> out;
        for (const toml::node& e : *a) {
            if (!e.is_string()) {
                throw ScenarioError(at(m_path, e.source()) + ": '" + key +
                                    "' must be a list of strings");
            }
            out.push_back(clean(e, key));
        }
        return out;
    }
    /// A number in [lo, hi] (TOML's nan and inf are refused), or none if absent.
    [[nodiscard]] std::optional<double> number(const std::string& key, double lo, double hi) const {
        const toml::node* n = m_t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        if (!n->is_number()) {
            throw ScenarioError(at(m_path, n->source()) + ": '" + key + "' must be a number");
        }
        const double v = n->value<double>().value_or(0);
        if (!std::isfinite(v) || v < lo || v > hi) {
            char range[96];
            std::snprintf(range, sizeof range, "between %.10g and %.10g", lo, hi);
            throw ScenarioError(at(m_path, n->source()) + ": '" + key +
                                "' = " + toml_number_text(*n) + " must be a number " + range);
        }
        return v;
    }
    /// A whole number in [lo, hi], or none if absent.
    [[nodiscard]] std::optional<std::int64_t>
    whole(const std::string& key, std::int64_t lo, std::int64_t hi) const {
        const auto v = number(key, static_cast<double>(lo), static_cast<double>(hi));
        if (v && *v != std::floor(*v)) {
            throw ScenarioError(at(m_path, m_t.get(key)->source()) + ": '" + key + "' = " +
                                toml_number_text(*m_t.get(key)) + " must be a whole number");
        }
        return v ? std::optional<std::int64_t>(static_cast<std::int64_t>(*v)) : std::nullopt;
    }
    [[nodiscard]] bool flag(const std::string& key) const {
        const toml::node* n = m_t.get(key);
        if (n == nullptr) {
            return false;
        }
        if (!n->is_boolean()) {
            throw ScenarioError(at(m_path, n->source()) + ": '" + key + "' must be true or false");
        }
        return n->value<bool>().value_or(false);
    }
    /// The tables of an array of tables [[key]] (none if absent).
    [[nodiscard]] std::vector<const toml::table*> tables(const std::string& key) const {
        std::vector<const toml::table*> out;
        const toml::node* n = m_t.get(key);
        if (n == nullptr) {
            return out;
        }
        const toml::array* arr = n->as_array();
        if (arr == nullptr) {
            throw ScenarioError(at(m_path, n->source()) + ": '" + key +
                                "' must be an array of tables [[" + key + "]]");
        }
        for (const toml::node& e : *arr) {
            if (!e.is_table()) {
                throw ScenarioError(at(m_path, e.source()) + ": [[" + key + "]] must be a table");
            }
            out.push_back(e.as_table());
        }
        return out;
    }
    [[nodiscard]] const toml::table& table(const std::string& key) const {
        const toml::node* n = m_t.get(key);
        if (n == nullptr || !n->is_table()) {
            throw ScenarioError(at(m_path, n != nullptr ? n->source() : m_t.source()) + ": " +
                                m_what + " needs a table [" + key + "]");
        }
        return *n->as_table();
    }

private:
    /// A string as data: no control characters, in NFC (toml++ has checked it is UTF-8).
    [[nodiscard]] std::string clean(const toml::node& n, const std::string& key) const {
        const std::string v = n.value<std::string>().value_or("");
        if (const auto ctl = geo::control_at(v)) {
            throw ScenarioError(at(m_path, n.source()) + ": '" + key +
                                "' holds a control or invisible character (" +
                                geo::describe_char(v, *ctl) + ")");
        }
        return geo::nfc(v);
    }

    const toml::table& m_t;
    std::string m_path;
    std::string m_what;
};

} // namespace amsim::sim::detail
