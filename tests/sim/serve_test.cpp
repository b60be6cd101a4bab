// The editing session (amsim serve) on the four fixture communes: A (00001, NW, 12,000
// people), B (00002, NE, 9,000), C (00003, SW, 7,000), D (00004, SE, 5,000), 0.1-degree
// squares; the plan: A + B -> 00001 "Xa AB" (seat A), C + D -> 00003 "Xa CD" (seat C). A xa of
// the "other" region needs 16,000 people: AB (21,000) passes, CD (12,000, 75 %) fails.
// Then every edit by hand, its refusals with their status, and the HTTP server's answers.

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/sim/outputs/run_record.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/serve/server.hpp"
#include "amsim/sim/serve/session.hpp"
#include "amsim/sim/staffing/staffing.hpp"

#include <gtest/gtest.h>

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string fixtures = AMSIM_TEST_FIXTURES;

/// The fixture's scenario.toml, its base named by an absolute path (for a copy elsewhere).
std::string fixture_toml() {
    std::string text = geo::read_file(fixtures + "/scenarios/four_communes/scenario.toml");
    const std::string rel = "../../geo/four_communes.geojson";
    text.replace(text.find(rel), rel.size(), fixtures + "/geo/four_communes.geojson");
    return text;
}

/// A copy of the fixture scenario in a temporary directory (saves write there).
struct Fixture {
    test::TempDir dir;
    std::string toml = dir.file("scenario.toml");
    std::unique_ptr<EditSession> session;

    Fixture() {
        test::register_gdal();
        fs::copy_file(fixtures + "/scenarios/four_communes/mapping.csv", dir.file("mapping.csv"));
        std::ofstream(toml) << fixture_toml();
        session = std::make_unique<EditSession>(options());
    }
    [[nodiscard]] SessionOptions options() const {
        SessionOptions o;
        o.scenario = load_scenario(toml);
        o.source = o.scenario.base.source;
        o.profile = load_profile(o.scenario.rules, ".", default_profiles_dir());
        o.runs_db = dir.file("runs.sqlite");
        return o;
    }
    [[nodiscard]] json edit(json request) const {
        request["version"] = session->version();
        request["province"] = "N1";
        return session->edit(request);
    }
    /// The status an edit is refused with (0 if it is not).
    [[nodiscard]] int refused(json request) const {
        try {
            (void)edit(std::move(request));
        } catch (const EditError& e) {
            return e.status();
        }
        return 0;
    }
};

const json& commune(const json& state, const std::string& code) {
    for (const json& c : state.at("communes")) {
        if (c.at("code") == code) {
            return c;
        }
    }
    throw InternalError("no commune " + code);
}

double total(const json& state, const char* key) {
    double sum = 0;
    for (const json& c : state.at("communes")) {
        sum += c.at(key).get<double>();
    }
    return sum;
}

TEST(ServeSession, TheLoadedPlanJudgedAndStaffedAsAmsimStaffDoes) {
    Fixture f;
    const json s = f.session->state("N1");
    EXPECT_EQ(s.at("assign"), json({"00001", "00001", "00003", "00003"}));
    EXPECT_EQ(s.at("province").at("new_units"), 2);
    EXPECT_EQ(s.at("province").at("target"), 2);
    EXPECT_EQ(s.at("province").at("below_standard"), 1);
    EXPECT_TRUE(commune(s, "00001").at("pass").get<bool>());
    EXPECT_FALSE(commune(s, "00003").at("pass").get<bool>());
    EXPECT_DOUBLE_EQ(commune(s, "00003").at("population_pct").get<double>(), 75.0);
    EXPECT_EQ(commune(s, "00003").at("why"), "population 75% of 16000");
    // The page's words are Vietnamese; amsim's own stay beside them for scripts.
    EXPECT_EQ(commune(s, "00003").at("flags"), "region class: profile default 'other'");
    EXPECT_EQ(commune(s, "00003").at("vi").at("flags"), "vùng: mặc định của bộ quy định 'khác'");
    // Staff and norms per new unit: what the staffing model gives the same plan.
    const Scenario sc = load_scenario(f.toml);
    BaseOptions bo;
    bo.source = sc.base.source;
    const Base base = load_base(sc.base, bo);
    const StaffingReport rep =
        staff_scenario(sc, require_checked(sc, base), base.loaded, StaffingOptions{});
    ASSERT_EQ(rep.result.communes.size(), 2U);
    for (std::size_t g = 0; g < 2; ++g) {
        const json& c = commune(s, rep.codes[g]);
        EXPECT_NEAR(c.at("staff").get<double>(), rep.result.communes[g].staffed(), 0.05);
        EXPECT_EQ(c.at("norm").get<int>(), rep.result.communes[g].norm);
    }
}

