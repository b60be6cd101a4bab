// Ensembles on hand-made grids: every plan lawful, contiguous, within its province, with the
// plan's counts; shards that together are one run; the same seed, the same plans; metrics
// and percentiles by hand; the summary's refusals.

#include "amsim/sim/plans/ensemble.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/sim/plans/ensemble_job.hpp"
#include "amsim/sim/plans/ensemble_store.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <set>

#include "support/grid_map.hpp"
#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

namespace fs = std::filesystem;

/// Two provinces: P a 6 x 4 grid in six 2 x 2 blocks, Q a 3 x 3 grid in three rows (the
/// border between them is in the edges, and must be ignored); standards 2 km2 and 200
/// people; staff 10 per old unit.
EnsembleInput two_provinces() {
    Map p = grid(6, 4, 100);
    const Map q = grid(3, 3, 100);
    const auto offset = static_cast<std::uint32_t>(p.units.size());
    for (ProposeUnit u : q.units) {
        u.code = "q" + u.code;
        u.province = "Q";
        u.centre.x += 10000;
        p.units.push_back(u);
    }
    for (ProposeEdge e : q.edges) {
        e.a += offset;
        e.b += offset;
        p.edges.push_back(e);
    }
    p.edges.push_back({5, offset, 1}); // across the provinces' border
    EnsembleInput in;
    in.units = p.units;
    in.edges = p.edges;
    in.standards = standards(2, 200);
    for (std::size_t i = 0; i < 24; ++i) {
        const std::size_t column = i % 6, row = i / 6;
        in.start.push_back("P" + std::to_string(column / 2 + 3 * (row / 2)));
    }
    for (std::size_t i = 0; i < 9; ++i) {
        in.start.push_back("Q" + std::to_string(i / 3));
    }
    in.unit_staff.resize(in.units.size());
    for (NewUnitStaff& s : in.unit_staff) {
        s.from_communes = 8;
        s.from_districts = 2;
    }
    return in;
}

/// The groups of a province's plan: old units (global indices) by label.
std::map<std::uint16_t, std::vector<std::uint32_t>> groups_of(const EnsembleInput& in,
                                                              const PlanRecord& r) {
    std::vector<std::uint32_t> units;
    for (std::uint32_t u = 0; u < in.units.size(); ++u) {
        if (in.units[u].province == r.province) {
            units.push_back(u);
        }
    }
    std::map<std::uint16_t, std::vector<std::uint32_t>> g;
    for (std::size_t k = 0; k < units.size(); ++k) {
        g[r.labels[k]].push_back(units[k]);
    }
    return g;
}

bool connected(const EnsembleInput& in, const std::vector<std::uint32_t>& group) {
    const std::set<std::uint32_t> members(group.begin(), group.end());
    std::set<std::uint32_t> reached = {group.front()};
    std::vector<std::uint32_t> stack = {group.front()};
    while (!stack.empty()) {
        const std::uint32_t u = stack.back();
        stack.pop_back();
        for (const ProposeEdge& e : in.edges) {
            for (const auto& [x, y] : {std::pair{e.a, e.b}, std::pair{e.b, e.a}}) {
                if (x == u && members.contains(y) && reached.insert(y).second) {
                    stack.push_back(y);
                }
            }
        }
    }
    return reached.size() == members.size();
}

EnsembleOptions options(std::size_t plans) {
    EnsembleOptions o;
    o.plans = plans;
    o.seed = 7;
    o.plans_per_chain = 5;
    o.burn_in = 3;
    o.thin = 1;
    return o;
}

