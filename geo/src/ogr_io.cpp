#include "amsim/geo/ogr_io.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/geos_context.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/geo/qgis_style.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/geo/validity.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <span>

namespace amsim::geo {

namespace fs = std::filesystem;

namespace {

std::string gdal_message() {
    const char* m = CPLGetLastErrorMsg();
    return (m != nullptr && *m != '\0') ? std::string(": ") + m : std::string();
}

/// Mutes GDAL's own error printing for a scope; the message is still kept for us.
class QuietGdal {
public:
    QuietGdal() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~QuietGdal() { CPLPopErrorHandler(); }
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
    QuietGdal(QuietGdal&&) = delete;
    QuietGdal& operator=(QuietGdal&&) = delete;
};

GDALDatasetUniquePtr open_vector(const std::string& source) {
    if (network_source(source) && !CPLTestBool(CPLGetConfigOption("AMSIM_ALLOW_NETWORK", "NO"))) {
        throw InputError(source +
                         ": a network source; amsim reads local files and database connections "
                         "unless you pass --allow-network");
    }
    QuietGdal quiet;
    GDALDatasetUniquePtr ds(GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        // A path (not a connection string such as PG:...) that is not there: say so, rather
        // than GDAL's guess at a format.
        const auto colon = source.find(':'), slash = source.find('/');
        VSIStatBufL st;
        if ((colon == std::string::npos || (slash != std::string::npos && slash < colon)) &&
            VSIStatL(source.c_str(), &st) != 0) {
            throw InputError(source + ": no such file or directory");
        }
        throw InputError(source + ": cannot open as a vector source" + gdal_message());
    }
    return ds;
}

OGRLayer* pick_layer(GDALDataset& ds, const std::string& source, const std::string& name) {
    if (name.empty()) {
        if (ds.GetLayerCount() < 1) {
            throw InputError(source + ": has no layer");
        }
        return ds.GetLayer(0);
    }
    OGRLayer* layer = ds.GetLayerByName(name.c_str());
    if (layer == nullptr) {
        std::string names;
        for (int i = 0; i < ds.GetLayerCount(); ++i) {
            names += (i ? ", " : "") + std::string(ds.GetLayer(i)->GetName());
        }
        throw InputError(source + ": no layer '" + name + "' (layers: " + names + ")");
    }
    return layer;
}

int field_index(OGRFeatureDefn& defn,
                const std::string& field,
                const std::string& role,
                const std::string& where) {
    if (field.empty()) {
        return -1;
    }
    const int i = defn.GetFieldIndex(field.c_str());
    if (i < 0) {
        std::string names;
        for (int k = 0; k < defn.GetFieldCount(); ++k) {
            names += (k ? ", " : "") + std::string(defn.GetFieldDefn(k)->GetNameRef());
        }
        throw InputError(where + ": no field '" + field + "' for the " + role +
                         " (fields: " + names + ")");
    }
    return i;
}

AttributeValue read_field(OGRFeature& f, int i) {
    if (!f.IsFieldSetAndNotNull(i)) {
        return std::monostate{};
    }
    switch (f.GetFieldDefnRef(i)->GetType()) {
    case OFTInteger:
    case OFTInteger64:
        return static_cast<std::int64_t>(f.GetFieldAsInteger64(i));
    case OFTReal:
        return f.GetFieldAsDouble(i);
    default:
        return std::string(f.GetFieldAsString(i));
    }
}

/// An upper bound on the vertices of a binary source (16 bytes or more each in WKB, Shapefile
/// and FlatGeobuf), so that the coordinate array is never copied to grow: capacity beyond
/// what is read is never written, so never mapped. 0 (no hint) for text or remote sources.
std::size_t coord_capacity_hint(GDALDataset& ds, const std::string& source) {
    const std::string driver = ds.GetDriver() != nullptr ? ds.GetDriver()->GetDescription() : "";
    if (driver != "GPKG" && driver != "FlatGeobuf" && driver != "ESRI Shapefile") {
        return 0;
    }
    VSIStatBufL st;
    if (VSIStatL(source.c_str(), &st) != 0 || !VSI_ISREG(st.st_mode)) {
        return 0;
    }
    return static_cast<std::size_t>(st.st_size) / (2 * sizeof(double)) + 16;
}

void append_ring(const OGRLinearRing& ring, std::vector<Coord>& buf, PolygonSet& out) {
    const int n = ring.getNumPoints();
    buf.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        buf[static_cast<std::size_t>(i)] = {ring.getX(i), ring.getY(i)};
    }
    out.add_ring(buf);
}

void append_polygon(const OGRPolygon& poly, std::vector<Coord>& buf, PolygonSet& out) {
    if (poly.IsEmpty()) {
        return;
    }
    append_ring(*poly.getExteriorRing(), buf, out);
    for (int i = 0; i < poly.getNumInteriorRings(); ++i) {
        append_ring(*poly.getInteriorRing(i), buf, out);
    }
    out.end_polygon();
}

/// Appends a polygonal geometry; returns false for a non-polygonal one.
bool append_geometry(const OGRGeometry& g, std::vector<Coord>& buf, PolygonSet& out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
        append_polygon(*g.toPolygon(), buf, out);
        return true;
    case wkbMultiPolygon:
        for (const OGRPolygon* p : *g.toMultiPolygon()) {
            append_polygon(*p, buf, out);
        }
        return true;
    case wkbCurvePolygon:
    case wkbMultiSurface: {
        std::unique_ptr<OGRGeometry> lin(g.getLinearGeometry());
        return lin && append_geometry(*lin, buf, out);
    }
    case wkbGeometryCollection: {
        for (const OGRGeometry* part : *g.toGeometryCollection()) {
            if (!append_geometry(*part, buf, out)) {
                return false;
            }
        }
        return true;
    }
    default:
        return false;
    }
}

