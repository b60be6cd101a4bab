// amsim runs [list | show ID | compare ID ID]: the record of runs (SQLite).

#include "amsim/core/error.hpp"
#include "amsim/sim/outputs/run_record.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "../common.hpp"

namespace amsim::cli {

namespace {

nlohmann::json parse_or_text(const std::string& text) {
    if (text.empty()) {
        return nlohmann::json::object();
    }
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        return text;
    }
}

/// complete; running (pending, its process alive); unfinished (pending, its process gone:
/// killed or stopped before its record was completed; its outputs may be missing or stale).
std::string status_of(const sim::RunRecord& r) {
    if (r.status != "pending") {
        return r.status;
    }
    const bool alive = r.pid > 0 && (::kill(static_cast<pid_t>(r.pid), 0) == 0 || errno != ESRCH);
    return alive ? "running" : "unfinished";
}

nlohmann::json to_json(const sim::RunRecord& r) {
    nlohmann::json inputs = nlohmann::json::array();
    for (const sim::RecordedInput& in : r.inputs) {
        inputs.push_back(
            {{"role", in.role}, {"path", in.path}, {"sha256", in.sha256}, {"bytes", in.bytes}});
    }
    return {{"id", r.id},
            {"status", status_of(r)},
            {"started", r.started},
            {"finished", r.finished},
            {"command", r.command},
            {"scenario", r.scenario},
            {"scenario_name", r.scenario_name},
            {"rules", r.rules},
            {"version", r.version},
            {"seconds", r.seconds},
            {"parameters", parse_or_text(r.parameters)},
            {"summary", parse_or_text(r.summary)},
            {"outputs", parse_or_text(r.outputs)},
            {"timings", parse_or_text(r.timings)},
            {"inputs", inputs}};
}

/// "key: value" lines of a JSON object's scalar members (nested objects by dotted keys).
void flatten(const nlohmann::json& j,
             const std::string& prefix,
             std::map<std::string, std::string>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            flatten(v, prefix.empty() ? k : prefix + "." + k, out);
        }
    } else if (!j.is_array()) {
        out[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
    }
}

class RunsCommand : public Command {
public:
    void setup(CLI::App& app) override {
        app.add_option("action", m_action, "list (default), show or compare")
            ->check(CLI::IsMember({"list", "show", "compare"}));
        app.add_option("ids", m_ids, "Run numbers: one for show, two for compare");
        app.add_option("--limit", m_limit, "How many runs to list (default 20)")
            ->check(in_range(0, 1e9));
        app.footer("Examples:\n  amsim runs\n  amsim runs show 3\n  amsim runs compare 3 4\n"
                   "  amsim --runs-db other.sqlite --json runs list");
    }

