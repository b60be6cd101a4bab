#include "amsim/sim/outputs/map.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/layer_jobs.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/topology.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/run_file.hpp"

#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <set>

namespace amsim::sim {

namespace {

struct Metric {
    MapMetric id;
    const char* name;
    const char* label;
};
constexpr std::array<Metric, 7> metrics = {{
    {MapMetric::new_unit, "new-unit", "new units"},
    {MapMetric::population_pct, "population-pct", "population, % of the standard"},
    {MapMetric::area_pct, "area-pct", "area, % of the standard"},
    {MapMetric::surplus, "surplus", "staff above the norm (estimated)"},
    {MapMetric::seat_distance, "seat-distance", "farthest old unit from the seat, km"},
    {MapMetric::verdict, "verdict", "standard met, waived or missed"},
    {MapMetric::difference, "difference", "where two plans differ"},
}};

struct Rgb {
    double r, g, b;
};

/// Page: A4 portrait in points; the map frame inside it.
constexpr double page_w = 595.276, page_h = 841.89;
constexpr double frame_x = 36, frame_y = 78, frame_w = page_w - 72, frame_h = 640;

class Painter {
public:
    Painter(cairo_t* cr, const geo::Envelope& extent) : m_cr(cr) {
        const double lat0 = (extent.miny + extent.maxy) / 2 * std::numbers::pi / 180;
        m_kx = std::cos(lat0);
        const double w = (extent.maxx - extent.minx) * m_kx, h = extent.maxy - extent.miny;
        m_scale = std::min(frame_w / w, frame_h / h);
        m_x0 = frame_x + (frame_w - w * m_scale) / 2 - extent.minx * m_kx * m_scale;
        m_y0 = frame_y + (frame_h - h * m_scale) / 2 + extent.maxy * m_scale;
        m_km_per_pt = 111.32 / m_scale; // a degree of latitude is about 111.32 km
    }
    [[nodiscard]] double x(double lon) const { return m_x0 + lon * m_kx * m_scale; }
    [[nodiscard]] double y(double lat) const { return m_y0 - lat * m_scale; }
    [[nodiscard]] double km_per_pt() const { return m_km_per_pt; }

