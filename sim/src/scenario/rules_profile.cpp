#include "amsim/sim/scenario/rules_profile.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/geo/numbers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "toml_fields.hpp"

namespace amsim::sim {

namespace fs = std::filesystem;
using detail::at;
using detail::Fields;

namespace {

Standard read_standard(const toml::table& t, const std::string& path, const std::string& what) {
    const Fields f(
        t,
        path,
        what,
        {"type", "region", "province", "area_km2", "population", "unconfirmed", "source"});
    Standard s;
    s.type = f.text("type", true);
    s.region = f.text("region", false);
    s.province = f.text("province", false);
    // A standard below 0.01 km2 or 1 person, or above a country, is a typing mistake.
    s.area_km2 = f.number("area_km2", 0.01, 1e6);
    s.population = f.number("population", 1, 1e9);
    s.unconfirmed = f.flag("unconfirmed");
    s.source = f.text("source", false);
    return s;
}

/// A percentage of a standard, never rounded across 100 % (99.8 % is not "100%").
std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f%%", v);
    if (v < 100 && std::string(buf) == "100%") {
        std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(v * 10) / 10);
    }
    return buf;
}

/// Compares a unit's area and population with a standard.
Verdict compare(const Standard& s,
                double area_km2,
                std::optional<double> population,
                double population_reduction_pct = 0) {
    Verdict v;
    v.standard = s.source;
    v.unconfirmed = s.unconfirmed;
    if (!s.area_km2 && !s.population) {
        v.why = "no numeric standard (" + s.source + ")";
        return v;
    }
    v.evaluated = true;
    std::string failed;
    if (s.area_km2) {
        v.area_pct = 100 * area_km2 / *s.area_km2;
        if (v.area_pct < 100) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " of %g km2", *s.area_km2);
            failed += "area " + percent(v.area_pct) + buf;
        }
    }
    if (s.population) {
        if (!population) {
            // Not judged: a unit is never below standard for want of a figure.
            v.population_known = false;
            v.evaluated = false;
            v.pass = true;
            v.why = "not judged (population unknown)" +
                    (failed.empty() ? std::string() : "; " + failed);
            return v;
        }
        // A reduction (Res 112/2025: land border, ethnic minorities) lowers the standard.
        const double standard = *s.population * (1 - population_reduction_pct / 100);
        v.population_pct = 100 * *population / standard;
        if (v.population_pct < 100) {
            failed += std::string(failed.empty() ? "" : "; ") + "population " +
                      percent(v.population_pct) + " of " + geo::number_text(standard) +
                      (population_reduction_pct > 0 ? " (reduced)" : "");
        }
    }
    v.pass = failed.empty();
    v.why = failed;
    return v;
}

} // namespace

