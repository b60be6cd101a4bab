#pragma once
/// @file ensemble_shards.hpp
/// Reading an ensemble's shard files back (internal to sim: the summary's input).

#include "amsim/sim/plans/ensemble_store.hpp"

#include <string>
#include <vector>

namespace amsim::sim {

/// One shard's file as read.
struct Shard {
    std::string path;
    ShardMeta meta;
    std::vector<PlanRecord> plans; ///< by plan, then province; labels not read
    ReferencePlans references;
    std::vector<ChainStats> chains;
};

/// The shard files among inputs: files as given, directories' plans-*.sqlite in name order.
[[nodiscard]] std::vector<std::string> shard_files(const std::vector<std::string>& inputs);

/// Reads a shard's file (InputError naming it if it is not one).
[[nodiscard]] Shard read_shard(const std::string& path);

} // namespace amsim::sim
