#include "amsim/geo/split.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/geos_context.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/overlay.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace amsim::geo {

namespace {

double area_of(const GeosContext& geos, const GEOSGeometry* g) {
    double a = 0;
    GEOSArea_r(geos.handle(), g, &a);
    return a;
}

/// "lon lat" (or "x y") of a point on a geometry, for messages.
std::string point_on(const GeosContext& geos, const GEOSGeometry* g) {
    GEOSContextHandle_t h = geos.handle();
    GeomPtr p = geos.own(GEOSPointOnSurface_r(h, g), "a point for a message");
    double x = 0, y = 0;
    GEOSGeomGetX_r(h, p.get(), &x);
    GEOSGeomGetY_r(h, p.get(), &y);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.5f %.5f", x, y);
    return buf;
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f %%", 100 * fraction);
    return buf;
}

GeomPtr valid(const GeosContext& geos, GeomPtr g, const char* what) {
    if (GEOSisValid_r(geos.handle(), g.get()) != 1) {
        return geos.own(GEOSMakeValid_r(geos.handle(), g.get()), what);
    }
    return g;
}

/// The features of the split layer that divide one unit.
struct Division {
    std::uint32_t unit = 0;
    std::vector<std::size_t> features;
};

/// The pieces one unit is cut into (part k = piece k), with their codes and features.
struct Pieces {
    PolygonSet geometry;
    std::vector<std::string> codes;
    std::vector<std::int64_t> features;
    std::vector<std::optional<double>> population;
};

/// Part polygons: each part's intersection with the unit, the largest taking the rest.
Pieces cut_by_parts(const UnitLayer& layer,
                    const ShapeTable& shapes,
                    const Division& d,
                    const SplitOptions& options,
                    std::vector<Diagnostic>& diagnostics) {
    GeosContext geos;
    GEOSContextHandle_t h = geos.handle();
    const Unit& unit = layer.units[d.unit];
    const GeomPtr whole =
        valid(geos, geos.to_geos(layer.geometry, d.unit), "repairing a unit to divide");
    const double total = area_of(geos, whole.get());
    const std::string what = shapes.where + ": unit '" + unit.code + "'";
    if (!(total > 0)) {
        throw InputError(what + ": the unit has no area to divide");
    }
    std::vector<GeomPtr> parts;
    std::vector<double> inside;
    for (std::size_t f : d.features) {
        GeomPtr p = valid(geos, geos.to_geos(shapes.polygons, f), "repairing a part");
        GeomPtr in = geos.own(GEOSIntersection_r(h, p.get(), whole.get()), "a part in its unit");
        inside.push_back(area_of(geos, in.get()));
        if (!(inside.back() > 0)) {
            throw InputError(shapes.describe(f) + " (part '" + shapes.fields[f][1] +
                             "'): does not overlap unit '" + unit.code + "'");
        }
        parts.push_back(std::move(p));
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        for (std::size_t j = i + 1; j < parts.size(); ++j) {
            GeomPtr both =
                geos.own(GEOSIntersection_r(h, parts[i].get(), parts[j].get()), "two parts");
            GeomPtr in = geos.own(GEOSIntersection_r(h, both.get(), whole.get()), "an overlap");
            const double a = area_of(geos, in.get());
            if (a > options.tolerance * total) {
                throw InputError(shapes.describe(d.features[i]) + " (part '" +
                                 shapes.fields[d.features[i]][1] + "') and feature " +
                                 std::to_string(shapes.fid[d.features[j]]) + " (part '" +
                                 shapes.fields[d.features[j]][1] + "') overlap over " +
                                 percent(a / total) + " of unit '" + unit.code + "', near " +
                                 point_on(geos, in.get()) + ": a unit's parts must not overlap");
            }
        }
    }
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (const GeomPtr& p : parts) {
        raw.push_back(GEOSGeom_clone_r(h, p.get()));
    }
    const GeomPtr all =
        geos.own(GEOSGeom_createCollection_r(
                     h, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())),
                 "the parts together");
    const GeomPtr merged = geos.own(GEOSUnaryUnion_r(h, all.get()), "the parts' union");
    const GeomPtr gap = geos.own(GEOSDifference_r(h, whole.get(), merged.get()), "a gap");
    if (const double a = area_of(geos, gap.get()); a > options.tolerance * total) {
        throw InputError(what + ": its parts leave " + percent(a / total) +
                         " of it uncovered, near " + point_on(geos, gap.get()) +
                         ": the parts of a unit must cover it");
    }
    const GeomPtr out = geos.own(GEOSDifference_r(h, merged.get(), whole.get()), "outside");
    if (const double a = area_of(geos, out.get()); a > options.tolerance * total) {
        diagnostics.push_back({Severity::warning,
                               "split_outside_unit",
                               what,
                               "its parts reach " + percent(a / total) +
                                   " of its area beyond it (near " + point_on(geos, out.get()) +
                                   "); they are cut to the unit"});
    }
    // The largest part takes what the others leave (small gaps); the others are cut in the
    // order of their features.
    const std::size_t largest =
        static_cast<std::size_t>(std::max_element(inside.begin(), inside.end()) - inside.begin());
    std::vector<std::size_t> cut{shapes.polygons.part_count()};
    std::vector<std::size_t> order{largest};
    for (std::size_t i = 0; i < d.features.size(); ++i) {
        if (i != largest) {
            cut.push_back(d.features[i]);
            order.push_back(i);
        }
    }
    Pieces pieces;
    pieces.geometry = cut_part(layer.geometry, d.unit, shapes.polygons, cut, 0);
    for (std::size_t i : order) {
        const std::size_t f = d.features[i];
        pieces.codes.push_back(shapes.fields[f][1]);
        pieces.features.push_back(shapes.fid[f]);
        std::optional<double> population;
        if (!shapes.fields[f][2].empty()) {
            population = parse_number(shapes.fields[f][2]);
            if (!population || !(*population >= 0 && *population <= 1e9)) {
                throw InputError(shapes.describe(f) + ": field '" + options.population_field +
                                 "': '" + shapes.fields[f][2] +
                                 "' is not a population (a number from 0 to 1e9)");
            }
        }
        pieces.population.push_back(population);
    }
    return pieces;
}

