// The age distribution of amsim staff --ages: bands that do not overlap, shares summing to 1.
#include "amsim/sim/staffing/staffing.hpp"

#include <cmath>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        const auto bands =
            sim::age_distribution_from(sim::parse_csv(fuzz::text(data, size), "ages.csv"));
        double total = 0;
        for (const sim::AgeBand& b : bands) {
            fuzz::require(b.from < b.to && b.share >= 0);
            total += b.share;
        }
        fuzz::require(bands.empty() || std::abs(total - 1) < 1e-9);
    });
    return 0;
}
