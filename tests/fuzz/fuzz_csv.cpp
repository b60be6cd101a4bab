// The CSV reader: never a crash; a table it reads is written back and read again the same.
#include "amsim/sim/scenario/csv.hpp"

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace amsim;
    fuzz::expect_only_amsim_errors([&] {
        const sim::CsvTable t = sim::parse_csv(fuzz::text(data, size), "fuzz.csv");
        const sim::CsvTable back = sim::parse_csv(sim::csv_text(t.header, t.rows), "back.csv");
        fuzz::require(back.header == t.header && back.rows == t.rows);
    });
    return 0;
}
