// amsim map RUN.gpkg -o DIR: maps of a run (PNG and SVG), national and per province.

#include "amsim/sim/outputs/map.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/run/province_scope.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

namespace fs = std::filesystem;

/// A --province argument: a new province's code, or its name however typed ("quang ninh").
std::string province_code(const sim::MapData& data, const std::string& key) {
    std::vector<sim::ProvinceName> provinces;
    for (std::size_t i = 0; i < data.province_code.size(); ++i) {
        provinces.push_back(
            {data.province_code[i],
             i < data.province_name.size() ? data.province_name[i] : data.province_code[i],
             {}});
    }
    std::string how;
    return sim::match_province(provinces, key, "the run", how).code;
}

class MapCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("run", m_run, "A run's GeoPackage (from amsim run)")->required();
        app.add_option("-o,--output", m_output, "Directory for the maps (created)")->required();
        std::string metrics;
        for (const std::string& m : sim::metric_names()) {
            metrics += (metrics.empty() ? "" : ", ") + m;
        }
        app.add_option("--metric",
                       m_metrics,
                       "What to colour by (repeatable): " + metrics +
                           " (default new-unit, population-pct, verdict; offices: surplus offices "
                           "with every old office and its seat)")
            ->check(CLI::IsMember(sim::metric_names()));
        app.add_option("--province",
                       m_provinces,
                       "A new province's code (repeatable), or 'all' for every province; "
                       "default the whole country only");
        app.add_option("--format", m_format, "png, svg or both (default png)")
            ->check(CLI::IsMember({"png", "svg", "both"}));
        app.add_option("--dpi", m_options.dpi, "PNG resolution on A4 (default 150)")
            ->check(in_range(30, 1200));
        app.add_option("--lang", m_options.lang, "Titles and legends: vi (default) or en")
            ->check(CLI::IsMember({"vi", "en"}));
        app.add_flag("--no-insets",
                     m_no_insets,
                     "No insets of the dense centres (national maps have two, province maps one "
                     "where the centre's units are too small to name)");
        app.add_flag("--overwrite", m_overwrite, "Replace existing maps");
        app.add_option(
            "--base", m_base, "Base layer for the old boundaries, if it moved since the run");
        app.footer("Examples:\n  amsim map data/work/runs/vn-2025.gpkg -o data/work/maps\n"
                   "  amsim map data/work/runs/vn-2025.gpkg -o data/work/maps --province 01 "
                   "--metric surplus --format both");
    }

    int run(const GlobalOptions& global) override {
        if (m_metrics.empty()) {
            m_metrics = {"new-unit", "population-pct", "verdict"};
        }
        const sim::MapData data = sim::read_map_data(m_run, m_base);
        std::vector<std::string> areas = {""};
        if (!m_provinces.empty()) {
            areas.clear();
            for (const std::string& p : m_provinces) {
                if (p == "all") {
                    areas.insert(areas.end(), data.province_code.begin(), data.province_code.end());
                } else {
                    areas.push_back(province_code(data, p));
                }
            }
        }
        const std::vector<std::string> exts = m_format == "both"
                                                  ? std::vector<std::string>{".png", ".svg"}
                                                  : std::vector<std::string>{"." + m_format};
        nlohmann::json written = nlohmann::json::array();
        // Every map is one output: none is in place before all are drawn.
        geo::OutputPolicy policy;
        policy.overwrite = m_overwrite;
        policy.protect(m_run);
        policy.protect(m_base);
        geo::OutputSet files(policy);
        // A progress bar on a terminal, nothing in scripts.
        const geo::ProgressFn progress = make_progress(global);
        const std::size_t total = areas.size() * m_metrics.size() * exts.size();
        geo::report(progress, "maps", 0);
        for (const std::string& area : areas) {
            for (const std::string& metric : m_metrics) {
                sim::MapOptions o = m_options;
                o.insets = !m_no_insets;
                o.metric = sim::parse_metric(metric);
                o.province = area;
                sim::require_metric_data(data, o);
                for (const std::string& ext : exts) {
                    // A province code is data, never a path.
                    const std::string path =
                        (fs::path(m_output) /
                         geo::safe_file_name(
                             (area.empty() ? std::string("national") : "province-" + area) + "-" +
                             metric + ext))
                            .string();
                    files.add(path, sim::render_map(data, o, sim::map_format(path)));
                    written.push_back(path);
                    geo::report(progress,
                                "maps",
                                static_cast<double>(written.size()) / static_cast<double>(total));
                }
            }
        }
        files.commit();
        if (global.json) {
            std::cout << nlohmann::json{{"maps", written}}.dump(2) << '\n';
        } else {
            std::printf("%zu map(s) of '%s' in %s%s\n",
                        written.size(),
                        data.scenario_name.c_str(),
                        m_output.c_str(),
                        data.old_units.part_count() == 0
                            ? " (old boundaries not drawn: the base layer was not found; --base)"
                            : "");
        }
        return 0;
    }

private:
    std::string m_run, m_output, m_format = "png", m_base;
    std::vector<std::string> m_metrics, m_provinces;
    bool m_overwrite = false;
    bool m_no_insets = false;
    sim::MapOptions m_options;
};

} // namespace

std::unique_ptr<Command> make_map_command() {
    return std::make_unique<MapCommand>();
}

} // namespace amsim::cli
