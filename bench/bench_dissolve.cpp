// Re-dissolve on an already-built topology: the scenario loop's cost.
// Usage: bench_dissolve [--source PATH --code F --by F] [google benchmark flags]
// Default: the post-reform national communes (3,321) by province_code, from a GeoPackage
// workspace if AMSIM_BENCH_SOURCE is set, else the GeoJSON in the data directory.

#include "amsim/geo/dissolve.hpp"
#include "amsim/geo/layer_jobs.hpp"

#include <gdal.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace {

using namespace amsim::geo;

struct National {
    LoadedLayer loaded;
    Grouping provinces;
    Grouping pairs; ///< a second grouping: codes paired two by two within provinces
};

const National& national() {
    static const National n = [] {
        GDALAllRegister();
        National out;
        std::string source;
        if (const char* s = std::getenv("AMSIM_BENCH_SOURCE")) {
            source = s;
        } else {
            std::string dir = AMSIM_BENCH_DATA_DIR;
            if (const char* d = std::getenv("AMSIM_DATA_DIR")) {
                dir = d;
            }
            source =
                "/vsigzip/" + dir +
                "/raw/thanglequoc-vietnamese-provinces-database/vn_communes_2025_full.geojson.gz";
        }
        LayerSpec spec;
        spec.source = source;
        spec.read.mapping.code = "code";
        spec.read.mapping.parent = "province_code";
        out.loaded = load_layer(spec, {});
        out.provinces = group_by_field(out.loaded.layer, "province_code");
        out.pairs = out.provinces;
        const std::size_t units = out.pairs.group_of_unit.size();
        for (std::size_t u = 0; u < units; ++u) {
            out.pairs.group_of_unit[u] = static_cast<std::uint32_t>(u / 2);
        }
        out.pairs.keys.resize((units + 1) / 2);
        return out;
    }();
    return n;
}

void BM_RedissolveByProvince(benchmark::State& state) {
    const National& n = national();
    for (auto _ : state) {
        DissolveResult r = dissolve(n.loaded.topology,
                                    n.provinces.group_of_unit,
                                    static_cast<std::uint32_t>(n.provinces.keys.size()));
        benchmark::DoNotOptimize(r.area.data());
    }
    state.counters["groups"] = static_cast<double>(n.provinces.keys.size());
}
BENCHMARK(BM_RedissolveByProvince)->Unit(benchmark::kMillisecond);

void BM_RedissolveAreasOnly(benchmark::State& state) {
    const National& n = national();
    DissolveOptions opt;
    opt.keep_geometry = false;
    for (auto _ : state) {
        DissolveResult r = dissolve(n.loaded.topology,
                                    n.pairs.group_of_unit,
                                    static_cast<std::uint32_t>(n.pairs.keys.size()),
                                    opt);
        benchmark::DoNotOptimize(r.area.data());
    }
    state.counters["groups"] = static_cast<double>(n.pairs.keys.size());
}
BENCHMARK(BM_RedissolveAreasOnly)->Unit(benchmark::kMillisecond);

void BM_TopologyBuild(benchmark::State& state) {
    const National& n = national();
    TopologyOptions opt;
    opt.snap_tolerance = n.loaded.snap_tolerance;
    for (auto _ : state) {
        Topology t = Topology::build(n.loaded.layer.geometry, opt);
        benchmark::DoNotOptimize(t.arc_count());
    }
}
BENCHMARK(BM_TopologyBuild)->Unit(benchmark::kMillisecond)->Iterations(3);

} // namespace

BENCHMARK_MAIN();
