// Running the fixture scenario (four 0.1-degree squares, two provinces merged, communes in
// pairs) end to end: geometry, areas, populations and verdicts with known answers.

#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/layer_styles.hpp"
#include "amsim/sim/run/pipeline.hpp"
#include "amsim/sim/run/run_file.hpp"
#include "amsim/sim/run/summary.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

const std::string fixtures = AMSIM_TEST_FIXTURES;

sim::Run run(const Scenario& s, const std::string& out, bool overwrite = false) {
    RunOptions opt;
    opt.output = out;
    opt.policy.overwrite = overwrite;
    opt.source = s.base.source;
    return run_scenario(s, load_profile(s.rules, ".", default_profiles_dir()), opt).run;
}

/// A scenario over the four fixture communes (with population), with the given mapping rows.
Scenario fixture_scenario(const test::TempDir& dir, const std::string& rows) {
    std::ofstream(dir.file("scenario.toml"))
        << "name = \"t\"\nrules = \"vn-2025\"\n[base]\nsource = \"" << fixtures
        << "/geo/four_communes.geojson\"\ncode = \"code\"\nprovince = \"province\"\n"
           "population = \"population\"\n[communes]\nmapping = \"mapping.csv\"\n";
    std::ofstream(dir.file("mapping.csv")) << "old_code,new_code,new_name,new_type,share\n" << rows;
    return load_scenario(dir.file("scenario.toml"));
}

