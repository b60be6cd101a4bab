// amsim check SCENARIO: reads a scenario, its mapping and the base layer's units, and
// reports every inconsistency without writing anything.

#include "amsim/geo/ogr_io.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "../common.hpp"

namespace amsim::cli {

namespace {

/// The units the split layer divides and their parts, for a planner to map them.
void print_split(const geo::SplitReport& split, const sim::Base& base) {
    std::printf("%s: %zu unit(s) divided by %s into %zu parts:\n",
                split.where.c_str(),
                split.units,
                split.lines ? "cut lines" : "part polygons",
                split.parts.size());
    for (const geo::SplitPart& p : split.parts) {
        const auto& pop = base.population[p.unit];
        std::printf(
            "  %-14s %5.1f %% of '%s'", p.code.c_str(), 100 * p.area_fraction, p.split_of.c_str());
        if (pop) {
            std::printf(", population %.0f%s",
                        *pop,
                        base.population_by_area[p.unit] ? " (by area: estimate)" : "");
        }
        std::printf("\n");
    }
}

class CheckCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option("--list", m_list, "How many findings to list (default 20)")
            ->check(in_range(0, 1e9));
        app.add_option("--rules",
                       m_rules,
                       "Check against this rules profile instead of the scenario's (a name "
                       "under data/profiles, or a .toml file)");
        app.footer("Example:\n  amsim check tests/fixtures/scenarios/four_communes");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario s = open_scenario(m_path, global);
        // The rules profile is part of the scenario: a profile a run would refuse fails here.
        const sim::RulesProfile profile = command_profile(s, m_rules);
        sim::BaseOptions bo;
        bo.source = resolve_source(s.base.source, global);
        bo.topology = false;
        bo.progress = make_progress(global);
        const sim::Base base = sim::load_base(s.base, bo);
        const std::vector<sim::OldUnit>& units = base.units;
        sim::ScenarioCheck c = sim::check_scenario(s, units);
        if (base.split) {
            c.findings.insert(
                c.findings.begin(), base.split->diagnostics.begin(), base.split->diagnostics.end());
        }
        std::map<std::string, std::size_t> by_type;
        for (const auto& [code, rows] : c.members) {
            ++by_type[sim::to_string(s.mapping[rows.front()].new_type)];
        }
        std::map<std::string, bool> new_provinces;
        for (const auto& [old_code, new_code] : c.new_province_of) {
            new_provinces[new_code] = true;
        }
        if (global.json) {
            nlohmann::json j;
            j["scenario"] = s.name;
            j["rules_profile"] = profile.name;
            j["old_units"] = units.size();
            j["new_units"] = c.members.size();
            j["new_units_by_type"] = by_type;
            j["old_provinces"] = c.new_province_of.size();
            j["new_provinces"] = new_provinces.size();
            j["errors"] = c.errors;
            j["findings"] = to_json(c.findings, m_list);
            j["findings_total"] = c.findings.size();
            if (base.split) {
                nlohmann::json parts = nlohmann::json::array();
                for (const geo::SplitPart& p : base.split->parts) {
                    parts.push_back(
                        {{"code", p.code},
                         {"split_of", p.split_of},
                         {"area_fraction", p.area_fraction},
                         {"population",
                          base.population[p.unit] ? nlohmann::json(*base.population[p.unit])
                                                  : nlohmann::json()},
                         {"population_by_area", base.population_by_area[p.unit]}});
                }
                j["split"] = {{"layer", base.split->where},
                              {"kind", base.split->lines ? "cut lines" : "parts"},
                              {"units", base.split->units},
                              {"parts", parts}};
            }
            std::cout << j.dump(2) << '\n';
        } else {
            const std::size_t parts = base.split ? base.split->parts.size() : 0;
            const std::size_t divided = base.split ? base.split->units : 0;
            std::printf("scenario '%s' (rules '%s'): %zu old units%s -> %zu new units (",
                        s.name.c_str(),
                        profile.name.c_str(),
                        units.size() - parts + divided,
                        parts > 0 ? (" (" + std::to_string(units.size()) +
                                     " with the parts of divided units)")
                                        .c_str()
                                  : "",
                        c.members.size());
            bool first = true;
            for (const auto& [type, n] : by_type) {
                std::printf("%s%zu %s", first ? "" : ", ", n, type.c_str());
                first = false;
            }
            std::printf(
                "); %zu provinces -> %zu\n", c.new_province_of.size(), new_provinces.size());
            if (base.split) {
                print_split(*base.split, base);
            }
            std::printf("%zu error(s), %zu warning(s)\n", c.errors, c.findings.size() - c.errors);
            print_diagnostics(c.findings, m_list);
        }
        return c.errors == 0 ? 0 : 1;
    }

private:
    std::string m_path;
    std::string m_rules;
    std::size_t m_list = 20;
};

} // namespace

std::unique_ptr<Command> make_check_command() {
    return std::make_unique<CheckCommand>();
}

} // namespace amsim::cli
