#include "amsim/sim/run/mapping_table.hpp"

namespace amsim::sim {

std::vector<geo::OutputField> mapping_table(const Scenario& scenario,
                                            const ScenarioCheck& check,
                                            const Base& base,
                                            const std::string& province) {
    using K = geo::OutputField::Kind;
    std::vector<geo::OutputField> f = {{"old_code", K::string, {}},
                                       {"old_official_code", K::string, {}},
                                       {"old_name", K::string, {}},
                                       {"old_district", K::string, {}},
                                       {"old_province", K::string, {}},
                                       {"new_code", K::string, {}},
                                       {"new_name", K::string, {}},
                                       {"new_type", K::string, {}},
                                       {"new_province", K::string, {}},
                                       {"seat", K::string, {}},
                                       {"share", K::real, {}}};
    const geo::UnitLayer& layer = base.loaded.layer;
    const auto i_official = layer.attribute_index(scenario.base.official_code_field);
    const auto i_district = layer.attribute_index(scenario.base.district_field);
    const auto i_province = layer.attribute_index(scenario.base.province_name_field);
    auto attribute = [&](std::size_t u,
                         const std::optional<std::size_t>& i,
                         const std::string& field) {
        return i && !field.empty() ? geo::to_text(layer.units[u].attributes[*i]) : std::string();
    };
    for (const MappingRow& m : scenario.mapping) {
        const auto p = check.province_of_new.find(m.new_code);
        const std::string new_province = p != check.province_of_new.end() ? p->second : "";
        if (!province.empty() && new_province != province) {
            continue;
        }
        const auto it = base.unit_of_code.find(m.old_code);
        const std::size_t u = it != base.unit_of_code.end() ? it->second : layer.units.size();
        const bool known = u < layer.units.size();
        const std::string old_province_name =
            known ? attribute(u, i_province, scenario.base.province_name_field) : "";
        f[0].values.emplace_back(m.old_code);
        f[1].values.emplace_back(known ? attribute(u, i_official, scenario.base.official_code_field)
                                       : "");
        f[2].values.emplace_back(known ? layer.units[u].name : "");
        f[3].values.emplace_back(known ? attribute(u, i_district, scenario.base.district_field)
                                       : "");
        f[4].values.emplace_back(old_province_name.empty() && known ? layer.units[u].parent_code
                                                                    : old_province_name);
        f[5].values.emplace_back(m.new_code);
        f[6].values.emplace_back(m.new_name);
        f[7].values.emplace_back(std::string(to_string(m.new_type)));
        f[8].values.emplace_back(new_province);
        f[9].values.emplace_back(m.seat);
        f[10].values.emplace_back(m.share);
    }
    return f;
}

} // namespace amsim::sim
