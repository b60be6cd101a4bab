// The schema of a run's GeoPackage, written and read here only.

#include "amsim/sim/run/run_file.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/qgis_style.hpp"
#include "amsim/sim/outputs/layer_styles.hpp"
#include "amsim/sim/run/summary.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>

namespace amsim::sim {

namespace {

using geo::AttributeValue;
using geo::OutputField;
using K = OutputField::Kind;

AttributeValue opt(const std::optional<double>& v) {
    return v ? AttributeValue(*v) : AttributeValue(std::monostate{});
}

AttributeValue count(std::size_t n) {
    return static_cast<std::int64_t>(n);
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const std::string& s : v) {
        out += (out.empty() ? "" : sep) + s;
    }
    return out;
}

/// How far a computed figure is from the figures table's, in % of the table's.
std::optional<double> difference_pct(double computed, const std::optional<double>& given) {
    return given && *given > 0 ? std::optional<double>(100 * (computed - *given) / *given)
                               : std::nullopt;
}

/// Where a unit's judged population comes from.
std::string population_source(const Run& run,
                              const std::optional<double>& figures,
                              const std::optional<double>& base,
                              bool by_area) {
    if (figures) {
        return run.figures_label;
    }
    if (!base) {
        return "unknown";
    }
    return by_area ? run.population_label + " (a divided unit's by area: estimate)"
                   : run.population_label;
}

/// A column of a table written from rows of type Row.
template <class Row>
struct Column {
    const char* name;
    K kind;
    std::function<AttributeValue(const Row&)> get;
};

/// The judged area and population of a unit (a commune or a province), their sources, and
/// the computed figures beside them with their difference.
template <class Row>
std::vector<Column<Row>> figure_columns(const Run& run) {
    return {
        {"area_km2", K::real, [](const Row& u) { return u.judged_area(); }},
        {"area_source",
         K::string,
         [&](const Row& u) { return u.area_km2_figures ? run.figures_label : "polygons"; }},
        {"area_km2_polygons", K::real, [](const Row& u) { return u.area_km2; }},
        {"area_diff_pct",
         K::real,
         [](const Row& u) { return opt(difference_pct(u.area_km2, u.area_km2_figures)); }},
        {"population", K::real, [](const Row& u) { return opt(u.judged_population()); }},
        {"population_source",
         K::string,
         [&](const Row& u) {
             return population_source(
                 run, u.population_figures, u.population, u.population_by_area);
         }},
        {"population_base_layer", K::real, [](const Row& u) { return opt(u.population); }},
        {"population_diff_pct",
         K::real,
         [](const Row& u) {
             return opt(u.population ? difference_pct(*u.population, u.population_figures)
                                     : std::nullopt);
         }},
    };
}

/// `columns` with `more` inserted before the column named `before`.
template <class Row>
std::vector<Column<Row>> with_columns(std::vector<Column<Row>> columns,
                                      std::vector<Column<Row>> more,
                                      const std::string& before) {
    auto at = std::find_if(
        columns.begin(), columns.end(), [&](const Column<Row>& c) { return before == c.name; });
    columns.insert(at, std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    return columns;
}

template <class Row>
std::vector<OutputField> fields(const std::vector<Column<Row>>& columns,
                                const std::vector<Row>& rows) {
    std::vector<OutputField> out;
    out.reserve(columns.size());
    for (const Column<Row>& c : columns) {
        OutputField f{c.name, c.kind, {}};
        f.values.reserve(rows.size());
        for (const Row& r : rows) {
            f.values.push_back(c.get(r));
        }
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<OutputField> commune_fields(const Run& run) {
    // Percentages are kept when the waiver applies: a planner still sees how far the unit is.
    auto judged = [](const NewCommune& c) { return c.verdict.evaluated || c.verdict.waived; };
    const std::vector<Column<NewCommune>> columns = {
        {"code", K::string, [](const NewCommune& c) { return c.code; }},
        {"name", K::string, [](const NewCommune& c) { return c.name; }},
        {"type", K::string, [](const NewCommune& c) { return std::string(to_string(c.type)); }},
        {"province_code", K::string, [](const NewCommune& c) { return c.province; }},
        {"predecessors", K::integer, [](const NewCommune& c) { return count(c.predecessors); }},
        {"base_units", K::integer, [](const NewCommune& c) { return count(c.base_units); }},
        {"polygons", K::integer, [](const NewCommune& c) { return count(c.polygons); }},
        {"density_per_km2", K::real, [](const NewCommune& c) { return opt(c.density()); }},
        {"polsby_popper", K::real, [](const NewCommune& c) { return c.polsby_popper; }},
        {"seat_distance_km", K::real, [](const NewCommune& c) { return opt(c.seat_distance_km); }},
        {"seat_source",
         K::string,
         [&](const NewCommune& c) {
             return !c.seat_distance_km
                        ? std::string()
                        : (c.seat_from_figures ? run.figures_label : std::string("mapping"));
         }},
        {"seat_address", K::string, [](const NewCommune& c) { return c.seat_address; }},
        {"offices", K::integer, [](const NewCommune& c) { return count(c.offices); }},
        {"offices_surplus",
         K::integer,
         [](const NewCommune& c) { return count(c.offices_surplus); }},
        {"seat_office", K::string, [](const NewCommune& c) { return c.seat_office; }},
        {"housing_staff", K::real, [](const NewCommune& c) { return opt(c.housing_staff); }},
        {"iou_official", K::real, [](const NewCommune& c) { return opt(c.iou_official); }},
        {"region", K::string, [](const NewCommune& c) { return c.region; }},
        {"region_source", K::string, [](const NewCommune& c) { return c.region_source; }},
        {"population_reduction_pct",
         K::real,
         [](const NewCommune& c) { return c.population_reduction_pct; }},
        {"standard", K::string, [](const NewCommune& c) { return c.verdict.standard; }},
        {"area_pct_of_standard",
         K::real,
         [&](const NewCommune& c) {
             return judged(c) ? AttributeValue(c.verdict.area_pct) : AttributeValue{};
         }},
        {"population_pct_of_standard",
         K::real,
         [&](const NewCommune& c) {
             return judged(c) && c.verdict.population_known
                        ? AttributeValue(c.verdict.population_pct)
                        : AttributeValue{};
         }},
        {"evaluated", K::integer, [](const NewCommune& c) { return count(c.verdict.evaluated); }},
        {"waived", K::integer, [](const NewCommune& c) { return count(c.verdict.waived); }},
        {"meets_standard", K::integer, [](const NewCommune& c) { return count(c.verdict.pass); }},
        // A waived unit judged as if it were not: whether it would meet the standard.
        {"meets_standard_anyway",
         K::integer,
         [](const NewCommune& c) {
             return c.verdict.judged_anyway ? AttributeValue(count(c.verdict.pass_anyway))
                                            : AttributeValue{};
         }},
        {"why", K::string, [](const NewCommune& c) { return c.verdict.why; }},
        {"flags", K::string, [&](const NewCommune& c) { return commune_flags(c, run); }},
    };
    return fields(with_columns(columns, figure_columns<NewCommune>(run), "density_per_km2"),
                  run.communes);
}

std::vector<OutputField> province_fields(const Run& run) {
    const std::vector<Column<NewProvince>> columns = {
        {"code", K::string, [](const NewProvince& p) { return p.code; }},
        {"name", K::string, [](const NewProvince& p) { return p.name; }},
        {"type", K::string, [](const NewProvince& p) { return p.type; }},
        {"region", K::string, [](const NewProvince& p) { return p.region; }},
        {"capital", K::string, [](const NewProvince& p) { return p.capital; }},
        {"members", K::string, [](const NewProvince& p) { return join(p.members, ";"); }},
        {"old_communes", K::integer, [](const NewProvince& p) { return count(p.old_communes); }},
        {"new_communes", K::integer, [](const NewProvince& p) { return count(p.new_communes()); }},
        {"xa", K::integer, [](const NewProvince& p) { return count(p.xa); }},
        {"phuong", K::integer, [](const NewProvince& p) { return count(p.phuong); }},
        {"dac_khu", K::integer, [](const NewProvince& p) { return count(p.dac_khu); }},
        {"reduction_pct", K::real, [](const NewProvince& p) { return p.reduction_pct(); }},
        {"offices", K::integer, [](const NewProvince& p) { return count(p.offices); }},
        {"offices_surplus",
         K::integer,
         [](const NewProvince& p) { return count(p.offices_surplus); }},
        {"housing_staff", K::real, [](const NewProvince& p) { return opt(p.housing_staff); }},
        {"communes_below_standard",
         K::integer,
         [](const NewProvince& p) { return count(p.below_standard); }},
        {"area_pct_of_standard",
         K::real,
         [](const NewProvince& p) {
             return p.verdict.evaluated ? AttributeValue(p.verdict.area_pct) : AttributeValue{};
         }},
        {"population_pct_of_standard",
         K::real,
         [](const NewProvince& p) {
             return p.verdict.evaluated && p.verdict.population_known
                        ? AttributeValue(p.verdict.population_pct)
                        : AttributeValue{};
         }},
        {"meets_standard", K::integer, [](const NewProvince& p) { return count(p.verdict.pass); }},
        {"why", K::string, [](const NewProvince& p) { return p.verdict.why; }},
        {"unconfirmed_standard",
         K::integer,
         [](const NewProvince& p) { return count(p.verdict.unconfirmed); }},
    };
    return fields(with_columns(columns, figure_columns<NewProvince>(run), "old_communes"),
                  run.provinces);
}

std::vector<OutputField> mapping_fields(const Run& run) {
    const std::vector<Column<MappedUnit>> columns = {
        {"old_code", K::string, [](const MappedUnit& m) { return m.old_code; }},
        {"old_official_code", K::string, [](const MappedUnit& m) { return m.old_official_code; }},
        {"old_name", K::string, [](const MappedUnit& m) { return m.old_name; }},
        {"old_province", K::string, [](const MappedUnit& m) { return m.old_province; }},
        {"new_code", K::string, [](const MappedUnit& m) { return m.new_code; }},
        {"new_province", K::string, [](const MappedUnit& m) { return m.new_province; }},
        {"share", K::real, [](const MappedUnit& m) { return m.share; }},
        {"takes_geometry", K::integer, [](const MappedUnit& m) { return count(m.takes_geometry); }},
    };
    return fields(columns, run.mapping);
}

std::vector<OutputField> summary_fields(const RunSummary& s, const Run& run) {
    return {{"scenario", K::string, {run.scenario}},
            {"rules_profile", K::string, {run.rules_profile}},
            {"old_communes", K::integer, {count(s.old_units)}},
            {"new_communes", K::integer, {count(s.new_units)}},
            {"reduction_pct", K::real, {s.reduction_pct}},
            {"xa", K::integer, {count(s.xa)}},
            {"phuong", K::integer, {count(s.phuong)}},
            {"dac_khu", K::integer, {count(s.dac_khu)}},
            {"old_provinces", K::integer, {count(s.old_provinces)}},
            {"new_provinces", K::integer, {count(s.new_provinces)}},
            {"communes_below_standard", K::integer, {count(s.below_standard)}},
            {"communes_waived", K::integer, {count(s.waived)}},
            {"communes_not_evaluated", K::integer, {count(s.not_evaluated)}},
            {"split_units", K::integer, {count(s.split_units)}},
            {"divided_units", K::integer, {count(s.divided_units)}},
            {"divided_parts", K::integer, {count(s.divided_parts)}},
            {"offices", K::integer, {count(s.offices)}},
            {"offices_from_table", K::integer, {count(s.offices_from_table)}},
            {"offices_kept", K::integer, {count(s.offices_kept)}},
            {"offices_surplus", K::integer, {count(s.offices_surplus)}},
            {"housing_staff", K::real, {opt(s.housing_staff)}},
            {"housing_km", K::real, {run.office_params.housing_km}}};
}

std::vector<OutputField> standard_fields(const RulesProfile& profile) {
    struct Row {
        const char* kind;
        const Standard* st;
    };
    std::vector<Row> rows;
    for (const Standard& st : profile.communes) {
        rows.push_back({"commune", &st});
    }
    for (const Standard& st : profile.provinces) {
        rows.push_back({"province", &st});
    }
    const std::vector<Column<Row>> columns = {
        {"kind", K::string, [](const Row& r) { return std::string(r.kind); }},
        {"type", K::string, [](const Row& r) { return r.st->type; }},
        {"region", K::string, [](const Row& r) { return r.st->region; }},
        {"province_class", K::string, [](const Row& r) { return r.st->province; }},
        {"min_area_km2", K::real, [](const Row& r) { return opt(r.st->area_km2); }},
        {"min_population", K::real, [](const Row& r) { return opt(r.st->population); }},
        {"unconfirmed", K::integer, [](const Row& r) { return count(r.st->unconfirmed); }},
        {"source", K::string, [](const Row& r) { return r.st->source; }},
    };
    return fields(columns, rows);
}

/// Where a run comes from: the scenario, its inputs with their SHA-256, the rules profile
/// and amsim's version (key, value rows), for maps and reports made later from the output.
std::vector<OutputField> provenance_fields(const Scenario& s,
                                           const RulesProfile& profile,
                                           const std::vector<RecordedInput>& inputs) {
    std::vector<OutputField> f = {{"key", K::string, {}}, {"value", K::string, {}}};
    auto add = [&](const std::string& k, const std::string& v) {
        f[0].values.emplace_back(k);
        f[1].values.emplace_back(v);
    };
    add("amsim_version", amsim_version());
    add("scenario_name", s.name);
    add("scenario_description", s.description);
    add("rules_profile", profile.name);
    add("base_layer", s.base.layer);
    add("base_code_field", s.base.mapping.code);
    for (const RecordedInput& in : inputs) {
        add(in.role, in.path);
        add(in.role + "_sha256", in.sha256);
    }
    return f;
}

} // namespace

const char* table_name(RunTableId id) {
    switch (id) {
    case RunTableId::communes:
        return "communes";
    case RunTableId::provinces:
        return "provinces";
    case RunTableId::mapping:
        return "mapping";
    case RunTableId::national_summary:
        return "national_summary";
    case RunTableId::rules_profile:
        return "rules_profile";
    case RunTableId::staffing:
        return "staffing";
    case RunTableId::staffing_roadmap:
        return "staffing_roadmap";
    case RunTableId::staffing_provinces:
        return "staffing_provinces";
    case RunTableId::staffing_assumptions:
        return "staffing_assumptions";
    case RunTableId::offices:
        return "offices";
    case RunTableId::office_links:
        return "office_links";
    case RunTableId::provenance:
        return "provenance";
    }
    return "?";
}

/// The offices as a point layer (styled: seat, kept, surplus) and the lines from each office
/// to its new unit's seat.
struct OfficeLayers {
    std::vector<geo::Coord> points;
    std::vector<std::vector<geo::Coord>> lines;
    std::vector<OutputField> offices, links;
    std::string style, link_style;
};

OfficeLayers office_layers(const Run& run) {
    OfficeLayers out;
    const std::vector<Column<Office>> columns = {
        {"old_code", K::string, [](const Office& o) { return o.old_code; }},
        {"old_official_code", K::string, [](const Office& o) { return o.old_official_code; }},
        {"old_name", K::string, [](const Office& o) { return o.old_name; }},
        {"old_province", K::string, [](const Office& o) { return o.old_province; }},
        {"new_code", K::string, [](const Office& o) { return o.new_code; }},
        {"province_code", K::string, [](const Office& o) { return o.province; }},
        {"role", K::string, [](const Office& o) { return std::string(role_name(o.role)); }},
        {"seat_by",
         K::string,
         [](const Office& o) { return std::string(seat_by_text(o.seat_by)); }},
        {"km_to_seat", K::real, [](const Office& o) { return o.km_to_seat; }},
        {"road_km_estimated",
         K::real,
         [&](const Office& o) { return o.km_to_seat * run.office_params.detour; }},
        {"point_source",
         K::string,
         [](const Office& o) {
             return std::string(o.from_table ? "table" : "centroid (estimated)");
         }},
        {"address", K::string, [](const Office& o) { return o.address; }},
        {"lon", K::real, [](const Office& o) { return o.point.x; }},
        {"lat", K::real, [](const Office& o) { return o.point.y; }}};
    out.offices = fields(columns, run.offices);
    std::map<std::string, geo::Coord> seat;
    for (const Office& o : run.offices) {
        out.points.push_back(o.point);
        if (o.role == Office::Role::seat) {
            seat[o.new_code] = o.point;
        }
    }
    std::vector<Office> linked;
    for (const Office& o : run.offices) {
        if (o.role != Office::Role::seat && seat.contains(o.new_code)) {
            out.lines.push_back({o.point, seat[o.new_code]});
            linked.push_back(o);
        }
    }
    out.links = fields(std::vector<Column<Office>>(columns.begin(), columns.begin() + 10), linked);
    using geo::StyleRule;
    auto marker =
        [](const char* label, const char* filter, geo::Rgb8 fill, const char* shape, double mm) {
            StyleRule r;
            r.label = label;
            r.filter = filter;
            r.fill = fill;
            r.kind = StyleRule::Kind::marker;
            r.marker = shape;
            r.size_mm = mm;
            return r;
        };
    out.style =
        geo::style_qml({marker("seat", "\"role\" = 'seat'", {200, 30, 30}, "star", 4),
                        marker("kept", "\"role\" = 'kept'", {40, 120, 200}, "square", 2.4),
                        marker("surplus", "\"role\" = 'surplus'", {250, 250, 250}, "circle", 2.2)});
    StyleRule line;
    line.label = "office to seat";
    line.kind = StyleRule::Kind::line;
    line.outline = {120, 120, 120};
    line.outline_mm = 0.3;
    out.link_style = geo::style_qml({line});
    return out;
}

void write_run_file(const std::string& path,
                    const Run& run,
                    const Scenario& s,
                    const RulesProfile& profile,
                    const std::vector<RecordedInput>& inputs,
                    const geo::OutputPolicy& policy) {
    geo::WriteOptions wo;
    wo.policy = policy;
    for (const RecordedInput& in : inputs) {
        wo.policy.protect(in.path);
    }
    wo.geometry_checked = true; // both layers come from dissolve_layer, which checks them
    wo.crs_wkt = run.crs_wkt;
    const geo::PolygonSet communes = commune_shapes(run);
    const geo::PolygonSet provinces = province_shapes(run);
    std::vector<geo::OutputLayer> layers = {
        {table_name(RunTableId::communes), &communes, commune_fields(run), verdict_style()},
        {table_name(RunTableId::provinces), &provinces, province_fields(run), province_style()},
        {table_name(RunTableId::mapping), nullptr, mapping_fields(run)},
        {table_name(RunTableId::national_summary), nullptr, summary_fields(summarise(run), run)},
        {table_name(RunTableId::rules_profile), nullptr, standard_fields(profile)}};
    if (run.staffing) {
        StaffingTables staff = staffing_tables(*run.staffing);
        layers.push_back({table_name(RunTableId::staffing), nullptr, std::move(staff.communes)});
        layers.push_back(
            {table_name(RunTableId::staffing_roadmap), nullptr, std::move(staff.years)});
        layers.push_back(
            {table_name(RunTableId::staffing_provinces), nullptr, std::move(staff.provinces)});
        layers.push_back(
            {table_name(RunTableId::staffing_assumptions), nullptr, std::move(staff.assumptions)});
    }
    const OfficeLayers offices = office_layers(run);
    layers.push_back({table_name(RunTableId::offices), nullptr, offices.offices, offices.style});
    layers.back().points = &offices.points;
    layers.push_back(
        {table_name(RunTableId::office_links), nullptr, offices.links, offices.link_style});
    layers.back().lines = &offices.lines;
    layers.push_back(
        {table_name(RunTableId::provenance), nullptr, provenance_fields(s, profile, inputs)});
    for (geo::OutputLayer& l : layers) {
        describe_fields(l.name, l.fields);
    }
    geo::write_layers(path, layers, wo);
}

std::string cell_text(const AttributeValue& v) {
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.12g", *d);
        return buf;
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*i);
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    return "";
}

struct RunFile::Db {
    sqlite3* db = nullptr;
    ~Db() { sqlite3_close(db); }
};

RunFile::RunFile(std::string path) : m_path(std::move(path)), m_db(std::make_unique<Db>()) {
    if (!std::filesystem::is_regular_file(m_path)) {
        throw InputError(m_path + ": no such run (write one with amsim run)");
    }
    if (sqlite3_open_v2(m_path.c_str(), &m_db->db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        throw InputError(m_path + ": cannot open");
    }
    (void)provenance(); // a file without one is not a run
}

RunFile::~RunFile() = default;

RunTable RunFile::read(RunTableId table, const std::vector<std::string>& columns) const {
    std::string sql = "SELECT ";
    if (columns.empty()) {
        sql += "*";
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
        sql += (i > 0 ? ", \"" : "\"") + columns[i] + "\"";
    }
    sql += std::string(" FROM \"") + table_name(table) + "\" ORDER BY rowid";
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(m_db->db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        throw InputError(m_path + ": not a run of amsim run, or of an older amsim (" +
                         sqlite3_errmsg(m_db->db) + ")");
    }
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    RunTable t;
    const int n = sqlite3_column_count(st);
    for (int i = 0; i < n; ++i) {
        t.header.emplace_back(sqlite3_column_name(st, i));
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        std::vector<AttributeValue> row;
        row.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(st, i)));
                break;
            case SQLITE_FLOAT:
                row.emplace_back(sqlite3_column_double(st, i));
                break;
            case SQLITE_TEXT:
                row.emplace_back(
                    std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                static_cast<std::size_t>(sqlite3_column_bytes(st, i))));
                break;
            default: // NULL, and geometry blobs (read through geo)
                row.emplace_back(std::monostate{});
            }
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::map<std::string, std::string> RunFile::provenance() const {
    std::map<std::string, std::string> out;
    for (const auto& row : read(RunTableId::provenance, {"key", "value"}).rows) {
        out[cell_text(row[0])] = cell_text(row[1]);
    }
    return out;
}

StoredCommunes RunFile::communes() const {
    StoredCommunes out;
    geo::LayerSpec spec;
    spec.source = m_path;
    spec.read.layer = table_name(RunTableId::communes);
    spec.read.mapping.code = "code";
    spec.read.mapping.name = "name";
    spec.read.mapping.parent = "province_code";
    spec.keep_geometry = true;
    out.layer = geo::load_layer(spec, nullptr);
    const geo::UnitLayer& layer = out.layer.layer;
    const auto attr = [&](const char* f) { return layer.require_attribute(f, f); };
    const auto i_pop = attr("population_pct_of_standard"), i_area = attr("area_pct_of_standard");
    const auto i_seat = attr("seat_distance_km"), i_eval = attr("evaluated");
    const auto i_density = attr("density_per_km2");
    const auto i_waived = attr("waived"), i_meets = attr("meets_standard");
    // Runs before the field: a waived unit then reads as not known.
    const auto i_anyway = layer.attribute_index("meets_standard_anyway");
    std::map<std::string, double> surplus;
    for (const auto& row : read(RunTableId::staffing, {"code", "surplus"}).rows) {
        surplus[cell_text(row[0])] = std::atof(cell_text(row[1]).c_str());
    }
    for (const geo::Unit& u : layer.units) {
        auto get = [&](const std::optional<std::size_t>& i) {
            return i ? geo::to_number(u.attributes[*i]) : std::nullopt;
        };
        out.population_pct.push_back(get(i_pop));
        out.area_pct.push_back(get(i_area));
        out.seat_distance_km.push_back(get(i_seat));
        out.density.push_back(get(i_density));
        const auto s = surplus.find(u.code);
        out.surplus.push_back(s != surplus.end() ? std::optional<double>(s->second) : std::nullopt);
        out.evaluated.push_back(get(i_eval).value_or(0) != 0);
        out.waived.push_back(get(i_waived).value_or(0) != 0);
        out.meets_standard.push_back(get(i_meets).value_or(0) != 0);
        const auto anyway = get(i_anyway);
        out.meets_anyway.push_back(anyway ? std::optional<bool>(*anyway != 0) : std::nullopt);
    }
    return out;
}

geo::UnitLayer RunFile::provinces() const {
    std::vector<geo::Diagnostic> ignored;
    geo::ReadOptions pr;
    pr.layer = table_name(RunTableId::provinces);
    pr.mapping.code = "code";
    pr.mapping.name = "name";
    return geo::read_units(m_path, pr, ignored);
}

} // namespace amsim::sim
