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
#include <map>
#include <numbers>
#include <numeric>
#include <set>

#include "report_text.hpp"

namespace amsim::sim {

namespace {

namespace rt = report_text;

struct Metric {
    MapMetric id;
    const char* name;
    const char* label; ///< English, the key of its Vietnamese (report_text::phrase)
};
constexpr std::array<Metric, 8> metrics = {{
    {MapMetric::new_unit, "new-unit", "new units"},
    {MapMetric::population_pct, "population-pct", "population, % of the standard"},
    {MapMetric::area_pct, "area-pct", "area, % of the standard"},
    {MapMetric::surplus, "surplus", "staff above the norm (estimated)"},
    {MapMetric::seat_distance, "seat-distance", "farthest old unit from the seat, km"},
    {MapMetric::verdict, "verdict", "standard met, waived or missed"},
    {MapMetric::difference, "difference", "where two plans differ"},
    {MapMetric::offices, "offices", "surplus offices per new unit (estimated)"},
}};

struct Rgb {
    double r, g, b;
};

constexpr Rgb no_data{0.95, 0.95, 0.95}; // lighter than "not evaluated"

/// Page: A4 portrait in points; the map frame inside it.
constexpr double page_w = 595.276, page_h = 841.89;
constexpr double frame_x = 36, frame_y = 78, frame_w = page_w - 72, frame_h = 640;

/// A box on the page, in points.
struct Box {
    double x, y, w, h;
    [[nodiscard]] bool overlaps(const Box& o) const {
        return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
};
constexpr Box main_frame{frame_x, frame_y, frame_w, frame_h};

/// Longitude and latitude to points on the page, the extent fitted into a box (longitude
/// scaled by the cosine of the latitude).
class Painter {
public:
    Painter(cairo_t* cr, const geo::Envelope& extent, const Box& box) : m_cr(cr), m_box(box) {
        const double lat0 = (extent.miny + extent.maxy) / 2 * std::numbers::pi / 180;
        m_kx = std::cos(lat0);
        const double w = (extent.maxx - extent.minx) * m_kx, h = extent.maxy - extent.miny;
        m_scale = std::min(box.w / w, box.h / h);
        m_x0 = box.x + (box.w - w * m_scale) / 2 - extent.minx * m_kx * m_scale;
        m_y0 = box.y + (box.h - h * m_scale) / 2 + extent.maxy * m_scale;
        m_km_per_pt = 111.32 / m_scale; // a degree of latitude is about 111.32 km
    }
    [[nodiscard]] double x(double lon) const { return m_x0 + lon * m_kx * m_scale; }
    [[nodiscard]] double y(double lat) const { return m_y0 - lat * m_scale; }
    [[nodiscard]] double km_per_pt() const { return m_km_per_pt; }
    [[nodiscard]] const Box& box() const { return m_box; }
    /// The envelope's box on the page.
    [[nodiscard]] Box on_page(const geo::Envelope& e) const {
        return {x(e.minx), y(e.maxy), x(e.maxx) - x(e.minx), y(e.miny) - y(e.maxy)};
    }
    /// The part of the world the box shows.
    [[nodiscard]] geo::Envelope world() const {
        return {(m_box.x - m_x0) / (m_kx * m_scale),
                (m_y0 - m_box.y - m_box.h) / m_scale,
                (m_box.x + m_box.w - m_x0) / (m_kx * m_scale),
                (m_y0 - m_box.y) / m_scale};
    }

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
    Box m_box;
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

/// Classes of a metric: upper bounds (the last open), colours, labels (English keys).
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
    case MapMetric::verdict: // the colours of layer_styles.cpp
        return {{0.5, 1.5, 2.5, 3.5},
                {{0.60, 0.60, 0.60},
                 {0.84, 0.19, 0.15},
                 {0.40, 0.74, 0.39},
                 {0.62, 0.79, 0.88},
                 {0.74, 0.68, 0.86}},
                {"not evaluated",
                 "below standard",
                 "meets it",
                 "waived, meets it anyway",
                 "waived, would miss it or not known"}};
    case MapMetric::difference:
        return {{0.5},
                {{0.90, 0.90, 0.90}, {0.99, 0.55, 0.24}},
                {"same partners in both plans", "partners differ"}};
    case MapMetric::offices:
        return {{0.5, 1.5, 2.5, 4.5},
                {{0.90, 0.95, 0.90}, sequential[1], sequential[2], sequential[3], sequential[4]},
                {"none", "1", "2", "3-4", ">= 5"}};
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
        return d.verdict[i] + 1.0; // -1..3 -> 0..4
    case MapMetric::difference:
        return i < d.differs.size() ? std::optional<double>(d.differs[i]) : std::nullopt;
    case MapMetric::offices:
        return i < d.offices_surplus.size() ? d.offices_surplus[i] : std::nullopt;
    case MapMetric::new_unit:
        break;
    }
    return std::nullopt;
}

const std::array<Rgb, 8> palette = {{{0.55, 0.83, 0.78},
                                     {1.00, 1.00, 0.70},
                                     {0.75, 0.73, 0.85},
                                     {0.98, 0.50, 0.45},
                                     {0.50, 0.69, 0.83},
                                     {0.99, 0.71, 0.38},
                                     {0.70, 0.87, 0.41},
                                     {0.99, 0.80, 0.90}}};

/// FNV-1a: the same code, the same number, on every machine.
std::uint32_t code_hash(const std::string& code) {
    std::uint32_t h = 2166136261U;
    for (const char c : code) {
        h = (h ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return h;
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

/// A unit's name without its type ("Phường Hà Lầm" -> "Hà Lầm"), for labels.
std::string short_name(std::string text) {
    for (const char* prefix : {"Phường ", "Xã ", "Đặc khu ", "Thành phố ", "Tỉnh "}) {
        if (text.starts_with(prefix)) {
            return text.substr(std::string(prefix).size());
        }
    }
    return text;
}

/// The centre of the largest polygon of a part: where a province's name goes (not in the sea
/// between its mainland and its islands).
geo::Coord main_centre(const geo::PolygonSet& set, std::size_t part) {
    double best = -1;
    std::uint32_t best_q = set.part_begin(part);
    for (std::uint32_t q = set.part_begin(part); q < set.part_end(part); ++q) {
        const double a = std::abs(geo::signed_area(set.ring(set.polygon_begin(q))));
        if (a > best) {
            best = a;
            best_q = q;
        }
    }
    if (best <= 0) {
        return geo::centroid(set, part);
    }
    geo::PolygonSet one;
    for (std::uint32_t r = set.polygon_begin(best_q); r < set.polygon_end(best_q); ++r) {
        one.add_ring(set.ring(r));
    }
    one.end_polygon();
    one.end_part();
    return geo::centroid(one, 0);
}

} // namespace

std::vector<int> unit_palette_indices(const MapData& d) {
    std::vector<std::size_t> order(d.code.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return d.code[a] < d.code[b];
    });
    std::vector<int> c(d.code.size(), -1);
    for (const std::size_t i : order) {
        std::array<bool, palette.size()> used{};
        for (const std::uint32_t n :
             i < d.neighbours.size() ? d.neighbours[i] : std::vector<std::uint32_t>{}) {
            if (c[n] >= 0) {
                used[static_cast<std::size_t>(c[n])] = true;
            }
        }
        const std::size_t first = code_hash(d.code[i]) % palette.size();
        std::size_t k = first;
        for (std::size_t step = 0; step < palette.size(); ++step) {
            k = (first + step) % palette.size();
            if (!used[k]) {
                break;
            }
        }
        c[i] = static_cast<int>(used[k] ? first : k);
    }
    return c;
}

std::vector<std::vector<std::size_t>> dense_centres(const MapData& d,
                                                    const std::vector<std::size_t>& shown,
                                                    std::size_t count,
                                                    std::size_t size,
                                                    double separation) {
    if (shown.size() < size || count == 0) {
        return {};
    }
    std::vector<geo::Coord> centre(d.code.size());
    std::vector<double> area(d.code.size(), 0);
    std::vector<std::size_t> dense;
    for (const std::size_t i : shown) {
        const geo::Envelope e = d.units.part_envelope(i);
        centre[i] = {(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2};
        area[i] = std::abs(d.units.part_area(i)) * std::cos(centre[i].y * std::numbers::pi / 180);
        if (i < d.density.size() && d.density[i]) {
            dense.push_back(i);
        }
    }
    std::stable_sort(dense.begin(), dense.end(), [&](std::size_t a, std::size_t b) {
        return *d.density[a] > *d.density[b];
    });
    // Each of the densest units (a few hundred) seeds a cluster of its `size` nearest units;
    // a cluster is as dense as its people over its area, so that one unit with an outlying
    // figure does not make a centre.
    struct Cluster {
        std::vector<std::size_t> units;
        geo::Coord seed;
        double density = 0;
    };
    std::vector<Cluster> clusters;
    dense.resize(std::min<std::size_t>(dense.size(), 300));
    for (const std::size_t seed : dense) {
        const geo::Coord c = centre[seed];
        const double kx = std::cos(c.y * std::numbers::pi / 180);
        auto dist = [&](std::size_t i) {
            return std::hypot((centre[i].x - c.x) * kx, centre[i].y - c.y);
        };
        std::vector<std::size_t> near = shown;
        std::nth_element(near.begin(),
                         near.begin() + static_cast<std::ptrdiff_t>(size - 1),
                         near.end(),
                         [&](std::size_t a, std::size_t b) {
                             return dist(a) != dist(b) ? dist(a) < dist(b) : a < b;
                         });
        near.resize(size);
        std::sort(near.begin(), near.end());
        double people = 0, km = 0;
        for (const std::size_t i : near) {
            if (i < d.density.size() && d.density[i]) {
                people += *d.density[i] * area[i];
                km += area[i];
            }
        }
        clusters.push_back({std::move(near), c, km > 0 ? people / km : 0});
    }
    std::stable_sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) {
        return a.density > b.density;
    });
    std::vector<std::vector<std::size_t>> out;
    std::vector<geo::Coord> chosen;
    for (Cluster& cl : clusters) {
        if (out.size() >= count) {
            break;
        }
        const bool apart = std::none_of(chosen.begin(), chosen.end(), [&](const geo::Coord& o) {
            return geo::distance(o, cl.seed) < separation;
        });
        // No unit in two insets: a cluster astride a centre already taken is not another.
        const bool shares = std::any_of(out.begin(), out.end(), [&](const auto& taken) {
            return std::any_of(cl.units.begin(), cl.units.end(), [&](std::size_t i) {
                return std::binary_search(taken.begin(), taken.end(), i);
            });
        });
        if (apart && !shares) {
            chosen.push_back(cl.seed);
            out.push_back(std::move(cl.units));
        }
    }
    return out;
}

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
    std::vector<int> unit_colour; ///< palette index per unit (new-unit maps), for every inset
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
    if (o.metric == MapMetric::new_unit) {
        f.unit_colour = unit_palette_indices(d);
    }
    return f;
}

/// The fills, the old and new boundaries, the provinces and the second plan's units, in the
/// painter's box; `detailed`: the line widths of a province's map (or an inset).
/// The colour of an office by its use: seat, kept, surplus.
Rgb office_colour(int role) {
    return role == 0 ? Rgb{0.80, 0.10, 0.10} : role == 1 ? Rgb{0.15, 0.45, 0.80} : Rgb{1, 1, 1};
}

/// Every old office of the units shown: a line to its new unit's seat, then a dot by its use
/// (the seats last, on top).
void draw_offices(
    cairo_t* cr, const Painter& p, const MapData& d, const MapOptions& o, bool detailed) {
    std::map<std::string, geo::Coord> seat;
    for (std::size_t k = 0; k < d.office_at.size(); ++k) {
        if (d.office_role[k] == 0) {
            seat[d.office_unit[k]] = d.office_at[k];
        }
    }
    std::set<std::string> shown;
    for (std::size_t i = 0; i < d.code.size(); ++i) {
        if (o.province.empty() || d.province[i] == o.province) {
            shown.insert(d.code[i]);
        }
    }
    for (std::size_t k = 0; k < d.office_at.size(); ++k) {
        const auto s = seat.find(d.office_unit[k]);
        if (d.office_role[k] != 0 && s != seat.end() && shown.contains(d.office_unit[k])) {
            cairo_move_to(cr, p.x(d.office_at[k].x), p.y(d.office_at[k].y));
            cairo_line_to(cr, p.x(s->second.x), p.y(s->second.y));
        }
    }
    cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.7);
    cairo_set_line_width(cr, detailed ? 0.6 : 0.15);
    cairo_stroke(cr);
    const double r = detailed ? 2.2 : 0.55;
    for (const int role : {2, 1, 0}) {
        for (std::size_t k = 0; k < d.office_at.size(); ++k) {
            if (d.office_role[k] != role || !shown.contains(d.office_unit[k])) {
                continue;
            }
            const double x = p.x(d.office_at[k].x), y = p.y(d.office_at[k].y);
            cairo_new_sub_path(cr);
            cairo_arc(cr, x, y, role == 0 ? r * 1.5 : r, 0, 2 * std::numbers::pi);
            colour(cr, office_colour(role));
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_set_line_width(cr, detailed ? 0.5 : 0.12);
            cairo_stroke(cr);
        }
    }
}

