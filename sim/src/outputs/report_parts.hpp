#pragma once
/// @file report_parts.hpp
/// What the HTML report and the PDF annex share: the province they cover, HTML text, and
/// images embedded as data.

#include "amsim/sim/run/run_file.hpp"

#include <string>

#include "report_text.hpp"

namespace amsim::sim::report_parts {

/// The province a report covers: empty code = the nation.
struct Scope {
    std::string code, name, how;
    bool whole_run = false; ///< the run is of this province alone (amsim run --province)
    report_text::Lang lang = report_text::Lang::vi;
    [[nodiscard]] bool nation() const { return code.empty(); }
    [[nodiscard]] bool keeps(const geo::AttributeValue& v) const {
        return nation() || cell_text(v) == code;
    }
};

/// The new province `key` names in the run's provinces table (match_province); empty = the
/// nation.
[[nodiscard]] Scope find_scope(const RunFile& run, const std::string& key);

/// Text for HTML: markup characters escaped.
[[nodiscard]] std::string escape(const std::string& s);

/// Bytes as base64 (an image embedded in the page).
[[nodiscard]] std::string base64(const std::string& bytes);

/// Prints an HTML page (self-contained: images embedded) to PDF with headless Chromium
/// ($AMSIM_CHROMIUM, else chromium on the PATH), in a temporary directory of its own: the
/// PDF's bytes. The page's own CSS sets the paper and the page numbers. Throws
/// InputError saying how to install Chromium when there is none, or what it said on failure.
[[nodiscard]] std::string print_pdf(const std::string& html);

} // namespace amsim::sim::report_parts