TEST(Ensemble, EveryPlanIsLawfulContiguousWithinItsProvinceAndConservesEverything) {
    const EnsembleInput in = two_provinces();
    const EnsembleResult r = run_ensemble(in, options(40));
    ASSERT_EQ(r.provinces, (std::vector<std::string>{"P", "Q"}));
    ASSERT_EQ(r.plans.size(), 80U);
    std::set<std::uint64_t> distinct;
    for (const PlanRecord& p : r.plans) {
        const auto groups = groups_of(in, p);
        // The plan's count; each group contiguous, lawful (2 units or more: 2 km2, 200
        // people), inside the province (labels cover only its units).
        EXPECT_EQ(groups.size(), p.province == "P" ? 6U : 3U);
        EXPECT_EQ(p.metrics.units, groups.size());
        std::size_t units = 0;
        for (const auto& [label, g] : groups) {
            EXPECT_TRUE(connected(in, g)) << "plan " << p.plan << " " << p.province;
            EXPECT_GE(g.size(), 2U);
            units += g.size();
        }
        EXPECT_EQ(units, p.province == "P" ? 24U : 9U);
        EXPECT_EQ(p.metrics.below, 0U);
        EXPECT_EQ(p.metrics.outright, groups.size());
        // Staff conserved: 10 per old unit, whatever the grouping.
        EXPECT_DOUBLE_EQ(p.metrics.staffed, 10.0 * static_cast<double>(units));
        distinct.insert(p.metrics.checksum);
    }
    // The chain moves: many different partitions.
    EXPECT_GT(distinct.size(), 20U);
    for (const ChainStats& c : r.chains) {
        EXPECT_EQ(c.steps, c.accepted + c.rejected);
    }
}

TEST(Ensemble, KShardsHoldExactlyThePlansOfOneRun) {
    const EnsembleInput in = two_provinces();
    const EnsembleResult whole = run_ensemble(in, options(23));
    std::vector<PlanRecord> joined;
    for (std::size_t k = 0; k < 4; ++k) {
        EnsembleOptions o = options(23);
        o.shard = k;
        o.shards = 4;
        const EnsembleResult part = run_ensemble(in, o);
        joined.insert(joined.end(), part.plans.begin(), part.plans.end());
    }
    ASSERT_EQ(joined.size(), whole.plans.size());
    for (std::size_t i = 0; i < joined.size(); ++i) {
        EXPECT_EQ(joined[i].plan, whole.plans[i].plan);
        EXPECT_EQ(joined[i].province, whole.plans[i].province);
        EXPECT_EQ(joined[i].labels, whole.plans[i].labels);
        EXPECT_EQ(joined[i].metrics.checksum, whole.plans[i].metrics.checksum);
        EXPECT_EQ(joined[i].metrics.cut_edges, whole.plans[i].metrics.cut_edges);
    }
}

TEST(Ensemble, TheSameSeedGivesTheSamePlansAndAProvinceAloneItsNationalPlans) {
    const EnsembleInput in = two_provinces();
    const EnsembleResult a = run_ensemble(in, options(10));
    const EnsembleResult b = run_ensemble(in, options(10));
    EnsembleOptions other = options(10);
    other.seed = 8;
    const EnsembleResult c = run_ensemble(in, other);
    EnsembleOptions q = options(10);
    q.province = "Q";
    const EnsembleResult only_q = run_ensemble(in, q);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.plans.size(); ++i) {
        EXPECT_EQ(a.plans[i].labels, b.plans[i].labels);
        differ += a.plans[i].labels != c.plans[i].labels ? 1 : 0;
        if (a.plans[i].province == "Q") {
            EXPECT_EQ(a.plans[i].labels, only_q.plans[i / 2].labels);
        }
    }
    EXPECT_GT(differ, 0U);
    EXPECT_EQ(only_q.plans.size(), 10U);
    EXPECT_THROW((void)run_ensemble(in,
                                    [] {
                                        EnsembleOptions o = options(10);
                                        o.province = "Z";
                                        return o;
                                    }()),
                 InputError);
}

