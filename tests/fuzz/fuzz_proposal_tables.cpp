// The planner's tables for amsim propose: --targets, --keep and --lock (the first byte picks
// which), over a base of four units in two provinces.
#include "amsim/sim/plans/propose.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    if (size == 0) {
        return 0;
    }
    const std::map<std::string, std::size_t> units_in = {{"N1", 3}, {"N2", 1}};
    const std::set<std::string> codes = {"00001", "00002", "00003", "00004"};
    fuzz::expect_only_amsim_errors([&] {
        const sim::CsvTable t = sim::parse_csv(fuzz::text(data + 1, size - 1), "table.csv");
        switch (data[0] % 3) {
        case 0:
            for (const auto& [province, n] : sim::proposal_targets(t, units_in)) {
                fuzz::require(n >= 1 && n <= units_in.at(province));
            }
            break;
        case 1:
            for (const std::string& c : sim::proposal_keep(t, codes)) {
                fuzz::require(codes.count(c) == 1);
            }
            break;
        default:
            for (const auto& [c, g] : sim::proposal_lock(t, codes)) {
                fuzz::require(codes.count(c) == 1 && !g.empty());
            }
        }
    });
    return 0;
}
