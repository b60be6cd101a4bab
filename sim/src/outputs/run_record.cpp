#include "amsim/sim/outputs/run_record.hpp"

#include "amsim/core/error.hpp"

#include <sqlite3.h>

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

#include "sqlite.hpp"

namespace amsim::sim {

const char* amsim_version() {
    return AMSIM_VERSION;
}

std::string sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError(path + ": cannot read (for its checksum)");
    }
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        throw InternalError("SHA-256 not available");
    }
    std::array<char, 1 << 16> buf{};
    while (in) {
        in.read(buf.data(), buf.size());
        if (in.gcount() > 0) {
            EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
        }
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        char b[3];
        std::snprintf(b, sizeof b, "%02x", md[i]);
        hex += b;
    }
    return hex;
}

std::string utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

RecordedInput record_input(const std::string& role, const std::string& path) {
    RecordedInput in{role, path, "", 0};
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) {
        in.path = std::filesystem::absolute(path).lexically_normal().string();
        in.bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
        in.sha256 = sha256_file(path);
    }
    return in;
}

std::string default_runs_db() {
    if (const char* env = std::getenv("AMSIM_RUNS_DB"); env != nullptr && *env != '\0') {
        return env;
    }
    // The XDG base directory specification's place for a program's state.
    if (const char* state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state == '/') {
        return std::string(state) + "/amsim/runs.sqlite";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::string(home) + "/.local/state/amsim/runs.sqlite";
    }
    return "amsim-runs.sqlite";
}

struct RunStore::Db {
    sqlite3* handle = nullptr;
};

namespace {

constexpr const char* run_columns =
    "id, started, finished, command, scenario, scenario_name, rules, version, parameters, "
    "summary, outputs, timings, seconds, status, pid";

RunRecord read_run(const Statement& s) {
    RunRecord r;
    r.id = s.integer(0);
    r.started = s.text(1);
    r.finished = s.text(2);
    r.command = s.text(3);
    r.scenario = s.text(4);
    r.scenario_name = s.text(5);
    r.rules = s.text(6);
    r.version = s.text(7);
    r.parameters = s.text(8);
    r.summary = s.text(9);
    r.outputs = s.text(10);
    r.timings = s.text(11);
    r.seconds = s.real(12);
    r.status = s.text(13);
    r.pid = s.integer(14);
    return r;
}

} // namespace

RunStore::RunStore(const std::string& path) : m_path(path), m_db(new Db) {
    if (const auto dir = std::filesystem::path(path).parent_path(); !dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            delete m_db;
            throw InputError(path + ": cannot create the directory of the run record: " +
                             ec.message() + " (set --runs-db or AMSIM_RUNS_DB)");
        }
    }
    if (sqlite3_open_v2(
            path.c_str(), &m_db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        const std::string message = sqlite3_errmsg(m_db->handle);
        sqlite3_close(m_db->handle);
        delete m_db;
        throw InputError(path + ": cannot open the run record: " + message +
                         " (set --runs-db or AMSIM_RUNS_DB)");
    }
    try {
        // Concurrent writers wait for each other rather than fail.
        sqlite3_busy_timeout(m_db->handle, 30000);
        exec(m_db->handle, "PRAGMA journal_mode=WAL", path);
        exec(m_db->handle,
             "CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started "
             "TEXT NOT NULL, finished TEXT NOT NULL, command TEXT NOT NULL, scenario TEXT, "
             "scenario_name TEXT, rules TEXT, version TEXT, parameters TEXT, summary TEXT, "
             "outputs TEXT, timings TEXT, seconds REAL, status TEXT NOT NULL DEFAULT "
             "'complete', pid INTEGER NOT NULL DEFAULT 0);"
             "CREATE TABLE IF NOT EXISTS run_inputs (run_id INTEGER NOT NULL REFERENCES "
             "runs(id), role TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT, bytes INTEGER);",
             path);
        // Records made before runs were recorded as pending first are all complete.
        bool has_status = false;
        {
            Statement cols(m_db->handle, "PRAGMA table_info(runs)", path);
            while (cols.step()) {
                has_status = has_status || cols.text(1) == "status";
            }
        }
        if (!has_status) {
            exec(m_db->handle,
                 "ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'complete';"
                 "ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;",
                 path);
        }
    } catch (...) {
        sqlite3_close(m_db->handle);
        delete m_db;
        throw;
    }
}

RunStore::~RunStore() {
    if (m_db != nullptr) {
        sqlite3_close(m_db->handle);
        delete m_db;
    }
}

