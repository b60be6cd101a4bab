// The report's words and numbers (issue 15), against hand-written expectations.

#include "report_text.hpp"

#include <gtest/gtest.h>

namespace amsim::sim::report_text {
namespace {

constexpr Lang vi = Lang::vi;
constexpr Lang en = Lang::en;

TEST(ReportText, NumbersAreGroupedAsEachLanguageWritesThem) {
    EXPECT_EQ(number(1429841, 0, vi), "1.429.841");
    EXPECT_EQ(number(1429841, 0, en), "1,429,841");
    EXPECT_EQ(number(6207.9, 2, vi), "6.207,90");
    EXPECT_EQ(number(-1234.5, 1, en), "-1,234.5");
    EXPECT_EQ(number(-0.004, 2, vi), "0,00"); // never "-0"
    EXPECT_EQ(number(999, 0, vi), "999");
}

TEST(ReportText, EachKindReadsAsItIs) {
    // People estimated with fractions are whole persons; codes keep their zeros.
    EXPECT_EQ(cell("64488.73", Kind::people, vi), "64.489");
    EXPECT_EQ(cell("06724", Kind::code, vi), "06724");
    EXPECT_EQ(cell("18904", Kind::code, vi), "18904");
    // A percentage is cut, not rounded: 99.96 % of the standard is below it.
    EXPECT_EQ(cell("99.96", Kind::pct, vi), "99,9");
    EXPECT_EQ(cell("100", Kind::pct, vi), "100,0");
    EXPECT_EQ(cell("123.456", Kind::pct, en), "123.4");
    // Money in ty dong (1e9 VND).
    EXPECT_EQ(cell("1734697960668", Kind::money, vi), "1.734,70");
    EXPECT_EQ(cell("1", Kind::flag, vi), "có");
    EXPECT_EQ(cell("0", Kind::flag, en), "no");
    EXPECT_EQ(cell("dac_khu", Kind::type, vi), "Đặc khu");
    EXPECT_EQ(cell("thanh_pho_tw", Kind::type, en), "Centrally-run city");
    EXPECT_EQ(cell("official", Kind::source, vi), "Số liệu chính thức");
    EXPECT_EQ(cell("", Kind::people, vi), "");
}

TEST(ReportText, WhyAUnitMissesTheStandardReadsInVietnamese) {
    EXPECT_EQ(cell("area 26% of 100 km2; population 15% of 5000", Kind::why, vi),
              "diện tích đạt 26% tiêu chuẩn 100 km²; dân số đạt 15% tiêu chuẩn 5.000 người");
    EXPECT_EQ(cell("population 99.8% of 21000 (reduced)", Kind::why, vi),
              "dân số đạt 99,8% tiêu chuẩn 21.000 người (tiêu chuẩn đã giảm)");
    EXPECT_EQ(cell("not judged (population unknown)", Kind::why, vi),
              "chưa đánh giá (thiếu số liệu dân số)");
    EXPECT_EQ(cell("area 26% of 100 km2", Kind::why, en), "area 26% of 100 km2");
}

TEST(ReportText, LawsAreNamedAsTheLawNamesThemAndTheProjectsFilesNotCited) {
    EXPECT_EQ(legal("Res 76/2025: other phuong [P]", vi),
              "Nghị quyết 76/2025/UBTVQH15: other phuong");
    EXPECT_EQ(legal("Res 1211/2016 as amended, Art. 1 [L]; Res 76 Art. 4 at 100 % [U]", en),
              "Resolution 1211/2016/UBTVQH13 as amended, Art. 1; Resolution 76/2025/UBTVQH15 "
              "Art. 4 at 100 % (unconfirmed)");
    EXPECT_EQ(legal("Decree 33/2023/ND-CP; RULES.md §4.3 (commune class not in the data)", vi),
              "Nghị định 33/2023/NĐ-CP (commune class not in the data)");
    EXPECT_EQ(column("payout_5y_vnd", vi).label, "Kinh phí chi trả chế độ 5 năm (tỷ đồng)");
    EXPECT_EQ(column("payout_5y_vnd", vi).kind, Kind::money);
    EXPECT_EQ(column("no_such_field", vi).label, "no_such_field");
}

TEST(ReportText, WhatTheStaffingRestsOnReadsInVietnameseWithItsNumbers) {
    EXPECT_EQ(prose("pay", vi), "Tiền lương");
    EXPECT_EQ(prose("salary coefficient x 2340000 VND x 12, + 25 % public-service allowance; "
                    "mean coefficient 3.00 where no table gives one",
                    vi),
              "hệ số lương × 2.340.000 đồng × 12 tháng, + 25% phụ cấp công vụ; hệ số lương bình "
              "quân 3,00 nếu bảng biên chế không có");
    EXPECT_EQ(
        prose("the 52 merging provinces' 447,657 norms per inhabitant, applied to every "
              "province (0 provinces from the table)",
              vi),
        "định mức bình quân đầu người của 52 tỉnh sắp xếp (447.657 biên chế), áp dụng cho mọi "
        "tỉnh (0 tỉnh theo bảng biên chế)");
    // The law spelt out, the project's own file dropped, the wording translated.
    EXPECT_EQ(prose("Res 76 Art. 11: 5 years; no annual profile prescribed (RULES.md §4.1)", vi),
              "Nghị quyết 76/2025/UBTVQH15 Điều 11: 5 năm; không quy định lộ trình từng năm");
    // In English, only the laws change; wording amsim does not know stays as it is.
    EXPECT_EQ(prose("Decree 73/2024; RULES.md §4.4", en), "Decree 73/2024/NĐ-CP");
    EXPECT_EQ(prose("a planner's own note", vi), "a planner's own note");
}

} // namespace
} // namespace amsim::sim::report_text
