#include "amsim/geo/diagnostic.hpp"

#include <algorithm>

namespace amsim::geo {

const char* to_string(Severity s) noexcept {
    switch (s) {
    case Severity::info:
        return "info";
    case Severity::warning:
        return "warning";
    case Severity::error:
        return "error";
    }
    return "?";
}

std::size_t count(const std::vector<Diagnostic>& diags, Severity s) noexcept {
    return static_cast<std::size_t>(std::count_if(
        diags.begin(), diags.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

} // namespace amsim::geo