namespace {

/// Binds a record's fields to a statement's parameters 1 to 14 (an INSERT or an UPDATE
/// naming the columns in this order).
void bind_record(Statement& s, const RunRecord& r) {
    s.bind(1, r.started);
    s.bind(2, r.finished);
    s.bind(3, r.command);
    s.bind(4, r.scenario);
    s.bind(5, r.scenario_name);
    s.bind(6, r.rules);
    s.bind(7, r.version.empty() ? std::string(amsim_version()) : r.version);
    s.bind(8, r.parameters);
    s.bind(9, r.summary);
    s.bind(10, r.outputs);
    s.bind(11, r.timings);
    s.bind(12, r.seconds);
    s.bind(13, r.status);
    s.bind(14, r.pid != 0 ? r.pid : static_cast<std::int64_t>(::getpid()));
}

void insert_inputs(sqlite3* db, std::int64_t id, const RunRecord& r, const std::string& path) {
    for (const RecordedInput& in : r.inputs) {
        Statement s(db,
                    "INSERT INTO run_inputs (run_id, role, path, sha256, bytes) VALUES (?,?,?,?,?)",
                    path);
        s.bind(1, id);
        s.bind(2, in.role);
        s.bind(3, in.path);
        s.bind(4, in.sha256);
        s.bind(5, in.bytes);
        (void)s.step();
    }
}

/// Runs body inside BEGIN IMMEDIATE ... COMMIT, rolled back if it throws.
template <typename Body>
auto transaction(sqlite3* db, const std::string& path, Body body) {
    exec(db, "BEGIN IMMEDIATE", path);
    try {
        auto result = body();
        exec(db, "COMMIT", path);
        return result;
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace

std::int64_t RunStore::add(const RunRecord& r) {
    sqlite3* db = m_db->handle;
    return transaction(db, m_path, [&] {
        {
            Statement s(db,
                        "INSERT INTO runs (started, finished, command, scenario, scenario_name, "
                        "rules, version, parameters, summary, outputs, timings, seconds, status, "
                        "pid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        m_path);
            bind_record(s, r);
            (void)s.step();
        }
        const std::int64_t id = sqlite3_last_insert_rowid(db);
        insert_inputs(db, id, r, m_path);
        return id;
    });
}

std::int64_t RunStore::begin(RunRecord record) {
    record.status = "pending";
    return add(record);
}

void RunStore::complete(std::int64_t id, const RunRecord& record) {
    sqlite3* db = m_db->handle;
    RunRecord r = record;
    r.status = "complete";
    transaction(db, m_path, [&] {
        {
            Statement s(db,
                        "UPDATE runs SET started = ?, finished = ?, command = ?, scenario = ?, "
                        "scenario_name = ?, rules = ?, version = ?, parameters = ?, summary = ?, "
                        "outputs = ?, timings = ?, seconds = ?, status = ?, pid = ? WHERE id = ?",
                        m_path);
            bind_record(s, r);
            s.bind(15, id);
            (void)s.step();
        }
        if (sqlite3_changes(db) != 1) {
            throw InputError(m_path + ": run " + std::to_string(id) +
                             " is no longer in the record of runs");
        }
        Statement del(db, "DELETE FROM run_inputs WHERE run_id = ?", m_path);
        del.bind(1, id);
        (void)del.step();
        insert_inputs(db, id, r, m_path);
        return 0;
    });
}

void RunStore::discard(std::int64_t id) {
    sqlite3* db = m_db->handle;
    transaction(db, m_path, [&] {
        for (const char* sql : {"DELETE FROM run_inputs WHERE run_id = (SELECT id FROM runs "
                                "WHERE id = ? AND status = 'pending')",
                                "DELETE FROM runs WHERE id = ? AND status = 'pending'"}) {
            Statement s(db, sql, m_path);
            s.bind(1, id);
            (void)s.step();
        }
        return 0;
    });
}

std::vector<RunRecord> RunStore::list(std::size_t limit) const {
    Statement s(
        m_db->handle,
        (std::string("SELECT ") + run_columns + " FROM runs ORDER BY id DESC LIMIT ?").c_str(),
        m_path);
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<RunRecord> out;
    while (s.step()) {
        out.push_back(read_run(s));
    }
    return out;
}

std::optional<RunRecord> RunStore::get(std::int64_t id) const {
    Statement s(m_db->handle,
                (std::string("SELECT ") + run_columns + " FROM runs WHERE id = ?").c_str(),
                m_path);
    s.bind(1, id);
    if (!s.step()) {
        return std::nullopt;
    }
    RunRecord r = read_run(s);
    Statement in(m_db->handle,
                 "SELECT role, path, sha256, bytes FROM run_inputs WHERE run_id = ? ORDER BY rowid",
                 m_path);
    in.bind(1, id);
    while (in.step()) {
        r.inputs.push_back({in.text(0), in.text(1), in.text(2), in.integer(3)});
    }
    return r;
}

} // namespace amsim::sim
