#pragma once
/// @file session.hpp
/// An editing session (`amsim serve`): one scenario loaded once (its base, topology and run in
/// memory), its mapping changed by a planner's edits, one new province rebuilt after each
/// (rebuild_province), with the verdicts and the staffing of the units the edit touched.
/// Answers are JSON documents for the editor's page; nothing here knows HTTP. Every edit is
/// checked before anything changes: a refused edit (EditError, with the HTTP status it
/// answers) leaves the plan as it was.
///
/// Edits: move old units into another new unit, make a new unit of them, merge two new units,
/// dissolve one into its neighbours, rename one, lock or unlock old units; undo and redo;
/// propose the unlocked units of a province again; compare with the plan as loaded or as
/// saved; save the mapping (atomically, the previous file kept) and export the run and its
/// report. Each change bumps the session's version: a request made on an older version is
/// refused (409), so two tabs cannot silently overwrite each other's work.

#include "amsim/core/error.hpp"
#include "amsim/geo/progress.hpp"
#include "amsim/sim/scenario/rules_profile.hpp"
#include "amsim/sim/scenario/scenario.hpp"

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace amsim::sim {

/// A request the session refuses, and the HTTP status that says why (400 malformed, 404
/// unknown unit or province, 409 stale version or a file changed on disk, 422 an edit the
/// plan cannot take).
class EditError : public Error {
public:
    EditError(int status, const std::string& what) : Error(what), m_status(status) {}
    [[nodiscard]] int status() const noexcept { return m_status; }

private:
    int m_status;
};

struct SessionOptions {
    Scenario scenario;  ///< as loaded (load_scenario), its base source resolved below
    std::string source; ///< the base layer's source, resolved
    RulesProfile profile;
    /// Only this new province may be opened and edited (its code, or empty for any).
    std::string province;
    std::string runs_db;     ///< the record of runs (saves are recorded there); empty = none
    std::string exports_dir; ///< where exports go; empty = "exports" beside the scenario
    geo::ProgressFn progress;
};

class EditSession {
public:
    explicit EditSession(const SessionOptions& options);
    ~EditSession();
    EditSession(const EditSession&) = delete;
    EditSession& operator=(const EditSession&) = delete;
    EditSession(EditSession&&) noexcept;
    EditSession& operator=(EditSession&&) noexcept;

    /// The scenario, its version and the provinces that may be opened, with their counts.
    [[nodiscard]] nlohmann::json overview() const;
    /// A province as the map draws it (old units' polygons and the borders between them, in
    /// longitude/latitude, simplified for the screen) with its state (see state()).
    [[nodiscard]] nlohmann::json view(const std::string& province) const;
    /// The province's state: each old unit's new unit and lock, each new unit's figures,
    /// verdict and staffing, the province's totals against its target, undo/redo depth.
    [[nodiscard]] nlohmann::json state(const std::string& province) const;
    /// Applies one edit ({"version", "province", "op", ...}: see docs/editor.md) and returns
    /// the province's new state with the new units it changed.
    nlohmann::json edit(const nlohmann::json& request);
    /// Applies a proposal for the province's unlocked units ({"version", "province",
    /// "target"?, "seed"?}), as one edit.
    nlohmann::json propose(const nlohmann::json& request);
    /// Compares the current plan of a province with the plan as loaded or as saved on disk
    /// ({"province", "with": "loaded" | "saved"}): the old units whose partners differ.
    [[nodiscard]] nlohmann::json compare(const nlohmann::json& request) const;
    /// Saves the mapping ({"version"}): written under a temporary name, renamed over the
    /// scenario's mapping (the overrides file if the scenario has one), the previous file kept
    /// as <name>.previous.csv; refused (409) if the file changed on disk since it was read.
    nlohmann::json save(const nlohmann::json& request);
    /// Writes the saved plan's run (GeoPackage), its report (HTML) and two maps (PNG: the new
    /// units, their verdicts) for a province into the exports directory ({"version",
    /// "province"}); existing files are not replaced.
    nlohmann::json export_run(const nlohmann::json& request);

    [[nodiscard]] std::uint64_t version() const;

    struct Impl; ///< the session's state (src/serve/session_state.hpp)

private:
    std::unique_ptr<Impl> m;
};

} // namespace amsim::sim
