// The printable annex of a merger proposal (Đề án), as PDF: a title page, the summary, one row
// per new unit with the old units merged into it, its figures against the standard, the
// verdict and its legal basis and its seat, the units below standard, and the maps.

#include "amsim/core/error.hpp"
#include "amsim/geo/unit_layer.hpp"
#include "amsim/sim/outputs/map.hpp"
#include "amsim/sim/outputs/report.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/run_file.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>

#include "report_parts.hpp"
#include "report_text.hpp"

namespace amsim::sim {

namespace {

namespace fs = std::filesystem;
namespace rt = report_text;
using report_parts::escape;
using report_parts::Scope;

/// The counts of annex I, per province and for the nation.
const std::vector<std::string> counts = {"old_communes",
                                         "new_communes",
                                         "xa",
                                         "phuong",
                                         "dac_khu",
                                         "reduction_pct",
                                         "communes_below_standard"};

constexpr const char* annex_style = R"(
@page { size: A4 landscape; margin: 14mm 12mm 16mm 12mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt "DejaVu Serif", serif; } }
@page cover { @bottom-center { content: none; } }
@page portrait { size: A4 portrait; }
body { font-family: "DejaVu Serif", serif; font-size: 9.5pt; color: #000; margin: 0; }
section.cover { page: cover; text-align: center; padding-top: 30mm; break-after: page; }
section.cover h1 { font-size: 20pt; margin: 0 0 6mm; }
section.cover p { font-size: 12pt; margin: 3mm 0; }
section.cover p.small { font-size: 9.5pt; margin-top: 14mm; text-align: left; }
h2 { font-size: 12pt; text-align: center; text-transform: uppercase; break-before: page;
  margin: 0 0 1mm; padding-top: 2mm; line-height: 1.5; }
p.under { text-align: center; font-style: italic; margin: 0 0 3mm; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 0.5pt solid #000; padding: 1.5pt 3pt; vertical-align: top; }
th { font-weight: bold; text-align: center; background: #eee; }
td.n { text-align: right; white-space: nowrap; }
td.c { text-align: center; }
tr.province td { font-weight: bold; background: #f3f3f3; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
span.src { font-size: 7.5pt; color: #333; }
td.below { font-weight: bold; }
section.map { page: portrait; break-before: page; text-align: center; }
section.map img { width: 180mm; }
)";

/// The values of one run table by column name, row by row.
struct Rows {
    RunTable table;
    std::map<std::string, std::size_t> at;
    [[nodiscard]] std::string text(std::size_t r, const std::string& column) const {
        return cell_text(table.rows[r][at.at(column)]);
    }
    [[nodiscard]] std::optional<double> number(std::size_t r, const std::string& column) const {
        return geo::to_number(table.rows[r][at.at(column)]);
    }
    [[nodiscard]] std::size_t size() const { return table.rows.size(); }
};

Rows read_rows(const RunFile& run, RunTableId id, const std::vector<std::string>& columns) {
    Rows r{run.read(id, columns), {}};
    for (std::size_t i = 0; i < columns.size(); ++i) {
        r.at[columns[i]] = i;
    }
    return r;
}

/// A figure with its % of the standard beneath, and its source where it is not official.
std::string figure_cell(const std::optional<double>& value,
                        const std::optional<double>& pct,
                        const std::string& source,
                        rt::Kind kind,
                        rt::Lang lang) {
    if (!value) {
        return "<td class=\"n\">" + escape(rt::phrase("not known", lang)) + "</td>";
    }
    std::string out = "<td class=\"n\">" + escape(rt::cell(cell_text(*value), kind, lang));
    if (pct) {
        out += "<br>(" + escape(rt::cell(cell_text(*pct), rt::Kind::pct, lang)) + "%)";
    }
    if (!source.empty() && source != "official") {
        out += "<br><span class=\"src\">" + escape(rt::cell(source, rt::Kind::source, lang)) +
               "</span>";
    }
    return out + "</td>";
}

/// The verdict as the annex states it: met, missed and why, waived (and whether the unit
/// would meet the standard anyway), or not judged and why.
std::string verdict_text(const Rows& c, std::size_t r, rt::Lang lang, bool& below) {
    below = false;
    const bool waived = c.number(r, "waived").value_or(0) != 0;
    const bool evaluated = c.number(r, "evaluated").value_or(0) != 0;
    const std::string why = rt::cell(c.text(r, "why"), rt::Kind::why, lang);
    if (waived) {
        const auto anyway = c.number(r, "meets_standard_anyway");
        return why + "; " +
               rt::phrase(!anyway        ? "figures not known to judge it"
                          : *anyway != 0 ? "it meets the standard anyway"
                                         : "it would miss the standard if judged",
                          lang);
    }
    if (evaluated) {
        if (c.number(r, "meets_standard").value_or(1) != 0) {
            return rt::phrase("Meets the standard", lang);
        }
        below = true;
        return rt::phrase("Below standard", lang) + ": " + why;
    }
    return rt::phrase("Not judged", lang) + ": " + why;
}

std::string today(rt::Lang lang) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm local{};
    localtime_r(&now, &local);
    char buf[32];
    std::strftime(buf, sizeof buf, lang == rt::Lang::vi ? "%d/%m/%Y" : "%Y-%m-%d", &local);
    return buf;
}

/// What the annex's parts read: the run's tables, the province covered, the language.
struct Annex {
    Rows communes, mapping, provinces;
    Scope scope;
    rt::Lang lang = rt::Lang::vi;
    std::string area; ///< the province's name, or the nation
    std::map<std::string, std::string> province_name;
    std::map<std::string, std::vector<std::string>> merged; ///< old units of each new unit
    std::vector<std::size_t> order; ///< the new units covered, by province and code

    [[nodiscard]] std::string tr(const char* key) const { return escape(rt::phrase(key, lang)); }
};

Annex read_annex(const RunFile& run, const ReportOptions& options) {
    Annex x;
    x.scope = report_parts::find_scope(run, options.province);
    x.lang = options.lang == "en" ? rt::Lang::en : rt::Lang::vi;
    x.scope.lang = x.lang;
    const rt::Lang lang = x.lang;
    const Scope& scope = x.scope;
    x.area = scope.nation() ? rt::phrase("Nation", lang) : scope.name;
    x.communes = read_rows(run,
                           RunTableId::communes,
                           {"code",
                            "name",
                            "type",
                            "province_code",
                            "area_km2",
                            "area_source",
                            "population",
                            "population_source",
                            "area_pct_of_standard",
                            "population_pct_of_standard",
                            "evaluated",
                            "waived",
                            "meets_standard",
                            "meets_standard_anyway",
                            "why",
                            "standard",
                            "seat_address",
                            "flags"});
    x.mapping = read_rows(run,
                          RunTableId::mapping,
                          {"old_code", "old_official_code", "old_name", "new_code", "share"});
    std::vector<std::string> province_fields = {"code", "name"};
    province_fields.insert(province_fields.end(), counts.begin(), counts.end());
    x.provinces = read_rows(run, RunTableId::provinces, province_fields);
    const Rows& communes = x.communes;
    const Rows& mapping = x.mapping;
    const Rows& provinces = x.provinces;
    for (std::size_t r = 0; r < provinces.size(); ++r) {
        x.province_name[provinces.text(r, "code")] = provinces.text(r, "name");
    }
    // The old units of each new unit, in the mapping's order.
    for (std::size_t r = 0; r < mapping.size(); ++r) {
        const std::string official = mapping.text(r, "old_official_code");
        std::string entry = mapping.text(r, "old_name") + " (" +
                            (official.empty() ? mapping.text(r, "old_code") : official) + ")";
        if (mapping.number(r, "share").value_or(1) < 1) {
            entry += ", " + rt::phrase("in part", lang);
        }
        x.merged[mapping.text(r, "new_code")].push_back(entry);
    }
    for (std::size_t r = 0; r < communes.size(); ++r) {
        if (scope.keeps(communes.table.rows[r][communes.at.at("province_code")])) {
            x.order.push_back(r);
        }
    }
    std::stable_sort(x.order.begin(), x.order.end(), [&](std::size_t a, std::size_t b) {
        return std::pair(communes.text(a, "province_code"), communes.text(a, "code")) <
               std::pair(communes.text(b, "province_code"), communes.text(b, "code"));
    });

    return x;
}

/// The title page: the province (or the nation), scenario, rules, date, and the sources.
void cover(std::ostream& h,
           const Annex& x,
           std::map<std::string, std::string>& prov,
           const ReportOptions& options,
           const std::string& run_gpkg) {
    const rt::Lang lang = x.lang;
    const std::string& area = x.area;
    auto tr = [&](const char* key) { return x.tr(key); };
    // The title page.
    h << "<section class=\"cover\"><h1>" << tr("ANNEX") << "</h1><p><b>"
      << tr("annex of the proposal") << "</b></p><p><b>" << escape(area) << "</b></p><p>"
      << tr("scenario") << ": " << escape(prov["scenario_name"]) << "</p><p>" << tr("rules") << ": "
      << escape(prov["rules_profile"]) << "</p><p>" << tr("date") << ": "
      << escape(options.date.empty() ? today(lang) : options.date) << "</p><p class=\"small\">"
      << escape(prov["scenario_description"]) << "<br>" << tr("annex sources") << "<br>"
      << tr("made by amsim") << " " << escape(amsim_version()) << " " << tr("from") << " "
      << escape(fs::path(run_gpkg).filename().string()) << "</p></section>\n";
}

/// Annex I: the summary per province, and the nation's sums.
void summary(std::ostream& h, const Annex& x) {
    const rt::Lang lang = x.lang;
    const Scope& scope = x.scope;
    const Rows& provinces = x.provinces;
    const std::string& area = x.area;
    auto tr = [&](const char* key) { return x.tr(key); };
    // I. The summary: per province.
    h << "<h2>" << tr("Annex I. Summary") << "</h2><p class=\"under\">" << escape(area)
      << "</p>\n<table><colgroup>";
    for (const int width : {5, 20, 11, 11, 8, 8, 8, 10, 19}) {
        h << "<col style=\"width:" << width << "%\">";
    }
    h << "</colgroup><thead><tr>";
    std::vector<std::string> header = {"code", "name"};
    header.insert(header.end(), counts.begin(), counts.end());
    for (const std::string& c : header) {
        h << "<th>" << escape(rt::column(c, lang).label) << "</th>";
    }
    h << "</tr></thead><tbody>\n";
    for (std::size_t r = 0; r < provinces.size(); ++r) {
        if (!scope.keeps(provinces.table.rows[r][0])) {
            continue;
        }
        h << "<tr><td class=\"c\">" << escape(provinces.text(r, "code")) << "</td><td>"
          << escape(provinces.text(r, "name")) << "</td>";
        for (const std::string& c : counts) {
            h << "<td class=\"n\">"
              << escape(rt::cell(provinces.text(r, c), rt::column(c, lang).kind, lang)) << "</td>";
        }
        h << "</tr>\n";
    }
    if (scope.nation()) {
        // The nation: the sums, and the reduction they make.
        std::map<std::string, double> total;
        for (std::size_t r = 0; r < provinces.size(); ++r) {
            for (const std::string& c : counts) {
                total[c] += provinces.number(r, c).value_or(0);
            }
        }
        total["reduction_pct"] = total["old_communes"] > 0
                                     ? 100 * (1 - total["new_communes"] / total["old_communes"])
                                     : 0;
        h << "<tr class=\"province\"><td></td><td>" << tr("Nation") << "</td>";
        for (const std::string& c : counts) {
            h << "<td class=\"n\">"
              << escape(rt::cell(cell_text(total[c]), rt::column(c, lang).kind, lang)) << "</td>";
        }
        h << "</tr>\n";
    }
    h << "</tbody></table>\n";
}

/// Annex II: one row per new unit. Returns the units below standard.
std::vector<std::size_t> units(std::ostream& h, const Annex& x) {
    const rt::Lang lang = x.lang;
    const Scope& scope = x.scope;
    const Rows& communes = x.communes;
    const std::string& area = x.area;
    const std::vector<std::size_t>& order = x.order;
    auto tr = [&](const char* key) { return x.tr(key); };
    // II. The new units.
    h << "<h2>" << tr("Annex II. The new units") << "</h2><p class=\"under\">" << escape(area)
      << " — " << tr("figures note") << "</p>\n<table><colgroup>";
    for (const int width : {4, 13, 22, 9, 9, 17, 16, 10}) {
        h << "<col style=\"width:" << width << "%\">";
    }
    h << "</colgroup><thead><tr>";
    for (const char* c : {"No.",
                          "New unit (code)",
                          "Old units merged (code)",
                          "Area km2 (% of the standard)",
                          "Population (% of the standard)",
                          "Verdict",
                          "Legal basis",
                          "Seat"}) {
        h << "<th>" << tr(c) << "</th>";
    }
    h << "</tr></thead><tbody>\n";
    std::string current;
    std::vector<std::size_t> below;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const std::size_t r = order[k];
        const std::string p = communes.text(r, "province_code");
        if (scope.nation() && p != current) {
            h << R"(<tr class="province"><td colspan="8">)" << escape(x.province_name.at(p)) << " ("
              << escape(p) << ")</td></tr>\n";
        }
        current = p;
        bool is_below = false;
        const std::string verdict = verdict_text(communes, r, lang, is_below);
        // What the verdict rests on that is not settled: an estimated region, an unconfirmed
        // value of the rules.
        const std::string flags = communes.text(r, "flags");
        std::string caveats;
        if (flags.find("(estimate:") != std::string::npos) {
            caveats += "<br><span class=\"src\">" + tr("region class estimated") + "</span>";
        }
        if (flags.find("unconfirmed") != std::string::npos) {
            caveats += "<br><span class=\"src\">" + tr("rests on an unconfirmed value") + "</span>";
        }
        if (is_below) {
            below.push_back(r);
        }
        std::string olds;
        for (const std::string& o : x.merged.contains(communes.text(r, "code"))
                                        ? x.merged.at(communes.text(r, "code"))
                                        : std::vector<std::string>{}) {
            olds += (olds.empty() ? "" : "; ") + o;
        }
        h << "<tr><td class=\"c\">" << k + 1 << "</td><td>" << escape(communes.text(r, "name"))
          << " (" << escape(communes.text(r, "code")) << ")</td><td>" << escape(olds) << "</td>"
          << figure_cell(communes.number(r, "area_km2"),
                         communes.number(r, "area_pct_of_standard"),
                         communes.text(r, "area_source"),
                         rt::Kind::area,
                         lang)
          << figure_cell(communes.number(r, "population"),
                         communes.number(r, "population_pct_of_standard"),
                         communes.text(r, "population_source"),
                         rt::Kind::people,
                         lang)
          << (is_below ? "<td class=\"below\">" : "<td>") << escape(verdict) << caveats
          << "</td><td>" << escape(rt::standard_text(communes.text(r, "standard"), lang))
          << "</td><td>" << escape(communes.text(r, "seat_address")) << "</td></tr>\n";
    }
    h << "</tbody></table>\n";

    return below;
}

/// Annex III: the units below standard and why.
void below_table(std::ostream& h, const Annex& x, const std::vector<std::size_t>& below) {
    const rt::Lang lang = x.lang;
    const Rows& communes = x.communes;
    const std::string& area = x.area;
    auto tr = [&](const char* key) { return x.tr(key); };
    // III. The units below standard.
    h << "<h2>" << tr("Annex III. Units below standard") << "</h2><p class=\"under\">"
      << escape(area) << " — " << below.size() << " " << tr("units") << "</p>\n";
    if (!below.empty()) {
        h << "<table><colgroup><col style=\"width:5%\"><col style=\"width:25%\"><col "
             "style=\"width:10%\"><col style=\"width:60%\"></colgroup><thead><tr><th>"
          << tr("No.") << "</th><th>" << tr("New unit (code)") << "</th><th>"
          << escape(rt::column("province_code", lang).label) << "</th><th>" << tr("Why")
          << "</th></tr></thead><tbody>\n";
        for (std::size_t k = 0; k < below.size(); ++k) {
            const std::size_t r = below[k];
            h << "<tr><td class=\"c\">" << k + 1 << "</td><td>" << escape(communes.text(r, "name"))
              << " (" << escape(communes.text(r, "code")) << ")</td><td class=\"c\">"
              << escape(communes.text(r, "province_code")) << "</td><td>"
              << escape(rt::cell(communes.text(r, "why"), rt::Kind::why, lang)) << "</td></tr>\n";
        }
        h << "</tbody></table>\n";
    }
}

/// Annex IV: the unit and verdict maps, one to a portrait page. Returns how many.
std::size_t maps_section(std::ostream& h,
                         const Annex& x,
                         const ReportOptions& options,
                         const std::string& run_gpkg) {
    const Scope& scope = x.scope;
    auto tr = [&](const char* key) { return x.tr(key); };
    // IV. The maps, one to a portrait page.
    std::size_t maps = 0;
    if (options.maps) {
        const MapData data = read_map_data(run_gpkg, options.base);
        for (const MapMetric m : {MapMetric::new_unit, MapMetric::verdict}) {
            MapOptions mo;
            mo.metric = m;
            mo.province = scope.code;
            mo.lang = options.lang;
            mo.dpi = 150;
            if (!metric_has_data(data, mo)) {
                continue;
            }
            h << "<section class=\"map\">"
              << (maps == 0 ? "<h2>" + tr("Annex IV. Maps") + "</h2>" : "") << "<img alt=\""
              << tr(metric_name(m)) << "\" src=\"data:image/png;base64,"
              << report_parts::base64(render_map(data, mo, MapFormat::png)) << "\"></section>\n";
            ++maps;
            geo::report(options.progress, "annex: maps", static_cast<double>(maps) / 2);
        }
    }
    return maps;
}

} // namespace

AnnexPage annex_html(const std::string& run_gpkg, const ReportOptions& options) {
    const RunFile run(run_gpkg);
    std::map<std::string, std::string> prov = run.provenance();
    const Annex x = read_annex(run, options);
    std::ostringstream h;
    h << "<!DOCTYPE html>\n"
      << R"(<html lang=")" << (x.lang == rt::Lang::vi ? "vi" : "en")
      << R"("><head><meta charset="utf-8"><title>)" << x.tr("Annex") << ": " << escape(x.area)
      << "</title>\n<style>" << annex_style << "</style></head><body>\n";
    cover(h, x, prov, options, run_gpkg);
    summary(h, x);
    const std::vector<std::size_t> below = units(h, x);
    below_table(h, x, below);
    const std::size_t maps = maps_section(h, x, options, run_gpkg);
    h << "</body></html>\n";
    return {h.str(), x.scope.code, x.scope.how, x.order.size(), below.size(), maps};
}

ReportResult write_annex(const std::string& run_gpkg,
                         const std::string& pdf_path,
                         const ReportOptions& options) {
    geo::OutputPolicy policy = options.policy;
    policy.protect(run_gpkg);
    if (!options.base.empty()) {
        policy.protect(options.base);
    }
    geo::check_output(pdf_path, policy); // before the printing, not after it
    const AnnexPage page = annex_html(run_gpkg, options);
    geo::report(options.progress, "annex: printing", 0);
    geo::OutputSet files(policy);
    files.add(pdf_path, report_parts::print_pdf(page.html));
    files.commit();
    geo::report(options.progress, "annex: printing", 1);
    ReportResult out;
    out.html = pdf_path;
    out.province = page.province;
    out.how = page.how;
    out.files = files.paths();
    out.maps = page.maps;
    out.tables = 3;
    return out;
}

} // namespace amsim::sim