TEST(Ensemble, MetricsOfAPlanByHand) {
    // A strip of four 1 km squares in two pairs: each pair 2 km2, perimeter 6 km, so
    // Polsby-Popper 4 pi 2 / 36; one cut edge; the farthest member 1 km from the seat.
    const Map m = grid(4, 1, 100);
    EnsembleInput in;
    in.units = m.units;
    in.edges = m.edges;
    in.standards = standards(2, 300, 3);
    in.start = {"a", "a", "b", "b"};
    in.units[1].population = 250; // a: 350 people, meets; b: 200, below
    const PlanMetrics p = plan_metrics(in, in.start).at("P");
    EXPECT_EQ(p.units, 2U);
    EXPECT_EQ(p.cut_edges, 1U);
    EXPECT_EQ(p.outright, 1U);
    EXPECT_EQ(p.below, 1U);
    EXPECT_EQ(p.waived, 0U);
    EXPECT_NEAR(p.polsby_popper_sum, 2 * 4 * std::numbers::pi * 2 / 36, 1e-12);
    EXPECT_NEAR(p.seat_km_sum, 2.0, 1e-12);
    EXPECT_NEAR(p.seat_km_max, 1.0, 1e-12);
    // Three units together (450 people) are waived (waiver at 3 units) below 500 people.
    in.standards = standards(2, 500, 3);
    const PlanMetrics w = plan_metrics(in, {"a", "b", "b", "b"}).at("P");
    EXPECT_EQ(w.waived, 1U);
    EXPECT_EQ(w.below, 1U); // "a" alone: 1 km2, 100 people
}

TEST(Ensemble, AStandardThatCannotBeMetNeverGetsWorse) {
    // 300 people needed, 100 per unit: pairs fail; the chain may move them but never makes
    // more units fail than the start (2 of 3 failing).
    const Map m = grid(3, 2, 100);
    EnsembleInput in;
    in.units = m.units;
    in.edges = m.edges;
    in.standards = standards(1, 300);
    in.start = {"a", "a", "a", "b", "b", "c"};
    const EnsembleResult r = run_ensemble(in, options(30));
    for (const PlanRecord& p : r.plans) {
        EXPECT_LE(p.metrics.below, 2U);
        EXPECT_EQ(p.metrics.units, 3U);
    }
}

TEST(Ensemble, AReductionMergesTheLeastPopulousNeighboursAndTheChainKeepsItsCount) {
    EnsembleInput in = two_provinces();
    // P's six blocks of 400 people, but the top-left one has 1,000 (u0 has 700): halved, the
    // three least populous pairs of neighbours merge; Q's three rows go to two.
    in.units[0].population = 700;
    const std::vector<std::string> reduced = reduced_plan(in, 50);
    std::map<std::string, std::set<std::string>> groups;
    for (std::size_t u = 0; u < in.units.size(); ++u) {
        groups[in.units[u].province].insert(reduced[u]);
    }
    EXPECT_EQ(groups["P"].size(), 3U);
    EXPECT_EQ(groups["Q"].size(), 2U); // round(3 x 0.5) = 2
    // By hand: the 800s first, ties by key: P1+P2 -> P1, then P3+P4 -> P3; then the 1,200s:
    // P1+P5 -> P1. P0 (1,000 people) stays alone.
    std::map<std::string, std::size_t> size;
    for (std::size_t u = 0; u < 24; ++u) {
        ++size[reduced[u]];
    }
    EXPECT_EQ(size, (std::map<std::string, std::size_t>{{"P0", 4}, {"P1", 12}, {"P3", 8}}));
    in.start = reduced;
    const EnsembleResult r = run_ensemble(in, options(10));
    for (const PlanRecord& p : r.plans) {
        EXPECT_EQ(p.metrics.units, p.province == "P" ? 3U : 2U);
        for (const auto& [label, g] : groups_of(in, p)) {
            EXPECT_TRUE(connected(in, g));
        }
    }
    EXPECT_EQ(reduced_plan(in, 0), in.start);
}

