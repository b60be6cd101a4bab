// Google Benchmark of the ensemble's chain on the national graph of the 2025 reform
// (`amsim prepare-vn2025` first; it reads scenarios/vn-2025, or $AMSIM_BENCH_SCENARIO):
// 10,977 old units in 34 provinces, 3,321 new units.
//   BM_EnsembleSteps/cores: ReCom steps (pair drawn, spanning tree, lawful cut) of every
//     province, one chain of 100 sweeps per province and one plan recorded; `steps` is the
//     rate per second on `cores` cores (TBB limited to them), `steps_per_core` per core.
//   BM_EnsemblePlans/cores: 50 national plans of one chain (burn-in 100 sweeps, a plan every
//     5, each plan's metrics: verdicts, compactness, seats, staffing and payouts): plans/s.
// The anchors (docs/performance.md): frcw.rs about 18,000 ReCom steps/s on a quad-core
// (Virginia's precincts), GerryChain about 23 steps/s (Pennsylvania).

#include "amsim/sim/plans/ensemble_job.hpp"
#include "amsim/sim/run/base.hpp"

#include <gdal.h>

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace {

using namespace amsim::sim;

std::string env(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

const EnsembleInput* national() {
    static std::unique_ptr<EnsembleInput> in = []() -> std::unique_ptr<EnsembleInput> {
        GDALAllRegister();
        const std::string path = env("AMSIM_BENCH_SCENARIO", "scenarios/vn-2025/scenario.toml");
        if (!std::filesystem::exists(path)) {
            std::cerr << path << ": no such scenario (write it with amsim prepare-vn2025)\n";
            return nullptr;
        }
        const Scenario s = load_scenario(path);
        const RulesProfile profile = load_profile(
            s.rules, std::filesystem::path(path).parent_path().string(), default_profiles_dir());
        BaseOptions bo;
        bo.source = s.base.source;
        if (bo.source.starts_with("@/")) {
            bo.source = env("AMSIM_DATA_DIR", AMSIM_BENCH_DATA_DIR) + bo.source.substr(1);
        }
        const Base base = load_base(s.base, bo);
        const ScenarioCheck check = require_checked(s, base);
        return std::make_unique<EnsembleInput>(ensemble_input(s, check, base.loaded, profile));
    }();
    return in.get();
}

void run(benchmark::State& state, const EnsembleOptions& o) {
    const EnsembleInput* in = national();
    if (in == nullptr) {
        state.SkipWithError("no national scenario");
        return;
    }
    const auto cores = static_cast<std::size_t>(state.range(0));
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, cores);
    std::uint64_t steps = 0, plans = 0;
    for (auto _ : state) {
        const EnsembleResult r = run_ensemble(*in, o);
        steps += r.steps;
        plans += o.plans;
        benchmark::DoNotOptimize(r.plans.data());
    }
    state.counters["steps"] =
        benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
    state.counters["steps_per_core"] = benchmark::Counter(
        static_cast<double>(steps) / static_cast<double>(cores), benchmark::Counter::kIsRate);
    state.counters["plans"] =
        benchmark::Counter(static_cast<double>(plans), benchmark::Counter::kIsRate);
}

void BM_EnsembleSteps(benchmark::State& state) {
    EnsembleOptions o;
    o.plans = 1;
    o.plans_per_chain = 1;
    o.burn_in = 100;
    o.thin = 1;
    o.partitions = false;
    run(state, o);
}
BENCHMARK(BM_EnsembleSteps)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EnsemblePlans(benchmark::State& state) {
    EnsembleOptions o;
    o.plans = 50;
    o.plans_per_chain = 50;
    run(state, o);
}
BENCHMARK(BM_EnsemblePlans)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
