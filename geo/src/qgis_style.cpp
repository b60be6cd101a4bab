// QGIS styles (QML) for output layers.

#include "amsim/geo/qgis_style.hpp"

#include "amsim/geo/text.hpp"

#include <cstdio>
#include <sstream>

namespace amsim::geo {

namespace {

std::string colour(const Rgb8& c) {
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ",255";
}

/// One option of a symbol layer.
void option(std::ostream& q, const char* name, const std::string& value) {
    q << R"(      <Option type="QString" name=")" << name << R"(" value=")" << xml_escape(value)
      << "\"/>\n";
}

std::string millimetres(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

/// One symbol: a fill (QGIS's SimpleFill layer), a marker (SimpleMarker) or a line
/// (SimpleLine).
void symbol(std::ostream& q, std::size_t name, const StyleRule& r) {
    using Kind = StyleRule::Kind;
    const char* type = r.kind == Kind::fill ? "fill" : r.kind == Kind::marker ? "marker" : "line";
    const char* layer = r.kind == Kind::fill     ? "SimpleFill"
                        : r.kind == Kind::marker ? "SimpleMarker"
                                                 : "SimpleLine";
    q << R"(   <symbol type=")" << type << R"(" name=")" << name
      << R"(" alpha="1" clip_to_extent="1" force_rhr="0">)"
      << "\n"
      << R"(    <layer class=")" << layer << R"(" pass="0" enabled="1" locked="0">)"
      << "\n"
      << R"(     <Option type="Map">)"
      << "\n";
    if (r.kind == Kind::line) {
        option(q, "line_color", colour(r.outline));
        option(q, "line_style", "solid");
        option(q, "line_width", millimetres(r.outline_mm));
        option(q, "line_width_unit", "MM");
    } else {
        option(q, "color", r.fill ? colour(*r.fill) : "0,0,0,0");
        if (r.kind == Kind::marker) {
            option(q, "name", r.marker);
            option(q, "size", millimetres(r.size_mm));
            option(q, "size_unit", "MM");
        } else {
            option(q, "style", r.fill ? "solid" : "no");
        }
        option(q, "outline_color", colour(r.outline));
        option(q, "outline_style", "solid");
        option(q, "outline_width", millimetres(r.outline_mm));
        option(q, "outline_width_unit", "MM");
    }
    q << "     </Option>\n    </layer>\n   </symbol>\n";
}

} // namespace

std::string style_qml(const std::vector<StyleRule>& rules) {
    std::ostringstream q;
    q << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      << "<qgis version=\"3.28\" styleCategories=\"Symbology\">\n";
    const bool single = rules.size() == 1 && rules[0].filter.empty();
    if (single) {
        q << " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
             "forceraster=\"0\">\n  <symbols>\n";
        symbol(q, 0, rules[0]);
        q << "  </symbols>\n </renderer-v2>\n";
    } else {
        q << " <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" enableorderby=\"0\" "
             "forceraster=\"0\">\n  <rules key=\"root\">\n";
        for (std::size_t i = 0; i < rules.size(); ++i) {
            q << "   <rule key=\"r" << i << "\" symbol=\"" << i << "\" label=\""
              << xml_escape(rules[i].label) << "\"";
            if (!rules[i].filter.empty()) {
                q << " filter=\"" << xml_escape(rules[i].filter) << "\"";
            }
            q << "/>\n";
        }
        q << "  </rules>\n  <symbols>\n";
        for (std::size_t i = 0; i < rules.size(); ++i) {
            symbol(q, i, rules[i]);
        }
        q << "  </symbols>\n </renderer-v2>\n";
    }
    q << "</qgis>\n";
    return q.str();
}

std::string default_style_qml() {
    StyleRule r;
    r.label = "units";
    r.fill = Rgb8{225, 236, 244};
    return style_qml({r});
}

} // namespace amsim::geo
