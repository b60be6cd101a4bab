// QGIS styles of the output layers, in the maps' colours (map.cpp's classes).

#include "amsim/sim/outputs/layer_styles.hpp"

#include "amsim/geo/qgis_style.hpp"

namespace amsim::sim {

std::string verdict_style() {
    using geo::Rgb8;
    return geo::style_qml({
        {"Miễn xét, vẫn đạt tiêu chuẩn / waived, meets it anyway",
         R"("waived" = 1 AND "meets_standard_anyway" = 1)",
         Rgb8{158, 201, 224}},
        {"Miễn xét, nếu xét thì chưa đạt hoặc thiếu số liệu / waived, would miss it or not "
         "known",
         R"("waived" = 1 AND ("meets_standard_anyway" IS NULL OR "meets_standard_anyway" = 0))",
         Rgb8{189, 173, 219}},
        {"Chưa đạt tiêu chuẩn / below standard",
         R"("waived" = 0 AND "evaluated" = 1 AND "meets_standard" = 0)",
         Rgb8{214, 48, 38}},
        {"Đạt tiêu chuẩn / meets it",
         R"("waived" = 0 AND "evaluated" = 1 AND "meets_standard" = 1)",
         Rgb8{102, 189, 99}},
        {"Chưa đánh giá / not evaluated",
         R"("waived" = 0 AND "evaluated" = 0)",
         Rgb8{153, 153, 153}},
    });
}

std::string province_style() {
    geo::StyleRule r;
    r.label = "Tỉnh, thành phố / provinces";
    r.outline = {0, 0, 0};
    r.outline_mm = 0.6;
    return geo::style_qml({r});
}

std::string difference_style() {
    geo::StyleRule r;
    r.label = "Khác nhau giữa hai phương án / partners differ";
    r.fill = geo::Rgb8{252, 140, 61};
    return geo::style_qml({r});
}

} // namespace amsim::sim
