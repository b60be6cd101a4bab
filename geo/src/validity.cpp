#include "amsim/geo/validity.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/geos_context.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_map>

namespace amsim::geo {

namespace {

std::string point_text(GEOSContextHandle_t ctx, const GEOSGeometry* pt) {
    if (pt == nullptr) {
        return {};
    }
    double x = 0, y = 0;
    GEOSGeomGetX_r(ctx, pt, &x);
    GEOSGeomGetY_r(ctx, pt, &y);
    char buf[64];
    std::snprintf(buf, sizeof buf, " at %.7f %.7f", x, y);
    return buf;
}

} // namespace

std::string invalid_reason(GeosContext& geos, const PolygonSet& set, std::size_t part) {
    GEOSContextHandle_t ctx = geos.handle();
    const GeomPtr g = geos.to_geos(set, part);
    char* r = nullptr;
    GEOSGeometry* loc = nullptr;
    const char valid = GEOSisValidDetail_r(ctx, g.get(), 0, &r, &loc);
    if (valid == 1) {
        return {};
    }
    std::string reason = r != nullptr ? r : "invalid";
    reason += point_text(ctx, loc);
    GEOSFree_r(ctx, r);
    if (loc != nullptr) {
        GEOSGeom_destroy_r(ctx, loc);
    }
    return reason;
}

PolygonSet make_valid(GeosContext& geos, const PolygonSet& set, std::size_t part) {
    GEOSContextHandle_t ctx = geos.handle();
    const GeomPtr g = geos.to_geos(set, part);
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx);
    GEOSMakeValidParams_setMethod_r(ctx, params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx, params, 0);
    GEOSGeometry* fixed_raw = GEOSMakeValidWithParams_r(ctx, g.get(), params);
    GEOSMakeValidParams_destroy_r(ctx, params);
    const GeomPtr fixed = geos.own(fixed_raw, "MakeValid");
    PolygonSet out;
    geos.append_part(fixed.get(), out);
    out.normalize_orientation();
    return out;
}

PolygonSet
ensure_valid(GeosContext& geos, PolygonSet part, const std::string& what, std::string& how) {
    how.clear();
    if (part.part_count() == 0) {
        return part;
    }
    const std::string reason = invalid_reason(geos, part, 0);
    if (reason.empty()) {
        return part;
    }
    PolygonSet fixed = make_valid(geos, part, 0);
    if (const std::string still = invalid_reason(geos, fixed, 0); !still.empty()) {
        throw GeometryError(what + ": no valid polygon could be made (" + still + ")");
    }
    how = "MakeValid (it was invalid: " + reason + ")";
    return fixed;
}

namespace {

/// The finding on one unit, computed on any thread.
struct UnitCheck {
    enum class Kind { ok, empty, invalid } kind = Kind::ok;
    Diagnostic diagnostic;
    std::optional<PolygonSet> repaired;
};

UnitCheck check_unit(const UnitLayer& layer, std::size_t u, GeosContext& geos, bool repair) {
    UnitCheck out;
    if (layer.geometry.part_begin(u) == layer.geometry.part_end(u)) {
        out.kind = UnitCheck::Kind::empty;
        out.diagnostic = {
            Severity::error, "empty_geometry", layer.describe(u), "null or empty geometry"};
        return out;
    }
    bool degenerate = false;
    for (std::uint32_t q = layer.geometry.part_begin(u); q < layer.geometry.part_end(u); ++q) {
        for (std::uint32_t r = layer.geometry.polygon_begin(q); r < layer.geometry.polygon_end(q);
             ++r) {
            degenerate = degenerate || layer.geometry.ring(r).size() < 3;
        }
    }
    std::string reason;
    if (!degenerate) {
        try {
            reason = invalid_reason(geos, layer.geometry, u);
        } catch (const GeometryError&) {
            degenerate = true;
        }
        if (!degenerate && reason.empty()) {
            return out;
        }
    }
    if (degenerate) {
        reason = "a ring has fewer than 4 points";
    }
    out.kind = UnitCheck::Kind::invalid;
    Diagnostic d{repair ? Severity::warning : Severity::error,
                 "invalid_geometry",
                 layer.describe(u),
                 reason};
    if (repair && !degenerate) {
        PolygonSet part;
        try {
            part = make_valid(geos, layer.geometry, u);
        } catch (const GeometryError& e) {
            throw GeometryError(layer.describe(u) + ": " + e.what());
        }
        const double before = std::abs(layer.geometry.part_area(u));
        const double after = part.part_area(0);
        out.repaired = std::move(part);
        char buf[160];
        std::snprintf(buf,
                      sizeof buf,
                      "; repaired by MakeValid: %zu polygon(s), area %+.3g%%",
                      static_cast<std::size_t>(out.repaired->polygon_count()),
                      before > 0 ? 100.0 * (after - before) / before : 0.0);
        d.message += buf;
    }
    out.diagnostic = std::move(d);
    return out;
}

} // namespace