    int run(const GlobalOptions& global) override {
        const sim::RunStore store(global.runs_db);
        if (m_action == "list") {
            if (!m_ids.empty()) {
                throw UsageError("runs list takes no run number");
            }
            const std::vector<sim::RunRecord> runs = store.list(m_limit);
            if (global.json) {
                nlohmann::json j = nlohmann::json::array();
                for (const sim::RunRecord& r : runs) {
                    j.push_back(to_json(r));
                }
                std::cout << j.dump(2) << '\n';
                return 0;
            }
            std::printf("%zu run(s) in %s, newest first\n", runs.size(), global.runs_db.c_str());
            std::size_t unfinished = 0;
            std::printf("  %4s  %-10s  %-20s  %-8s  %-28s  %-8s  %8s\n",
                        "id",
                        "status",
                        "finished (UTC)",
                        "command",
                        "scenario",
                        "rules",
                        "seconds");
            for (const sim::RunRecord& r : runs) {
                const std::string status = status_of(r);
                unfinished += status == "unfinished";
                std::printf("  %4lld  %-10s  %-20s  %-8s  %-28s  %-8s  %8.2f\n",
                            static_cast<long long>(r.id),
                            status.c_str(),
                            r.finished.empty() ? ("started " + r.started).c_str()
                                               : r.finished.c_str(),
                            r.command.c_str(),
                            r.scenario_name.c_str(),
                            r.rules.c_str(),
                            r.seconds);
            }
            if (unfinished > 0) {
                std::printf("%zu unfinished run(s): stopped before they completed; what they "
                            "meant to write may be missing or stale (amsim runs show ID lists "
                            "it)\n",
                            unfinished);
            }
            return 0;
        }
        const std::size_t want = m_action == "show" ? 1 : 2;
        if (m_ids.size() != want) {
            throw UsageError("runs " + m_action + " takes " + std::to_string(want) +
                             " run number(s); see amsim runs for the list");
        }
        std::vector<sim::RunRecord> runs;
        for (const std::int64_t id : m_ids) {
            auto r = store.get(id);
            if (!r) {
                throw InputError(global.runs_db + ": no run " + std::to_string(id) +
                                 " (amsim runs lists them)");
            }
            runs.push_back(std::move(*r));
        }
        if (m_action == "show") {
            show(global, runs[0]);
        } else {
            compare(global, runs[0], runs[1]);
        }
        return 0;
    }

private:
    static void show(const GlobalOptions& global, const sim::RunRecord& r) {
        const nlohmann::json j = to_json(r);
        if (global.json) {
            std::cout << j.dump(2) << '\n';
            return;
        }
        std::printf("run %lld: %s %s (rules %s), amsim %s\n",
                    static_cast<long long>(r.id),
                    r.command.c_str(),
                    r.scenario.c_str(),
                    r.rules.c_str(),
                    r.version.c_str());
        std::printf("  %s -> %s, %.2f s; %s\n",
                    r.started.c_str(),
                    r.finished.empty() ? "?" : r.finished.c_str(),
                    r.seconds,
                    status_of(r).c_str());
        std::printf("  inputs:\n");
        for (const sim::RecordedInput& in : r.inputs) {
            std::printf("    %-15s %s\n      sha256 %s, %lld bytes\n",
                        in.role.c_str(),
                        in.path.c_str(),
                        in.sha256.empty() ? "-" : in.sha256.c_str(),
                        static_cast<long long>(in.bytes));
        }
        for (const char* part : {"parameters", "summary", "timings", "outputs"}) {
            std::map<std::string, std::string> flat;
            flatten(j.at(part), "", flat);
            std::printf("  %s:", part);
            if (j.at(part).is_array()) {
                for (const auto& v : j.at(part)) {
                    std::printf(" %s",
                                v.is_string() ? v.get<std::string>().c_str() : v.dump().c_str());
                }
            }
            std::printf("\n");
            for (const auto& [k, v] : flat) {
                std::printf("    %s: %s\n", k.c_str(), v.c_str());
            }
        }
    }

    static void
    compare(const GlobalOptions& global, const sim::RunRecord& a, const sim::RunRecord& b) {
        std::map<std::string, std::string> fa, fb;
        for (const char* part : {"parameters", "summary"}) {
            flatten(to_json(a).at(part), part, fa);
            flatten(to_json(b).at(part), part, fb);
        }
        std::map<std::string, std::string> ia, ib;
        for (const sim::RecordedInput& in : a.inputs) {
            fa["input." + in.role] = in.sha256.empty() ? in.path : in.sha256;
        }
        for (const sim::RecordedInput& in : b.inputs) {
            fb["input." + in.role] = in.sha256.empty() ? in.path : in.sha256;
        }
        std::set<std::string> keys;
        for (const auto& [k, v] : fa) {
            keys.insert(k);
        }
        for (const auto& [k, v] : fb) {
            keys.insert(k);
        }
        nlohmann::json diff = nlohmann::json::array();
        for (const std::string& k : keys) {
            const std::string va = fa.contains(k) ? fa[k] : "", vb = fb.contains(k) ? fb[k] : "";
            if (va != vb) {
                diff.push_back({{"key", k}, {"a", va}, {"b", vb}});
            }
        }
        if (global.json) {
            std::cout << nlohmann::json{{"a", a.id}, {"b", b.id}, {"differences", diff}}.dump(2)
                      << '\n';
            return;
        }
        std::printf("run %lld (%s, %s) and run %lld (%s, %s): %zu difference(s)\n",
                    static_cast<long long>(a.id),
                    a.scenario_name.c_str(),
                    a.rules.c_str(),
                    static_cast<long long>(b.id),
                    b.scenario_name.c_str(),
                    b.rules.c_str(),
                    diff.size());
        for (const auto& d : diff) {
            std::printf("  %-40s %-24s %s\n",
                        d.at("key").get<std::string>().c_str(),
                        d.at("a").get<std::string>().c_str(),
                        d.at("b").get<std::string>().c_str());
        }
    }

    std::string m_action = "list";
    std::vector<std::int64_t> m_ids;
    std::size_t m_limit = 20;
};

} // namespace

std::unique_ptr<Command> make_runs_command() {
    return std::make_unique<RunsCommand>();
}

} // namespace amsim::cli
