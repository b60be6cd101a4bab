#include "amsim/geo/layer_jobs.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/geos_context.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <set>

namespace amsim::geo {

namespace {

class Stopwatch {
public:
    double lap() {
        const auto now = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

} // namespace

namespace {

/// Replaces the topology's "#<unit index>" by "unit 'code' (feature fid)".
std::string name_units(const std::string& message, const UnitLayer& layer) {
    std::string out;
    for (std::size_t i = 0; i < message.size(); ++i) {
        std::size_t j = i + 1;
        while (message[i] == '#' && j < message.size() &&
               std::isdigit(static_cast<unsigned char>(message[j])) != 0) {
            ++j;
        }
        if (j > i + 1) {
            const std::size_t u = std::stoul(message.substr(i + 1, j - i - 1));
            if (u < layer.units.size()) {
                out += "'" + layer.units[u].code + "' (feature " +
                       std::to_string(layer.units[u].fid) + ")";
                i = j - 1;
                continue;
            }
        }
        out += message[i];
    }
    return out;
}

} // namespace

LoadedLayer load_layer(const LayerSpec& spec, const ProgressFn& progress) {
    LoadedLayer out;
    Stopwatch clock;
    ReadOptions read = spec.read;
    read.progress = progress;
    // The vertex index's memory is mapped on the other core while the layer is read.
    tbb::task_group preparing;
    VertexIndex::Storage storage;
    read.on_capacity = [&](std::size_t coords) {
        storage = VertexIndex::Storage(coords);
        preparing.run([&storage] { storage.map(); });
    };
    try {
        out.layer = read_units(spec.source, read, out.read_diagnostics);
    } catch (...) {
        preparing.wait();
        throw;
    }
    preparing.wait();
    if (spec.after_read) {
        spec.after_read(out.layer);
    }
    out.timings.emplace_back("read", clock.lap());

    out.snap_tolerance =
        spec.snap_tolerance >= 0 ? spec.snap_tolerance : (out.layer.geographic ? 1e-6 : 0.1);
    Envelope extent;
    for (const Coord& c : out.layer.geometry.coords()) {
        extent.expand(c);
    }
    try {
        out.projection = std::make_unique<EqualAreaProjection>(out.layer.crs_wkt, extent);
    } catch (const Error& e) {
        throw InputError(out.layer.source + ": layer '" + out.layer.layer_name + "': " + e.what());
    }
    TopologyOptions topt;
    topt.snap_tolerance = out.snap_tolerance;
    topt.projection = out.projection.get();
    topt.progress = progress;

    // The GEOS checks run on the other core while the topology is built. Both only read
    // the geometry. Repairs change it, so the build is speculative: it stops as soon as one
    // unit needs a repair, and is then made again from the vertex index with the repaired
    // parts indexed anew. A layer that needs no repair (the common case) is built once.
    std::atomic<bool> repair_found{false};
    ValidityFindings findings;
    // The geometry is freed (unless kept) once both the checks and the build are done with
    // it; the checks let go only if nothing is to be repaired.
    std::atomic<int> readers{2};
    auto let_go = [&] {
        if (readers.fetch_sub(1) == 1 && !spec.keep_geometry) {
            out.layer.geometry = PolygonSet();
        }
    };
    tbb::task_group checking;
    checking.run([&] {
        findings = find_invalid(out.layer, spec.repair, &repair_found);
        if (findings.repairs.empty()) {
            let_go();
        }
    });
    std::optional<Topology> topology;
    std::optional<VertexIndex> index;
    try {
        report(progress, "topology: nodes", 0);
        index.emplace(out.layer.geometry, std::move(storage));
        if (!repair_found.load()) {
            TopologyOptions speculative = topt;
            speculative.cancel = &repair_found;
            speculative.geometry_done = let_go;
            topology = Topology::build(out.layer.geometry, std::move(*index), {}, speculative);
            index.reset();
        }
    } catch (const TopologyCancelled&) {
        index.reset(); // consumed by the cancelled build
    } catch (...) {
        checking.wait();
        throw;
    }
    checking.wait();
    if (!findings.repairs.empty()) {
        topology.reset(); // built before the checks found the repairs: built on old geometry
    }
    if (!topology) {
        // The repaired units are indexed anew; the rest of the index stands.
        if (!index) {
            index.emplace(out.layer.geometry);
        }
        TopologyOptions final_options = topt;
        final_options.geometry_done = let_go;
        readers = 1;
        topology =
            Topology::build(out.layer.geometry, std::move(*index), findings.repairs, final_options);
    }
    // The geometry itself is repaired only if kept: a dissolve needs the topology only.
    out.validity = apply_repairs(out.layer, std::move(findings), spec.keep_geometry);
    out.topology = std::move(*topology);
    out.unit_area_m2 = out.topology.unit_areas();
    for (Diagnostic d : out.topology.diagnostics()) {
        d.message = name_units(d.message, out.layer);
        out.topology_findings.push_back(std::move(d));
    }
    out.timings.emplace_back("validate+topology", clock.lap());
    return out;
}

PolygonSet unit_shapes(const LoadedLayer& loaded, const std::vector<std::uint32_t>& units) {
    const PolygonSet& source = loaded.layer.geometry;
    if (source.part_count() == loaded.layer.units.size()) {
        PolygonSet out;
        for (std::uint32_t u : units) {
            for (std::uint32_t q = source.part_begin(u); q < source.part_end(u); ++q) {
                for (std::uint32_t r = source.polygon_begin(q); r < source.polygon_end(q); ++r) {
                    out.add_ring(source.ring(r));
                }
                out.end_polygon();
            }
            out.end_part();
        }
        return out;
    }
    std::vector<std::uint32_t> group(loaded.topology.unit_count(), no_unit);
    for (std::size_t i = 0; i < units.size(); ++i) {
        group[units[i]] = static_cast<std::uint32_t>(i);
    }
    return dissolve(loaded.topology, group, static_cast<std::uint32_t>(units.size())).geometry;
}

CoverageReport analyse_coverage(const LoadedLayer& loaded) {
    const Topology& topo = loaded.topology;
    const UnitLayer& layer = loaded.layer;
    CoverageReport rep;
    rep.units = layer.units.size();
    rep.vertices = topo.stats().vertices;
    for (double a : loaded.unit_area_m2) {
        rep.total_area_m2 += a;
    }

    // Everything into one group: holes are gaps, rings inside the union are overlaps.
    std::vector<std::uint32_t> all(topo.unit_count(), 0);
    DissolveOptions opt;
    opt.keep_geometry = false;
    const DissolveResult d = dissolve(topo, all, 1, opt);

    auto codes = [&](const std::vector<std::uint32_t>& units) {
        std::vector<std::string> c;
        c.reserve(units.size());
        for (std::uint32_t u : units) {
            c.push_back(layer.units[u].code);
        }
        return c;
    };
    for (const DissolvedRing& r : d.rings) {
        if (r.role == RingRole::hole) {
            rep.gaps.push_back({"gap", r.area, r.label, codes(r.units)});
            rep.gap_area_m2 += r.area;
        }
    }
    // Overlaps: every pair flagged by the topology (crossing or same-way borders) or found
    // on an overlap ring, measured exactly as the area of the pair's GEOS intersection.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates = topo.overlapping_pairs();
    for (const DissolvedRing& r : d.rings) {
        if (r.role == RingRole::overlap || r.role == RingRole::inner) {
            for (std::size_t i = 0; i < r.units.size(); ++i) {
                for (std::size_t j = i + 1; j < r.units.size(); ++j) {
                    candidates.emplace_back(r.units[i], r.units[j]);
                }
            }
        }
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    GeosContext geos;
    for (auto [a, b] : candidates) {
        const PolygonSet pair = unit_shapes(loaded, {a, b});
        GeomPtr ga = geos.to_geos(pair, 0);
        GeomPtr gb = geos.to_geos(pair, 1);
        GEOSGeometry* raw = GEOSIntersection_r(geos.handle(), ga.get(), gb.get());
        if (raw == nullptr) {
            continue; // GEOS cannot intersect this pair: left out of the list
        }
        GeomPtr inter(raw, GeomDeleter{geos.handle()});
        PolygonSet part;
        geos.append_part(inter.get(), part);
        if (part.polygon_count() == 0) {
            continue;
        }
        part.normalize_orientation();
        const double area = metric_area(*loaded.projection, part, 0);
        if (area < 0.01) {
            continue; // touching, or a sliver under a square decimetre
        }
        const Envelope e = part.part_envelope(0);
        rep.overlaps.push_back({"overlap",
                                area,
                                {(e.minx + e.maxx) / 2, (e.miny + e.maxy) / 2},
                                {layer.units[a].code, layer.units[b].code}});
    }
    // Totals from the dissolve of the whole layer: the union, and the area covered more than
    // once (counted once per extra cover), which is what every dissolve removes.
    rep.union_area_m2 = d.area.empty() ? 0 : d.area[0];
    rep.overlap_area_m2 = d.overlap_area.empty() ? 0 : d.overlap_area[0];
    auto by_area = [](const CoverageProblem& a, const CoverageProblem& b) {
        return a.area_m2 != b.area_m2
                   ? a.area_m2 > b.area_m2
                   : (a.location.x != b.location.x ? a.location.x < b.location.x
                                                   : a.location.y < b.location.y);
    };
    std::sort(rep.gaps.begin(), rep.gaps.end(), by_area);
    std::sort(rep.overlaps.begin(), rep.overlaps.end(), by_area);

    // Free arcs bound either the coverage's outline or a gap or overlap (unmatched).
    std::vector<bool> unmatched(topo.arc_count(), false);
    for (const DissolvedRing& r : d.rings) {
        if (r.role == RingRole::hole || r.role == RingRole::overlap || r.role == RingRole::inner) {
            for (std::uint32_t a : r.arcs) {
                unmatched[a] = topo.arc_right(a) == no_unit;
            }
        }
    }
    for (std::size_t a = 0; a < topo.arc_count(); ++a) {
        if (topo.arc_right(a) != no_unit) {
            continue;
        }
        if (unmatched[a]) {
            ++rep.unmatched_arcs;
            rep.unmatched_length_m += topo.arc_length(a);
        } else {
            ++rep.exterior_arcs;
        }
    }

    const auto adj = topo.adjacency();
    rep.adjacent_pairs = adj.size();
    std::vector<std::size_t> degree(topo.unit_count(), 0);
    for (const Adjacency& p : adj) {
        ++degree[p.a];
        ++degree[p.b];
        rep.shared_border_m += p.length;
    }
    for (std::size_t dgr : degree) {
        rep.max_neighbours = std::max(rep.max_neighbours, dgr);
        rep.isolated_units += dgr == 0;
    }
    rep.mean_neighbours =
        degree.empty() ? 0
                       : 2.0 * static_cast<double>(adj.size()) / static_cast<double>(degree.size());
    return rep;
}

namespace {

Grouping make_grouping(const std::vector<std::string>& key_of_unit) {
    Grouping g;
    std::set<std::string> keys(key_of_unit.begin(), key_of_unit.end());
    g.keys.assign(keys.begin(), keys.end());
    g.group_of_unit.reserve(key_of_unit.size());
    for (const std::string& k : key_of_unit) {
        g.group_of_unit.push_back(static_cast<std::uint32_t>(
            std::lower_bound(g.keys.begin(), g.keys.end(), k) - g.keys.begin()));
    }
    return g;
}

} // namespace

Grouping group_by_field(const UnitLayer& layer, const std::string& field) {
    std::vector<std::string> key_of_unit;
    key_of_unit.reserve(layer.units.size());
    std::size_t nulls = 0;
    if (field == layer.mapping.code || field == layer.mapping.parent ||
        field == layer.mapping.name || field == layer.mapping.type) {
        for (const Unit& u : layer.units) {
            const std::string& v = field == layer.mapping.code     ? u.code
                                   : field == layer.mapping.parent ? u.parent_code
                                   : field == layer.mapping.name   ? u.name
                                                                   : u.type;
            nulls += v.empty();
            key_of_unit.push_back(v);
        }
    } else {
        const auto idx = layer.attribute_index(field);
        if (!idx) {
            std::string names;
            for (const std::string& n : layer.attribute_names) {
                names += (names.empty() ? "" : ", ") + n;
            }
            throw InputError(layer.source + ": layer '" + layer.layer_name + "': no field '" +
                             field + "' to group by (fields: " + names + ")");
        }
        for (const Unit& u : layer.units) {
            std::string v = to_text(u.attributes[*idx]);
            nulls += v.empty();
            key_of_unit.push_back(std::move(v));
        }
    }
    Grouping g = make_grouping(key_of_unit);
    if (nulls > 0) {
        g.diagnostics.push_back({Severity::warning,
                                 "null_group",
                                 field,
                                 std::to_string(nulls) +
                                     " unit(s) have no value in the grouping field; they form "
                                     "the group \"\""});
    }
    return g;
}

Grouping group_by_table(const UnitLayer& layer,
                        const std::map<std::string, std::string>& table,
                        const std::string& table_name) {
    std::vector<std::string> key_of_unit;
    std::vector<std::string> missing;
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        auto it = table.find(layer.units[u].code);
        if (it == table.end()) {
            missing.push_back(layer.describe(u));
            key_of_unit.emplace_back();
        } else {
            key_of_unit.push_back(it->second);
        }
    }
    if (!missing.empty()) {
        std::string msg = table_name + ": " + std::to_string(missing.size()) +
                          " unit(s) of the layer have no group in the table, e.g. " + missing[0];
        throw InputError(msg);
    }
    Grouping g = make_grouping(key_of_unit);
    // Rows for units the layer does not have are not used: say so (a table for the whole
    // country over one province's layer is fine; a mistyped code is not).
    std::set<std::string> codes;
    for (const Unit& u : layer.units) {
        codes.insert(u.code);
    }
    std::size_t unused = 0;
    std::string example;
    for (const auto& [code, group] : table) {
        if (!codes.contains(code)) {
            if (unused++ == 0) {
                example = code;
            }
        }
    }
    if (unused > 0) {
        g.diagnostics.push_back({Severity::warning,
                                 "unused_table_row",
                                 table_name,
                                 std::to_string(unused) +
                                     " code(s) of the table are not units of the layer (e.g. '" +
                                     example + "'); their rows are not used"});
    }
    return g;
}

double metric_area(const EqualAreaProjection& projection, const PolygonSet& set, std::size_t part) {
    PolygonSet one;
    for (std::uint32_t q = set.part_begin(part); q < set.part_end(part); ++q) {
        for (std::uint32_t r = set.polygon_begin(q); r < set.polygon_end(q); ++r) {
            one.add_ring(set.ring(r));
        }
        one.end_polygon();
    }
    one.end_part();
    return projection.project(one).part_area(0);
}

namespace {

/// Union of the members of group g with GEOS: UnaryUnion; on failure MakeValid the members
/// and retry; last, snap-rounding to a grid of 1e-7 CRS units.
PolygonSet geos_union(GeosContext& geos,
                      const LoadedLayer& loaded,
                      const std::vector<std::uint32_t>& members,
                      std::string& method) {
    const UnitLayer& layer = loaded.layer;
    const PolygonSet shapes = unit_shapes(loaded, members);
    auto collect = [&](bool make_valid) {
        std::vector<GEOSGeometry*> parts;
        for (std::size_t i = 0; i < members.size(); ++i) {
            const std::uint32_t u = members[i];
            GeomPtr g = geos.to_geos(shapes, i);
            if (make_valid) {
                g = geos.own(GEOSMakeValid_r(geos.handle(), g.get()),
                             layer.describe(u) + ": MakeValid");
            }
            parts.push_back(g.release());
        }
        return geos.own(GEOSGeom_createCollection_r(geos.handle(),
                                                    GEOS_GEOMETRYCOLLECTION,
                                                    parts.data(),
                                                    static_cast<unsigned>(parts.size())),
                        "collection");
    };
    GeomPtr result;
    method = "GEOS UnaryUnion";
    {
        GeomPtr coll = collect(false);
        result.reset(GEOSUnaryUnion_r(geos.handle(), coll.get()));
        result.get_deleter().ctx = geos.handle();
    }
    if (!result) {
        method = "GEOS UnaryUnion after MakeValid (" + geos.last_message() + ")";
        GeomPtr coll = collect(true);
        result.reset(GEOSUnaryUnion_r(geos.handle(), coll.get()));
    }
    if (!result) {
        method = "GEOS UnaryUnion with snap-rounding 1e-7 (" + geos.last_message() + ")";
        GeomPtr coll = collect(true);
        result = geos.own(GEOSUnaryUnionPrec_r(geos.handle(), coll.get(), 1e-7), "union");
    }
    PolygonSet out;
    geos.append_part(result.get(), out);
    out.normalize_orientation();
    return out;
}

} // namespace

DissolvedLayer dissolve_layer(const LoadedLayer& loaded, Grouping grouping) {
    DissolvedLayer out;
    out.result = dissolve(
        loaded.topology, grouping.group_of_unit, static_cast<std::uint32_t>(grouping.keys.size()));
    const std::size_t n = grouping.keys.size();
    out.member_area_m2.assign(n, 0);
    std::vector<std::vector<std::uint32_t>> members(n);
    for (std::size_t u = 0; u < grouping.group_of_unit.size(); ++u) {
        const std::uint32_t g = grouping.group_of_unit[u];
        if (g != no_unit) {
            out.member_area_m2[g] += loaded.unit_area_m2[u];
            members[g].push_back(static_cast<std::uint32_t>(u));
        }
    }
    // Every output is checked; an invalid one is merged again by GEOS, and said so.
    // The checks run on every core; the rare repairs then run in group order.
    std::vector<std::uint8_t> valid(n, 0);
    tbb::enumerable_thread_specific<GeosContext> contexts;
    tbb::parallel_for(std::uint32_t{0}, static_cast<std::uint32_t>(n), [&](std::uint32_t g) {
        GeosContext& local = contexts.local();
        GeomPtr p = local.to_geos(out.result.geometry, g);
        valid[g] = GEOSisValid_r(local.handle(), p.get()) == 1 ? 1 : 0;
    });
    GeosContext geos;
    for (std::uint32_t g = 0; g < n; ++g) {
        if (valid[g] != 0) {
            continue;
        }
        GeomPtr p = geos.to_geos(out.result.geometry, g);
        char* reason = GEOSisValidReason_r(geos.handle(), p.get());
        const std::string why = reason != nullptr ? reason : "invalid";
        GEOSFree_r(geos.handle(), reason);
        std::string method;
        PolygonSet merged = geos_union(geos, loaded, members[g], method);
        // amsim writes no invalid geometry: a union GEOS could only make invalid is made
        // valid, and if even that fails the dissolve stops here.
        std::string fixed;
        merged = ensure_valid(geos, std::move(merged), "group '" + grouping.keys[g] + "'", fixed);
        if (!fixed.empty()) {
            method += ", then " + fixed;
        }
        out.result.geometry.replace_part(g, merged);
        out.result.area[g] =
            merged.part_count() > 0 ? metric_area(*loaded.projection, merged, 0) : 0;
        out.result.overlap_area[g] = out.member_area_m2[g] - out.result.area[g];
        out.fallback_groups.push_back(g);
        out.diagnostics.push_back({Severity::info,
                                   "dissolve_fallback",
                                   "group '" + grouping.keys[g] + "'",
                                   "arc dissolve gave an invalid polygon (" + why +
                                       ", members overlap); merged with " + method});
    }
    out.grouping = std::move(grouping);
    return out;
}

void write_dissolved(const std::string& path,
                     const LoadedLayer& loaded,
                     const DissolvedLayer& dissolved,
                     const std::string& key_field,
                     OutputPolicy policy) {
    const std::size_t n = dissolved.grouping.keys.size();
    OutputField key{key_field, OutputField::Kind::string, {}};
    OutputField members{"members", OutputField::Kind::integer, {}};
    OutputField codes{"member_codes", OutputField::Kind::string, {}};
    OutputField area{"area_km2", OutputField::Kind::real, {}};
    OutputField overlap{"overlap_km2", OutputField::Kind::real, {}};
    std::vector<std::string> member_codes(n);
    for (std::size_t u = 0; u < dissolved.grouping.group_of_unit.size(); ++u) {
        const std::uint32_t g = dissolved.grouping.group_of_unit[u];
        if (g != no_unit) {
            std::string& s = member_codes[g];
            s += (s.empty() ? "" : ",") + loaded.layer.units[u].code;
        }
    }
    for (std::size_t g = 0; g < n; ++g) {
        key.values.emplace_back(dissolved.grouping.keys[g]);
        members.values.emplace_back(static_cast<std::int64_t>(dissolved.result.members[g]));
        codes.values.emplace_back(member_codes[g]);
        area.values.emplace_back(dissolved.result.area[g] / 1e6);
        overlap.values.emplace_back(dissolved.result.overlap_area[g] / 1e6);
    }
    WriteOptions wo;
    policy.protect(loaded.layer.source);
    wo.policy = std::move(policy);
    wo.geometry_checked = true; // dissolve_layer checked every group
    wo.crs_wkt = loaded.layer.crs_wkt;
    write_units(path, dissolved.result.geometry, {key, members, codes, area, overlap}, wo);
}

} // namespace amsim::geo
