#include "amsim/geo/numbers.hpp"

#include "amsim/core/error.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace amsim::geo {

std::optional<double> parse_number(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    // Decimal digits, one sign, a point and an exponent only: from_chars alone would take
    // "nan", "inf" and "infinity".
    for (const char c : text) {
        const bool ok =
            (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
        if (!ok) {
            return std::nullopt;
        }
    }
    if (text.front() == '+') {
        text.remove_prefix(1);
    }
    double out = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out)) {
        return std::nullopt;
    }
    return out;
}

std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

double checked_range(double v, double lo, double hi, const std::string& where) {
    if (!std::isfinite(v)) {
        throw InputError(where + ": " + number_text(v) + " is not a finite number");
    }
    if (v < lo || v > hi) {
        throw InputError(where + ": " + number_text(v) + " is outside " + number_text(lo) + " to " +
                         number_text(hi));
    }
    return v;
}

std::int64_t checked_whole(double v, std::int64_t lo, std::int64_t hi, const std::string& where) {
    checked_range(v, static_cast<double>(lo), static_cast<double>(hi), where);
    if (v != std::floor(v)) {
        throw InputError(where + ": " + number_text(v) + " is not a whole number");
    }
    return static_cast<std::int64_t>(v);
}

std::int64_t round_to_int64(double v, const char* what) {
    // 2^63 is exactly representable; every double below it converts without overflow.
    constexpr double limit = 9223372036854775808.0;
    const double r = std::round(v);
    if (!std::isfinite(r) || r >= limit || r < -limit) {
        throw InternalError(std::string(what) + ": " + number_text(v) +
                            " does not fit a 64-bit integer");
    }
    return static_cast<std::int64_t>(r);
}

} // namespace amsim::geo
