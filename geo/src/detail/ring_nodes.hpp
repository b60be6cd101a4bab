#pragma once
// Rings as sequences of node ids, and their segments grouped by start node: the working
// form of a layer while its topology is built.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace amsim::geo::detail {

/// Rings as node sequences (compressed rows), with the unit of each ring. Segment k of the
/// flat array runs nodes[k] -> nodes[next(k, ring)].
struct RingNodes {
    std::vector<std::uint32_t> offsets{0};
    std::vector<std::uint32_t> nodes;
    std::vector<std::uint32_t> unit;

    [[nodiscard]] std::size_t ring_count() const { return unit.size(); }
    [[nodiscard]] std::uint32_t next(std::uint32_t k, std::size_t ring) const {
        return (k + 1 == offsets[ring + 1]) ? offsets[ring] : k + 1;
    }
};

/// Closes a ring in progress: drops a repeated closing node, keeps rings of 3+ nodes.
/// Returns false if the ring was dropped.
inline bool close_ring(RingNodes& rn, std::uint32_t unit) {
    const std::uint32_t start = rn.offsets.back();
    while (rn.nodes.size() > start + 1 && rn.nodes.back() == rn.nodes[start]) {
        rn.nodes.pop_back();
    }
    if (rn.nodes.size() - start < 3) {
        rn.nodes.resize(start);
        return false;
    }
    rn.offsets.push_back(static_cast<std::uint32_t>(rn.nodes.size()));
    rn.unit.push_back(unit);
    return true;
}

/// Every segment grouped by its start node (a counting sort): finding a segment's twin is a
/// scan of a handful of entries, with no hash table over millions of keys.
class OutgoingSegments {
public:
    OutgoingSegments(const RingNodes& rings, std::size_t node_count)
        : m_offsets(node_count + 1, 0), m_end(rings.nodes.size()), m_flat(rings.nodes.size()) {
        // Counts, then end positions; segments are placed from the last backwards, so each
        // node's segments keep flat order and its end position becomes its start.
        for (std::uint32_t n : rings.nodes) {
            ++m_offsets[n + 1];
        }
        for (std::size_t i = 0; i < node_count; ++i) {
            m_offsets[i + 1] += m_offsets[i];
        }
        for (std::size_t r = rings.ring_count(); r-- > 0;) {
            for (std::uint32_t k = rings.offsets[r + 1]; k-- > rings.offsets[r];) {
                const std::uint32_t slot = --m_offsets[rings.nodes[k] + 1];
                m_end[slot] = rings.nodes[rings.next(k, r)];
                m_flat[slot] = k;
            }
        }
        // m_offsets[n + 1] now holds the start of node n: shift down by one.
        std::copy(m_offsets.begin() + 1, m_offsets.end(), m_offsets.begin());
        m_offsets[node_count] = static_cast<std::uint32_t>(rings.nodes.size());
    }
    /// Number of segments a -> b.
    [[nodiscard]] std::uint32_t count(std::uint32_t a, std::uint32_t b) const {
        std::uint32_t c = 0;
        for (std::uint32_t i = m_offsets[a]; i < m_offsets[a + 1]; ++i) {
            c += m_end[i] == b;
        }
        return c;
    }
    /// Calls f(flat) for every segment a -> b, in flat order.
    template <typename F>
    void for_each(std::uint32_t a, std::uint32_t b, F&& f) const {
        for (std::uint32_t i = m_offsets[a]; i < m_offsets[a + 1]; ++i) {
            if (m_end[i] == b) {
                f(m_flat[i]);
            }
        }
    }

private:
    std::vector<std::uint32_t> m_offsets;
    std::vector<std::uint32_t> m_end;
    std::vector<std::uint32_t> m_flat;
};

} // namespace amsim::geo::detail
