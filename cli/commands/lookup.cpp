// amsim lookup SCENARIO: which new unit an old address now belongs to, one at a time or a
// whole register (a table in, the same rows out with the new unit's columns).

#include "amsim/sim/run/lookup.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cstdio>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class LookupCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option("--code", m_query.code, "The old unit's code");
        app.add_option("--commune",
                       m_query.commune,
                       "The old commune's name, however typed ('Xa Tan Lap', 'Phường 5')");
        app.add_option("--district", m_query.district, "Its district (name or code)");
        app.add_option("--province", m_query.province, "Its province (old or new; name or code)");
        app.add_option(
            "--point", m_point, "A point 'LON,LAT' (in the base layer's CRS, WGS 84 for vn-2025)");
        app.add_option("--table",
                       m_table,
                       "A register to look up row by row (CSV, .xlsx or .ods; columns code, "
                       "commune, district, province, or lon and lat: English or Vietnamese)");
        app.add_option("-o,--output",
                       m_output,
                       "With --table: the register with the new unit's columns (.csv, .xlsx, "
                       ".ods)");
        app.add_flag("--overwrite", m_overwrite, "Replace an existing output");
        app.footer(
            "Examples:\n"
            "  amsim lookup scenarios/vn-2025 --commune 'Xa Ta Danh' --province 'An Giang'\n"
            "  amsim lookup scenarios/vn-2025 --code 30292\n"
            "  amsim lookup scenarios/vn-2025 --point 105.08,10.40\n"
            "  amsim lookup scenarios/vn-2025 --table so-ho-khau.xlsx -o so-ho-khau-moi.xlsx");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario s = open_scenario(m_path, global);
        geo::OutputPolicy policy;
        policy.overwrite = m_overwrite;
        protect_scenario(policy, s, global);
        policy.protect(m_table);
        if (!m_table.empty() && m_output.empty()) {
            throw UsageError("--table needs -o: where to write the register with its new units");
        }
        if (!m_output.empty()) {
            geo::check_output(m_output, policy);
        }
        if (!m_point.empty()) {
            const auto comma = m_point.find(',');
            const auto lon = geo::parse_number(m_point.substr(0, comma));
            const auto lat = comma == std::string::npos
                                 ? std::nullopt
                                 : geo::parse_number(m_point.substr(comma + 1));
            if (!lon || !lat) {
                throw UsageError("--point '" + m_point + "': give LON,LAT, e.g. 105.08,10.40");
            }
            m_query.lon = lon;
            m_query.lat = lat;
        }
        sim::BaseOptions bo;
        bo.source = resolve_source(s.base.source, global);
        bo.topology = false; // codes, names and polygons are enough
        bo.progress = make_progress(global);
        const sim::Base base = sim::load_base(s.base, bo);
        const sim::ScenarioCheck check = sim::require_checked(s, base);
        const sim::Lookup lookup(s, check, base);
        if (!m_table.empty()) {
            const sim::CsvTable table = sim::read_table(m_table);
            std::map<std::string, std::size_t> counts;
            const auto fields = sim::lookup_table(lookup, table, counts);
            sim::write_table(m_output, fields, policy);
            if (global.json) {
                std::cout << nlohmann::json{{"rows", table.rows.size()},
                                            {"counts", counts},
                                            {"output", m_output}}
                                 .dump(2)
                          << '\n';
            } else {
                std::printf(
                    "%zu rows of %s -> %s:", table.rows.size(), m_table.c_str(), m_output.c_str());
                for (const auto& [status, n] : counts) {
                    std::printf(" %zu %s", n, status.c_str());
                }
                std::printf("\n");
            }
            return counts.contains("found") && counts.size() == 1 ? 0 : 1;
        }
        const sim::LookupAnswer a = lookup.find(m_query);
        if (global.json) {
            nlohmann::json to = nlohmann::json::array();
            for (const sim::Destination& d : a.to) {
                to.push_back({{"code", d.code},
                              {"name", d.name},
                              {"type", d.type},
                              {"province", d.province},
                              {"province_name", d.province_name},
                              {"share", d.share}});
            }
            std::cout << nlohmann::json{{"status", sim::to_string(a.status)},
                                        {"match", a.how},
                                        {"old_code", a.old_code},
                                        {"old_name", a.old_name},
                                        {"old_district", a.old_district},
                                        {"old_province", a.old_province},
                                        {"new", to},
                                        {"note", a.note}}
                             .dump(2)
                      << '\n';
        } else if (a.status != sim::LookupAnswer::Status::found) {
            std::printf("%s: %s\n", sim::to_string(a.status), a.note.c_str());
        } else {
            std::printf("%s%s%s%s%s (by %s) is now in:\n",
                        a.old_name.empty() ? a.old_code.c_str() : a.old_name.c_str(),
                        a.old_district.empty() ? "" : ", ",
                        a.old_district.c_str(),
                        a.old_province.empty() ? "" : ", ",
                        a.old_province.c_str(),
                        a.how.c_str());
            for (const sim::Destination& d : a.to) {
                std::printf("  %s %s, %s (%s)",
                            d.code.c_str(),
                            d.name.c_str(),
                            d.province_name.c_str(),
                            d.province.c_str());
                if (a.to.size() > 1 && d.share > 0) {
                    std::printf(": %.0f %% of it", 100 * d.share);
                }
                std::printf("\n");
            }
            if (!a.note.empty()) {
                std::printf("  (%s)\n", a.note.c_str());
            }
        }
        return a.status == sim::LookupAnswer::Status::found ? 0 : 1;
    }

private:
    std::string m_path;
    sim::LookupQuery m_query;
    std::string m_point;
    std::string m_table;
    std::string m_output;
    bool m_overwrite = false;
};

} // namespace

std::unique_ptr<Command> make_lookup_command() {
    return std::make_unique<LookupCommand>();
}

} // namespace amsim::cli
