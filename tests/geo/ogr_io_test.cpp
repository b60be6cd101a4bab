// Reading and writing units through OGR: round trips and errors that name the input.

#include "amsim/geo/ogr_io.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/qgis_style.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "support/test_support.hpp"

namespace amsim::geo {
namespace {

const char* two_units_geojson = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"001","name":"A","prov":"P1","pop":100},
 "geometry":{"type":"Polygon","coordinates":[[[105,21],[105.1,21],[105.1,21.1],[105,21.1],[105,21]]]}},
{"type":"Feature","properties":{"code":"002","name":"B","prov":"P1","pop":null},
 "geometry":{"type":"MultiPolygon","coordinates":[[[[105.1,21],[105.2,21],[105.2,21.1],[105.1,21.1],[105.1,21]]]]}}
]})";

std::string write_text(const test::TempDir& dir, const std::string& name, const std::string& text) {
    std::string path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

TEST(OgrIo, ReadsUnitsWithTheirMappedFieldsAndAttributes) {
    test::register_gdal();
    test::TempDir dir;
    const std::string path = write_text(dir, "units.geojson", two_units_geojson);
    ReadOptions opt;
    opt.mapping.code = "code";
    opt.mapping.name = "name";
    opt.mapping.parent = "prov";
    std::vector<Diagnostic> diags;
    const UnitLayer layer = read_units(path, opt, diags);
    ASSERT_EQ(layer.units.size(), 2U);
    EXPECT_EQ(layer.units[0].code, "001");
    EXPECT_EQ(layer.units[1].name, "B");
    EXPECT_EQ(layer.units[1].parent_code, "P1");
    EXPECT_TRUE(layer.geographic);
    const auto pop = layer.attribute_index("pop");
    ASSERT_TRUE(pop.has_value());
    EXPECT_EQ(std::get<std::int64_t>(layer.units[0].attributes[*pop]), 100);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(layer.units[1].attributes[*pop]));
    EXPECT_EQ(layer.geometry.part_count(), 2U);
    EXPECT_EQ(layer.geometry.coord_count(), 8U);
}

TEST(OgrIo, MissingFieldErrorNamesTheFieldAndListsTheOthers) {
    test::register_gdal();
    test::TempDir dir;
    const std::string path = write_text(dir, "units.geojson", two_units_geojson);
    ReadOptions opt;
    opt.mapping.code = "ma_xa";
    std::vector<Diagnostic> diags;
    try {
        (void)read_units(path, opt, diags);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("units.geojson"), std::string::npos) << msg;
        EXPECT_NE(msg.find("no field 'ma_xa'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("code, name, prov, pop"), std::string::npos) << msg;
    }
}

TEST(OgrIo, NonPolygonGeometryErrorNamesTheFeature) {
    test::register_gdal();
    test::TempDir dir;
    const std::string path =
        write_text(dir, "pts.geojson", R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"X9"},"geometry":{"type":"Point","coordinates":[105,21]}}]})");
    ReadOptions opt;
    opt.mapping.code = "code";
    std::vector<Diagnostic> diags;
    try {
        (void)read_units(path, opt, diags);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("feature 0 (code 'X9')"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Point"), std::string::npos) << msg;
    }
}

TEST(OgrIo, UnreadableSourceIsAnInputError) {
    test::register_gdal();
    std::vector<Diagnostic> diags;
    ReadOptions opt;
    opt.mapping.code = "code";
    EXPECT_THROW((void)read_units("/nonexistent/file.gpkg", opt, diags), InputError);
}

TEST(OgrIo, WritesEveryFormatByExtensionAndReadsItBack) {
    test::register_gdal();
    test::TempDir dir;
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.add_ring(std::vector<Coord>{{0.2, 0.2}, {0.2, 0.4}, {0.4, 0.4}, {0.4, 0.2}});
    set.end_part();
    set.normalize_orientation();
    OutputField code{"code", OutputField::Kind::string, {std::string("G1")}};
    OutputField n{"members", OutputField::Kind::integer, {std::int64_t{3}}};
    for (const char* name : {"out.gpkg", "out.geojson", "out.shp", "out.fgb"}) {
        SCOPED_TRACE(name);
        const std::string path = dir.file(name);
        write_units(path, set, {code, n}, {});
        ReadOptions opt;
        opt.mapping.code = "code";
        std::vector<Diagnostic> diags;
        const UnitLayer back = read_units(path, opt, diags);
        ASSERT_EQ(back.units.size(), 1U);
        EXPECT_EQ(back.units[0].code, "G1");
        EXPECT_NEAR(back.geometry.part_area(0), 1.0 - 0.04, 1e-12);
    }
}

TEST(OgrIo, ExistingOutputNeedsOverwriteAndIsKeptOtherwise) {
    test::register_gdal();
    test::TempDir dir;
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{0, 0}, {1, 0}, {1, 1}, {0, 1}});
    set.end_part();
    const std::string path = dir.file("out.gpkg");
    write_units(path, set, {}, {});
    EXPECT_THROW(write_units(path, set, {}, {}), InputError);
    WriteOptions ow;
    ow.policy.overwrite = true;
    write_units(path, set, {}, ow);
    // No temporary file is left beside the output.
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        (void)entry;
        ++files;
    }
    EXPECT_EQ(files, 1U);
}