TEST(ServeSession, AMoveRejudgesBothUnitsAndConservesAreaPeopleAndStaff) {
    Fixture f;
    const json before = f.session->state("N1");
    const json s = f.edit({{"op", "move"}, {"units", {"00002"}}, {"to", "00003"}});
    EXPECT_EQ(s.at("assign"), json({"00001", "00003", "00003", "00003"}));
    EXPECT_EQ(s.at("changed"), json({"00001", "00003"}));
    // A alone: 12,000 people, 75 %; B + C + D: 21,000, 131.25 %, passes.
    EXPECT_DOUBLE_EQ(commune(s, "00001").at("population").get<double>(), 12000);
    EXPECT_FALSE(commune(s, "00001").at("pass").get<bool>());
    EXPECT_DOUBLE_EQ(commune(s, "00003").at("population").get<double>(), 21000);
    EXPECT_TRUE(commune(s, "00003").at("pass").get<bool>());
    EXPECT_EQ(commune(s, "00003").at("members"), 3);
    EXPECT_EQ(commune(s, "00001").at("seat"), "00001"); // its seat stayed
    for (const char* key : {"area_km2", "population", "staff"}) {
        EXPECT_NEAR(total(s, key), total(before, key), 0.05 * 2) << key;
    }
    EXPECT_EQ(s.at("version"), 2);
    EXPECT_EQ(s.at("undo"), "move 1 unit(s) to 00003");
}

TEST(ServeSession, UndoAndRedoWalkTheEditsBackAndForth) {
    Fixture f;
    (void)f.edit({{"op", "move"}, {"units", {"00002"}}, {"to", "00003"}});
    json s = f.edit({{"op", "undo"}});
    EXPECT_EQ(s.at("assign"), json({"00001", "00001", "00003", "00003"}));
    EXPECT_EQ(s.at("province").at("below_standard"), 1);
    EXPECT_EQ(s.at("redo"), "move 1 unit(s) to 00003");
    s = f.edit({{"op", "redo"}});
    EXPECT_EQ(s.at("assign"), json({"00001", "00003", "00003", "00003"}));
    EXPECT_EQ(f.refused({{"op", "redo"}}), 422); // nothing left to redo
    (void)f.edit({{"op", "undo"}});
    (void)f.edit({{"op", "move"}, {"units", {"00003"}}, {"to", "00001"}});
    EXPECT_EQ(f.refused({{"op", "redo"}}), 422); // a new edit drops what could be redone
}

TEST(ServeSession, NewUnitMergeDissolveAndRename) {
    Fixture f;
    json s = f.edit({{"op", "new"}, {"units", {"00004"}}});
    EXPECT_EQ(s.at("assign"), json({"00001", "00001", "00003", "N1-M1"}));
    EXPECT_EQ(s.at("province").at("new_units"), 3);
    EXPECT_EQ(commune(s, "N1-M1").at("seat"), "00004");
    EXPECT_EQ(commune(s, "N1-M1").at("name"), "Xã Xa D");
    s = f.edit({{"op", "merge"}, {"unit", "00003"}, {"with", "N1-M1"}});
    EXPECT_EQ(s.at("assign"), json({"00001", "00001", "00003", "00003"}));
    // C borders A and D borders B over 0.1 degree each: dissolved, both go to 00001.
    s = f.edit({{"op", "dissolve"}, {"unit", "00003"}});
    EXPECT_EQ(s.at("assign"), json({"00001", "00001", "00001", "00001"}));
    EXPECT_DOUBLE_EQ(commune(s, "00001").at("population").get<double>(), 33000);
    // A name as typed in another normal form is stored in NFC.
    s = f.edit({{"op", "rename"}, {"unit", "00001"}, {"name", "Xa\xcc\x83 Mo\xcc\x9bi"}});
    EXPECT_EQ(commune(s, "00001").at("name"), "X\xc3\xa3 M\xc6\xa1i");
}

