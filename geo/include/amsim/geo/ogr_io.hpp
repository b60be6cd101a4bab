#pragma once
/// @file ogr_io.hpp
/// Reading and writing units through GDAL/OGR. GDALAllRegister() is main()'s job.

#include "amsim/geo/diagnostic.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/geo/progress.hpp"
#include "amsim/geo/unit_layer.hpp"

#include <functional>
#include <string>
#include <vector>

namespace amsim::geo {

struct ReadOptions {
    std::string layer; ///< layer name; empty = the source's only (or first) layer
    FieldMapping mapping;
    ProgressFn progress;
    /// Called before the features are read with an upper bound on their vertices, when the
    /// source tells one (binary files), so that the caller may prepare memory meanwhile.
    std::function<void(std::size_t)> on_capacity;
};

/// Whether a source would be fetched from the network (/vsicurl/, /vsis3/, http://, a WFS
/// or OGC API service...). Local files, GDAL's archives of them and database connections
/// (PG:...) are not.
[[nodiscard]] bool network_source(const std::string& source);

/// Sources are local unless the user allows the network (amsim --allow-network): a network
/// source is then refused before GDAL opens it, and GDAL's /vsicurl/ is closed for sources
/// that name it indirectly (a VRT, say). Called once by main, like GDAL's registration.
void allow_network_sources(bool allow);

/// Reads every feature of a layer. Null or empty geometries are kept as units with an
/// empty part and reported in diagnostics; non-polygonal geometries are an InputError.
/// Throws InputError naming the source, layer, feature and field on bad input.
[[nodiscard]] UnitLayer read_units(const std::string& source,
                                   const ReadOptions& options,
                                   std::vector<Diagnostic>& diagnostics);

/// The features of a layer of polygons or of lines (a scenario's split layer): the text of
/// some fields and each feature's geometry, in the CRS `target_crs_wkt` (transformed from the
/// layer's own when they differ; empty = as read).
struct ShapeTable {
    std::string where; ///< "source: layer 'x'", for messages
    std::vector<std::int64_t> fid;
    std::vector<std::vector<std::string>> fields; ///< per feature, one per field asked for
    bool linear = false; ///< lines (LineString, MultiLineString); else polygons
    PolygonSet polygons; ///< part i = feature i, for polygons
    std::vector<std::vector<std::vector<Coord>>> lines; ///< per feature, for lines