    void path(const geo::PolygonSet& set, std::size_t part) const {
        for (std::uint32_t q = set.part_begin(part); q < set.part_end(part); ++q) {
            for (std::uint32_t r = set.polygon_begin(q); r < set.polygon_end(q); ++r) {
                const auto ring = set.ring(r);
                if (ring.empty()) {
                    continue;
                }
                cairo_move_to(m_cr, x(ring[0].x), y(ring[0].y));
                for (std::size_t i = 1; i < ring.size(); ++i) {
                    cairo_line_to(m_cr, x(ring[i].x), y(ring[i].y));
                }
                cairo_close_path(m_cr);
            }
        }
    }

private:
    cairo_t* m_cr;
    double m_kx = 1, m_scale = 1, m_x0 = 0, m_y0 = 0, m_km_per_pt = 1;
};

void colour(cairo_t* cr, const Rgb& c) {
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/// Text with a white halo, centred on (x, y).
void label(cairo_t* cr, const std::string& text, double x, double y, double size) {
    cairo_set_font_size(cr, size);
    cairo_text_extents_t e;
    cairo_text_extents(cr, text.c_str(), &e);
    cairo_move_to(cr, x - e.width / 2 - e.x_bearing, y - e.height / 2 - e.y_bearing);
    cairo_text_path(cr, text.c_str());
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, size / 4);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_fill(cr);
}

/// Classes of a metric: upper bounds (the last open), colours, labels.
struct Classes {
    std::vector<double> upper;
    std::vector<Rgb> colours;
    std::vector<std::string> labels;
};

Classes classes_of(MapMetric m) {
    const std::vector<Rgb> diverging = {{0.70, 0.09, 0.17},
                                        {0.94, 0.54, 0.38},
                                        {0.99, 0.86, 0.78},
                                        {0.82, 0.90, 0.94},
                                        {0.40, 0.66, 0.81}};
    const std::vector<Rgb> sequential = {{1.00, 0.96, 0.92},
                                         {0.99, 0.82, 0.64},
                                         {0.99, 0.55, 0.24},
                                         {0.85, 0.28, 0.00},
                                         {0.50, 0.15, 0.02}};
    switch (m) {
    case MapMetric::population_pct:
    case MapMetric::area_pct:
        return {{50, 75, 100, 150},
                diverging,
                {"< 50 %", "50-75 %", "75-100 %", "100-150 %", ">= 150 %"}};
    case MapMetric::surplus:
        return {{0, 20, 50, 100},
                {{0.40, 0.66, 0.81}, sequential[1], sequential[2], sequential[3], sequential[4]},
                {"below the norm", "0-20", "20-50", "50-100", ">= 100"}};
    case MapMetric::seat_distance:
        return {
            {5, 10, 20, 40}, sequential, {"< 5 km", "5-10 km", "10-20 km", "20-40 km", ">= 40 km"}};
    case MapMetric::verdict:
        return {{0.5, 1.5, 2.5},
                {{0.60, 0.60, 0.60}, {0.84, 0.19, 0.15}, {0.40, 0.74, 0.39}, {0.62, 0.79, 0.88}},
                {"not evaluated", "below standard", "meets it", "waived (3+ units)"}};
    case MapMetric::difference:
        return {{0.5},
                {{0.90, 0.90, 0.90}, {0.99, 0.55, 0.24}},
                {"same partners in both plans", "partners differ"}};
    case MapMetric::new_unit:
        break;
    }
    return {};
}

std::optional<double> value_of(const MapData& d, MapMetric m, std::size_t i) {
    switch (m) {
    case MapMetric::population_pct:
        return d.population_pct[i];
    case MapMetric::area_pct:
        return d.area_pct[i];
    case MapMetric::surplus:
        return d.surplus[i];
    case MapMetric::seat_distance:
        return d.seat_distance[i];
    case MapMetric::verdict:
        return d.verdict[i] + 1.0; // -1..2 -> 0..3
    case MapMetric::difference:
        return i < d.differs.size() ? std::optional<double>(d.differs[i]) : std::nullopt;
    case MapMetric::new_unit:
        break;
    }
    return std::nullopt;
}

/// Colours of the new units, neighbours different (greedy, in unit order).
std::vector<Rgb> unit_colours(const MapData& d) {
    const std::vector<Rgb> palette = {{0.55, 0.83, 0.78},
                                      {1.00, 1.00, 0.70},
                                      {0.75, 0.73, 0.85},
                                      {0.98, 0.50, 0.45},
                                      {0.50, 0.69, 0.83},
                                      {0.99, 0.71, 0.38},
                                      {0.70, 0.87, 0.41},
                                      {0.99, 0.80, 0.90}};
    std::vector<int> c(d.code.size(), -1);
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::array<bool, 8> used{};
        for (std::uint32_t n : d.neighbours[i]) {
            if (c[n] >= 0) {
                used[static_cast<std::size_t>(c[n])] = true;
            }
        }
        int k = 0;
        while (k < 7 && used[static_cast<std::size_t>(k)]) {
            ++k;
        }
        c[i] = k;
    }
    std::vector<Rgb> out;
    out.reserve(c.size());
    for (int k : c) {
        out.push_back(palette[static_cast<std::size_t>(k)]);
    }
    return out;
}

double nice_length(double km) {
    const double p = std::pow(10.0, std::floor(std::log10(km)));
    for (double m : {1.0, 2.0, 5.0}) {
        if (m * p >= km * 0.6) {
            return m * p;
        }
    }
    return 10 * p;
}

} // namespace

std::vector<std::size_t> remote_units(const geo::PolygonSet& units,
                                      const std::vector<std::size_t>& shown) {
    if (shown.size() < 10) {
        return {};
    }
    std::vector<double> xs, ys;
    for (std::size_t i : shown) {
        const geo::Envelope e = units.part_envelope(i);
        xs.push_back((e.minx + e.maxx) / 2);
        ys.push_back((e.miny + e.maxy) / 2);
    }
    auto quantile = [](std::vector<double> v, double q) {
        std::sort(v.begin(), v.end());
        return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
    };
    // Where most units lie (5th to 95th percentile of their centres), grown by half its size.
    geo::Envelope core{
        quantile(xs, 0.05), quantile(ys, 0.05), quantile(xs, 0.95), quantile(ys, 0.95)};
    const double grow = 0.5 * std::max(core.maxx - core.minx, core.maxy - core.miny);
    core.minx -= grow;
    core.miny -= grow;
    core.maxx += grow;
    core.maxy += grow;
    std::vector<std::size_t> remote;
    for (std::size_t i : shown) {
        if (!units.part_envelope(i).intersects(core)) {
            remote.push_back(i);
        }
    }
    // Only a few: a province in two halves keeps both on its page.
    return remote.size() * 20 <= shown.size() ? remote : std::vector<std::size_t>{};
}

