// The commune mapping CSV of a scenario.
#include "amsim/sim/scenario/scenario.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        const auto rows = sim::mapping_from(sim::parse_csv(fuzz::text(data, size), "mapping.csv"));
        for (const sim::MappingRow& r : rows) {
            fuzz::require(r.share > 0 && r.share <= 1 && !r.old_code.empty());
        }
    });
    return 0;
}
