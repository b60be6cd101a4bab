#pragma once
/// @file lookup.hpp
/// Old address to new unit (`amsim lookup`): an old unit named as a resident names it (its
/// code, or its name with its district and province, however typed), or a point, gives the
/// new unit(s) and province it now belongs to; for an old unit divided between several, each
/// part with its share. One at a time or a whole register (a table in, the same rows out).

#include "amsim/sim/run/base.hpp"
#include "amsim/sim/scenario/csv.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace amsim::sim {

/// Where (part of) an old unit went.
struct Destination {
    std::string code, name, type; ///< the new unit
    std::string province, province_name;
    double share = 1; ///< of the old unit (its area share for a part)
};

/// What a resident asks: an old unit's code, or its name (with its district and province to
/// tell namesakes apart), or a point in the base layer's CRS.
struct LookupQuery {
    std::string code;
    std::string commune, district, province;
    std::optional<double> lon, lat;
};

struct LookupAnswer {
    enum class Status { found, ambiguous, not_found };
    Status status = Status::not_found;
    std::string how; ///< "code", "legal predecessor", "name", "point"
    std::string old_code, old_name, old_district, old_province;
    std::vector<Destination> to; ///< more than one: the old unit was divided
    std::string note;            ///< why not found, or the candidates when ambiguous
};

[[nodiscard]] const char* to_string(LookupAnswer::Status s);

/// The index of a checked scenario's old units by code, name and place.
class Lookup {
public:
    Lookup(const Scenario& scenario, const ScenarioCheck& check, const Base& base);
    ~Lookup();
    Lookup(const Lookup&) = delete;
    Lookup& operator=(const Lookup&) = delete;
    Lookup(Lookup&&) noexcept;
    Lookup& operator=(Lookup&&) noexcept;

    [[nodiscard]] LookupAnswer find(const LookupQuery& query) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// A name as a lookup key: folded (case, diacritics, spaces), its title ("Xã", "Phường",
/// "Thị trấn", "Huyện", "Quận", "Tỉnh", "Thành phố", ...) dropped, and a number's leading
/// zeros ("Phường 05" = "Phường 5").
[[nodiscard]] std::string place_key(const std::string& name);

/// A register (a table with some of the columns code, commune, district, province, lon, lat,
/// in English or Vietnamese: ma, xa/phuong, huyen, tinh, kinh_do, vi_do) looked up row by row:
/// its columns, then new_code, new_name, new_type, new_province, new_province_name, match,
/// note. A divided old unit lists each part ("code (share %)"). `counts` gets the rows per
/// status.
[[nodiscard]] std::vector<geo::OutputField> lookup_table(
    const Lookup& lookup, const CsvTable& table, std::map<std::string, std::size_t>& counts);

} // namespace amsim::sim