namespace {

/// What a map shows: its units, the extent of the frame, the remote islands left out of it.
struct Frame {
    std::vector<std::size_t> shown;
    geo::Envelope extent;
    std::vector<std::string> off_map;
};

Frame frame_of(const MapData& d, const MapOptions& o) {
    Frame f;
    std::vector<std::size_t>& shown = f.shown;
    geo::Envelope& extent = f.extent;
    std::vector<std::string>& off_map = f.off_map;
    // Units shown and the extent.
    for (std::size_t i = 0; i < d.code.size(); ++i) {
        if (o.province.empty() || d.province[i] == o.province) {
            shown.push_back(i);
            extent.expand(d.units.part_envelope(i));
        }
    }
    if (shown.empty()) {
        std::string codes;
        for (const std::string& c : d.province_code) {
            codes += (codes.empty() ? "" : ", ") + c;
        }
        throw InputError("no new unit in province '" + o.province + "' (new provinces: " + codes +
                         ")");
    }
    // On a province map, remote islands (a unit far from where most units lie) would shrink
    // the province to a corner of the page: they are left out of the frame and named.
    if (!o.province.empty()) {
        const std::vector<std::size_t> remote = remote_units(d.units, shown);
        if (!remote.empty()) {
            extent = geo::Envelope();
            for (std::size_t i : shown) {
                if (std::find(remote.begin(), remote.end(), i) == remote.end()) {
                    extent.expand(d.units.part_envelope(i));
                }
            }
            for (std::size_t i : remote) {
                off_map.push_back(d.name[i]);
            }
        }
    }
    const double pad = 0.02 * std::max(extent.maxx - extent.minx, extent.maxy - extent.miny);
    extent.minx -= pad;
    extent.maxx += pad;
    extent.miny -= pad;
    extent.maxy += pad;
    return f;
}

/// The fills, the old and new boundaries, the provinces and the second plan's units.
void draw_layers(
    cairo_t* cr, const Painter& p, const MapData& d, const MapOptions& o, const Frame& f) {
    const std::vector<std::size_t>& shown = f.shown;
    const geo::Envelope& extent = f.extent;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_save(cr);
    cairo_rectangle(cr, frame_x, frame_y, frame_w, frame_h);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    // Neighbouring provinces in light grey for context.
    if (!o.province.empty()) {
        for (std::size_t j = 0; j < d.province_code.size(); ++j) {
            if (d.province_code[j] != o.province &&
                d.provinces.part_envelope(j).intersects(extent)) {
                p.path(d.provinces, j);
            }
        }
        cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
        cairo_fill(cr);
    }
    // Fills.
    const Classes cls = classes_of(o.metric);
    const std::vector<Rgb> unit_rgb =
        o.metric == MapMetric::new_unit ? unit_colours(d) : std::vector<Rgb>{};
    for (std::size_t i : shown) {
        Rgb c{0.95, 0.95, 0.95}; // no data: lighter than "not evaluated"
        if (o.metric == MapMetric::new_unit) {
            c = unit_rgb[i];
        } else if (const auto v = value_of(d, o.metric, i)) {
            std::size_t k = 0;
            while (k < cls.upper.size() && *v >= cls.upper[k]) {
                ++k;
            }
            c = cls.colours[k];
        }
        p.path(d.units, i);
        colour(cr, c);
        cairo_fill(cr);
    }
    // Old boundaries, new boundaries, provinces.
    for (std::size_t u = 0; u < d.old_units.part_count(); ++u) {
        if (d.old_units.part_envelope(u).intersects(extent)) {
            p.path(d.old_units, u);
        }
    }
    cairo_set_source_rgba(cr, 0.35, 0.35, 0.35, 0.8);
    cairo_set_line_width(cr, o.province.empty() ? 0.08 : 0.3);
    cairo_stroke(cr);
    for (std::size_t i : shown) {
        p.path(d.units, i);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, o.province.empty() ? 0.2 : 0.8);
    cairo_stroke(cr);
    for (std::size_t j = 0; j < d.province_code.size(); ++j) {
        if (d.provinces.part_envelope(j).intersects(extent)) {
            p.path(d.provinces, j);
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, o.province.empty() ? 0.7 : 1.6);
    cairo_stroke(cr);
    for (std::size_t j = 0; j < d.other_units.part_count(); ++j) {
        if (d.other_units.part_envelope(j).intersects(extent)) {
            p.path(d.other_units, j);
        }
    }
    cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
    cairo_set_line_width(cr, o.province.empty() ? 0.35 : 0.9);
    cairo_stroke(cr);
}

/// Unit names on a province map (where they fit), province names on the country.
void draw_labels(
    cairo_t* cr, const Painter& p, const MapData& d, const MapOptions& o, const Frame& f) {
    const std::vector<std::size_t>& shown = f.shown;
    if (!o.province.empty()) {
        std::vector<geo::Envelope> placed;
        for (std::size_t i : shown) {
            const geo::Envelope e = d.units.part_envelope(i);
            const double w = p.x(e.maxx) - p.x(e.minx);
            std::string text = d.name[i];
            for (const char* prefix : {"Phường ", "Xã ", "Đặc khu "}) {
                if (text.starts_with(prefix)) {
                    text = text.substr(std::string(prefix).size());
                }
            }
            cairo_set_font_size(cr, 5.5);
            cairo_text_extents_t te;
            cairo_text_extents(cr, text.c_str(), &te);
            const geo::Coord c = geo::centroid(d.units, i);
            // A label that fits its unit and overlaps no label placed before it.
            const geo::Envelope box{p.x(c.x) - te.width / 2 - 1,
                                    p.y(c.y) - te.height / 2 - 1,
                                    p.x(c.x) + te.width / 2 + 1,
                                    p.y(c.y) + te.height / 2 + 1};
            if (te.width < 1.3 * w &&
                std::none_of(placed.begin(), placed.end(), [&](const geo::Envelope& b) {
                    return b.intersects(box);
                })) {
                placed.push_back(box);
                label(cr, text, p.x(c.x), p.y(c.y), 5.5);
            }
        }
    } else {
        for (std::size_t j = 0; j < d.province_code.size(); ++j) {
            const geo::Coord c = geo::centroid(d.provinces, j);
            std::string text = j < d.province_name.size() ? d.province_name[j] : "";
            if (text.empty()) {
                continue;
            }
            for (const char* prefix : {"Thành phố ", "Tỉnh "}) {
                if (text.starts_with(prefix)) {
                    text = text.substr(std::string(prefix).size());
                }
            }
            label(cr, text, p.x(c.x), p.y(c.y), 6.5);
        }
    }
}

void draw_title(cairo_t* cr, const MapData& d, const MapOptions& o, const Frame& f) {
    const std::vector<std::size_t>& shown = f.shown;
    const std::vector<std::string>& off_map = f.off_map;
    std::string area = "Viet Nam";
    for (std::size_t j = 0; j < d.province_code.size() && !o.province.empty(); ++j) {
        if (d.province_code[j] == o.province) {
            area = d.province_name[j] + " (" + o.province + ")";
        }
    }
    const Metric* metric = metrics.data();
    for (const Metric& m : metrics) {
        if (m.id == o.metric) {
            metric = &m;
        }
    }
    const std::string title = !o.title.empty() ? o.title : area + ": " + metric->label;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 15);
    cairo_move_to(cr, frame_x, 50);
    cairo_show_text(cr, title.c_str());
    cairo_set_font_size(cr, 8.5);
    cairo_move_to(cr, frame_x, 66);
    std::string sub = "scenario " + d.scenario_name + ", rules " + d.rules + "; " +
                      std::to_string(shown.size()) + " " + d.units_label;
    if (!off_map.empty()) {
        sub += "; off the map (remote islands): ";
        for (std::size_t k = 0; k < off_map.size(); ++k) {
            sub += (k ? ", " : "") + off_map[k];
        }
    }
    cairo_show_text(cr, sub.c_str());
}

void draw_legend(cairo_t* cr, const MapData& d, const MapOptions& o) {
    const Classes cls = classes_of(o.metric);
    double ly = frame_y + frame_h + 18;
    cairo_set_font_size(cr, 8);
    auto swatch = [&](double x, const Rgb& c, const std::string& text, double line = -1) {
        if (line < 0) {
            cairo_rectangle(cr, x, ly - 7, 12, 8);
            colour(cr, c);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
            cairo_set_line_width(cr, 0.4);
            cairo_stroke(cr);
        } else {
            cairo_move_to(cr, x, ly - 3);
            cairo_line_to(cr, x + 12, ly - 3);
            colour(cr, c);
            cairo_set_line_width(cr, line);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, x + 16, ly);
        cairo_show_text(cr, text.c_str());
        cairo_text_extents_t te;
        cairo_text_extents(cr, text.c_str(), &te);
        return x + 16 + te.x_advance + 14;
    };
    double lx = frame_x;
    if (o.metric == MapMetric::new_unit) {
        swatch(lx, {0.55, 0.83, 0.78}, "a new unit (neighbours differ in colour)");
    } else {
        for (std::size_t k = 0; k < cls.colours.size(); ++k) {
            lx = swatch(lx, cls.colours[k], cls.labels[k]);
        }
        swatch(lx, {0.95, 0.95, 0.95}, "no data");
    }
    ly += 16;
    lx = frame_x;
    if (d.old_units.part_count() > 0) {
        lx = swatch(lx, {0.35, 0.35, 0.35}, "old units", 0.5);
    }
    lx = swatch(lx, {0.2, 0.2, 0.2}, d.units_label, 1);
    lx = swatch(lx, {0, 0, 0}, d.provinces_label, 2);
    if (d.other_units.part_count() > 0) {
        (void)swatch(lx, {0.85, 0.1, 0.1}, d.other_label, 1.5);
    }
}

void draw_scale(cairo_t* cr, const Painter& p) {
    const double km = nice_length(frame_w / 5 * p.km_per_pt());
    const double len = km / p.km_per_pt();
    const double sx = frame_x + frame_w - len, sy = frame_y + frame_h + 34;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_rectangle(cr, sx, sy, len / 2, 4);
    cairo_fill(cr);
    cairo_rectangle(cr, sx, sy, len, 4);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g km", km);
    cairo_move_to(cr, sx + len - 20, sy - 4);
    cairo_show_text(cr, buf);
    cairo_move_to(cr, sx, sy - 4);
    cairo_show_text(cr, "0");
}

void draw(cairo_t* cr, const MapData& d, const MapOptions& o) {
    const Frame f = frame_of(d, o);
    const Painter p(cr, f.extent);
    draw_layers(cr, p, d, o, f);
    draw_labels(cr, p, d, o, f);
    cairo_restore(cr);
    cairo_rectangle(cr, frame_x, frame_y, frame_w, frame_h);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    draw_title(cr, d, o, f);
    draw_legend(cr, d, o);
    draw_scale(cr, p);
    // Footer: what the figures are.
    cairo_set_font_size(cr, 6.5);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    std::string foot =
        std::string("amsim ") + amsim_version() + "; longitude scaled by cos(latitude)";
    if (o.metric == MapMetric::surplus) {
        foot += "; staff ESTIMATED from the legal norms (docs/staffing.md)";
    }
    cairo_move_to(cr, frame_x, page_h - 24);
    cairo_show_text(cr, foot.c_str());
}

} // namespace

