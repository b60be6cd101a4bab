#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/plans/compare.hpp"
#include "amsim/sim/plans/ensemble_job.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/province_scope.hpp"

#include <filesystem>

namespace amsim::sim {

namespace fs = std::filesystem;

EnsembleInput ensemble_input(const Scenario& s,
                             const ScenarioCheck& check,
                             const geo::LoadedLayer& loaded,
                             const RulesProfile& profile) {
    EnsembleInput in;
    propose_inputs(s, check, loaded, in.units, in.edges);
    in.standards = province_standards(s, profile);
    in.start = scenario_plan(s, in.units);
    std::vector<std::string> province;
    province.reserve(in.units.size());
    for (const ProposeUnit& u : in.units) {
        province.push_back(u.province);
    }
    in.unit_staff = staff_per_old_unit(s, check, loaded, province, in.staffing);
    return in;
}

std::vector<std::string> scenario_plan(const Scenario& s, const std::vector<ProposeUnit>& units) {
    // A unit split among new units goes with the one taking the largest share.
    std::map<std::string, std::pair<std::string, double>> plan;
    for (const MappingRow& m : s.mapping) {
        auto& [code, share] = plan[m.old_code];
        if (m.share > share) {
            code = m.new_code;
            share = m.share;
        }
    }
    std::vector<std::string> out;
    out.reserve(units.size());
    for (const ProposeUnit& u : units) {
        const auto it = plan.find(u.code);
        if (it == plan.end()) {
            throw ScenarioError(s.mapping_path + ": old unit " + u.code + " is in no new unit");
        }
        out.push_back(it->second.first);
    }
    return out;
}

EnsembleJobResult run_ensemble_job(const EnsembleJob& job) {
    const Scenario& s = job.scenario;
    const geo::OutputPolicy& policy = job.policy;
    const std::string path =
        (fs::path(job.output) / shard_file_name(job.options.shard, job.options.shards)).string();
    geo::check_output(path, policy);
    BaseOptions bo;
    bo.source = job.source;
    bo.keep_geometry = true; // centres
    bo.progress = job.options.progress;
    const Base base = load_base(s.base, bo);
    const ScenarioCheck check = require_checked(s, base);
    EnsembleInput in = ensemble_input(s, check, base.loaded, job.profile);
    EnsembleJobResult out;
    out.path = path;
    ReferencePlans refs;
    EnsembleOptions o = job.options;
    if (!o.province.empty()) {
        std::string how;
        o.province = find_province(s, check, o.province, how);
        out.province_how = how;
    }
    const auto keep = [&](const std::map<std::string, PlanMetrics>& all) {
        std::map<std::string, PlanMetrics> kept;
        for (const auto& [code, m] : all) {
            if (o.province.empty() || code == o.province) {
                kept[code] = m;
            }
        }
        return kept;
    };
    refs["plan"] = keep(plan_metrics(in, in.start));
    for (const auto& [name, other] : job.compare) {
        if (!same_base(s, other)) {
            throw InputError(other.path + ": a plan compared must use the same base layer as " +
                             s.path);
        }
        refs[name] = keep(plan_metrics(in, scenario_plan(other, in.units)));
    }
    if (o.reduction > 0) {
        in.start = reduced_plan(in, o.reduction);
    }
    out.result = run_ensemble(in, o);
    ShardMeta meta;
    meta.version = amsim_version();
    meta.scenario = s.name;
    // What the plans depend on: the scenario, its mapping, base and rules (their checksums).
    for (const std::string& f : {s.path, s.mapping_path, job.source, job.profile.path}) {
        meta.inputs_sha256 += record_input("", f).sha256 + ";";
    }
    meta.rules = job.profile.name;
    meta.seed = o.seed;
    meta.plans = o.plans;
    meta.shard = o.shard;
    meta.shards = o.shards;
    meta.plans_per_chain = o.plans_per_chain;
    meta.burn_in = o.burn_in;
    meta.thin = o.thin;
    meta.province = o.province;
    meta.reduction = o.reduction;
    for (const ProvinceMerger& m : s.provinces) {
        meta.province_names[m.code] = m.name;
    }
    write_shard(path, out.result, meta, refs, policy);
    out.references = std::move(refs);
    return out;
}

} // namespace amsim::sim
