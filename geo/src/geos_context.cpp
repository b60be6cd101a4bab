#include "amsim/geo/geos_context.hpp"

#include "amsim/core/error.hpp"

#include <cstdarg>
#include <vector>

namespace amsim::geo {

GeosContext::GeosContext() : m_ctx(GEOS_init_r()) {
    if (m_ctx == nullptr) {
        throw InternalError("GEOS_init_r failed");
    }
    GEOSContext_setErrorMessageHandler_r(m_ctx, &GeosContext::on_message, this);
    GEOSContext_setNoticeMessageHandler_r(m_ctx, &GeosContext::on_message, this);
}

GeosContext::~GeosContext() {
    GEOS_finish_r(m_ctx);
}

void GeosContext::on_message(const char* message, void* userdata) {
    auto* self = static_cast<GeosContext*>(userdata);
    self->m_last_message = message != nullptr ? message : "";
}

GeomPtr GeosContext::own(GEOSGeometry* g, std::string_view what) const {
    if (g == nullptr) {
        throw GeometryError(std::string(what) + ": GEOS: " +
                            (m_last_message.empty() ? "operation failed" : m_last_message));
    }
    return GeomPtr(g, GeomDeleter{m_ctx});
}

PreparedPtr GeosContext::prepare(const GEOSGeometry* g) const {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(m_ctx, g);
    if (p == nullptr) {
        throw GeometryError("GEOSPrepare: " + m_last_message);
    }
    return PreparedPtr(p, PreparedDeleter{m_ctx});
}

namespace {

GEOSGeometry* make_ring(GEOSContextHandle_t ctx, std::span<const Coord> ring) {
    std::vector<double> buf;
    buf.reserve((ring.size() + 1) * 2);
    for (const Coord& c : ring) {
        buf.push_back(c.x);
        buf.push_back(c.y);
    }
    if (!ring.empty()) {
        buf.push_back(ring[0].x);
        buf.push_back(ring[0].y);
    }
    GEOSCoordSequence* seq =
        GEOSCoordSeq_copyFromBuffer_r(ctx, buf.data(), static_cast<unsigned>(buf.size() / 2), 0, 0);
    if (seq == nullptr) {
        return nullptr;
    }
    return GEOSGeom_createLinearRing_r(ctx, seq);
}

} // namespace

GeomPtr GeosContext::ring_to_polygon(std::span<const Coord> ring) const {
    GEOSGeometry* shell = make_ring(m_ctx, ring);
    if (shell == nullptr) {
        throw GeometryError("cannot build ring: " + m_last_message);
    }
    return own(GEOSGeom_createPolygon_r(m_ctx, shell, nullptr, 0), "create polygon");
}

GeomPtr GeosContext::to_geos(const PolygonSet& set, std::size_t part) const {
    std::vector<GEOSGeometry*> polys;
    auto cleanup = [&] {
        for (GEOSGeometry* g : polys) {
            GEOSGeom_destroy_r(m_ctx, g);
        }
    };
    for (std::uint32_t q = set.part_begin(part); q < set.part_end(part); ++q) {
        GEOSGeometry* shell = make_ring(m_ctx, set.ring(set.polygon_begin(q)));
        std::vector<GEOSGeometry*> holes;
        bool ok = shell != nullptr;
        for (std::uint32_t r = set.polygon_begin(q) + 1; ok && r < set.polygon_end(q); ++r) {
            GEOSGeometry* h = make_ring(m_ctx, set.ring(r));
            ok = h != nullptr;
            if (ok) {
                holes.push_back(h);
            }
        }
        GEOSGeometry* poly =
            ok ? GEOSGeom_createPolygon_r(
                     m_ctx, shell, holes.data(), static_cast<unsigned>(holes.size()))
               : nullptr;
        if (poly == nullptr) {
            if (shell != nullptr && !ok) {
                GEOSGeom_destroy_r(m_ctx, shell);
            }
            for (GEOSGeometry* h : holes) {
                if (!ok) {
                    GEOSGeom_destroy_r(m_ctx, h);
                }
            }
            cleanup();
            throw GeometryError("cannot build polygon: " + m_last_message);
        }
        polys.push_back(poly);
    }
    GEOSGeometry* multi = GEOSGeom_createCollection_r(
        m_ctx, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size()));
    if (multi == nullptr) {
        cleanup();
    }
    return own(multi, "create multipolygon");
}

namespace {

void read_ring(GEOSContextHandle_t ctx, const GEOSGeometry* ring, std::vector<Coord>& buf) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx, seq, &n);
    buf.resize(n);
    if (n > 0) {
        GEOSCoordSeq_copyToBuffer_r(ctx, seq, &buf[0].x, 0, 0);
    }
}

void append_polygon(GEOSContextHandle_t ctx, const GEOSGeometry* poly, PolygonSet& out) {
    if (GEOSisEmpty_r(ctx, poly) == 1) {
        return;
    }
    std::vector<Coord> buf;
    read_ring(ctx, GEOSGetExteriorRing_r(ctx, poly), buf);
    out.add_ring(buf);
    const int holes = GEOSGetNumInteriorRings_r(ctx, poly);
    for (int i = 0; i < holes; ++i) {
        read_ring(ctx, GEOSGetInteriorRingN_r(ctx, poly, i), buf);
        out.add_ring(buf);
    }
    out.end_polygon();
}

void append_polygons(GEOSContextHandle_t ctx, const GEOSGeometry* g, PolygonSet& out) {
    const int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_POLYGON) {
        append_polygon(ctx, g, out);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) {
            append_polygons(ctx, GEOSGetGeometryN_r(ctx, g, i), out);
        }
    }
    // Points and lines (collapsed parts of a repair) carry no area: left out.
}

} // namespace

void GeosContext::append_part(const GEOSGeometry* g, PolygonSet& out) const {
    append_polygons(m_ctx, g, out);
    out.end_part();
}

} // namespace amsim::geo