/// Coordinates are finite, and for longitude/latitude on the globe (longitudes to 360,
/// which some layers use east of the antimeridian): PROJ would otherwise fail far from here.
void check_coordinates(std::span<const Coord> coords, bool geographic, const std::string& where) {
    for (const Coord& c : coords) {
        const bool finite = std::isfinite(c.x) && std::isfinite(c.y);
        if (!finite || (geographic && (c.x < -180 || c.x > 360 || c.y < -90 || c.y > 90))) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "%.10g %.10g", c.x, c.y);
            throw InputError(where + ": coordinate " + buf +
                             (finite ? " is not a longitude and latitude (the layer's CRS is "
                                       "geographic): is the CRS right?"
                                     : " is not a number"));
        }
    }
}

/// A field's text as an identity (a code, a name): valid UTF-8 without control characters,
/// in NFC; "" when null or when there is no field (i < 0).
std::string identity_text(OGRFeature& f, int i, const std::string& where) {
    if (i < 0 || !f.IsFieldSetAndNotNull(i)) {
        return {};
    }
    std::string v = f.GetFieldAsString(i);
    const auto bad = invalid_utf8_at(v);
    const auto ctl = control_at(v);
    if (bad || ctl) {
        throw InputError(
            where + ": field '" + f.GetFieldDefnRef(i)->GetNameRef() + "': " +
            (bad ? "not UTF-8 text (" + describe_char(v, *bad) +
                       "); for a Shapefile, a .cpg file or SHAPE_ENCODING names "
                       "its encoding"
                 : "a control or invisible character (" + describe_char(v, *ctl) + ")") +
            " in '" + printable(v) + "'");
    }
    return nfc(v);
}

} // namespace

bool network_source(const std::string& source) {
    std::string s = source;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    for (const char* fs : {"/vsicurl",
                           "/vsis3",
                           "/vsigs",
                           "/vsiaz",
                           "/vsiadls",
                           "/vsioss",
                           "/vsiswift",
                           "/vsiwebhdfs",
                           "/vsihdfs"}) {
        if (s.find(fs) != std::string::npos) {
            return true;
        }
    }
    if (s.find("://") != std::string::npos && s.rfind("file://", 0) != 0) {
        return true; // http://, https://, ftp://, and drivers given a URL
    }
    const auto services = {"wfs:",
                           "oapif:",
                           "csw:",
                           "wms:",
                           "wmts:",
                           "ngw:",
                           "elastic:",
                           "carto:",
                           "amigocloud:",
                           "plscenes:",
                           "eeda:",
                           "mongodbv3:"};
    return std::any_of(services.begin(), services.end(), [&](const char* service) {
        return s.rfind(service, 0) == 0;
    });
}

void allow_network_sources(bool allow) {
    CPLSetConfigOption("AMSIM_ALLOW_NETWORK", allow ? "YES" : "NO");
    // /vsicurl/ (and the cloud file systems built on it) then finds no file at all.
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS",
                       allow ? nullptr : ".amsim-network-not-allowed");
}

std::vector<std::vector<std::string>> read_field_text(const std::string& source,
                                                      const std::string& layer_name,
                                                      const std::vector<std::string>& fields) {
    auto ds = open_vector(source);
    OGRLayer* layer = pick_layer(*ds, source, layer_name);
    const std::string where = source + ": layer '" + layer->GetName() + "'";
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<int> index;
    index.reserve(fields.size());
    for (const std::string& f : fields) {
        index.push_back(field_index(defn, f, "'" + f + "' field", where));
    }
    // Only the fields asked for are read: not the geometries, nor the other attributes.
    CPLStringList ignored;
    ignored.AddString("OGR_GEOMETRY");
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        if (std::find(index.begin(), index.end(), i) == index.end()) {
            ignored.AddString(defn.GetFieldDefn(i)->GetNameRef());
        }
    }
    (void)layer->SetIgnoredFields(const_cast<const char**>(ignored.List()));
    std::vector<std::vector<std::string>> out(fields.size());
    QuietGdal quiet;
    layer->ResetReading();
    for (auto& f : *layer) {
        const std::string at = where + ": feature " + std::to_string(f->GetFID());
        for (std::size_t k = 0; k < index.size(); ++k) {
            out[k].push_back(identity_text(*f, index[k], at));
        }
    }
    return out;
}

std::vector<std::string> list_layers(const std::string& source) {
    auto ds = open_vector(source);
    std::vector<std::string> names;
    names.reserve(ds->GetLayerCount());
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        names.emplace_back(ds->GetLayer(i)->GetName());
    }
    return names;
}

