#pragma once
// Shared pieces of the CLI commands: data paths, layer options, progress, printing.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/layer_jobs.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/geo/progress.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace amsim::cli {

struct GlobalOptions {
    std::string data_dir; ///< --data-dir, else $AMSIM_DATA_DIR, else the build default
    bool json = false;
    bool quiet = false;
    bool allow_network = false; ///< --allow-network: sources may be fetched from the network
    std::string runs_db;        ///< --runs-db, else sim::default_runs_db()
};

/// A subcommand: setup() declares and checks options (opens no file), run() does the work.
class Command {
public:
    Command() = default;
    virtual ~Command() = default;
    Command(const Command&) = delete;
    Command& operator=(const Command&) = delete;
    Command(Command&&) = delete;
    Command& operator=(Command&&) = delete;
    virtual void setup(CLI::App& app) = 0;
    virtual int run(const GlobalOptions& global) = 0;
};

/// The record of one run in the record of runs (global.runs_db): pending from construction,
/// so that a run killed midway stays listed with the outputs it meant to write, and complete
/// after complete(). A run that ends without completing (an error) takes its record back and
/// removes the outputs it had put in place, so that no output stands without its record.
class RecordedRun {
public:
    /// `record` names the command, scenario, parameters and planned outputs (JSON array).
    RecordedRun(const GlobalOptions& global, sim::RunRecord record);
    ~RecordedRun();
    RecordedRun(const RecordedRun&) = delete;
    RecordedRun& operator=(const RecordedRun&) = delete;
    RecordedRun(RecordedRun&&) = delete;
    RecordedRun& operator=(RecordedRun&&) = delete;

    /// An output is in place.
    void wrote(const std::string& path);
    /// Completes the record with the run's results; its outputs are those wrote() named.
    void complete(sim::RunRecord record);

private:
    const GlobalOptions& m_global;
    sim::RunStore m_store;
    std::int64_t m_id = 0;
    std::vector<std::string> m_outputs;
    bool m_complete = false;
};

/// A JSON array of paths, as the record of runs keeps outputs.
[[nodiscard]] std::string json_paths(const std::vector<std::string>& paths);

std::unique_ptr<Command> make_inspect_command();
std::unique_ptr<Command> make_dissolve_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_lookup_command();
std::unique_ptr<Command> make_export_mapping_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_prepare_command();
std::unique_ptr<Command> make_payout_command();
std::unique_ptr<Command> make_staff_command();
std::unique_ptr<Command> make_propose_command();
std::unique_ptr<Command> make_compare_command();
std::unique_ptr<Command> make_runs_command();
std::unique_ptr<Command> make_map_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_serve_command();
std::unique_ptr<Command> make_ensemble_command();

/// The data directory in force.
std::string data_dir(const GlobalOptions& global);

/// Resolves a source argument: "@/x" is x under the data directory; a .gz file is read
/// through /vsigzip/.
std::string resolve_source(const std::string& arg, const GlobalOptions& global);

/// A scenario argument: a file, or a directory holding scenario.toml.
std::string scenario_file(const std::string& arg);
/// Declares --province (one new province: its code or name, or an old province's code).
void add_province_option(CLI::App& app, std::string& province);
/// The name of a scenario's outputs: its folder's name for a folder's scenario.toml (a copied
/// folder runs under its own name), else the scenario's name.
std::string run_name(const sim::Scenario& scenario);

/// Loads the scenario an argument names (see scenario_file), its split layer's source
/// resolved (see resolve_source).
sim::Scenario open_scenario(const std::string& arg, const GlobalOptions& global);
/// Declares the positional scenario argument of a command (see scenario_file).
void add_scenario_argument(CLI::App& app, std::string& path);

/// The rules profile a command judges by: `option` (--rules: a profile name, or a .toml file
/// relative to the working directory) if given, else the scenario's own `rules` (a .toml file
/// relative to the scenario).
[[nodiscard]] sim::RulesProfile command_profile(const sim::Scenario& scenario,
                                                const std::string& option);

/// Adds a scenario's own files (the scenario, its mapping, its base layer) to the inputs an
/// output may never replace.
void protect_scenario(geo::OutputPolicy& policy,
                      const sim::Scenario& scenario,
                      const GlobalOptions& global);

/// Options naming a layer and its fields, shared by commands reading units.
struct LayerArgs {
    std::string source;
    std::string layer;
    std::string code;
    std::string name;
    std::string parent;
    std::string type;
    double snap = -1;
    bool no_repair = false;

    void add_to(CLI::App& app);
    [[nodiscard]] geo::LayerSpec spec(const GlobalOptions& global) const;
};

/// An option's number checked as data read from a file would be: decimal only (never "nan"
/// or "inf"), between lo and hi.
[[nodiscard]] CLI::Validator in_range(double lo, double hi);

/// Progress on stderr: a bar on a terminal, nothing in scripts or with --quiet/--json.
geo::ProgressFn make_progress(const GlobalOptions& global);

/// Prints up to `limit` diagnostics to stderr, then "... and N more".
void print_diagnostics(const std::vector<geo::Diagnostic>& diags, std::size_t limit = 20);

nlohmann::json to_json(const std::vector<geo::Diagnostic>& diags, std::size_t limit);
nlohmann::json to_json(const geo::Timings& timings);

} // namespace amsim::cli