TEST(OgrIo, WritingTheSameUnitsTwiceGivesTheSameBytes) {
    test::register_gdal();
    test::TempDir dir;
    PolygonSet set;
    set.add_ring(std::vector<Coord>{{105, 21}, {105.1, 21}, {105.1, 21.1}, {105, 21.1}});
    set.end_part();
    OutputField code{"code", OutputField::Kind::string, {std::string("G1")}};
    auto bytes = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    for (const char* name : {"same.gpkg", "same.geojson", "same.fgb"}) {
        SCOPED_TRACE(name);
        const std::string path = dir.file(name);
        WriteOptions wo;
        wo.policy.overwrite = true;
        write_units(path, set, {code}, wo);
        const std::string first = bytes(path);
        std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // a new second
        write_units(path, set, {code}, wo);
        EXPECT_EQ(bytes(path), first);
    }
}

TEST(OgrIo, ImportIntoAGeoPackageWorkspaceKeepsEveryFeature) {
    test::register_gdal();
    test::TempDir dir;
    const std::string src = write_text(dir, "units.geojson", two_units_geojson);
    const std::string ws = dir.file("ws.gpkg");
    import_to_gpkg(src, "", ws, {}, {});
    ReadOptions opt;
    opt.mapping.code = "code";
    std::vector<Diagnostic> diags;
    const UnitLayer layer = read_units(ws, opt, diags);
    EXPECT_EQ(layer.units.size(), 2U);
}

} // namespace
} // namespace amsim::geo

namespace amsim::geo {
namespace {

TEST(OgrIo, SeveralLayersAndATableGoIntoOneGeoPackage) {
    test::register_gdal();
    test::TempDir dir;
    PolygonSet units;
    test::add_box(units, 105, 21, 105.1, 21.1);
    units.end_part();
    test::add_box(units, 105.1, 21, 105.2, 21.1);
    units.end_part();
    PolygonSet merged;
    test::add_box(merged, 105, 21, 105.2, 21.1);
    merged.end_part();
    OutputLayer a{"units", &units, {{"code", OutputField::Kind::string, {"1", "2"}}}};
    OutputLayer b{"merged", &merged, {{"code", OutputField::Kind::string, {"M"}}}};
    OutputLayer t{"mapping",
                  nullptr,
                  {{"old_code", OutputField::Kind::string, {"1", "2"}},
                   {"new_code", OutputField::Kind::string, {"M", "M"}}}};
    b.style_qml = style_qml({{"merged", "", Rgb8{1, 2, 3}}});
    t.fields[0].title = "Mã đơn vị cũ";
    t.fields[0].description = "the old unit's code, as text; it's quoted";
    const std::string path = dir.file("run.gpkg");
    write_layers(path, {a, b, t}, {});
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    ASSERT_EQ(ds->GetLayerCount(), 4); // and the QGIS styles
    // Every polygon layer has its default QGIS style: the one given, else amsim's default.
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_NE(styles, nullptr);
    std::map<std::string, std::string> qml;
    for (auto& f : *styles) {
        EXPECT_EQ(f->GetFieldAsInteger("useAsDefault"), 1);
        EXPECT_STREQ(f->GetFieldAsString("f_geometry_column"), "geom");
        qml[f->GetFieldAsString("f_table_name")] = f->GetFieldAsString("styleQML");
    }
    ASSERT_EQ(qml.size(), 2U);
    EXPECT_NE(qml["merged"].find(R"(name="color" value="1,2,3,255")"), std::string::npos);
    EXPECT_EQ(qml["units"], default_style_qml());
    EXPECT_NE(qml["units"].find("<renderer-v2 type=\"singleSymbol\""), std::string::npos);
    EXPECT_EQ(ds->GetLayerByName("units")->GetFeatureCount(), 2);
    EXPECT_EQ(ds->GetLayerByName("merged")->GetFeatureCount(), 1);
    OGRLayer* mapping = ds->GetLayerByName("mapping");
    EXPECT_EQ(mapping->GetFeatureCount(), 2);
    EXPECT_EQ(mapping->GetGeomType(), wkbNone);
    // The described field (and only it) is in the schema extension, which is registered.
    {
        OGRLayer* described = ds->ExecuteSQL(
            "SELECT table_name, column_name, title, description FROM gpkg_data_columns",
            nullptr,
            nullptr);
        ASSERT_NE(described, nullptr);
        std::vector<std::string> rows;
        for (auto& f : *described) {
            rows.push_back(std::string(f->GetFieldAsString(0)) + "|" + f->GetFieldAsString(1) +
                           "|" + f->GetFieldAsString(2) + "|" + f->GetFieldAsString(3));
        }
        ds->ReleaseResultSet(described);
        EXPECT_EQ(rows,
                  std::vector<std::string>{
                      "mapping|old_code|Mã đơn vị cũ|the old unit's code, as text; it's quoted"});
        OGRLayer* ext = ds->ExecuteSQL(
            "SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'",
            nullptr,
            nullptr);
        ASSERT_NE(ext, nullptr);
        const OGRFeatureUniquePtr count(ext->GetNextFeature());
        ASSERT_TRUE(count);
        EXPECT_EQ(count->GetFieldAsInteger(0), 2);
        ds->ReleaseResultSet(ext);
    }
    // Several layers need a GeoPackage.
    EXPECT_THROW(write_layers(dir.file("run.geojson"), {a, b}, {}), UsageError);
}

} // namespace
} // namespace amsim::geo
