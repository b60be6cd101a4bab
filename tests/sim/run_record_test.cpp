// The record of runs: records kept whole, newest first, safe with concurrent writers, and
// never half-written.

#include "amsim/sim/outputs/run_record.hpp"

#include "amsim/core/error.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <set>
#include <thread>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

RunRecord record(const std::string& name) {
    RunRecord r;
    r.started = r.finished = "2026-01-01T00:00:00Z";
    r.command = "run";
    r.scenario_name = name;
    r.summary = R"({"new_units":2})";
    return r;
}

std::int64_t count(const std::string& db, const char* table) {
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, (std::string("SELECT count(*) FROM ") + table).c_str(), -1, &s, nullptr);
    sqlite3_step(s);
    const std::int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

TEST(RunRecord, ChecksumsAndRecordsRoundTrip) {
    test::TempDir dir;
    std::ofstream(dir.file("abc.txt")) << "abc";
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    EXPECT_EQ(sha256_file(dir.file("abc.txt")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_THROW((void)sha256_file(dir.file("none.txt")), InputError);
    RunStore store(dir.file("sub/runs.sqlite")); // the directory is created
    RunRecord r = record("first");
    r.inputs = {record_input("base", dir.file("abc.txt")), record_input("base", "PG:dbname=x")};
    const std::int64_t id = store.add(r);
    (void)store.add(record("second"));
    const auto back = store.get(id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->scenario_name, "first");
    EXPECT_EQ(back->summary, R"({"new_units":2})");
    EXPECT_EQ(back->version, amsim_version());
    ASSERT_EQ(back->inputs.size(), 2U);
    EXPECT_EQ(back->inputs[0].bytes, 3);
    EXPECT_EQ(back->inputs[1].sha256, ""); // a connection string: no checksum
    const auto runs = store.list(10);
    ASSERT_EQ(runs.size(), 2U);
    EXPECT_EQ(runs[0].scenario_name, "second"); // newest first
    EXPECT_FALSE(store.get(99));
}

TEST(RunRecord, ConcurrentWritersAllLand) {
    test::TempDir dir;
    const std::string db = dir.file("runs.sqlite");
    { RunStore create(db); }
    std::vector<std::thread> writers;
    writers.reserve(4);
    for (int w = 0; w < 4; ++w) {
        writers.emplace_back([&db, w] {
            RunStore store(db); // each writer its own connection, as separate processes
            for (int i = 0; i < 25; ++i) {
                RunRecord r = record("w" + std::to_string(w));
                r.inputs = {{"base", "b", "", 1}};
                (void)store.add(r);
            }
        });
    }
    for (std::thread& t : writers) {
        t.join();
    }
    EXPECT_EQ(count(db, "runs"), 100);
    EXPECT_EQ(count(db, "run_inputs"), 100);
    std::set<std::int64_t> ids;
    for (const RunRecord& r : RunStore(db).list(1000)) {
        ids.insert(r.id);
    }
    EXPECT_EQ(ids.size(), 100U);
}

TEST(RunRecord, AFailureMidwayLeavesNoRecord) {
    test::TempDir dir;
    const std::string db = dir.file("runs.sqlite");
    { RunStore create(db); }
    // A trigger makes the second input's insertion fail, after the run row went in.
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    ASSERT_EQ(sqlite3_exec(h,
                           "CREATE TRIGGER boom BEFORE INSERT ON run_inputs WHEN NEW.role = "
                           "'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END",
                           nullptr,
                           nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(h);
    RunStore store(db);
    RunRecord r = record("broken");
    r.inputs = {{"base", "b", "", 1}, {"boom", "b", "", 1}};
    EXPECT_THROW((void)store.add(r), InputError);
    EXPECT_EQ(count(db, "runs"), 0);
    EXPECT_EQ(count(db, "run_inputs"), 0);
    (void)store.add(record("fine")); // the store is usable afterwards
    EXPECT_EQ(count(db, "runs"), 1);
}

TEST(RunRecord, ARunIsPendingUntilCompletedAndTakenBackIfItFails) {
    test::TempDir dir;
    std::ofstream(dir.file("abc.txt")) << "abc";
    RunStore store(dir.file("runs.sqlite"));
    RunRecord planned = record("pending");
    planned.outputs = R"(["out.gpkg"])";
    const std::int64_t id = store.begin(planned);
    ASSERT_TRUE(store.get(id));
    EXPECT_EQ(store.get(id)->status, "pending"); // a kill now leaves it listed as such
    EXPECT_EQ(store.get(id)->outputs, R"(["out.gpkg"])");
    RunRecord done = record("pending");
    done.summary = R"({"new_units":3})";
    done.inputs = {record_input("base", dir.file("abc.txt"))};
    store.complete(id, done);
    const auto back = store.get(id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->status, "complete");
    EXPECT_EQ(back->summary, R"({"new_units":3})");
    EXPECT_EQ(back->inputs.size(), 1U);
    store.discard(id); // a complete run is never taken back
    EXPECT_TRUE(store.get(id));
    const std::int64_t failed = store.begin(record("failed"));
    store.discard(failed);
    EXPECT_FALSE(store.get(failed));
    EXPECT_EQ(count(dir.file("runs.sqlite"), "runs"), 1);
}

TEST(RunRecord, ADatabaseFromBeforePendingRunsKeepsItsRecordsAsComplete) {
    test::TempDir dir;
    const std::string db = dir.file("runs.sqlite");
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    ASSERT_EQ(sqlite3_exec(h,
                           "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT "
                           "NOT NULL, finished TEXT NOT NULL, command TEXT NOT NULL, scenario "
                           "TEXT, scenario_name TEXT, rules TEXT, version TEXT, parameters TEXT, "
                           "summary TEXT, outputs TEXT, timings TEXT, seconds REAL);"
                           "CREATE TABLE run_inputs (run_id INTEGER NOT NULL, role TEXT NOT "
                           "NULL, path TEXT NOT NULL, sha256 TEXT, bytes INTEGER);"
                           "INSERT INTO runs (started, finished, command) VALUES ('a', 'b', "
                           "'run');",
                           nullptr,
                           nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(h);
    RunStore store(db);
    const auto runs = store.list(10);
    ASSERT_EQ(runs.size(), 1U);
    EXPECT_EQ(runs[0].status, "complete");
    EXPECT_EQ(store.get(store.begin(record("new")))->status, "pending");
}

TEST(RunRecord, TestsNeverUseTheDevelopersDatabase) {
    // The national tests used to record their runs in data/work/runs.sqlite.
    EXPECT_NE(default_runs_db(), AMSIM_SOURCE_DIR "/data/work/runs.sqlite");
    EXPECT_NE(default_runs_db().find("test-runs.sqlite"), std::string::npos);
}

TEST(RunRecord, AnUnusablePathIsAClearError) {
    try {
        RunStore store("/dev/null/runs.sqlite");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/dev/null/runs.sqlite"), std::string::npos);
    }
}

} // namespace
} // namespace amsim::sim