MapMetric parse_metric(const std::string& name) {
    for (const Metric& m : metrics) {
        if (name == m.name) {
            return m.id;
        }
    }
    throw UsageError("unknown map metric '" + name + "'");
}

const char* metric_name(MapMetric id) {
    for (const Metric& m : metrics) {
        if (m.id == id) {
            return m.name;
        }
    }
    return "?";
}

std::vector<std::string> metric_names() {
    std::vector<std::string> out;
    out.reserve(metrics.size());
    for (const Metric& m : metrics) {
        out.emplace_back(m.name);
    }
    return out;
}

MapData read_map_data(const std::string& run_gpkg, const std::string& base_override) {
    MapData d;
    const RunFile run(run_gpkg);
    d.provenance = run.provenance();
    d.scenario_name = d.provenance["scenario_name"];
    d.rules = d.provenance["rules_profile"];
    // New units, with a topology for the neighbours (colours).
    StoredCommunes units = run.communes();
    d.units = units.layer.layer.geometry;
    for (std::size_t i = 0; i < units.layer.layer.units.size(); ++i) {
        const geo::Unit& u = units.layer.layer.units[i];
        d.code.push_back(u.code);
        d.name.push_back(u.name);
        d.province.push_back(u.parent_code);
        d.verdict.push_back(units.waived[i]      ? 2
                            : units.evaluated[i] ? (units.meets_standard[i] ? 1 : 0)
                                                 : -1);
    }
    d.population_pct = std::move(units.population_pct);
    d.area_pct = std::move(units.area_pct);
    d.seat_distance = std::move(units.seat_distance_km);
    d.surplus = std::move(units.surplus);
    d.neighbours.resize(d.code.size());
    for (const geo::Adjacency& a : units.layer.topology.adjacency()) {
        d.neighbours[a.a].push_back(a.b);
        d.neighbours[a.b].push_back(a.a);
    }
    // Provinces.
    std::vector<geo::Diagnostic> ignored;
    const geo::UnitLayer provinces = run.provinces();
    d.provinces = provinces.geometry;
    for (const geo::Unit& u : provinces.units) {
        d.province_code.push_back(u.code);
        d.province_name.push_back(u.name);
    }
    // The old boundaries, from the base layer (skipped if it is gone).
    const std::string base = base_override.empty() ? d.provenance["base"] : base_override;
    if (!base.empty()) {
        geo::ReadOptions ob;
        ob.layer = d.provenance["base_layer"];
        ob.mapping.code = d.provenance["base_code_field"];
        try {
            d.old_units = geo::read_units(base, ob, ignored).geometry;
        } catch (const InputError&) {
            if (!base_override.empty()) {
                throw;
            }
        }
    }
    return d;
}

