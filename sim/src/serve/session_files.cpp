// The editing session's files: comparing with another plan, saving the mapping, exporting
// the run and its report.

#include "amsim/geo/input_file.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/outputs/map.hpp"
#include "amsim/sim/outputs/report.hpp"
#include "amsim/sim/plans/compare.hpp"
#include "amsim/sim/run/pipeline.hpp"
#include "amsim/sim/serve/session.hpp"

#include <unistd.h>

#include <filesystem>

#include "session_state.hpp"

namespace amsim::sim {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

/// "dir/mapping.csv" -> "dir/mapping.<tag>.csv".
std::string beside(const std::string& path, const std::string& tag) {
    const fs::path p(path);
    return (p.parent_path() / (p.stem().string() + "." + tag + p.extension().string())).string();
}

/// The scenario's TOML with `[figures] mapping = "<file>"` added: the figures go on
/// describing the plan they were published for once the mapping is saved over.
std::string with_figures_mapping(const std::string& toml, const std::string& file) {
    const std::string line = "mapping = \"" + file + "\"\n";
    std::size_t at = 0;
    while (at < toml.size()) {
        const std::size_t end = toml.find('\n', at);
        const std::string text = toml.substr(at, end == std::string::npos ? end : end - at);
        if (text.find_first_not_of(" \t") != std::string::npos &&
            text.substr(text.find_first_not_of(" \t")).starts_with("[figures]")) {
            const std::size_t after = end == std::string::npos ? toml.size() : end + 1;
            return toml.substr(0, after) + (end == std::string::npos ? "\n" : "") + line +
                   toml.substr(after);
        }
        at = end == std::string::npos ? toml.size() : end + 1;
    }
    return toml + (toml.empty() || toml.back() == '\n' ? "" : "\n") + "\n[figures]\n" + line;
}

} // namespace

json EditSession::compare(const json& request) const {
    const Impl& s = *m;
    const std::string& province = s.require_province(request);
    const auto with = request.find("with");
    const std::string other_name =
        with != request.end() && with->is_string() ? with->get<std::string>() : "loaded";
    if (other_name != "loaded" && other_name != "saved") {
        throw EditError(400, "'with' must be loaded (the plan as opened) or saved (as last saved)");
    }
    const std::vector<MappingRow>& other = other_name == "loaded" ? s.loaded : s.saved_rows;
    const std::vector<std::uint32_t>& mine = s.units_of_province.at(province);
    // Group labels of both plans over the province's units, and each unit's partners.
    std::map<std::string, std::uint32_t> label_a, label_b;
    std::vector<std::uint32_t> a, b;
    std::vector<std::string> other_code;
    for (const std::uint32_t u : mine) {
        const std::string& now = new_code_of(s, u);
        const std::string& then = other[s.units[u].rows.front()].new_code;
        a.push_back(label_a.emplace(now, label_a.size()).first->second);
        b.push_back(label_b.emplace(then, label_b.size()).first->second);
        other_code.push_back(then);
    }
    std::map<std::uint32_t, std::vector<std::uint32_t>> in_a, in_b;
    for (std::size_t i = 0; i < mine.size(); ++i) {
        in_a[a[i]].push_back(static_cast<std::uint32_t>(i));
        in_b[b[i]].push_back(static_cast<std::uint32_t>(i));
    }
    json differs = json::array();
    std::size_t changed = 0;
    for (std::size_t i = 0; i < mine.size(); ++i) {
        const bool d = in_a[a[i]] != in_b[b[i]];
        differs.push_back(d);
        changed += d ? 1 : 0;
    }
    return {{"with", other_name},
            {"differs", std::move(differs)},
            {"other", std::move(other_code)},
            {"units_differing", changed},
            {"new_units", label_a.size()},
            {"other_new_units", label_b.size()},
            {"adjusted_rand_index", adjusted_rand_index(a, b)}};
}