TEST(EnsembleJob, APlanOfTheEnsembleIsExportedAsAScenarioThatChecks) {
    test::TempDir dir;
    test::register_gdal();
    const std::string fixture = AMSIM_TEST_FIXTURES "/scenarios/four_communes/scenario.toml";
    EnsembleJob job;
    job.scenario = load_scenario(fixture);
    job.source = job.scenario.base.source;
    job.profile = load_profile(job.scenario.rules, ".", default_profiles_dir());
    job.options = options(12);
    job.output = dir.file("ens");
    const EnsembleJobResult r = run_ensemble_job(job);
    ASSERT_EQ(r.result.plans.size(), 12U); // one province
    EnsemblePlanExport ex;
    ex.scenario = job.scenario;
    ex.source = job.source;
    ex.profile = job.profile;
    ex.inputs = {job.output};
    ex.plan = 7;
    ex.output = dir.file("plan-7");
    const EnsemblePlanExported e = export_ensemble_plan(ex);
    EXPECT_EQ(e.provinces, std::vector<std::string>{"N1"});
    // The written scenario: every old unit once, grouped as plan 7's partition.
    const Scenario back = load_scenario(dir.file("plan-7/scenario.toml"));
    ASSERT_EQ(back.mapping.size(), 4U);
    const PlanRecord& p = r.result.plans[7];
    const std::vector<std::string>& codes = r.result.codes.at("N1");
    std::map<std::string, std::string> new_of;
    for (const MappingRow& m : back.mapping) {
        EXPECT_TRUE(new_of.emplace(m.old_code, m.new_code).second) << m.old_code;
    }
    for (std::size_t a = 0; a < codes.size(); ++a) {
        for (std::size_t b = 0; b < codes.size(); ++b) {
            EXPECT_EQ(p.labels[a] == p.labels[b], new_of.at(codes[a]) == new_of.at(codes[b]));
        }
    }
    // Run on its own, the exported plan is the ensemble's reference: its partition's checksum.
    EnsembleJob again = job;
    again.scenario = back;
    again.options.plans = 1;
    again.output = dir.file("again");
    EXPECT_EQ(run_ensemble_job(again).references.at("plan").at("N1").checksum, p.metrics.checksum);
    // Refusals: the outputs exist; a plan no shard holds.
    EXPECT_THROW((void)export_ensemble_plan(ex), InputError);
    ex.plan = 12;
    ex.output = dir.file("plan-12");
    EXPECT_THROW((void)export_ensemble_plan(ex), InputError);
}

TEST(EnsembleSummary, PercentilesAndRhatByHand) {
    EXPECT_DOUBLE_EQ(percentile_of({1, 2, 3, 4}, 2.5), 50);
    EXPECT_DOUBLE_EQ(percentile_of({1, 2, 2, 4}, 2), 50);
    EXPECT_DOUBLE_EQ(percentile_of({1, 2, 3, 4}, 0), 0);
    EXPECT_DOUBLE_EQ(percentile_of({1, 2, 3, 4}, 9), 100);
    // Two chains of 4, halves {1,2},{3,4},{1,2},{3,4}: W = 0.5, means 1.5 3.5 1.5 3.5,
    // B = 2 x var(means) = 2 x 4/3; var+ = W/2 + B/2 = 0.25 + 4/3; R = sqrt(var+/W).
    EXPECT_NEAR(split_rhat({{1, 2, 3, 4}, {1, 2, 3, 4}}), std::sqrt((0.25 + 4.0 / 3) / 0.5), 1e-12);
    EXPECT_DOUBLE_EQ(split_rhat({{1, 2, 3, 4}}), 0); // one chain: not computable
}

