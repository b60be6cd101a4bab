// amsim prepare-vn2025 -o DIR: generates the real 2025 reform as a scenario from the national
// data directory (the recipe: sim/prepare/vn2025.hpp).

#include "amsim/sim/prepare/vn2025.hpp"

#include <cstdio>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class PrepareCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("-o,--output",
                       m_output,
                       "Directory for the generated scenario (default scenarios/vn-2025 in the "
                       "working directory, where git ignores the generated files)");
        app.add_flag("--overwrite", m_overwrite, "Replace existing generated files");
        app.footer("Example:\n  amsim prepare-vn2025 && amsim run scenarios/vn-2025 -o "
                   "data/work/runs");
    }

    int run(const GlobalOptions& global) override {
        sim::vn2025::PrepareOptions opt;
        opt.data_dir = data_dir(global);
        opt.output = m_output;
        opt.policy.overwrite = m_overwrite;
        opt.progress = make_progress(global);
        const sim::vn2025::PrepareSummary r = sim::vn2025::prepare(opt);
        if (global.json) {
            std::cout << nlohmann::json{{"output", m_output},
                                        {"polygons", r.polygons},
                                        {"crosswalk_code", r.by_code},
                                        {"crosswalk_overlay", r.by_overlay},
                                        {"crosswalk_nearest", r.nearest},
                                        {"new_communes", r.new_communes},
                                        {"drawn_across_provinces", r.drawn_across_provinces},
                                        {"polygons_repaired", r.repaired},
                                        {"official_figures_joined", r.figures_matched},
                                        {"official_figures_not_joined", r.figures_unmatched},
                                        {"official_population_missing", r.population_missing},
                                        {"official_area_ambiguous", r.area_ambiguous},
                                        {"polygons_split", r.split},
                                        {"split_pieces", r.pieces},
                                        {"units_from_post_reform_layer", r.from_post},
                                        {"units_of_split_pieces_only", r.reached_by_cut}}
                             .dump(2)
                      << '\n';
        } else if (!global.quiet) {
            std::printf("prepared vn-2025 in %s: %zu polygons; crosswalk by code %zu, overlay "
                        "%zu, nearest %zu; %zu new communes referenced; %zu drawn across old "
                        "province lines (cut by province in the no-province-merger variant)\n",
                        m_output.c_str(),
                        r.polygons,
                        r.by_code,
                        r.by_overlay,
                        r.nearest,
                        r.new_communes,
                        r.drawn_across_provinces);
            if (r.repaired > 0) {
                std::printf("  %zu invalid polygons of the pre-reform layer repaired by MakeValid "
                            "in base.gpkg\n",
                            r.repaired);
            }
            std::printf("  %zu polygons divided between new communes cut along the official "
                        "boundaries into %zu pieces\n",
                        r.split,
                        r.pieces);
            for (const std::string& c : r.reached_by_cut) {
                std::printf("  new commune %s is made only of parts of split polygons: it takes "
                            "their pieces\n",
                            c.c_str());
            }
            for (const std::string& c : r.from_post) {
                std::printf("  new commune %s has no pre-reform polygon: its post-reform "
                            "polygon is used\n",
                            c.c_str());
            }
            std::printf("  official figures (sapnhap, 17/7/2025): %zu new communes joined by name, "
                        "%zu not joined; population being updated for %zu; %zu areas like "
                        "'1.234' read against the polygon's area\n",
                        r.figures_matched,
                        r.figures_unmatched.size(),
                        r.population_missing,
                        r.area_ambiguous);
            for (const std::string& u : r.figures_unmatched) {
                std::printf("    not joined: %s\n", u.c_str());
            }
        }
        return 0;
    }

private:
    std::string m_output = "scenarios/vn-2025";
    bool m_overwrite = false;
};

} // namespace

std::unique_ptr<Command> make_prepare_command() {
    return std::make_unique<PrepareCommand>();
}

} // namespace amsim::cli
