#pragma once
/// @file run_file.hpp
/// A run's GeoPackage: the one place that knows its schema. write_run_file() writes a run's
/// tables (communes and provinces with their polygons, the mapping, the national summary,
/// the rules applied, the staffing tables and the provenance); RunFile reads them back for
/// reports, maps and comparisons. Adding an output column is a change in run_file.cpp only;
/// a reader asking for a column the file lacks gets an InputError naming the file.

#include "amsim/geo/layer_jobs.hpp"
#include "amsim/geo/output_file.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/run.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace amsim::sim {

/// The tables of a run's GeoPackage.
enum class RunTableId {
    communes,
    provinces,
    mapping,
    national_summary,
    rules_profile,
    staffing,
    staffing_roadmap,
    staffing_provinces,
    staffing_assumptions,
    offices,
    office_links,
    provenance,
};

[[nodiscard]] const char* table_name(RunTableId id);

/// Writes a run (with its staffing tables if it has them) to a GeoPackage. `inputs` are the
/// checksummed inputs for the provenance table; the policy says what may be replaced.
void write_run_file(const std::string& path,
                    const Run& run,
                    const Scenario& scenario,
                    const RulesProfile& profile,
                    const std::vector<RecordedInput>& inputs,
                    const geo::OutputPolicy& policy);

/// Cells of a run's table, in the file's types (null as monostate).
struct RunTable {
    std::vector<std::string> header;
    std::vector<std::vector<geo::AttributeValue>> rows;
};

/// A cell as text: integers as such, reals to 12 significant digits, null as "".
[[nodiscard]] std::string cell_text(const geo::AttributeValue& v);

/// A run's new communes as stored, for maps: their polygons and topology (neighbours), and
/// per unit the figures maps colour by.
struct StoredCommunes {
    geo::LoadedLayer layer; ///< code, name, province (parent) of each unit
    std::vector<std::optional<double>> population_pct, area_pct, seat_distance_km, surplus;
    std::vector<std::optional<double>> density; ///< people per km2, where the population is known
    std::vector<bool> evaluated, waived, meets_standard;
    /// Of a waived unit: whether it would meet the standard; null when its figures are unknown.
    std::vector<std::optional<bool>> meets_anyway;
};

/// A run's GeoPackage opened read-only; throws InputError if it is not a run of amsim.
class RunFile {
public:
    explicit RunFile(std::string path);
    ~RunFile();
    RunFile(const RunFile&) = delete;
    RunFile& operator=(const RunFile&) = delete;

    [[nodiscard]] const std::string& path() const { return m_path; }
    /// The provenance table as key -> value.
    [[nodiscard]] std::map<std::string, std::string> provenance() const;
    /// A table's rows (in their stored order), all columns or the ones named.
    [[nodiscard]] RunTable read(RunTableId table,
                                const std::vector<std::string>& columns = {}) const;
    [[nodiscard]] StoredCommunes communes() const;
    /// The new provinces' polygons, codes and names.
    [[nodiscard]] geo::UnitLayer provinces() const;

private:
    std::string m_path;
    struct Db;
    std::unique_ptr<Db> m_db;
};

} // namespace amsim::sim
