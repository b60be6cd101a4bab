// The project's rules profiles, read and applied to units whose verdicts are computed by hand.

#include "amsim/sim/scenario/rules_profile.hpp"

#include "amsim/core/error.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

RulesProfile profile(const std::string& name) {
    return load_profile(name, ".", default_profiles_dir());
}

UnitFacts facts(UnitType type, double area, double pop, std::size_t predecessors = 2) {
    UnitFacts f;
    f.type = type;
    f.region = "other";
    f.province_class = "other";
    f.area_km2 = area;
    f.population = pop;
    f.predecessors = predecessors;
    return f;
}

TEST(RulesProfile, Vn2025CommuneStandardsAndTheWaiver) {
    const RulesProfile p = profile("vn-2025");
    EXPECT_EQ(p.name, "vn-2025");
    EXPECT_EQ(p.waiver_min_units, 3U);
    // xa (other): 30 km2 and 16,000. 25 km2 is 83 % of the area standard.
    Verdict v = judge_commune(p, facts(UnitType::xa, 25, 20000));
    EXPECT_TRUE(v.evaluated);
    EXPECT_FALSE(v.pass);
    EXPECT_NEAR(v.area_pct, 83.333, 0.001);
    EXPECT_NEAR(v.population_pct, 125, 1e-9);
    EXPECT_EQ(v.why, "area 83% of 30 km2");
    // Three units merged: not evaluated, passes, and the waiver's scope is unconfirmed.
    v = judge_commune(p, facts(UnitType::xa, 25, 20000, 3));
    EXPECT_TRUE(v.waived);
    EXPECT_TRUE(v.pass);
    EXPECT_TRUE(v.unconfirmed);
    // Mountainous xa: 100 km2 and 5,000.
    UnitFacts m = facts(UnitType::xa, 150, 4000);
    m.region = "mountain";
    v = judge_commune(p, m);
    EXPECT_FALSE(v.pass);
    EXPECT_NEAR(v.area_pct, 150, 1e-9);
    EXPECT_EQ(v.why, "population 80% of 5000");
    // Phuong in a centrally-run city: 45,000.
    UnitFacts w = facts(UnitType::phuong, 6, 40000);
    w.province_class = "city";
    v = judge_commune(p, w);
    EXPECT_FALSE(v.pass);
    EXPECT_NEAR(v.population_pct, 88.889, 0.001);
    w.province_class = "other"; // 21,000 elsewhere
    EXPECT_TRUE(judge_commune(p, w).pass);
    // Special zones: no numeric standard, not failed.
    v = judge_commune(p, facts(UnitType::dac_khu, 1, 10));
    EXPECT_FALSE(v.evaluated);
    EXPECT_TRUE(v.pass);
    // No region given: the profile's default, labelled.
    UnitFacts d = facts(UnitType::xa, 40, 17000);
    d.region.clear();
    v = judge_commune(p, d);
    EXPECT_TRUE(v.pass);
    EXPECT_TRUE(v.region_defaulted);
    // Population unknown: not judged, never below standard; a failing area is still said.
    UnitFacts u = facts(UnitType::xa, 40, 0);
    u.population.reset();
    v = judge_commune(p, u);
    EXPECT_FALSE(v.evaluated);
    EXPECT_TRUE(v.pass);
    EXPECT_FALSE(v.population_known);
    EXPECT_EQ(v.why, "not judged (population unknown)");
    u.area_km2 = 10;
    v = judge_commune(p, u);
    EXPECT_FALSE(v.evaluated);
    EXPECT_EQ(v.why, "not judged (population unknown); area 33% of 30 km2");
    // Waived whatever its population: 3 legal predecessors, population unknown.
    u.predecessors = 3;
    v = judge_commune(p, u);
    EXPECT_TRUE(v.waived);
    EXPECT_FALSE(v.pass_anyway);
    EXPECT_FALSE(v.judged_anyway); // not known, not "missing it"
    // Waived and meeting the standard anyway is said.
    v = judge_commune(p, facts(UnitType::xa, 40, 17000, 3));
    EXPECT_TRUE(v.waived);
    EXPECT_TRUE(v.pass_anyway);
    EXPECT_TRUE(v.judged_anyway);
    // Waived and missing it if judged: 25 km2 of 30.
    v = judge_commune(p, facts(UnitType::xa, 25, 17000, 3));
    EXPECT_TRUE(v.waived && v.pass && v.judged_anyway);
    EXPECT_FALSE(v.pass_anyway);
    // A percentage just under 100 is not rounded up to it.
    v = judge_commune(p, facts(UnitType::xa, 29.97, 17000));
    EXPECT_FALSE(v.pass);
    EXPECT_EQ(v.why, "area 99.9% of 30 km2");
}

TEST(RulesProfile, Vn2026HasNoWaiverAndAnIslandStandard) {
    const RulesProfile p = profile("vn-2026");
    Verdict v = judge_commune(p, facts(UnitType::xa, 25, 20000, 5));
    EXPECT_TRUE(v.evaluated);
    EXPECT_FALSE(v.pass);
    UnitFacts i = facts(UnitType::xa, 16, 2600);
    i.region = "island";
    EXPECT_TRUE(judge_commune(p, i).pass);
}

TEST(RulesProfile, ProvinceStandards) {
    const RulesProfile p = profile("vn-2025");
    Verdict v = judge_province(p, "tinh", "other", 6000, 1500000);
    EXPECT_TRUE(v.pass);
    EXPECT_NEAR(v.area_pct, 120, 1e-9);
    EXPECT_TRUE(v.unconfirmed); // Res 76 Art. 4 not retrieved
    v = judge_province(p, "tinh", "mountain", 7000, 1000000);
    EXPECT_FALSE(v.pass);
    EXPECT_EQ(v.why, "area 88% of 8000 km2");
    v = judge_province(profile("vn-2026"), "thanh_pho_tw", "", 3000, 2000000);
    EXPECT_FALSE(v.pass);
    EXPECT_NEAR(v.population_pct, 80, 1e-9);
}

TEST(RulesProfile, BadProfilesAreErrorsNamingThePlace) {
    test::TempDir dir;
    auto message = [&](const std::string& text) {
        std::ofstream(dir.file("p.toml")) << text;
        try {
            (void)load_profile("p.toml", dir.path(), default_profiles_dir());
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("name = \"x\"\n[[commune]]\ntype = \"xa\"\narea = 3\n")
                  .find("p.toml:4:1: unknown key 'area' in [[commune]]"),
              std::string::npos);
    EXPECT_NE(message("name = \"x\"\n[[commune]]\ntype = \"xa\"\narea_km2 = \"3\"\n")
                  .find("p.toml:4:12: 'area_km2' must be a number"),
              std::string::npos);
    EXPECT_NE(message("name = \"x\"\n").find("no [[commune]] standard"), std::string::npos);
    try {
        (void)load_profile("vn-1999", ".", default_profiles_dir());
        FAIL();
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("vn-2025, vn-2026"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace amsim::sim