ValidityFindings
find_invalid(const UnitLayer& layer, bool repair, std::atomic<bool>* repair_found) {
    ValidityFindings found;
    ValidityReport& report = found.report;

    std::unordered_map<std::string, std::size_t> first_of_code;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const std::string& code = layer.units[u].code;
        if (code.empty()) {
            ++report.missing_codes;
            report.diagnostics.push_back({Severity::error,
                                          "missing_code",
                                          layer.describe(u),
                                          "the code field '" + layer.mapping.code + "' is empty"});
        } else if (auto [it, fresh] = first_of_code.emplace(code, u); !fresh) {
            ++report.duplicate_codes;
            report.diagnostics.push_back({Severity::error,
                                          "duplicate_code",
                                          layer.describe(u),
                                          "code '" + code + "' is also used by feature " +
                                              std::to_string(layer.units[it->second].fid)});
        }
    }

    // GEOS validity per unit on every core (one GEOS context per worker), merged in unit
    // order so the report is the same whatever the scheduling.
    std::vector<UnitCheck> checks(layer.units.size());
    tbb::enumerable_thread_specific<GeosContext> contexts;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, layer.units.size(), 64),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                          GeosContext& geos = contexts.local();
                          for (std::size_t u = range.begin(); u != range.end(); ++u) {
                              checks[u] = check_unit(layer, u, geos, repair);
                              if (repair_found != nullptr && checks[u].repaired.has_value()) {
                                  repair_found->store(true);
                              }
                          }
                      });
    for (std::size_t u = 0; u < checks.size(); ++u) {
        UnitCheck& c = checks[u];
        if (c.kind == UnitCheck::Kind::empty) {
            ++report.empty;
        } else if (c.kind == UnitCheck::Kind::invalid) {
            ++report.invalid;
        }
        if (c.kind != UnitCheck::Kind::ok) {
            report.diagnostics.push_back(std::move(c.diagnostic));
        }
        if (c.repaired.has_value()) {
            found.repairs.emplace_back(static_cast<std::uint32_t>(u), std::move(*c.repaired));
        }
    }
    return found;
}

ValidityReport apply_repairs(UnitLayer& layer, ValidityFindings&& findings, bool in_place) {
    ValidityReport report = std::move(findings.report);
    report.repaired = findings.repairs.size();
    if (findings.repairs.empty() || !in_place) {
        return report;
    }
    // One pass rebuilding the geometry with every repaired part in place.
    PolygonSet rebuilt;
    rebuilt.reserve(layer.geometry.coord_count(), layer.geometry.ring_count());
    std::size_t next = 0;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        const bool fixed = next < findings.repairs.size() && findings.repairs[next].first == u;
        const PolygonSet& src = fixed ? findings.repairs[next++].second : layer.geometry;
        const std::size_t part = fixed ? 0 : u;
        for (std::uint32_t q = src.part_begin(part); q < src.part_end(part); ++q) {
            for (std::uint32_t r = src.polygon_begin(q); r < src.polygon_end(q); ++r) {
                rebuilt.add_ring(src.ring(r));
            }
            rebuilt.end_polygon();
        }
        rebuilt.end_part();
    }
    layer.geometry = std::move(rebuilt);
    return report;
}

ValidityReport check_units(UnitLayer& layer, bool repair) {
    return apply_repairs(layer, find_invalid(layer, repair));
}

} // namespace amsim::geo
