#pragma once
/// @file run_record.hpp
/// The record of runs (issue 6): every run of amsim run (and propose) is kept in a SQLite
/// database: scenario, inputs with their SHA-256, parameters, summary results, outputs and
/// timings. A run is recorded as pending before it writes anything, and completed after its
/// outputs are in place: a run that fails takes its record back, and one that was killed
/// stays listed as unfinished, with the outputs it meant to write. Several processes may
/// record at once (WAL, busy timeout).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

/// amsim's version, as recorded with every run.
[[nodiscard]] const char* amsim_version();

/// SHA-256 of a file, in hex. Throws InputError naming the file if it cannot be read.
[[nodiscard]] std::string sha256_file(const std::string& path);

/// The current UTC time, ISO 8601 to the second.
[[nodiscard]] std::string utc_now();

struct RecordedInput {
    std::string role; ///< base, mapping, scenario, rules, table...
    std::string path;
    std::string sha256;
    std::int64_t bytes = 0;
};

struct RunRecord {
    std::int64_t id = 0;
    std::string started, finished; ///< UTC, ISO 8601
    std::string command;           ///< run, propose...
    std::string scenario;          ///< path of the scenario file
    std::string scenario_name;
    std::string rules;
    std::string version;
    std::string parameters; ///< JSON object
    std::string summary;    ///< JSON object of the summary results
    std::string outputs;    ///< JSON array of output paths
    std::string timings;    ///< JSON object: stage -> seconds
    double seconds = 0;
    std::vector<RecordedInput> inputs;
    std::string status = "complete"; ///< pending (begun, not completed) or complete
    std::int64_t pid = 0;            ///< process that made the run
};

/// Records the input at path (its size and checksum) under a role; a path that is not a
/// file (a connection string) is recorded without checksum.
[[nodiscard]] RecordedInput record_input(const std::string& role, const std::string& path);

class RunStore {
public:
    /// Opens (creating if needed) the database at path; its directory is created.
    explicit RunStore(const std::string& path);
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;
    RunStore(RunStore&&) = delete;
    RunStore& operator=(RunStore&&) = delete;

    /// Adds a run and its inputs in one transaction; returns its id.
    std::int64_t add(const RunRecord& record);
    /// Adds a run as pending (its planned outputs, no results yet); returns its id.
    std::int64_t begin(RunRecord record);
    /// Completes a pending run with its results and inputs, in one transaction.
    void complete(std::int64_t id, const RunRecord& record);
    /// Takes a pending run's record back (the run failed and left nothing).
    void discard(std::int64_t id);
    /// The newest runs first.
    [[nodiscard]] std::vector<RunRecord> list(std::size_t limit) const;
    [[nodiscard]] std::optional<RunRecord> get(std::int64_t id) const;
    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    std::string m_path;
    struct Db;
    Db* m_db = nullptr;
};

/// The default database: $AMSIM_RUNS_DB, else data/work/runs.sqlite beside the source tree.
[[nodiscard]] std::string default_runs_db();

} // namespace amsim::sim
