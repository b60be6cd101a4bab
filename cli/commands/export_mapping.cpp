// amsim export-mapping SCENARIO -o FILE: the scenario's mapping as a planner edits it (CSV,
// .xlsx or .ods), each old unit with its official code, name, district and province; the
// file is itself a mapping a scenario can name.

#include "amsim/geo/output_file.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/mapping_table.hpp"
#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <cstdio>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class ExportMappingCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option("-o,--output", m_output, "The table: .csv, .xlsx or .ods")->required();
        add_province_option(app, m_province);
        app.add_flag("--overwrite", m_overwrite, "Replace an existing output");
        app.footer("Example:\n  amsim export-mapping scenarios/vn-2025 --province 'Quang Ninh' "
                   "-o quang-ninh.xlsx");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario s = open_scenario(m_path, global);
        geo::OutputPolicy policy;
        policy.overwrite = m_overwrite;
        protect_scenario(policy, s, global);
        geo::check_output(m_output, policy);
        sim::BaseOptions bo;
        bo.source = resolve_source(s.base.source, global);
        bo.topology = false;
        bo.progress = make_progress(global);
        const sim::Base base = sim::load_base(s.base, bo);
        const sim::ScenarioCheck check = sim::require_checked(s, base);
        std::string how;
        const std::string province =
            m_province.empty() ? "" : sim::find_province(s, check, m_province, how);
        const auto fields = sim::mapping_table(s, check, base, province);
        sim::write_table(m_output, fields, policy);
        if (!how.empty()) {
            std::printf("%s\n", how.c_str());
        }
        std::printf("%zu mapping rows%s -> %s\n",
                    fields.front().values.size(),
                    province.empty() ? "" : (" of province " + province).c_str(),
                    m_output.c_str());
        return 0;
    }

private:
    std::string m_path;
    std::string m_output;
    std::string m_province;
    bool m_overwrite = false;
};

} // namespace

std::unique_ptr<Command> make_export_mapping_command() {
    return std::make_unique<ExportMappingCommand>();
}

} // namespace amsim::cli