    /// "source: layer 'x': feature F" for messages.
    [[nodiscard]] std::string describe(std::size_t feature) const;
};

/// A field read_shapes reads: an empty name, or an optional field the layer lacks, reads "".
struct ShapeField {
    std::string name;
    bool required = true;
};

/// Reads every feature of a layer of polygons or lines with the text of `fields`. A layer
/// mixing both, a point or a null geometry, a required field that is not there, or text that
/// is not UTF-8 is an InputError naming the source, layer and feature.
[[nodiscard]] ShapeTable read_shapes(const std::string& source,
                                     const std::string& layer,
                                     const std::vector<ShapeField>& fields,
                                     const std::string& target_crs_wkt);

/// The text of some fields of every feature of a layer, without its geometries (fast: for
/// codes). Per field, one value per feature in the layer's order; a missing field or text
/// that is not UTF-8 is an InputError naming the source, layer and field.
[[nodiscard]] std::vector<std::vector<std::string>> read_field_text(
    const std::string& source, const std::string& layer, const std::vector<std::string>& fields);

/// Names of the layers of a source.
[[nodiscard]] std::vector<std::string> list_layers(const std::string& source);

/// An output field and its values, one per output feature.
struct OutputField {
    enum class Kind { string, integer, real };
    std::string name;
    Kind kind = Kind::string;
    std::vector<AttributeValue> values;
    /// A GeoPackage describes its fields in `gpkg_data_columns` (the schema extension): the
    /// title a reader sees (QGIS's alias) and what the field holds; none when both are empty.
    std::string title{}, description{};
};

/// Appends one row to a table of fields: value k to field k (as many values as fields).
inline void append_row(std::vector<OutputField>& fields, std::vector<AttributeValue> row) {
    for (std::size_t k = 0; k < row.size() && k < fields.size(); ++k) {
        fields[k].values.push_back(std::move(row[k]));
    }
}

struct WriteOptions {
    std::string layer;   ///< output layer name
    OutputPolicy policy; ///< what may be replaced: --overwrite, and the inputs never
    std::string crs_wkt; ///< CRS of the geometry
    /// Every geometry was checked valid by the caller (dissolve_layer checks each group).
    /// Otherwise the writer checks them, and an invalid one is an InternalError: amsim
    /// promises every output valid, so the producer must have made it so.
    bool geometry_checked = false;
};

/// Writes part i of geometry as feature i with the given fields. The driver follows the
/// extension (.gpkg GeoPackage, .geojson/.json GeoJSON, .shp Shapefile, .fgb FlatGeobuf).
/// The file is written under a temporary name, read back to check that every feature is
/// there, and only then renamed into place (see output_file.hpp), so a failure never leaves
/// a half-written output; an existing output needs the policy's overwrite.
void write_units(const std::string& path,
                 const PolygonSet& geometry,
                 const std::vector<OutputField>& fields,
                 const WriteOptions& options);

/// One layer of a multi-layer output: polygons with fields, or (no geometry) a table.
struct OutputLayer {
    std::string name;
    const PolygonSet* geometry = nullptr; ///< part i = feature i; null = attribute table
    std::vector<OutputField> fields;      ///< without geometry, rows = values per field
    /// A GeoPackage's polygon layer carries a QGIS style (qgis_style.hpp) in `layer_styles`:
    /// this QML, or the default style when empty; a point or line layer, this QML if any.
    std::string style_qml{};
    const std::vector<Coord>* points = nullptr;             ///< point i = feature i
    const std::vector<std::vector<Coord>>* lines = nullptr; ///< line i = feature i
    /// Features: the geometry's parts, the points or the lines; else the fields' rows.
    [[nodiscard]] std::size_t rows() const {
        return geometry != nullptr ? geometry->part_count()
               : points != nullptr ? points->size()
               : lines != nullptr  ? lines->size()
                                   : (fields.empty() ? 0 : fields[0].values.size());
    }
    [[nodiscard]] bool has_geometry() const {
        return geometry != nullptr || points != nullptr || lines != nullptr;
    }
};

/// Writes several layers into one file (GeoPackage for more than one), staged like
/// write_units and in one transaction.
void write_layers(const std::string& path,
                  const std::vector<OutputLayer>& layers,
                  const WriteOptions& options);

/// Whether a path names a spreadsheet (.xlsx, .ods, any case).
[[nodiscard]] bool is_spreadsheet(const std::string& path);

/// The first sheet of a spreadsheet (.xlsx, .ods): its first row as the header, every cell as
/// text as the sheet shows it (a code typed as text keeps its leading zeros), blank rows
/// skipped. lines[i] is row i's row number in the sheet. An InputError names the file.
struct SheetTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> lines;
};
[[nodiscard]] SheetTable read_spreadsheet(const std::string& path);

/// The bytes of a spreadsheet (the format from `path`'s extension: .xlsx or .ods) holding
/// fields as one sheet: text as text cells (codes keep their zeros), numbers as numbers. The
/// same fields give the same bytes.
[[nodiscard]] std::string spreadsheet_bytes(const std::vector<OutputField>& fields,
                                            const std::string& path);

/// Converts a vector source once into a GeoPackage (fast to read later).
void import_to_gpkg(const std::string& source,
                    const std::string& layer,
                    const std::string& out_path,
                    OutputPolicy policy,
                    const ProgressFn& progress);

} // namespace amsim::geo