UnitLayer read_units(const std::string& source,
                     const ReadOptions& options,
                     std::vector<Diagnostic>& diagnostics) {
    auto ds = open_vector(source);
    OGRLayer* layer = pick_layer(*ds, source, options.layer);
    UnitLayer out;
    out.source = source;
    out.layer_name = layer->GetName();
    out.mapping = options.mapping;
    const std::string where = source + ": layer '" + out.layer_name + "'";

    if (layer->GetLayerDefn()->GetGeomFieldCount() == 0) {
        throw InputError(where + ": has no geometry (a table, not a layer of polygons)");
    }
    if (layer->GetFeatureCount(FALSE) == 0) {
        throw InputError(where + ": has no features");
    }
    if (options.mapping.code.empty()) {
        throw UsageError(where + ": no code field given (the field holding each unit's code)");
    }
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    const int i_code = field_index(defn, options.mapping.code, "code", where);
    const int i_name = field_index(defn, options.mapping.name, "name", where);
    const int i_parent = field_index(defn, options.mapping.parent, "parent code", where);
    const int i_type = field_index(defn, options.mapping.type, "unit type", where);
    std::vector<int> keep;
    if (options.mapping.keep.empty()) {
        for (int k = 0; k < defn.GetFieldCount(); ++k) {
            keep.push_back(k);
        }
    } else {
        for (const std::string& f : options.mapping.keep) {
            keep.push_back(field_index(defn, f, "attribute", where));
        }
    }
    for (int k : keep) {
        out.attribute_names.emplace_back(defn.GetFieldDefn(k)->GetNameRef());
    }

    if (const OGRSpatialReference* srs = layer->GetSpatialRef(); srs != nullptr) {
        char* wkt = nullptr;
        const char* wkt_opts[] = {"FORMAT=WKT2_2019", nullptr};
        if (srs->exportToWkt(&wkt, wkt_opts) == OGRERR_NONE && wkt != nullptr) {
            out.crs_wkt = wkt;
        }
        CPLFree(wkt);
        out.geographic = srs->IsGeographic() != 0;
    } else {
        diagnostics.push_back({Severity::warning,
                               "no_crs",
                               where,
                               "layer has no CRS; assuming WGS 84 longitude/latitude"});
    }

    const GIntBig total = layer->GetFeatureCount(TRUE);
    const std::size_t capacity = coord_capacity_hint(*ds, source);
    if (capacity > 0 && options.on_capacity) {
        options.on_capacity(capacity);
    }
    out.geometry.reserve(capacity, static_cast<std::size_t>(std::max<GIntBig>(total, 0)));
    std::vector<Coord> buf;
    std::size_t done = 0;
    layer->ResetReading();
    QuietGdal quiet;
    // Identity fields as data: valid UTF-8 without control characters, in NFC; other text
    // attributes in NFC where they are valid UTF-8.
    auto identity = [&](OGRFeature& f, int i, const Unit& u) {
        return identity_text(f, i, where + ": feature " + std::to_string(u.fid));
    };
    for (auto& f : *layer) {
        Unit u;
        u.fid = f->GetFID();
        u.code = identity(*f, i_code, u);
        u.name = identity(*f, i_name, u);
        u.parent_code = identity(*f, i_parent, u);
        u.type = identity(*f, i_type, u);
        u.attributes.reserve(keep.size());
        for (int k : keep) {
            AttributeValue v = read_field(*f, k);
            if (auto* text = std::get_if<std::string>(&v); text && !invalid_utf8_at(*text)) {
                *text = nfc(*text);
            }
            u.attributes.push_back(std::move(v));
        }
        const OGRGeometry* g = f->GetGeometryRef();
        const std::size_t first = out.geometry.coord_count();
        if (g != nullptr && !append_geometry(*g, buf, out.geometry)) {
            throw InputError(where + ": feature " + std::to_string(u.fid) +
                             (u.code.empty() ? "" : " (code '" + u.code + "')") + ": geometry is " +
                             OGRGeometryTypeToName(g->getGeometryType()) +
                             ", expected Polygon or MultiPolygon");
        }
        check_coordinates(std::span<const Coord>(out.geometry.coords()).subspan(first),
                          out.geographic,
                          where + ": feature " + std::to_string(u.fid) +
                              (u.code.empty() ? "" : " (code '" + u.code + "')"));
        out.geometry.end_part();
        out.units.push_back(std::move(u));
        if (++done % 512 == 0 && total > 0) {
            report(
                options.progress, "read", static_cast<double>(done) / static_cast<double>(total));
        }
    }
    if (CPLGetLastErrorType() == CE_Failure) {
        throw InputError(where + ": read failed after feature " + std::to_string(done) +
                         gdal_message());
    }
    report(options.progress, "read", 1.0);
    out.geometry.normalize_orientation();
    return out;
}

std::string ShapeTable::describe(std::size_t feature) const {
    return where + ": feature " + std::to_string(fid[feature]);
}

namespace {

/// Appends a linear geometry's lines; false for a geometry that is not linear.
bool append_lines(const OGRGeometry& g, std::vector<std::vector<Coord>>& out) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbLineString: {
        const OGRLineString& line = *g.toLineString();
        std::vector<Coord> coords;
        coords.reserve(static_cast<std::size_t>(line.getNumPoints()));
        for (int i = 0; i < line.getNumPoints(); ++i) {
            coords.push_back({line.getX(i), line.getY(i)});
        }
        if (coords.size() >= 2) {
            out.push_back(std::move(coords));
        }
        return true;
    }
    case wkbMultiLineString:
        for (const OGRLineString* line : *g.toMultiLineString()) {
            append_lines(*line, out);
        }
        return true;
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve: {
        std::unique_ptr<OGRGeometry> lin(g.getLinearGeometry());
        return lin && append_lines(*lin, out);
    }
    default:
        return false;
    }
}