TEST(Run, FourCommunesIntoTwoInOneProvince) {
    test::register_gdal();
    test::TempDir dir;
    const Scenario s = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    const sim::Run r = run(s, dir.file("run.gpkg"));
    ASSERT_EQ(r.communes.size(), 2U);
    ASSERT_EQ(r.provinces.size(), 1U);
    const NewCommune& ab = r.communes[0];
    const NewCommune& cd = r.communes[1];
    EXPECT_EQ(ab.code, "00001");
    EXPECT_EQ(ab.predecessors, 2U);
    EXPECT_EQ(ab.polygons, 1U);
    // Two 0.1 x 0.1 degree squares near 21 N: about 2 x 115 km2. Areas are conserved: the
    // province is the sum of its communes.
    EXPECT_NEAR(ab.area_km2, 230.15, 0.01);
    EXPECT_NEAR(r.provinces[0].area_km2, ab.area_km2 + cd.area_km2, 1e-9 * r.provinces[0].area_km2);
    // Populations: 12,000 + 9,000 and 7,000 + 5,000; xa standard 16,000 and 30 km2.
    EXPECT_DOUBLE_EQ(*ab.population, 21000);
    EXPECT_DOUBLE_EQ(*cd.population, 12000);
    EXPECT_DOUBLE_EQ(*r.provinces[0].population, 33000);
    EXPECT_TRUE(ab.verdict.pass);
    EXPECT_FALSE(cd.verdict.pass);
    EXPECT_EQ(cd.verdict.why, "population 75% of 16000");
    EXPECT_NEAR(cd.verdict.population_pct, 75, 1e-9);
    EXPECT_TRUE(cd.verdict.region_defaulted);
    EXPECT_EQ(r.provinces[0].below_standard, 1U);
    EXPECT_EQ(r.provinces[0].old_communes, 4U);
    // The seat (00001) and 00002's centroid are 0.1 degree of longitude apart at 21.05 N.
    EXPECT_NEAR(*ab.seat_distance_km, 10.39, 0.01);
    // A 0.2 x 0.1 degree rectangle: Polsby-Popper 4 pi A / P^2 of a 2.14:1 rectangle.
    const double w = 2 * 10.39, h = 11.07;
    EXPECT_NEAR(
        ab.polsby_popper, 4 * 3.14159265 * w * h / ((2 * w + 2 * h) * (2 * w + 2 * h)), 0.01);
    // The province fails the provincial standard (5,000 km2, 1.4 M): a tiny test layer.
    EXPECT_FALSE(r.provinces[0].verdict.pass);
    EXPECT_TRUE(r.provinces[0].verdict.unconfirmed);

    GDALDatasetUniquePtr ds(GDALDataset::Open(dir.file("run.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayerByName("communes")->GetFeatureCount(), 2);
    EXPECT_EQ(ds->GetLayerByName("provinces")->GetFeatureCount(), 1);
    EXPECT_EQ(ds->GetLayerByName("mapping")->GetFeatureCount(), 4);
    EXPECT_EQ(ds->GetLayerByName("staffing")->GetFeatureCount(), 2);
    EXPECT_EQ(ds->GetLayerByName("staffing_roadmap")->GetFeatureCount(), 5);
    // Per province, the commune staff of its two communes; the assumptions name sources.
    OGRLayer* sp = ds->GetLayerByName("staffing_provinces");
    ASSERT_NE(sp, nullptr);
    ASSERT_EQ(sp->GetFeatureCount(), 1);
    double staffed = 0;
    for (auto& f : *ds->GetLayerByName("staffing")) {
        staffed += f->GetFieldAsDouble("staffed");
        EXPECT_EQ(f->GetFieldAsInteger("estimated"), 1);
    }
    OGRFeatureUniquePtr prov(sp->GetNextFeature());
    EXPECT_NEAR(prov->GetFieldAsDouble("commune_staffed"), staffed, 1e-6 * staffed);
    EXPECT_GE(ds->GetLayerByName("staffing_assumptions")->GetFeatureCount(), 10);
    OGRLayer* national = ds->GetLayerByName("national_summary");
    OGRFeatureUniquePtr row(national->GetNextFeature());
    EXPECT_EQ(row->GetFieldAsInteger("old_communes"), 4);
    EXPECT_EQ(row->GetFieldAsInteger("new_communes"), 2);
    EXPECT_DOUBLE_EQ(row->GetFieldAsDouble("reduction_pct"), 50);
    EXPECT_EQ(row->GetFieldAsInteger("communes_below_standard"), 1);
    // Same inputs, same bytes.
    (void)run(s, dir.file("again.gpkg"));
    EXPECT_EQ(test::slurp(dir.file("run.gpkg")), test::slurp(dir.file("again.gpkg")));
    // An existing output is kept unless overwritten.
    EXPECT_THROW((void)run(s, dir.file("run.gpkg")), Error);
}

TEST(Run, ASplitUnitGoesWholeToItsLargestShareAndItsPopulationByShares) {
    test::register_gdal();
    test::TempDir dir;
    const Scenario sc = fixture_scenario(dir,
                                         "00001,A,A,xa,1\n"
                                         "00002,A,A,xa,0.25\n"
                                         "00002,B,B,xa,0.75\n"
                                         "00003,C,C,xa,1\n"
                                         "00004,C,C,xa,1\n");
    const sim::Run r = run(sc, dir.file("out.gpkg"));
    EXPECT_EQ(r.split_units, 1U);
    ASSERT_EQ(r.communes.size(), 3U);
    EXPECT_DOUBLE_EQ(*r.communes[0].population, 12000 + 0.25 * 9000);
    EXPECT_DOUBLE_EQ(*r.communes[1].population, 0.75 * 9000);
    // 00002's square goes to B, its largest share; A keeps 00001's square only.
    EXPECT_NEAR(r.communes[0].area_km2, r.communes[1].area_km2, 0.01);
    EXPECT_EQ(r.communes[0].split_members, 1U);
    bool warned = false;
    for (const auto& f : r.findings) {
        warned = warned || f.code == "split_units";
    }
    EXPECT_TRUE(warned);
    // Unchanged provinces keep their codes.
    ASSERT_EQ(r.provinces.size(), 2U);
    EXPECT_EQ(r.provinces[0].code, "P1");
}

TEST(Run, ANewUnitMadeOnlyOfSmallSharesStillGetsAShape) {
    // B's only member, 00002, has its larger share in A; A keeps 00001, so 00002 moves to B.
    test::register_gdal();
    test::TempDir dir;
    const Scenario sc = fixture_scenario(dir,
                                         "00001,A,A,xa,1\n"
                                         "00002,A,A,xa,0.75\n"
                                         "00002,B,B,xa,0.25\n"
                                         "00003,C,C,xa,1\n"
                                         "00004,C,C,xa,1\n");
    const sim::Run r = run(sc, dir.file("out.gpkg"));
    ASSERT_EQ(r.communes.size(), 3U);
    EXPECT_EQ(r.communes[1].code, "B");
    EXPECT_EQ(r.communes[1].polygons, 1U);
    EXPECT_NEAR(r.communes[0].area_km2, r.communes[1].area_km2, 0.01); // one square each
    bool moved = false;
    for (const auto& f : r.findings) {
        moved = moved || f.code == "split_units_moved";
    }
    EXPECT_TRUE(moved);
}

TEST(Run, AScenarioWithErrorsWritesNothing) {
    test::register_gdal();
    test::TempDir dir;
    const Scenario s = load_scenario(fixtures + "/scenarios/broken/scenario.toml");
    EXPECT_THROW((void)run(s, dir.file("out.gpkg")), ScenarioError);
    EXPECT_FALSE(std::filesystem::exists(dir.file("out.gpkg")));
}

/// The files under a directory (name and size), to show that nothing was written there.
std::vector<std::pair<std::string, std::uintmax_t>> listing(const std::string& dir) {
    std::vector<std::pair<std::string, std::uintmax_t>> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        out.emplace_back(e.path().string(), e.is_regular_file() ? e.file_size() : 0);
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Run, BuildsInMemoryWithoutWriting) {
    test::register_gdal();
    const std::string dir = fixtures + "/scenarios/four_communes";
    const auto before = listing(fixtures);
    const Scenario s = load_scenario(dir + "/scenario.toml");
    const RulesProfile profile = load_profile(s.rules, ".", default_profiles_dir());
    BaseOptions bo;
    bo.source = s.base.source;
    const Base base = load_base(s.base, bo);
    const ScenarioCheck check = require_checked(s, base);
    const sim::Run r = build_run(base, s, check, profile);
    EXPECT_EQ(listing(fixtures), before);

    ASSERT_EQ(r.communes.size(), 2U);
    ASSERT_EQ(r.provinces.size(), 1U);
    EXPECT_EQ(commune_shapes(r).part_count(), 2U);
    EXPECT_EQ(province_shapes(r).part_count(), 1U);
    EXPECT_EQ(r.communes[0].shape.part_count(), 1U);
    // The same figures as the run written to disk (FourCommunesIntoTwoInOneProvince).
    EXPECT_DOUBLE_EQ(*r.communes[0].population, 21000);
    EXPECT_DOUBLE_EQ(*r.communes[1].population, 12000);
    EXPECT_NEAR(r.provinces[0].area_km2, r.communes[0].area_km2 + r.communes[1].area_km2, 1e-6);
    EXPECT_FALSE(r.communes[1].verdict.pass);
    EXPECT_EQ(commune_flags(r.communes[1], r), "region class: profile default 'other'");
    // Every mapping row resolved once, each old unit's polygon going to its one new unit.
    ASSERT_EQ(r.mapping.size(), 4U);
    for (const MappedUnit& m : r.mapping) {
        EXPECT_TRUE(m.takes_geometry);
        EXPECT_EQ(m.new_province, "N1");
    }
    EXPECT_EQ(r.mapping[1].old_province, "P1");
    ASSERT_TRUE(r.staffing.has_value());
    EXPECT_EQ(r.staffing->result.communes.size(), 2U);
    // The summary: 4 -> 2 units, one below standard, none waived, halved.
    const RunSummary sum = summarise(r);
    EXPECT_EQ(sum.old_units, 4U);
    EXPECT_EQ(sum.new_units, 2U);
    EXPECT_EQ(sum.xa, 2U);
    EXPECT_EQ(sum.below_standard, 1U);
    EXPECT_EQ(sum.old_provinces, 2U);
    EXPECT_EQ(sum.new_provinces, 1U);
    EXPECT_DOUBLE_EQ(sum.reduction_pct, 50);
    EXPECT_FALSE(sum.iou.has_value());
}

TEST(Run, RebuildingOneProvinceEqualsBuildingAgain) {
    test::register_gdal();
    const Scenario s = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    const RulesProfile profile = load_profile(s.rules, ".", default_profiles_dir());
    BaseOptions bo;
    bo.source = s.base.source;
    const Base base = load_base(s.base, bo);
    BuildOptions no_staff;
    no_staff.staffing = false;
    sim::Run r = build_run(base, s, require_checked(s, base), profile, no_staff);
    // 00002 moves from 00001 to 00003; a new unit 00004 takes the old 00004.
    Scenario moved = s;
    moved.mapping[1].new_code = "00003";
    moved.mapping[1].new_name = "Xa CD";
    moved.mapping[3].new_code = "00004";
    moved.mapping[3].new_name = "Xa D";
    const ScenarioCheck check = require_checked(moved, base);
    const std::string province = r.communes[0].province;
    rebuild_province(r, base, moved, check, profile, province);
    const sim::Run again = build_run(base, moved, check, profile, no_staff);
    ASSERT_EQ(r.communes.size(), 3U);
    ASSERT_EQ(r.communes.size(), again.communes.size());
    for (std::size_t g = 0; g < r.communes.size(); ++g) {
        SCOPED_TRACE(again.communes[g].code);
        EXPECT_EQ(r.communes[g].code, again.communes[g].code);
        EXPECT_EQ(r.communes[g].predecessors, again.communes[g].predecessors);
        EXPECT_DOUBLE_EQ(r.communes[g].area_km2, again.communes[g].area_km2);
        EXPECT_EQ(r.communes[g].population, again.communes[g].population);
        EXPECT_EQ(r.communes[g].verdict.pass, again.communes[g].verdict.pass);
        EXPECT_DOUBLE_EQ(r.communes[g].shape.part_area(0), again.communes[g].shape.part_area(0));
    }
    ASSERT_EQ(r.mapping.size(), again.mapping.size());
    for (std::size_t m = 0; m < r.mapping.size(); ++m) {
        EXPECT_EQ(r.mapping[m].new_code, again.mapping[m].new_code);
        EXPECT_EQ(r.mapping[m].takes_geometry, again.mapping[m].takes_geometry);
    }
    EXPECT_EQ(r.communes[1].predecessors, 2U); // 00003: the old 00002 and 00003
    EXPECT_EQ(r.provinces[0].new_communes(), 3U);
    EXPECT_EQ(r.provinces[0].below_standard, again.provinces[0].below_standard);
    EXPECT_DOUBLE_EQ(r.provinces[0].area_km2, again.provinces[0].area_km2);
    EXPECT_THROW(rebuild_province(r, base, moved, check, profile, "no such"), InputError);
}

} // namespace
} // namespace amsim::sim

namespace amsim::sim {
namespace {

/// A scenario's run in memory, without its staffing.
sim::Run build_without_staffing(const Scenario& s, const RulesProfile& profile) {
    BaseOptions bo;
    bo.source = s.base.source;
    const Base base = load_base(s.base, bo);
    return build_run(base, s, require_checked(s, base), profile, {false, {}, {}});
}

TEST(Run, UnitsAreJudgedOnTheFiguresTableWithTheComputedFiguresBeside) {
    test::register_gdal();
    test::TempDir dir;
    std::ofstream(dir.file("scenario.toml"))
        << "name = \"t\"\nrules = \"vn-2025\"\n[base]\nsource = \"" << fixtures
        << "/geo/four_communes.geojson\"\ncode = \"code\"\nprovince = \"province\"\n"
           "population = \"population\"\npopulation_source = \"census\"\n"
           "[communes]\nmapping = \"mapping.csv\"\n"
           "[figures]\ncommunes = \"communes.csv\"\nprovinces = \"provinces.csv\"\n"
           "[[province]]\ncode = \"N1\"\nname = \"N\"\ntype = \"tinh\"\nmembers = [\"P1\", "
           "\"P2\"]\ncapital = \"P1\"\n";
    std::ofstream(dir.file("mapping.csv")) << "old_code,new_code,new_name,new_type,seat,share\n"
                                              "00001,A,A,xa,00001,1\n00002,A,A,xa,,1\n"
                                              "00003,C,C,xa,00003,1\n00004,C,C,xa,,1\n";
    // A: official 50 km2 and 17,000 people, three legal predecessors (the waiver's count),
    // its seat on the west edge of 00001. C: no figures but its area; population blank.
    std::ofstream(dir.file("communes.csv"))
        << "code,name,area_km2,population,seat_lon,seat_lat,seat_address,predecessors\n"
           "A,A,50,17000,105.0,21.05,\"Thôn 1, xã A\",3\nC,C,20,,,,,\n";
    std::ofstream(dir.file("provinces.csv")) << "code,area_km2,population\nN1,400,2500000\n";
    const Scenario s = load_scenario(dir.file("scenario.toml"));
    const RulesProfile profile = load_profile(s.rules, ".", default_profiles_dir());
    const sim::Run r = build_without_staffing(s, profile);
    ASSERT_EQ(r.communes.size(), 2U);
    const NewCommune& a = r.communes[0];
    EXPECT_DOUBLE_EQ(a.judged_area(), 50);
    EXPECT_NEAR(a.area_km2, 230.15, 0.01); // computed, kept beside
    EXPECT_DOUBLE_EQ(*a.judged_population(), 17000);
    EXPECT_DOUBLE_EQ(*a.population, 21000);
    EXPECT_EQ(a.predecessors, 3U);
    EXPECT_EQ(a.base_units, 2U);
    // Waived by its 3 legal predecessors, meeting the standard anyway (50 km2, 17,000); by
    // its 2 base units it would not be waived.
    EXPECT_TRUE(a.verdict.waived);
    EXPECT_TRUE(a.verdict.pass_anyway);
    EXPECT_TRUE(a.verdict_changed_by_counting);
    // The seat from the figures: 00002's centroid is 0.15 degrees of longitude east at
    // 21.05 N, about 15.58 km.
    ASSERT_TRUE(a.seat_distance_km.has_value());
    EXPECT_NEAR(*a.seat_distance_km, 0.15 * 111.32 * std::cos(21.05 * 3.14159265 / 180), 0.1);
    EXPECT_TRUE(a.seat_from_figures);
    // C: area from the table (20 km2, below 30), population from the base (12,000, below).
    const NewCommune& c = r.communes[1];
    EXPECT_DOUBLE_EQ(c.judged_area(), 20);
    EXPECT_DOUBLE_EQ(*c.judged_population(), 12000);
    EXPECT_TRUE(c.below_standard());
    EXPECT_EQ(c.predecessors, 2U); // the mapping's distinct old units
    EXPECT_FALSE(c.seat_from_figures);
    // The province: judged on its table's population (2.5 M), its computed one beside.
    ASSERT_EQ(r.provinces.size(), 1U);
    EXPECT_DOUBLE_EQ(*r.provinces[0].judged_population(), 2500000);
    EXPECT_DOUBLE_EQ(*r.provinces[0].population, 33000);
    EXPECT_TRUE(r.provinces[0].verdict.population_known);
    const RunSummary sum = summarise(r);
    EXPECT_EQ(sum.waived, 1U);
    EXPECT_EQ(sum.waived_meeting, 1U);
    EXPECT_EQ(sum.verdict_changed_by_counting, 1U);
    EXPECT_EQ(sum.below_standard, 1U);
    // Written to the run file with their sources and differences.
    write_run_file(dir.file("run.gpkg"), r, s, profile, {}, {});
    {
        // Every layer of polygons opens in QGIS styled: communes by verdict, provinces as
        // outlines.
        GDALDatasetUniquePtr ds(GDALDataset::Open(dir.file("run.gpkg").c_str(), GDAL_OF_VECTOR));
        ASSERT_TRUE(ds);
        std::map<std::string, std::string> qml;
        for (auto& f : *ds->GetLayerByName("layer_styles")) {
            qml[f->GetFieldAsString("f_table_name")] = f->GetFieldAsString("styleQML");
        }
        std::size_t spatial = 0;
        for (OGRLayer* layer : ds->GetLayers()) {
            if (layer->GetGeomType() != wkbNone) {
                ++spatial;
                EXPECT_TRUE(qml.contains(layer->GetName())) << layer->GetName();
            }
        }
        EXPECT_EQ(spatial, 4U); // communes, provinces, offices, office_links
        EXPECT_NE(qml["offices"].find("SimpleMarker"), std::string::npos);
        EXPECT_NE(qml["office_links"].find("SimpleLine"), std::string::npos);
        EXPECT_EQ(qml["communes"], verdict_style());
        EXPECT_NE(qml["communes"].find("meets_standard"), std::string::npos);
        EXPECT_EQ(qml["provinces"], province_style());
        // Every field of the communes has its title (QGIS's alias) in the schema extension.
        OGRLayer* described = ds->ExecuteSQL(
            "SELECT column_name, title FROM gpkg_data_columns WHERE table_name = 'communes'",
            nullptr,
            nullptr);
        ASSERT_NE(described, nullptr);
        std::map<std::string, std::string> title;
        for (auto& f : *described) {
            title[f->GetFieldAsString(0)] = f->GetFieldAsString(1);
        }
        ds->ReleaseResultSet(described);
        OGRFeatureDefn* defn = ds->GetLayerByName("communes")->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            const std::string field = defn->GetFieldDefn(i)->GetNameRef();
            EXPECT_FALSE(title[field].empty()) << field << " has no title";
        }
        EXPECT_EQ(title["meets_standard_anyway"], "Nếu xét thì đạt tiêu chuẩn");
    }
    const RunFile f(dir.file("run.gpkg"));
    const auto rows = f.read(RunTableId::communes,
                             {"area_km2",
                              "area_source",
                              "area_km2_polygons",
                              "population_source",
                              "population_diff_pct",
                              "seat_source",
                              "meets_standard_anyway"})
                          .rows;
    ASSERT_EQ(rows.size(), 2U);
    // A (waived) meets the standard anyway; C is not waived, so the field is empty.
    EXPECT_EQ(cell_text(rows[0][6]), "1");
    EXPECT_EQ(cell_text(rows[1][6]), "");
    EXPECT_EQ(cell_text(rows[0][1]), "official");
    EXPECT_EQ(cell_text(rows[0][3]), "official");
    EXPECT_NEAR(std::get<double>(rows[0][4]), 100.0 * (21000 - 17000) / 17000, 1e-9);
    EXPECT_EQ(cell_text(rows[0][5]), "official");
    EXPECT_EQ(cell_text(rows[1][3]), "census");
    EXPECT_EQ(cell_text(rows[1][5]), "mapping");
}

TEST(Run, FiguresFollowTheUnitsTheyDescribeNotTheirCodes) {
    test::register_gdal();
    test::TempDir dir;
    const std::string base_and_mapping =
        "rules = \"vn-2025\"\n[base]\nsource = \"" + std::string(fixtures) +
        "/geo/four_communes.geojson\"\ncode = \"code\"\nprovince = \"province\"\n"
        "population = \"population\"\n";
    const std::string provinces = "[[province]]\ncode = \"N1\"\nname = \"N\"\ntype = "
                                  "\"tinh\"\nmembers = [\"P1\", \"P2\"]\ncapital = \"P1\"\n";
    std::ofstream(dir.file("mapping.csv")) << "old_code,new_code,new_name,new_type\n"
                                              "00001,A,A,xa\n00002,A,A,xa\n"
                                              "00003,C,C,xa\n00004,C,C,xa\n";
    std::ofstream(dir.file("communes.csv")) << "code,area_km2,population,predecessors\n"
                                               "A,50,17000,3\nC,20,15000,2\n";
    // An edited plan: 00002 moved from A to C. Both keep their codes, neither its old units:
    // both are judged on their polygons and the base's population, and check says so.
    std::ofstream(dir.file("moved.csv")) << "old_code,new_code,new_name,new_type\n00002,C,C,xa\n";
    std::ofstream(dir.file("edited.toml"))
        << "name = \"edited\"\n"
        << base_and_mapping
        << "[communes]\nmapping = \"mapping.csv\"\noverrides = \"moved.csv\"\n"
           "[figures]\ncommunes = \"communes.csv\"\n"
        << provinces;
    const Scenario edited = load_scenario(dir.file("edited.toml"));
    const RulesProfile profile = load_profile(edited.rules, ".", default_profiles_dir());
    const sim::Run e = build_without_staffing(edited, profile);
    ASSERT_EQ(e.communes.size(), 2U);
    EXPECT_DOUBLE_EQ(e.communes[0].judged_area(), e.communes[0].area_km2); // not 50
    EXPECT_DOUBLE_EQ(*e.communes[0].judged_population(), 12000);           // 00001 alone
    EXPECT_EQ(e.communes[0].predecessors, 1U);
    EXPECT_DOUBLE_EQ(*e.communes[1].judged_population(), 9000 + 12000); // 00002 + C's
    BaseOptions bo;
    bo.source = edited.base.source;
    const ScenarioCheck check = check_scenario(edited, load_base(edited.base, bo).units);
    std::size_t set_aside = 0;
    for (const geo::Diagnostic& d : check.findings) {
        set_aside += d.code == "figures_set_aside";
    }
    EXPECT_EQ(set_aside, 2U);
    // A proposal that renamed the units but kept their old units: the figures follow them
    // through the mapping they describe.
    std::ofstream(dir.file("renamed.csv")) << "old_code,new_code,new_name,new_type\n"
                                              "00001,X,X,xa\n00002,X,X,xa\n"
                                              "00003,Y,Y,xa\n00004,Y,Y,xa\n";
    std::ofstream(dir.file("renamed.toml"))
        << "name = \"renamed\"\n"
        << base_and_mapping
        << "[communes]\nmapping = \"renamed.csv\"\n"
           "[figures]\ncommunes = \"communes.csv\"\nmapping = \"mapping.csv\"\n"
        << provinces;
    const sim::Run p = build_without_staffing(load_scenario(dir.file("renamed.toml")), profile);
    ASSERT_EQ(p.communes.size(), 2U);
    EXPECT_EQ(p.communes[0].code, "X");
    EXPECT_DOUBLE_EQ(p.communes[0].judged_area(), 50);
    EXPECT_DOUBLE_EQ(*p.communes[0].judged_population(), 17000);
    EXPECT_EQ(p.communes[0].predecessors, 3U);
    EXPECT_DOUBLE_EQ(p.communes[1].judged_area(), 20);
}

TEST(Run, AUnitOfUnknownPopulationIsNotJudged) {
    test::register_gdal();
    test::TempDir dir;
    std::ofstream(dir.file("scenario.toml"))
        << "name = \"t\"\nrules = \"vn-2025\"\n[base]\nsource = \"" << fixtures
        << "/geo/four_communes.geojson\"\ncode = \"code\"\nprovince = \"province\"\n"
           "[communes]\nmapping = \"mapping.csv\"\n";
    std::ofstream(dir.file("mapping.csv")) << "old_code,new_code,new_name,new_type\n"
                                              "00001,A,A,xa\n00002,A,A,xa\n"
                                              "00003,C,C,xa\n00004,C,C,xa\n";
    const Scenario s = load_scenario(dir.file("scenario.toml"));
    const RulesProfile profile = load_profile(s.rules, ".", default_profiles_dir());
    const sim::Run r = build_without_staffing(s, profile);
    const RunSummary sum = summarise(r);
    EXPECT_EQ(sum.below_standard, 0U);
    EXPECT_EQ(sum.population_unknown, 2U);
    EXPECT_EQ(sum.provinces_population_unknown, 2U);
    EXPECT_EQ(r.communes[0].verdict.why, "not judged (population unknown)");
}

} // namespace
} // namespace amsim::sim

