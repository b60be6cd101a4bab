// amsim dissolve: merge units by a field or a code -> group table into new polygons.

#include "amsim/core/error.hpp"
#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/scenario/group_table.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class DissolveCommand final : public Command {
public:
    void setup(CLI::App& app) override {
        m_layer.add_to(app);
        auto* by = app.add_option("--by", m_by, "Field whose value groups the units");
        auto* table = app.add_option(
            "--table", m_table, "CSV with columns code,group mapping each unit to a group");
        by->excludes(table);
        app.add_option("-o,--output",
                       m_output,
                       "Output file; format by extension: .gpkg (default), .geojson, .shp, .fgb")
            ->required();
        app.add_flag("--overwrite", m_overwrite, "Replace an existing output file");
        app.footer("Example:\n  amsim dissolve communes.gpkg --code code --by province_code "
                   "-o provinces.gpkg");
    }

    int run(const GlobalOptions& global) override {
        if (m_by.empty() && m_table.empty()) {
            throw UsageError("dissolve: give --by FIELD or --table CSV");
        }
        geo::LayerSpec spec = m_layer.spec(global);
        spec.keep_geometry = false; // shapes come from the topology: less memory
        const geo::LoadedLayer loaded = geo::load_layer(spec, make_progress(global));
        const auto t0 = std::chrono::steady_clock::now();
        geo::Grouping grouping =
            m_by.empty()
                ? geo::group_by_table(loaded.layer, sim::read_group_table(m_table), m_table)
                : geo::group_by_field(loaded.layer, m_by);
        const auto t1 = std::chrono::steady_clock::now();
        const geo::DissolvedLayer d = geo::dissolve_layer(loaded, std::move(grouping));
        const auto t2 = std::chrono::steady_clock::now();
        geo::OutputPolicy policy;
        policy.overwrite = m_overwrite;
        policy.protect(m_table);
        geo::write_dissolved(m_output, loaded, d, m_by.empty() ? "group" : m_by, policy);
        const auto t3 = std::chrono::steady_clock::now();

        std::size_t polygons = 0;
        double area = 0, overlap = 0, members_area = 0;
        for (std::size_t g = 0; g < d.grouping.keys.size(); ++g) {
            polygons += d.result.geometry.part_end(g) - d.result.geometry.part_begin(g);
            area += d.result.area[g];
            overlap += d.result.overlap_area[g];
            members_area += d.member_area_m2[g];
        }
        std::vector<geo::Diagnostic> findings = loaded.validity.diagnostics;
        findings.insert(findings.end(), d.diagnostics.begin(), d.diagnostics.end());
        findings.insert(
            findings.end(), d.grouping.diagnostics.begin(), d.grouping.diagnostics.end());
        if (global.json) {
            nlohmann::json j;
            j["output"] = m_output;
            j["findings"] = to_json(findings, 100);
            j["findings_total"] = findings.size();
            j["units"] = loaded.layer.units.size();
            j["groups"] = d.grouping.keys.size();
            j["polygons"] = polygons;
            j["area_km2"] = area / 1e6;
            j["members_area_km2"] = members_area / 1e6;
            j["overlap_km2"] = overlap / 1e6;
            j["repaired"] = loaded.validity.repaired;
            nlohmann::json groups = nlohmann::json::array();
            for (std::size_t g = 0; g < d.grouping.keys.size(); ++g) {
                groups.push_back(
                    {{"key", d.grouping.keys[g]},
                     {"members", d.result.members[g]},
                     {"polygons", d.result.geometry.part_end(g) - d.result.geometry.part_begin(g)},
                     {"area_km2", d.result.area[g] / 1e6},
                     {"members_area_km2", d.member_area_m2[g] / 1e6},
                     {"overlap_km2", d.result.overlap_area[g] / 1e6}});
            }
            j["groups_detail"] = groups;
            std::cout << j.dump(2) << '\n';
        } else {
            std::printf("dissolved %zu units into %zu groups (%zu polygons) -> %s\n",
                        loaded.layer.units.size(),
                        d.grouping.keys.size(),
                        polygons,
                        m_output.c_str());
            std::printf("  area %.3f km2; members %.3f km2; overlaps removed %.6f km2\n",
                        area / 1e6,
                        members_area / 1e6,
                        overlap / 1e6);
            if (loaded.validity.repaired > 0) {
                std::printf("  %zu invalid input geometries repaired (see amsim inspect)\n",
                            loaded.validity.repaired);
            }
            if (!global.quiet) {
                std::fprintf(stderr, "time:");
                for (const auto& [stage, s] : loaded.timings) {
                    std::fprintf(stderr, " %s %.3fs", stage.c_str(), s);
                }
                auto sec = [](auto a, auto b) {
                    return std::chrono::duration<double>(b - a).count();
                };
                std::fprintf(stderr,
                             " group %.3fs dissolve %.3fs write %.3fs\n",
                             sec(t0, t1),
                             sec(t1, t2),
                             sec(t2, t3));
            }
        }
        // What the input and the dissolve found: a unit without geometry is still a member
        // but adds no area, so the planner must see it.
        print_diagnostics(findings, 20);
        return 0;
    }

private:
    LayerArgs m_layer;
    std::string m_by;
    std::string m_table;
    std::string m_output;
    bool m_overwrite = false;
};

} // namespace

std::unique_ptr<Command> make_dissolve_command() {
    return std::make_unique<DissolveCommand>();
}

} // namespace amsim::cli
