#include "amsim/geo/overlay.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/geos_context.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

namespace amsim::geo {

namespace {

/// IoU of two GEOS geometries; none if GEOS cannot intersect them even after repair.
std::optional<double> iou(GeosContext& geos, GeomPtr a, GeomPtr b) {
    GEOSContextHandle_t h = geos.handle();
    GeomPtr x(GEOSIntersection_r(h, a.get(), b.get()), GeomDeleter{h});
    if (!x) {
        // Invalid input (GEOS TopologyException): once more on the repaired shapes.
        a = GeomPtr(GEOSMakeValid_r(h, a.get()), GeomDeleter{h});
        b = GeomPtr(GEOSMakeValid_r(h, b.get()), GeomDeleter{h});
        if (!a || !b) {
            return std::nullopt;
        }
        x = GeomPtr(GEOSIntersection_r(h, a.get(), b.get()), GeomDeleter{h});
        if (!x) {
            return std::nullopt;
        }
    }
    double ai = 0, aa = 0, ab = 0;
    GEOSArea_r(h, x.get(), &ai);
    GEOSArea_r(h, a.get(), &aa);
    GEOSArea_r(h, b.get(), &ab);
    const double u = aa + ab - ai;
    return u > 0 ? ai / u : 0;
}

} // namespace

std::vector<std::optional<double>>
intersection_over_union(const PolygonSet& a,
                        const PolygonSet& b,
                        std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs) {
    std::vector<std::optional<double>> out(pairs.size());
    tbb::enumerable_thread_specific<GeosContext> contexts;
    tbb::parallel_for(std::size_t{0}, pairs.size(), [&](std::size_t i) {
        const auto [pa, pb] = pairs[i];
        if (a.part_begin(pa) == a.part_end(pa)) {
            return;
        }
        GeosContext& geos = contexts.local();
        out[i] = iou(geos, geos.to_geos(a, pa), geos.to_geos(b, pb));
    });
    return out;
}

namespace {

/// An STRtree over the parts of a set, destroyed with its context.
class PartTree {
public:
    PartTree(const GeosContext& geos, const PolygonSet& set)
        : m_geos(geos), m_tree(GEOSSTRtree_create_r(geos.handle(), 10)) {
        if (m_tree == nullptr) {
            throw GeometryError("GEOS could not create an STRtree");
        }
        m_geoms.reserve(set.part_count());
        for (std::size_t i = 0; i < set.part_count(); ++i) {
            m_geoms.push_back(geos.to_geos(set, i));
        }
        for (std::size_t i = 0; i < m_geoms.size(); ++i) {
            // The tree's item is the part's index (GEOS takes it as a pointer).
            GEOSSTRtree_insert_r(geos.handle(),
                                 m_tree,
                                 m_geoms[i].get(),
                                 reinterpret_cast<void*>(i)); // NOLINT(performance-no-int-to-ptr)
        }
    }
    ~PartTree() { GEOSSTRtree_destroy_r(m_geos.handle(), m_tree); }
    PartTree(const PartTree&) = delete;
    PartTree& operator=(const PartTree&) = delete;
    PartTree(PartTree&&) = delete;
    PartTree& operator=(PartTree&&) = delete;

    /// Parts whose envelope meets the geometry's, in the tree's order.
    [[nodiscard]] std::vector<std::size_t> query(const GEOSGeometry* g) const {
        std::vector<std::size_t> hits;
        GEOSSTRtree_query_r(
            m_geos.handle(),
            m_tree,
            g,
            [](void* item, void* data) {
                static_cast<std::vector<std::size_t>*>(data)->push_back(
                    reinterpret_cast<std::size_t>(item));
            },
            &hits);
        return hits;
    }
    [[nodiscard]] const GEOSGeometry* part(std::size_t i) const { return m_geoms[i].get(); }

private:
    const GeosContext& m_geos;
    GEOSSTRtree* m_tree;
    std::vector<GeomPtr> m_geoms;
};

} // namespace

std::vector<std::vector<Overlap>>
overlap_areas(const PolygonSet& a,
              const PolygonSet& b,
              const std::function<bool(std::size_t, std::size_t)>& consider,
              const std::function<void(double)>& progress) {
    GeosContext geos;
    GEOSContextHandle_t h = geos.handle();
    const PartTree tree(geos, b);
    const std::size_t n = a.part_count();
    std::vector<std::vector<Overlap>> out(n);
    for (std::size_t u = 0; u < n; ++u) {
        if (a.part_begin(u) == a.part_end(u)) {
            continue;
        }
        const GeomPtr g = geos.to_geos(a, u);
        const GeomPtr valid(GEOSMakeValid_r(h, g.get()), GeomDeleter{h});
        if (!valid) {
            continue;
        }
        for (const std::size_t i : tree.query(valid.get())) {
            if (consider && !consider(u, i)) {
                continue;
            }
            const GeomPtr x(GEOSIntersection_r(h, valid.get(), tree.part(i)), GeomDeleter{h});
            if (!x) {
                continue;
            }
            double area = 0;
            GEOSArea_r(h, x.get(), &area);
            if (area > 0) {
                out[u].push_back({static_cast<std::uint32_t>(i), area});
            }
        }
        if (progress) {
            progress(static_cast<double>(u + 1) / static_cast<double>(n));
        }
    }
    return out;
}

PolygonSet cut_part(const PolygonSet& set,
                    std::size_t part,
                    const PolygonSet& cutters,
                    std::span<const std::size_t> cut,
                    double min_fraction) {
    GeosContext geos;
    GEOSContextHandle_t h = geos.handle();
    GeomPtr whole = geos.to_geos(set, part);
    if (GEOSisValid_r(h, whole.get()) != 1) {
        whole = geos.own(GEOSMakeValid_r(h, whole.get()), "repairing a part to cut");
    }
    double total = 0;
    GEOSArea_r(h, whole.get(), &total);
    std::vector<GeomPtr> pieces(cut.size());
    GeomPtr rest = geos.own(GEOSGeom_clone_r(h, whole.get()), "copying a part to cut");
    for (std::size_t k = 1; k < cut.size(); ++k) {
        GeomPtr cutter = geos.to_geos(cutters, cut[k]);
        if (GEOSisValid_r(h, cutter.get()) != 1) {
            cutter = geos.own(GEOSMakeValid_r(h, cutter.get()), "repairing a cutting part");
        }
        // Cut from what is left, so that two overlapping cutters cannot both take an area.
        GeomPtr piece = geos.own(GEOSIntersection_r(h, rest.get(), cutter.get()), "cutting");
        double area = 0;
        GEOSArea_r(h, piece.get(), &area);
        if (area < min_fraction * total) {
            continue; // a sliver: it stays in the rest
        }
        rest = geos.own(GEOSDifference_r(h, rest.get(), piece.get()), "cutting the rest");
        pieces[k] = std::move(piece);
    }
    pieces[0] = std::move(rest);
    PolygonSet out;
    for (const GeomPtr& piece : pieces) {
        if (piece) {
            geos.append_part(piece.get(), out);
        } else {
            out.end_part(); // an empty part
        }
    }
    return out;
}

} // namespace amsim::geo