namespace amsim::sim {
namespace {

TEST(Run, RegionClassFromATableElseAnEstimateLabelled) {
    test::register_gdal();
    test::TempDir dir;
    std::ofstream(dir.file("scenario.toml"))
        << "name = \"t\"\nrules = \"vn-2026\"\n[base]\nsource = \"" << fixtures
        << "/geo/four_communes.geojson\"\ncode = \"code\"\nprovince = \"province\"\n"
           "population = \"population\"\n[communes]\nmapping = \"mapping.csv\"\n"
           "[regions]\nfile = \"regions.csv\"\nestimate_mountain_below_density = 200\n";
    std::ofstream(dir.file("mapping.csv")) << "old_code,new_code,new_name,new_type\n"
                                              "00001,A,A,xa\n00002,A,A,xa\n"
                                              "00003,C,C,xa\n00004,C,C,xa\n";
    // A: "khác" (other) with a 50 % reduction of the population standard (16,000 -> 8,000).
    std::ofstream(dir.file("regions.csv")) << "code,region,population_reduction_pct\nA,khác,50\n";
    const Scenario s = load_scenario(dir.file("scenario.toml"));
    const sim::Run r =
        build_without_staffing(s, load_profile(s.rules, ".", default_profiles_dir()));
    const NewCommune& a = r.communes[0];
    EXPECT_EQ(a.region, "other");
    EXPECT_EQ(a.region_source, "table");
    EXPECT_NEAR(a.verdict.population_pct, 100.0 * 21000 / 8000, 1e-9);
    // C: 12,000 people on 230 km2 (52/km2), below 200: mountain by the estimate, labelled; it
    // meets the mountain standard (100 km2, 5,000) where "other" (16,000) would fail it.
    const NewCommune& c = r.communes[1];
    EXPECT_EQ(c.region, "mountain");
    EXPECT_EQ(c.region_source, "estimate: density below 200/km2");
    EXPECT_TRUE(c.verdict.pass);
    EXPECT_FALSE(c.verdict.region_defaulted);
    EXPECT_EQ(commune_flags(c, r), "region class mountain (estimate: density below 200/km2)");
}

} // namespace
} // namespace amsim::sim

