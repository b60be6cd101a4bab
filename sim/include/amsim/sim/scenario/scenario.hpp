#pragma once
/// @file scenario.hpp
/// A merger scenario: a TOML file naming the base layer, the rules profile and the province
/// mergers, with the commune mapping in a CSV a planner edits in a spreadsheet. See
/// docs/scenarios.md for the format. Errors name the file, line and column.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/split.hpp"
#include "amsim/geo/unit_layer.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/figures.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

/// The layer of the units before the change, and which of its fields mean what.
struct BaseLayer {
    std::string source; ///< path (relative to the scenario file), @/path, or connection string
    std::string layer;
    geo::FieldMapping mapping; ///< code, name, parent = province code, type = unit type
    std::string population_field;
    std::string population_source = "base layer"; ///< what the population field is, in outputs
    std::string region_field; ///< "mountain" (miền núi, vùng cao) or anything else
    /// The type of each unit's district: a ward whose district is a "Quận" (or
    /// "urban_district") takes the urban-district staffing norm.
    std::string district_type_field;
    /// As residents name an old unit (amsim lookup): its district (name or code), its
    /// province's name, and its official code where the layer's code is a key of its own.
    std::string district_field;
    std::string province_name_field;
    std::string official_code_field;
    /// Old units divided between new ones by a layer of parts or cut lines (`[splits]`): the
    /// mapping names the parts. Its source is resolved like the base's.
    std::optional<geo::SplitOptions> splits;
};

/// One new provincial unit formed from whole old provinces (or one province kept, listed
/// to give its type or region).
struct ProvinceMerger {
    std::string code;
    std::string name;
    std::string type; ///< "tinh" or "thanh_pho_tw"
    std::vector<std::string> members;
    std::string capital; ///< the member province whose territory holds the centre
    std::string region;  ///< mountain (mountainous, highland or border) | other (default)
    std::string where;   ///< "file:line:column" of the [[province]] table
};

/// New commune-level unit types.
enum class UnitType { xa, phuong, dac_khu };
[[nodiscard]] const char* to_string(UnitType t);
/// A type as written in a table (xa/xã/Xã, phuong/phường, dac_khu/đặc khu); a ScenarioError
/// naming `where` and `column` otherwise.
[[nodiscard]] UnitType
parse_unit_type(const std::string& text, const std::string& where, const std::string& column);

/// The type of an old unit as a base layer gives it (its type field, else its name): a
/// "Phường ..." is a phường, a "Đặc khu ..." a đặc khu, however typed ("phuong", "PHƯỜNG",
/// "Phuong"); anything else is a xã.
[[nodiscard]] UnitType unit_type_of(const std::string& type_or_name);

/// One row of the commune mapping: (a share of) an old unit going into a new one.
struct MappingRow {
    std::string old_code;
    std::string new_code;
    std::string new_name;
    UnitType new_type = UnitType::xa;
    std::string seat;  ///< old code of the unit holding the new unit's seat (may be empty)
    double share = 1;  ///< of the old unit's area and population
    std::string where; ///< "file:line"
    /// The row named its old unit by the official code alone (column old_official_code, no
    /// old_code): old_code holds that official code until key_by_base_codes replaces it.
    bool by_official = false;
};

struct Scenario {
    std::string path;
    std::string name;
    std::string description;
    std::string rules; ///< profile name (data/profiles/<name>.toml) or a path
    BaseLayer base;
    std::vector<ProvinceMerger> provinces;
    std::string mapping_path;
    /// A table of mapping rows that replace, for the old units it names, the mapping's rows
    /// (`[communes] overrides`): a province's planner edits their province alone.
    std::string overrides_path;
    std::vector<MappingRow> mapping;
    /// [figures]: tables of figures for the new communes and provinces (paths empty if none),
    /// and the label of their source ("official" unless given).
    std::string commune_figures_path, province_figures_path;
    std::string figures_label;
    FiguresTable commune_figures, province_figures;
    /// [figures] mapping: the mapping the commune figures and regions describe (default:
    /// [communes] mapping, before its overrides). Where this scenario's mapping differs from it
    /// (an edited or proposed plan), they follow the units by their old units, not their codes:
    /// old units (base codes, sorted, '\n'-joined) -> the code of the figures row. Empty when
    /// the figures describe this very mapping (then by code).
    std::string figures_mapping_path;
    std::map<std::string, std::string> figures_unit_of_members;
    /// [regions]: a table of region classes and reductions per new unit (a figures table:
    /// code, region, population_reduction_pct), and the estimate for a xa with none: mountain
    /// when its density is below this many people per km2 (labelled as an estimate).
    std::string regions_path;
    FiguresTable regions;
    std::optional<double> mountain_density_below;
    /// [offices]: the old units' offices (a table: old_code, lon, lat, role, address; none =
    /// centroids), the distance beyond which staff need official housing (km), and the road
    /// detour factor (see run/offices.hpp).
    std::string offices_path;
    std::optional<double> housing_km, detour;
};

