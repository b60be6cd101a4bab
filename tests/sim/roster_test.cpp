// A staff roster placed in the new units: a hand-made roster of the four fixture communes,
// every count checked by hand, and its errors named by line and column.

#include "amsim/sim/staffing/roster.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

const std::string fixtures = AMSIM_TEST_FIXTURES;

/// The four fixture communes (00001 + 00002 -> 00001, 00003 + 00004 -> 00003) staffed.
struct Fixture {
    Scenario scenario = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    Base base;
    StaffingReport report;
    std::vector<std::string> old_codes;
    std::map<std::string, std::string> old_code_of;
    Fixture() {
        test::register_gdal();
        BaseOptions bo;
        bo.source = scenario.base.source;
        bo.keep_geometry = false;
        base = load_base(scenario.base, bo);
        const ScenarioCheck check = require_checked(scenario, base);
        report = staff_scenario(scenario, check, base.loaded, StaffingOptions{});
        for (const geo::Unit& u : base.loaded.layer.units) {
            old_codes.push_back(u.code);
            old_code_of[u.code] = u.code;
        }
    }
    [[nodiscard]] Roster roster(const std::string& csv) const {
        return read_roster(parse_csv(csv, "roster.csv"), old_code_of, report.codes);
    }
};

TEST(Roster, EachPersonIsPlacedOnceAndEachUnitCountedAgainstItsNorm) {
    const Fixture f;
    // 00001 (old): 4 cadres (1 retires early), 3 civil servants (1 resigns), 2 non-specialised
    // workers whose posts end; 00002: 2 civil servants, one assigned by the planner to 00003;
    // 00003: 2 cadres. Categories and leaves as a Vietnamese planner types them.
    const Roster r = f.roster("id,old_code,category,position,salary_coefficient,leave,new_code\n"
                              "a1,00001,cán bộ,Bí thư,4.4,,\n"
                              "a2,00001,cadre,Chủ tịch,4.0,nghỉ hưu trước tuổi,\n"
                              "a3,00001,Cán Bộ,Phó chủ tịch,3.66,,\n"
                              "a4,00001,cadre,,,stays,\n"
                              "a5,00001,công chức,Văn phòng,2.67,thôi việc,\n"
                              "a6,00001,civil_servant,Tư pháp,2.34,,\n"
                              "a7,00001,civil servant,,,,\n"
                              "a8,00001,không chuyên trách,,,chấm dứt,\n"
                              "a9,00001,non_specialised,,,post_ends,\n"
                              "b1,00002,công chức,,,,\n"
                              "b2,00002,công chức,,,,00003\n"
                              "c1,00003,cán bộ,,,,\n"
                              "c2,00003,cán bộ,,,,\n");
    ASSERT_EQ(r.people.size(), 13U);
    EXPECT_EQ(r.people[1].leave, Leave::early_retirement);
    EXPECT_DOUBLE_EQ(r.people[2].salary_coefficient, 3.66);
    const RosterPlacement p = place_roster(r, f.report, f.old_codes);
    ASSERT_EQ(p.unit_of_person.size(), 13U); // every person placed once
    ASSERT_EQ(f.report.codes, (std::vector<std::string>{"00001", "00003"}));
    const UnitRoster& ab = p.units[0];
    EXPECT_EQ(ab.cadres, 4U);
    EXPECT_EQ(ab.civil_servants, 4U); // 3 of 00001 and 1 of 00002
    EXPECT_EQ(ab.in_post(), 8U);
    EXPECT_EQ(ab.leaving, 2U);
    EXPECT_EQ(ab.non_specialised, 2U);
    EXPECT_EQ(ab.posts_ending, 2U);
    const UnitRoster& cd = p.units[1];
    EXPECT_EQ(cd.cadres, 2U);
    EXPECT_EQ(cd.civil_servants, 1U); // b2, by assignment
    EXPECT_TRUE(p.by_assignment[10]);
    EXPECT_FALSE(p.by_assignment[9]);
    // Norms from the report; nobody above them here.
    EXPECT_EQ(ab.norm, f.report.result.communes[0].norm);
    EXPECT_GT(ab.norm, 8);
    EXPECT_EQ(ab.over_norm(), 0U);
    // Over the norm: those who stay beyond it.
    UnitRoster big;
    big.civil_servants = 60;
    big.leaving = 3;
    big.norm = 55;
    EXPECT_EQ(big.over_norm(), 2U);
    // The tables: the two units, the 13 people with how each was placed.
    const RosterTables t = roster_tables(r, p, price_roster(r, p, LeaveDate{}), f.report);
    ASSERT_EQ(t.units[0].values.size(), 2U);
    EXPECT_EQ(std::get<std::int64_t>(t.units[5].values[0]), 8); // in_post of 00001
    ASSERT_EQ(t.people[0].values.size(), 13U);
    EXPECT_EQ(std::get<std::string>(t.people[3].values[10]), "00003");
    EXPECT_EQ(std::get<std::string>(t.people[4].values[10]), "assignment");
    // The placement's sums: what the terminal and --json say.
    const RosterTotals tot = p.totals();
    EXPECT_EQ(tot.units, 2U);
    EXPECT_EQ(tot.assigned, 1U);
    EXPECT_EQ(tot.in_post, 11U);
    EXPECT_EQ(tot.leaving, 2U);
    EXPECT_EQ(tot.posts_ending, 2U);
    EXPECT_EQ(tot.norm, static_cast<std::size_t>(ab.norm + cd.norm));
    EXPECT_EQ(tot.over_norm, 0U);
    // Per province (both units in one) and the nation's row: the same counts.
    ASSERT_EQ(t.provinces[0].values.size(), 2U);
    EXPECT_EQ(std::get<std::string>(t.provinces[0].values[1]), "total");
    EXPECT_EQ(std::get<std::int64_t>(t.provinces[1].values[0]), 2);  // units
    EXPECT_EQ(std::get<std::int64_t>(t.provinces[2].values[0]), 13); // people
    EXPECT_EQ(std::get<std::int64_t>(t.provinces[3].values[0]), 11); // in post
    EXPECT_EQ(std::get<std::int64_t>(t.provinces[4].values[1]), 2);  // leaving
    EXPECT_EQ(std::get<std::int64_t>(t.provinces[6].values[1]), 2);  // posts ending
}

