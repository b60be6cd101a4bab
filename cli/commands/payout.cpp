// amsim payout: one person's payout on leaving, component by component (the calculator a
// personnel officer needs; the same code the staffing roadmap uses).

#include "amsim/sim/staffing/payout.hpp"

#include "amsim/core/error.hpp"

#include <cstdio>
#include <iostream>
#include <map>

#include "../common.hpp"

namespace amsim::cli {

namespace {

std::string money(std::int64_t v) {
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
        s.insert(static_cast<std::size_t>(i), ",");
    }
    return s;
}

class PayoutCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("--decree", m_decree, "178 (Decree 178/2024 as amended by 67/2025) or 154")
            ->check(CLI::IsMember({"178", "154"}));
        app.add_option("--kind", m_kind, "early-retirement, resignation or non-specialised")
            ->required()
            ->check(CLI::IsMember({"early-retirement", "resignation", "non-specialised"}));
        // Ranges: the salary scales and allowances (Decree 204/2004), a working life.
        app.add_option("--coefficient", m_p.salary_coefficient, "Salary coefficient (e.g. 4.65)")
            ->check(in_range(0, 15));
        app.add_option(
               "--leadership", m_p.leadership_coefficient, "Leadership allowance coefficient")
            ->check(in_range(0, 5));
        app.add_option("--other", m_p.other_coefficient, "Other allowances in S, as a coefficient")
            ->check(in_range(0, 15));
        app.add_option("--public-service-pct",
                       m_p.public_service_pct,
                       "Public-service allowance, % (default 25)")
            ->check(in_range(0, 100));
        app.add_option(
               "--base-salary", m_p.base_salary, "Base salary, VND/month (default 2,340,000)")
            ->check(in_range(1, 1e9));
        app.add_option("--si-years", m_si_years, "Years of compulsory social insurance")
            ->check(in_range(0, 60));
        app.add_option("--si-months", m_si_months, "... plus months")->check(in_range(0, 11));
        app.add_option("--months-early",
                       m_p.months_before_retirement,
                       "Months from leaving to the statutory retirement age")
            ->check(in_range(0, 600));
        app.add_option("--months-since-decision",
                       m_p.months_since_decision,
                       "Month of leaving counted from the arrangement decision (1 = the first; "
                       "from 13 some factors halve)")
            ->check(in_range(1, 600));
        app.add_option(
               "--allowance", m_p.monthly_allowance, "Non-specialised workers: A, VND/month")
            ->check(in_range(0, 1e9));
        app.add_option(
               "--months-worked", m_p.months_worked, "Non-specialised workers: months worked")
            ->check(in_range(0, 720));
        app.footer("Example (the Ministry's worked example, Official Letter 1814):\n"
                   "  amsim payout --decree 178 --kind early-retirement --coefficient 4.65 "
                   "--leadership 0.6 --si-years 22 --months-early 30");
    }

    int run(const GlobalOptions& global) override {
        m_p.decree = m_decree == "154" ? sim::Decree::d154 : sim::Decree::d178;
        m_p.kind = m_kind == "resignation"       ? sim::Departure::resignation
                   : m_kind == "non-specialised" ? sim::Departure::non_specialised
                                                 : sim::Departure::early_retirement;
        m_p.si_months = 12 * m_si_years + m_si_months;
        const sim::Payout r = sim::compute_payout(m_p);
        if (global.json) {
            nlohmann::json comps = nlohmann::json::array();
            for (const auto& c : r.components) {
                comps.push_back(
                    {{"name", c.name}, {"formula", c.formula}, {"amount_vnd", c.amount}});
            }
            nlohmann::json j = {{"decree", m_decree},
                                {"kind", m_kind},
                                {"monthly_salary_vnd", r.monthly_salary},
                                {"components", comps},
                                {"total_vnd", r.total},
                                {"unconfirmed", r.unconfirmed},
                                {"notes", r.notes}};
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        std::printf("Decree %s, %s: %s = %s VND/month\n",
                    m_decree.c_str(),
                    m_kind.c_str(),
                    m_p.kind == sim::Departure::non_specialised ? "A" : "S",
                    money(r.monthly_salary).c_str());
        for (const auto& c : r.components) {
            std::printf(
                "  %-30s %-52s %16s\n", c.name.c_str(), c.formula.c_str(), money(c.amount).c_str());
        }
        std::printf("  %-83s %16s VND\n", "total", money(r.total).c_str());
        for (const std::string& n : r.notes) {
            std::printf("  note: %s\n", n.c_str());
        }
        return 0;
    }

private:
    sim::PayoutPerson m_p;
    std::string m_decree = "178";
    std::string m_kind;
    int m_si_years = 0;
    int m_si_months = 0;
};

} // namespace

std::unique_ptr<Command> make_payout_command() {
    return std::make_unique<PayoutCommand>();
}

} // namespace amsim::cli
