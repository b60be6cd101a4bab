// Numbers from planners' files: decimal only, finite, in range, no overflowing conversion.

#include "amsim/geo/numbers.hpp"

#include "amsim/core/error.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace amsim::geo {
namespace {

TEST(Numbers, OnlyDecimalNumbersAreNumbers) {
    EXPECT_EQ(parse_number("12"), 12.0);
    EXPECT_EQ(parse_number(" -0.5 "), -0.5);
    EXPECT_EQ(parse_number("1e3"), 1000.0);
    EXPECT_EQ(parse_number("+7"), 7.0);
    for (const char* bad : {"",
                            "nan",
                            "NaN",
                            "inf",
                            "-inf",
                            "infinity",
                            "0x10",
                            "1e400",
                            "1,5",
                            "12abc",
                            "--1",
                            "1e"}) {
        EXPECT_FALSE(parse_number(bad).has_value()) << bad;
    }
}

TEST(Numbers, RangesAndWholeNumbersAreChecked) {
    EXPECT_EQ(checked_range(3, 0, 10, "x"), 3);
    EXPECT_THROW(checked_range(-1, 0, 10, "x"), InputError);
    EXPECT_THROW(checked_range(std::numeric_limits<double>::quiet_NaN(), 0, 10, "x"), InputError);
    EXPECT_THROW(checked_range(std::numeric_limits<double>::infinity(), 0, 1e300, "x"), InputError);
    EXPECT_EQ(checked_whole(3, 2, 100, "min_units"), 3);
    try {
        (void)checked_whole(2.7, 2, 100, "profile.toml:7:1: 'min_units'");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "profile.toml:7:1: 'min_units': 2.7 is not a whole number");
    }
}

TEST(Numbers, ARoundingThatWouldOverflowIsAnError) {
    EXPECT_EQ(round_to_int64(744778124.5, "payout"), 744778125);
    EXPECT_EQ(round_to_int64(-2.5, "x"), -3);
    EXPECT_THROW((void)round_to_int64(1e19, "payout"), InternalError);
    EXPECT_THROW((void)round_to_int64(std::numeric_limits<double>::quiet_NaN(), "x"),
                 InternalError);
    EXPECT_THROW((void)round_to_int64(9223372036854775808.0, "x"), InternalError);
}

} // namespace
} // namespace amsim::geo
