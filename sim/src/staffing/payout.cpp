#include "amsim/sim/staffing/payout.hpp"

#include "amsim/core/error.hpp"

#include <climits>
#include <cmath>
#include <cstdio>

namespace amsim::sim {

namespace {

/// value * num / den, rounded half up (values are positive). The inputs are checked at the
/// edge, so a product that does not fit 64 bits is a broken invariant, never a wrong sum.
std::int64_t times(std::int64_t value, std::int64_t num, std::int64_t den) {
    std::int64_t p = 0;
    if (__builtin_mul_overflow(value, num, &p) || p > INT64_MAX - den / 2) {
        throw InternalError("payout: " + std::to_string(value) + " x " + std::to_string(num) +
                            " does not fit 64 bits");
    }
    return (p + den / 2) / den;
}

std::string half(int h) {
    char buf[32];
    std::snprintf(buf, sizeof buf, h % 2 == 0 ? "%.0f" : "%.1f", h / 2.0);
    return buf;
}

struct Builder {
    Payout out;
    void add(std::string name, std::string formula, std::int64_t amount) {
        out.components.push_back({std::move(name), std::move(formula), amount});
        if (__builtin_add_overflow(out.total, amount, &out.total)) {
            throw InternalError("payout: the total does not fit 64 bits");
        }
    }
};

std::int64_t hundredths(double coefficient, const char* what) {
    if (!(coefficient >= 0) || coefficient > 100) {
        throw UsageError(std::string(what) + " must be a coefficient between 0 and 100");
    }
    return std::llround(coefficient * 100);
}

/// The service allowance by years of social insurance (in half years): `first` months of S
/// for the first `first_years`, and half a month per year beyond.
void si_block(Builder& b, std::int64_t s, int si_h, int first_years, int first_months) {
    const int beyond_h = si_h - 2 * first_years;
    // first_months x S + 0.5 x S x beyond_h / 2 = S x (4 first_months + beyond_h) / 4
    const std::int64_t amount = times(s, 4LL * first_months + beyond_h, 4);
    b.add("social-insurance service",
          std::to_string(first_months) + " x S for the first " + std::to_string(first_years) +
              " years + 0.5 x S x " + half(beyond_h) + " years beyond",
          amount);
}

/// The two components every resignation has: 1.5 months of pay per year, and 3 months to
/// look for a job; the social-insurance period itself is left to the SI law.
void years_and_job_search(
    Builder& b, std::int64_t pay, const char* symbol, const char* name, int years_h) {
    b.add(name,
          std::string("1.5 x ") + symbol + " x " + half(years_h) + " years",
          times(pay, 15LL * years_h, 20));
    b.add("job search", std::string("3 x ") + symbol, times(pay, 3, 1));
    b.out.notes.emplace_back("social insurance: reserved, or paid once under the SI law (not "
                             "computed here)");
}

} // namespace

int half_years(int months) {
    if (months < 0) {
        throw UsageError("a number of months cannot be negative");
    }
    const int odd = months % 12;
    return 2 * (months / 12) + (odd == 0 ? 0 : (odd <= 6 ? 1 : 2));
}

namespace {

/// A non-specialised commune worker (Decree 154 Art. 9), from the monthly allowance A.
Payout non_specialised_payout(const PayoutPerson& p, Builder& b) {
    if (p.decree != Decree::d154) {
        throw UsageError("non-specialised commune workers leave under Decree 154 (Art. 9)");
    }
    const std::int64_t a = p.monthly_allowance;
    if (a <= 0) {
        throw UsageError("a non-specialised worker's payout needs the monthly allowance A");
    }
    b.out.monthly_salary = a;
    const int worked_h = half_years(p.months_worked);
    if (p.months_worked < 60) {
        b.add("by months worked",
              "0.8 x A x " + std::to_string(p.months_worked) + " months",
              times(a, 8LL * p.months_worked, 10));
    } else if (p.months_before_retirement < 60) {
        b.add("by months to retirement",
              "0.8 x A x " + std::to_string(p.months_before_retirement) + " months",
              times(a, 8LL * p.months_before_retirement, 10));
    } else {
        b.add("by months to retirement (capped at 60) [unconfirmed]",
              "0.8 x A x 60 months",
              times(a, 8LL * 60, 10));
        b.out.unconfirmed = true;
        b.out.notes.emplace_back("Decree 154 Art. 9 for 5+ years worked and 5+ years to "
                                 "retirement is truncated in every source (RULES.md §4.6 [U]); "
                                 "0.8 x A x 60 is assumed");
    }
    years_and_job_search(b, a, "A", "by years worked", worked_h);
    return b.out;
}

/// Early retirement (Decree 178 A or Decree 154) from the monthly salary S.
Payout early_retirement_payout(const PayoutPerson& p, Builder& b, std::int64_t s, bool first12) {
    const int si_h = half_years(p.si_months);
    const int m = p.months_before_retirement;
    const int early_h = half_years(m);
    if (m > 120) {
        throw UsageError("early retirement more than 10 years before the retirement age is "
                         "not a case of Decree 178 or 154");
    }
    if (m < 24) {
        throw UsageError("early retirement under 2 years before the age: Decree 178's rule "
                         "is unconfirmed (RULES.md §4.5 [U]) and not computed");
    }
    // Both decrees retire early only those with enough social insurance for a pension: 15
    // years under the Social Insurance Law 2024 (from 1/7/2025), counted in actual months
    // (the half-year rounding is the allowances', not the pension's).
    if (p.si_months < 15 * 12) {
        char years[32];
        std::snprintf(years, sizeof years, "%.1f", p.si_months / 12.0);
        throw UsageError(std::string("early retirement needs 15 years of social insurance (enough "
                                     "for a pension); ") +
                         years + " years: not eligible (resignation is the case that applies)");
    }
    if (p.decree == Decree::d178) {
        if (m <= 60) {
            b.add("pension for the early months",
                  std::string(first12 ? "1.0" : "0.5") + " x S x " + std::to_string(m) + " months",
                  times(s, (first12 ? 10LL : 5LL) * m, 10));
            b.add("per year early",
                  "5 x S x " + half(early_h) + " years",
                  times(s, 5LL * early_h, 2));
        } else {
            b.add("pension for the early months",
                  std::string(first12 ? "0.9" : "0.45") + " x S x 60 months",
                  times(s, (first12 ? 90LL : 45LL) * 60, 100));
            b.add("per year early",
                  "4 x S x " + half(early_h) + " years",
                  times(s, 4LL * early_h, 2));
        }
        if (si_h >= 40) {
            si_block(b, s, si_h, 20, 5);
        } else {
            si_block(b, s, si_h, 15, 4); // Decree 67's addition: 15 to 20 years
        }
    } else {
        if (m > 60) {
            throw UsageError("Decree 154 early retirement covers 2 to 5 years before the age");
        }
        b.add("per year early", "5 x S x " + half(early_h) + " years", times(s, 5LL * early_h, 2));
        if (si_h >= 40) {
            si_block(b, s, si_h, 20, 5);
        } else {
            b.add("social-insurance service", "5 x S (15 to 20 years)", times(s, 5, 1));
        }
    }
    b.out.notes.emplace_back("pension from leaving, not reduced for the early years");
    return b.out;
}

} // namespace

Payout compute_payout(const PayoutPerson& p) {
    Builder b;
    const bool first12 = p.months_since_decision <= 12;
    if (p.months_since_decision < 1) {
        throw UsageError("months since the arrangement decision start at 1");
    }
    if (p.kind == Departure::non_specialised) {
        return non_specialised_payout(p, b);
    }
    const std::int64_t coef = hundredths(p.salary_coefficient, "the salary coefficient") +
                              hundredths(p.leadership_coefficient, "the leadership coefficient") +
                              hundredths(p.other_coefficient, "the other allowances");
    if (coef <= 0) {
        throw UsageError("the payout needs a salary coefficient");
    }
    const auto ps = std::llround(p.public_service_pct * 100); // hundredths of a percent
    if (p.base_salary <= 0 || p.public_service_pct < 0 || p.public_service_pct > 100) {
        throw UsageError("the base salary must be positive and the public-service allowance "
                         "between 0 and 100 %");
    }
    const std::int64_t s = times(times(coef, p.base_salary, 1), 10000 + ps, 100LL * 10000);
    b.out.monthly_salary = s;
    const int si_h = half_years(p.si_months);
    const int m = p.months_before_retirement;

    if (p.kind == Departure::early_retirement) {
        return early_retirement_payout(p, b, s, first12);
    }
    // Resignation.
    if (p.decree == Decree::d178) {
        if (m < 24) {
            throw UsageError("Decree 178 resignation needs 2 years or more before the retirement "
                             "age");
        }
        const int n_sev = p.si_months >= 60 ? 60 : p.si_months;
        b.add("severance",
              std::string(first12 ? "0.8" : "0.4") + " x S x " + std::to_string(n_sev) + " months",
              times(s, (first12 ? 8LL : 4LL) * n_sev, 10));
    }
    years_and_job_search(b, s, "S", "by years of social insurance", si_h);
    return b.out;
}

} // namespace amsim::sim