TEST(Roster, TheQuotaProposalCutsTheSurplusToTheNormOverFiveYears) {
    const Fixture f;
    const int norm = f.report.result.communes[0].norm;
    // The roster puts norm + 5 civil servants in 00001, one of whom leaves at the merger: 4
    // over the norm. 00003 has nobody on the roster: its figures are the estimate's.
    RosterPlacement p;
    p.units.resize(2);
    p.units[0].civil_servants = static_cast<std::size_t>(norm) + 5;
    p.units[0].leaving = 1;
    const std::vector<UnitQuota> linear =
        propose_quotas(f.report, &p, RoadmapParams::Profile::linear);
    ASSERT_EQ(linear.size(), 2U);
    EXPECT_TRUE(linear[0].from_roster);
    EXPECT_DOUBLE_EQ(linear[0].surplus(), 4);
    // Linear, 0.8 a year: norm + 3.2, 2.4, 1.6, 0.8, 0 rounded up to whole posts.
    EXPECT_EQ(linear[0].ceiling,
              (std::array<int, 5>{norm + 4, norm + 3, norm + 2, norm + 1, norm}));
    // Front-loaded (0.4, 0.3, 0.15, 0.1, 0.05 of 4): norm + 2.4, 1.2, 0.6, 0.2, 0.
    const std::vector<UnitQuota> front =
        propose_quotas(f.report, &p, RoadmapParams::Profile::front_loaded);
    EXPECT_EQ(front[0].ceiling, (std::array<int, 5>{norm + 3, norm + 2, norm + 1, norm + 1, norm}));
    // 00003 from the estimate; without a roster, both.
    const NewUnitStaff& cd = f.report.result.communes[1];
    EXPECT_FALSE(linear[1].from_roster);
    EXPECT_DOUBLE_EQ(linear[1].in_post, cd.staffed());
    const std::vector<UnitQuota> none =
        propose_quotas(f.report, nullptr, RoadmapParams::Profile::linear);
    EXPECT_FALSE(none[0].from_roster);
    for (const UnitQuota& q : none) {
        // Never below the norm; the norm at the end when above it, the staff in post rounded
        // up in year 1.
        EXPECT_EQ(q.ceiling[4], q.norm);
        EXPECT_EQ(q.ceiling[0],
                  std::max(q.norm,
                           static_cast<int>(
                               std::ceil(q.in_post - 0.2 * std::max(0.0, q.surplus()) - 1e-9))));
    }
    // The table: a row a unit, the source of each unit's staff named.
    const std::vector<geo::OutputField> t = quota_table(f.report, linear);
    ASSERT_EQ(t[0].values.size(), 2U);
    EXPECT_EQ(std::get<std::string>(t.back().values[0]), "roster");
    EXPECT_EQ(std::get<std::string>(t.back().values[1]), "estimated");
    EXPECT_EQ(std::get<std::int64_t>(t[7].values[0]), norm + 4);
}

