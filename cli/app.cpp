// The command line of amsim: the subcommands, the global options, --version, a suggestion
// for a mistyped command, and the mapping of errors to exit codes.
// Exit codes: 0 ok, 1 input/scenario error, 2 usage, 3 internal error.

#include "app.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/outputs/run_record.hpp"

#include <gdal.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "common.hpp"

namespace amsim::cli {

namespace {

struct Entry {
    const char* name;
    const char* help;
    std::unique_ptr<Command> (*make)();
};

const std::vector<Entry>& entries() {
    static const std::vector<Entry> e = {
        {"inspect",
         "Counts, CRS, validity, coverage problems and adjacency of a layer",
         make_inspect_command},
        {"dissolve", "Merge units by a field or a code->group table", make_dissolve_command},
        {"check",
         "Check a scenario against the base layer without writing anything",
         make_check_command},
        {"export-mapping",
         "A scenario's mapping as a table to edit (old units by code, name, district, province)",
         make_export_mapping_command},
        {"run",
         "Build a scenario's new units, judge them against the rules, write a GeoPackage",
         make_run_command},
        {"staff",
         "Staff of the old units reallocated to a scenario's new units (estimated)",
         make_staff_command},
        {"payout",
         "One person's payout on leaving (Decrees 178/67 and 154), by component",
         make_payout_command},
        {"propose",
         "Propose a merger plan that meets the standards, as a scenario",
         make_propose_command},
        {"compare",
         "Compare two scenarios over the same base: agreement, standards, compactness, staffing",
         make_compare_command},
        {"report",
         "One self-contained HTML report of a run (tables, maps, provenance)",
         make_report_command},
        {"map",
         "Maps of a run (PNG, SVG): new units over the old, by unit or metric",
         make_map_command},
        {"serve",
         "Edit a plan on a map in the browser, with live standards and staffing",
         make_serve_command},
        {"ensemble",
         "Thousands of lawful alternative plans, and where the plan falls among them",
         make_ensemble_command},
        {"lookup",
         "Which new unit an old address (commune, district, province, or a point) is now in",
         make_lookup_command},
        {"runs", "The record of runs: list them, show one, compare two", make_runs_command},
        {"prepare-vn2025",
         "Generate the real 2025 reform as a scenario from the national data",
         make_prepare_command},
        {"import",
         "Convert a vector source once into a fast GeoPackage workspace",
         make_import_command},
    };
    return e;
}

/// Edit distance between two short words: insertions, deletions, substitutions and swaps of
/// two neighbouring letters ("rnu" is one edit from "run").
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min(
                {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

/// The first word of the command line that is not an option or an option's value: the
/// subcommand the user meant.
std::string typed_command(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--data-dir" || a == "--runs-db") {
            ++i; // its value
        } else if (!a.starts_with("-")) {
            return std::string(a);
        }
    }
    return "";
}

bool is_command(const std::string& name) {
    return std::any_of(
        entries().begin(), entries().end(), [&](const Entry& e) { return name == e.name; });
}

} // namespace

std::vector<std::string> command_names() {
    std::vector<std::string> out;
    for (const Entry& e : entries()) {
        out.emplace_back(e.name);
    }
    return out;
}

std::string nearest_command(const std::string& typed) {
    std::string best;
    std::size_t best_d = 3; // at most two edits away, and less than half the word
    for (const Entry& e : entries()) {
        const std::string_view name = e.name;
        const std::size_t d =
            name.starts_with(typed) && typed.size() >= 2 ? 1 : edit_distance(typed, name);
        if (d < best_d && 2 * d < std::max(typed.size(), name.size())) {
            best_d = d;
            best = e.name;
        }
    }
    return best;
}

// CLI11 throws while the options are declared only on a programming error (a name given
// twice), which every test run would show; once parsing starts, everything is caught below.
int run_command_line(int argc, const char* const* argv) { // NOLINT(bugprone-exception-escape)
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
    GlobalOptions global;
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
    global.runs_db = sim::default_runs_db();
    app.add_option("--runs-db",
                   global.runs_db,
                   "SQLite record of runs (default: $AMSIM_RUNS_DB, else "
                   "$XDG_STATE_HOME/amsim/runs.sqlite, else ~/.local/state/amsim/runs.sqlite); "
                   "see amsim runs");

    app.set_version_flag("--version", std::string("amsim ") + sim::amsim_version());
    struct Subcommand {
        std::unique_ptr<Command> command;
        CLI::App* app = nullptr;
    };
    std::vector<Subcommand> commands;
    for (const Entry& e : entries()) {
        Subcommand c{e.make(), app.add_subcommand(e.name, e.help)};
        c.command->setup(*c.app);
        commands.push_back(std::move(c));
    }
    if (const std::string typed = typed_command(argc, argv); !typed.empty() && !is_command(typed)) {
        const std::string near = nearest_command(typed);
        std::cerr << "amsim: unknown command '" << geo::printable(typed) << "'"
                  << (near.empty() ? "" : "; did you mean '" + near + "'?") << "\n"
                  << "Commands: ";
        for (const Entry& e : entries()) {
            std::cerr << e.name << (&e == &entries().back() ? "\n" : ", ");
        }
        return 2;
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
        for (Subcommand& c : commands) {
            if (c.app->parsed()) {
                rc = c.command->run(global);
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

} // namespace amsim::cli
