#include "amsim/sim/scenario/csv.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/numbers.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

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

namespace amsim::sim {
namespace {

TEST(Csv, RepeatedByteOrderMarksAreSkippedAndATableReadsBackTheSame) {
    // Found by fuzzing: a second mark stayed in the first column's name, so "code" was not
    // found, and the table written back read differently.
    const CsvTable t = parse_csv("\xEF\xBB\xBF\xEF\xBB\xBF"
                                 "code,group\n1,A\n",
                                 "t.csv");
    EXPECT_EQ(t.header, (std::vector<std::string>{"code", "group"}));
    const CsvTable back = parse_csv(csv_text(t.header, t.rows), "back.csv");
    EXPECT_EQ(back.header, t.header);
    EXPECT_EQ(back.rows, t.rows);
}

TEST(Csv, ControlCharactersAndOtherEncodingsAreRefusedWhereTheyAre) {
    try {
        (void)parse_csv("code,name\n1,X\xE3 A\n", "m.csv");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("m.csv:2, column 'name': not UTF-8"),
                  std::string::npos)
            << e.what();
    }
    try {
        (void)parse_csv("code,name\n1,\"a\x1b b\"\n", "m.csv");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("control or invisible character (U+001B)"),
                  std::string::npos)
            << e.what();
    }
    // A line break in a quoted cell (Alt+Enter in a spreadsheet) is a space.
    EXPECT_EQ(parse_csv("code,name\n1,\"a\r\nb\nc\"\n", "m.csv").rows[0][1], "a b c");
    // Decomposed accents come out composed (NFC).
    EXPECT_EQ(parse_csv("name\nXa\xCC\x83\n", "m.csv").rows[0][0], "X\xC3\xA3");
}

} // namespace
} // namespace amsim::sim

namespace amsim::sim {
namespace {

TEST(Csv, AByteOrderMarkInsideAFieldIsRefused) {
    // Found by fuzzing: a mark after blank lines stayed in the first column's name (which then
    // looked like "code" and was not), and the table written back read differently.
    EXPECT_THROW((void)parse_csv("\r\n\"\xEF\xBB\xBF"
                                 "code\",group\n1,A\n",
                                 "t.csv"),
                 InputError);
    EXPECT_THROW((void)parse_csv("code,name\n1,Xa\xE2\x80\x8B A\n", "t.csv"), InputError);
}

} // namespace
} // namespace amsim::sim

