#pragma once
// Reading the attribute tables of a run's GeoPackage (SQLite) for maps and reports.

#include "amsim/geo/error.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace amsim::sim::detail {

/// A query's column names and rows, as text (NULL as "", reals to 12 digits).
struct TextRows {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

/// A run's GeoPackage opened read-only.
class RunTables {
public:
    explicit RunTables(const std::string& path) : m_path(path) {
        if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            sqlite3_close(m_db);
            throw InputError(path + ": cannot open");
        }
    }
    ~RunTables() { sqlite3_close(m_db); }
    RunTables(const RunTables&) = delete;
    RunTables& operator=(const RunTables&) = delete;

    [[nodiscard]] TextRows query(const std::string& sql) const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            throw InputError(m_path + ": not a run of amsim run, or of an older amsim (" +
                             sqlite3_errmsg(m_db) + ")");
        }
        TextRows t;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            t.header.emplace_back(sqlite3_column_name(st, i));
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                if (sqlite3_column_type(st, i) == SQLITE_FLOAT) {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%.12g", sqlite3_column_double(st, i));
                    row.emplace_back(buf);
                } else {
                    const auto* v = sqlite3_column_text(st, i);
                    row.emplace_back(v != nullptr ? reinterpret_cast<const char*>(v) : "");
                }
            }
            t.rows.push_back(std::move(row));
        }
        sqlite3_finalize(st);
        return t;
    }

    /// The provenance table (amsim run) as key -> value.
    [[nodiscard]] std::map<std::string, std::string> provenance() const {
        std::map<std::string, std::string> out;
        for (const auto& row : query("SELECT key, value FROM provenance").rows) {
            out[row[0]] = row[1];
        }
        return out;
    }

private:
    std::string m_path;
    sqlite3* m_db = nullptr;
};

} // namespace amsim::sim::detail