TEST(EnsembleSummary, ShardsMergeIntoTheRunsPercentilesAndRefuseMixedRuns) {
    test::TempDir dir;
    test::register_gdal(); // the XLSX table
    const EnsembleInput in = two_provinces();
    ShardMeta meta;
    meta.scenario = "grid";
    meta.plans = 20;
    meta.shards = 2;
    meta.plans_per_chain = 4; // chain 2 (plans 8-11) split between the shards
    ReferencePlans refs;
    refs["plan"] = plan_metrics(in, in.start);
    std::vector<double> cut_edges; // national, per plan
    for (std::size_t k = 0; k < 2; ++k) {
        EnsembleOptions o = options(20);
        o.plans_per_chain = 4;
        o.shard = k;
        o.shards = 2;
        const EnsembleResult r = run_ensemble(in, o);
        for (std::size_t i = 0; i < r.plans.size(); i += 2) {
            cut_edges.push_back(static_cast<double>(r.plans[i].metrics.cut_edges +
                                                    r.plans[i + 1].metrics.cut_edges));
        }
        meta.shard = k;
        write_shard(dir.file("runs/" + shard_file_name(k, 2)), r, meta, refs, {});
    }
    std::sort(cut_edges.begin(), cut_edges.end());
    SummaryOptions so;
    so.inputs = {dir.file("runs")};
    so.output = dir.file("summary");
    const EnsembleSummary s = summarise_ensemble(so);
    EXPECT_EQ(s.plans, 20U);
    // The split chain's steps counted once: as one run's.
    EnsembleOptions one = options(20);
    one.plans_per_chain = 4;
    const EnsembleResult whole = run_ensemble(in, one);
    EXPECT_EQ(s.steps, whole.steps);
    EXPECT_EQ(s.chains, 5U);
    EXPECT_TRUE(s.shards_missing.empty());
    const double plan_cut =
        static_cast<double>(refs["plan"]["P"].cut_edges + refs["plan"]["Q"].cut_edges);
    bool found = false;
    for (const MetricSummary& m : s.metrics) {
        if (m.province.empty() && m.metric == "cut_edges") {
            found = true;
            EXPECT_EQ(m.n, 20U);
            EXPECT_DOUBLE_EQ(m.reference.at("plan"), plan_cut);
            EXPECT_DOUBLE_EQ(m.percentile.at("plan"), percentile_of(cut_edges, plan_cut));
            EXPECT_DOUBLE_EQ(m.min, cut_edges.front());
            EXPECT_DOUBLE_EQ(m.max, cut_edges.back());
        }
    }
    EXPECT_TRUE(found);
    const CsvTable t = read_table(dir.file("summary/ensemble-summary.csv"));
    EXPECT_EQ(t.rows.size(), 3 * metric_values(PlanMetrics{}).size()); // national, P, Q
    EXPECT_TRUE(fs::exists(dir.file("summary/ensemble-report.html")));
    EXPECT_TRUE(fs::exists(dir.file("summary/ensemble-summary.xlsx")));
    // Again: the outputs exist, refused without overwrite.
    EXPECT_THROW((void)summarise_ensemble(so), InputError);
    // One shard alone: summarised, the other said missing.
    so.inputs = {dir.file("runs/" + shard_file_name(0, 2))};
    so.output = dir.file("half");
    EXPECT_EQ(summarise_ensemble(so).shards_missing, std::vector<std::size_t>{2});
    // A shard of another run (another seed) mixed in: refused, naming it.
    meta.seed = 99;
    meta.shard = 1;
    write_shard(
        dir.file("other/" + shard_file_name(1, 2)), run_ensemble(in, options(20)), meta, refs, {});
    so.inputs = {dir.file("runs/" + shard_file_name(0, 2)),
                 dir.file("other/" + shard_file_name(1, 2))};
    so.output = dir.file("mixed");
    try {
        (void)summarise_ensemble(so);
        ADD_FAILURE() << "mixed runs summarised";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("other/plans-0002-of-0002.sqlite"), std::string::npos);
    }
    EXPECT_FALSE(fs::exists(dir.file("mixed")));
    // Not a shard file.
    geo::OutputPolicy replace;
    replace.overwrite = true;
    geo::write_file(dir.file("junk/plans-0001-of-0001.sqlite"), "not a database", replace);
    so.inputs = {dir.file("junk")};
    so.output = dir.file("junk-out");
    EXPECT_THROW((void)summarise_ensemble(so), InputError);
}

} // namespace
} // namespace amsim::sim
