// amsim run SCENARIO -o OUT: builds the new units of a checked scenario, judges them against
// the rules profile and writes one GeoPackage with the units, the mapping and the summaries.

#include "amsim/geo/text.hpp"
#include "amsim/sim/outputs/report.hpp"
#include "amsim/sim/run/pipeline.hpp"
#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/run/summary.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "../common.hpp"

namespace amsim::cli {

namespace {

namespace fs = std::filesystem;

/// The run's figures for --json and the record of runs.
nlohmann::json summary_json(const sim::RunSummary& sum, const sim::Run& r) {
    nlohmann::json j;
    j["scenario"] = r.scenario;
    j["rules_profile"] = r.rules_profile;
    j["output"] = "";
    j["province"] = r.scope;
    j["old_units"] = sum.old_units;
    j["divided_units"] = sum.divided_units;
    j["divided_parts"] = sum.divided_parts;
    j["new_units"] = sum.new_units;
    j["xa"] = sum.xa;
    j["phuong"] = sum.phuong;
    j["dac_khu"] = sum.dac_khu;
    j["old_provinces"] = sum.old_provinces;
    j["new_provinces"] = sum.new_provinces;
    j["communes_below_standard"] = sum.below_standard;
    if (sum.iou) {
        const sim::IouSummary& i = *sum.iou;
        j["iou_official"] = {{"compared", i.compared},
                             {"missing", i.missing},
                             {"p10", i.p10},
                             {"p25", i.p25},
                             {"median", i.median},
                             {"p75", i.p75},
                             {"below_0_5", i.below_0_5},
                             {"below_0_8", i.below_0_8}};
    }
    j["communes_waived"] = sum.waived;
    j["communes_waived_meeting_anyway"] = sum.waived_meeting;
    j["communes_population_unknown"] = sum.population_unknown;
    j["verdicts_changed_by_counting_predecessors"] = sum.verdict_changed_by_counting;
    j["provinces_below_standard"] = sum.provinces_below_standard;
    j["provinces_population_unknown"] = sum.provinces_population_unknown;
    j["split_units"] = sum.split_units;
    j["offices"] = {{"old_offices", sum.offices},
                    {"from_table", sum.offices_from_table},
                    {"kept", sum.offices_kept},
                    {"surplus", sum.offices_surplus},
                    {"seats_by_table", sum.seats_by_table},
                    {"seats_by_mapping", sum.seats_by_mapping},
                    {"seats_by_official_point", sum.seats_by_official_point},
                    {"seats_estimated", sum.seats_estimated},
                    {"units_without_office", sum.units_without_office},
                    {"housing_roster",
                     r.housing_roster ? nlohmann::json{{"units", r.housing_roster->units},
                                                       {"people", r.housing_roster->people},
                                                       {"by_home", r.housing_roster->by_home},
                                                       {"need", r.housing_roster->need}}
                                      : nlohmann::json()},
                    {"housing_km", r.office_params.housing_km},
                    {"housing_staff",
                     sum.housing_staff ? nlohmann::json(*sum.housing_staff) : nlohmann::json()}};
    nlohmann::json provinces = nlohmann::json::array();
    for (const sim::NewProvince& p : r.provinces) {
        provinces.push_back(
            {{"code", p.code},
             {"name", p.name},
             {"old_communes", p.old_communes},
             {"new_communes", p.new_communes()},
             {"xa", p.xa},
             {"phuong", p.phuong},
             {"dac_khu", p.dac_khu},
             {"below_standard", p.below_standard},
             {"offices", p.offices},
             {"offices_surplus", p.offices_surplus},
             {"housing_staff",
              p.housing_staff ? nlohmann::json(*p.housing_staff) : nlohmann::json()},
             {"area_km2", p.judged_area()},
             {"area_km2_polygons", p.area_km2},
             {"population",
              p.judged_population() ? nlohmann::json(*p.judged_population()) : nlohmann::json()},
             {"meets_standard", p.verdict.pass},
             {"why", p.verdict.why}});
    }
    j["provinces"] = provinces;
    return j;
}

/// The offices: how many, where their points come from, how the seats were chosen, the
/// surplus (next to the one published national figure, which counts another level), housing.
void print_offices(const sim::RunSummary& sum, const sim::Run& r) {
    std::printf("  offices: %zu old offices (%zu from the offices table, %zu at their unit's "
                "centroid, estimated); %zu seats (%zu from the table, %zu named by the mapping, "
                "%zu nearest the official seat point, %zu the most populous old unit's, "
                "estimated); %zu kept, %zu surplus\n",
                sum.offices,
                sum.offices_from_table,
                sum.offices - sum.offices_from_table,
                sum.seats_by_table + sum.seats_by_mapping + sum.seats_by_official_point +
                    sum.seats_estimated,
                sum.seats_by_table,
                sum.seats_by_mapping,
                sum.seats_by_official_point,
                sum.seats_estimated,
                sum.offices_kept,
                sum.offices_surplus);
    if (sum.units_without_office > 0) {
        std::printf("    %zu new units inherit no office: each old unit's office goes with its "
                    "largest polygon, and theirs went to neighbours (seat them with the offices "
                    "table)\n",
                    sum.units_without_office);
    }
    if (r.scope.empty() && r.provinces.size() == 34) {
        std::printf("    published: 4,226 surplus of 38,182 provincial-level offices in the 52 "
                    "merging provinces (Government report 2171/TTr-BNV); those are provincial "
                    "agencies' buildings, not the commune offices counted here\n");
    }
    if (sum.housing_staff) {
        std::printf("  housing: %.0f cadres and civil servants of the old communes work more "
                    "than %g km [U] (straight line) from their new seat: the need for official "
                    "housing, estimated (district staff not counted: their offices are not in "
                    "the data)\n",
                    *sum.housing_staff,
                    r.office_params.housing_km);
    }
    if (r.housing_roster) {
        const sim::RosterHousing& h = *r.housing_roster;
        std::printf("    of them, from the roster %s in its %zu units: %zu of the %zu cadres and "
                    "civil servants who stay (%zu by their home, the others by their old "
                    "office)\n",
                    h.path.c_str(),
                    h.units,
                    h.need,
                    h.people,
                    h.by_home);
    }
}

void print_summary(const sim::Scenario& s,
                   const sim::RulesProfile& profile,
                   const std::string& output,
                   const sim::RunSummary& sum,
                   const sim::Run& r) {
    std::printf("scenario '%s'%s under rules '%s' -> %s\n",
                s.name.c_str(),
                r.scope.empty() ? "" : (", province " + r.scope).c_str(),
                profile.name.c_str(),
                output.c_str());
    std::printf("  %zu old units -> %zu new units (%zu xa, %zu phuong, %zu dac_khu); "
                "%zu provinces -> %zu\n",
                sum.old_units,
                sum.new_units,
                sum.xa,
                sum.phuong,
                sum.dac_khu,
                sum.old_provinces,
                sum.new_provinces);
    if (sum.divided_units > 0) {
        std::printf("  %zu old unit(s) divided by the split layer into %zu parts\n",
                    sum.divided_units,
                    sum.divided_parts);
    }
    if (profile.waiver_min_units > 0) {
        std::printf("  %zu new units below standard, %zu waived (%zu or more units merged; %zu "
                    "of them meet the standard anyway), %zu not judged (population unknown)\n",
                    sum.below_standard,
                    sum.waived,
                    profile.waiver_min_units,
                    sum.waived_meeting,
                    sum.population_unknown);
    } else {
        std::printf("  %zu new units below standard (no waiver in these rules), %zu not judged "
                    "(population unknown)\n",
                    sum.below_standard,
                    sum.population_unknown);
    }
    if (sum.verdict_changed_by_counting > 0) {
        std::printf("  the waiver counts legal predecessors: %zu verdict(s) differ from counting "
                    "base units (split parts apart)\n",
                    sum.verdict_changed_by_counting);
    }
    std::printf("  provinces: %zu below standard, %zu not judged (population unknown)\n",
                sum.provinces_below_standard,
                sum.provinces_population_unknown);
    if (sum.iou) {
        const sim::IouSummary& i = *sum.iou;
        std::printf("  against the official polygons (%zu compared, %zu without one): IoU "
                    "p10 %.3f, p25 %.3f, median %.3f, p75 %.3f; %zu below 0.5, %zu below "
                    "0.8\n",
                    i.compared,
                    i.missing,
                    i.p10,
                    i.p25,
                    i.median,
                    i.p75,
                    i.below_0_5,
                    i.below_0_8);
    }
    print_offices(sum, r);
    std::printf("  %-6s %5s %5s %5s %6s %5s %6s  %s\n",
                "code",
                "old",
                "new",
                "xa",
                "phuong",
                "dk",
                "below",
                "province");
    for (const sim::NewProvince& p : r.provinces) {
        std::printf("  %-6s %5zu %5zu %5zu %6zu %5zu %6zu  %s\n",
                    p.code.c_str(),
                    p.old_communes,
                    p.new_communes(),
                    p.xa,
                    p.phuong,
                    p.dac_khu,
                    p.below_standard,
                    p.name.c_str());
    }
}

class RunCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option("-o,--output",
                       m_output,
                       "Output GeoPackage, or a directory to write <scenario name>.gpkg into")
            ->required();
        app.add_flag("--overwrite", m_overwrite, "Replace an existing output");
        app.add_option("--rules",
                       m_rules,
                       "Rules profile instead of the scenario's (a name under data/profiles, "
                       "e.g. vn-2026, or a .toml file)");
        app.add_option("--official",
                       m_official,
                       "Official polygons of the new units to compare with (intersection over "
                       "union per unit, matched by code), e.g. @/raw/thanglequoc-vietnamese-"
                       "provinces-database/vn_communes_2025_full.geojson.gz");
        app.add_option(
            "--official-code", m_official_code, "Code field of --official (default code)");
        app.add_option("--list", m_list, "How many findings to list (default 20)")
            ->check(in_range(0, 1e9));
        app.add_option("--staffing-table",
                       m_staffing.table,
                       "Staffing table for the staffing layers (as amsim staff --table)");
        app.add_option("--report",
                       m_report,
                       "Also write the run's HTML report here (tables, maps, provenance; as "
                       "amsim report)");
        app.add_option("--ages",
                       m_staffing.ages,
                       "Age distribution of the staff for the roadmap (as amsim staff --ages)");
        app.add_option("--offices",
                       m_offices,
                       "The old units' offices (CSV, XLSX or ODS: old_code, lon, lat, and "
                       "optionally role seat|kept|surplus and address); default the scenario's "
                       "[offices] file, else each old unit's centroid (estimated)");
        app.add_option("--roster",
                       m_roster,
                       "A staff roster (as amsim staff --roster; optional columns home_lon, "
                       "home_lat): official housing counted from its people, by home or else "
                       "old office, in the units it covers; only counts are written");
        app.add_option("--housing-km",
                       m_housing_km,
                       "Staff whose old office is farther than this from their new seat need "
                       "official housing (default 20 km, unconfirmed)")
            ->check(in_range(0, 1000));
        add_province_option(app, m_province);
        app.footer("Example:\n  amsim run tests/fixtures/scenarios/four_communes/scenario.toml "
                   "-o data/work/runs --overwrite");
    }

