#include "common.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#ifndef AMSIM_DEFAULT_DATA_DIR
#define AMSIM_DEFAULT_DATA_DIR "../shared/data"
#endif

namespace amsim::cli {

std::string data_dir(const GlobalOptions& global) {
    if (!global.data_dir.empty()) {
        return global.data_dir;
    }
    if (const char* env = std::getenv("AMSIM_DATA_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    return AMSIM_DEFAULT_DATA_DIR;
}

std::string resolve_source(const std::string& arg, const GlobalOptions& global) {
    std::string path = arg;
    if (path.rfind("@/", 0) == 0) {
        path = (std::filesystem::path(data_dir(global)) / path.substr(2)).string();
    }
    if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0 &&
        path.rfind("/vsi", 0) != 0) {
        path = "/vsigzip/" + std::filesystem::absolute(path).string();
    }
    return path;
}

void LayerArgs::add_to(CLI::App& app) {
    app.add_option("source",
                   source,
                   "Vector source: a file (GeoPackage, Shapefile, GeoJSON, .geojson.gz, ...), "
                   "a PostGIS connection string 'PG:...', or @/path under the data directory")
        ->required();
    app.add_option("--layer", layer, "Layer name (default: the first layer)");
    app.add_option("--code", code, "Field with each unit's unique code (required)")->required();
    app.add_option("--name", name, "Field with each unit's name");
    app.add_option("--parent", parent, "Field with the parent unit's code (e.g. province)");
    app.add_option("--type", type, "Field with the unit type (e.g. xa/phuong)");
    app.add_option("--snap",
                   snap,
                   "Snap tolerance in CRS units for matching neighbours' borders "
                   "(default 1e-6 degrees ~ 0.1 m, or 0.1 m for projected data; 0 = exact)")
        ->check(in_range(0, 1000));
    app.add_flag("--no-repair", no_repair, "Report invalid geometries but do not repair them");
}

geo::LayerSpec LayerArgs::spec(const GlobalOptions& global) const {
    geo::LayerSpec s;
    s.source = resolve_source(source, global);
    s.read.layer = layer;
    s.read.mapping.code = code;
    s.read.mapping.name = name;
    s.read.mapping.parent = parent;
    s.read.mapping.type = type;
    s.snap_tolerance = snap;
    s.repair = !no_repair;
    return s;
}

std::string scenario_file(const std::string& arg) {
    if (std::filesystem::is_directory(arg)) {
        const auto f = std::filesystem::path(arg) / "scenario.toml";
        if (!std::filesystem::exists(f)) {
            throw UsageError(arg + ": a directory without scenario.toml (for the 2025 reform, "
                                   "run 'amsim prepare-vn2025' first)");
        }
        return f.string();
    }
    return arg;
}

void add_province_option(CLI::App& app, std::string& province) {
    app.add_option("--province",
                   province,
                   "Only this province: a new province's code or name (with or without "
                   "diacritics, e.g. 22, 'Quang Ninh'), or an old province's code");
}

std::string run_name(const sim::Scenario& scenario) {
    const std::filesystem::path p(scenario.path);
    if (p.filename() == "scenario.toml") {
        std::error_code ec;
        const std::filesystem::path file = std::filesystem::weakly_canonical(p, ec);
        std::string folder =
            (ec ? std::filesystem::absolute(p) : file).parent_path().filename().string();
        if (!folder.empty()) {
            return folder;
        }
    }
    return scenario.name;
}

sim::Scenario open_scenario(const std::string& arg, const GlobalOptions& global) {
    sim::Scenario s = sim::load_scenario(scenario_file(arg), [&](const std::string& source) {
        return resolve_source(source, global);
    });
    if (s.base.splits) {
        s.base.splits->source = resolve_source(s.base.splits->source, global);
    }
    return s;
}

void add_scenario_argument(CLI::App& app, std::string& path) {
    app.add_option("scenario",
                   path,
                   "Scenario file (TOML), or a directory holding scenario.toml; see "
                   "docs/scenarios.md")
        ->required()
        ->check(CLI::ExistingPath);
}

CLI::Validator in_range(double lo, double hi) {
    return {[lo, hi](std::string& value) -> std::string {
                const auto v = geo::parse_number(value);
                if (!v) {
                    return "'" + value + "' is not a number";
                }
                if (*v < lo || *v > hi) {
                    return "'" + value + "' is outside " + geo::number_text(lo) + " to " +
                           geo::number_text(hi);
                }
                return {};
            },
            "NUMBER in [" + geo::number_text(lo) + ", " + geo::number_text(hi) + "]"};
}

void protect_scenario(geo::OutputPolicy& policy,
                      const sim::Scenario& scenario,
                      const GlobalOptions& global) {
    policy.protect(scenario.path);
    policy.protect(scenario.mapping_path);
    policy.protect(scenario.overrides_path);
    policy.protect(resolve_source(scenario.base.source, global));
    if (scenario.base.splits) {
        policy.protect(scenario.base.splits->source);
    }
}

geo::ProgressFn make_progress(const GlobalOptions& global) {
    if (std::getenv("AMSIM_TRACE") != nullptr) {
        // For profiling: each stage's start and end with the seconds since the first report
        // and the process's minor page faults so far, one line each.
        return [t0 = std::chrono::steady_clock::now()](std::string_view stage, double f) {
            if (f != 0 && f < 1) {
                return;
            }
            rusage ru{};
            getrusage(RUSAGE_SELF, &ru);
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::fprintf(stderr,
                         "trace: %8.3f s %9ld faults  %s %s\n",
                         s,
                         ru.ru_minflt,
                         std::string(stage).c_str(),
                         f == 0 ? "start" : "end");
        };
    }
    if (global.quiet || global.json || isatty(STDERR_FILENO) == 0) {
        return {};
    }
    return [last = std::string(), last_pct = -1](std::string_view stage, double f) mutable {
        const int pct = static_cast<int>(f * 100);
        if (stage == last && pct == last_pct) {
            return;
        }
        if (stage != last && !last.empty()) {
            std::fputc('\n', stderr);
        }
        last = std::string(stage);
        last_pct = pct;
        const int width = 30;
        const int fill = pct * width / 100;
        std::fprintf(stderr,
                     "\r%-20s [%.*s%*s] %3d%%",
                     last.c_str(),
                     fill,
                     "##############################",
                     width - fill,
                     "",
                     pct);
        if (pct >= 100) {
            std::fputc('\n', stderr);
            last.clear();
        }
        std::fflush(stderr);
    };
}

void print_diagnostics(const std::vector<geo::Diagnostic>& diags, std::size_t limit) {
    std::size_t shown = 0;
    for (const geo::Diagnostic& d : diags) {
        if (shown == limit) {
            std::cerr << "... and " << (diags.size() - limit) << " more\n";
            break;
        }
        // Names are data: a control character in one never reaches the terminal.
        std::cerr << geo::to_string(d.severity) << ": " << d.code << ": "
                  << geo::printable(d.location) << ": " << geo::printable(d.message) << '\n';
        ++shown;
    }
}

nlohmann::json to_json(const std::vector<geo::Diagnostic>& diags, std::size_t limit) {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i = 0; i < diags.size() && i < limit; ++i) {
        arr.push_back({{"severity", geo::to_string(diags[i].severity)},
                       {"code", diags[i].code},
                       {"location", diags[i].location},
                       {"message", diags[i].message}});
    }
    return arr;
}

nlohmann::json to_json(const geo::Timings& timings) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [stage, s] : timings) {
        o[stage] = s;
    }
    return o;
}