namespace amsim::sim {
namespace {

/// The fixture with Xa B (00002, 9,000 people) divided at longitude 105.17 (70 % west, 30 %
/// east), by part polygons or by a cut line: the same parts, the same run.
sim::Run divided_run(const std::string& scenario) {
    test::register_gdal();
    const Scenario s = load_scenario(fixtures + "/scenarios/" + scenario + "/scenario.toml");
    const RulesProfile profile = load_profile(s.rules, ".", default_profiles_dir());
    BaseOptions bo;
    bo.source = s.base.source;
    const Base base = load_base(s.base, bo);
    EXPECT_TRUE(base.split.has_value());
    BuildOptions no_staff;
    no_staff.staffing = false;
    return build_run(base, s, require_checked(s, base), profile, no_staff);
}

TEST(Run, AUnitDividedByTheSplitLayerConservesAreaAndPopulation) {
    for (const char* scenario : {"split_parts", "split_lines"}) {
        SCOPED_TRACE(scenario);
        const sim::Run r = divided_run(scenario);
        ASSERT_EQ(r.communes.size(), 2U);
        const NewCommune& ab = r.communes[0];  // 00001 + the west 70 % of 00002
        const NewCommune& bcd = r.communes[1]; // the east 30 % of 00002 + 00003 + 00004
        EXPECT_NEAR(*ab.population, 12000 + 0.7 * 9000, 1e-6);
        EXPECT_NEAR(*bcd.population, 0.3 * 9000 + 7000 + 5000, 1e-6);
        EXPECT_TRUE(ab.population_by_area);
        // The legal predecessors count the divided unit once, whichever part.
        EXPECT_EQ(ab.predecessors, 2U);
        EXPECT_EQ(bcd.predecessors, 3U);
        EXPECT_TRUE(bcd.verdict.waived);
        // Area: 0.17 and 0.23 of the 0.4-degree-wide block, conserved through the cut.
        const double total = ab.area_km2 + bcd.area_km2;
        EXPECT_NEAR(total, r.provinces[0].area_km2, 1e-6);
        EXPECT_NEAR(ab.area_km2 / total, 0.17 / 0.4, 2e-3); // latitude changes km per degree
        EXPECT_EQ(r.old_units, 4U);
        EXPECT_EQ(r.divided_units, 1U);
        EXPECT_EQ(r.divided_parts, 2U);
        EXPECT_EQ(r.provinces[0].old_communes, 4U);
    }
}

TEST(Run, AMappingThatNamesADividedUnitIsRefused) {
    test::register_gdal();
    test::TempDir dir;
    const std::string from = fixtures + "/scenarios/split_parts/";
    std::string toml = test::slurp(from + "scenario.toml");
    toml.replace(toml.find("../../geo"), 9, fixtures + "/geo");
    toml.replace(toml.find("parts.geojson"), 13, from + "parts.geojson");
    std::ofstream(dir.file("scenario.toml")) << toml;
    std::ofstream(dir.file("mapping.csv")) << "old_code,new_code,new_name,new_type\n"
                                              "00001,00001,Xa AB,xa\n00002,00001,Xa AB,xa\n"
                                              "00003,00003,Xa CD,xa\n00004,00003,Xa CD,xa\n";
    const Scenario s = load_scenario(dir.file("scenario.toml"));
    BaseOptions bo;
    bo.source = s.base.source;
    bo.topology = false;
    const Base base = load_base(s.base, bo);
    const ScenarioCheck c = check_scenario(s, base.units);
    std::string messages;
    for (const geo::Diagnostic& d : c.findings) {
        messages += d.code + ": " + d.message + "\n";
    }
    EXPECT_NE(messages.find("divided_unit: old unit '00002' is divided by the split layer into "
                            "'00002.1', '00002.2': the mapping assigns each part, not the unit"),
              std::string::npos)
        << messages;
    // And its parts, unassigned, are named.
    EXPECT_NE(messages.find("(code '00002.1') is not assigned"), std::string::npos) << messages;
}

} // namespace
} // namespace amsim::sim

