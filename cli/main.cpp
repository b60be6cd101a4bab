// amsim: registers GDAL, dispatches the subcommand, maps errors to exit codes.
// Exit codes: 0 ok, 1 input/scenario error, 2 usage, 3 internal error.

#include "amsim/geo/error.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/text.hpp"

#include <gdal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <filesystem>
#include <iostream>

#include "common.hpp"

// CLI11 throws while the options are declared only on a programming error (a name given
// twice), which every test run would show; once parsing starts, everything is caught below.
int main(int argc, char** argv) { // NOLINT(bugprone-exception-escape)
    using namespace amsim;
#ifdef __GLIBC__
    // A national topology allocates and frees many arrays of a few to 30 MB. By default glibc
    // maps each from the kernel afresh (a page fault per 4 KiB, about 0.3 CPU-s in all) and
    // unmaps it on free; kept in the heap, freed arrays are reused instead.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    CLI::App app{"amsim: simulator of administrative-unit mergers"};
    app.footer(
        "The three jobs, on the national data (see README.md):\n"
        "  amsim prepare-vn2025                                   # the 2025 reform as a "
        "scenario\n"
        "  amsim run scenarios/vn-2025 -o data/work/runs --report data/work/reports/vn-2025.html\n"
        "  amsim map data/work/runs/vn-2025.gpkg -o data/work/maps --province 01\n"
        "  amsim staff scenarios/vn-2025 -o data/work/runs/staff.csv\n"
        "  amsim propose scenarios/vn-2025 -o data/work/proposals/vn-2025\n"
        "Each command's --help explains its options with an example.");
    app.require_subcommand(1);
    app.fallthrough(); // global flags may follow the subcommand too
    cli::GlobalOptions global;
    app.add_option("--data-dir",
                   global.data_dir,
                   "National data directory for @/ paths (default: $AMSIM_DATA_DIR, else "
                   "../shared/data beside the source tree)");
    app.add_flag("--json", global.json, "Print the summary as JSON on stdout");
    app.add_flag("--allow-network",
                 global.allow_network,
                 "Let sources be fetched from the network (/vsicurl/, http://, WFS...); by "
                 "default amsim reads local files and database connections only");
    app.add_flag("-q,--quiet", global.quiet, "No progress or timings on stderr");
    global.runs_db = amsim::sim::default_runs_db();
    app.add_option("--runs-db",
                   global.runs_db,
                   "SQLite record of runs (default: $AMSIM_RUNS_DB, else data/work/runs.sqlite "
                   "beside the source tree); see amsim runs");

    struct Entry {
        const char* name;
        const char* help;
        std::unique_ptr<cli::Command> command;
        CLI::App* app = nullptr;
    };
    std::vector<Entry> commands;
    commands.push_back({"inspect",
                        "Counts, CRS, validity, coverage problems and adjacency of a layer",
                        cli::make_inspect_command()});
    commands.push_back({"dissolve",
                        "Merge units by a field or a code->group table",
                        cli::make_dissolve_command()});
    commands.push_back({"check",
                        "Check a scenario against the base layer without writing anything",
                        cli::make_check_command()});
    commands.push_back({"run",
                        "Build a scenario's new units, judge them against the rules, write a "
                        "GeoPackage",
                        cli::make_run_command()});
    commands.push_back({"staff",
                        "Staff of the old units reallocated to a scenario's new units (estimated)",
                        cli::make_staff_command()});
    commands.push_back({"payout",
                        "One person's payout on leaving (Decrees 178/67 and 154), by component",
                        cli::make_payout_command()});
    commands.push_back({"propose",
                        "Propose a merger plan that meets the standards, as a scenario",
                        cli::make_propose_command()});
    commands.push_back({"compare",
                        "Compare two scenarios over the same base: agreement, standards, "
                        "compactness, staffing",
                        cli::make_compare_command()});
    commands.push_back({"report",
                        "One self-contained HTML report of a run (tables, maps, provenance)",
                        cli::make_report_command()});
    commands.push_back({"map",
                        "Maps of a run (PNG, SVG): new units over the old, by unit or metric",
                        cli::make_map_command()});
    commands.push_back(
        {"runs", "The record of runs: list them, show one, compare two", cli::make_runs_command()});
    commands.push_back({"prepare-vn2025",
                        "Generate the real 2025 reform as a scenario from the national data",
                        cli::make_prepare_command()});
    commands.push_back({"import",
                        "Convert a vector source once into a fast GeoPackage workspace",
                        cli::make_import_command()});
    for (Entry& e : commands) {
        e.app = app.add_subcommand(e.name, e.help);
        e.command->setup(*e.app);
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    GDALAllRegister();
    geo::allow_network_sources(global.allow_network);
    int rc = 0;
    try {
        for (Entry& e : commands) {
            if (e.app->parsed()) {
                rc = e.command->run(global);
            }
        }
    } catch (const Error& e) {
        std::cerr << "amsim: error: " << geo::printable(e.what()) << '\n';
        rc = e.exit_code();
    } catch (const std::filesystem::filesystem_error& e) {
        // What the operating system refused (permission, not a directory, a full disk) is
        // the input's or the output's problem, not amsim's.
        std::cerr << "amsim: error: " << geo::printable(e.path1().string()) << ": "
                  << e.code().message() << '\n';
        rc = 1;
    } catch (const std::bad_alloc&) {
        std::cerr << "amsim: error: out of memory\n";
        rc = 1;
    } catch (const std::exception& e) {
        std::cerr << "amsim: internal error: " << geo::printable(e.what()) << '\n';
        rc = 3;
    }
    GDALDestroyDriverManager();
    return rc;
}
