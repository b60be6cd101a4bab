// A scenario's TOML (its mapping is fuzzed apart).
#include "amsim/sim/scenario/scenario.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        const sim::Scenario s = sim::parse_scenario(fuzz::text(data, size), "s/scenario.toml");
        fuzz::require(!s.name.empty() && !s.base.mapping.code.empty());
    });
    return 0;
}
