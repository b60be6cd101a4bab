// A rules profile (TOML), then a unit judged by it: no standard may give a percentage that
// is not finite.
#include "amsim/sim/scenario/rules_profile.hpp"

#include <cmath>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        const sim::RulesProfile p = sim::parse_profile(fuzz::text(data, size), "profile.toml");
        fuzz::require(p.waiver_min_units != 1);
        for (const sim::UnitType t :
             {sim::UnitType::xa, sim::UnitType::phuong, sim::UnitType::dac_khu}) {
            sim::UnitFacts f;
            f.type = t;
            f.area_km2 = 12.5;
            f.population = 9000;
            f.predecessors = 2;
            const sim::Verdict v = sim::judge_commune(p, f);
            fuzz::require(std::isfinite(v.area_pct) && std::isfinite(v.population_pct));
        }
        const sim::Verdict pv = sim::judge_province(p, "tinh", "other", 5000, 1.5e6);
        fuzz::require(std::isfinite(pv.area_pct) && std::isfinite(pv.population_pct));
    });
    return 0;
}
