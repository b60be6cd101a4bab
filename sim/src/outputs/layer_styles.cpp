// QGIS styles of the output layers, in the maps' colours (map.cpp's classes).

#include "amsim/sim/outputs/layer_styles.hpp"

#include "amsim/geo/qgis_style.hpp"

#include "report_text.hpp"

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

void describe_fields(const std::string& layer, std::vector<geo::OutputField>& fields) {
    namespace rt = report_text;
    const bool staffing = layer.starts_with("staff");
    for (geo::OutputField& f : fields) {
        const rt::Column vi = rt::column(f.name, rt::Lang::vi);
        if (vi.label == f.name) {
            continue; // not a field amsim labels
        }
        const rt::Column en = rt::column(f.name, rt::Lang::en);
        std::string note;
        switch (vi.kind) {
        case rt::Kind::source:
            note = "official = the official figures table; polygons = computed from the "
                   "polygons; base layer = the base layer's field; mapping = the mapping table";
            break;
        case rt::Kind::money:
            note = "in VND (whole dong)";
            break;
        case rt::Kind::pct:
            note = "percent";
            break;
        case rt::Kind::flag:
            note = "1 yes, 0 no, empty not applicable";
            break;
        case rt::Kind::code:
            note = "a code, as text";
            break;
        default:
            break;
        }
        if (f.name == "area_km2" || f.name == "population") {
            note = "official where the figures table gives it, else computed from the polygons "
                   "or the base layer: the _source field says which";
        }
        if (staffing && (vi.kind == rt::Kind::people || vi.kind == rt::Kind::money)) {
            note += std::string(note.empty() ? "" : "; ") +
                    "ESTIMATED from the legal norms unless a staffing table was given";
        }
        f.title = vi.label;
        f.description = vi.label + " / " + en.label + (note.empty() ? "" : " (" + note + ")");
    }
}

} // namespace amsim::sim
