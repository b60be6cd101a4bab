#include "amsim/sim/outputs/report.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/map.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/lookup.hpp"
#include "amsim/sim/run/run_file.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>

namespace amsim::sim {

namespace {

namespace fs = std::filesystem;

struct Table {
    std::string id, title, note, nav;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

std::string escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

/// Whether a cell is a number to show as one (not a code with leading zeros).
bool numeric(const std::string& v) {
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    return !v.empty() && end == v.c_str() + v.size() && std::isfinite(d) && v.size() <= 20 &&
           !(v.size() > 1 && v[0] == '0' && v[1] != '.');
}

/// A cell for reading: numbers with thousands separators and at most 2 decimals.
std::string display(const std::string& v) {
    if (!numeric(v)) {
        return v;
    }
    const double d = std::strtod(v.c_str(), nullptr);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", d == std::floor(d) ? 0 : 2, d);
    std::string s = buf;
    const std::size_t dot = s.find('.');
    std::size_t end_int = dot == std::string::npos ? s.size() : dot;
    const std::size_t start = s[0] == '-' ? 1 : 0;
    for (std::size_t i = end_int; i > start + 3; i -= 3) {
        s.insert(i - 3, ",");
    }
    return s;
}

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

void html_table(std::ostream& h, const Table& t) {
    h << "<section id=\"" << t.id << "\"><h2>" << escape(t.title) << "</h2>\n";
    if (!t.note.empty()) {
        h << "<p class=\"note\">" << escape(t.note) << "</p>\n";
    }
    h << "<table data-rows=\"" << t.rows.size() << "\"><thead><tr>";
    for (const std::string& c : t.header) {
        h << "<th>" << escape(c) << "</th>";
    }
    h << "</tr></thead><tbody>\n";
    for (const auto& row : t.rows) {
        h << "<tr>";
        for (const std::string& v : row) {
            h << (numeric(v) ? "<td class=\"n\">" : "<td>") << escape(display(v)) << "</td>";
        }
        h << "</tr>\n";
    }
    h << "</tbody></table></section>\n";
}

constexpr const char* style = R"(
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 2em; }
p.note { color: #555; font-size: 0.9em; }
p.estimated { background: #fff3cd; padding: 0.5em; border: 1px solid #e0c36a; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
th { background: #eee; text-align: left; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure img { width: 100%; max-width: 800px; border: 1px solid #ccc; }
nav a { margin-right: 1em; }
@media print { h2 { page-break-before: always; } figure img { max-width: 100%; } }
)";

/// Marks the page once loaded: how many maps decoded and tables rendered, and any script
/// error, so that a browser test (and a reader's console) can tell a broken report.
constexpr const char* check_script = R"(
window.addEventListener('error', e => { document.body.dataset.errors = (document.body.dataset.errors || '') + e.message + ';'; });
window.addEventListener('load', () => {
  const imgs = [...document.querySelectorAll('figure img')];
  document.body.dataset.maps = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  document.body.dataset.mapsExpected = imgs.length;
  document.body.dataset.tables = document.querySelectorAll('table').length;
  document.body.dataset.ready = 'yes';
});
)";

} // namespace

void require_run(const std::string& run_gpkg) {
    (void)RunFile(run_gpkg);
}

namespace {

/// A run's table as text cells, rows kept where `keep` says so, cells of the columns named
/// in `rounded` rounded to integers (for counts of people estimated with fractions).
Table text_table(const RunTable& in,
                 const std::function<bool(const std::vector<geo::AttributeValue>&)>& keep = {},
                 const std::vector<std::size_t>& rounded = {}) {
    Table t;
    t.header = in.header;
    for (std::vector<geo::AttributeValue> row : in.rows) {
        if (keep && !keep(row)) {
            continue;
        }
        for (std::size_t i : rounded) {
            if (const auto v = geo::to_number(row[i])) {
                row[i] = std::round(*v);
            }
        }
        std::vector<std::string> cells;
        cells.reserve(row.size());
        for (const geo::AttributeValue& v : row) {
            cells.push_back(cell_text(v));
        }
        t.rows.push_back(std::move(cells));
    }
    return t;
}

/// Rows sorted by the text of some columns, then by the number of others.
void sort_rows(Table& t, std::size_t first_key, std::optional<std::size_t> second_key = {}) {
    std::stable_sort(t.rows.begin(), t.rows.end(), [&](const auto& a, const auto& b) {
        if (a[first_key] != b[first_key]) {
            return a[first_key] < b[first_key];
        }
        return second_key ? a[*second_key] < b[*second_key] : false;
    });
}

/// The province a report covers: empty code = the nation.
struct Scope {
    std::string code, name, how;
    bool whole_run = false; ///< the run is of this province alone (amsim run --province)
    [[nodiscard]] bool nation() const { return code.empty(); }
    [[nodiscard]] bool keeps(const geo::AttributeValue& v) const {
        return nation() || cell_text(v) == code;
    }
};

/// The new province `key` names in the run's provinces table: its code, its name however
/// typed, or the code of an old province among its members.
Scope find_scope(const RunFile& run, const std::string& key) {
    Scope s;
    if (key.empty()) {
        return s;
    }
    const RunTable t = run.read(RunTableId::provinces, {"code", "name", "members"});
    std::string list;
    for (const auto& row : t.rows) {
        const std::string code = cell_text(row[0]), name = cell_text(row[1]);
        list += (list.empty() ? "" : ", ") + code + " " + name;
        if (code == key || place_key(name) == place_key(key)) {
            return {code, name, "", t.rows.size() == 1};
        }
    }
    for (const auto& row : t.rows) {
        std::stringstream members(cell_text(row[2]));
        for (std::string m; std::getline(members, m, ';');) {
            if (m == key) {
                const std::string code = cell_text(row[0]), name = cell_text(row[1]);
                return {code,
                        name,
                        "old province " + key + " is now part of " + name + " (" + code + ")",
                        t.rows.size() == 1};
            }
        }
    }
    throw UsageError("--province '" + key +
                     "': no province of the run has this code or name, nor was an old province "
                     "with this code merged into one (the run's provinces: " +
                     list + ")");
}

/// The staffing per province and the 5-year roadmap, people rounded to whole persons.
std::vector<Table> staffing_tables(const RunFile& run, const Scope& scope) {
    Table staffing = text_table(run.read(RunTableId::staffing_provinces,
                                         {"province",
                                          "commune_staffed",
                                          "commune_norm",
                                          "commune_surplus",
                                          "departures_5y",
                                          "payout_5y_vnd",
                                          "payroll_before_vnd",
                                          "payroll_after_vnd",
                                          "capital_moved_staff",
                                          "capital_moved_mean_km"}),
                                [&](const auto& row) { return scope.keeps(row[0]); },
                                {1, 3, 4, 8, 9});
    sort_rows(staffing, 0);
    staffing.id = "staffing";
    staffing.title = scope.nation() ? "Staffing, payroll and payouts per province (ESTIMATED)"
                                    : "Staffing, payroll and payouts (ESTIMATED)";
    staffing.nav = "Staffing";
    staffing.note = "Commune level after the merger; money in VND; estimated from the legal norms "
                    "unless a staffing table was given (see the assumptions below).";
    Table roadmap = text_table(run.read(RunTableId::staffing_roadmap,
                                        {"year",
                                         "staff_start",
                                         "retirements",
                                         "paid_departures",
                                         "early_retirements",
                                         "payout_vnd",
                                         "payroll_vnd",
                                         "payroll_saving_vnd",
                                         "estimated"}),
                               {},
                               {1, 2, 3, 4});
    std::stable_sort(roadmap.rows.begin(), roadmap.rows.end(), [](const auto& a, const auto& b) {
        return std::strtod(a[0].c_str(), nullptr) < std::strtod(b[0].c_str(), nullptr);
    });
    roadmap.id = "roadmap";
    roadmap.title = scope.nation() ? "The 5-year reduction, over the run's units (ESTIMATED)"
                                   : "The 5-year reduction in " + scope.name + " (ESTIMATED)";
    roadmap.nav = "Roadmap";
    std::vector<Table> out;
    out.push_back(std::move(staffing));
    if (scope.nation() || scope.whole_run) {
        out.push_back(std::move(roadmap));
    } else {
        // The run's roadmap is the nation's; a province's comes from a run of that province.
        roadmap.title = "The 5-year reduction";
        roadmap.header = {"note"};
        roadmap.rows = {{"This run's roadmap covers the whole country. `amsim run SCENARIO "
                         "--province " +
                         scope.code + "` writes one for " + scope.name + " alone."}};
        out.push_back(std::move(roadmap));
    }
    return out;
}

/// The columns of the provinces table a report shows, each figure with its source.
const std::vector<std::string> province_columns = {"code",
                                                   "name",
                                                   "type",
                                                   "members",
                                                   "old_communes",
                                                   "new_communes",
                                                   "xa",
                                                   "phuong",
                                                   "dac_khu",
                                                   "reduction_pct",
                                                   "communes_below_standard",
                                                   "area_km2",
                                                   "area_source",
                                                   "area_km2_polygons",
                                                   "population",
                                                   "population_source",
                                                   "area_pct_of_standard",
                                                   "population_pct_of_standard",
                                                   "meets_standard",
                                                   "why"};

/// The report's tables, read from the run.
std::vector<Table> report_tables(const RunFile& run, std::size_t list, const Scope& scope) {
    std::vector<Table> tables;
    std::map<std::string, std::string> prov = run.provenance();
    // The nation's summary, or the province's row, as rows of (figure, value).
    const Table summary = scope.nation()
                              ? text_table(run.read(RunTableId::national_summary))
                              : text_table(run.read(RunTableId::provinces, province_columns),
                                           [&](const auto& row) { return scope.keeps(row[0]); });
    Table s{"summary",
            scope.nation() ? "Before and after: the nation" : "Before and after: " + scope.name,
            "",
            scope.nation() ? "Nation" : "Province",
            {"figure", "value"},
            {}};
    for (std::size_t i = 0; i < summary.header.size(); ++i) {
        if (summary.header[i] == "fid") {
            continue;
        }
        s.rows.push_back({summary.header[i], summary.rows.empty() ? "" : summary.rows[0][i]});
    }
    tables.push_back(std::move(s));
    auto add = [&](Table t, const char* id, std::string title, const char* nav, std::string note) {
        t.id = id;
        t.title = std::move(title);
        t.nav = nav;
        t.note = std::move(note);
        tables.push_back(std::move(t));
    };
    Table provinces = text_table(run.read(RunTableId::provinces, province_columns),
                                 [&](const auto& row) { return scope.keeps(row[0]); });
    sort_rows(provinces, 0);
    add(std::move(provinces), "provinces", "Before and after: per province", "Provinces", "");
    // The communes below standard: evaluated and not meeting it (the last two columns read).
    Table below = text_table(run.read(RunTableId::communes,
                                      {"code",
                                       "name",
                                       "type",
                                       "province_code",
                                       "predecessors",
                                       "area_km2",
                                       "population",
                                       "area_pct_of_standard",
                                       "population_pct_of_standard",
                                       "why",
                                       "evaluated",
                                       "meets_standard"}),
                             [&](const auto& row) {
                                 return scope.keeps(row[3]) &&
                                        geo::to_number(row[10]).value_or(0) == 1 &&
                                        geo::to_number(row[11]).value_or(1) == 0;
                             });
    below.header.resize(10);
    for (auto& row : below.rows) {
        row.resize(10);
    }
    sort_rows(below, 3, 0);
    if (below.rows.size() > list) {
        below.rows.resize(list);
    }
    add(std::move(below),
        "below",
        "Units below standard, and why",
        "Below standard",
        "At most " + std::to_string(list) +
            " listed; all are in the run's communes layer (evaluated = 1, "
            "meets_standard = 0).");
    for (Table& t : staffing_tables(run, scope)) {
        tables.push_back(std::move(t));
    }
    add(text_table(run.read(RunTableId::staffing_assumptions)),
        "assumptions",
        "What the staffing figures rest on",
        "Assumptions",
        "unconfirmed = 1: the value is not confirmed by the sources "
        "(../shared/domain/RULES.md [U]); a parameter, not a fact.");
    add(text_table(run.read(RunTableId::rules_profile)),
        "rules",
        "The standards applied (rules profile " + prov["rules_profile"] + ")",
        "Standards",
        "");
    Table provenance = text_table(run.read(RunTableId::provenance, {"key", "value"}));
    provenance.id = "provenance";
    provenance.title = provenance.nav = "Provenance";
    tables.push_back(std::move(provenance));
    return tables;
}

} // namespace

ReportResult write_report(const std::string& run_gpkg,
                          const std::string& html_path,
                          const ReportOptions& options) {
    const RunFile run(run_gpkg);
    std::map<std::string, std::string> prov = run.provenance();
    const Scope scope = find_scope(run, options.province);
    const std::vector<Table> tables = report_tables(run, options.list, scope);

    // The tables as CSV, and the maps as PNG, beside the report: one output with it, none of
    // them in place before all are written.
    geo::OutputPolicy policy = options.policy;
    policy.protect(run_gpkg);
    if (!options.base.empty()) {
        policy.protect(options.base);
    }
    geo::OutputSet files(policy);
    const fs::path html(html_path);
    const fs::path dir = html.parent_path() / (html.stem().string() + "-tables");
    ReportResult out;
    out.html = html_path;
    out.province = scope.code;
    out.how = scope.how;
    for (const Table& t : tables) {
        const std::string path = (dir / (t.id + ".csv")).string();
        files.add(path, csv_text(t.header, t.rows));
        out.csv.push_back(path);
    }
    out.tables = tables.size();
    struct Figure {
        std::string caption, file, png;
    };
    std::vector<Figure> maps;
    if (options.maps) {
        const MapData data = read_map_data(run_gpkg, options.base);
        for (const MapMetric m :
             {MapMetric::new_unit, MapMetric::verdict, MapMetric::population_pct}) {
            MapOptions mo;
            mo.metric = m;
            mo.dpi = 110;
            mo.province = scope.code;
            const std::string path =
                (dir / ((scope.nation() ? std::string("national") : "province-" + scope.code) +
                        "-" + metric_name(m) + ".png"))
                    .string();
            Figure f{metric_name(m), path, render_map(data, mo, MapFormat::png)};
            files.add(path, f.png);
            maps.push_back(std::move(f));
            geo::report(options.progress, "report: maps", static_cast<double>(maps.size()) / 3);
        }
    }
    out.maps = maps.size();

    std::ostringstream h;
    const std::string title = "Run report: " + prov["scenario_name"] +
                              (scope.nation() ? "" : ", " + scope.name + " (" + scope.code + ")");
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
      << escape(title) << "</title>\n<style>" << style << "</style>\n<script>" << check_script
      << "</script></head>\n<body>\n<h1>" << escape(title) << "</h1>\n<p class=\"note\">"
      << escape(prov["scenario_description"]) << "<br>rules profile "
      << escape(prov["rules_profile"]) << "; made by amsim " << escape(prov["amsim_version"])
      << " from " << escape(run_gpkg)
      << "</p>\n<p class=\"estimated\">Staffing, payroll and payout figures are ESTIMATED from "
         "the legal norms unless the run was given a staffing table; every value they rest on "
         "is listed under <a href=\"#assumptions\">assumptions</a>.</p>\n<nav>";
    for (const Table& t : tables) {
        h << "<a href=\"#" << t.id << "\">" << escape(t.title.substr(0, t.title.find(':')))
          << "</a>";
    }
    h << "<a href=\"#maps\">Maps</a></nav>\n";
    html_table(h, tables[0]);
    h << "<section id=\"maps\"><h2>Maps</h2>\n";
    for (const Figure& f : maps) {
        h << "<figure><img alt=\"map: " << escape(f.caption) << "\" src=\"data:image/png;base64,"
          << base64(f.png) << "\"><figcaption>" << escape(f.caption) << " ("
          << escape(fs::path(f.file).filename().string()) << ")</figcaption></figure>\n";
    }
    if (maps.empty()) {
        h << "<p class=\"note\">Maps left out (--no-maps).</p>\n";
    }
    h << "</section>\n";
    for (std::size_t i = 1; i < tables.size(); ++i) {
        html_table(h, tables[i]);
    }
    h << "<p class=\"note\">The tables are also in " << escape(dir.string())
      << " as CSV.</p>\n</body></html>\n";
    files.add(html_path, h.str());
    files.commit();
    out.files = files.paths();
    return out;
}

} // namespace amsim::sim
