#pragma once
/// @file numbers.hpp
/// Numbers read from planners' files and options, checked at the edge: decimal text only
/// (never "nan", "inf" or hex), finite, within the range the quantity can take; integer
/// conversions that cannot overflow. Errors name where the number came from.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace amsim::geo {

/// A number written in decimal ("12", "-0.5", "1e3"; spaces around allowed). Null for
/// anything else, "nan", "inf" and hexadecimal included.
[[nodiscard]] std::optional<double> parse_number(std::string_view text) noexcept;

/// v itself if it is finite and lo <= v <= hi; otherwise an InputError
/// "<where>: <v> is outside <lo> to <hi>" (or "is not a finite number").
double checked_range(double v, double lo, double hi, const std::string& where);

/// v as an integer if it is a whole number in [lo, hi]; otherwise an InputError naming where.
std::int64_t checked_whole(double v, std::int64_t lo, std::int64_t hi, const std::string& where);

/// v rounded to the nearest integer. Inputs are checked at the edge, so a value that does
/// not fit (or is not finite) is a broken invariant: InternalError naming `what`.
std::int64_t round_to_int64(double v, const char* what);

/// "1e+15" or "12.5": a number as a message shows it (%g).
[[nodiscard]] std::string number_text(double v);

} // namespace amsim::geo
