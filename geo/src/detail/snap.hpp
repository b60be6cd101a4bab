#pragma once
// Snapping of free segments within a tolerance: vertex merge, T-junction insertion and
// noding of crossings, repeated until nothing changes (at most 4 passes).

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/polygon_set.hpp"
#include "amsim/geo/progress.hpp"
#include "amsim/geo/topology.hpp"

#include <utility>
#include <vector>

#include "detail/ring_nodes.hpp"

namespace amsim::geo::detail {

struct SnapFindings {
    std::vector<Diagnostic> diagnostics;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> overlapping_pairs;
};

/// Snaps rings in place (nodes may be added for crossings). Counts go into stats.
void snap_rings(RingNodes& rings,
                std::vector<Coord>& nodes,
                double tolerance,
                const Coord& origin,
                TopologyStats& stats,
                SnapFindings& findings,
                const ProgressFn& progress);

} // namespace amsim::geo::detail
