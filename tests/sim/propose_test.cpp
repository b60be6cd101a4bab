// The proposer on hand-made maps whose best plan is known, its invariants, and the plan
// comparison (adjusted Rand index by hand).

#include "amsim/sim/plans/propose.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/plans/compare.hpp"

#include <gtest/gtest.h>

#include <set>

#include "support/grid_map.hpp"
#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

/// Every group is connected through the borders, and every unit is in exactly one group.
void expect_valid(const Map& m, const Proposal& p) {
    std::vector<int> seen(m.units.size(), 0);
    for (const ProposedGroup& g : p.groups) {
        const std::set<std::uint32_t> in(g.units.begin(), g.units.end());
        std::set<std::uint32_t> reached = {g.units.front()};
        std::vector<std::uint32_t> stack = {g.units.front()};
        while (!stack.empty()) {
            const std::uint32_t u = stack.back();
            stack.pop_back();
            for (const ProposeEdge& e : m.edges) {
                for (const auto& [a, b] : {std::pair{e.a, e.b}, {e.b, e.a}}) {
                    if (a == u && in.contains(b) && reached.insert(b).second) {
                        stack.push_back(b);
                    }
                }
            }
        }
        EXPECT_EQ(reached.size(), g.units.size()) << "group of " << g.units.front();
        for (std::uint32_t u : g.units) {
            ++seen[u];
            EXPECT_EQ(m.units[u].province, g.province);
        }
    }
    for (std::size_t u = 0; u < seen.size(); ++u) {
        EXPECT_EQ(seen[u], 1) << "unit " << u;
    }
}

