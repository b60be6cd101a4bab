// Google Benchmark of the editor (amsim serve) on the national scenario of the 2025 reform
// (`amsim prepare-vn2025` first; it reads scenarios/vn-2025, or $AMSIM_BENCH_SCENARIO):
// the session's answers as the server sends them, without the network.
//   BM_ServeFirstView: a province's first view (geometry simplified, state) for the page.
//   BM_ServeMoveAndUndo: one old unit moved to a neighbouring new unit, then the move undone:
//     each a full edit (checks, the province rebuilt, its state as JSON); the time per edit
//     is half the figure.
// The province is $AMSIM_BENCH_PROVINCE, default 01 (Hà Nội, the largest).

#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/serve/session.hpp"

#include <gdal.h>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

namespace {

using namespace amsim::sim;
using nlohmann::json;

std::string env(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

struct National {
    std::unique_ptr<EditSession> session;
    std::string province;
    std::string unit, to;     ///< a move of an old unit into a neighbouring new unit
    double first_view_ms = 0; ///< the province's very first view (its geometry made)
};

National* national() {
    static std::unique_ptr<National> n = []() -> std::unique_ptr<National> {
        GDALAllRegister();
        const std::string path = env("AMSIM_BENCH_SCENARIO", "scenarios/vn-2025/scenario.toml");
        if (!std::filesystem::exists(path)) {
            std::cerr << path << ": no such scenario (write it with amsim prepare-vn2025)\n";
            return nullptr;
        }
        auto out = std::make_unique<National>();
        SessionOptions o;
        o.scenario = load_scenario(path);
        o.profile = load_profile(o.scenario.rules,
                                 std::filesystem::path(path).parent_path().string(),
                                 default_profiles_dir());
        o.source = o.scenario.base.source;
        if (o.source.starts_with("@/")) {
            o.source = env("AMSIM_DATA_DIR", AMSIM_BENCH_DATA_DIR) + o.source.substr(1);
        }
        out->session = std::make_unique<EditSession>(o);
        out->province = env("AMSIM_BENCH_PROVINCE", "01");
        // A unit of a new unit of two or more members, across a border from another new unit.
        const auto t0 = std::chrono::steady_clock::now();
        const json view = out->session->view(out->province);
        benchmark::DoNotOptimize(view.dump().size());
        out->first_view_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        const json& assign = view.at("assign");
        std::map<std::string, int> size;
        for (const json& a : assign) {
            ++size[a.get<std::string>()];
        }
        for (const json& arc : view.at("geometry").at("arcs")) {
            const int a = arc.at("a"), b = arc.at("b");
            if (a >= 0 && b >= 0 && assign[a] != assign[b] && size[assign[a]] >= 2) {
                out->unit = view["geometry"]["units"][a]["code"];
                out->to = assign[b];
                break;
            }
        }
        return out;
    }();
    return n.get();
}

void BM_ServeFirstView(benchmark::State& state) {
    National* n = national();
    if (n == nullptr) {
        state.SkipWithError("no national scenario");
        return;
    }
    for (auto _ : state) {
        // A session makes a province's geometry once (the very first view, its time in the
        // counter first_view_ms); each iteration is the view of a page opened again.
        const json v = n->session->view(n->province);
        benchmark::DoNotOptimize(v.dump().size());
    }
    state.counters["first_view_ms"] = n->first_view_ms;
}
BENCHMARK(BM_ServeFirstView)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_ServeMoveAndUndo(benchmark::State& state) {
    National* n = national();
    if (n == nullptr) {
        state.SkipWithError("no national scenario");
        return;
    }
    for (auto _ : state) {
        const json move = {{"version", n->session->version()},
                           {"province", n->province},
                           {"op", "move"},
                           {"units", {n->unit}},
                           {"to", n->to}};
        benchmark::DoNotOptimize(n->session->edit(move).dump().size());
        const json undo = {
            {"version", n->session->version()}, {"province", n->province}, {"op", "undo"}};
        benchmark::DoNotOptimize(n->session->edit(undo).dump().size());
    }
}
BENCHMARK(BM_ServeMoveAndUndo)->Unit(benchmark::kMillisecond)->MinTime(2);

} // namespace

BENCHMARK_MAIN();
