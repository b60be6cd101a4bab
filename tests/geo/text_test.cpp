// Text as data: NFC, look-alike spellings, control characters, safe file names.

#include "amsim/geo/text.hpp"

#include <gtest/gtest.h>

namespace amsim::geo {
namespace {

TEST(Text, DecomposedAndComposedSpellingsAreOneAfterNfc) {
    const std::string composed = "X\xC3\xA3";    // "Xã", U+00E3
    const std::string decomposed = "Xa\xCC\x83"; // "Xa" + U+0303 combining tilde
    EXPECT_NE(composed, decomposed);
    EXPECT_EQ(nfc(decomposed), composed);
    EXPECT_EQ(nfc(composed), composed);
    EXPECT_EQ(nfc("00123"), "00123");
}

TEST(Text, InvalidUtf8IsFoundWhereItIs) {
    EXPECT_FALSE(invalid_utf8_at("Hà Nội").has_value());
    // "Ha" then 0xE0 0x20: the start of a three-byte character cut short (a Windows-1258 à).
    EXPECT_EQ(invalid_utf8_at("Ha\xE0 N"), std::optional<std::size_t>(2));
}

TEST(Text, LookAlikeSpellingsAreShownWithTheirCodePoints) {
    // Đ (U+0110, Vietnamese) and Ð (U+00D0, Icelandic eth) look the same.
    const std::string a = "Phường Ba \xC4\x90ình";
    const std::string b = "Phường Ba \xC3\x90ình";
    const std::string d = describe_difference(a, b);
    EXPECT_NE(d.find("character 11"), std::string::npos) << d;
    EXPECT_NE(d.find("U+0110"), std::string::npos) << d;
    EXPECT_NE(d.find("U+00D0"), std::string::npos) << d;
    EXPECT_EQ(describe_difference(a, a), "");
    EXPECT_NE(describe_difference("Ba", "Ba ").find("U+0020"), std::string::npos);
}

TEST(Text, ControlCharactersNeverReachATerminal) {
    EXPECT_EQ(control_at("Xã\x1B[31m"), std::optional<std::size_t>(3));
    EXPECT_FALSE(control_at("Hà Nội").has_value());
    EXPECT_EQ(printable("a\x1B[2Jb\nc"), "a\\u{1B}[2Jb\nc");
    EXPECT_EQ(printable("x\xFFy"), "x\\xFFy");
}

TEST(Text, NamesBecomeSafeFileNames) {
    EXPECT_EQ(safe_file_name("../../x"), "_.._x");
    EXPECT_EQ(safe_file_name("Hà Nội"), "Hà Nội");
    EXPECT_EQ(safe_file_name("a/b\\c:d*e?f\x07g"), "a_b_c_d_e_f_g");
    EXPECT_EQ(safe_file_name("..."), "unnamed");
    EXPECT_EQ(safe_file_name(""), "unnamed");
    const std::string long_name(300, 'x');
    EXPECT_EQ(safe_file_name(long_name).size(), 120U);
    // Cut on a character boundary: 59 two-byte characters and not half of the 60th.
    std::string accents;
    for (int i = 0; i < 100; ++i) {
        accents += "\xC3\xA0"; // à
    }
    EXPECT_EQ(safe_file_name(accents).size(), 120U);
    EXPECT_EQ(safe_file_name("x" + accents).size(), 119U);
}

} // namespace
} // namespace amsim::geo

TEST(Fold, NamesAsPeopleTypeThem) {
    EXPECT_EQ(amsim::geo::fold("Xã  Ea H’Leo"), "xa ea h'leo");
    EXPECT_EQ(amsim::geo::fold("xa ea h'leo"), "xa ea h'leo");
    EXPECT_EQ(amsim::geo::fold("Đặc khu Côn Đảo"), "dac khu con dao");
    EXPECT_EQ(amsim::geo::fold("Xã\u00a0Yên Thành "), "xa yen thanh");
    // Decomposed input folds the same as composed.
    EXPECT_EQ(amsim::geo::fold("Xa\u0303"), amsim::geo::fold("Xã"));
    // Two names that differ by a tone mark only have one key: matching tries exact names first.
    EXPECT_EQ(amsim::geo::fold("Tân Thành"), amsim::geo::fold("Tân Thạnh"));
    EXPECT_EQ(amsim::geo::fold(""), "");
}

namespace amsim::geo {
namespace {

TEST(Text, XmlEscapeEscapesMarkupAndKeepsVietnamese) {
    EXPECT_EQ(xml_escape(R"("waived" = 1 AND a < b & c > d: Xã Đặc khu)"),
              "&quot;waived&quot; = 1 AND a &lt; b &amp; c &gt; d: Xã Đặc khu");
}

} // namespace
} // namespace amsim::geo