json EditSession::save(const json& request) {
    Impl& s = *m;
    s.require_version(request);
    const ScenarioCheck full = check_scenario(s.scenario, s.base.units);
    if (full.errors > 0) {
        std::string what;
        for (const geo::Diagnostic& d : full.findings) {
            if (d.severity == geo::Severity::error) {
                what += (what.empty() ? "" : "; ") + d.message;
            }
        }
        throw EditError(422, "the plan does not pass amsim check, not saved: " + what);
    }
    if (sha256_file(s.save_path) != s.save_sha256) {
        throw EditError(409,
                        s.save_path +
                            " changed on disk since it was read (another program or session "
                            "saved it): not saved; restart amsim serve to edit the file as it is");
    }
    const std::string started = utc_now();
    std::vector<MappingRow> rows;
    if (s.scenario.overrides_path.empty()) {
        rows = s.scenario.mapping;
    } else {
        for (const MappingRow& row : s.scenario.mapping) {
            const std::uint32_t u = s.base.unit(row.old_code);
            if (s.override_units.contains(row.old_code) ||
                s.edited_provinces.contains(s.units[u].province)) {
                rows.push_back(row);
            }
        }
    }
    geo::OutputPolicy replace;
    replace.overwrite = true;
    const std::string previous = beside(s.save_path, "previous");
    const std::string current = geo::read_file(s.save_path);
    geo::write_file(previous, current, replace);
    const bool figures =
        !s.scenario.commune_figures_path.empty() || !s.scenario.regions_path.empty();
    std::string figures_file;
    if (figures && s.scenario.figures_mapping_path.empty() && s.scenario.overrides_path.empty()) {
        // The first save over the mapping the figures describe: that mapping is kept under
        // another name and the scenario says so (both, or neither).
        figures_file = beside(s.save_path, "figures");
        geo::OutputSet set(replace);
        set.add(figures_file, current);
        set.add(s.scenario.path,
                with_figures_mapping(geo::read_file(s.scenario.path),
                                     fs::path(figures_file).filename().string()));
        set.commit();
        s.scenario.figures_mapping_path = figures_file;
    }
    geo::fault_point("serve-save");
    // Saved as it was read: a CSV from Excel stays UTF-16 or UTF-8 with a byte-order mark, with
    // its separator, so that Excel opens it again with its Vietnamese intact.
    geo::write_file(s.save_path, mapping_bytes(rows, s.save_path, csv_style_of(current)), replace);
    s.save_sha256 = sha256_file(s.save_path);
    s.saved_version = s.version;
    s.saved_rows = s.scenario.mapping;
    json provinces = s.edited_provinces;
    if (!s.options.runs_db.empty()) {
        RunRecord rec;
        rec.started = started;
        rec.finished = utc_now();
        rec.command = "serve save";
        rec.scenario = s.scenario.path;
        rec.scenario_name = s.scenario.name;
        rec.rules = s.options.profile.name;
        rec.version = amsim_version();
        rec.parameters = json{{"provinces_edited", provinces}, {"edits", s.undo.size()}}.dump();
        rec.summary = json{{"rows", rows.size()}, {"session_version", s.version}}.dump();
        rec.outputs = json::array({s.save_path, previous}).dump();
        rec.inputs = {record_input("scenario", s.scenario.path),
                      record_input("mapping", s.save_path)};
        rec.pid = static_cast<std::int64_t>(::getpid());
        RunStore(s.options.runs_db).add(rec);
    }
    return {{"saved", s.save_path},
            {"previous", previous},
            {"figures_mapping", figures_file},
            {"rows", rows.size()},
            {"version", s.version},
            {"unsaved", false}};
}

json EditSession::export_run(const json& request) {
    Impl& s = *m;
    s.require_version(request);
    const std::string& province = s.require_province(request);
    if (s.version != s.saved_version) {
        throw EditError(409,
                        "save the plan first: an export is the saved scenario's run, as amsim "
                        "run makes it");
    }
    const fs::path dir = s.options.exports_dir.empty()
                             ? fs::path(s.scenario.path).parent_path() / "exports"
                             : fs::path(s.options.exports_dir);
    const std::string name =
        geo::safe_file_name(s.scenario.name + "-" + province + "-v" + std::to_string(s.version));
    RunOptions ro;
    ro.output = (dir / (name + ".gpkg")).string();
    ro.source = s.options.source;
    ro.province = province;
    ro.policy.protect(s.scenario.path);
    ro.policy.protect(s.save_path);
    ro.policy.protect(s.options.source);
    const std::string html = (dir / (name + ".html")).string();
    // The maps as `amsim map --province` draws them: the new units, and their verdicts.
    const std::pair<MapMetric, std::string> maps[] = {
        {MapMetric::new_unit, (dir / (name + "-map.png")).string()},
        {MapMetric::verdict, (dir / (name + "-verdict.png")).string()}};
    try {
        for (const std::string& path : {ro.output, html, maps[0].second, maps[1].second}) {
            geo::check_output(path, ro.policy);
        }
    } catch (const InputError& e) {
        throw EditError(409, e.what());
    }
    const RunResult result = run_scenario(s.scenario, s.options.profile, ro);
    ReportOptions report;
    report.province = province;
    report.policy = ro.policy;
    const ReportResult written = write_report(result.output, html, report);
    json files = written.files;
    const MapData data = read_map_data(result.output);
    for (const auto& [metric, path] : maps) {
        MapOptions mo;
        mo.metric = metric;
        mo.province = province;
        write_map(data, mo, path, ro.policy);
        files.push_back(path);
    }
    return {{"run", result.output},
            {"report", written.html},
            {"maps", {maps[0].second, maps[1].second}},
            {"files", std::move(files)}};
}

} // namespace amsim::sim
