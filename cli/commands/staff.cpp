// amsim staff SCENARIO: the staff of the old units (estimated from the legal norms) reallocated
// to the new units, each new commune's norm and surplus, national totals; CSV per new unit.

#include "amsim/geo/error.hpp"
#include "amsim/geo/layer_jobs.hpp"
#include "amsim/sim/csv.hpp"
#include "amsim/sim/scenario.hpp"
#include "amsim/sim/staffing.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "../common.hpp"

namespace amsim::cli {

namespace {

namespace fs = std::filesystem;

class StaffCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option("-o,--output", m_output, "CSV with one row per new commune (optional)");
        app.add_option("--table",
                       m_table,
                       "Staffing table per old unit (CSV: code, cadres_civil_servants, "
                       "non_specialised); units it lists are not estimated");
        app.add_option("--capitals",
                       m_capitals,
                       "Old provinces' capital points (CSV: old_province, lon, lat; default "
                       "capitals.csv beside the scenario, as prepare-vn2025 writes it)");
        app.add_option("--district-field",
                       m_district,
                       "Base-layer field with each unit's district (default district)");
        app.add_option("--commune-class",
                       m_params.commune_class,
                       "Decree 33 class of every old commune (1-3; default 2, unconfirmed)");
        app.add_option("--party-block",
                       m_params.party_block,
                       "Party and mass-organisation posts per new commune (default 23)");
        app.add_option(
               "--profile", m_profile, "Reduction profile over 5 years: linear or front-loaded")
            ->check(CLI::IsMember({"linear", "front-loaded"}));
        app.add_option("--retirement-rate",
                       m_roadmap.retirement_rate,
                       "Share of staff retiring each year (default 0.03, unconfirmed)");
        app.footer("Example:\n  amsim staff scenarios/vn-2025 -o data/work/runs/staff-2025.csv");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario s = sim::load_scenario(scenario_file(m_path));
        geo::LayerSpec spec;
        spec.source = resolve_source(s.base.source, global);
        spec.read.layer = s.base.layer;
        spec.read.mapping = s.base.mapping;
        spec.keep_geometry = false;
        const geo::LoadedLayer loaded = geo::load_layer(spec, make_progress(global));
        const sim::ScenarioCheck check = sim::check_scenario(s, sim::old_units(loaded.layer));
        sim::require_consistent(s, check);
        std::size_t unknown_pop = 0;
        sim::StaffingInput in = sim::staffing_input(s, check, loaded, m_district, &unknown_pop);
        if (!m_table.empty()) {
            std::vector<std::string> old_codes;
            for (const geo::Unit& u : loaded.layer.units) {
                old_codes.push_back(u.code);
            }
            (void)sim::apply_staffing_table(m_table, old_codes, in);
        }
        std::vector<std::string> codes;
        for (const auto& [code, rows] : check.members) {
            codes.push_back(code);
        }
        const sim::StaffingResult r = sim::reallocate_staff(in, m_params);
        m_roadmap.profile = m_profile == "front-loaded" ? sim::RoadmapParams::Profile::front_loaded
                                                        : sim::RoadmapParams::Profile::linear;
        const sim::Roadmap road = sim::make_roadmap(r, m_roadmap);

