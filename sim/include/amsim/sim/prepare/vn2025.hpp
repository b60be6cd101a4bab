#pragma once
/// @file vn2025.hpp
/// The real 2025 reform of Viet Nam as a scenario, generated from the national data directory
/// (the data may not be redistributed, so neither is what is made from it):
///   DIR/base.gpkg      the pre-reform commune polygons, one unit per polygon, with the 2019
///                      census population and how each was matched;
///   DIR/mapping.csv    old polygon -> new commune (code, name, type, share);
///   DIR/scenario.toml  the 34 provinces (23 mergers) and the files above;
///   DIR/crosswalk.csv  how every polygon was matched;
///   DIR/capitals.csv   the old provinces' capitals (approximate points);
///   DIR/scenario-no-province-merger.toml and its mapping: the same communes, 63 provinces;
///   DIR/figures-communes.csv, figures-provinces.csv: the official area, population, July
///                      2025 type and seat of each new unit (sapnhap, 17/7/2025), and each new
///                      commune's legal predecessors (the official merge list).
///
/// The crosswalk. The polygons carry 2019 GSO codes and their 2024-11 successors; the official
/// mapping (dvhcvn 20250701) is keyed by the 2025-03-01 codes. A polygon whose 2024-11 code is
/// an old unit of that mapping takes its new commune(s) from it ("code"); between 2024-11 and
/// 2025-03 about 460 communes merged, and 208 polygons have no code: those are matched by
/// spatial overlay with the post-reform polygons ("overlay"), or to the nearest new commune of
/// their province when nothing overlaps ("nearest"). Shares of a polygon split between several
/// new communes come from the overlay areas; parts under 5 % are dropped (digitising and
/// vintage differences between the two layers, not splits). A polygon still divided among
/// several new communes is cut along their official polygons (geo::cut_part; pieces under 1 %
/// of it stay with the largest), each piece a unit of the base (code m<fid>.<k>, its
/// population the polygon's by area). A new unit no old polygon went into (Hoàng Sa, Trường
/// Sa) takes its post-reform polygon as a unit (code n<code>, population unknown).
///
/// This is a data recipe for one country's sources; the engine knows nothing of it.

#include "amsim/geo/output_file.hpp"
#include "amsim/geo/progress.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace amsim::sim::vn2025 {

struct PrepareOptions {
    std::string data_dir; ///< the national data directory (SOURCES.md)
    std::string output;   ///< the scenario's directory
    geo::OutputPolicy policy;
    geo::ProgressFn progress;
};

struct PrepareSummary {
    std::size_t polygons = 0;
    std::size_t by_code = 0, by_overlay = 0, nearest = 0; ///< polygons matched each way
    std::size_t new_communes = 0;                         ///< in the post-reform layer
    std::size_t drawn_across_provinces = 0;               ///< new communes over old province lines
    std::size_t repaired = 0;                             ///< invalid pre-reform polygons repaired
    std::size_t split = 0;  ///< polygons cut along the official boundaries of their new units
    std::size_t pieces = 0; ///< the pieces they were cut into
    std::vector<std::string> from_post;         ///< new units given their post-reform polygon
    std::vector<std::string> reached_by_cut;    ///< new units made of split neighbours' pieces
    std::size_t figures_matched = 0;            ///< official rows joined to a new code
    std::vector<std::string> figures_unmatched; ///< official rows not joined
    std::size_t population_missing = 0;         ///< official population "being updated"
    std::size_t area_ambiguous = 0;             ///< "1.234"-like official areas
};

/// The file names the recipe writes into the output directory.
[[nodiscard]] const std::vector<std::string>& prepared_files();

/// Generates the scenario; every file is checked against the policy before the work, and the
/// text files are written as one output (all or none) after the base layer.
[[nodiscard]] PrepareSummary prepare(const PrepareOptions& options);

} // namespace amsim::sim::vn2025
