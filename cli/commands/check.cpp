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
        const sim::Scenario s = sim::load_scenario(scenario_file(m_path));
        // The rules profile is part of the scenario: a profile a run would refuse fails here.
        const sim::RulesProfile profile = command_profile(s, m_rules);
        sim::BaseOptions bo;
        bo.source = resolve_source(s.base.source, global);
        bo.topology = false;
        bo.progress = make_progress(global);
        const sim::Base base = sim::load_base(s.base, bo);
        const std::vector<sim::OldUnit>& units = base.units;
        const sim::ScenarioCheck c = sim::check_scenario(s, units);
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
            std::cout << j.dump(2) << '\n';
        } else {
            std::printf("scenario '%s' (rules '%s'): %zu old units -> %zu new units (",
                        s.name.c_str(),
                        profile.name.c_str(),
                        units.size(),
                        c.members.size());
            bool first = true;
            for (const auto& [type, n] : by_type) {
                std::printf("%s%zu %s", first ? "" : ", ", n, type.c_str());
                first = false;
            }
            std::printf(
                "); %zu provinces -> %zu\n", c.new_province_of.size(), new_provinces.size());
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