namespace amsim::sim {
namespace {

TEST(Csv, SemicolonsAndDecimalCommasAsAVietnameseExcelSavesThem) {
    const CsvTable t =
        parse_csv("code;name;share\r\n00001;\"Xã A; cũ\";0,25\r\n00002;B;1\r\n", "t.csv");
    EXPECT_EQ(t.separator, ';');
    ASSERT_EQ(t.rows.size(), 2U);
    EXPECT_EQ(t.rows[0][0], "00001");
    EXPECT_EQ(t.rows[0][1], "Xã A; cũ");
    EXPECT_EQ(t.rows[0][2], "0.25");
    // A comma-separated file keeps its commas in cells: "1,5" in quotes is text.
    const CsvTable c = parse_csv("code,name\n1,\"1,5\"\n", "c.csv");
    EXPECT_EQ(c.rows[0][1], "1,5");
}

TEST(Csv, Utf16FromExcelUnicodeTextIsRead) {
    // "code\tname\r\n01\tXã\r\n" in UTF-16 LE with its byte-order mark.
    const std::string u16("\xFF\xFE"
                          "c\0o\0d\0e\0\t\0n\0a\0m\0e\0\r\0\n\0"
                          "0\0"
                          "1\0\t\0X\0\xE3\0\r\0\n\0",
                          36);
    const CsvTable t = parse_csv(u16, "u.txt");
    ASSERT_EQ(t.rows.size(), 1U);
    EXPECT_EQ(t.rows[0][0], "01");
    EXPECT_EQ(t.rows[0][1], "Xã");
}

TEST(Csv, ATableIsWrittenBackInTheStyleItWasReadIn) {
    // Excel's "Unicode Text" read, then written in its style: UTF-16 LE, tabs, CRLF.
    const std::string u16("\xFF\xFE"
                          "c\0o\0d\0e\0\t\0n\0a\0m\0e\0\r\0\n\0"
                          "0\0"
                          "1\0\t\0X\0\xE3\0\r\0\n\0",
                          38);
    const CsvStyle style = csv_style_of(u16);
    EXPECT_EQ(style.encoding, CsvStyle::Encoding::utf16le);
    EXPECT_EQ(style.separator, '\t');
    EXPECT_TRUE(style.crlf);
    EXPECT_EQ(styled_csv("code,name\n01,Xã\n", style), u16);
    // A Vietnamese Excel's CSV: a byte-order mark, ';', decimal commas; quoted cells and
    // codes kept as they are.
    const CsvStyle semi = csv_style_of("\xEF\xBB\xBF"
                                       "a;b\r\n1;2\r\n");
    EXPECT_EQ(semi.encoding, CsvStyle::Encoding::utf8_bom);
    EXPECT_EQ(semi.separator, ';');
    const std::string out = styled_csv("code,name,share\n00001,\"A, B\",0.25\n1.5.2,C,-3\n", semi);
    EXPECT_EQ(out,
              "\xEF\xBB\xBF"
              "code;name;share\r\n00001;\"A, B\";0,25\r\n1.5.2;C;-3\r\n");
    const CsvTable back = parse_csv(out, "back.csv");
    EXPECT_EQ(back.rows[0][1], "A, B");
    EXPECT_EQ(back.rows[0][2], "0.25");
    // A plain UTF-8 file stays plain.
    EXPECT_EQ(styled_csv("a,b\n", csv_style_of("a,b\n")), "a,b\n");
}

TEST(Csv, AnotherEncodingIsRefusedWithHowToSaveAsUtf8) {
    try {
        (void)parse_csv("code,name\n01,Xa\xDE\n", "w.csv"); // Windows-1258
        FAIL();
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind("w.csv:2, column 'name': not UTF-8 text", 0), 0U) << m;
        EXPECT_NE(m.find("'CSV UTF-8 (Comma delimited)'"), std::string::npos) << m;
    }
}

TEST(Csv, ColumnsAreFoundHoweverTheirNameIsTyped) {
    const CsvTable t = parse_csv("Old Code ,NEW_CODE\n1,2\n", "h.csv");
    EXPECT_EQ(t.column("old_code").value_or(99), 0U);
    EXPECT_EQ(t.column("new_code").value_or(99), 1U);
}

TEST(Table, SpreadsheetsAreWrittenAndReadBackWithCodesAsText) {
    test::register_gdal();
    test::TempDir dir;
    using K = geo::OutputField::Kind;
    const std::vector<geo::OutputField> fields = {
        {"code", K::string, {std::string("00001"), std::string("00002")}},
        {"name", K::string, {std::string("Xã An Bình"), std::string("Phường Cẩm Mỹ")}},
        {"share", K::real, {0.25, 1.0}},
        {"staff", K::integer, {std::int64_t{22}, std::int64_t{-3}}}};
    for (const char* name : {"t.xlsx", "t.ods"}) {
        SCOPED_TRACE(name);
        const std::string path = dir.file(name);
        const std::string bytes = table_bytes(fields, path);
        EXPECT_EQ(bytes, table_bytes(fields, path)); // the same bytes every time
        write_table(path, fields, geo::OutputPolicy{});
        const CsvTable t = read_table(path);
        ASSERT_EQ(t.header, (std::vector<std::string>{"code", "name", "share", "staff"}));
        ASSERT_EQ(t.rows.size(), 2U);
        EXPECT_EQ(t.rows[0][0], "00001");
        EXPECT_EQ(t.rows[1][1], "Phường Cẩm Mỹ");
        EXPECT_EQ(geo::parse_number(t.rows[0][2]).value_or(-1), 0.25);
        EXPECT_EQ(geo::parse_number(t.rows[1][3]).value_or(0), -3);
        EXPECT_EQ(t.where(1), path + ":3");
        // A sheet of text only (no number to tell the header by): its first row is the header.
        const std::string text_only = dir.file(std::string("text-") + name);
        write_table(text_only, {fields[0], fields[1]}, geo::OutputPolicy{});
        const CsvTable u = read_table(text_only);
        ASSERT_EQ(u.header, (std::vector<std::string>{"code", "name"}));
        ASSERT_EQ(u.rows.size(), 2U);
        EXPECT_EQ(u.rows[0][0], "00001");
    }
}

} // namespace
} // namespace amsim::sim

namespace amsim::sim {
namespace {

TEST(Csv, ACellWithSemicolonsReadsBackTheSame) {
    // Found by fuzzing: a header cell ";;;" written unquoted was read back as four columns.
    const CsvTable t = parse_csv("\r\n\";;;;\r\n\"\n", "f.csv");
    ASSERT_EQ(t.header.size(), 1U);
    const CsvTable back = parse_csv(csv_text(t.header, t.rows), "back.csv");
    EXPECT_EQ(back.header, t.header);
    EXPECT_EQ(csv_quote("a;b"), "\"a;b\"");
    EXPECT_EQ(csv_quote("a\tb"), "\"a\tb\"");
}

} // namespace
} // namespace amsim::sim
