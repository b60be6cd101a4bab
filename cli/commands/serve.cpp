// amsim serve SCENARIO: the interactive editor. Loads the scenario once, then serves the
// editor's page and its API on the local machine until Ctrl+C (see sim/serve/server.hpp).

#include "amsim/core/error.hpp"
#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/serve/server.hpp"
#include "amsim/sim/serve/session.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include "../common.hpp"

namespace amsim::cli {

namespace {

class ServeCommand : public Command {
public:
    void setup(CLI::App& app) override {
        add_scenario_argument(app, m_path);
        app.add_option(
            "--province", m_province, "Open and edit this new province only (its code or name)");
        app.add_option("--port", m_serve.port, "Port to listen on (0: any free port)")
            ->check(CLI::Range(0, 65535));
        app.add_option(
            "--host",
            m_serve.host,
            "Address to listen on (default 127.0.0.1: this computer only; another address "
            "lets anyone on the network edit the plan)");
        app.add_option("--rules",
                       m_rules,
                       "Rules profile instead of the scenario's (a name under data/profiles, "
                       "or a TOML file)");
        app.add_option("--exports",
                       m_exports,
                       "Where the page's exports go (default: exports/ beside the scenario)");
        app.footer("Example:\n  amsim serve scenarios/vn-2025 --province 'Quảng Ninh'\n"
                   "  then open the address it prints (http://127.0.0.1:8765/) in a browser");
    }

    int run(const GlobalOptions& global) override {
        sim::SessionOptions o;
        o.scenario = open_scenario(m_path, global);
        o.profile = command_profile(o.scenario, m_rules);
        o.source = resolve_source(o.scenario.base.source, global);
        o.runs_db = global.runs_db;
        o.exports_dir = m_exports;
        o.progress = make_progress(global);
        if (!m_province.empty()) {
            o.province = sim::province_file_key(o.scenario, m_province);
            const bool known = std::any_of(o.scenario.provinces.begin(),
                                           o.scenario.provinces.end(),
                                           [&](const auto& p) { return p.code == o.province; });
            if (!known) {
                throw UsageError("--province '" + m_province + "': no new province of " +
                                 o.scenario.name + " has this code or name");
            }
        }
        // Ctrl+C and kill stop the server from a thread of their own (a signal handler may
        // not touch the server); blocked before any thread starts, so every thread inherits it.
        sigset_t stop_signals;
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
        std::fprintf(stderr,
                     "amsim serve: loading %s (the base and its topology, once)\n",
                     o.scenario.path.c_str());
        sim::EditSession session(o);
        sim::EditServer server(session, m_serve);
        server.bind();
        std::printf("amsim serve: open %s in a browser (Ctrl+C to stop)\n",
                    server.address().c_str());
        std::fflush(stdout);
        std::atomic<bool> done{false};
        std::thread waiter([&] {
            const timespec tick{0, 200'000'000};
            while (!done) {
                if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
                    server.stop();
                    return;
                }
            }
        });
        server.listen();
        done = true;
        waiter.join();
        std::fprintf(stderr,
                     "amsim serve: stopped%s\n",
                     session.overview().at("unsaved").get<bool>() ? " (unsaved edits dropped)"
                                                                  : "");
        return 0;
    }

private:
    std::string m_path, m_province, m_rules, m_exports;
    sim::ServeOptions m_serve;
};

} // namespace

std::unique_ptr<Command> make_serve_command() {
    return std::make_unique<ServeCommand>();
}

} // namespace amsim::cli