TEST(ServeSession, RefusedEditsSayWhyAndChangeNothing) {
    Fixture f;
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", {"00001", "00002"}}, {"to", "00003"}}), 422);
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", {"99999"}}, {"to", "00003"}}), 404);
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", {"00002"}}, {"to", "77777"}}), 404);
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", json::array()}, {"to", "00003"}}), 400);
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", {3}}, {"to", "00003"}}), 400);
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", {"00001"}}, {"to", "00001"}}), 422);
    EXPECT_EQ(f.refused({{"op", "merge"}, {"unit", "00001"}, {"with", "00001"}}), 422);
    EXPECT_EQ(f.refused({{"op", "fly"}}), 400);
    EXPECT_EQ(f.session->version(), 1U);
    try {
        f.session->edit({{"version", 1}, {"province", "N9"}, {"op", "undo"}});
        ADD_FAILURE() << "an unknown province was taken";
    } catch (const EditError& e) {
        EXPECT_EQ(e.status(), 404);
        EXPECT_NE(std::string(e.what()).find("no new province 'N9'"), std::string::npos);
    }
    try {
        f.session->edit({{"version", 7}, {"province", "N1"}, {"op", "undo"}});
        ADD_FAILURE() << "a stale version was taken";
    } catch (const EditError& e) {
        EXPECT_EQ(e.status(), 409);
    }
    EXPECT_EQ(f.session->state("N1").at("assign"), json({"00001", "00001", "00003", "00003"}));
}

TEST(ServeSession, LockedUnitsStayAndProposeKeepsThem) {
    Fixture f;
    (void)f.edit({{"op", "lock"}, {"units", {"00002", "00001"}}});
    EXPECT_EQ(f.refused({{"op", "move"}, {"units", {"00002"}}, {"to", "00003"}}), 422);
    EXPECT_EQ(f.refused({{"op", "dissolve"}, {"unit", "00001"}}), 422);
    json request = {{"version", f.session->version()}, {"province", "N1"}, {"target", 2}};
    const json s = f.session->propose(request);
    const json& assign = s.at("assign");
    EXPECT_EQ(assign[0], "00001");
    EXPECT_EQ(assign[1], "00001");
    EXPECT_EQ(s.at("province").at("new_units"), 2);
    (void)f.edit({{"op", "lock"}, {"units", {"00002"}}, {"locked", false}});
    EXPECT_EQ(f.session->state("N1").at("locked"), json({true, false, false, false}));
}

TEST(ServeSession, SaveIsCheckedAtomicKeepsThePreviousAndIsRecorded) {
    Fixture f;
    const std::string original = geo::read_file(f.dir.file("mapping.csv"));
    (void)f.edit({{"op", "move"}, {"units", {"00002"}}, {"to", "00003"}});
    EXPECT_EQ(f.session->compare({{"province", "N1"}, {"with", "loaded"}}).at("units_differing"),
              4);
    const json saved = f.session->save({{"version", f.session->version()}});
    EXPECT_EQ(saved.at("previous"), f.dir.file("mapping.previous.csv"));
    EXPECT_EQ(geo::read_file(f.dir.file("mapping.previous.csv")), original);
    // The saved scenario reads back, passes the checks, and has the edit.
    const Scenario back = load_scenario(f.toml);
    BaseOptions bo;
    bo.source = back.base.source;
    bo.topology = false;
    const Base base = load_base(back.base, bo);
    EXPECT_EQ(check_scenario(back, base.units).errors, 0U);
    for (const MappingRow& m : back.mapping) {
        EXPECT_EQ(m.new_code, m.old_code == "00001" ? "00001" : "00003") << m.old_code;
    }
    EXPECT_EQ(f.session->compare({{"province", "N1"}, {"with", "saved"}}).at("units_differing"), 0);
    EXPECT_EQ(RunStore(f.dir.file("runs.sqlite")).list(5).front().command, "serve save");
    // Another program writes the mapping: the session does not save over it.
    std::ofstream(f.dir.file("mapping.csv"), std::ios::app) << "\n";
    (void)f.edit({{"op", "undo"}});
    try {
        (void)f.session->save({{"version", f.session->version()}});
        ADD_FAILURE() << "saved over a file changed on disk";
    } catch (const EditError& e) {
        EXPECT_EQ(e.status(), 409);
    }
}