bool polygonal(const OGRGeometry& g) {
    switch (wkbFlatten(g.getGeometryType())) {
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
        return true;
    default:
        return false;
    }
}

} // namespace

ShapeTable read_shapes(const std::string& source,
                       const std::string& layer_name,
                       const std::vector<ShapeField>& fields,
                       const std::string& target_crs_wkt) {
    auto ds = open_vector(source);
    OGRLayer* layer = pick_layer(*ds, source, layer_name);
    ShapeTable out;
    out.where = source + ": layer '" + layer->GetName() + "'";
    if (layer->GetLayerDefn()->GetGeomFieldCount() == 0) {
        throw InputError(out.where + ": has no geometry (a table, not a layer of polygons or "
                                     "lines)");
    }
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    std::vector<int> index;
    index.reserve(fields.size());
    for (const ShapeField& f : fields) {
        index.push_back(f.required || defn.GetFieldIndex(f.name.c_str()) >= 0
                            ? field_index(defn, f.name, "'" + f.name + "' field", out.where)
                            : -1);
    }
    // Transformed into the target CRS when the layer has another (traditional lon/lat order
    // on both sides, as the features are read).
    std::unique_ptr<OGRCoordinateTransformation> transform;
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    bool geographic = srs == nullptr || srs->IsGeographic() != 0;
    OGRSpatialReference target;
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (!target_crs_wkt.empty() && target.importFromWkt(target_crs_wkt.c_str()) == OGRERR_NONE) {
        geographic = target.IsGeographic() != 0;
        if (srs != nullptr && srs->IsSame(&target) == 0) {
            OGRSpatialReference from(*srs);
            from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            transform.reset(OGRCreateCoordinateTransformation(&from, &target));
            if (!transform) {
                throw InputError(out.where + ": cannot transform its CRS into the base layer's" +
                                 gdal_message());
            }
        }
    }
    QuietGdal quiet;
    bool first = true;
    std::vector<Coord> buf;
    layer->ResetReading();
    for (auto& f : *layer) {
        const std::size_t k = out.fid.size();
        out.fid.push_back(f->GetFID());
        const std::string where = out.describe(k);
        std::vector<std::string> values;
        values.reserve(index.size());
        for (int i : index) {
            values.push_back(identity_text(*f, i, where));
        }
        out.fields.push_back(std::move(values));
        OGRGeometry* g = f->GetGeometryRef();
        if (g == nullptr || g->IsEmpty()) {
            throw InputError(where + ": has no geometry");
        }
        if (transform && g->transform(transform.get()) != OGRERR_NONE) {
            throw InputError(where + ": cannot transform into the base layer's CRS" +
                             gdal_message());
        }
        const bool is_polygon = polygonal(*g);
        if (first) {
            out.linear = !is_polygon;
            first = false;
        }
        const std::string kind = OGRGeometryTypeToName(g->getGeometryType());
        if (is_polygon != !out.linear) {
            throw InputError(where + ": geometry is " + kind +
                             ", but the layer's first feature is " +
                             (out.linear ? "a line" : "a polygon") +
                             ": a layer holds either parts (polygons) or cut lines, not both");
        }
        if (out.linear) {
            out.lines.emplace_back();
            if (!append_lines(*g, out.lines.back())) {
                throw InputError(where + ": geometry is " + kind +
                                 ", expected polygons (parts) or lines (cut lines)");
            }
            for (const auto& line : out.lines.back()) {
                check_coordinates(line, geographic, where);
            }
        } else {
            const std::size_t before = out.polygons.coord_count();
            append_geometry(*g, buf, out.polygons);
            check_coordinates(
                std::span<const Coord>(out.polygons.coords()).subspan(before), geographic, where);
            out.polygons.end_part();
        }
    }
    if (CPLGetLastErrorType() == CE_Failure) {
        throw InputError(out.where + ": read failed" + gdal_message());
    }
    if (out.fid.empty()) {
        throw InputError(out.where + ": has no features");
    }
    out.polygons.normalize_orientation();
    return out;
}

bool is_spreadsheet(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return ext == ".xlsx" || ext == ".ods";
}

