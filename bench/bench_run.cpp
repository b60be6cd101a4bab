// One province of a national run built again after one old unit moved to another new unit:
// the cost of a click in an interactive editor. The national base (topology) is loaded once.
// Usage: bench_run [google benchmark flags]; AMSIM_BENCH_SCENARIO names the scenario
// (default scenarios/vn-2025/scenario.toml, written by `amsim prepare-vn2025`) and
// AMSIM_BENCH_PROVINCE the new province (default 01, Ha Noi, the largest in old units).

#include "amsim/sim/run/run.hpp"

#include <gdal.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

namespace {

using namespace amsim::sim;

std::string env(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

struct National {
    Scenario scenario, moved;
    RulesProfile profile;
    std::unique_ptr<Base> base;
    ScenarioCheck check, moved_check;
    Run run;
    std::string province;
    std::size_t units = 0; ///< old units in the province
};

/// The scenario with one old unit of the province moved from a new unit of two or more
/// members to the next new unit of the same province.
Scenario move_one(const Scenario& s, const ScenarioCheck& check, const std::string& province) {
    Scenario out = s;
    std::string from, to;
    for (const auto& [code, rows] : check.members) {
        if (check.province_of_new.at(code) != province) {
            continue;
        }
        if (from.empty() && rows.size() >= 2) {
            from = code;
        } else if (!from.empty()) {
            to = code;
            break;
        }
    }
    const std::size_t row = check.members.at(from).back();
    const MappingRow& target = s.mapping[check.members.at(to).front()];
    out.mapping[row].new_code = target.new_code;
    out.mapping[row].new_name = target.new_name;
    out.mapping[row].new_type = target.new_type;
    out.mapping[row].seat.clear();
    return out;
}

National* national() {
    static std::unique_ptr<National> n = []() -> std::unique_ptr<National> {
        GDALAllRegister();
        const std::string path = env("AMSIM_BENCH_SCENARIO", "scenarios/vn-2025/scenario.toml");
        if (!std::filesystem::exists(path)) {
            std::cerr << path << ": no such scenario (write it with amsim prepare-vn2025)\n";
            return nullptr;
        }
        auto out = std::make_unique<National>();
        out->scenario = load_scenario(path);
        out->profile = load_profile(out->scenario.rules,
                                    std::filesystem::path(path).parent_path().string(),
                                    default_profiles_dir());
        std::string source = out->scenario.base.source;
        if (source.starts_with("@/")) {
            source = env("AMSIM_DATA_DIR", AMSIM_BENCH_DATA_DIR) + source.substr(1);
        }
        BaseOptions bo;
        bo.source = source;
        out->base = std::make_unique<Base>(load_base(out->scenario.base, bo));
        out->check = require_checked(out->scenario, *out->base);
        out->province = env("AMSIM_BENCH_PROVINCE", "01");
        out->moved = move_one(out->scenario, out->check, out->province);
        out->moved_check = require_checked(out->moved, *out->base);
        BuildOptions build;
        build.staffing = false;
        out->run = build_run(*out->base, out->scenario, out->check, out->profile, build);
        for (const OldUnit& u : out->base->units) {
            const auto it = out->check.new_province_of.find(u.province);
            out->units += it != out->check.new_province_of.end() && it->second == out->province;
        }
        return out;
    }();
    return n.get();
}

void BM_RebuildProvinceAfterOneMove(benchmark::State& state) {
    National* n = national();
    if (n == nullptr) {
        state.SkipWithError("no national scenario");
        return;
    }
    bool moved = false;
    for (auto _ : state) {
        moved = !moved; // every iteration is a real change: moved, back, moved...
        rebuild_province(n->run,
                         *n->base,
                         moved ? n->moved : n->scenario,
                         moved ? n->moved_check : n->check,
                         n->profile,
                         n->province);
        benchmark::DoNotOptimize(n->run.communes.data());
    }
    state.counters["old_units"] = static_cast<double>(n->units);
    state.counters["national_old_units"] = static_cast<double>(n->base->units.size());
}
BENCHMARK(BM_RebuildProvinceAfterOneMove)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_BuildNationalRun(benchmark::State& state) {
    National* n = national();
    if (n == nullptr) {
        state.SkipWithError("no national scenario");
        return;
    }
    BuildOptions build;
    build.staffing = false;
    for (auto _ : state) {
        Run r = build_run(*n->base, n->scenario, n->check, n->profile, build);
        benchmark::DoNotOptimize(r.communes.data());
    }
}
BENCHMARK(BM_BuildNationalRun)->Unit(benchmark::kMillisecond)->MinTime(3);

} // namespace

BENCHMARK_MAIN();
