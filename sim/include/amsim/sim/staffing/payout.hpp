#pragma once
/// @file payout.hpp
/// One person's payout on leaving: Decree 178/2024 as amended by Decree 67/2025 (the
/// restructuring) and Decree 154/2025 (streamlining), as in ../shared/domain/RULES.md §4.5-4.6.
/// Money is computed in whole dong, exactly: coefficients in hundredths, years in half years,
/// each component rounded half up once. The calculator behind `amsim payout`, and the
/// formulas the staffing roadmap will use.

#include <cstdint>
#include <string>
#include <vector>

namespace amsim::sim {

enum class Decree { d178, d154 };
enum class Departure { early_retirement, resignation, non_specialised };

struct PayoutPerson {
    Decree decree = Decree::d178;
    Departure kind = Departure::early_retirement;
    double salary_coefficient = 0;        ///< grade coefficient (Decree 204/2004 scales)
    double leadership_coefficient = 0;    ///< leadership-position allowance coefficient
    double other_coefficient = 0;         ///< other allowances counted in S, as a coefficient
    double public_service_pct = 25;       ///< public-service allowance, % of the coefficients
    std::int64_t base_salary = 2'340'000; ///< VND per month (Decree 73/2024)
    int si_months = 0;                    ///< compulsory social insurance not yet compensated
    int months_before_retirement = 0;     ///< from leaving to the statutory retirement age
    int months_since_decision = 1;        ///< from the arrangement decision to leaving (1 = first)
    std::int64_t monthly_allowance = 0;   ///< non-specialised commune workers: A, VND per month
    int months_worked = 0;                ///< non-specialised: working time
};

struct PayoutComponent {
    std::string name;
    std::string formula; ///< with the numbers used
    std::int64_t amount = 0;
};

struct Payout {
    std::int64_t monthly_salary = 0; ///< S (or A)
    std::vector<PayoutComponent> components;
    std::int64_t total = 0;
    bool unconfirmed = false; ///< a rule marked [U] in RULES.md was used
    std::vector<std::string> notes;
};

/// Years from months as the decrees count them: whole years, plus 0.5 for 1-6 odd months
/// and 1 for 7-11. Returned in half years (5 years 4 months -> 11).
[[nodiscard]] int half_years(int months);

/// Throws UsageError when the person is outside the decree's cases (e.g. early retirement
/// more than 10 years before the age, or a resignation within 2 years of it).
[[nodiscard]] Payout compute_payout(const PayoutPerson& person);

} // namespace amsim::sim
