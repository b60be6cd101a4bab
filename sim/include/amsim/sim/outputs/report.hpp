#pragma once
/// @file report.hpp
/// One self-contained HTML report per run (issue 6): the summary before and after, per
/// province, the units below standard and why, the staffing and payout figures, the maps
/// (embedded), and the provenance (inputs with checksums, rules profile, amsim version);
/// the same tables as CSV beside it. Made from a run's GeoPackage.

#include "amsim/geo/output_file.hpp"
#include "amsim/geo/progress.hpp"

#include <string>
#include <vector>

namespace amsim::sim {

struct ReportOptions {
    std::string base;        ///< base layer for the old boundaries, if it moved since the run
    bool maps = true;        ///< embed the national maps (PNG)
    std::size_t list = 0;    ///< units below standard listed at most; 0 = every one
    std::string lang = "vi"; ///< the report's language: vi (default) or en
    std::string date;        ///< the annex's date on its title page; empty = today
    /// One new province (--province): its code, its name however typed, or an old province's
    /// code; empty = the nation.
    std::string province;
    geo::ProgressFn progress; ///< the maps, one step each
    /// What may be replaced (--overwrite); the run and its base are never written over.
    geo::OutputPolicy policy;
};

struct ReportResult {
    std::string html;               ///< the report's path
    std::string province;           ///< the new province reported on; empty = the nation
    std::string how;                ///< how an old province's code was read, if it was
    std::vector<std::string> csv;   ///< the tables' paths
    std::vector<std::string> files; ///< every file written: the tables, the maps, the report
    std::size_t maps = 0, tables = 0;
};

/// Throws InputError unless `run_gpkg` is a run's GeoPackage (from amsim run): what a report, a
/// map or a next round reads.
void require_run(const std::string& run_gpkg);

/// Writes report.html (under a temporary name, renamed) and the CSV tables into the
/// directory `<html stem>-tables` beside it; a path ending in .pdf writes the annex instead
/// (write_annex).
ReportResult write_report(const std::string& run_gpkg,
                          const std::string& html_path,
                          const ReportOptions& options);

/// The annex as the page Chromium prints (self-contained HTML with print CSS), and what it
/// holds.
struct AnnexPage {
    std::string html;
    std::string province, how; ///< as in ReportResult
    std::size_t units = 0;     ///< rows of annex II: the new units covered
    std::size_t below = 0;     ///< rows of annex III
    std::size_t maps = 0;
};
[[nodiscard]] AnnexPage annex_html(const std::string& run_gpkg, const ReportOptions& options);

/// The printable annex of a merger proposal (Đề án) as one PDF, printed by headless Chromium:
/// a title page naming the province (or the nation), scenario and date; I, the summary per
/// province; II, every new unit with the old units merged into it (names and codes), its area
/// and population with their % of the standard and their source where not official, its
/// verdict and legal basis, and its seat; III, the units below standard and why; IV, the maps;
/// pages numbered. Nothing is written if printing fails.
ReportResult
write_annex(const std::string& run_gpkg, const std::string& pdf_path, const ReportOptions& options);

} // namespace amsim::sim
