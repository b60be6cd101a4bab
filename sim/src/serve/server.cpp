#include "amsim/sim/serve/server.hpp"

#include "amsim/core/error.hpp"

#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>

namespace amsim::sim {

namespace {

using nlohmann::json;

void answer(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(), "application/json; charset=utf-8");
}

void refuse(httplib::Response& res, int status, const std::string& why) {
    answer(res, status, json{{"error", why}});
}

} // namespace

struct EditServer::Impl {
    EditSession& session;
    ServeOptions options;
    httplib::Server http;
    std::mutex lock;
    int port = 0;

    Impl(EditSession& s, ServeOptions o) : session(s), options(std::move(o)) {}

    [[nodiscard]] bool loopback() const {
        return options.host == "127.0.0.1" || options.host == "localhost" || options.host == "::1";
    }

    /// Runs one session call under the lock, turning refusals into their status.
    void call(httplib::Response& res, const std::function<json()>& f) {
        try {
            const std::lock_guard<std::mutex> guard(lock);
            answer(res, 200, f());
        } catch (const EditError& e) {
            refuse(res, e.status(), e.what());
        } catch (const json::exception& e) {
            refuse(res, 400, std::string("bad request: ") + e.what());
        } catch (const InternalError& e) {
            refuse(res, 500, e.what());
        } catch (const Error& e) {
            refuse(res, 422, e.what());
        } catch (const std::exception& e) {
            refuse(res, 500, std::string("internal error: ") + e.what());
        }
    }

    /// A POST's body as JSON, or the refusal.
    static std::optional<json> body(const httplib::Request& req, httplib::Response& res) {
        const std::string type = req.get_header_value("Content-Type");
        if (!type.starts_with("application/json")) {
            refuse(res, 415, "send the request as JSON (Content-Type: application/json)");
            return std::nullopt;
        }
        json j = json::parse(req.body, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            refuse(res, 400, "the request body is not a JSON object");
            return std::nullopt;
        }
        return j;
    }

    void post(const char* path, std::function<json(const json&)> f) {
        http.Post(path, [this, f](const httplib::Request& req, httplib::Response& res) {
            if (const auto j = body(req, res)) {
                call(res, [&] { return f(*j); });
            }
        });
    }

    void routes() {
        http.set_payload_max_length(options.max_body);
        http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            // On this computer only, only requests addressed to it by its own name: a page
            // elsewhere cannot reach it through a name of its own (DNS rebinding). A server
            // opened to the network (--host) answers whatever name it is reached by.
            if (!loopback()) {
                return httplib::Server::HandlerResponse::Unhandled;
            }
            const std::string host = req.get_header_value("Host");
            const std::string port_part = ":" + std::to_string(port);
            if (host != options.host + port_part && host != "localhost" + port_part &&
                host != "127.0.0.1" + port_part && host != "[::1]" + port_part) {
                refuse(res, 403, "requests must be addressed to " + options.host + port_part);
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        });
        http.Get("/api/overview", [this](const httplib::Request&, httplib::Response& res) {
            call(res, [&] { return session.overview(); });
        });
        http.Get("/api/view", [this](const httplib::Request& req, httplib::Response& res) {
            call(res, [&] { return session.view(req.get_param_value("province")); });
        });
        http.Get("/api/state", [this](const httplib::Request& req, httplib::Response& res) {
            call(res, [&] { return session.state(req.get_param_value("province")); });
        });
        post("/api/edit", [this](const json& j) { return session.edit(j); });
        post("/api/propose", [this](const json& j) { return session.propose(j); });
        post("/api/compare", [this](const json& j) { return session.compare(j); });
        post("/api/save", [this](const json& j) { return session.save(j); });
        post("/api/export", [this](const json& j) { return session.export_run(j); });
        http.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
            const WebAsset* a = find_web_asset(req.path == "/" ? "/index.html" : req.path);
            if (a == nullptr) {
                refuse(res, 404, "no such page: " + req.path);
                return;
            }
            res.set_header("Cache-Control", "no-cache");
            res.set_content(a->body, a->size, a->type);
        });
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (res.body.empty()) {
                const char* why = res.status == 413   ? "the request is too large"
                                  : res.status == 404 ? "no such address"
                                                      : "the request was refused";
                refuse(res, res.status, why);
            }
        });
    }
};

EditServer::EditServer(EditSession& session, const ServeOptions& options)
    : m(std::make_unique<Impl>(session, options)) {
    m->routes();
}

EditServer::~EditServer() = default;

int EditServer::bind() {
    if (m->options.port == 0) {
        m->port = m->http.bind_to_any_port(m->options.host);
    } else if (m->http.bind_to_port(m->options.host, m->options.port)) {
        m->port = m->options.port;
    } else {
        m->port = -1;
    }
    if (m->port <= 0) {
        throw InputError("cannot listen on " + m->options.host + ":" +
                         std::to_string(m->options.port) +
                         " (in use by another program? try --port)");
    }
    return m->port;
}

void EditServer::listen() {
    m->http.listen_after_bind();
}

void EditServer::stop() {
    m->http.stop();
}

std::string EditServer::address() const {
    return "http://" + m->options.host + ":" + std::to_string(m->port) + "/";
}

} // namespace amsim::sim