/// Where a scenario's base layer is read from, given the source as written ("@/..." under
/// the data directory); none = as written.
using SourceResolver = std::function<std::string(const std::string&)>;

/// Reads a scenario and its mapping CSV. Relative paths are taken from the scenario's
/// directory. Throws ScenarioError (file:line:column) for what cannot be read at all;
/// inconsistencies between the parts are left to check_scenario. With `[base] official_code`,
/// mapping rows may name old units by their official code (see key_by_base_codes): the base
/// layer's codes are then read (not its geometries) from `resolve(base.source)`.
[[nodiscard]] Scenario load_scenario(const std::string& path, const SourceResolver& resolve = {});
/// The scenario TOML alone (its mapping is not read): `path` names it in errors and is where
/// its relative paths start.
[[nodiscard]] Scenario parse_scenario(const std::string& text, const std::string& path);

/// Reads a commune mapping CSV (columns old_code, new_code, new_name, new_type, and
/// optionally seat and share). Types: xa/xã, phuong/phường, dac_khu/đặc khu.
[[nodiscard]] std::vector<MappingRow> read_mapping(const std::string& path);
/// The same from a parsed table.
[[nodiscard]] std::vector<MappingRow> mapping_from(const CsvTable& table);
/// Mapping rows as a mapping table (columns old_code, new_code, new_name, new_type, seat,
/// share), readable back by read_mapping: CSV in the style given (UTF-8 and ',' by default),
/// or a spreadsheet if `path` names one (.xlsx, .ods).
[[nodiscard]] std::string mapping_bytes(const std::vector<MappingRow>& rows,
                                        const std::string& path,
                                        const CsvStyle& style = {});
/// The key under which figures_unit_of_members finds a set of old units (base codes, any
/// order, repeats ignored).
[[nodiscard]] std::string members_key(std::vector<std::string> old_codes);

/// The code under which the scenario's figures and regions tables describe the new unit with
/// these old units (their base codes, in any order): its own code, or where the scenario's
/// mapping differs from the one those tables describe, the code of the unit there with the same
/// old units; empty if there is no such unit.
[[nodiscard]] std::string described_code(const Scenario& scenario,
                                         const std::string& code,
                                         std::vector<std::string> old_codes);

/// Mapping rows keyed by the base layer's codes. A row whose old code is not a code of the
/// base but is an official code (`official[i]` of the unit `codes[i]`), or that gave only an
/// old_official_code, becomes one row per polygon with that official code (a unit split in
/// the base has several); a seat given as an official code becomes that unit's polygon in
/// the row's new unit. A row given by old_official_code that matches no unit is a
/// ScenarioError naming the file and line; other unknown codes are left to check_scenario.
void key_by_base_codes(std::vector<MappingRow>& rows,
                       const std::vector<std::string>& codes,
                       const std::vector<std::string>& official);

/// An old unit as the checks need it.
struct OldUnit {
    std::string code;
    std::string province;
    std::string type; ///< as in the base layer (may be empty)
    std::string describe;
    /// False for a null or empty geometry (when the layer was read with its geometry): the
    /// unit would add no area to its new unit.
    bool has_geometry = true;
    /// For a part of a unit the scenario's split layer divided: that unit's code (its legal
    /// predecessor).
    std::string split_of;
};

/// A unit's population from the base layer's population field (none if there is no field or
/// the value is null); a value that is not a number from 0 to 1e9 is an InputError naming
/// the feature and field.
[[nodiscard]] std::optional<double>
population_of(const geo::UnitLayer& layer, std::size_t unit, std::optional<std::size_t> field);

/// The base layer's units as the checks need them.
[[nodiscard]] std::vector<OldUnit> old_units(const geo::UnitLayer& layer);

/// What the checks found, and the new units they imply.
struct ScenarioCheck {
    std::vector<geo::Diagnostic> findings;
    std::size_t errors = 0;
    /// New province code of each old province code.
    std::map<std::string, std::string> new_province_of;
    /// New commune code -> its rows in the mapping (indices), in file order.
    std::map<std::string, std::vector<std::size_t>> members;
    /// New commune code -> new province code.
    std::map<std::string, std::string> province_of_new;
};

/// Every consistency check between the scenario and the base layer's units: unknown codes,
/// units assigned twice or never, shares that do not sum to 1, a new unit spanning two
/// provinces, provinces merged twice or with no capital, inconsistent names and types.
[[nodiscard]] ScenarioCheck check_scenario(const Scenario& scenario,
                                           const std::vector<OldUnit>& units);

/// Throws ScenarioError (pointing at `amsim check`) if the check found errors: work on a
/// scenario starts from a consistent one.
void require_consistent(const Scenario& scenario, const ScenarioCheck& check);

} // namespace amsim::sim