TEST(Roster, TheStatutoryRetirementAgeRisesAsTheLabourCodeSays) {
    // Men: 60 years 3 months in 2021, + 3 months a year, 62 from 2028.
    EXPECT_EQ(retirement_month(1961, 1, false), (std::pair<int, int>{2021, 4}));
    EXPECT_EQ(retirement_month(1966, 2, false), (std::pair<int, int>{2027, 11}));
    EXPECT_EQ(retirement_month(1970, 6, false), (std::pair<int, int>{2032, 6}));
    // Women: 55 years 4 months in 2021, + 4 months a year, 60 from 2035.
    EXPECT_EQ(retirement_month(1966, 1, true), (std::pair<int, int>{2021, 5}));
    EXPECT_EQ(retirement_month(1980, 3, true), (std::pair<int, int>{2040, 3}));
}

TEST(Roster, EachLeaverIsPricedByTheCalculatorOrRefusedWithWhy) {
    const Fixture f;
    // r1: the Ministry's test vector 1 (Official Letter 1814): coefficient 4.65 + leadership
    // 0.6, 30 months early, 22 years of insurance: 460,687,500 + 191,953,125 + 92,137,500.
    // r2: the same person by birth date (02/1966, a man) leaving in 05/2025: 30 months.
    // r3: resigns, coefficient 3.00, 10 years of insurance, 120 months to go: S = 8,775,000;
    // 0.8 x 60 S + 1.5 x 10 S + 3 S = 421,200,000 + 131,625,000 + 26,325,000 = 579,150,000.
    // r4: early retirement 130 months before the age: outside Decree 178. r5: no insurance.
    // s1 stays. w1: a non-specialised worker whose post ends (Decree 154).
    const Roster r =
        f.roster("id,old_code,category,salary_coefficient,leadership_coefficient,si_years,"
                 "months_to_retirement,birth_date,sex,leave,monthly_allowance,years_worked\n"
                 "r1,00001,cán bộ,4.65,0.6,22,30,,,nghỉ hưu trước tuổi,,\n"
                 "r2,00001,cán bộ,4.65,0.6,22,,15/02/1966,nam,nghỉ hưu trước tuổi,,\n"
                 "r3,00003,công chức,3.00,,10,120,,,thôi việc,,\n"
                 "r4,00003,công chức,4.00,,20,130,,,early_retirement,,\n"
                 "r5,00003,công chức,4.00,,,40,,,early_retirement,,\n"
                 "s1,00001,công chức,3.00,,10,,,,,,\n"
                 "w1,00002,không chuyên trách,,,,40,,,chấm dứt,3510000,10\n");
    const RosterPlacement p = place_roster(r, f.report, f.old_codes);
    const RosterPayouts paid = price_roster(r, p, LeaveDate{2025, 5});
    ASSERT_EQ(paid.leavers.size(), 6U); // s1 stays
    const LeaverPayout& r1 = paid.leavers[0];
    ASSERT_TRUE(r1.payout) << r1.refused;
    ASSERT_EQ(r1.payout->components.size(), 3U);
    EXPECT_EQ(r1.payout->components[0].amount, 460'687'500);
    EXPECT_EQ(r1.payout->components[1].amount, 191'953'125);
    EXPECT_EQ(r1.payout->components[2].amount, 92'137'500);
    EXPECT_EQ(r1.payout->total, 744'778'125);
    ASSERT_TRUE(paid.leavers[1].payout) << paid.leavers[1].refused;
    EXPECT_EQ(paid.leavers[1].months_to_retirement, 30);
    EXPECT_TRUE(paid.leavers[1].months_estimated);
    EXPECT_EQ(paid.leavers[1].payout->total, 744'778'125);
    ASSERT_TRUE(paid.leavers[2].payout) << paid.leavers[2].refused;
    EXPECT_EQ(paid.leavers[2].payout->total, 579'150'000);
    EXPECT_FALSE(paid.leavers[3].payout);
    EXPECT_NE(paid.leavers[3].refused.find("more than 10 years"), std::string::npos);
    EXPECT_NE(paid.leavers[4].refused.find("social insurance unknown"), std::string::npos);
    // The worker: what amsim payout gives for the same person.
    PayoutPerson w;
    w.decree = Decree::d154;
    w.kind = Departure::non_specialised;
    w.monthly_allowance = 3'510'000;
    w.months_worked = 120;
    w.months_before_retirement = 40;
    EXPECT_EQ(compute_payout(w).total, 175'500'000); // 0.8 x 40 A + 1.5 x 10 A + 3 A
    ASSERT_TRUE(paid.leavers[5].payout) << paid.leavers[5].refused;
    EXPECT_EQ(paid.leavers[5].payout->total, compute_payout(w).total);
    // Totals: per new unit, and the whole; two refused.
    EXPECT_EQ(paid.refused, 2U);
    EXPECT_EQ(paid.unit_total[0], std::int64_t{2} * 744'778'125 + compute_payout(w).total);
    EXPECT_EQ(paid.unit_total[1], 579'150'000);
    EXPECT_EQ(paid.total, paid.unit_total[0] + paid.unit_total[1]);
    // The payouts table: a row per leaver, the refusals with why.
    const RosterTables t = roster_tables(r, p, paid, f.report);
    ASSERT_EQ(t.payouts[0].values.size(), 6U);
    EXPECT_EQ(std::get<std::int64_t>(t.payouts[9].values[0]), 744'778'125);
    EXPECT_NE(std::get<std::string>(t.payouts[10].values[3]).find("more than 10 years"),
              std::string::npos);
    // The report of leavers as sent upward: a row each, then the total; S of test vector 1.
    ASSERT_EQ(t.leavers[0].values.size(), 7U);
    EXPECT_EQ(t.leavers[0].name, "STT");
    EXPECT_EQ(std::get<std::int64_t>(t.leavers[11].values[0]), 15'356'250);
    EXPECT_EQ(std::get<std::string>(t.leavers[1].values[6]), "Tổng cộng");
    EXPECT_EQ(std::get<std::int64_t>(t.leavers[12].values[6]), paid.total);
    EXPECT_NE(std::get<std::string>(t.leavers[13].values[3]).find("Chưa tính được"),
              std::string::npos);
}