/// Opens a scenario in the editor, moves 00002 into 00003 and saves.
void move_and_save(const std::string& scenario) {
    SessionOptions o;
    o.scenario = load_scenario(scenario);
    o.source = o.scenario.base.source;
    o.profile = load_profile(o.scenario.rules, ".", default_profiles_dir());
    EditSession session(o);
    (void)session.edit({{"version", 1},
                        {"province", "N1"},
                        {"op", "move"},
                        {"units", {"00002"}},
                        {"to", "00003"}});
    (void)session.save({{"version", 2}});
}

TEST(ServeSession, AMappingKeptInASpreadsheetIsSavedAsOne) {
    test::TempDir dir;
    test::register_gdal();
    // The fixture's mapping as a planner keeps it in Excel, and the scenario naming it.
    const Scenario fixture = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    {
        std::ofstream out(dir.file("mapping.xlsx"), std::ios::binary);
        out << mapping_bytes(fixture.mapping, "mapping.xlsx");
    }
    std::string text = fixture_toml();
    text.replace(text.find("mapping.csv"), 11, "mapping.xlsx");
    std::ofstream(dir.file("scenario.toml")) << text;
    move_and_save(dir.file("scenario.toml"));
    EXPECT_TRUE(fs::exists(dir.file("mapping.previous.xlsx")));
    const Scenario back = load_scenario(dir.file("scenario.toml"));
    ASSERT_EQ(back.mapping.size(), 4U);
    EXPECT_EQ(back.mapping[1].old_code, "00002");
    EXPECT_EQ(back.mapping[1].new_code, "00003");
    EXPECT_EQ(back.mapping[1].new_name, "Xa CD");
}

TEST(ServeSession, AMappingSavedByExcelAsCsvIsSavedBackTheSameWay) {
    test::TempDir dir;
    test::register_gdal();
    // The fixture's mapping as Excel saves "Unicode Text" (UTF-16, tabs, CRLF).
    const Scenario fixture = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    CsvStyle excel;
    excel.encoding = CsvStyle::Encoding::utf16le;
    excel.separator = '\t';
    excel.crlf = true;
    std::ofstream(dir.file("mapping.csv"), std::ios::binary)
        << mapping_bytes(fixture.mapping, "mapping.csv", excel);
    std::ofstream(dir.file("scenario.toml")) << fixture_toml();
    move_and_save(dir.file("scenario.toml"));
    const std::string saved = geo::read_file(dir.file("mapping.csv"));
    const CsvStyle style = csv_style_of(saved);
    EXPECT_EQ(style.encoding, CsvStyle::Encoding::utf16le);
    EXPECT_EQ(style.separator, '\t');
    EXPECT_TRUE(style.crlf);
    const Scenario back = load_scenario(dir.file("scenario.toml"));
    ASSERT_EQ(back.mapping.size(), 4U);
    EXPECT_EQ(back.mapping[1].new_code, "00003");
    EXPECT_EQ(back.mapping[1].new_name, "Xa CD");
}

/// The HTTP server on a free port, for one test.
struct Served {
    Fixture f;
    EditServer server{*f.session, ServeOptions{"127.0.0.1", 0}};
    int port = server.bind();
    std::thread thread{[this] { server.listen(); }};
    httplib::Client client{"127.0.0.1", port};
    ~Served() {
        server.stop();
        thread.join();
    }
    httplib::Result post(const std::string& path, const std::string& body) {
        return client.Post(path, body, "application/json");
    }
};

std::string error_of(const httplib::Result& r) {
    return json::parse(r->body).at("error").get<std::string>();
}