TEST(Propose, ARowOfFourIntoTwoPairsThatMeetTheStandard) {
    // Each unit 1 km2 and 10,000 people; the standard 2 km2 and 20,000: only pairs meet it,
    // and the only two contiguous pairs are (0,1) and (2,3).
    const Map m = grid(4, 1, 10000);
    ProposeOptions opt;
    opt.targets = {{"P", 2}};
    opt.steps_per_unit = 200;
    const Proposal p = propose(m.units, m.edges, standards(2, 20000), opt);
    expect_valid(m, p);
    ASSERT_EQ(p.groups.size(), 2U);
    EXPECT_EQ(p.groups[0].units, (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(p.groups[1].units, (std::vector<std::uint32_t>{2, 3}));
    for (const ProposedGroup& g : p.groups) {
        EXPECT_TRUE(g.meets_standard);
        EXPECT_DOUBLE_EQ(g.area_km2, 2);
        EXPECT_DOUBLE_EQ(g.perimeter_km, 6); // 2 x 4 - 2 x the 1 km shared
    }
    EXPECT_EQ(p.provinces[0].failing, 0U);
}

TEST(Propose, AFourByFourGridIntoFourCompactSquares) {
    // 16 units into 4 groups of 4 meeting 4 km2: the most compact plan is four 2 x 2 squares
    // (Polsby-Popper pi/4 each), which the annealing finds.
    const Map m = grid(4, 4, 1000);
    ProposeOptions opt;
    opt.targets = {{"P", 4}};
    const Proposal p = propose(m.units, m.edges, standards(4, 4000), opt);
    expect_valid(m, p);
    ASSERT_EQ(p.groups.size(), 4U);
    const std::vector<std::vector<std::uint32_t>> squares = {
        {0, 1, 4, 5}, {2, 3, 6, 7}, {8, 9, 12, 13}, {10, 11, 14, 15}};
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(p.groups[k].units, squares[k]);
        EXPECT_NEAR(p.groups[k].polsby_popper(), 3.14159265358979 / 4, 1e-12);
    }
    // Same seed, same plan.
    const Proposal again = propose(m.units, m.edges, standards(4, 4000), opt);
    EXPECT_EQ(again.group_of_unit, p.group_of_unit);
}

TEST(Propose, IslandsStayAloneAndProvincesAreNeverCrossed) {
    // Row of 4 in P, unit 4 an island of P (no border), units 5-6 in Q touching unit 3.
    Map m = grid(7, 1, 10000);
    m.edges.erase(std::remove_if(m.edges.begin(),
                                 m.edges.end(),
                                 [](const ProposeEdge& e) { return e.a == 3 || e.a == 4; }),
                  m.edges.end());
    m.edges.push_back({3, 5, 1}); // a border across the province line
    m.units[5].province = m.units[6].province = "Q";
    ProposeOptions opt;
    opt.targets = {{"P", 3}, {"Q", 1}};
    opt.steps_per_unit = 200;
    const Proposal p = propose(m.units, m.edges, standards(2, 20000), opt);
    expect_valid(m, p);
    // P: the island alone, the row of 4 in two pairs; Q: one group of two.
    ASSERT_EQ(p.groups.size(), 4U);
    EXPECT_EQ(p.groups[2].units, (std::vector<std::uint32_t>{4}));
    EXPECT_EQ(p.groups[3].units, (std::vector<std::uint32_t>{5, 6}));
    EXPECT_EQ(p.provinces[0].failing, 1U); // the island cannot meet the standard
}

TEST(Propose, KeptUnitsAndLockedGroupsAreLeftAsGiven) {
    const Map m = grid(4, 2, 10000);
    ProposeOptions opt;
    opt.targets = {{"P", 3}};
    opt.keep = {"u0"};
    opt.locked = {{"u3", "g"}, {"u7", "g"}};
    opt.steps_per_unit = 200;
    const Proposal p = propose(m.units, m.edges, standards(2, 20000), opt);
    expect_valid(m, p);
    ASSERT_EQ(p.groups.size(), 3U);
    EXPECT_EQ(p.groups[0].units, (std::vector<std::uint32_t>{0}));
    EXPECT_EQ(p.groups[2].units, (std::vector<std::uint32_t>{3, 7}));
    EXPECT_EQ(p.groups[1].units, (std::vector<std::uint32_t>{1, 2, 4, 5, 6}));
    opt.locked = {{"nowhere", "g"}};
    EXPECT_THROW((void)propose(m.units, m.edges, standards(2, 20000), opt), InputError);
}

TEST(Propose, FixOnlyMergesTheUnitsBelowStandardWithTheirBestNeighbour) {
    // 30,000 | 5,000 | 30,000 | 30,000 people; standard 16,000: unit 1 fails and joins a
    // neighbour, the others stay alone.
    Map m = grid(4, 1, 30000);
    m.units[1].population = 5000;
    ProposeOptions opt;
    opt.fix_only = true;
    const Proposal p = propose(m.units, m.edges, standards(0.5, 16000), opt);
    expect_valid(m, p);
    ASSERT_EQ(p.groups.size(), 3U);
    EXPECT_EQ(p.provinces[0].failing_before, 1U);
    EXPECT_EQ(p.provinces[0].failing, 0U);
    EXPECT_EQ(p.groups[0].units.size() + p.groups[1].units.size(), 3U);
    EXPECT_EQ(p.groups[2].units, (std::vector<std::uint32_t>{3}));
    // A unit of unknown population is left as it is: it cannot be judged.
    m.units[1].population_known = false;
    const Proposal unknown = propose(m.units, m.edges, standards(0.5, 16000), opt);
    EXPECT_EQ(unknown.groups.size(), 4U);
    EXPECT_EQ(unknown.provinces[0].unknown, 1U);
}

TEST(Propose, TheWaiverCountsAsInTheRulesProfile) {
    // Three units of 1 km2 and 1,000 people never meet 10 km2 / 100,000, but a merger of 3 or
    // more is waived: one group of three passes.
    const Map m = grid(3, 1, 1000);
    ProposeOptions opt;
    opt.targets = {{"P", 1}};
    opt.steps_per_unit = 10;
    const Proposal p = propose(m.units, m.edges, standards(10, 100000, 3), opt);
    ASSERT_EQ(p.groups.size(), 1U);
    EXPECT_FALSE(p.groups[0].meets_standard);
    EXPECT_TRUE(p.groups[0].passes);
}

TEST(Compare, AdjustedRandIndexByHand) {
    EXPECT_DOUBLE_EQ(adjusted_rand_index({0, 0, 1, 1}, {5, 5, 7, 7}), 1); // same partition
    // Contingency (0,0)=2, (1,0)=1, (1,1)=1: index 1, expected 2 x 3 / 6 = 1: ARI 0.
    EXPECT_NEAR(adjusted_rand_index({0, 0, 1, 1}, {0, 0, 0, 1}), 0, 1e-12);
    // Index 2, sums 3 and 4, expected 12 / 15, max 3.5: (2 - 0.8) / (3.5 - 0.8).
    EXPECT_NEAR(adjusted_rand_index({0, 0, 1, 1, 2, 2}, {0, 0, 1, 1, 1, 2}), 1.2 / 2.7, 1e-12);
}

TEST(Compare, PlansOverDifferentBasesAreRefused) {
    Scenario a, b;
    a.base.source = "base.gpkg";
    a.base.layer = b.base.layer = "communes";
    a.base.mapping.code = b.base.mapping.code = "code";
    b.base.source = "./base.gpkg"; // the same file, written another way
    EXPECT_TRUE(same_base(a, b));
    b.base.source = "other.gpkg";
    EXPECT_FALSE(same_base(a, b));
    EXPECT_THROW((void)compare_plans(a, sim::Run{}, b, sim::Run{}, {}), InputError);
}

TEST(Propose, GroupsAreTypedAndNamedAsTheLawDoes) {
    // A row of 4: u0 a ward (Phường Một), u1 a township (Thị trấn Hai, the most populous),
    // u2 and u3 communes; u2 and u3 form the plan's special zone (kept whole).
    Map m = grid(4, 1, 10000);
    m.units[0].type = UnitType::phuong;
    m.units[0].name = "Phường Một";
    m.units[1].name = "Thị trấn Hai";
    m.units[1].population = 12000;
    m.units[2].zone = "Z";
    m.units[3].zone = "Z";
    ProposeOptions opt;
    opt.targets = {{"P", 2}};
    const Proposal p = propose(m.units, m.edges, standards(1, 1), opt);
    expect_valid(m, p);
    ASSERT_EQ(p.groups.size(), 2U);
    // u0 + u1: a ward merged with a township is a ward, named after the township without
    // the abolished title; u2 + u3: the special zone, whole.
    EXPECT_EQ(p.groups[0].units, (std::vector<std::uint32_t>{0, 1}));
    EXPECT_EQ(p.groups[0].type, UnitType::phuong);
    EXPECT_EQ(p.groups[1].units, (std::vector<std::uint32_t>{2, 3}));
    EXPECT_EQ(p.groups[1].type, UnitType::dac_khu);
    Scenario base;
    base.name = "b";
    const Scenario s = proposal_scenario(base, m.units, p, "p", "vn-2025");
    ASSERT_EQ(s.mapping.size(), 4U);
    EXPECT_EQ(s.mapping[0].new_name, "Phường Hai");
    EXPECT_EQ(s.mapping[0].new_type, UnitType::phuong);
    EXPECT_EQ(s.mapping[2].new_type, UnitType::dac_khu);
    EXPECT_EQ(s.mapping[2].new_name.rfind("Đặc khu ", 0), 0U);
}

} // namespace
} // namespace amsim::sim