GeomPtr line_to_geos(const GeosContext& geos, const std::vector<Coord>& line) {
    std::vector<double> buf;
    buf.reserve(line.size() * 2);
    for (const Coord& c : line) {
        buf.push_back(c.x);
        buf.push_back(c.y);
    }
    GEOSCoordSequence* seq = GEOSCoordSeq_copyFromBuffer_r(
        geos.handle(), buf.data(), static_cast<unsigned>(line.size()), 0, 0);
    if (seq == nullptr) {
        throw GeometryError("cannot build a cut line: " + geos.last_message());
    }
    return geos.own(GEOSGeom_createLineString_r(geos.handle(), seq), "a cut line");
}

/// The feature of `d` whose lines pass nearest a geometry (for a message).
std::int64_t nearest_line(const GeosContext& geos,
                          const ShapeTable& shapes,
                          const Division& d,
                          const GEOSGeometry* g) {
    std::int64_t best = shapes.fid[d.features.front()];
    double best_distance = INFINITY;
    for (std::size_t f : d.features) {
        for (const auto& line : shapes.lines[f]) {
            const GeomPtr l = line_to_geos(geos, line);
            double dist = 0;
            if (GEOSDistance_r(geos.handle(), l.get(), g, &dist) == 1 && dist < best_distance) {
                best_distance = dist;
                best = shapes.fid[f];
            }
        }
    }
    return best;
}