    int run(const GlobalOptions& global) override {
        const sim::Scenario s = open_scenario(m_path, global);
        const sim::RulesProfile profile = command_profile(s, m_rules);
        sim::RunOptions opt;
        opt.output = m_output;
        if (fs::path(m_output).extension() != ".gpkg") {
            // Named after the scenario's folder (a copied folder runs under its own name), and
            // the province; the name is data, never a path: "../../x" stays inside.
            opt.output =
                (fs::path(m_output) /
                 (geo::safe_file_name(
                      run_name(s) +
                      (m_province.empty() ? "" : "-" + sim::province_file_key(s, m_province))) +
                  ".gpkg"))
                    .string();
        }
        opt.province = m_province;
        opt.policy.overwrite = m_overwrite;
        protect_scenario(opt.policy, s, global);
        for (const std::string& in : {profile.path,
                                      m_staffing.table,
                                      m_staffing.ages,
                                      m_staffing.capitals,
                                      m_offices,
                                      m_roster,
                                      s.offices_path}) {
            opt.policy.protect(in);
        }
        opt.source = resolve_source(s.base.source, global);
        opt.progress = make_progress(global);
        opt.staffing = m_staffing;
        opt.roster = m_roster;
        if (!m_offices.empty() || m_housing_km) {
            sim::OfficeParams op = sim::office_params(s);
            op.table = m_offices.empty() ? op.table : m_offices;
            op.housing_km = m_housing_km.value_or(op.housing_km);
            opt.offices = op;
        }
        if (!m_official.empty()) {
            opt.official = resolve_source(m_official, global);
            opt.official_code = m_official_code;
            opt.policy.protect(opt.official);
        }
        // Refusals come before the work, not after it.
        geo::check_output(opt.output, opt.policy);
        if (!m_report.empty()) {
            geo::check_output(m_report, opt.policy);
        }
        sim::RunRecord rec;
        rec.started = sim::utc_now();
        rec.command = "run";
        rec.scenario = fs::absolute(s.path).string();
        rec.scenario_name = s.name;
        rec.rules = profile.name;
        rec.parameters = nlohmann::json{
            {"rules", profile.name},
            {"official", m_official},
            {"official_code", m_official_code},
            {"staffing_table", m_staffing.table},
            {"ages", m_staffing.ages},
            {"offices", m_offices},
            {"roster", m_roster},
            {"housing_km", m_housing_km ? nlohmann::json(*m_housing_km) : nlohmann::json()},
            {"province",
             m_province}}.dump();
        rec.outputs = json_paths({opt.output, m_report});
        RecordedRun recorded(global, rec);
        const sim::RunResult result = sim::run_scenario(s, profile, opt);
        const sim::Run& r = result.run;
        recorded.wrote(result.output);
        const sim::RunSummary sum = sim::summarise(r);
        nlohmann::json j = summary_json(sum, r);
        j["output"] = result.output;
        // The record of runs: inputs with checksums, the summary, timings.
        rec.inputs = result.inputs;
        for (const auto& [role, path] :
             {std::pair<std::string, std::string>{"official", opt.official},
              {"staffing_table", m_staffing.table},
              {"ages", m_staffing.ages}}) {
            if (!path.empty()) {
                rec.inputs.push_back(sim::record_input(role, path));
            }
        }
        nlohmann::json timings = nlohmann::json::object();
        for (const auto& [stage, seconds] : r.timings) {
            timings[stage] = seconds;
            rec.seconds = stage == "run" ? seconds : rec.seconds;
        }
        rec.timings = timings.dump();
        if (!m_report.empty()) {
            sim::ReportOptions ro;
            ro.progress = opt.progress;
            ro.policy = opt.policy;
            const sim::ReportResult rep = sim::write_report(result.output, m_report, ro);
            for (const std::string& f : rep.files) {
                recorded.wrote(f);
            }
            j["report"] = rep.html;
        }
        rec.summary = j.dump();
        recorded.complete(rec);
        if (global.json) {
            j["findings"] = to_json(r.findings, m_list);
            j["findings_total"] = r.findings.size();
            std::cout << j.dump(2) << '\n';
        } else {
            if (!result.province_note.empty()) {
                std::printf("%s\n", result.province_note.c_str());
            }
            print_summary(s, profile, result.output, sum, r);
            print_diagnostics(r.findings, m_list);
        }
        return 0;
    }

private:
    std::string m_province;
    std::string m_path;
    std::string m_output;
    std::string m_rules;
    std::string m_official;
    std::string m_official_code = "code";
    sim::StaffingOptions m_staffing;
    std::string m_report;
    std::string m_offices, m_roster;
    std::optional<double> m_housing_km;
    bool m_overwrite = false;
    std::size_t m_list = 20;
};

} // namespace

std::unique_ptr<Command> make_run_command() {
    return std::make_unique<RunCommand>();
}

} // namespace amsim::cli
