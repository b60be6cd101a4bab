#pragma once
// Open-addressing hash tables for the topology build: far fewer allocations and cache
// misses than std::unordered_map on millions of keys.

#include "amsim/geo/polygon_set.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace amsim::geo::detail {

inline std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

inline std::size_t table_size(std::size_t expected) {
    std::size_t n = 16;
    while (n < expected * 2) {
        n <<= 1;
    }
    return n;
}

/// Exact point -> node id, insert-only. A slot holds a node id and 32 bits of the point's
/// hash, so probes past other points rarely touch the node array; points are compared
/// through the node array, which the index appends to. The table doubles when half full.
class FlatCoordIndex {
public:
    explicit FlatCoordIndex(std::size_t expected)
        : m_slots(table_size(expected), empty), m_mask(m_slots.size() - 1) {}

    static std::uint64_t hash(const Coord& c) noexcept {
        return mix64(bits(c.x) * 0x9e3779b97f4a7c15ULL ^ bits(c.y));
    }
    void prefetch(std::uint64_t h) const noexcept { __builtin_prefetch(&m_slots[h & m_mask]); }

    std::uint32_t find_or_insert(const Coord& c, std::uint64_t h, std::vector<Coord>& nodes) {
        const auto tag = static_cast<std::uint32_t>(h >> 32);
        const std::uint64_t a = bits(c.x), b = bits(c.y);
        std::size_t i = h & m_mask;
        while (true) {
            const std::uint64_t slot = m_slots[i];
            if (slot == empty) {
                const auto id = static_cast<std::uint32_t>(nodes.size());
                nodes.push_back(c);
                m_slots[i] = (std::uint64_t{tag} << 32) | id;
                if (2 * nodes.size() > m_slots.size()) {
                    grow(nodes);
                }
                return id;
            }
            if (static_cast<std::uint32_t>(slot >> 32) == tag) {
                const auto id = static_cast<std::uint32_t>(slot);
                if (bits(nodes[id].x) == a && bits(nodes[id].y) == b) {
                    return id;
                }
            }
            i = (i + 1) & m_mask;
        }
    }

private:
    static constexpr std::uint64_t empty = ~std::uint64_t{0};
    /// Bit pattern of a coordinate; -0.0 and 0.0 are one point.
    static std::uint64_t bits(double d) noexcept {
        if (d == 0) {
            d = 0;
        }
        std::uint64_t u = 0;
        std::memcpy(&u, &d, sizeof u);
        return u;
    }
    void grow(const std::vector<Coord>& nodes) {
        m_slots.assign(2 * m_slots.size(), empty);
        m_mask = m_slots.size() - 1;
        for (std::size_t id = 0; id < nodes.size(); ++id) {
            const std::uint64_t h = hash(nodes[id]);
            std::size_t i = h & m_mask;
            while (m_slots[i] != empty) {
                i = (i + 1) & m_mask;
            }
            m_slots[i] = (h >> 32 << 32) | id;
        }
    }
    std::vector<std::uint64_t> m_slots;
    std::size_t m_mask;
};

/// uint64 -> uint32 with add, get and set. Key ~0 is reserved.
class FlatHash64 {
public:
    explicit FlatHash64(std::size_t expected)
        : m_keys(table_size(expected), empty), m_values(m_keys.size(), 0),
          m_mask(m_keys.size() - 1) {}

    void add(std::uint64_t key, std::uint32_t v) { m_values[slot(key)] += v; }
    void set(std::uint64_t key, std::uint32_t v) { m_values[slot(key)] = v; }
    [[nodiscard]] std::uint32_t get(std::uint64_t key) const { return get_or(key, 0); }
    [[nodiscard]] std::uint32_t get_or(std::uint64_t key, std::uint32_t fallback) const {
        std::size_t i = mix64(key) & m_mask;
        while (m_keys[i] != empty) {
            if (m_keys[i] == key) {
                return m_values[i];
            }
            i = (i + 1) & m_mask;
        }
        return fallback;
    }

private:
    static constexpr std::uint64_t empty = ~std::uint64_t{0};
    std::size_t slot(std::uint64_t key) {
        std::size_t i = mix64(key) & m_mask;
        while (m_keys[i] != empty && m_keys[i] != key) {
            i = (i + 1) & m_mask;
        }
        m_keys[i] = key;
        return i;
    }
    std::vector<std::uint64_t> m_keys;
    std::vector<std::uint32_t> m_values;
    std::size_t m_mask;
};

} // namespace amsim::geo::detail
