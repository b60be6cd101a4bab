#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/plans/compare.hpp"
#include "amsim/sim/plans/ensemble_job.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/province_scope.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>

#include "region.hpp"

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
    out.inputs = {record_input("scenario", s.path),
                  record_input("mapping", s.mapping_path),
                  record_input("base", job.source),
                  record_input("rules", job.profile.path)};
    for (const RecordedInput& input : out.inputs) {
        meta.inputs_sha256 += input.sha256 + ";";
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

EnsemblePlanExported export_ensemble_plan(const EnsemblePlanExport& job) {
    const Scenario& s = job.scenario;
    for (const char* name : {"mapping.csv", "scenario.toml"}) {
        geo::check_output((fs::path(job.output) / name).string(), job.policy);
    }
    const std::map<std::string, StoredPartition> stored = read_plan(job.inputs, job.plan);
    BaseOptions bo;
    bo.source = job.source;
    bo.keep_geometry = true;
    const Base base = load_base(s.base, bo);
    const ScenarioCheck check = require_checked(s, base);
    std::vector<ProposeUnit> units;
    std::vector<ProposeEdge> edges;
    propose_inputs(s, check, base.loaded, units, edges);
    const std::map<std::string, ProvinceStandards> standards = province_standards(s, job.profile);
    // Every old unit of the plan's provinces in its group.
    std::map<std::string, std::uint32_t> index;
    for (std::uint32_t u = 0; u < units.size(); ++u) {
        index.emplace(units[u].code, u);
    }
    std::vector<std::string> group(units.size());
    EnsemblePlanExported out;
    for (const auto& [province, p] : stored) {
        out.provinces.push_back(province);
        for (std::size_t k = 0; k < p.codes.size(); ++k) {
            const auto it = index.find(p.codes[k]);
            if (it == index.end() || units[it->second].province != province) {
                throw InputError("plan " + std::to_string(job.plan) + ": old unit " + p.codes[k] +
                                 " of province " + province + " is not in " + s.path +
                                 "'s base there: the shards were made from another base");
            }
            group[it->second] = province + ":" + std::to_string(p.labels[k]);
        }
    }
    Proposal proposal;
    std::map<std::string, std::vector<std::uint32_t>> members;
    for (std::uint32_t u = 0; u < units.size(); ++u) {
        if (stored.contains(units[u].province)) {
            members[group[u]].push_back(u);
        }
    }
    for (auto& [key, list] : members) {
        ProposedGroup g;
        g.province = units[list.front()].province;
        g.units = std::move(list);
        Region r;
        for (const std::uint32_t u : g.units) {
            change(r, units[u], +1, 0);
        }
        const Judged j = judge_region(r, standards.at(g.province));
        g.type = r.has_zone ? UnitType::dac_khu : (j.ward ? UnitType::phuong : UnitType::xa);
        proposal.groups.push_back(std::move(g));
    }
    // In province order, then by first old unit, as a proposal's.
    std::sort(proposal.groups.begin(),
              proposal.groups.end(),
              [](const ProposedGroup& a, const ProposedGroup& b) {
                  return std::tie(a.province, a.units.front()) <
                         std::tie(b.province, b.units.front());
              });
    const std::string name = s.name + "-ensemble-plan-" + std::to_string(job.plan);
    out.scenario = proposal_scenario(s, units, proposal, name, job.profile.name);
    // The other provinces' rows as the scenario has them: codes, names, types, seats, shares.
    for (const MappingRow& m : s.mapping) {
        const auto it = index.find(m.old_code);
        if (it == index.end() || !stored.contains(units[it->second].province)) {
            out.scenario.mapping.push_back(m);
        }
    }
    out.scenario.description =
        "Plan " + std::to_string(job.plan) + " of an ensemble of '" + s.name + "' (amsim ensemble)";
    write_scenario(out.scenario,
                   job.output,
                   "Generated by: amsim ensemble export (see docs/ensembles.md)",
                   job.policy);
    return out;
}

} // namespace amsim::sim
