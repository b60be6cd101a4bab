#pragma once
/// @file diagnostic.hpp
/// Validation reports every problem, not the first: a list of typed diagnostics.

#include <cstddef>
#include <string>
#include <vector>

namespace amsim::geo {

enum class Severity { info, warning, error };

/// One finding about the input or a result.
struct Diagnostic {
    Severity severity = Severity::warning;
    std::string code;     ///< stable machine-readable kind, e.g. "invalid_geometry"
    std::string location; ///< "feature 12 (code '00001')" or "105.1234 21.0345"
    std::string message;  ///< human-readable detail
};

[[nodiscard]] const char* to_string(Severity s) noexcept;

/// Count of diagnostics with the given severity.
[[nodiscard]] std::size_t count(const std::vector<Diagnostic>& diags, Severity s) noexcept;

} // namespace amsim::geo
