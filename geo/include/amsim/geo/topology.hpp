#pragma once
/// @file topology.hpp
/// The shared-edge (arc-node) topology of a polygon layer, built once.
///
/// Vertices are identified exactly; then, within a snap tolerance, vertices closer than the
/// tolerance are merged, vertices lying on a neighbour's segment are inserted into it (the
/// "incorrectly noded" borders GEOS 3.11 CoverageUnion rejects), and crossing segments are
/// noded at their intersection. Segments then pair up into edges with a unit on each side,
/// and chains of edges with the same two sides become arcs. Every arc has its left unit
/// (interior on its left) and a right unit, or none when the arc is free (coverage exterior,
/// a gap, or an overlap). Dissolves and adjacency then work on arcs only.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/polygon_set.hpp"
#include "amsim/geo/progress.hpp"

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace amsim::geo {

class EqualAreaProjection;

inline constexpr std::uint32_t no_unit = std::numeric_limits<std::uint32_t>::max();

struct TopologyOptions {
    /// Borders closer than this (in CRS units) are matched; 0 = exact matching only.
    double snap_tolerance = 0;
    /// If set, metric coordinates (areas in m2, lengths in m) are computed during the build:
    /// the nodes are projected on another core while edges and arcs are built.
    const EqualAreaProjection* projection = nullptr;
    ProgressFn progress;
    /// Checked between stages: once true, the build stops by throwing TopologyCancelled.
    const std::atomic<bool>* cancel = nullptr;
    /// Called once the source geometry has been read for the last time (after the nodes
    /// are found), so that the caller may free it.
    std::function<void()> geometry_done;
};

/// Thrown by Topology::build when TopologyOptions::cancel becomes true.
struct TopologyCancelled : std::exception {
    [[nodiscard]] const char* what() const noexcept override { return "topology build cancelled"; }
};

/// Exact vertex identity over a layer, the first stage of a topology build. It only reads
/// the geometry, so it can be built while the layer is still being checked; parts replaced
/// afterwards (repairs) are indexed again when the topology is built from it.
class VertexIndex {
    struct Impl;

public:
    /// Memory for the index of a layer of up to `coords` vertices. Allocated on the thread
    /// that will build the index, it can be written once (map) on a spare core while the
    /// layer is read (see ReadOptions::on_capacity): the build then meets no page faults.
    class Storage {
    public:
        Storage();
        explicit Storage(std::size_t coords);
        ~Storage();
        /// Writes every page the index is expected to use.
        void map();
        Storage(Storage&&) noexcept;
        Storage& operator=(Storage&&) noexcept;

    private:
        friend class VertexIndex;
        std::unique_ptr<Impl> m_impl;
    };

    /// Indexes geometry, in storage if it is large enough.
    explicit VertexIndex(const PolygonSet& geometry, Storage storage = Storage());
    ~VertexIndex();
    VertexIndex(VertexIndex&&) noexcept;
    VertexIndex& operator=(VertexIndex&&) noexcept;

private:
    friend class Topology;
    std::unique_ptr<Impl> m_impl;
};

/// What building the topology found and changed.
struct TopologyStats {
    std::size_t vertices = 0;     ///< input vertices
    std::size_t nodes = 0;        ///< distinct points after snapping
    std::size_t edges = 0;        ///< distinct segments
    std::size_t shared_edges = 0; ///< edges with a unit on each side
    std::size_t arcs = 0;
    std::size_t free_arcs = 0;           ///< arcs with a unit on one side only
    std::size_t exact_free_segments = 0; ///< segments without a twin before snapping
    std::size_t nodes_merged = 0;        ///< vertices moved onto a neighbour's vertex
    std::size_t vertices_inserted = 0;   ///< vertices inserted into a neighbour's segment
    std::size_t crossings_noded = 0;     ///< proper segment crossings noded
    std::size_t duplicate_edges = 0;     ///< a unit's side claimed twice (overlapping units)
    double max_snap_distance = 0;        ///< largest move made by snapping, CRS units
};

/// A pair of units sharing a border.
struct Adjacency {
    std::uint32_t a = 0; ///< smaller unit index
    std::uint32_t b = 0; ///< larger unit index
    double length = 0;   ///< shared border length, metres if a projection was set
    std::uint32_t arcs = 0;
};

class Topology {
public:
    /// Builds the topology of every part of geometry (part i = unit i). Orientation of
    /// geometry must be normalised (shells counter-clockwise).
    static Topology build(const PolygonSet& geometry, const TopologyOptions& options);
    /// The same, taking the geometry over and freeing it as soon as it is no longer needed
    /// (after the nodes are found), to lower the peak memory of a national build.
    static Topology build(PolygonSet&& geometry, const TopologyOptions& options);
    /// A part replacing part `unit` of the geometry (a one-part set), e.g. its repair.
    using Replacement = std::pair<std::uint32_t, PolygonSet>;
    /// Builds from an index made earlier on this same geometry, taking the replaced parts
    /// (ascending units) from `replacements` instead.
    static Topology build(const PolygonSet& geometry,
                          VertexIndex&& index,
                          std::span<const Replacement> replacements,
                          const TopologyOptions& options);

    [[nodiscard]] std::size_t unit_count() const noexcept { return m_unit_count; }
    [[nodiscard]] std::size_t arc_count() const noexcept { return m_arc_left.size(); }
    [[nodiscard]] std::size_t node_count() const noexcept { return m_nodes.size(); }
    [[nodiscard]] const TopologyStats& stats() const noexcept { return m_stats; }
    /// Unit pairs whose borders cross or run the same way (they overlap), sorted.
    [[nodiscard]] const std::vector<std::pair<std::uint32_t, std::uint32_t>>&
    overlapping_pairs() const noexcept {
        return m_overlapping_pairs;
    }
    /// Notable findings (crossings, duplicate edges) with their locations.
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept {
        return m_diagnostics;
    }

    [[nodiscard]] std::span<const std::uint32_t> arc_nodes(std::size_t arc) const {
        return {m_arc_nodes.data() + m_arc_offsets[arc],
                m_arc_offsets[arc + 1] - m_arc_offsets[arc]};
    }
    [[nodiscard]] std::uint32_t arc_left(std::size_t arc) const { return m_arc_left[arc]; }
    [[nodiscard]] std::uint32_t arc_right(std::size_t arc) const { return m_arc_right[arc]; }
    [[nodiscard]] const Coord& node(std::size_t n) const { return m_nodes[n]; }
    [[nodiscard]] const std::vector<Coord>& nodes() const noexcept { return m_nodes; }
    /// Twice the signed area swept by the arc, forward direction, in CRS units
    /// (relative to origin(), so sums over closed rings are exact areas).
    [[nodiscard]] double arc_area2(std::size_t arc) const { return m_arc_area2[arc]; }
    [[nodiscard]] const Envelope& arc_envelope(std::size_t arc) const {
        return m_arc_envelope[arc];
    }
    [[nodiscard]] const Coord& origin() const noexcept { return m_origin; }

    /// Sets metric node coordinates (metric[i] is node i, projected); afterwards
    /// arc_metric_area2() and arc_length() are in square metres and metres.
    void set_metric(const std::vector<Coord>& metric);
    [[nodiscard]] bool has_metric() const noexcept { return !m_arc_metric_area2.empty(); }
    [[nodiscard]] double arc_metric_area2(std::size_t arc) const { return m_arc_metric_area2[arc]; }
    [[nodiscard]] double arc_length(std::size_t arc) const { return m_arc_length[arc]; }

    /// Area of each unit from its arcs (metric if set, else CRS units).
    [[nodiscard]] std::vector<double> unit_areas() const;
    /// Perimeter of each unit (metric if set).
    [[nodiscard]] std::vector<double> unit_perimeters() const;
    /// Unit pairs sharing at least one arc, sorted by (a, b), with shared length.
    [[nodiscard]] std::vector<Adjacency> adjacency() const;

private:
    static Topology build_impl(const PolygonSet& geometry,
                               VertexIndex&& index,
                               std::span<const Replacement> replacements,
                               const TopologyOptions& options);
    std::size_t m_unit_count = 0;
    Coord m_origin;
    std::vector<Coord> m_nodes;
    std::vector<std::uint32_t> m_arc_offsets{0};
    std::vector<std::uint32_t> m_arc_nodes;
    std::vector<std::uint32_t> m_arc_left;
    std::vector<std::uint32_t> m_arc_right;
    std::vector<double> m_arc_area2;
    std::vector<Envelope> m_arc_envelope;
    std::vector<double> m_arc_metric_area2;
    std::vector<double> m_arc_length;
    TopologyStats m_stats;
    std::vector<Diagnostic> m_diagnostics;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_overlapping_pairs;
};

} // namespace amsim::geo