/// Cut lines: the faces the unit's boundary and its lines enclose inside the unit.
Pieces cut_by_lines(const UnitLayer& layer, const ShapeTable& shapes, const Division& d) {
    GeosContext geos;
    GEOSContextHandle_t h = geos.handle();
    const Unit& unit = layer.units[d.unit];
    const std::string what = shapes.where + ": unit '" + unit.code + "'";
    const GeomPtr whole =
        valid(geos, geos.to_geos(layer.geometry, d.unit), "repairing a unit to divide");
    const double total = area_of(geos, whole.get());
    if (!(total > 0)) {
        throw InputError(what + ": the unit has no area to divide");
    }
    std::vector<GEOSGeometry*> raw{GEOSBoundary_r(h, whole.get())};
    for (std::size_t f : d.features) {
        for (const auto& line : shapes.lines[f]) {
            raw.push_back(line_to_geos(geos, line).release());
        }
    }
    const GeomPtr all =
        geos.own(GEOSGeom_createCollection_r(
                     h, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())),
                 "the unit's boundary and its cut lines");
    const GeomPtr noded = geos.own(GEOSUnaryUnion_r(h, all.get()), "noding the cut lines");
    GEOSGeometry* cuts = nullptr;
    GEOSGeometry* dangles = nullptr;
    GEOSGeometry* invalid = nullptr;
    const GeomPtr faces = geos.own(GEOSPolygonize_full_r(h, noded.get(), &cuts, &dangles, &invalid),
                                   "cutting along lines");
    const GeomPtr cuts_owned = geos.own(cuts, "cut edges");
    const GeomPtr dangles_owned = geos.own(dangles, "dangling lines");
    const GeomPtr invalid_owned = geos.own(invalid, "invalid rings");
    const PreparedPtr inside = geos.prepare(whole.get());
    // A line (or a piece of one) inside the unit that bounds no face divides nothing.
    for (const GEOSGeometry* loose : {dangles_owned.get(), cuts_owned.get()}) {
        for (int i = 0; i < GEOSGetNumGeometries_r(h, loose); ++i) {
            const GEOSGeometry* edge = GEOSGetGeometryN_r(h, loose, i);
            const GeomPtr mid =
                geos.own(GEOSInterpolateNormalized_r(h, edge, 0.5), "a line's middle");
            if (GEOSPreparedContainsProperly_r(h, inside.get(), mid.get()) == 1) {
                throw InputError(shapes.where + ": feature " +
                                 std::to_string(nearest_line(geos, shapes, d, edge)) +
                                 ": a cut line of unit '" + unit.code + "' divides nothing near " +
                                 point_on(geos, edge) +
                                 ": it must run across the unit from boundary to boundary");
            }
        }
    }
    struct Face {
        GeomPtr geometry;
        double area = 0;
        double x = 0, y = 0;
    };
    std::vector<Face> kept;
    double sum = 0;
    for (int i = 0; i < GEOSGetNumGeometries_r(h, faces.get()); ++i) {
        const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces.get(), i);
        const GeomPtr p = geos.own(GEOSPointOnSurface_r(h, face), "a point in a face");
        if (GEOSPreparedContainsProperly_r(h, inside.get(), p.get()) != 1) {
            continue; // a hole of the unit, or a loop of a line outside it
        }
        Face k;
        k.geometry = geos.own(GEOSGeom_clone_r(h, face), "a face");
        k.area = area_of(geos, face);
        GEOSGeomGetX_r(h, p.get(), &k.x);
        GEOSGeomGetY_r(h, p.get(), &k.y);
        sum += k.area;
        kept.push_back(std::move(k));
    }
    if (kept.size() < 2) {
        throw InputError(what + ": its cut lines do not divide it (features " +
                         std::to_string(shapes.fid[d.features.front()]) +
                         (d.features.size() > 1 ? " and others" : "") +
                         "): a cut line must run across the unit from boundary to boundary");
    }
    if (std::abs(sum - total) > 1e-6 * total) {
        throw GeometryError(what + ": cutting it along its lines gave parts of " +
                            percent(sum / total) + " of its area");
    }
    std::stable_sort(kept.begin(), kept.end(), [](const Face& a, const Face& b) {
        if (a.area != b.area) {
            return a.area > b.area;
        }
        return a.x != b.x ? a.x < b.x : a.y < b.y;
    });
    Pieces pieces;
    for (std::size_t k = 0; k < kept.size(); ++k) {
        geos.append_part(kept[k].geometry.get(), pieces.geometry);
        pieces.codes.push_back(unit.code + "." + std::to_string(k + 1));
        pieces.features.push_back(-1);
        pieces.population.emplace_back();
    }
    return pieces;
}

} // namespace