#include "amsim/sim/plans/compare.hpp"

namespace amsim::sim {
namespace {

TEST(Compare, ACopiedBaseIsTheSameBaseByContent) {
    test::TempDir dir;
    Scenario a;
    a.base.source = fixtures + "/geo/four_communes.geojson";
    a.base.mapping.code = "code";
    Scenario b = a;
    b.base.source = dir.file("copy.geojson");
    std::filesystem::copy_file(a.base.source, b.base.source);
    EXPECT_TRUE(same_base(a, b));
    // One byte changed: another base.
    std::string text = test::slurp(b.base.source);
    text[text.find("12000")] = '9';
    std::ofstream(b.base.source, std::ios::trunc) << text;
    EXPECT_FALSE(same_base(a, b));
    b.base.source = a.base.source;
    b.base.mapping.code = "name";
    EXPECT_FALSE(same_base(a, b));
}

} // namespace
} // namespace amsim::sim

#include "amsim/sim/run/lookup.hpp"

namespace amsim::sim {
namespace {

/// The split_parts fixture: 00002 (Xa B) divided 70/30 between 00001 and 00003.
struct LookupFixture {
    Scenario s;
    Base base;
    ScenarioCheck check;
    LookupFixture() {
        test::register_gdal();
        s = load_scenario(fixtures + "/scenarios/split_parts/scenario.toml");
        BaseOptions bo;
        bo.source = s.base.source;
        bo.topology = false;
        base = load_base(s.base, bo);
        check = require_checked(s, base);
    }
};

TEST(Lookup, ADividedUnitGivesEachPartWithItsShare) {
    const LookupFixture f;
    const Lookup lookup(f.s, f.check, f.base);
    LookupQuery q;
    q.code = "00002";
    const LookupAnswer a = lookup.find(q);
    ASSERT_EQ(a.status, LookupAnswer::Status::found);
    ASSERT_EQ(a.to.size(), 2U);
    EXPECT_EQ(a.to[0].code, "00001");
    EXPECT_NEAR(a.to[0].share, 0.7, 1e-9);
    EXPECT_EQ(a.to[1].code, "00003");
    EXPECT_NEAR(a.to[1].share, 0.3, 1e-9);
    EXPECT_EQ(a.to[0].province, "N1");
    EXPECT_EQ(a.to[0].province_name, "New One");
    // A point in the east part is in 00003 alone; one in no unit is not found.
    LookupQuery p;
    p.lon = 105.19;
    p.lat = 21.05;
    const LookupAnswer at = lookup.find(p);
    ASSERT_EQ(at.to.size(), 1U);
    EXPECT_EQ(at.to[0].code, "00003");
    p.lon = 104.0;
    EXPECT_EQ(lookup.find(p).status, LookupAnswer::Status::not_found);
}

TEST(Lookup, NamesAreFoundHoweverTyped) {
    const LookupFixture f;
    const Lookup lookup(f.s, f.check, f.base);
    LookupQuery q;
    q.commune = "xa a"; // "Xa A" in the fixture, whatever the case
    q.province = "P1";
    LookupAnswer a = lookup.find(q);
    ASSERT_EQ(a.status, LookupAnswer::Status::found) << a.note;
    EXPECT_EQ(a.how, "name");
    ASSERT_EQ(a.to.size(), 1U);
    EXPECT_EQ(a.to[0].code, "00001");
    // The new province's code narrows too; another province's does not match.
    q.province = "N1";
    EXPECT_EQ(lookup.find(q).status, LookupAnswer::Status::found);
    q.province = "P2";
    EXPECT_EQ(lookup.find(q).status, LookupAnswer::Status::not_found);
    // A code that lost its leading zeros.
    LookupQuery c;
    c.code = "4";
    a = lookup.find(c);
    ASSERT_EQ(a.to.size(), 1U);
    EXPECT_EQ(a.to[0].code, "00003");
    EXPECT_EQ(place_key("Phường 05"), "5");
    EXPECT_EQ(place_key("THỊ TRẤN  Xuân Mai"), "xuan mai");
}

TEST(Lookup, ARegisterKeepsItsRowsAndGainsTheNewUnits) {
    const LookupFixture f;
    const Lookup lookup(f.s, f.check, f.base);
    const CsvTable t = parse_csv("Mã,Xã,Tỉnh,ghi chú\n00001,,,a\n,Xa B,P1,b\n,Xa Z,,c\n", "r.csv");
    std::map<std::string, std::size_t> counts;
    const auto out = lookup_table(lookup, t, counts);
    ASSERT_EQ(out.size(), 4U + 7U);
    EXPECT_EQ(out[3].name, "ghi chú");
    EXPECT_EQ(geo::to_text(out[3].values[1]), "b");
    EXPECT_EQ(out[4].name, "new_code");
    EXPECT_EQ(geo::to_text(out[4].values[0]), "00001");
    EXPECT_EQ(geo::to_text(out[4].values[1]), "00001 (70 %); 00003 (30 %)");
    EXPECT_EQ(geo::to_text(out[9].values[2]), "not found");
    EXPECT_EQ(counts["found"], 2U);
    EXPECT_EQ(counts["not found"], 1U);
}

} // namespace
} // namespace amsim::sim

