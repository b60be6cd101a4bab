// amsim report RUN.gpkg -o report.html: one self-contained HTML report of a run, with its
// tables as CSV and its maps as PNG beside it.

#include "amsim/sim/outputs/report.hpp"

#include <cstdio>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class ReportCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("run", m_run, "A run's GeoPackage (from amsim run)")->required();
        app.add_option("-o,--output",
                       m_output,
                       "The report (.html), or the annex of a merger proposal to print (.pdf, "
                       "needs Chromium)")
            ->required();
        app.add_option("--date",
                       m_options.date,
                       "The annex's date on its title page (default today), e.g. 01/12/2026");
        app.add_flag("--no-maps", m_no_maps, "Leave the maps out (faster)");
        app.add_flag("--overwrite", m_overwrite, "Replace an existing report and its tables");
        app.add_option("--list",
                       m_options.list,
                       "Units below standard listed at most (default 0: every one)")
            ->check(in_range(0, 1e9));
        app.add_option("--lang", m_options.lang, "Language of the report: vi (default) or en")
            ->check(CLI::IsMember({"vi", "en"}));
        add_province_option(app, m_options.province);
        app.add_option("--base",
                       m_options.base,
                       "Base layer for the old boundaries, if it moved since the run");
        app.footer("Example:\n  amsim report data/work/runs/vn-2025.gpkg -o "
                   "data/work/reports/vn-2025.html\n  chromium data/work/reports/vn-2025.html\n"
                   "  amsim report data/work/runs/vn-2025.gpkg --province 'Quang Ninh' -o "
                   "data/work/reports/vn-2025-quang-ninh.html\n"
                   "  amsim report data/work/runs/vn-2025.gpkg --province 'Quang Ninh' -o "
                   "data/work/reports/phu-luc-quang-ninh.pdf");
    }

    int run(const GlobalOptions& global) override {
        m_options.maps = !m_no_maps;
        m_options.policy.overwrite = m_overwrite;
        m_options.progress = make_progress(global);
        const sim::ReportResult r = sim::write_report(m_run, m_output, m_options);
        if (!r.how.empty() && !global.json) {
            std::printf("%s\n", r.how.c_str());
        }
        if (global.json) {
            std::cout << nlohmann::json{{"report", r.html},
                                        {"province", r.province},
                                        {"csv", r.csv},
                                        {"maps", r.maps},
                                        {"tables", r.tables}}
                             .dump(2)
                      << '\n';
        } else if (r.csv.empty()) {
            std::printf("annex %s: %zu maps\n", r.html.c_str(), r.maps);
        } else {
            std::printf("report %s: %zu tables (also as CSV beside it), %zu maps\n",
                        r.html.c_str(),
                        r.tables,
                        r.maps);
        }
        return 0;
    }

private:
    std::string m_run, m_output;
    bool m_no_maps = false;
    bool m_overwrite = false;
    sim::ReportOptions m_options;
};

} // namespace

std::unique_ptr<Command> make_report_command() {
    return std::make_unique<ReportCommand>();
}

} // namespace amsim::cli
