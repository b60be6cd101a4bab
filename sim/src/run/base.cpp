#include "amsim/sim/run/base.hpp"

#include "amsim/geo/ogr_io.hpp"

namespace amsim::sim {

Base load_base(const BaseLayer& spec, const BaseOptions& options) {
    Base b;
    b.source = options.source;
    auto split = [&](geo::UnitLayer& layer) {
        if (spec.splits) {
            geo::report(options.progress, "split", 0);
            b.split = geo::split_units(layer, *spec.splits);
            geo::report(options.progress, "split", 1);
        }
    };
    if (options.topology) {
        geo::LayerSpec ls;
        ls.source = options.source;
        ls.read.layer = spec.layer;
        ls.read.mapping = spec.mapping;
        ls.keep_geometry = options.keep_geometry;
        ls.after_read = split;
        b.loaded = geo::load_layer(ls, options.progress);
    } else {
        geo::ReadOptions read;
        read.layer = spec.layer;
        read.mapping = spec.mapping;
        read.progress = options.progress;
        b.loaded.layer = geo::read_units(options.source, read, b.loaded.read_diagnostics);
        split(b.loaded.layer);
    }
    const geo::UnitLayer& layer = b.loaded.layer;
    b.units = old_units(layer);
    for (std::size_t u = 0; u < b.units.size(); ++u) {
        b.unit_of_code.emplace(b.units[u].code, static_cast<std::uint32_t>(u));
    }
    const auto i_pop = layer.require_attribute(spec.population_field, "population");
    const auto i_region = layer.require_attribute(spec.region_field, "region class");
    b.population.resize(b.units.size());
    b.region.resize(b.units.size());
    for (std::size_t u = 0; u < b.units.size(); ++u) {
        b.population[u] = population_of(layer, u, i_pop);
        if (i_region) {
            b.region[u] = geo::to_text(layer.units[u].attributes[*i_region]);
        }
    }
    b.population_by_area.assign(b.units.size(), false);
    if (b.split) {
        for (const geo::SplitPart& p : b.split->parts) {
            b.units[p.unit].split_of = p.split_of;
            if (p.population) {
                b.population[p.unit] = p.population;
            } else if (b.population[p.unit]) {
                *b.population[p.unit] *= p.area_fraction;
                b.population_by_area[p.unit] = true;
            }
        }
    }
    return b;
}

ScenarioCheck require_checked(const Scenario& scenario, const Base& base) {
    ScenarioCheck check = check_scenario(scenario, base.units);
    require_consistent(scenario, check);
    return check;
}

std::map<std::string, std::string> old_code_lookup(const Scenario& scenario, const Base& base) {
    std::map<std::string, std::string> out;
    const geo::UnitLayer& layer = base.loaded.layer;
    const auto official = scenario.base.official_code_field.empty()
                              ? std::nullopt
                              : layer.attribute_index(scenario.base.official_code_field);
    for (const geo::Unit& u : layer.units) {
        out.emplace(u.code, u.code);
    }
    for (const geo::Unit& u : layer.units) {
        if (official) {
            out.emplace(geo::to_text(u.attributes[*official]), u.code);
        }
    }
    return out;
}

} // namespace amsim::sim
