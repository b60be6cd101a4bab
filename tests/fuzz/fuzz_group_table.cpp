// The code -> group table of amsim dissolve --table.
#include "amsim/sim/scenario/group_table.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        const auto groups =
            sim::group_table_from(sim::parse_csv(fuzz::text(data, size), "groups.csv"));
        for (const auto& [code, group] : groups) {
            fuzz::require(!code.empty() && !group.empty());
        }
    });
    return 0;
}