SheetTable read_spreadsheet(const std::string& path) {
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) != 0) {
        throw InputError(path + ": no such file or directory");
    }
    QuietGdal quiet;
    // The first row is the header even when every cell is text (GDAL 3.6 guesses otherwise:
    // its open options for this came later, its configuration options are read here), and
    // every cell is text as shown.
    struct Option {
        const char* key;
        std::string before;
    };
    std::vector<Option> options = {{"OGR_XLSX_HEADERS", {}},
                                   {"OGR_XLSX_FIELD_TYPES", {}},
                                   {"OGR_ODS_HEADERS", {}},
                                   {"OGR_ODS_FIELD_TYPES", {}}};
    for (Option& o : options) {
        const char* v = CPLGetThreadLocalConfigOption(o.key, nullptr);
        o.before = v != nullptr ? v : "";
        CPLSetThreadLocalConfigOption(o.key,
                                      std::string(o.key).ends_with("HEADERS") ? "FORCE" : "STRING");
    }
    const char* drivers[] = {"XLSX", "ODS", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(
        path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (ds && ds->GetLayerCount() > 0) {
        (void)ds->GetLayer(0)->GetLayerDefn(); // the header is read now, under the options
    }
    for (const Option& o : options) {
        CPLSetThreadLocalConfigOption(o.key, o.before.empty() ? nullptr : o.before.c_str());
    }
    if (!ds) {
        throw InputError(path + ": cannot open as a spreadsheet (.xlsx or .ods)" + gdal_message());
    }
    if (ds->GetLayerCount() < 1) {
        throw InputError(path + ": has no sheet");
    }
    OGRLayer* layer = ds->GetLayer(0);
    SheetTable t;
    OGRFeatureDefn& defn = *layer->GetLayerDefn();
    for (int k = 0; k < defn.GetFieldCount(); ++k) {
        t.header.emplace_back(defn.GetFieldDefn(k)->GetNameRef());
    }
    std::size_t row = 1;
    for (auto& f : *layer) {
        ++row;
        std::vector<std::string> cells;
        bool blank = true;
        for (int k = 0; k < defn.GetFieldCount(); ++k) {
            cells.emplace_back(f->IsFieldSetAndNotNull(k) ? f->GetFieldAsString(k) : "");
            blank = blank && cells.back().empty();
        }
        if (!blank) {
            t.rows.push_back(std::move(cells));
            t.lines.push_back(row);
        }
    }
    if (CPLGetLastErrorType() == CE_Failure) {
        throw InputError(path + ": read failed" + gdal_message());
    }
    return t;
}

namespace {

OGRFieldType ogr_type(OutputField::Kind k); // defined with the writers below

} // namespace

std::string spreadsheet_bytes(const std::vector<OutputField>& fields, const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    const char* driver_name = ext == ".ods" ? "ODS" : "XLSX";
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (driver == nullptr) {
        throw InternalError(std::string("GDAL has no ") + driver_name + " driver");
    }
    // Each call its own file in GDAL's memory file system.
    static std::atomic<unsigned> serial{0};
    const std::string mem = "/vsimem/amsim-sheet-" + std::to_string(serial++) + ext;
    QuietGdal quiet;
    {
        GDALDatasetUniquePtr ds(driver->Create(mem.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) {
            throw InputError(path + ": cannot create the spreadsheet" + gdal_message());
        }
        std::string name = fs::path(path).stem().string();
        if (name.empty() || name.size() > 31) {
            name = "sheet"; // a sheet name has at most 31 characters
        }
        OGRLayer* layer = ds->CreateLayer(name.c_str(), nullptr, wkbNone, nullptr);
        if (layer == nullptr) {
            throw InputError(path + ": cannot create the sheet" + gdal_message());
        }
        std::size_t n = 0;
        for (const OutputField& f : fields) {
            OGRFieldDefn defn(f.name.c_str(), ogr_type(f.kind));
            if (layer->CreateField(&defn) != OGRERR_NONE) {
                throw InputError(path + ": cannot create column '" + f.name + "'" + gdal_message());
            }
            n = std::max(n, f.values.size());
        }
        for (std::size_t r = 0; r < n; ++r) {
            OGRFeature feature(layer->GetLayerDefn());
            for (std::size_t k = 0; k < fields.size(); ++k) {
                const int i = static_cast<int>(k);
                if (r >= fields[k].values.size()) {
                    continue;
                }
                const AttributeValue& v = fields[k].values[r];
                if (const auto* s = std::get_if<std::string>(&v)) {
                    feature.SetField(i, s->c_str());
                } else if (const auto* d = std::get_if<double>(&v)) {
                    feature.SetField(i, *d);
                } else if (const auto* n64 = std::get_if<std::int64_t>(&v)) {
                    feature.SetField(i, static_cast<GIntBig>(*n64));
                } else if (const auto* b = std::get_if<bool>(&v)) {
                    feature.SetField(i, *b ? 1 : 0);
                }
            }
            if (layer->CreateFeature(&feature) != OGRERR_NONE) {
                throw InputError(path + ": cannot write row " + std::to_string(r + 2) +
                                 gdal_message());
            }
        }
    }
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(mem.c_str(), &size, FALSE);
    std::string bytes =
        data != nullptr ? std::string(reinterpret_cast<const char*>(data), size) : std::string();
    VSIUnlink(mem.c_str());
    if (bytes.empty()) {
        throw InputError(path + ": the spreadsheet could not be written" + gdal_message());
    }
    return bytes;
}

namespace {

const char* driver_for(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    if (ext == ".gpkg") {
        return "GPKG";
    }
    if (ext == ".geojson" || ext == ".json") {
        return "GeoJSON";
    }
    if (ext == ".shp") {
        return "ESRI Shapefile";
    }
    if (ext == ".fgb") {
        return "FlatGeobuf";
    }
    throw UsageError(path.string() + ": unknown output format (use .gpkg, .geojson, .shp or .fgb)");
}

/// Same inputs, same bytes: a GeoPackage records when its tables changed, so writes stamp a
/// fixed date (unless the user set OGR_CURRENT_DATE), restored on leaving the scope.
class FixedWriteDate {
public:
    FixedWriteDate() {
        if (CPLGetConfigOption("OGR_CURRENT_DATE", nullptr) == nullptr) {
            CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
            m_set = true;
        }
    }
    ~FixedWriteDate() {
        if (m_set) {
            CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
        }
    }
    FixedWriteDate(const FixedWriteDate&) = delete;
    FixedWriteDate& operator=(const FixedWriteDate&) = delete;
    FixedWriteDate(FixedWriteDate&&) = delete;
    FixedWriteDate& operator=(FixedWriteDate&&) = delete;

private:
    bool m_set = false;
};

OGRFieldType ogr_type(OutputField::Kind k) {
    switch (k) {
    case OutputField::Kind::integer:
        return OFTInteger64;
    case OutputField::Kind::real:
        return OFTReal;
    case OutputField::Kind::string:
        break;
    }
    return OFTString;
}

} // namespace

namespace {

/// Feature p of a point or line layer as an OGR geometry.
std::unique_ptr<OGRGeometry>
point_or_line(const OutputLayer& out, std::size_t p, OGRSpatialReference* srs) {
    std::unique_ptr<OGRGeometry> g;
    if (out.points != nullptr) {
        const Coord& c = (*out.points)[p];
        g = std::make_unique<OGRPoint>(c.x, c.y);
    } else {
        auto line = std::make_unique<OGRLineString>();
        const std::vector<Coord>& pts = (*out.lines)[p];
        line->setNumPoints(static_cast<int>(pts.size()), FALSE);
        for (std::size_t i = 0; i < pts.size(); ++i) {
            line->setPoint(static_cast<int>(i), pts[i].x, pts[i].y);
        }
        g = std::move(line);
    }
    if (srs != nullptr) {
        g->assignSpatialReference(srs);
    }
    return g;
}

void write_layer(GDALDataset& ds,
                 const OutputLayer& out,
                 OGRSpatialReference* srs,
                 const std::string& path) {
    const PolygonSet* geometry = out.geometry;
    const OGRwkbGeometryType type = geometry != nullptr     ? wkbMultiPolygon
                                    : out.points != nullptr ? wkbPoint
                                    : out.lines != nullptr  ? wkbLineString
                                                            : wkbNone;
    OGRLayer* layer =
        ds.CreateLayer(out.name.c_str(), out.has_geometry() ? srs : nullptr, type, nullptr);
    if (layer == nullptr) {
        throw InputError(path + ": cannot create layer '" + out.name + "'" + gdal_message());
    }
    const std::size_t rows = out.rows();
    for (const OutputField& f : out.fields) {
        OGRFieldDefn defn(f.name.c_str(), ogr_type(f.kind));
        if (layer->CreateField(&defn) != OGRERR_NONE) {
            throw InputError(path + ": cannot create field '" + f.name + "'" + gdal_message());
        }
        if (f.values.size() != rows) {
            throw InternalError("field '" + f.name + "' of layer '" + out.name + "' has " +
                                std::to_string(f.values.size()) + " values for " +
                                std::to_string(rows) + " features");
        }
    }
    for (std::size_t p = 0; p < rows; ++p) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (std::size_t k = 0; k < out.fields.size(); ++k) {
            const AttributeValue& v = out.fields[k].values[p];
            const int idx = static_cast<int>(k);
            if (std::holds_alternative<std::monostate>(v)) {
                feature->SetFieldNull(idx);
            } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
                feature->SetField(idx, static_cast<GIntBig>(*i));
            } else if (const auto* d = std::get_if<double>(&v)) {
                feature->SetField(idx, *d);
            } else if (const auto* b = std::get_if<bool>(&v)) {
                feature->SetField(idx, *b ? 1 : 0);
            } else {
                feature->SetField(idx, std::get<std::string>(v).c_str());
            }
        }
        if (geometry != nullptr) {
            auto multi = std::make_unique<OGRMultiPolygon>();
            for (std::uint32_t q = geometry->part_begin(p); q < geometry->part_end(p); ++q) {
                auto poly = std::make_unique<OGRPolygon>();
                for (std::uint32_t r = geometry->polygon_begin(q); r < geometry->polygon_end(q);
                     ++r) {
                    auto ring = std::make_unique<OGRLinearRing>();
                    auto pts = geometry->ring(r);
                    ring->setNumPoints(static_cast<int>(pts.size() + 1), FALSE);
                    for (std::size_t i = 0; i < pts.size(); ++i) {
                        ring->setPoint(static_cast<int>(i), pts[i].x, pts[i].y);
                    }
                    ring->setPoint(static_cast<int>(pts.size()), pts[0].x, pts[0].y);
                    poly->addRingDirectly(ring.release());
                }
                multi->addGeometryDirectly(poly.release());
            }
            if (srs != nullptr) {
                multi->assignSpatialReference(srs);
            }
            feature->SetGeometryDirectly(multi.release());
        } else if (out.points != nullptr || out.lines != nullptr) {
            feature->SetGeometryDirectly(point_or_line(out, p, srs).release());
        }
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE) {
            throw InputError(path + ": layer '" + out.name + "': cannot write feature " +
                             std::to_string(p) + gdal_message());
        }
    }
}

} // namespace

