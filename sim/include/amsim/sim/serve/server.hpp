#pragma once
/// @file server.hpp
/// `amsim serve`: the editing session behind a small HTTP server (cpp-httplib) on the local
/// machine, serving the editor's page (its own files and Leaflet, built into the binary: no
/// file is read from disk, nothing from the internet) and a JSON API:
///
///   GET  /api/overview                 scenario, version, provinces
///   GET  /api/view?province=CODE       geometry and state of a province
///   GET  /api/state?province=CODE      state only
///   POST /api/edit                     {"version","province","op",...}: move, new, merge,
///                                      dissolve, rename, lock, undo, redo
///   POST /api/propose                  {"version","province","target"?,"seed"?}
///   POST /api/compare                  {"province","with":"loaded"|"saved"}
///   POST /api/save                     {"version"}
///   POST /api/export                   {"version","province"}
///
/// A refused request is answered with its status (400, 403, 404, 409, 413, 415, 422) and
/// {"error": "..."}; the plan is unchanged. Requests are served one at a time on the session.
/// Only requests addressed to the server's own host name are answered (a web page elsewhere
/// cannot reach it through DNS rebinding), and POST bodies must be JSON (a page elsewhere
/// cannot send one without the browser asking first, which the server never allows).

#include "amsim/sim/serve/session.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace amsim::sim {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8765; ///< 0: any free port
    std::size_t max_body = std::size_t{1} << 20;
};

class EditServer {
public:
    EditServer(EditSession& session, const ServeOptions& options);
    ~EditServer();
    EditServer(const EditServer&) = delete;
    EditServer& operator=(const EditServer&) = delete;
    EditServer(EditServer&&) = delete;
    EditServer& operator=(EditServer&&) = delete;

    /// Binds the address; returns the port (InputError if it cannot be bound).
    int bind();
    /// Serves until stop() (from another thread).
    void listen();
    void stop();
    [[nodiscard]] std::string address() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// One built-in file of the editor's page.
struct WebAsset {
    const char* path;
    const char* type;
    const char* body;
    std::size_t size;
};
/// The built-in files (generated at build time from sim/web and Leaflet).
[[nodiscard]] const WebAsset* find_web_asset(const std::string& path);

} // namespace amsim::sim