#include "amsim/sim/run/mapping_table.hpp"

namespace amsim::sim {
namespace {

TEST(MappingTable, AnExportedMappingReadsBackAndOverridesOneUnit) {
    test::register_gdal();
    test::TempDir dir;
    const Scenario s = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    BaseOptions bo;
    bo.source = s.base.source;
    bo.topology = false;
    const Base base = load_base(s.base, bo);
    const ScenarioCheck check = require_checked(s, base);
    const auto fields = mapping_table(s, check, base, "");
    ASSERT_EQ(fields.size(), 11U);
    EXPECT_EQ(fields[2].name, "old_name");
    EXPECT_EQ(geo::to_text(fields[2].values[1]), "Xa B");
    EXPECT_EQ(geo::to_text(fields[4].values[2]), "P2"); // no province name field: its code
    EXPECT_EQ(geo::to_text(fields[8].values[2]), "N1");
    // Written as a spreadsheet, it is a mapping again.
    const std::string xlsx = dir.file("mapping.xlsx");
    write_table(xlsx, fields, geo::OutputPolicy{});
    const std::vector<MappingRow> back = read_mapping(xlsx);
    ASSERT_EQ(back.size(), s.mapping.size());
    for (std::size_t r = 0; r < back.size(); ++r) {
        EXPECT_EQ(back[r].old_code, s.mapping[r].old_code);
        EXPECT_EQ(back[r].new_code, s.mapping[r].new_code);
        EXPECT_EQ(back[r].new_name, s.mapping[r].new_name);
        EXPECT_EQ(back[r].new_type, s.mapping[r].new_type);
        EXPECT_EQ(back[r].share, s.mapping[r].share);
    }
    // An overrides table moving Xa B (00002) to 00003: its row replaces the mapping's.
    std::string toml = test::slurp(fixtures + "/scenarios/four_communes/scenario.toml");
    toml.replace(toml.find("../../geo"), 9, fixtures + "/geo");
    const std::string line = "mapping = \"mapping.csv\"";
    toml.replace(toml.find(line),
                 line.size(),
                 "mapping = \"" + fixtures +
                     "/scenarios/four_communes/mapping.csv\"\noverrides = \"edit.csv\"");
    std::ofstream(dir.file("scenario.toml")) << toml;
    std::ofstream(dir.file("edit.csv")) << "old_code;old_name;new_code;new_name;new_type\n"
                                           "00002;Xa B;00003;Xa CD;Xã\n";
    const Scenario edited = load_scenario(dir.file("scenario.toml"));
    ASSERT_EQ(edited.mapping.size(), 4U);
    const Base b2 = load_base(edited.base, [&] {
        BaseOptions o;
        o.source = edited.base.source;
        return o;
    }());
    BuildOptions no_staff;
    no_staff.staffing = false;
    const sim::Run r = build_run(b2,
                                 edited,
                                 require_checked(edited, b2),
                                 load_profile(edited.rules, ".", default_profiles_dir()),
                                 no_staff);
    ASSERT_EQ(r.communes.size(), 2U);
    EXPECT_DOUBLE_EQ(*r.communes[0].population, 12000);
    EXPECT_DOUBLE_EQ(*r.communes[1].population, 9000 + 7000 + 5000);
}

} // namespace
} // namespace amsim::sim
