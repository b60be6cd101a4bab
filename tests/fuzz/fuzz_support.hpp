#pragma once
// What every fuzz target shares: bytes as text, and the rule that a bad input may only end
// in amsim's own errors (InputError, ScenarioError...). Any other exception, a crash, a
// sanitizer finding or a broken property is a finding.

#include "amsim/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace amsim::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Runs body; amsim::Error is an expected outcome of a bad input, anything else escapes.
template <typename Body>
void expect_only_amsim_errors(Body body) {
    try {
        body();
    } catch (const amsim::Error&) {
        // the input was refused with a message: what a bad input should get
    }
}

/// A property that must hold: abort (a finding) otherwise.
inline void require(bool ok) {
    if (!ok) {
        __builtin_trap();
    }
}

} // namespace amsim::fuzz