namespace {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

} // namespace

bool metric_has_data(const MapData& data, const MapOptions& options) {
    if (options.metric == MapMetric::new_unit) {
        return true;
    }
    for (std::size_t i = 0; i < data.code.size(); ++i) {
        if ((options.province.empty() || data.province[i] == options.province) &&
            value_of(data, options.metric, i)) {
            return true;
        }
    }
    return false;
}

void require_metric_data(const MapData& data, const MapOptions& options) {
    if (metric_has_data(data, options)) {
        return;
    }
    std::string why;
    switch (options.metric) {
    case MapMetric::seat_distance:
        why = "the run has no seats: give each new unit's seat (the mapping's seat column, or "
              "seat_lon and seat_lat in the figures table)";
        break;
    case MapMetric::surplus:
        why = "the run has no staffing (run it without --no-staffing)";
        break;
    case MapMetric::population_pct:
        why = "no unit has a population (the base layer's population field, or the figures "
              "table)";
        break;
    default:
        why = "the run has no value for it";
        break;
    }
    throw InputError(std::string("--metric ") + metric_name(options.metric) + ": no unit" +
                     (options.province.empty() ? "" : " of province " + options.province) +
                     " has a value, the map would be all 'no data': " + why);
}

std::string render_map(const MapData& data, const MapOptions& options, MapFormat format) {
    std::string bytes;
    cairo_surface_t* surface = nullptr;
    const double zoom = options.dpi / 72;
    if (format == MapFormat::svg) {
        surface = cairo_svg_surface_create_for_stream(append_bytes, &bytes, page_w, page_h);
    } else {
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                             static_cast<int>(std::lround(page_w * zoom)),
                                             static_cast<int>(std::lround(page_h * zoom)));
    }
    cairo_t* cr = cairo_create(surface);
    if (format == MapFormat::png) {
        cairo_scale(cr, zoom, zoom);
    }
    try {
        draw(cr, data, options);
    } catch (...) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        throw;
    }
    cairo_destroy(cr);
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    if (format == MapFormat::png) {
        status = cairo_surface_write_to_png_stream(surface, append_bytes, &bytes);
    } else {
        cairo_surface_finish(surface);
        status = cairo_surface_status(surface);
    }
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        throw InternalError(std::string("cannot draw the map: ") + cairo_status_to_string(status));
    }
    return bytes;
}

MapFormat map_format(const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".png") {
        return MapFormat::png;
    }
    if (ext == ".svg") {
        return MapFormat::svg;
    }
    throw UsageError(path + ": a map is written as .png or .svg");
}

void write_map(const MapData& data,
               const MapOptions& options,
               const std::string& path,
               const geo::OutputPolicy& policy) {
    geo::write_file(path, render_map(data, options, map_format(path)), policy);
}

} // namespace amsim::sim
