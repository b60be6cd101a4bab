#include "amsim/sim/plans/ensemble_store.hpp"

#include "amsim/core/error.hpp"

#include <cstdio>
#include <filesystem>

#include "../outputs/sqlite.hpp"
#include "ensemble_shards.hpp"

namespace amsim::sim {

namespace fs = std::filesystem;

std::string shard_file_name(std::size_t shard, std::size_t shards) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "plans-%04zu-of-%04zu.sqlite", shard + 1, shards);
    return buf;
}

namespace {

/// An open database, closed on scope exit.
struct Db {
    sqlite3* handle = nullptr;
    Db(const std::string& path, int flags) {
        if (sqlite3_open_v2(path.c_str(), &handle, flags, nullptr) != SQLITE_OK) {
            const std::string message = sqlite3_errmsg(handle);
            sqlite3_close(handle);
            throw InputError(path + ": cannot open as an ensemble's plans file: " + message);
        }
    }
    ~Db() { sqlite3_close(handle); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
};

constexpr const char* metric_columns =
    "units, below, outright, waived, cut_edges, polsby_popper_sum, seat_km_sum, seat_km_max, "
    "staffed, norm, surplus, payouts_vnd, checksum";

/// Binds a plan's metrics from parameter `first` on (13 values, metric_columns' order).
void bind_metrics(Statement& st, int first, const PlanMetrics& m) {
    st.bind(first, static_cast<std::int64_t>(m.units));
    st.bind(first + 1, static_cast<std::int64_t>(m.below));
    st.bind(first + 2, static_cast<std::int64_t>(m.outright));
    st.bind(first + 3, static_cast<std::int64_t>(m.waived));
    st.bind(first + 4, static_cast<std::int64_t>(m.cut_edges));
    st.bind(first + 5, m.polsby_popper_sum);
    st.bind(first + 6, m.seat_km_sum);
    st.bind(first + 7, m.seat_km_max);
    st.bind(first + 8, m.staffed);
    st.bind(first + 9, m.norm);
    st.bind(first + 10, m.surplus);
    st.bind(first + 11, m.payouts_vnd);
    st.bind(first + 12, static_cast<std::int64_t>(m.checksum));
}

PlanMetrics read_metrics(const Statement& st, int first) {
    PlanMetrics m;
    m.units = static_cast<std::size_t>(st.integer(first));
    m.below = static_cast<std::size_t>(st.integer(first + 1));
    m.outright = static_cast<std::size_t>(st.integer(first + 2));
    m.waived = static_cast<std::size_t>(st.integer(first + 3));
    m.cut_edges = static_cast<std::size_t>(st.integer(first + 4));
    m.polsby_popper_sum = st.real(first + 5);
    m.seat_km_sum = st.real(first + 6);
    m.seat_km_max = st.real(first + 7);
    m.staffed = st.real(first + 8);
    m.norm = st.real(first + 9);
    m.surplus = st.real(first + 10);
    m.payouts_vnd = st.real(first + 11);
    m.checksum = static_cast<std::uint64_t>(st.integer(first + 12));
    return m;
}

void write_meta(sqlite3* db, const std::string& path, const ShardMeta& m) {
    Statement st(db, "INSERT INTO meta (key, value) VALUES (?, ?)", path);
    const std::pair<const char*, std::string> rows[] = {
        {"format", "amsim-ensemble-1"},
        {"version", m.version},
        {"scenario", m.scenario},
        {"inputs_sha256", m.inputs_sha256},
        {"rules", m.rules},
        {"seed", std::to_string(m.seed)},
        {"plans", std::to_string(m.plans)},
        {"shard", std::to_string(m.shard + 1)},
        {"shards", std::to_string(m.shards)},
        {"plans_per_chain", std::to_string(m.plans_per_chain)},
        {"burn_in", std::to_string(m.burn_in)},
        {"thin", std::to_string(m.thin)},
        {"province", m.province},
        {"reduction", [&] {
             char buf[32];
             std::snprintf(buf, sizeof buf, "%.17g", m.reduction);
             return std::string(buf);
         }()}};
    for (const auto& [key, value] : rows) {
        st.bind(1, std::string(key));
        st.bind(2, value);
        st.step();
        st.reset();
    }
    Statement names(db, "INSERT INTO provinces (code, name) VALUES (?, ?)", path);
    for (const auto& [code, name] : m.province_names) {
        names.bind(1, code);
        names.bind(2, name);
        names.step();
        names.reset();
    }
}

} // namespace

void write_shard(const std::string& path,
                 const EnsembleResult& r,
                 const ShardMeta& meta,
                 const ReferencePlans& references,
                 const geo::OutputPolicy& policy) {
    geo::check_output(path, policy);
    geo::StagedFile staged(path, policy);
    {
        const Db db(staged.temp(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        exec(db.handle,
             "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
             "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
             "CREATE TABLE provinces (code TEXT PRIMARY KEY, name TEXT NOT NULL);"
             "CREATE TABLE plans (plan INTEGER NOT NULL, chain INTEGER NOT NULL, province TEXT "
             "NOT NULL, units INTEGER, below INTEGER, outright INTEGER, waived INTEGER, "
             "cut_edges INTEGER, polsby_popper_sum REAL, seat_km_sum REAL, seat_km_max REAL, "
             "staffed REAL, norm REAL, surplus REAL, payouts_vnd REAL, checksum INTEGER, labels "
             "BLOB, PRIMARY KEY (plan, province));"
             "CREATE TABLE reference_plans (name TEXT NOT NULL, province TEXT NOT NULL, units "
             "INTEGER, below INTEGER, outright INTEGER, waived INTEGER, cut_edges INTEGER, "
             "polsby_popper_sum REAL, seat_km_sum REAL, seat_km_max REAL, staffed REAL, norm "
             "REAL, surplus REAL, payouts_vnd REAL, checksum INTEGER, PRIMARY KEY (name, "
             "province));"
             "CREATE TABLE chains (chain INTEGER NOT NULL, province TEXT NOT NULL, steps "
             "INTEGER, accepted INTEGER, fallback INTEGER, rejected INTEGER);"
             "CREATE TABLE old_units (province TEXT NOT NULL, position INTEGER NOT NULL, code "
             "TEXT NOT NULL, PRIMARY KEY (province, position));",
             path);
        write_meta(db.handle, path, meta);
        {
            Statement st(db.handle,
                         (std::string("INSERT INTO plans (plan, chain, province, ") +
                          metric_columns + ", labels) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                             .c_str(),
                         path);
            for (const PlanRecord& p : r.plans) {
                st.bind(1, static_cast<std::int64_t>(p.plan));
                st.bind(2, static_cast<std::int64_t>(p.chain));
                st.bind(3, p.province);
                bind_metrics(st, 4, p.metrics);
                if (!p.labels.empty()) {
                    std::string bytes(2 * p.labels.size(), '\0'); // little-endian, any machine
                    for (std::size_t k = 0; k < p.labels.size(); ++k) {
                        bytes[2 * k] = static_cast<char>(p.labels[k] & 0xFF);
                        bytes[2 * k + 1] = static_cast<char>(p.labels[k] >> 8);
                    }
                    st.bind_blob(17, bytes.data(), bytes.size());
                }
                st.step();
                st.reset();
            }
        }
        {
            Statement st(db.handle,
                         (std::string("INSERT INTO reference_plans (name, province, ") +
                          metric_columns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                             .c_str(),
                         path);
            for (const auto& [name, provinces] : references) {
                for (const auto& [province, m] : provinces) {
                    st.bind(1, name);
                    st.bind(2, province);
                    bind_metrics(st, 3, m);
                    st.step();
                    st.reset();
                }
            }
        }
        {
            Statement st(db.handle, "INSERT INTO chains VALUES (?,?,?,?,?,?)", path);
            for (const ChainStats& c : r.chains) {
                st.bind(1, static_cast<std::int64_t>(c.chain));
                st.bind(2, c.province);
                st.bind(3, static_cast<std::int64_t>(c.steps));
                st.bind(4, static_cast<std::int64_t>(c.accepted));
                st.bind(5, static_cast<std::int64_t>(c.fallback));
                st.bind(6, static_cast<std::int64_t>(c.rejected));
                st.step();
                st.reset();
            }
        }
        {
            Statement st(db.handle, "INSERT INTO old_units VALUES (?,?,?)", path);
            for (const auto& [province, codes] : r.codes) {
                for (std::size_t k = 0; k < codes.size(); ++k) {
                    st.bind(1, province);
                    st.bind(2, static_cast<std::int64_t>(k));
                    st.bind(3, codes[k]);
                    st.step();
                    st.reset();
                }
            }
        }
        exec(db.handle, "COMMIT;", path);
    }
    staged.commit();
}

std::vector<std::string> shard_files(const std::vector<std::string>& inputs) {
    std::vector<std::string> files;
    for (const std::string& in : inputs) {
        std::error_code ec;
        if (fs::is_directory(in, ec)) {
            std::vector<std::string> found;
            for (const auto& e : fs::directory_iterator(in)) {
                const std::string name = e.path().filename().string();
                if (name.starts_with("plans-") && name.ends_with(".sqlite")) {
                    found.push_back(e.path().string());
                }
            }
            if (found.empty()) {
                throw InputError(in + ": no plans-*.sqlite files (an ensemble's shards) in it");
            }
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(in, ec)) {
            files.push_back(in);
        } else {
            throw InputError(in + ": no such file or directory");
        }
    }
    return files;
}

Shard read_shard(const std::string& path) {
    const Db db(path, SQLITE_OPEN_READONLY);
    Shard s;
    s.path = path;
    std::map<std::string, std::string> meta;
    try {
        Statement st(db.handle, "SELECT key, value FROM meta", path);
        while (st.step()) {
            meta[st.text(0)] = st.text(1);
        }
    } catch (const InputError&) {
        throw InputError(path + ": not an ensemble's plans file (no meta table)");
    }
    if (meta["format"] != "amsim-ensemble-1") {
        throw InputError(path + ": not an ensemble's plans file (format '" + meta["format"] + "')");
    }
    auto number = [&](const char* key) {
        try {
            return static_cast<std::size_t>(std::stoull(meta[key]));
        } catch (const std::exception&) {
            throw InputError(path + ": meta '" + key + "' is not a number: '" + meta[key] + "'");
        }
    };
    s.meta.version = meta["version"];
    s.meta.scenario = meta["scenario"];
    s.meta.inputs_sha256 = meta["inputs_sha256"];
    s.meta.rules = meta["rules"];
    s.meta.seed = number("seed");
    s.meta.plans = number("plans");
    s.meta.shard = number("shard") - 1;
    s.meta.shards = number("shards");
    s.meta.plans_per_chain = number("plans_per_chain");
    s.meta.burn_in = number("burn_in");
    s.meta.thin = number("thin");
    s.meta.province = meta["province"];
    try {
        s.meta.reduction = meta["reduction"].empty() ? 0 : std::stod(meta["reduction"]);
    } catch (const std::exception&) {
        throw InputError(path + ": meta 'reduction' is not a number: '" + meta["reduction"] + "'");
    }
    {
        Statement st(db.handle, "SELECT code, name FROM provinces", path);
        while (st.step()) {
            s.meta.province_names[st.text(0)] = st.text(1);
        }
    }
    {
        Statement st(db.handle,
                     (std::string("SELECT plan, chain, province, ") + metric_columns +
                      " FROM plans ORDER BY plan, province")
                         .c_str(),
                     path);
        while (st.step()) {
            PlanRecord p;
            p.plan = static_cast<std::size_t>(st.integer(0));
            p.chain = static_cast<std::size_t>(st.integer(1));
            p.province = st.text(2);
            p.metrics = read_metrics(st, 3);
            s.plans.push_back(std::move(p));
        }
    }
    {
        Statement st(db.handle,
                     (std::string("SELECT name, province, ") + metric_columns +
                      " FROM reference_plans ORDER BY name, province")
                         .c_str(),
                     path);
        while (st.step()) {
            s.references[st.text(0)][st.text(1)] = read_metrics(st, 2);
        }
    }
    {
        Statement st(db.handle,
                     "SELECT chain, province, steps, accepted, fallback, rejected FROM chains",
                     path);
        while (st.step()) {
            ChainStats c;
            c.chain = static_cast<std::size_t>(st.integer(0));
            c.province = st.text(1);
            c.steps = static_cast<std::uint64_t>(st.integer(2));
            c.accepted = static_cast<std::uint64_t>(st.integer(3));
            c.fallback = static_cast<std::uint64_t>(st.integer(4));
            c.rejected = static_cast<std::uint64_t>(st.integer(5));
            s.chains.push_back(c);
        }
    }
    return s;
}

std::map<std::string, StoredPartition> read_plan(const std::vector<std::string>& inputs,
                                                 std::size_t plan) {
    for (const std::string& path : shard_files(inputs)) {
        const Db db(path, SQLITE_OPEN_READONLY);
        std::map<std::string, StoredPartition> out;
        Statement st(db.handle, "SELECT province, labels FROM plans WHERE plan = ?", path);
        st.bind(1, static_cast<std::int64_t>(plan));
        while (st.step()) {
            const std::string blob = st.blob(1);
            if (blob.empty()) {
                throw InputError(path + ": plan " + std::to_string(plan) +
                                 " was kept without its partition (--no-partitions)");
            }
            StoredPartition& p = out[st.text(0)];
            p.labels.resize(blob.size() / 2);
            for (std::size_t k = 0; k < p.labels.size(); ++k) { // little-endian 16 bits
                p.labels[k] =
                    static_cast<std::uint16_t>(static_cast<unsigned char>(blob[2 * k]) |
                                               (static_cast<unsigned char>(blob[2 * k + 1]) << 8));
            }
        }
        if (out.empty()) {
            continue;
        }
        Statement codes(
            db.handle, "SELECT province, code FROM old_units ORDER BY province, position", path);
        while (codes.step()) {
            if (const auto it = out.find(codes.text(0)); it != out.end()) {
                it->second.codes.push_back(codes.text(1));
            }
        }
        for (const auto& [province, p] : out) {
            if (p.codes.size() != p.labels.size()) {
                throw InputError(path + ": plan " + std::to_string(plan) + ", province " +
                                 province + ": " + std::to_string(p.labels.size()) +
                                 " units in its partition, " + std::to_string(p.codes.size()) +
                                 " in old_units");
            }
        }
        return out;
    }
    throw InputError("plan " + std::to_string(plan) + " is in none of the shard files given");
}

} // namespace amsim::sim