SplitReport split_units(UnitLayer& layer, const SplitOptions& options) {
    const ShapeTable shapes = read_shapes(
        options.source,
        options.layer,
        {{options.unit_field, true}, {options.part_field, false}, {options.population_field, true}},
        layer.crs_wkt);
    SplitReport report;
    report.where = shapes.where;
    report.lines = shapes.linear;
    if (!report.lines &&
        (options.part_field.empty() || std::all_of(shapes.fields.begin(),
                                                   shapes.fields.end(),
                                                   [](const auto& f) { return f[1].empty(); }))) {
        throw InputError(shapes.where +
                         ": parts as polygons need a part field with their codes"
                         " (field '" +
                         options.part_field + "' is absent or empty)");
    }
    if (report.lines && !options.population_field.empty()) {
        throw InputError(shapes.where + ": cut lines carry no population: the parts they make "
                                        "take the unit's population by area");
    }
    std::map<std::string, std::uint32_t> unit_of_code;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        unit_of_code.emplace(layer.units[u].code, static_cast<std::uint32_t>(u));
    }
    std::map<std::uint32_t, Division> divisions;
    std::map<std::string, std::size_t> part_feature;
    for (std::size_t f = 0; f < shapes.fid.size(); ++f) {
        const std::string& code = shapes.fields[f][0];
        const auto it = unit_of_code.find(code);
        if (it == unit_of_code.end()) {
            throw InputError(shapes.describe(f) + ": field '" + options.unit_field + "': " +
                             (code.empty() ? std::string("empty")
                                           : "'" + code + "' is not a unit of " + layer.source) +
                             ": each feature names the unit it divides");
        }
        Division& d = divisions[it->second];
        d.unit = it->second;
        d.features.push_back(f);
        if (!report.lines) {
            const std::string& part = shapes.fields[f][1];
            if (part.empty()) {
                throw InputError(shapes.describe(f) + ": field '" + options.part_field +
                                 "' is empty: each part needs a code");
            }
            if (const auto seen = part_feature.find(part); seen != part_feature.end()) {
                throw InputError(shapes.describe(f) + ": part '" + part + "' is also feature " +
                                 std::to_string(shapes.fid[seen->second]));
            }
            if (unit_of_code.contains(part) && part != code) {
                throw InputError(shapes.describe(f) + ": part '" + part +
                                 "' is already the code of a unit of " + layer.source);
            }
            part_feature.emplace(part, f);
        }
    }
    for (const auto& [u, d] : divisions) {
        if (!report.lines && d.features.size() < 2) {
            throw InputError(shapes.describe(d.features.front()) + ": unit '" +
                             layer.units[u].code +
                             "' has only this part: a divided unit has two parts or more");
        }
    }
    // The units are cut one by one (a few in a scenario), then the layer is rebuilt with the
    // parts in their unit's place.
    std::map<std::uint32_t, Pieces> cut;
    for (const auto& [u, d] : divisions) {
        cut.emplace(u,
                    report.lines ? cut_by_lines(layer, shapes, d)
                                 : cut_by_parts(layer, shapes, d, options, report.diagnostics));
    }
    for (const auto& [u, pieces] : cut) {
        for (const std::string& code : pieces.codes) {
            if (unit_of_code.contains(code) && code != layer.units[u].code) {
                throw InputError(shapes.where + ": the part '" + code + "' of unit '" +
                                 layer.units[u].code + "' has the code of another unit of " +
                                 layer.source);
            }
        }
    }
    UnitLayer out;
    out.source = layer.source;
    out.layer_name = layer.layer_name;
    out.crs_wkt = layer.crs_wkt;
    out.geographic = layer.geographic;
    out.mapping = layer.mapping;
    out.attribute_names = layer.attribute_names;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const auto it = cut.find(static_cast<std::uint32_t>(u));
        if (it == cut.end()) {
            out.geometry.append_part(layer.geometry, u);
            out.units.push_back(std::move(layer.units[u]));
            continue;
        }
        Pieces& pieces = it->second;
        pieces.geometry.normalize_orientation();
        double total = 0;
        for (std::size_t k = 0; k < pieces.codes.size(); ++k) {
            total += pieces.geometry.part_area(k);
        }
        for (std::size_t k = 0; k < pieces.codes.size(); ++k) {
            SplitPart part;
            part.unit = static_cast<std::uint32_t>(out.units.size());
            part.code = pieces.codes[k];
            part.split_of = layer.units[u].code;
            part.population = pieces.population[k];
            part.feature = pieces.features[k];
            out.geometry.append_part(pieces.geometry, k);
            // Of the parts' sum, so that the fractions sum to 1 and population is conserved.
            part.area_fraction = total > 0 ? pieces.geometry.part_area(k) / total : 0;
            Unit piece = layer.units[u];
            piece.code = part.code;
            out.units.push_back(std::move(piece));
            report.parts.push_back(std::move(part));
        }
        ++report.units;
    }
    layer = std::move(out);
    return report;
}

} // namespace amsim::geo