        double staffed = 0, non_specialised = 0, province = 0, below_norm = 0;
        for (const sim::NewUnitStaff& c : r.communes) {
            staffed += c.staffed();
            non_specialised += c.non_specialised_ended;
            below_norm += c.surplus() < 0;
        }
        for (const sim::ProvinceStaff& p : r.provinces) {
            province += p.cadres + p.civil_servants + p.public_employees;
        }
        if (!m_output.empty()) {
            const fs::path tmp = m_output + ".tmp";
            {
                std::ofstream csv(tmp);
                csv << "code,name,province,from_communes,from_districts,staffed,norm,surplus,"
                       "non_specialised_ended,estimated\n";
                for (std::size_t g = 0; g < codes.size(); ++g) {
                    const sim::NewUnitStaff& c = r.communes[g];
                    const std::string& name =
                        s.mapping[check.members.at(codes[g]).front()].new_name;
                    char buf[256];
                    std::snprintf(buf,
                                  sizeof buf,
                                  "%.2f,%.2f,%.2f,%d,%.2f,%.2f,%d",
                                  c.from_communes,
                                  c.from_districts,
                                  c.staffed(),
                                  c.norm,
                                  c.surplus(),
                                  c.non_specialised_ended,
                                  r.estimated ? 1 : 0);
                    csv << codes[g] << ',' << sim::csv_quote(name) << ',' << in.new_province[g]
                        << ',' << buf << '\n';
                }
                if (!csv) {
                    throw InputError(m_output + ": cannot write");
                }
            }
            fs::rename(tmp, m_output);
            // The roadmap: departures per new commune and year.
            const std::string road_path = (fs::path(m_output).parent_path() /
                                           (fs::path(m_output).stem().string() + "-roadmap.csv"))
                                              .string();
            {
                std::ofstream csv(road_path + ".tmp");
                csv << "code,year1,year2,year3,year4,year5,estimated\n";
                for (std::size_t g = 0; g < codes.size(); ++g) {
                    csv << codes[g];
                    for (double d : road.unit_departures[g]) {
                        char buf[32];
                        std::snprintf(buf, sizeof buf, ",%.2f", d);
                        csv << buf;
                    }
                    csv << ",1\n";
                }
                if (!csv) {
                    throw InputError(road_path + ": cannot write");
                }
            }
            fs::rename(road_path + ".tmp", road_path);
        }
        // Provincial officials whose capital moved: the staff of each merged member that is
        // not the capital, and how far the new capital is from theirs.
        std::string caps_path = m_capitals;
        if (caps_path.empty() && fs::exists(fs::path(s.path).parent_path() / "capitals.csv")) {
            caps_path = (fs::path(s.path).parent_path() / "capitals.csv").string();
        }
        struct Move {
            std::string from, to;
            double staff = 0;
            std::optional<double> km;
        };
        std::vector<Move> moves;
        if (!caps_path.empty()) {
            const sim::CsvTable caps = sim::read_csv(caps_path);
            std::map<std::string, std::pair<double, double>> point;
            for (const auto& row : caps.rows) {
                point[row[caps.require("old_province")]] = {std::stod(row[caps.require("lon")]),
                                                            std::stod(row[caps.require("lat")])};
            }
            std::map<std::string, double> staff_of;
            for (const sim::ProvinceStaff& ps : r.old_provinces) {
                staff_of[ps.code] = ps.cadres + ps.civil_servants + ps.public_employees;
            }
            for (const sim::ProvinceMerger& m : s.provinces) {
                for (const std::string& member : m.members) {
                    if (member == m.capital) {
                        continue;
                    }
                    Move mv{member, m.capital, staff_of[member], std::nullopt};
                    if (point.count(member) != 0 && point.count(m.capital) != 0) {
                        // Great-circle distance on a sphere of the WGS 84 mean radius.
                        constexpr double rad = 3.14159265358979323846 / 180;
                        const auto [lon1, lat1] = point[member];
                        const auto [lon2, lat2] = point[m.capital];
                        const double a = std::pow(std::sin((lat2 - lat1) * rad / 2), 2) +
                                         std::cos(lat1 * rad) * std::cos(lat2 * rad) *
                                             std::pow(std::sin((lon2 - lon1) * rad / 2), 2);
                        mv.km = 2 * 6371.0088 * std::asin(std::sqrt(a));
                    }
                    moves.push_back(mv);
                }
            }
        }
        if (global.json) {
            nlohmann::json jm = nlohmann::json::array();
            for (const Move& mv : moves) {
                jm.push_back({{"from", mv.from},
                              {"to", mv.to},
                              {"staff", mv.staff},
                              {"km", mv.km ? nlohmann::json(*mv.km) : nlohmann::json()}});
            }
            nlohmann::json j = {
                {"capital_moves", jm},
                {"estimated", r.estimated},
                {"units_from_table", r.units_from_table},
                {"old_commune_cadres_civil_servants", r.commune_cadres_civil_servants},
                {"old_commune_non_specialised", r.commune_non_specialised},
                {"district_staff", r.district_staff},
                {"new_communes", r.communes.size()},
                {"new_commune_staffed", staffed},
                {"new_commune_norm", r.norm_total},
                {"new_commune_surplus", r.surplus_total},
                {"new_communes_below_norm", below_norm},
                {"non_specialised_posts_ended", non_specialised},
                {"provincial_staff", province},
                {"units_without_population", unknown_pop}};
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        if (r.units_from_table == 0) {
            std::printf(
                "staffing of '%s' (ESTIMATED from the legal norms: no per-unit staffing table)\n",
                s.name.c_str());
        } else {
            std::printf("staffing of '%s': %zu old units from %s, %zu ESTIMATED from the legal "
                        "norms\n",
                        s.name.c_str(),
                        r.units_from_table,
                        m_table.c_str(),
                        in.old_units.size() - r.units_from_table);
        }
        std::printf("  before: %.0f commune cadres and civil servants (Decree 33, class %d), %.0f "
                    "non-specialised workers, %.0f district staff\n",
                    r.commune_cadres_civil_servants,
                    m_params.commune_class,
                    r.commune_non_specialised,
                    r.district_staff);
        std::printf("  after:  %zu new communes staffed with %.0f (%.1f each), norm %.0f (%.1f "
                    "each), surplus %.0f in the units above norm; %zu below norm\n",
                    r.communes.size(),
                    staffed,
                    staffed / static_cast<double>(r.communes.size()),
                    r.norm_total,
                    r.norm_total / static_cast<double>(r.communes.size()),
                    r.surplus_total,
                    static_cast<std::size_t>(below_norm));
        std::printf(
            "          %.0f non-specialised posts end; %.0f provincial staff in %zu provinces\n",
            non_specialised,
            province,
            r.provinces.size());
        std::printf("  5-year roadmap (%s; %.0f%% retire each year; payouts for typical leavers "
                    "under Decree 178):\n",
                    m_profile.c_str(),
                    100 * m_roadmap.retirement_rate);
        std::printf("    %4s %12s %12s %16s %18s %18s\n",
                    "year",
                    "retirements",
                    "paid leavers",
                    "payouts bn VND",
                    "payroll bn VND/yr",
                    "saving bn VND/yr");
        double payouts = 0;
        for (const sim::RoadmapYear& y : road.years) {
            payouts += y.payout_vnd;
            std::printf("    %4d %12.0f %12.0f %16.1f %18.1f %18.1f\n",
                        y.year,
                        y.retirements,
                        y.paid_departures,
                        y.payout_vnd / 1e9,
                        y.payroll_vnd / 1e9,
                        (road.payroll_before_vnd - y.payroll_vnd) / 1e9);
        }
        std::printf("    payouts over 5 years: %.1f bn VND; payroll before: %.1f bn VND/yr\n",
                    payouts / 1e9,
                    road.payroll_before_vnd / 1e9);
        if (!moves.empty()) {
            double moved = 0, weighted = 0, known = 0;
            for (const Move& mv : moves) {
                moved += mv.staff;
                if (mv.km) {
                    weighted += mv.staff * *mv.km;
                    known += mv.staff;
                }
            }
            std::printf(
                "  capital moved for %.0f provincial staff of %zu old provinces (mean distance "
                "%.0f km; capitals from %s, approximate):\n",
                moved,
                moves.size(),
                known > 0 ? weighted / known : 0.0,
                caps_path.c_str());
            for (const Move& mv : moves) {
                std::printf(
                    "    %s -> %s: %.0f staff, %s\n",
                    mv.from.c_str(),
                    mv.to.c_str(),
                    mv.staff,
                    mv.km ? (std::to_string(static_cast<int>(std::lround(*mv.km))) + " km").c_str()
                          : "distance unknown");
            }
        }
        if (unknown_pop > 0) {
            std::printf("  %zu old units without population: counted with base norms only\n",
                        unknown_pop);
        }
        return 0;
    }

private:
    std::string m_path;
    std::string m_output;
    std::string m_district = "district";
    std::string m_table;
    std::string m_capitals;
    sim::StaffingParams m_params;
    sim::RoadmapParams m_roadmap;
    std::string m_profile = "linear";
};

} // namespace

std::unique_ptr<Command> make_staff_command() {
    return std::make_unique<StaffCommand>();
}

} // namespace amsim::cli
