#pragma once
/// @file province_scope.hpp
/// One province of a scenario (`--province`): which new province a planner's argument names,
/// and a run cut to that province. The run is built whole and then cut, so that every figure
/// of the province equals its rows in the national run (staffing included).

#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace amsim::sim {

/// A new province as a --province argument may name it: its code, its name, and the codes of
/// the old provinces merged into it.
struct ProvinceName {
    std::string code, name;
    std::vector<std::string> members;
};

/// The province of `provinces` that `key` names: its code, its name however typed ("Quảng
/// Ninh", "quang ninh", "Tỉnh Quảng Ninh"), or an old province's code among its members (then
/// `how` says so; otherwise `how` is empty). A UsageError names `whose` provinces ("the
/// run's") and lists them when none matches.
[[nodiscard]] const ProvinceName& match_province(const std::vector<ProvinceName>& provinces,
                                                 const std::string& key,
                                                 const std::string& whose,
                                                 std::string& how);

/// The new province `key` names: a new province's code, or its name however typed ("Quảng
/// Ninh", "quang ninh", "Tỉnh Quảng Ninh"), or an old province's code (then `how` says which
/// new province it went to; otherwise `how` is empty). A UsageError lists the provinces when
/// none matches.
[[nodiscard]] std::string find_province(const Scenario& scenario,
                                        const ScenarioCheck& check,
                                        const std::string& key,
                                        std::string& how);

/// A --province argument for a file name, before the base is read: the code of the new
/// province whose code or name (however typed) the scenario lists, else the argument folded
/// ("quang-ninh").
[[nodiscard]] std::string province_file_key(const Scenario& scenario, const std::string& key);

/// The run cut to one new province: its communes, its row, the mapping rows into it, its
/// staffing, and the counts (old units, old provinces) of that province.
[[nodiscard]] Run run_for_province(const Run& run, const std::string& province);

} // namespace amsim::sim
