// Payouts, component by component, against the Ministry's worked example (test vector 1 of
// RULES.md §4.5) and hand-computed cases.

#include "amsim/sim/staffing/payout.hpp"

#include "amsim/core/error.hpp"

#include <gtest/gtest.h>

namespace amsim::sim {
namespace {

PayoutPerson moha_example() {
    // Coefficient 4.65 + leadership 0.6, public service 25 %; retires 30 months early (2.5
    // years) with 22 years of social insurance, within 12 months of the decision.
    PayoutPerson p;
    p.decree = Decree::d178;
    p.kind = Departure::early_retirement;
    p.salary_coefficient = 4.65;
    p.leadership_coefficient = 0.6;
    p.si_months = 22 * 12;
    p.months_before_retirement = 30;
    p.months_since_decision = 3;
    return p;
}

TEST(Payout, HalfYearsCountAsTheDecreesSay) {
    EXPECT_EQ(half_years(0), 0);
    EXPECT_EQ(half_years(30), 5);   // 2 years 6 months -> 2.5
    EXPECT_EQ(half_years(31), 6);   // 2 years 7 months -> 3
    EXPECT_EQ(half_years(100), 17); // 8 years 4 months -> 8.5
    EXPECT_EQ(half_years(264), 44);
}

TEST(Payout, MinistryTestVectorOneToTheDong) {
    const Payout r = compute_payout(moha_example());
    EXPECT_EQ(r.monthly_salary, 15'356'250); // (4.65 + 0.6) x 2,340,000 x 1.25
    ASSERT_EQ(r.components.size(), 3U);
    EXPECT_EQ(r.components[0].amount, 460'687'500); // 30 x S
    EXPECT_EQ(r.components[1].amount, 191'953'125); // 2.5 x 5 x S
    EXPECT_EQ(r.components[2].amount, 92'137'500);  // (5 + 2 x 0.5) x S
    // The article prints 744,788,125: its components sum to this (a typo in the source).
    EXPECT_EQ(r.total, 744'778'125);
    EXPECT_FALSE(r.unconfirmed);
}

TEST(Payout, EarlyRetirementBandsAndTiming) {
    PayoutPerson p = moha_example();
    p.months_since_decision = 13; // from month 13 the early-months pension is halved
    Payout r = compute_payout(p);
    EXPECT_EQ(r.components[0].amount, 230'343'750); // 0.5 x S x 30
    // 7 years early: 0.9 x S x 60, and 4 x S per year early.
    p = moha_example();
    p.months_before_retirement = 84;
    r = compute_payout(p);
    EXPECT_EQ(r.components[0].amount, 829'237'500); // 0.9 x 15,356,250 x 60
    EXPECT_EQ(r.components[1].amount, 429'975'000); // 4 x S x 7
    // 17 years of social insurance (Decree 67): 4 x S for 15 years + 0.5 x S x 2.
    p = moha_example();
    p.si_months = 17 * 12;
    r = compute_payout(p);
    EXPECT_EQ(r.components[2].amount, 76'781'250); // 5 x S
    // Decree 154: no early-months pension; 15 to 20 years of SI -> 5 x S.
    p.decree = Decree::d154;
    r = compute_payout(p);
    ASSERT_EQ(r.components.size(), 2U);
    EXPECT_EQ(r.components[0].amount, 191'953'125);
    EXPECT_EQ(r.components[1].amount, 76'781'250);
    // Outside the decrees' cases: errors, not guesses.
    p = moha_example();
    p.months_before_retirement = 20;
    EXPECT_THROW((void)compute_payout(p), UsageError);
    p.months_before_retirement = 121;
    EXPECT_THROW((void)compute_payout(p), UsageError);
    // Early retirement needs 15 years of social insurance (enough for a pension): 14 years
    // 11 months is refused under both decrees, with the reason; 15 years is paid.
    p = moha_example();
    p.si_months = 15 * 12 - 1;
    try {
        (void)compute_payout(p);
        ADD_FAILURE() << "paid with 14.9 years of social insurance";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("needs 15 years of social insurance"),
                  std::string::npos)
            << e.what();
    }
    p.decree = Decree::d154;
    EXPECT_THROW((void)compute_payout(p), UsageError);
    p.si_months = 15 * 12;
    EXPECT_GT(compute_payout(p).total, 0);
}

TEST(Payout, Resignation) {
    PayoutPerson p = moha_example();
    p.kind = Departure::resignation;
    p.si_months = 100; // 8 years 4 months: severance capped at 60 months; 8.5 SI years
    Payout r = compute_payout(p);
    ASSERT_EQ(r.components.size(), 3U);
    EXPECT_EQ(r.components[0].amount, 737'100'000); // 0.8 x S x 60
    EXPECT_EQ(r.components[1].amount, 195'792'188); // 1.5 x S x 8.5 = 195,792,187.5, half up
    EXPECT_EQ(r.components[2].amount, 46'068'750);  // 3 x S
    EXPECT_EQ(r.total, 737'100'000 + 195'792'188 + 46'068'750);
    p.months_since_decision = 14;
    p.si_months = 40; // under 5 years: severance by the actual months
    r = compute_payout(p);
    EXPECT_EQ(r.components[0].amount, 245'700'000); // 0.4 x S x 40
    // Decree 154: job search and years of SI only.
    p.decree = Decree::d154;
    r = compute_payout(p);
    ASSERT_EQ(r.components.size(), 2U);
    EXPECT_EQ(r.components[0].amount, 80'620'313); // 1.5 x S x 3.5 = 80,620,312.5
}

TEST(Payout, NonSpecialisedCommuneWorkers) {
    PayoutPerson p;
    p.decree = Decree::d154;
    p.kind = Departure::non_specialised;
    p.monthly_allowance = 3'510'000; // 1.5 x base salary
    p.months_worked = 40;            // 3 years 4 months -> 3.5
    p.months_before_retirement = 200;
    Payout r = compute_payout(p);
    EXPECT_EQ(r.components[0].amount, 112'320'000); // 0.8 x A x 40
    EXPECT_EQ(r.components[1].amount, 18'427'500);  // 1.5 x A x 3.5
    EXPECT_EQ(r.components[2].amount, 10'530'000);  // 3 x A
    EXPECT_FALSE(r.unconfirmed);
    p.months_worked = 120;
    p.months_before_retirement = 30;
    r = compute_payout(p);
    EXPECT_EQ(r.components[0].amount, 84'240'000); // 0.8 x A x 30 months to retirement
    p.months_before_retirement = 90;               // the truncated case: flagged
    r = compute_payout(p);
    EXPECT_TRUE(r.unconfirmed);
    EXPECT_EQ(r.components[0].amount, 168'480'000); // 0.8 x A x 60
}

} // namespace
} // namespace amsim::sim
