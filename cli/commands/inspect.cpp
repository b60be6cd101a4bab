// amsim inspect: counts, CRS, validity, coverage problems and adjacency of a layer.

#include "amsim/geo/layer_jobs.hpp"

#include <cstdio>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class InspectCommand final : public Command {
public:
    void setup(CLI::App& app) override {
        m_layer.add_to(app);
        app.add_option("--list", m_list, "How many gaps/overlaps/findings to list (default 20)")
            ->check(in_range(0, 1e9));
        app.footer("Example:\n  amsim inspect @/raw/thanglequoc-vietnamese-provinces-database/"
                   "vn_communes_2025_full.geojson.gz --code code --parent province_code");
    }

    int run(const GlobalOptions& global) override {
        const geo::LoadedLayer loaded =
            geo::load_layer(m_layer.spec(global), make_progress(global));
        const geo::CoverageReport rep = geo::analyse_coverage(loaded);

        if (global.json) {
            print_json(loaded, rep);
        } else {
            print_text(loaded, rep);
        }
        return 0;
    }

private:
    void print_json(const geo::LoadedLayer& loaded, const geo::CoverageReport& rep) const {
        const geo::TopologyStats& st = loaded.topology.stats();
        const auto& v = loaded.validity;
        nlohmann::json j;
        j["source"] = loaded.layer.source;
        j["layer"] = loaded.layer.layer_name;
        j["units"] = rep.units;
        j["vertices"] = rep.vertices;
        j["geographic"] = loaded.layer.geographic;
        j["equal_area_projection"] = loaded.projection->definition();
        j["area_km2"] = {{"sum_of_units", rep.total_area_m2 / 1e6},
                         {"union", rep.union_area_m2 / 1e6}};
        j["validity"] = {{"invalid", v.invalid},
                         {"repaired", v.repaired},
                         {"empty", v.empty},
                         {"duplicate_codes", v.duplicate_codes},
                         {"missing_codes", v.missing_codes},
                         {"findings", to_json(v.diagnostics, m_list)}};
        j["topology"] = {{"snap_tolerance", loaded.snap_tolerance},
                         {"nodes", st.nodes},
                         {"edges", st.edges},
                         {"shared_edges", st.shared_edges},
                         {"arcs", st.arcs},
                         {"free_arcs", st.free_arcs},
                         {"exact_unmatched_segments", st.exact_free_segments},
                         {"nodes_merged", st.nodes_merged},
                         {"vertices_inserted", st.vertices_inserted},
                         {"crossings_noded", st.crossings_noded},
                         {"duplicate_edges", st.duplicate_edges},
                         {"max_snap_distance", st.max_snap_distance},
                         {"findings", to_json(loaded.topology_findings, m_list)}};
        auto problems = [&](const std::vector<geo::CoverageProblem>& ps) {
            nlohmann::json arr = nlohmann::json::array();
            for (std::size_t i = 0; i < ps.size() && i < m_list; ++i) {
                arr.push_back({{"area_m2", ps[i].area_m2},
                               {"x", ps[i].location.x},
                               {"y", ps[i].location.y},
                               {"units", ps[i].unit_codes}});
            }
            return arr;
        };
        j["coverage"] = {{"gaps", rep.gaps.size()},
                         {"gap_area_km2", rep.gap_area_m2 / 1e6},
                         {"overlapping_pairs", rep.overlaps.size()},
                         {"covered_more_than_once_km2", rep.overlap_area_m2 / 1e6},
                         {"unmatched_arcs", rep.unmatched_arcs},
                         {"unmatched_length_km", rep.unmatched_length_m / 1e3},
                         {"exterior_arcs", rep.exterior_arcs},
                         {"largest_gaps", problems(rep.gaps)},
                         {"largest_overlaps", problems(rep.overlaps)}};
        j["adjacency"] = {{"pairs", rep.adjacent_pairs},
                          {"mean_neighbours", rep.mean_neighbours},
                          {"max_neighbours", rep.max_neighbours},
                          {"units_without_neighbour", rep.isolated_units},
                          {"shared_border_km", rep.shared_border_m / 1e3}};
        std::cout << j.dump(2) << '\n';
    }

    void print_text(const geo::LoadedLayer& loaded, const geo::CoverageReport& rep) const {
        const geo::TopologyStats& st = loaded.topology.stats();
        const auto& v = loaded.validity;
        std::printf(
            "%s: layer '%s'\n", loaded.layer.source.c_str(), loaded.layer.layer_name.c_str());
        std::printf("  units %zu, vertices %zu, CRS %s\n",
                    rep.units,
                    rep.vertices,
                    loaded.layer.geographic ? "geographic (lon/lat)" : "projected");
        std::printf("  areas in %s\n", loaded.projection->definition().c_str());
        std::printf("  area: sum of units %.3f km2, union %.3f km2\n",
                    rep.total_area_m2 / 1e6,
                    rep.union_area_m2 / 1e6);
        std::printf("validity: %zu invalid (%zu repaired), %zu empty, %zu duplicate codes, %zu "
                    "missing codes\n",
                    v.invalid,
                    v.repaired,
                    v.empty,
                    v.duplicate_codes,
                    v.missing_codes);
        std::printf(
            "topology (snap %.3g): %zu nodes, %zu edges (%zu shared), %zu arcs (%zu free)\n",
            loaded.snap_tolerance,
            st.nodes,
            st.edges,
            st.shared_edges,
            st.arcs,
            st.free_arcs);
        std::printf("  snapping: %zu segments unmatched exactly; %zu vertices merged, %zu inserted "
                    "into a neighbour's border, %zu crossings noded; largest move %.3g\n",
                    st.exact_free_segments,
                    st.nodes_merged,
                    st.vertices_inserted,
                    st.crossings_noded,
                    st.max_snap_distance);
        std::printf("coverage: %zu gaps (%.6f km2); %zu overlapping pairs, %.6f km2 covered "
                    "more than once; %zu unmatched arcs (%.3f km)\n",
                    rep.gaps.size(),
                    rep.gap_area_m2 / 1e6,
                    rep.overlaps.size(),
                    rep.overlap_area_m2 / 1e6,
                    rep.unmatched_arcs,
                    rep.unmatched_length_m / 1e3);
        auto list = [&](const char* what, const std::vector<geo::CoverageProblem>& ps) {
            for (std::size_t i = 0; i < ps.size() && i < m_list; ++i) {
                std::string units;
                for (const std::string& c : ps[i].unit_codes) {
                    units += (units.empty() ? "" : ",") + c;
                }
                std::printf("  %s %12.4g m2 at %.6f %.6f units %s\n",
                            what,
                            ps[i].area_m2,
                            ps[i].location.x,
                            ps[i].location.y,
                            units.c_str());
            }
            if (ps.size() > m_list) {
                std::printf("  ... and %zu more\n", ps.size() - m_list);
            }
        };
        list("overlap", rep.overlaps);
        list("gap    ", rep.gaps);
        std::printf("adjacency: %zu pairs, %.2f neighbours per unit (max %zu), %zu units "
                    "without a neighbour, shared borders %.1f km\n",
                    rep.adjacent_pairs,
                    rep.mean_neighbours,
                    rep.max_neighbours,
                    rep.isolated_units,
                    rep.shared_border_m / 1e3);
        print_diagnostics(v.diagnostics, m_list);
        print_diagnostics(loaded.topology_findings, m_list);
        print_diagnostics(loaded.read_diagnostics, m_list);
    }

    LayerArgs m_layer;
    std::size_t m_list = 20;
};

} // namespace

std::unique_ptr<Command> make_inspect_command() {
    return std::make_unique<InspectCommand>();
}

} // namespace amsim::cli
