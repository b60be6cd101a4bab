// amsim import: convert any vector source once into a GeoPackage workspace.

#include "amsim/geo/ogr_io.hpp"

#include <cstdio>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class ImportCommand final : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option(
               "source", m_source, "Vector source to convert (or @/path under the data directory)")
            ->required();
        app.add_option("--layer", m_layer, "Layer name (default: the first layer)");
        app.add_option("-o,--output", m_output, "GeoPackage to write (.gpkg)")->required();
        app.add_flag("--overwrite", m_overwrite, "Replace an existing output file");
        app.footer("Example (reading GeoJSON is slow; a GeoPackage reads ~100x faster):\n"
                   "  amsim import @/raw/thanglequoc-vietnamese-provinces-database/"
                   "vn_communes_2025_full.geojson.gz -o communes-2025.gpkg");
    }
    int run(const GlobalOptions& global) override {
        geo::OutputPolicy policy;
        policy.overwrite = m_overwrite;
        geo::import_to_gpkg(
            resolve_source(m_source, global), m_layer, m_output, policy, make_progress(global));
        if (global.json) {
            std::cout << nlohmann::json{{"source", m_source}, {"output", m_output}}.dump(2) << '\n';
        } else if (!global.quiet) {
            std::printf("imported %s -> %s\n", m_source.c_str(), m_output.c_str());
        }
        return 0;
    }

private:
    std::string m_source;
    std::string m_layer;
    std::string m_output;
    bool m_overwrite = false;
};

} // namespace

std::unique_ptr<Command> make_import_command() {
    return std::make_unique<ImportCommand>();
}

} // namespace amsim::cli