TEST(ServeHttp, EveryEndpointAnswersItsErrorsWithAStatusAndAMessage) {
    Served s;
    ASSERT_TRUE(s.client.is_valid());
    auto r = s.client.Get("/api/overview");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(json::parse(r->body).at("provinces").size(), 1U);
    r = s.client.Get("/api/view?province=N9");
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(error_of(r).find("no new province 'N9'"), std::string::npos);
    r = s.client.Get("/api/state");
    EXPECT_EQ(r->status, 400);
    for (const char* path :
         {"/api/edit", "/api/propose", "/api/compare", "/api/save", "/api/export"}) {
        SCOPED_TRACE(path);
        r = s.post(path, "{not json");
        EXPECT_EQ(r->status, 400);
        EXPECT_EQ(error_of(r), "the request body is not a JSON object");
        r = s.client.Post(path, "{}", "text/plain");
        EXPECT_EQ(r->status, 415);
        r = s.post(path, "[1, 2]");
        EXPECT_EQ(r->status, 400);
        r = s.post(path, std::string(2U << 20U, ' '));
        EXPECT_EQ(r->status, 413);
    }
    r = s.post(
        "/api/edit",
        R"({"version":1,"province":"N1","op":"move","units":["00001","00002"],"to":"00003"})");
    EXPECT_EQ(r->status, 422);
    EXPECT_NE(error_of(r).find("would leave 00001 (Xa AB) with no unit"), std::string::npos);
    r = s.post("/api/edit",
               R"({"version":1,"province":"N1","op":"move","units":["12345"],"to":"00003"})");
    EXPECT_EQ(r->status, 404);
    EXPECT_NE(error_of(r).find("no old unit '12345'"), std::string::npos);
    r = s.post("/api/edit", R"({"province":"N1","op":"undo"})");
    EXPECT_EQ(r->status, 400);
    r = s.post("/api/propose", R"({"version":1,"province":"N1","target":0})");
    EXPECT_EQ(r->status, 400);
    r = s.post("/api/compare", R"({"province":"N1","with":"yesterday"})");
    EXPECT_EQ(r->status, 400);
    r = s.post("/api/export", R"({"version":1,"province":"N1"})");
    EXPECT_EQ(r->status, 200) << r->body; // the plan as saved: the run and its report
    const json exported = json::parse(r->body);
    EXPECT_TRUE(fs::exists(exported.at("report").get<std::string>()));
    EXPECT_TRUE(fs::exists(exported.at("run").get<std::string>()));
    for (const json& map : exported.at("maps")) {
        EXPECT_GT(fs::file_size(map.get<std::string>()), 1000U) << map;
    }
    r = s.post("/api/export", R"({"version":1,"province":"N1"})");
    EXPECT_EQ(r->status, 409); // never over an existing export
    // The plan did not change through any of it.
    EXPECT_EQ(s.f.session->version(), 1U);
}

TEST(ServeHttp, TwoTabsCannotOverwriteEachOther) {
    Served s;
    const std::string move =
        R"({"version":1,"province":"N1","op":"move","units":["00002"],"to":"00003"})";
    auto first = s.post("/api/edit", move);
    EXPECT_EQ(first->status, 200);
    auto second = s.post("/api/edit", move); // the other tab, still on version 1
    EXPECT_EQ(second->status, 409);
    EXPECT_NE(error_of(second).find("another tab or window"), std::string::npos);
    auto save = s.post("/api/save", R"({"version":1})");
    EXPECT_EQ(save->status, 409);
    auto export_unsaved = s.post("/api/export", R"({"version":2,"province":"N1"})");
    EXPECT_EQ(export_unsaved->status, 409);
    EXPECT_NE(error_of(export_unsaved).find("save the plan first"), std::string::npos);
}

TEST(ServeHttp, ServesItsOwnPageAndNothingElse) {
    Served s;
    auto r = s.client.Get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("<script src=\"/leaflet.js\">"), std::string::npos);
    EXPECT_EQ(s.client.Get("/leaflet.js")->status, 200);
    EXPECT_EQ(s.client.Get("/app.js")->get_header_value("Content-Type"),
              "text/javascript; charset=utf-8");
    for (const char* path : {"/../../etc/passwd",
                             "/%2e%2e/etc/passwd",
                             "/scenario.toml",
                             "/mapping.csv",
                             "/app.js.map"}) {
        SCOPED_TRACE(path);
        EXPECT_EQ(s.client.Get(path)->status, 404);
    }
    // A request addressed to another host name (DNS rebinding) is refused.
    httplib::Headers other = {{"Host", "evil.example:" + std::to_string(s.port)}};
    EXPECT_EQ(s.client.Get("/api/overview", other)->status, 403);
}

} // namespace
} // namespace amsim::sim
