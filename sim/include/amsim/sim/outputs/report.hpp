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
/// directory `<html stem>-tables` beside it.
ReportResult write_report(const std::string& run_gpkg,
                          const std::string& html_path,
                          const ReportOptions& options);

} // namespace amsim::sim
