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

/// One fill symbol (QGIS's SimpleFill layer).
void symbol(std::ostream& q, std::size_t name, const StyleRule& r) {
    char width[32];
    std::snprintf(width, sizeof width, "%g", r.outline_mm);
    q << R"(   <symbol type="fill" name=")" << name
      << R"(" alpha="1" clip_to_extent="1" force_rhr="0">)"
      << "\n"
      << R"(    <layer class="SimpleFill" pass="0" enabled="1" locked="0">)"
      << "\n"
      << R"(     <Option type="Map">)"
      << "\n";
    option(q, "color", r.fill ? colour(*r.fill) : "0,0,0,0");
    option(q, "style", r.fill ? "solid" : "no");
    option(q, "outline_color", colour(r.outline));
    option(q, "outline_style", "solid");
    option(q, "outline_width", width);
    option(q, "outline_width_unit", "MM");
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