namespace {

/// GEOS validity of every feature, on every core; the first invalid one (in feature order)
/// is an InternalError.
void require_valid(const PolygonSet& geometry, const std::string& path, const std::string& layer) {
    const std::size_t n = geometry.part_count();
    std::vector<std::string> reasons(n);
    tbb::enumerable_thread_specific<GeosContext> contexts;
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t p) {
        if (geometry.part_begin(p) != geometry.part_end(p)) {
            reasons[p] = invalid_reason(contexts.local(), geometry, p);
        }
    });
    for (std::size_t p = 0; p < n; ++p) {
        if (!reasons[p].empty()) {
            throw InternalError(path + ": layer '" + layer + "': feature " + std::to_string(p) +
                                " would be written invalid (" + reasons[p] + ")");
        }
    }
}

/// Reopens a written dataset and checks it holds every layer with every feature: a driver
/// that reports no error on a full disk (GeoJSON does not) is caught here, before the file
/// takes its final name.
void verify_written(const std::string& temp,
                    const std::string& path,
                    const std::vector<std::pair<std::string, std::size_t>>& expected) {
    QuietGdal quiet;
    GDALDatasetUniquePtr ds(GDALDataset::Open(temp.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) {
        throw InputError(path + ": the written file cannot be read back (disk full?)" +
                         gdal_message());
    }
    for (const auto& [name, rows] : expected) {
        OGRLayer* layer = ds->GetLayerByName(name.c_str());
        if (layer == nullptr && ds->GetLayerCount() == 1 && expected.size() == 1) {
            layer = ds->GetLayer(0); // single-layer formats name the layer after the file
        }
        const GIntBig n = layer != nullptr ? layer->GetFeatureCount(TRUE) : -1;
        if (n != static_cast<GIntBig>(rows)) {
            throw InputError(path + ": layer '" + name + "' reads back with " + std::to_string(n) +
                             " of " + std::to_string(rows) + " features (disk full?)" +
                             gdal_message());
        }
    }
}

/// The `layer_styles` table QGIS reads (as QGIS writes it through OGR): one default style
/// per polygon layer, and the given style of a point or line layer. Returns the number of rows
/// written.
std::size_t
write_styles(GDALDataset& ds, const std::vector<OutputLayer>& layers, const std::string& path) {
    std::vector<const OutputLayer*> styled;
    for (const OutputLayer& l : layers) {
        if (l.geometry != nullptr || (l.has_geometry() && !l.style_qml.empty())) {
            styled.push_back(&l);
        }
    }
    if (styled.empty()) {
        return 0;
    }
    OGRLayer* t = ds.CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
    if (t == nullptr) {
        throw InputError(path + ": cannot create the layer styles" + gdal_message());
    }
    const std::vector<std::pair<const char*, OGRFieldType>> columns = {
        {"f_table_catalog", OFTString},
        {"f_table_schema", OFTString},
        {"f_table_name", OFTString},
        {"f_geometry_column", OFTString},
        {"styleName", OFTString},
        {"styleQML", OFTString},
        {"styleSLD", OFTString},
        {"useAsDefault", OFTInteger},
        {"description", OFTString},
        {"owner", OFTString},
        {"ui", OFTString},
        {"update_time", OFTDateTime}};
    for (const auto& [name, type] : columns) {
        OGRFieldDefn f(name, type);
        if (type == OFTInteger) {
            f.SetSubType(OFSTBoolean);
        }
        if (t->CreateField(&f) != OGRERR_NONE) {
            throw InputError(path + ": cannot create the layer styles" + gdal_message());
        }
    }
    for (const OutputLayer* l : styled) {
        OGRFeature f(t->GetLayerDefn());
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", l->name.c_str());
        f.SetField("f_geometry_column", "geom");
        f.SetField("styleName", l->name.c_str());
        f.SetField("styleQML", (l->style_qml.empty() ? default_style_qml() : l->style_qml).c_str());
        f.SetField("styleSLD", "");
        f.SetField("useAsDefault", 1);
        f.SetField("description", "amsim");
        f.SetField("owner", "");
        f.SetField("ui", "");
        if (t->CreateFeature(&f) != OGRERR_NONE) {
            throw InputError(path + ": cannot write the layer styles" + gdal_message());
        }
    }
    return styled.size();
}

/// Text as an SQL string literal.
std::string sql_text(const std::string& s) {
    std::string out = "'";
    for (const char c : s) {
        out += c == '\'' ? std::string("''") : std::string(1, c);
    }
    return out + "'";
}

/// The fields' titles and descriptions in `gpkg_data_columns`, the GeoPackage schema
/// extension registered in `gpkg_extensions` (GDAL 3.6 writes neither). Returns the number of
/// rows written.
std::size_t write_data_columns(GDALDataset& ds,
                               const std::vector<OutputLayer>& layers,
                               const std::string& path) {
    std::vector<std::string> rows;
    for (const OutputLayer& l : layers) {
        for (const OutputField& f : l.fields) {
            if (!f.title.empty() || !f.description.empty()) {
                rows.push_back(
                    "INSERT INTO gpkg_data_columns (table_name, column_name, name, title, "
                    "description, mime_type, constraint_name) VALUES (" +
                    sql_text(l.name) + ", " + sql_text(f.name) + ", NULL, " + sql_text(f.title) +
                    ", " + sql_text(f.description) + ", NULL, NULL)");
            }
        }
    }
    if (rows.empty()) {
        return 0;
    }
    // One statement per line: the spec's tables (as GDAL creates them) and the extension.
    const std::string create_extensions =
        "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
        "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
        "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))";
    const std::string create_columns =
        "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT "
        "NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
        "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE "
        "(table_name, name))";
    const std::string create_constraints =
        "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
        "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max "
        "NUMERIC, max_is_inclusive BOOLEAN, description TEXT, CONSTRAINT gdcc_ntv UNIQUE "
        "(constraint_name, constraint_type, value))";
    std::vector<std::string> schema = {create_extensions, create_columns, create_constraints};
    for (const char* table : {"gpkg_data_columns", "gpkg_data_column_constraints"}) {
        schema.push_back("INSERT INTO gpkg_extensions VALUES ('" + std::string(table) +
                         "', NULL, 'gpkg_schema', "
                         "'http://www.geopackage.org/spec/#extension_schema', 'read-write')");
    }
    schema.insert(schema.end(), rows.begin(), rows.end());
    for (const std::string& sql : schema) {
        CPLErrorReset();
        ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (CPLGetLastErrorType() == CE_Failure) {
            throw InputError(path + ": cannot write the field descriptions" + gdal_message());
        }
    }
    return rows.size();
}

} // namespace