RulesProfile load_profile(const std::string& name_or_path,
                          const std::string& base_dir,
                          const std::string& profiles_dir) {
    fs::path path;
    if (name_or_path.ends_with(".toml")) {
        path = fs::path(name_or_path).is_absolute() ? fs::path(name_or_path)
                                                    : fs::path(base_dir) / name_or_path;
    } else {
        path = fs::path(profiles_dir) / (name_or_path + ".toml");
    }
    const std::string p = path.lexically_normal().string();
    if (!fs::exists(path)) {
        std::vector<std::string> names;
        if (fs::is_directory(profiles_dir)) {
            for (const auto& e : fs::directory_iterator(profiles_dir)) {
                if (e.path().extension() == ".toml") {
                    names.push_back(e.path().stem().string());
                }
            }
        }
        std::sort(names.begin(), names.end());
        std::string known;
        for (const std::string& n : names) {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw ScenarioError("rules profile '" + name_or_path + "' not found (" + p +
                            "); profiles: " + (known.empty() ? "none" : known));
    }
    return parse_profile(geo::read_file(p), p);
}

RulesProfile parse_profile(const std::string& text, const std::string& p) {
    toml::table root;
    try {
        root = toml::parse(text, p);
    } catch (const toml::parse_error& e) {
        throw ScenarioError(at(p, e.source()) + ": " + std::string(e.description()));
    }
    const Fields top(root,
                     p,
                     "the rules profile",
                     {"name", "description", "waiver", "defaults", "commune", "province"});
    RulesProfile r;
    r.path = p;
    r.name = top.text("name", true);
    r.description = top.text("description", false);
    if (root.get("waiver") != nullptr) {
        const Fields w(
            top.table("waiver"), p, "[waiver]", {"min_units", "scope", "scope_unconfirmed"});
        // 0: no waiver; 1 would waive every unit.
        const auto min_units = w.whole("min_units", 0, 1000);
        if (min_units && *min_units == 1) {
            throw ScenarioError(at(p, top.table("waiver").get("min_units")->source()) +
                                ": 'min_units' = 1 would waive every unit (0 = no waiver, or 2 "
                                "and more)");
        }
        r.waiver_min_units = static_cast<std::size_t>(min_units.value_or(0));
        const std::string scope = w.text("scope", false);
        if (!scope.empty() && scope != "any" && scope != "ward_only") {
            throw ScenarioError(at(p, top.table("waiver").source()) + ": waiver scope '" + scope +
                                "' is neither 'any' nor 'ward_only'");
        }
        r.waiver_wards_only = scope == "ward_only";
        r.waiver_unconfirmed = w.flag("scope_unconfirmed");
    }
    if (root.get("defaults") != nullptr) {
        const Fields d(top.table("defaults"), p, "[defaults]", {"region"});
        r.default_region = d.text("region", false);
    }
    for (const toml::table* t : top.tables("commune")) {
        r.communes.push_back(read_standard(*t, p, "[[commune]]"));
    }
    for (const toml::table* t : top.tables("province")) {
        r.provinces.push_back(read_standard(*t, p, "[[province]]"));
    }
    if (r.communes.empty()) {
        throw ScenarioError(p + ": the rules profile has no [[commune]] standard");
    }
    return r;
}

std::string default_profiles_dir() {
    if (const char* env = std::getenv("AMSIM_PROFILES_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    // Beside the executable: <prefix>/bin/amsim reads <prefix>/share/amsim/profiles, and the
    // build tree has the same layout (<build>/cli/amsim, <build>/share/amsim/profiles).
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path dir = ec ? std::filesystem::path(".") : exe.parent_path();
    return (dir / AMSIM_DATA_FROM_BIN / "profiles").lexically_normal().string();
}

const Standard* commune_standard(const RulesProfile& profile,
                                 UnitType unit_type,
                                 const std::string& unit_region,
                                 const std::string& province_class) {
    const std::string type = to_string(unit_type);
    const std::string& region = unit_region.empty() ? profile.default_region : unit_region;
    for (const Standard& s : profile.communes) {
        if (s.type == type && (s.region.empty() || s.region == region) &&
            (s.province.empty() || s.province == province_class)) {
            return &s;
        }
    }
    return nullptr;
}

Verdict judge_commune(const RulesProfile& profile, const UnitFacts& unit) {
    const std::string type = to_string(unit.type);
    const bool defaulted = unit.region.empty();
    const std::string region = defaulted ? profile.default_region : unit.region;
    const Standard* match = commune_standard(profile, unit.type, unit.region, unit.province_class);
    Verdict v;
    if (match == nullptr) {
        v.why = "no standard in profile '" + profile.name + "' for a " + type + " (" + region + ")";
        v.region_defaulted = defaulted;
        return v;
    }
    v = compare(*match, unit.area_km2, unit.population, unit.population_reduction_pct);
    v.region_defaulted = defaulted && type == "xa";
    const bool waiver_applies = profile.waiver_min_units > 0 &&
                                unit.predecessors >= profile.waiver_min_units &&
                                (!profile.waiver_wards_only || unit.type == UnitType::phuong);
    if (waiver_applies && (v.evaluated || !v.population_known)) {
        v.pass_anyway = v.evaluated && v.pass;
        v.judged_anyway = v.evaluated;
        v.waived = true;
        v.evaluated = false;
        v.pass = true;
        v.unconfirmed = v.unconfirmed || profile.waiver_unconfirmed;
        v.why = std::to_string(unit.predecessors) + " units merged: standards not evaluated";
    }
    return v;
}

Verdict judge_province(const RulesProfile& profile,
                       const std::string& type,
                       const std::string& region,
                       double area_km2,
                       std::optional<double> population) {
    for (const Standard& s : profile.provinces) {
        if (s.type == type && (s.region.empty() || s.region == region)) {
            return compare(s, area_km2, population);
        }
    }
    Verdict v;
    v.why = "no province standard in profile '" + profile.name + "' for " + type;
    return v;
}

} // namespace amsim::sim
