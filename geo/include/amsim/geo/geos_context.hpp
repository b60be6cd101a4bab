#pragma once
/// @file geos_context.hpp
/// RAII over the reentrant GEOS C API. One GeosContext per thread; it is neither copyable
/// nor movable. Every GEOS result is checked: NULL becomes a GeometryError carrying the
/// message GEOS reported.

#include "amsim/geo/polygon_set.hpp"

#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>

namespace amsim::geo {

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const noexcept {
        if (g != nullptr) {
            GEOSGeom_destroy_r(ctx, g);
        }
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const noexcept {
        if (g != nullptr) {
            GEOSPreparedGeom_destroy_r(ctx, g);
        }
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;
    GeosContext(GeosContext&&) = delete;
    GeosContext& operator=(GeosContext&&) = delete;

    [[nodiscard]] GEOSContextHandle_t handle() const noexcept { return m_ctx; }
    /// The last error or notice GEOS reported on this context.
    [[nodiscard]] const std::string& last_message() const noexcept { return m_last_message; }

    /// Takes ownership of a GEOS result; NULL throws GeometryError(what + GEOS message).
    [[nodiscard]] GeomPtr own(GEOSGeometry* g, std::string_view what) const;
    [[nodiscard]] PreparedPtr prepare(const GEOSGeometry* g) const;

    /// Builds a GEOS MultiPolygon from part p of a polygon set.
    [[nodiscard]] GeomPtr to_geos(const PolygonSet& set, std::size_t part) const;
    /// Builds a GEOS Polygon from one open ring (shell only).
    [[nodiscard]] GeomPtr ring_to_polygon(std::span<const Coord> ring) const;
    /// Appends a GEOS (Multi)Polygon or GeometryCollection's polygons as one part.
    void append_part(const GEOSGeometry* g, PolygonSet& out) const;

    /// Clears the last message (before an operation whose notices matter).
    void clear_message() noexcept { m_last_message.clear(); }

private:
    static void on_message(const char* message, void* userdata);
    GEOSContextHandle_t m_ctx = nullptr;
    std::string m_last_message;
};

} // namespace amsim::geo