TEST(Roster, BadRowsAreNamedByLineColumnAndValue) {
    const Fixture f;
    auto error = [&](const std::string& csv) {
        try {
            (void)f.roster(csv);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("old_code,category\n00009,cadre\n"),
              "roster.csv:2, column 'old_code': '00009' is no old unit of the scenario's base (its "
              "code or official code)");
    // A code a spreadsheet read as a number: the code meant is named.
    EXPECT_NE(error("old_code,category\n1,cadre\n").find("'00001' is: the spreadsheet dropped"),
              std::string::npos);
    EXPECT_NE(error("old_code,category\n00001,teacher\n")
                  .find("roster.csv:2, column 'category': "
                        "'teacher' is none of cadre"),
              std::string::npos);
    EXPECT_NE(error("old_code,category,leave\n00001,non_specialised,resignation\n")
                  .find("is not how a non-specialised worker leaves"),
              std::string::npos);
    EXPECT_NE(error("id,old_code,category\nx,00001,cadre\nx,00002,cadre\n")
                  .find("roster.csv:3, column 'id': id 'x' is on an earlier line too"),
              std::string::npos);
    EXPECT_NE(error("old_code,category,salary_coefficient\n00001,cadre,0.5\n").find("roster.csv:2"),
              std::string::npos);
    EXPECT_NE(error("old_code,category,new_code\n00001,cadre,99999\n")
                  .find("'99999' is no new unit of the scenario"),
              std::string::npos);
    EXPECT_NE(error("category\ncadre\n").find("old_code"), std::string::npos);
}

} // namespace
} // namespace amsim::sim
