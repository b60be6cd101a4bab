#pragma once
/// @file ensemble_store.hpp
/// An ensemble's files: one SQLite file per shard (its plans' metrics per province, their
/// partitions, the chains' counts, the reference plans, and what made them), and the summary
/// that merges shards: for each metric, per province and national, the ensemble's
/// distribution and each reference plan's percentile, with histograms, in an HTML report
/// and CSV/XLSX tables.

#include "amsim/geo/output_file.hpp"
#include "amsim/sim/plans/ensemble.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace amsim::sim {

/// What made a shard; every shard of one run carries the same but for `shard`.
struct ShardMeta {
    std::string version;       ///< amsim's
    std::string scenario;      ///< its name
    std::string inputs_sha256; ///< of the scenario, mapping, base and rules together
    std::string rules;
    std::uint64_t seed = 1;
    std::size_t plans = 0, shard = 0, shards = 1;
    std::size_t plans_per_chain = 0, burn_in = 0, thin = 0;
    std::string province;                              ///< empty = every one
    double reduction = 0;                              ///< % fewer units than the plan
    std::map<std::string, std::string> province_names; ///< new province code -> name
};

/// Reference plans by name ("plan" is the scenario's own), then province.
using ReferencePlans = std::map<std::string, std::map<std::string, PlanMetrics>>;

/// "plans-0003-of-0008.sqlite" (1-based, as --shard).
[[nodiscard]] std::string shard_file_name(std::size_t shard, std::size_t shards);

/// Writes a shard's file (staged, renamed into place when complete).
void write_shard(const std::string& path,
                 const EnsembleResult& result,
                 const ShardMeta& meta,
                 const ReferencePlans& references,
                 const geo::OutputPolicy& policy);

struct SummaryOptions {
    std::vector<std::string> inputs; ///< shard files, or directories holding them
    std::string output;              ///< directory for the report and tables
    std::string lang = "vi";         ///< vi or en
    geo::OutputPolicy policy;
    std::size_t bins = 20;
};

/// One metric in one province (or "" for the nation).
struct MetricSummary {
    std::string province, metric;
    std::size_t n = 0;
    double min = 0, p05 = 0, p25 = 0, median = 0, p75 = 0, p95 = 0, max = 0, mean = 0;
    std::map<std::string, double> reference, percentile; ///< by reference plan
    std::vector<std::size_t> histogram;
    double lo = 0, hi = 0; ///< the histogram's range
    double rhat = 0;       ///< split R-hat across chains; 0 = not computable
};

struct EnsembleSummary {
    ShardMeta meta;
    std::size_t plans = 0;                 ///< plans read
    std::vector<std::size_t> shards_found; ///< 1-based
    std::vector<std::size_t> shards_missing;
    std::size_t chains = 0, distinct = 0; ///< distinct national partitions
    std::uint64_t steps = 0, accepted = 0, fallback = 0, rejected = 0;
    std::vector<MetricSummary> metrics; ///< national first, then by province
    std::vector<std::string> files;     ///< written
};

/// Merges shards and writes the summary (report, tables). Throws InputError naming the file
/// when a shard is not one, or shards of different runs are mixed, or a plan is found twice.
EnsembleSummary summarise_ensemble(const SummaryOptions& options);

/// One province of one plan as a shard keeps it: its old units' codes and their new units.
struct StoredPartition {
    std::vector<std::string> codes;
    std::vector<std::uint16_t> labels; ///< per code: the new unit (numbered from 0)
};

/// Plan `plan` from the shard files among `inputs` (files, or directories of them), per new
/// province. InputError if no shard holds it, or it was kept without its partition.
[[nodiscard]] std::map<std::string, StoredPartition>
read_plan(const std::vector<std::string>& inputs, std::size_t plan);

/// The percentile of x among values (sorted): the share below it plus half the share equal
/// to it, in %.
[[nodiscard]] double percentile_of(const std::vector<double>& sorted, double x);

/// Split R-hat (Gelman et al. 2013) of chains (each a sequence of draws, at least 4): 0 if
/// it cannot be computed (fewer than 2 chains, or no variance within them).
[[nodiscard]] double split_rhat(const std::vector<std::vector<double>>& chains);

} // namespace amsim::sim
