#pragma once
// The official figures of the 2025 reform's new units (sapnhap.bando.com.vn, 17/7/2025, via
// tranngocminhhieu/vietnamadminunits): area, "quy mô dân số", the July 2025 type, the seat,
// joined to the NSO codes of the post-reform layer by province and name.

#include "amsim/geo/unit_layer.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace amsim::sim::vn2025::detail {

struct OfficialFigures {
    std::string communes_csv, provinces_csv;    ///< the figures tables, as written
    std::map<std::string, std::string> type_of; ///< new code -> July 2025 type (xa, ...)
    std::size_t matched = 0;                    ///< official rows joined to a code
    std::vector<std::string> unmatched;         ///< rows not joined (province, name)
    std::size_t population_missing = 0;         ///< "đang cập nhật"
    std::size_t area_missing = 0;               ///< blank or 0.0
    std::size_t area_ambiguous = 0; ///< "1.234"-like areas read against the polygon's area
};

/// Reads the two sapnhap tables of `data_dir`. `post` is the post-reform commune layer (code,
/// full name, new province code; lon/lat), `province_names` the new provinces' names by code,
/// `legal` each new code's legal predecessors (the official merge list).
[[nodiscard]] OfficialFigures
official_figures(const std::string& data_dir,
                 const geo::UnitLayer& post,
                 const std::map<std::string, std::string>& province_names,
                 const std::map<std::string, std::vector<std::string>>& legal);

} // namespace amsim::sim::vn2025::detail
