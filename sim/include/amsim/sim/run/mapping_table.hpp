#pragma once
/// @file mapping_table.hpp
/// A scenario's mapping as a planner reads and edits it: each old unit named as people know
/// it (official code, name, district, province) beside the columns amsim reads back
/// (old_code, new_code, new_name, new_type, seat, share). The descriptive columns are ignored
/// when the table is read as a mapping, so the exported table is itself a mapping.

#include "amsim/geo/ogr_io.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace amsim::sim {

/// The mapping rows of a checked scenario (of one new province, if `province` is given) as
/// table fields: old_code, old_official_code, old_name, old_district, old_province, new_code,
/// new_name, new_type, new_province, seat, share.
[[nodiscard]] std::vector<geo::OutputField> mapping_table(const Scenario& scenario,
                                                          const ScenarioCheck& check,
                                                          const Base& base,
                                                          const std::string& province);

} // namespace amsim::sim
