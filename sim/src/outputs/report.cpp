#include "amsim/sim/outputs/report.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/outputs/map.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/lookup.hpp"
#include "amsim/sim/run/province_scope.hpp"
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
#include <map>
#include <optional>
#include <sstream>

#include "report_parts.hpp"
#include "report_text.hpp"

namespace amsim::sim {

namespace report_parts {

std::string escape(const std::string& s) {
    return geo::xml_escape(s);
}

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

Scope find_scope(const RunFile& run, const std::string& key) {
    Scope s;
    if (key.empty()) {
        return s;
    }
    const RunTable t = run.read(RunTableId::provinces, {"code", "name", "members"});
    std::vector<ProvinceName> provinces;
    for (const auto& row : t.rows) {
        ProvinceName p{cell_text(row[0]), cell_text(row[1]), {}};
        std::stringstream members(cell_text(row[2]));
        for (std::string m; std::getline(members, m, ';');) {
            p.members.push_back(m);
        }
        provinces.push_back(std::move(p));
    }
    const ProvinceName& p = match_province(provinces, key, "the run", s.how);
    s.code = p.code;
    s.name = p.name;
    s.whole_run = t.rows.size() == 1;
    return s;
}

} // namespace report_parts

namespace {

namespace fs = std::filesystem;

namespace rt = report_text;
using report_parts::base64;
using report_parts::escape;
using report_parts::Scope;

/// A table of the report: its header the run's field names (the CSV beside keeps them), its
/// title, navigation label and note English keys of report_text::phrase, `subject` what the
/// title is about (a province's name).
struct Table {
    std::string id, title, note, nav, subject;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    /// How the columns read where not as their field says (prose to translate).
    std::map<std::string, rt::Kind> kinds{};
};

/// Whether values of this kind are numbers, aligned right.
bool numeric(rt::Kind k) {
    using K = rt::Kind;
    return k == K::count || k == K::people || k == K::area || k == K::km || k == K::pct ||
           k == K::money;
}

std::string title_of(const Table& t, rt::Lang lang) {
    return rt::phrase(t.title, lang) + (t.subject.empty() ? "" : ": " + t.subject);
}

/// A (figure, value) table: each row a field and its value, both read as the field says.
bool figure_table(const Table& t) {
    return t.header.size() == 2 && (t.header[0] == "figure" || t.header[0] == "key");
}

/// A row's label in a (figure, value) table; checksums named after what they check.
std::string figure_label(const std::string& field, rt::Lang lang) {
    constexpr std::string_view sha = "_sha256";
    if (field.size() > sha.size() && field.ends_with(sha)) {
        return rt::column(field.substr(0, field.size() - sha.size()), lang).label + " (SHA-256)";
    }
    return rt::column(field, lang).label;
}

void html_table(std::ostream& h, const Table& t, rt::Lang lang) {
    h << "<section id=\"" << t.id << "\"><h2>" << escape(title_of(t, lang)) << "</h2>\n";
    if (!t.note.empty()) {
        h << "<p class=\"note\">" << escape(rt::phrase(t.note, lang)) << "</p>\n";
    }
    h << R"(<div class="wide"><table data-rows=")" << t.rows.size() << R"("><thead><tr>)";
    std::vector<rt::Column> columns;
    for (const std::string& c : t.header) {
        columns.push_back(rt::column(c, lang));
        if (const auto k = t.kinds.find(c); k != t.kinds.end()) {
            columns.back().kind = k->second;
        }
        h << "<th>" << escape(columns.back().label) << "</th>";
    }
    h << "</tr></thead><tbody>\n";
    for (const auto& row : t.rows) {
        h << "<tr>";
        for (std::size_t i = 0; i < row.size(); ++i) {
            rt::Kind kind = columns[i].kind;
            std::string text;
            if (figure_table(t) && i == 0) {
                text = figure_label(row[0], lang);
            } else if (figure_table(t) && t.header[0] == "figure") {
                kind = rt::column(row[0], lang).kind;
                text = rt::cell(row[i], kind, lang);
            } else {
                text = rt::cell(row[i], kind, lang);
            }
            h << (numeric(kind) ? "<td class=\"n\">" : "<td>") << escape(text) << "</td>";
        }
        h << "</tr>\n";
    }
    h << "</tbody></table></div></section>\n";
}

constexpr const char* style = R"(
body { font-family: "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 2em; }
p.note { color: #555; font-size: 0.9em; }
p.estimated { background: #fff3cd; padding: 0.5em; border: 1px solid #e0c36a; }
div.wide { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; }
th { background: #eee; text-align: left; position: sticky; top: 0; max-width: 12em; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure img { width: 100%; max-width: 800px; border: 1px solid #ccc; }
nav a { margin-right: 1em; }
@media print { body { max-width: none; margin: 0; } h2 { page-break-before: always; }
  figure img { max-width: 100%; } div.wide { overflow: visible; } table { font-size: 0.7em; }
  thead { display: table-header-group; } tr { page-break-inside: avoid; } }
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

/// The first n columns only (those after them were read to choose the rows).
void keep_columns(Table& t, std::size_t n) {
    t.header.resize(n);
    for (auto& row : t.rows) {
        row.resize(n);
    }
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

/// The staffing per province and the 5-year roadmap, people rounded to whole persons.
std::vector<Table> staffing_tables(const RunFile& run, const Scope& scope) {
    Table staffing = text_table(run.read(RunTableId::staffing_provinces,
                                         {"province_code",
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
    staffing.note = "staffing note";
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
    roadmap.title = "The 5-year reduction (ESTIMATED)";
    roadmap.subject = scope.name;
    roadmap.nav = "Roadmap";
    std::vector<Table> out;
    out.push_back(std::move(staffing));
    if (scope.nation() || scope.whole_run) {
        out.push_back(std::move(roadmap));
    } else {
        // The run's roadmap is the nation's; a province's comes from a run of that province.
        roadmap.title = "The 5-year reduction";
        roadmap.header = {"note"};
        roadmap.rows = {
            {scope.lang == rt::Lang::vi
                 ? "Lộ trình của lần chạy này tính cho cả nước; lệnh `amsim run PHƯƠNG_ÁN "
                   "--province " +
                       scope.code + "` lập lộ trình riêng cho " + scope.name + "."
                 : "This run's roadmap covers the whole country. `amsim run SCENARIO "
                   "--province " +
                       scope.code + "` writes one for " + scope.name + " alone."}};
        out.push_back(std::move(roadmap));
    }
    return out;
}

/// The offices per province (or the province's), and a province's old offices one by one.
std::vector<Table> office_tables(const RunFile& run, const Scope& scope) {
    Table per_province = text_table(
        run.read(RunTableId::provinces,
                 {"code", "name", "new_communes", "offices", "offices_surplus", "housing_staff"}),
        [&](const auto& row) { return scope.keeps(row[0]); },
        {5});
    sort_rows(per_province, 0);
    if (scope.nation()) {
        // The nation's row: the provinces' sums.
        std::vector<double> sum(per_province.header.size(), 0);
        for (const auto& row : per_province.rows) {
            for (std::size_t k = 2; k < row.size(); ++k) {
                sum[k] += std::strtod(row[k].c_str(), nullptr);
            }
        }
        std::vector<std::string> total = {"", rt::phrase("Nation", scope.lang)};
        for (std::size_t k = 2; k < sum.size(); ++k) {
            total.push_back(cell_text(geo::AttributeValue(sum[k])));
        }
        per_province.rows.push_back(std::move(total));
    }
    per_province.id = "offices";
    per_province.title = scope.nation() ? "Offices and official housing per province (ESTIMATED)"
                                        : "Offices and official housing (ESTIMATED)";
    per_province.nav = "Offices";
    per_province.note = "offices note";
    std::vector<Table> out;
    out.push_back(std::move(per_province));
    if (!scope.nation()) {
        Table list = text_table(run.read(RunTableId::offices,
                                         {"new_code",
                                          "old_code",
                                          "old_name",
                                          "role",
                                          "seat_by",
                                          "km_to_seat",
                                          "road_km_estimated",
                                          "point_source",
                                          "province_code"}),
                                [&](const auto& row) { return scope.keeps(row[8]); });
        keep_columns(list, 8);
        sort_rows(list, 0, 1);
        list.id = "office-list";
        list.title = "Old offices and the new seats";
        list.subject = scope.name;
        list.nav = "office list";
        out.push_back(std::move(list));
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
            "Before and after",
            "",
            scope.nation() ? "Nation" : "Province",
            scope.nation() ? rt::phrase("Nation", scope.lang) : scope.name,
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
    keep_columns(below, 10);
    sort_rows(below, 3, 0);
    if (list > 0 && below.rows.size() > list) {
        below.rows.resize(list); // only when asked (--list): by default every unit
    }
    add(std::move(below), "below", "Units below standard, and why", "Below standard", "below note");
    for (Table& t : staffing_tables(run, scope)) {
        tables.push_back(std::move(t));
    }
    for (Table& t : office_tables(run, scope)) {
        tables.push_back(std::move(t));
    }
    add(text_table(
            run.read(RunTableId::staffing_assumptions, {"name", "value", "source", "unconfirmed"})),
        "assumptions",
        "What the staffing figures rest on",
        "Assumptions",
        "assumptions note");
    tables.back().kinds = {
        {"name", rt::Kind::prose}, {"value", rt::Kind::prose}, {"source", rt::Kind::prose}};
    Table rules = text_table(run.read(RunTableId::rules_profile,
                                      {"kind",
                                       "type",
                                       "region",
                                       "province_class",
                                       "min_area_km2",
                                       "min_population",
                                       "unconfirmed",
                                       "source"}));
    add(std::move(rules), "rules", "The standards applied", "Standards", "");
    tables.back().kinds = {{"source", rt::Kind::prose}};
    tables.back().subject = prov["rules_profile"];
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
    if (fs::path(html_path).extension() == ".pdf") {
        return write_annex(run_gpkg, html_path, options);
    }
    const RunFile run(run_gpkg);
    std::map<std::string, std::string> prov = run.provenance();
    Scope scope = report_parts::find_scope(run, options.province);
    scope.lang = options.lang == "en" ? rt::Lang::en : rt::Lang::vi;
    const rt::Lang lang = scope.lang;
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
        for (const MapMetric m : {MapMetric::new_unit,
                                  MapMetric::verdict,
                                  MapMetric::population_pct,
                                  MapMetric::offices}) {
            MapOptions mo;
            mo.metric = m;
            mo.dpi = 110;
            mo.province = scope.code;
            mo.lang = options.lang;
            if (!metric_has_data(data, mo)) {
                continue; // a map of "no data" everywhere says nothing
            }
            const std::string path =
                (dir / ((scope.nation() ? std::string("national") : "province-" + scope.code) +
                        "-" + metric_name(m) + ".png"))
                    .string();
            Figure f{rt::phrase(metric_name(m), lang), path, render_map(data, mo, MapFormat::png)};
            files.add(path, f.png);
            maps.push_back(std::move(f));
            geo::report(options.progress, "report: maps", static_cast<double>(maps.size()) / 3);
        }
    }
    out.maps = maps.size();

    std::ostringstream h;
    const std::string title = rt::phrase("Run report", lang) + ": " + prov["scenario_name"] +
                              (scope.nation() ? "" : ", " + scope.name + " (" + scope.code + ")");
    h << "<!DOCTYPE html>\n<html lang=\"" << (lang == rt::Lang::vi ? "vi" : "en")
      << "\"><head><meta charset=\"utf-8\">\n<title>" << escape(title) << "</title>\n<style>"
      << style << "</style>\n<script>" << check_script << "</script></head>\n<body>\n<h1>"
      << escape(title) << "</h1>\n<p class=\"note\">" << escape(prov["scenario_description"])
      << "<br>" << escape(rt::phrase("rules profile", lang)) << " " << escape(prov["rules_profile"])
      << "; " << escape(rt::phrase("made by amsim", lang)) << " " << escape(prov["amsim_version"])
      << " " << escape(rt::phrase("from", lang)) << " "
      << escape(fs::path(run_gpkg).filename().string()) << "</p>\n<p class=\"estimated\">"
      << escape(rt::phrase("estimated banner", lang)) << "</p>\n<nav>";
    for (const Table& t : tables) {
        h << "<a href=\"#" << t.id << "\">" << escape(rt::phrase(t.nav, lang)) << "</a>";
    }
    h << "<a href=\"#maps\">" << escape(rt::phrase("Maps", lang)) << "</a></nav>\n";
    html_table(h, tables[0], lang);
    h << "<section id=\"maps\"><h2>" << escape(rt::phrase("Maps", lang)) << "</h2>\n";
    for (const Figure& f : maps) {
        h << "<figure><img alt=\"" << escape(f.caption) << "\" src=\"data:image/png;base64,"
          << base64(f.png) << "\"><figcaption>" << escape(f.caption) << " ("
          << escape(fs::path(f.file).filename().string()) << ")</figcaption></figure>\n";
    }
    if (maps.empty()) {
        h << "<p class=\"note\">" << escape(rt::phrase("maps left out", lang)) << "</p>\n";
    }
    h << "</section>\n";
    for (std::size_t i = 1; i < tables.size(); ++i) {
        html_table(h, tables[i], lang);
    }
    h << "<p class=\"note\">" << escape(rt::phrase("tables beside", lang)) << " "
      << escape(dir.filename().string()) << ".</p>\n</body></html>\n";
    files.add(html_path, h.str());
    files.commit();
    out.files = files.paths();
    return out;
}

} // namespace amsim::sim
