// How outputs are written: never over an input, over an existing file only with overwrite,
// complete before they take their final name, nothing left behind on failure.

#include "amsim/geo/output_file.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/ogr_io.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

namespace fs = std::filesystem;

void put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

TEST(OutputFile, AnExistingFileIsReplacedOnlyWithOverwrite) {
    test::TempDir dir;
    const std::string out = dir.file("table.csv");
    put(out, "planner's own\n");
    EXPECT_THROW(write_file(out, "new\n", {}), InputError);
    EXPECT_EQ(test::slurp(out), "planner's own\n");
    OutputPolicy overwrite;
    overwrite.overwrite = true;
    write_file(out, "new\n", overwrite);
    EXPECT_EQ(test::slurp(out), "new\n");
    EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"table.csv"});
}

TEST(OutputFile, AnInputIsNeverWrittenOverEvenWithOverwrite) {
    test::TempDir dir;
    const std::string in = dir.file("mapping.csv");
    put(in, "old_code,new_code\n");
    OutputPolicy policy;
    policy.overwrite = true;
    policy.protect(in);
    try {
        write_file(in, "x\n", policy);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("inputs"), std::string::npos) << e.what();
    }
    // Another spelling of the same file is the same file.
    EXPECT_THROW(write_file(dir.file("./sub/../mapping.csv"), "x\n", policy), InputError);
    EXPECT_EQ(test::slurp(in), "old_code,new_code\n");
    // The archive behind a GDAL source is the input.
    put(dir.file("base.geojson.gz"), "x");
    OutputPolicy gz;
    gz.overwrite = true;
    gz.protect("/vsigzip/" + dir.file("base.geojson.gz"));
    EXPECT_THROW(write_file(dir.file("base.geojson.gz"), "y", gz), InputError);
    EXPECT_EQ(local_file_of("PG:dbname=x"), "");
}

TEST(OutputFile, AFullDiskLeavesNothingBehind) {
    test::TempDir dir;
    const std::string out = dir.file("deep/er/report.html");
    {
        test::DiskFull full(1000);
        EXPECT_THROW(write_file(out, std::string(5000, 'x'), {}), InputError);
    }
    // Neither the file, nor its temporary, nor the directories made for it.
    EXPECT_TRUE(test::list_dir(dir.path()).empty());
}

TEST(OutputFile, AGeoJsonCutShortByAFullDiskIsAnErrorAndLeavesNothing) {
    // GDAL's GeoJSON driver reports no error when a write fails: the file is read back.
    test::register_gdal();
    test::TempDir dir;
    PolygonSet set;
    std::vector<Coord> ring;
    ring.reserve(4000);
    for (int i = 0; i < 4000; ++i) {
        ring.push_back({105 + 0.5 * std::cos(i * 0.00157), 21 + 0.5 * std::sin(i * 0.00157)});
    }
    set.add_ring(ring);
    set.end_part();
    const std::string out = dir.file("provinces.geojson");
    {
        test::DiskFull full(20000);
        EXPECT_THROW(write_units(out, set, {}, {}), InputError);
    }
    EXPECT_TRUE(test::list_dir(dir.path()).empty());
    write_units(out, set, {}, {}); // with room, the same write succeeds
    EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"provinces.geojson"});
}

TEST(OutputFile, TemporariesOfAKilledRunAreCleanedByTheNextWrite) {
    test::TempDir dir;
    // A process id that cannot be alive (above the kernel's maximum), and this process's own.
    put(dir.file(".table.amsim-tmp-2147483-0.csv"), "half");
    put(dir.file(".run.tmp2147483.gpkg"), "half"); // the older naming
    const std::string mine = ".other.amsim-tmp-" + std::to_string(::getpid()) + "-999.csv";
    put(dir.file(mine), "in progress");
    put(dir.file("planner.tmp"), "not ours");
    write_file(dir.file("table.csv"), "a\n", {});
    EXPECT_EQ(test::list_dir(dir.path()),
              (std::vector<std::string>{mine, "planner.tmp", "table.csv"}));
}

TEST(OutputFile, ASetOfFilesTakesItsNamesTogetherOrNotAtAll) {
    test::TempDir dir;
    put(dir.file("b.csv"), "existing");
    {
        OutputSet set({});
        set.add(dir.file("out/a.csv"), "a");
        EXPECT_THROW(set.add(dir.file("b.csv"), "b"), InputError); // exists: refused
    } // destroyed uncommitted: a.csv never appears, nor out/
    EXPECT_EQ(test::list_dir(dir.path()), std::vector<std::string>{"b.csv"});
    OutputSet set({});
    set.add(dir.file("out/a.csv"), "a");
    set.add(dir.file("out/c.csv"), "c");
    EXPECT_TRUE(test::list_dir(dir.file("out")).size() == 2U); // two temporaries
    set.commit();
    EXPECT_EQ(test::list_dir(dir.file("out")), (std::vector<std::string>{"a.csv", "c.csv"}));
}

TEST(OutputFile, OsErrorsSayWhatHappened) {
    test::TempDir dir;
    put(dir.file("file"), "x");
    try {
        write_file(dir.file("file/out.csv"), "x", {});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("Not a directory"), std::string::npos) << e.what();
    }
    fs::create_directory(dir.file("dir.csv"));
    try {
        write_file(dir.file("dir.csv"), "x", {});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace amsim::geo
