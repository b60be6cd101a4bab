#pragma once
/// @file sqlite.hpp
/// SQLite at sim's edge (the record of runs, ensembles' plan files): a prepared statement
/// finalised on scope exit, and statements run for their effect; errors name the file.
/// Internal to sim.

#include "amsim/core/error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace amsim::sim {

/// A prepared statement, finalised on scope exit.
class Statement {
public:
    Statement(sqlite3* db, const char* sql, const std::string& path) : m_db(db), m_path(path) {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
            throw InputError(path + ": " + sqlite3_errmsg(db));
        }
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    void bind(int i, const std::string& v) {
        sqlite3_bind_text(m_stmt, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind_blob(int i, const void* data, std::size_t bytes) {
        sqlite3_bind_blob(m_stmt, i, data, static_cast<int>(bytes), SQLITE_TRANSIENT);
    }
    /// Ready to be bound and stepped again.
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    /// Steps once: true while there is a row.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc != SQLITE_DONE) {
            throw InputError(m_path + ": " + sqlite3_errmsg(m_db));
        }
        return false;
    }
    [[nodiscard]] std::string text(int i) const {
        const auto* p = sqlite3_column_text(m_stmt, i);
        return p != nullptr ? reinterpret_cast<const char*>(p) : "";
    }
    [[nodiscard]] double real(int i) const { return sqlite3_column_double(m_stmt, i); }
    [[nodiscard]] std::int64_t integer(int i) const { return sqlite3_column_int64(m_stmt, i); }
    [[nodiscard]] std::string blob(int i) const {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, i));
        return p != nullptr
                   ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i)))
                   : std::string();
    }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_path;
};

inline void exec(sqlite3* db, const char* sql, const std::string& path) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string message = err != nullptr ? err : "error";
        sqlite3_free(err);
        throw InputError(path + ": " + message);
    }
}

} // namespace amsim::sim
