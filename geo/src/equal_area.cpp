#include "amsim/geo/equal_area.hpp"

#include "amsim/geo/error.hpp"

#include <proj.h>

#include <geodesic.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace amsim::geo {

struct EqualAreaProjection::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* to_metric = nullptr;
    /// Source is WGS 84 longitude/latitude: to_metric is the bare LAEA projection, fed radians
    /// (the same arithmetic as the CRS-to-CRS pipeline without its conversion steps).
    bool lonlat_radians = false;
    ~Impl() {
        if (to_metric != nullptr) {
            proj_destroy(to_metric);
        }
        if (ctx != nullptr) {
            proj_context_destroy(ctx);
        }
    }
};

namespace {

constexpr const char* wgs84_lonlat = "OGC:CRS84";

PJ* normalized(PJ_CONTEXT* ctx, PJ* p) {
    if (p == nullptr) {
        return nullptr;
    }
    PJ* n = proj_normalize_for_visualization(ctx, p);
    proj_destroy(p);
    return n;
}

std::string proj_error(PJ_CONTEXT* ctx) {
    return proj_context_errno_string(ctx, proj_context_errno(ctx));
}

} // namespace

EqualAreaProjection::EqualAreaProjection(const std::string& source_crs_wkt, const Envelope& extent)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->ctx = proj_context_create();
    const std::string source = source_crs_wkt.empty() ? wgs84_lonlat : source_crs_wkt;

    // Centre of the extent in longitude/latitude.
    double cx = (extent.minx + extent.maxx) / 2;
    double cy = (extent.miny + extent.maxy) / 2;
    {
        PJ* to_geo =
            normalized(m_impl->ctx,
                       proj_create_crs_to_crs(m_impl->ctx, source.c_str(), wgs84_lonlat, nullptr));
        if (to_geo == nullptr) {
            throw InputError("cannot interpret the layer's CRS: " + proj_error(m_impl->ctx));
        }
        PJ_COORD c = proj_coord(cx, cy, 0, 0);
        c = proj_trans(to_geo, PJ_FWD, c);
        proj_destroy(to_geo);
        if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y)) {
            throw InputError("cannot place the layer's extent on the globe");
        }
        cx = c.lp.lam;
        cy = c.lp.phi;
    }
    char def[160];
    std::snprintf(def,
                  sizeof def,
                  "+proj=laea +lat_0=%.4f +lon_0=%.4f +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs",
                  cy,
                  cx);
    m_definition = def;
    PJ* src = proj_create(m_impl->ctx, source.c_str());
    PJ* wgs84 = proj_create(m_impl->ctx, wgs84_lonlat);
    m_impl->lonlat_radians =
        src != nullptr && wgs84 != nullptr &&
        proj_is_equivalent_to(src, wgs84, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
    proj_destroy(src);
    proj_destroy(wgs84);
    m_impl->to_metric =
        m_impl->lonlat_radians
            ? proj_create(m_impl->ctx, def)
            : normalized(m_impl->ctx,
                         proj_create_crs_to_crs(m_impl->ctx, source.c_str(), def, nullptr));
    if (m_impl->to_metric == nullptr) {
        throw InputError("cannot build the equal-area projection: " + proj_error(m_impl->ctx));
    }
}

EqualAreaProjection::~EqualAreaProjection() = default;
EqualAreaProjection::EqualAreaProjection(EqualAreaProjection&&) noexcept = default;
EqualAreaProjection& EqualAreaProjection::operator=(EqualAreaProjection&&) noexcept = default;

void EqualAreaProjection::project_in_place(std::vector<Coord>& coords) const {
    if (coords.empty()) {
        return;
    }
    // PROJ objects are not shared between threads: each chunk clones the transformation
    // into a context of its own. Small inputs stay on this thread.
    constexpr std::size_t chunk = 1 << 18;
    auto run = [&](PJ* pj, PJ_CONTEXT* ctx, std::size_t begin, std::size_t end) {
        const std::size_t n = end - begin;
        if (m_impl->lonlat_radians) {
            constexpr double to_rad = 3.14159265358979323846 / 180;
            for (std::size_t i = begin; i < end; ++i) {
                coords[i].x *= to_rad;
                coords[i].y *= to_rad;
            }
        }
        const std::size_t done = proj_trans_generic(pj,
                                                    PJ_FWD,
                                                    &coords[begin].x,
                                                    sizeof(Coord),
                                                    n,
                                                    &coords[begin].y,
                                                    sizeof(Coord),
                                                    n,
                                                    nullptr,
                                                    0,
                                                    0,
                                                    nullptr,
                                                    0,
                                                    0);
        if (done != n) {
            throw GeometryError("equal-area projection failed: " + proj_error(ctx));
        }
    };
    if (coords.size() <= chunk) {
        run(m_impl->to_metric, m_impl->ctx, 0, coords.size());
        return;
    }
    tbb::parallel_for(std::size_t{0}, (coords.size() + chunk - 1) / chunk, [&](std::size_t c) {
        PJ_CONTEXT* ctx = proj_context_create();
        PJ* pj = proj_clone(ctx, m_impl->to_metric);
        struct Release {
            PJ_CONTEXT* ctx;
            PJ* pj;
            ~Release() {
                proj_destroy(pj);
                proj_context_destroy(ctx);
            }
        } release{ctx, pj};
        if (pj == nullptr) {
            throw GeometryError("cannot clone the equal-area projection: " + proj_error(ctx));
        }
        run(pj, ctx, c * chunk, std::min(coords.size(), (c + 1) * chunk));
    });
}

PolygonSet EqualAreaProjection::project(const PolygonSet& set) const {
    PolygonSet out;
    std::vector<Coord> buf;
    for (std::size_t p = 0; p < set.part_count(); ++p) {
        for (std::uint32_t q = set.part_begin(p); q < set.part_end(p); ++q) {
            for (std::uint32_t r = set.polygon_begin(q); r < set.polygon_end(q); ++r) {
                auto ring = set.ring(r);
                buf.assign(ring.begin(), ring.end());
                project_in_place(buf);
                out.add_ring(buf);
            }
            out.end_polygon();
        }
        out.end_part();
    }
    return out;
}

double geodesic_area(const PolygonSet& lonlat, std::size_t part) {
    geod_geodesic g{};
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    double total = 0;
    std::vector<double> lats, lons;
    for (std::uint32_t q = lonlat.part_begin(part); q < lonlat.part_end(part); ++q) {
        for (std::uint32_t r = lonlat.polygon_begin(q); r < lonlat.polygon_end(q); ++r) {
            auto ring = lonlat.ring(r);
            lats.resize(ring.size());
            lons.resize(ring.size());
            for (std::size_t i = 0; i < ring.size(); ++i) {
                lons[i] = ring[i].x;
                lats[i] = ring[i].y;
            }
            double area = 0, perimeter = 0;
            geod_polygonarea(
                &g, lats.data(), lons.data(), static_cast<int>(ring.size()), &area, &perimeter);
            const double a = std::abs(area);
            total += (r == lonlat.polygon_begin(q)) ? a : -a;
        }
    }
    return total;
}

} // namespace amsim::geo
