#include "amsim/sim/csv.hpp"

#include "amsim/geo/error.hpp"

#include <gtest/gtest.h>

namespace amsim::sim {
namespace {

TEST(Csv, ParsesQuotesBomAndCrlf) {
    const CsvTable t = parse_csv("\xEF\xBB\xBF"
                                 "code,name\r\n001,\"Xã A, \"\"cũ\"\"\"\r\n002,B\n",
                                 "t.csv");
    ASSERT_EQ(t.header.size(), 2U);
    EXPECT_EQ(t.header[0], "code");
    ASSERT_EQ(t.rows.size(), 2U);
    EXPECT_EQ(t.rows[0][1], "Xã A, \"cũ\"");
    EXPECT_EQ(t.lines[1], 3U);
    EXPECT_EQ(t.where(1), "t.csv:3");
}

TEST(Csv, WrongFieldCountNamesTheLine) {
    try {
        (void)parse_csv("a,b\n1,2\n3\n", "x.csv");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "x.csv:3: 1 field(s), the header has 2");
    }
}

TEST(Csv, MissingColumnListsTheColumns) {
    const CsvTable t = parse_csv("a,b\n1,2\n", "x.csv");
    try {
        (void)t.require("code");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "x.csv:1: no column 'code' (columns: a, b)");
    }
}

TEST(Csv, UnterminatedQuoteIsAnError) {
    EXPECT_THROW((void)parse_csv("a\n\"open\n", "x.csv"), InputError);
}

} // namespace
} // namespace amsim::sim
