#pragma once
// The editing session's state, shared by its parts (session.cpp: loading and edits;
// session_view.cpp: the JSON documents; session_files.cpp: save, compare and export).

#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/serve/session.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace amsim::sim {

/// An old unit as the editor shows it (computed once).
struct EditorUnit {
    std::string province; ///< new province
    double area_km2 = 0;
    std::optional<double> population;
    UnitType type = UnitType::xa;
    bool mountain = false;
    double staff = 0; ///< cadres and civil servants it brings (its own and its district's)
    geo::Coord label; ///< longitude/latitude of a point inside it
    std::vector<std::size_t> rows; ///< its mapping rows
};

/// One undoable change: mapping rows before and after.
struct Change {
    std::string province;
    std::string what;
    std::vector<std::pair<std::size_t, MappingRow>> before, after;
};

struct EditSession::Impl {
    SessionOptions options;
    Scenario scenario;              ///< the plan being edited
    std::vector<MappingRow> loaded; ///< the mapping as loaded
    Base base;
    ScenarioCheck check;
    Run run;
    StaffingParams staffing;
    std::vector<EditorUnit> units; ///< per base unit
    std::map<std::string, std::vector<std::uint32_t>> units_of_province;
    std::map<std::string, std::size_t> target; ///< per province: the loaded plan's count
    std::vector<std::vector<std::pair<std::uint32_t, double>>> neighbours; ///< border km
    std::set<std::string> locked; ///< old units (base codes)
    std::vector<Change> undo, redo;
    std::uint64_t version = 1;
    std::uint64_t saved_version = 1;
    std::string save_path;                ///< the mapping file a save writes
    std::string save_sha256;              ///< its digest when read or last saved
    std::vector<MappingRow> saved_rows;   ///< the mapping as last saved (as loaded at first)
    std::set<std::string> override_units; ///< old units the overrides file named when loaded
    std::set<std::string> edited_provinces;
    mutable std::map<std::string, nlohmann::json> geometry; ///< per province, made once

    // session.cpp
    void require_version(const nlohmann::json& request) const;
    const std::string& require_province(const nlohmann::json& request) const;
    void apply(Change change);
    void refresh(const std::string& province);
    [[nodiscard]] std::uint32_t require_unit(const std::string& code,
                                             const std::string& province) const;
    [[nodiscard]] std::map<std::string, std::vector<std::uint32_t>>
    members(const std::string& province) const;

    // session_view.cpp
    [[nodiscard]] nlohmann::json geometry_of(const std::string& province) const;
    [[nodiscard]] nlohmann::json state_of(const std::string& province) const;
};

/// A unit's new code (its row holding the geometry: the first).
[[nodiscard]] inline const std::string& new_code_of(const EditSession::Impl& s,
                                                    std::uint32_t unit) {
    return s.scenario.mapping[s.units[unit].rows.front()].new_code;
}

} // namespace amsim::sim
