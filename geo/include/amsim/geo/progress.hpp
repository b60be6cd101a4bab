#pragma once
/// @file progress.hpp
/// Long work reports progress through a callback; the library never prints.

#include <functional>
#include <string_view>

namespace amsim::geo {

/// Called with a stage name and the fraction done in [0, 1].
using ProgressFn = std::function<void(std::string_view stage, double fraction)>;

inline void report(const ProgressFn& fn, std::string_view stage, double fraction) {
    if (fn) {
        fn(stage, fraction);
    }
}

} // namespace amsim::geo
