#pragma once
/// @file rules_profile.hpp
/// Rules profiles (data/profiles/*.toml): the area and population standards of new units,
/// the waiver for large mergers, and which values are unconfirmed. Data, not code.

#include "amsim/sim/scenario/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

/// One standard: which units it covers and its thresholds (absent = not evaluated).
struct Standard {
    std::string type;     ///< xa | phuong | dac_khu | tinh | thanh_pho_tw
    std::string region;   ///< empty = any; mountain | other | island
    std::string province; ///< phuong only: empty = any; city | mountain | other
    std::optional<double> area_km2;
    std::optional<double> population;
    bool unconfirmed = false;
    std::string source;
};

struct RulesProfile {
    std::string path;
    std::string name;
    std::string description;
    std::size_t waiver_min_units = 0; ///< 0 = no waiver
    bool waiver_wards_only = false;
    bool waiver_unconfirmed = false;
    std::string default_region = "other";
    std::vector<Standard> communes;
    std::vector<Standard> provinces;
};

/// Reads a profile: `name_or_path` ending in .toml is a file (relative to `base_dir`),
/// otherwise <profiles_dir>/<name>.toml. Errors name file:line:column.
[[nodiscard]] RulesProfile load_profile(const std::string& name_or_path,
                                        const std::string& base_dir,
                                        const std::string& profiles_dir);

/// A profile from its TOML text (`path` names it in errors).
[[nodiscard]] RulesProfile parse_profile(const std::string& text, const std::string& path);

/// The project's profiles (data/profiles), or $AMSIM_PROFILES_DIR.
[[nodiscard]] std::string default_profiles_dir();

/// What is known of a new commune-level unit when it is judged.
struct UnitFacts {
    UnitType type = UnitType::xa;
    std::string region;         ///< empty = the profile's default (then labelled)
    std::string province_class; ///< city | mountain | other
    double area_km2 = 0;
    std::optional<double> population;
    std::size_t predecessors = 1;
    double population_reduction_pct = 0; ///< of the population standard (a planner's table)
};

struct Verdict {
    bool evaluated = false; ///< false: no standard applies (special zones) or waived
    bool waived = false;
    bool pass = true;
    bool pass_anyway = false;   ///< waived, and meeting the standard anyway
    bool judged_anyway = false; ///< waived, and its figures were known: pass_anyway says how
    double area_pct = 0;        ///< of the standard, when it has one
    double population_pct = 0;
    bool population_known = true;
    bool region_defaulted = false;
    bool unconfirmed = false; ///< an [U] value was used
    std::string standard;     ///< which standard (its source)
    std::string why;          ///< the failed criteria, or why not evaluated
};

[[nodiscard]] Verdict judge_commune(const RulesProfile& profile, const UnitFacts& unit);

/// The standard that applies to a unit of this type, region (empty = the profile's default)
/// and province class; null when the profile has none.
[[nodiscard]] const Standard* commune_standard(const RulesProfile& profile,
                                               UnitType type,
                                               const std::string& region,
                                               const std::string& province_class);

/// A new province: type tinh or thanh_pho_tw, region mountain or other.
[[nodiscard]] Verdict judge_province(const RulesProfile& profile,
                                     const std::string& type,
                                     const std::string& region,
                                     double area_km2,
                                     std::optional<double> population);

} // namespace amsim::sim