void draw_layers(cairo_t* cr,
                 const Painter& p,
                 const MapData& d,
                 const MapOptions& o,
                 const Frame& f,
                 bool detailed) {
    const std::vector<std::size_t>& shown = f.shown;
    const geo::Envelope extent = p.world();
    const Box& box = p.box();
    cairo_save(cr);
    cairo_rectangle(cr, box.x, box.y, box.w, box.h);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
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
    for (std::size_t i : shown) {
        if (!d.units.part_envelope(i).intersects(extent)) {
            continue;
        }
        Rgb c = no_data;
        if (o.metric == MapMetric::new_unit) {
            c = palette[static_cast<std::size_t>(f.unit_colour[i])];
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
    cairo_set_line_width(cr, detailed ? 0.3 : 0.08);
    cairo_stroke(cr);
    for (std::size_t i : shown) {
        if (d.units.part_envelope(i).intersects(extent)) {
            p.path(d.units, i);
        }
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, detailed ? 0.8 : 0.2);
    cairo_stroke(cr);
    for (std::size_t j = 0; j < d.province_code.size(); ++j) {
        if (d.provinces.part_envelope(j).intersects(extent)) {
            p.path(d.provinces, j);
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, detailed ? 1.6 : 0.7);
    cairo_stroke(cr);
    for (std::size_t j = 0; j < d.other_units.part_count(); ++j) {
        if (d.other_units.part_envelope(j).intersects(extent)) {
            p.path(d.other_units, j);
        }
    }
    cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
    cairo_set_line_width(cr, detailed ? 0.9 : 0.35);
    cairo_stroke(cr);
    if (o.metric == MapMetric::offices) {
        draw_offices(cr, p, d, o, detailed);
    }
    cairo_restore(cr);
}

/// Names of `units` where they fit (the label no wider than the unit and clear of labels
/// placed before it, and of `taken`), at `size` points.
void unit_labels(cairo_t* cr,
                 const Painter& p,
                 const MapData& d,
                 const std::vector<std::size_t>& units,
                 double size,
                 std::vector<Box>& taken) {
    const Box& frame = p.box();
    for (const std::size_t i : units) {
        const geo::Envelope e = d.units.part_envelope(i);
        const double w = p.x(e.maxx) - p.x(e.minx);
        const std::string text = short_name(d.name[i]);
        cairo_set_font_size(cr, size);
        cairo_text_extents_t te;
        cairo_text_extents(cr, text.c_str(), &te);
        const geo::Coord c = geo::centroid(d.units, i);
        const Box box{
            p.x(c.x) - te.width / 2 - 1, p.y(c.y) - te.height / 2 - 1, te.width + 2, te.height + 2};
        const bool inside = box.x >= frame.x && box.y >= frame.y &&
                            box.x + box.w <= frame.x + frame.w &&
                            box.y + box.h <= frame.y + frame.h;
        if (inside && te.width < 1.3 * w &&
            std::none_of(
                taken.begin(), taken.end(), [&](const Box& b) { return b.overlaps(box); })) {
            taken.push_back(box);
            label(cr, text, p.x(c.x), p.y(c.y), size);
        }
    }
}

/// The name of an isolated unit (an island: no neighbour) on the country's map, with its
/// province's, beside it where the name does not fit over it.
void island_labels(cairo_t* cr,
                   const Painter& p,
                   const MapData& d,
                   const std::vector<std::size_t>& shown,
                   std::vector<Box>& taken) {
    std::map<std::string, std::string> province_name;
    for (std::size_t j = 0; j < d.province_code.size() && j < d.province_name.size(); ++j) {
        province_name[d.province_code[j]] = short_name(d.province_name[j]);
    }
    // The largest first: Hoàng Sa and Trường Sa before a single islet.
    std::vector<std::size_t> islands;
    for (const std::size_t i : shown) {
        if (i < d.neighbours.size() && d.neighbours[i].empty()) {
            islands.push_back(i);
        }
    }
    std::stable_sort(islands.begin(), islands.end(), [&](std::size_t a, std::size_t b) {
        const geo::Envelope ea = d.units.part_envelope(a), eb = d.units.part_envelope(b);
        return (ea.maxx - ea.minx) * (ea.maxy - ea.miny) >
               (eb.maxx - eb.minx) * (eb.maxy - eb.miny);
    });
    constexpr double size = 5.5;
    for (const std::size_t i : islands) {
        const auto pn = province_name.find(d.province[i]);
        const std::string text =
            d.name[i] + (pn != province_name.end() ? " (" + pn->second + ")" : "");
        cairo_set_font_size(cr, size);
        cairo_text_extents_t te;
        cairo_text_extents(cr, text.c_str(), &te);
        const Box unit = p.on_page(d.units.part_envelope(i));
        // Below the island, else above it.
        for (const double y : {unit.y + unit.h + 2 + te.height / 2, unit.y - 2 - te.height / 2}) {
            const double x = std::clamp(unit.x + unit.w / 2,
                                        p.box().x + te.width / 2 + 2,
                                        p.box().x + p.box().w - te.width / 2 - 2);
            const Box box{x - te.width / 2 - 1, y - te.height / 2 - 1, te.width + 2, te.height + 2};
            if (std::none_of(
                    taken.begin(), taken.end(), [&](const Box& b) { return b.overlaps(box); })) {
                taken.push_back(box);
                label(cr, text, x, y, size);
                break;
            }
        }
    }
}

/// Unit names on a province map (where they fit); province names, and the islands', on the
/// country's. Returns the boxes the labels took.
std::vector<Box> draw_labels(cairo_t* cr,
                             const Painter& p,
                             const MapData& d,
                             const MapOptions& o,
                             const Frame& f,
                             const std::vector<Box>& insets) {
    std::vector<Box> taken = insets;
    if (!o.province.empty()) {
        unit_labels(cr, p, d, f.shown, 5.5, taken);
        return taken;
    }
    for (std::size_t j = 0; j < d.province_code.size(); ++j) {
        const std::string text = j < d.province_name.size() ? short_name(d.province_name[j]) : "";
        if (text.empty()) {
            continue;
        }
        const geo::Coord c = main_centre(d.provinces, j);
        cairo_set_font_size(cr, 6.5);
        cairo_text_extents_t te;
        cairo_text_extents(cr, text.c_str(), &te);
        taken.push_back({p.x(c.x) - te.width / 2 - 1,
                         p.y(c.y) - te.height / 2 - 1,
                         te.width + 2,
                         te.height + 2});
        label(cr, text, p.x(c.x), p.y(c.y), 6.5);
    }
    island_labels(cr, p, d, f.shown, taken);
    return taken;
}

/// An inset: the units it enlarges, its extent, its box on the page, its title.
struct Inset {
    std::vector<std::size_t> units;
    geo::Envelope extent;
    Box box{};
    std::string title;
};

/// The densest centres whose units are too small on the map to name, each in a box placed
/// over the frame where it hides the fewest units (and no other inset, nor what it enlarges).
std::vector<Inset>
plan_insets(const MapData& d, const MapOptions& o, const Frame& f, const Painter& p) {
    if (!o.insets || o.metric == MapMetric::difference) {
        return {};
    }
    const bool nation = o.province.empty();
    const double span = std::max(f.extent.maxx - f.extent.minx, f.extent.maxy - f.extent.miny);
    constexpr double side = 170;
    std::vector<Inset> out;
    std::vector<Box> used;
    for (std::vector<std::size_t>& units :
         dense_centres(d, f.shown, nation ? 2 : 1, nation ? 30 : 16, span / 6)) {
        Inset in;
        for (const std::size_t i : units) {
            const geo::Envelope e = d.units.part_envelope(i);
            in.extent.expand(geo::Coord{(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2});
        }
        // Worth an inset only if it enlarges the centre 2.5 times or more.
        const Box seen = p.on_page(in.extent);
        if (std::max(seen.w, seen.h) * 2.5 > side) {
            continue;
        }
        const double pad =
            0.08 * std::max(in.extent.maxx - in.extent.minx, in.extent.maxy - in.extent.miny);
        in.extent.minx -= pad;
        in.extent.maxx += pad;
        in.extent.miny -= pad;
        in.extent.maxy += pad;
        const Box source = p.on_page(in.extent);
        // The frame's corners, and the middles of its sides.
        const double m = 6;
        const std::array<Box, 6> slots = {{
            {frame_x + frame_w - side - m, frame_y + m, side, side},
            {frame_x + frame_w - side - m, frame_y + frame_h - side - m, side, side},
            {frame_x + m, frame_y + frame_h - side - m, side, side},
            {frame_x + m, frame_y + m, side, side},
            {frame_x + frame_w - side - m, frame_y + (frame_h - side) / 2, side, side},
            {frame_x + m, frame_y + (frame_h - side) / 2, side, side},
        }};
        std::size_t best = slots.size(), best_cost = 0;
        for (std::size_t k = 0; k < slots.size(); ++k) {
            const Box& b = slots[k];
            if (b.overlaps(source) || std::any_of(used.begin(), used.end(), [&](const Box& u) {
                    return u.overlaps(b);
                })) {
                continue;
            }
            std::size_t cost = 0;
            for (const std::size_t i : f.shown) {
                cost += p.on_page(d.units.part_envelope(i)).overlaps(b);
            }
            if (best == slots.size() || cost < best_cost) {
                best = k;
                best_cost = cost;
            }
        }
        if (best == slots.size()) {
            continue;
        }
        in.box = slots[best];
        used.push_back(in.box);
        used.push_back(source);
        const std::string& province = d.province[units.front()];
        for (std::size_t j = 0; j < d.province_code.size() && nation; ++j) {
            if (d.province_code[j] == province && j < d.province_name.size()) {
                in.title = short_name(d.province_name[j]);
            }
        }
        in.units = std::move(units);
        out.push_back(std::move(in));
    }
    return out;
}

/// Each inset: its area marked on the map, numbered; the enlarged units with their names.
void draw_insets(cairo_t* cr,
                 const Painter& main,
                 const MapData& d,
                 const MapOptions& o,
                 const Frame& f,
                 const std::vector<Inset>& insets) {
    const rt::Lang lang = o.lang == "en" ? rt::Lang::en : rt::Lang::vi;
    for (std::size_t k = 0; k < insets.size(); ++k) {
        const Inset& in = insets[k];
        const std::string number = std::to_string(k + 1);
        // Where it is on the map.
        const Box source = main.on_page(in.extent);
        cairo_rectangle(cr, source.x, source.y, source.w, source.h);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        label(cr, number, source.x + source.w + 5, source.y + 3, 7);
        // The inset.
        const Box title_bar{in.box.x, in.box.y, in.box.w, 11};
        const Box map_box{in.box.x, in.box.y + title_bar.h, in.box.w, in.box.h - title_bar.h};
        const Painter p(cr, in.extent, map_box);
        draw_layers(cr, p, d, o, f, true);
        std::vector<Box> taken;
        cairo_save(cr);
        cairo_rectangle(cr, map_box.x, map_box.y, map_box.w, map_box.h);
        cairo_clip(cr);
        unit_labels(cr, p, d, f.shown, 4.5, taken);
        cairo_restore(cr);
        cairo_rectangle(cr, title_bar.x, title_bar.y, title_bar.w, title_bar.h);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_font_size(cr, 7);
        cairo_move_to(cr, in.box.x + 3, in.box.y + 8);
        const std::string title =
            number + ". " +
            (in.title.empty() ? rt::phrase("centre enlarged", lang)
                              : rt::phrase("enlarged", lang) + ": " + in.title);
        cairo_show_text(cr, title.c_str());
        cairo_rectangle(cr, in.box.x, in.box.y, in.box.w, in.box.h);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    }
}

/// A label of the map's own (units, plans) in the language; "plan A: name" keeps the name.
std::string own_label(const std::string& text, rt::Lang lang) {
    const std::size_t colon = text.find(": ");
    if (colon == std::string::npos) {
        return rt::phrase(text, lang);
    }
    return rt::phrase(text.substr(0, colon), lang) + text.substr(colon);
}

void draw_title(cairo_t* cr, const MapData& d, const MapOptions& o, const Frame& f) {
    const rt::Lang lang = o.lang == "en" ? rt::Lang::en : rt::Lang::vi;
    std::string area = rt::phrase("Nation", lang);
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
    const std::string title =
        !o.title.empty() ? o.title : area + ": " + rt::phrase(metric->label, lang);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 15);
    cairo_move_to(cr, frame_x, 50);
    cairo_show_text(cr, title.c_str());
    cairo_set_font_size(cr, 8.5);
    cairo_move_to(cr, frame_x, 66);
    std::string sub = rt::phrase("scenario", lang) + " " + d.scenario_name + ", " +
                      rt::phrase("rules", lang) + " " + d.rules + "; " +
                      rt::number(static_cast<double>(f.shown.size()), 0, lang) + " " +
                      own_label(d.units_label, lang);
    if (!f.off_map.empty()) {
        sub += "; " + rt::phrase("off the map (remote islands)", lang) + ": ";
        for (std::size_t k = 0; k < f.off_map.size(); ++k) {
            sub += (k ? ", " : "") + f.off_map[k];
        }
    }
    cairo_show_text(cr, sub.c_str());
}

void draw_legend(cairo_t* cr, const MapData& d, const MapOptions& o) {
    const rt::Lang lang = o.lang == "en" ? rt::Lang::en : rt::Lang::vi;
    const Classes cls = classes_of(o.metric);
    double ly = frame_y + frame_h + 18;
    double lx = frame_x;
    // Left of the scale bar; a swatch that does not fit goes to the next line.
    const double right = frame_x + frame_w - 130;
    cairo_set_font_size(cr, 8);
    auto swatch = [&](const Rgb& c, const std::string& key, double line = -1) {
        const std::string text = own_label(key, lang);
        cairo_text_extents_t te;
        cairo_text_extents(cr, text.c_str(), &te);
        if (lx > frame_x && lx + 16 + te.x_advance > right) {
            lx = frame_x;
            ly += 13;
        }
        if (line < 0) {
            cairo_rectangle(cr, lx, ly - 7, 12, 8);
            colour(cr, c);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
            cairo_set_line_width(cr, 0.4);
            cairo_stroke(cr);
        } else {
            cairo_move_to(cr, lx, ly - 3);
            cairo_line_to(cr, lx + 12, ly - 3);
            colour(cr, c);
            cairo_set_line_width(cr, line);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, lx + 16, ly);
        cairo_show_text(cr, text.c_str());
        lx += 16 + te.x_advance + 14;
    };
    if (o.metric == MapMetric::new_unit) {
        swatch(palette[0], "a new unit (neighbours differ in colour)");
    } else {
        for (std::size_t k = 0; k < cls.colours.size(); ++k) {
            swatch(cls.colours[k], cls.labels[k]);
        }
        swatch(no_data, "no data");
    }
    ly += 16;
    lx = frame_x;
    if (d.old_units.part_count() > 0) {
        swatch({0.35, 0.35, 0.35}, "old units", 0.5);
    }
    swatch({0.2, 0.2, 0.2}, d.units_label, 1);
    swatch({0, 0, 0}, d.provinces_label, 2);
    if (d.other_units.part_count() > 0) {
        swatch({0.85, 0.1, 0.1}, d.other_label, 1.5);
    }
    if (o.metric == MapMetric::offices) {
        ly += 16;
        lx = frame_x;
        swatch(office_colour(0), "seat of the new unit (an old office)");
        swatch(office_colour(1), "old office kept");
        swatch(office_colour(2), "surplus old office");
        swatch({0.2, 0.2, 0.2}, "to the seat", 0.6);
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
    cairo_set_font_size(cr, 8);
    cairo_move_to(cr, sx + len - 20, sy - 4);
    cairo_show_text(cr, buf);
    cairo_move_to(cr, sx, sy - 4);
    cairo_show_text(cr, "0");
}

void draw(cairo_t* cr, const MapData& d, const MapOptions& o) {
    const rt::Lang lang = o.lang == "en" ? rt::Lang::en : rt::Lang::vi;
    const Frame f = frame_of(d, o);
    const Painter p(cr, f.extent, main_frame);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    draw_layers(cr, p, d, o, f, !o.province.empty());
    const std::vector<Inset> insets = plan_insets(d, o, f, p);
    std::vector<Box> inset_boxes;
    inset_boxes.reserve(insets.size());
    for (const Inset& in : insets) {
        inset_boxes.push_back(in.box);
    }
    cairo_save(cr);
    cairo_rectangle(cr, frame_x, frame_y, frame_w, frame_h);
    cairo_clip(cr);
    (void)draw_labels(cr, p, d, o, f, inset_boxes);
    draw_insets(cr, p, d, o, f, insets);
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
    std::string foot = std::string("amsim ") + amsim_version() + "; " +
                       rt::phrase("longitude scaled by cos(latitude)", lang);
    if (o.metric == MapMetric::surplus) {
        foot += "; " + rt::phrase("staff ESTIMATED from the legal norms", lang);
    }
    if (o.metric == MapMetric::offices) {
        foot +=
            "; " + rt::phrase("offices at the old units' centroids unless given: ESTIMATED", lang);
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

namespace {

/// The run's offices and each new unit's surplus offices (none from a run made before them).
void read_offices(const RunFile& run, MapData& d) {
    RunTable units, offices;
    try {
        units = run.read(RunTableId::communes, {"code", "offices_surplus"});
        offices = run.read(RunTableId::offices, {"new_code", "role", "lon", "lat"});
    } catch (const InputError&) {
        return;
    }
    std::map<std::string, double> surplus;
    for (const auto& row : units.rows) {
        if (const auto v = geo::to_number(row[1])) {
            surplus[geo::to_text(row[0])] = *v;
        }
    }
    for (const std::string& code : d.code) {
        const auto it = surplus.find(code);
        d.offices_surplus.push_back(it == surplus.end() ? std::nullopt
                                                        : std::optional<double>(it->second));
    }
    for (const auto& row : offices.rows) {
        const std::string role = geo::to_text(row[1]);
        d.office_unit.push_back(geo::to_text(row[0]));
        d.office_role.push_back(role == "seat" ? 0 : role == "kept" ? 1 : 2);
        d.office_at.push_back(
            {geo::to_number(row[2]).value_or(0), geo::to_number(row[3]).value_or(0)});
    }
}

} // namespace

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
        if (units.waived[i]) {
            d.verdict.push_back(units.meets_anyway[i].value_or(false) ? 2 : 3);
        } else {
            d.verdict.push_back(units.evaluated[i] ? (units.meets_standard[i] ? 1 : 0) : -1);
        }
    }
    d.population_pct = std::move(units.population_pct);
    d.area_pct = std::move(units.area_pct);
    d.seat_distance = std::move(units.seat_distance_km);
    d.surplus = std::move(units.surplus);
    d.density = std::move(units.density);
    d.neighbours.resize(d.code.size());
    for (const geo::Adjacency& a : units.layer.topology.adjacency()) {
        d.neighbours[a.a].push_back(a.b);
        d.neighbours[a.b].push_back(a.a);
    }
    read_offices(run, d);
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
