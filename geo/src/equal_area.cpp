#include "amsim/geo/equal_area.hpp"

#include "amsim/core/error.hpp"

#include <proj.h>

#include <geodesic.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace amsim::geo {

namespace {

// The oblique ellipsoidal Lambert azimuthal equal-area projection, as PROJ computes it
// (src/projections/laea.cpp, Snyder 1987 pp. 187-188): the authalic latitude's sine from
// q(phi), then the spherical formulas on the authalic sphere. PROJ spends most of its time
// per point on the generic pipeline around these few operations.
constexpr double wgs84_a = 6378137.0;
constexpr double wgs84_f = 1 / 298.257223563;

struct Laea {
    double lam0 = 0, e = 0, one_es = 0, qp = 0, sinb1 = 0, cosb1 = 0, xmf = 0, ymf = 0;
};

double qsfn(double sinphi, double e, double one_es) {
    const double con = e * sinphi;
    return one_es * (sinphi / (1.0 - con * con) - (0.5 / e) * std::log((1.0 - con) / (1.0 + con)));
}

Laea make_laea(double lat0_deg, double lon0_deg) {
    constexpr double to_rad = 3.14159265358979323846 / 180;
    Laea l;
    const double es = wgs84_f * (2 - wgs84_f);
    l.e = std::sqrt(es);
    l.one_es = 1 - es;
    l.lam0 = lon0_deg * to_rad;
    const double phi0 = lat0_deg * to_rad;
    l.qp = qsfn(1.0, l.e, l.one_es);
    const double rq = std::sqrt(0.5 * l.qp);
    const double sinphi = std::sin(phi0);
    l.sinb1 = qsfn(sinphi, l.e, l.one_es) / l.qp;
    l.cosb1 = std::sqrt(1.0 - l.sinb1 * l.sinb1);
    const double dd = std::cos(phi0) / (std::sqrt(1.0 - es * sinphi * sinphi) * rq * l.cosb1);
    l.xmf = rq * dd;
    l.ymf = rq / dd;
    return l;
}

/// Projects longitude/latitude in radians to metres; false where the point is antipodal.
bool laea_forward(const Laea& l, Coord& c) {
    const double lam = c.x - l.lam0;
    const double coslam = std::cos(lam), sinlam = std::sin(lam);
    const double sinb = qsfn(std::sin(c.y), l.e, l.one_es) / l.qp;
    const double sinb2 = sinb * sinb;
    const double cosb = sinb2 < 1 ? std::sqrt(1.0 - sinb2) : 0.0;
    double b = 1.0 + l.sinb1 * sinb + l.cosb1 * cosb * coslam;
    if (std::abs(b) < 1e-10) {
        return false;
    }
    b = std::sqrt(2.0 / b);
    c.y = wgs84_a * l.ymf * b * (l.cosb1 * sinb - l.sinb1 * cosb * coslam);
    c.x = wgs84_a * l.xmf * b * cosb * sinlam;
    return true;
}

} // namespace

struct EqualAreaProjection::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* to_metric = nullptr;
    /// Source is WGS 84 longitude/latitude: to_metric is the bare LAEA projection, fed radians
    /// (the same arithmetic as the CRS-to-CRS pipeline without its conversion steps), and
    /// the hot path uses its closed form (`laea`), checked against PROJ in the tests.
    bool lonlat_radians = false;
    Laea laea;
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
    proj_log_level(m_impl->ctx, PJ_LOG_NONE); // errors reach the user in our messages
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
    // The centre is rounded to 1e-4 degree, in the definition and in the closed form alike.
    char lat0[32], lon0[32];
    std::snprintf(lat0, sizeof lat0, "%.4f", cy);
    std::snprintf(lon0, sizeof lon0, "%.4f", cx);
    m_impl->laea = make_laea(std::strtod(lat0, nullptr), std::strtod(lon0, nullptr));
    char def[160];
    std::snprintf(def,
                  sizeof def,
                  "+proj=laea +lat_0=%s +lon_0=%s +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs",
                  lat0,
                  lon0);
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
    if (m_impl->lonlat_radians) {
        constexpr double to_rad = 3.14159265358979323846 / 180;
        const Laea& l = m_impl->laea;
        std::atomic<bool> failed{false};
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, coords.size(), 1 << 16),
                          [&](const tbb::blocked_range<std::size_t>& r) {
                              for (std::size_t i = r.begin(); i != r.end(); ++i) {
                                  Coord& c = coords[i];
                                  c.x *= to_rad;
                                  c.y *= to_rad;
                                  if (!laea_forward(l, c)) {
                                      failed = true;
                                  }
                              }
                          });
        if (failed) {
            throw GeometryError("equal-area projection failed: a point lies opposite the "
                                "projection's centre on the globe");
        }
        return;
    }
    project_with_proj(coords);
}

void EqualAreaProjection::project_with_proj(std::vector<Coord>& coords) const {
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
        proj_log_level(ctx, PJ_LOG_NONE);
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