void write_layers(const std::string& path,
                  const std::vector<OutputLayer>& layers,
                  const WriteOptions& options) {
    const fs::path final_path(path);
    const char* driver_name = driver_for(final_path);
    if (layers.size() > 1 && std::string(driver_name) != "GPKG") {
        throw UsageError(path + ": several layers need a GeoPackage (.gpkg)");
    }
    if (!options.geometry_checked) {
        for (const OutputLayer& l : layers) {
            if (l.geometry != nullptr) {
                require_valid(*l.geometry, path, l.name);
            }
        }
    }
    StagedFile staged(path, options.policy);
    std::vector<std::pair<std::string, std::size_t>> expected;
    {
        QuietGdal quiet;
        FixedWriteDate fixed_date;
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
        if (driver == nullptr) {
            throw InternalError(std::string("GDAL driver ") + driver_name + " not available");
        }
        GDALDatasetUniquePtr ds(
            driver->Create(staged.temp().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) {
            throw InputError(path + ": cannot create" + gdal_message());
        }
        OGRSpatialReference srs;
        OGRSpatialReference* srs_ptr = nullptr;
        if (!options.crs_wkt.empty() && srs.importFromWkt(options.crs_wkt.c_str()) == OGRERR_NONE) {
            srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            srs_ptr = &srs;
        }
        // One transaction for the whole file: a failure leaves nothing behind.
        const bool transaction = ds->StartTransaction() == OGRERR_NONE;
        for (const OutputLayer& l : layers) {
            write_layer(*ds, l, srs_ptr, path);
            expected.emplace_back(l.name, l.rows());
        }
        if (std::string(driver_name) == "GPKG") {
            if (const std::size_t styles = write_styles(*ds, layers, path); styles > 0) {
                expected.emplace_back("layer_styles", styles);
            }
            (void)write_data_columns(*ds, layers, path);
        }
        if (transaction && ds->CommitTransaction() != OGRERR_NONE) {
            throw InputError(path + ": commit failed" + gdal_message());
        }
        ds.reset(); // close (flush) before the check and the rename
        if (CPLGetLastErrorType() == CE_Failure) {
            throw InputError(path + ": write failed" + gdal_message());
        }
    }
    verify_written(staged.temp(), path, expected);
    staged.commit();
}

void write_units(const std::string& path,
                 const PolygonSet& geometry,
                 const std::vector<OutputField>& fields,
                 const WriteOptions& options) {
    OutputLayer l;
    l.name = options.layer.empty() ? fs::path(path).stem().string() : options.layer;
    l.geometry = &geometry;
    l.fields = fields;
    write_layers(path, {l}, options);
}

void import_to_gpkg(const std::string& source,
                    const std::string& layer,
                    const std::string& out_path,
                    OutputPolicy policy,
                    const ProgressFn& progress) {
    policy.protect(source);
    auto src = open_vector(source);
    OGRLayer* l = pick_layer(*src, source, layer);
    const fs::path final_path(out_path);
    if (final_path.extension() != ".gpkg") {
        throw UsageError(out_path + ": the workspace must be a .gpkg file");
    }
    StagedFile staged(out_path, policy);
    std::vector<std::string> args = {"-f", "GPKG", "-nlt", "PROMOTE_TO_MULTI", l->GetName()};
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (std::string& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    if (opts == nullptr) {
        throw InternalError("GDALVectorTranslateOptionsNew failed" + gdal_message());
    }
    struct Ctx {
        const ProgressFn* fn;
    } ctx{&progress};
    GDALVectorTranslateOptionsSetProgress(
        opts,
        [](double complete, const char*, void* data) -> int {
            const auto* c = static_cast<Ctx*>(data);
            report(*c->fn, "import", complete);
            return TRUE;
        },
        &ctx);
    GDALDatasetH src_h = GDALDataset::ToHandle(src.get());
    int usage_error = FALSE;
    GDALDatasetH out;
    {
        QuietGdal quiet;
        FixedWriteDate fixed_date;
        out = GDALVectorTranslate(staged.temp().c_str(), nullptr, 1, &src_h, opts, &usage_error);
    }
    GDALVectorTranslateOptionsFree(opts);
    if (out == nullptr) {
        throw InputError(out_path + ": import of " + source + " failed" + gdal_message());
    }
    const GIntBig features = l->GetFeatureCount(TRUE);
    GDALClose(out);
    verify_written(staged.temp(), out_path, {{l->GetName(), static_cast<std::size_t>(features)}});
    staged.commit();
}

} // namespace amsim::geo
