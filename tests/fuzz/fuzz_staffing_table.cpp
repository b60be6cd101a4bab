// The staffing table of amsim staff --table, over two communes of one district and province.
#include "amsim/sim/staffing/staffing.hpp"

#include <cmath>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        sim::StaffingInput in;
        for (int k = 0; k < 2; ++k) {
            sim::OldCommune c;
            c.district = "D1";
            c.province = "P1";
            c.population = 10000;
            c.area_km2 = 20;
            in.old_units.push_back(c);
        }
        in.province_map = {{"P1", "N1"}};
        (void)sim::apply_staffing_table(
            sim::parse_csv(fuzz::text(data, size), "staff.csv"), {"00001", "00002"}, in);
        for (const sim::OldCommune& c : in.old_units) {
            if (c.cadres_civil_servants) {
                fuzz::require(std::isfinite(*c.cadres_civil_servants) &&
                              *c.cadres_civil_servants >= 0 && *c.cadres_civil_servants <= 1e6);
            }
        }
    });
    return 0;
}