std::string json_paths(const std::vector<std::string>& paths) {
    nlohmann::json out = nlohmann::json::array();
    for (const std::string& p : paths) {
        out.push_back(p);
    }
    return out.dump();
}

RecordedRun::RecordedRun(const GlobalOptions& global, sim::RunRecord record)
    : m_global(global), m_store(global.runs_db) {
    m_id = m_store.begin(std::move(record));
}

RecordedRun::~RecordedRun() {
    if (m_complete) {
        return;
    }
    for (const std::string& o : m_outputs) {
        std::error_code ec;
        std::filesystem::remove_all(o, ec);
    }
    try {
        m_store.discard(m_id);
    } catch (const std::exception&) {
        // The record stays pending, as for a run that was killed: amsim runs shows it.
    }
}

void RecordedRun::wrote(const std::string& path) {
    m_outputs.push_back(path);
}

void RecordedRun::complete(sim::RunRecord record) {
    record.outputs = json_paths(m_outputs);
    record.finished = sim::utc_now();
    m_store.complete(m_id, record);
    m_complete = true;
    if (!m_global.quiet && !m_global.json) {
        std::fprintf(stderr,
                     "recorded as run %lld in %s (amsim runs show %lld)\n",
                     static_cast<long long>(m_id),
                     m_global.runs_db.c_str(),
                     static_cast<long long>(m_id));
    }
}

sim::RulesProfile command_profile(const sim::Scenario& scenario, const std::string& option) {
    if (!option.empty()) {
        return sim::load_profile(option, ".", sim::default_profiles_dir());
    }
    return sim::load_profile(scenario.rules,
                             std::filesystem::path(scenario.path).parent_path().string(),
                             sim::default_profiles_dir());
}

} // namespace amsim::cli
