// A run's new communes against official polygons of the same codes.

#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/overlay.hpp"
#include "amsim/sim/run/run.hpp"

#include <map>

namespace amsim::sim {

void compare_with_official(Run& run,
                           const Base& base,
                           const std::string& source,
                           const std::string& code_field,
                           const geo::ProgressFn& progress) {
    geo::report(progress, "run: compare", 0);
    geo::ReadOptions ro;
    ro.mapping.code = code_field;
    std::vector<geo::Diagnostic> ignored;
    const geo::UnitLayer official = geo::read_units(source, ro, ignored);
    std::map<std::string, std::uint32_t> official_of;
    for (std::size_t i = 0; i < official.units.size(); ++i) {
        official_of.emplace(official.units[i].code, static_cast<std::uint32_t>(i));
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    std::vector<std::size_t> commune_of_pair;
    for (std::size_t g = 0; g < run.communes.size(); ++g) {
        run.communes[g].iou_official.reset();
        const auto it = official_of.find(run.communes[g].code);
        if (it != official_of.end()) {
            pairs.emplace_back(static_cast<std::uint32_t>(g), it->second);
            commune_of_pair.push_back(g);
        }
    }
    const geo::PolygonSet ours = base.loaded.projection->project(commune_shapes(run));
    const geo::PolygonSet theirs = base.loaded.projection->project(official.geometry);
    const std::vector<std::optional<double>> iou =
        geo::intersection_over_union(ours, theirs, pairs);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        run.communes[commune_of_pair[i]].iou_official = iou[i];
    }
    run.official_missing = 0;
    for (const NewCommune& c : run.communes) {
        run.official_missing += !c.iou_official.has_value();
    }
    run.official_compared = true;
    geo::report(progress, "run: compare", 1);
}

} // namespace amsim::sim
