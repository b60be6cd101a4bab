#pragma once
/// @file dissolve.hpp
/// Dissolve on a built topology: no geometry arithmetic, only arcs.
///
/// An arc with the same group on both sides disappears; the others are walked into rings
/// (at a node with several ways on, the sharpest left turn, so rings never cross). Rings are
/// then nested by containment and kept by the non-zero winding rule: this is exactly the
/// union of the members, so an overlap between two members of one group (a ring inside the
/// group's own area) is dropped and counted, and a gap between members stays a hole.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/polygon_set.hpp"
#include "amsim/geo/topology.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace amsim::geo {

/// What a ring of a dissolve turned out to be.
enum class RingRole { shell, hole, overlap, inner };

struct DissolvedRing {
    std::uint32_t group = 0;
    RingRole role = RingRole::shell;
    double area = 0; ///< unsigned, metric if the topology has a projection
    Envelope envelope;
    Coord label;                      ///< a point on the ring, for locating it
    std::vector<std::uint32_t> units; ///< units on the inner side of its arcs (sorted)
    std::vector<std::uint32_t> arcs;  ///< topology arcs making up the ring
};

struct DissolveResult {
    PolygonSet geometry;                ///< part g = group g (shells and holes only)
    std::vector<std::uint32_t> members; ///< units per group
    std::vector<double> area;           ///< per group; metric if the topology has one
    std::vector<double> perimeter;      ///< per group; metric if the topology has one
    std::vector<double> overlap_area;   ///< per group: area covered twice or more, dropped
    std::vector<DissolvedRing> rings;   ///< every ring found, including dropped ones
};

struct DissolveOptions {
    bool keep_geometry = true; ///< false: only areas and rings (faster re-dissolve)
};

/// Dissolves units into groups: group_of_unit[u] in [0, group_count) or no_unit (left out).
[[nodiscard]] DissolveResult dissolve(const Topology& topology,
                                      std::span<const std::uint32_t> group_of_unit,
                                      std::uint32_t group_count,
                                      const DissolveOptions& options = {});

} // namespace amsim::geo
