// The commands run in-process, as the binary runs them: every command refuses a bad option
// with exit code 2 and a message naming it, before it opens any file.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app.hpp"

namespace amsim::cli {
namespace {

struct Outcome {
    int code = 0;
    std::string out, err;
};

Outcome run(std::vector<std::string> args) {
    args.insert(args.begin(), "amsim");
    std::vector<const char*> argv;
    argv.reserve(args.size());
    for (const std::string& a : args) {
        argv.push_back(a.c_str());
    }
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    Outcome o;
    o.code = run_command_line(static_cast<int>(argv.size()), argv.data());
    o.out = testing::internal::GetCapturedStdout();
    o.err = testing::internal::GetCapturedStderr();
    return o;
}

TEST(Commands, VersionIsTheProjects) {
    const Outcome o = run({"--version"});
    EXPECT_EQ(o.code, 0);
    EXPECT_EQ(o.out, "amsim " AMSIM_VERSION "\n");
}

TEST(Commands, MistypedCommandGetsTheNearest) {
    EXPECT_EQ(nearest_command("rnu"), "run");
    EXPECT_EQ(nearest_command("stafff"), "staff");
    EXPECT_EQ(nearest_command("rpeort"), "report");
    EXPECT_EQ(nearest_command("prep"), "prepare-vn2025");
    EXPECT_EQ(nearest_command("xyz"), "");
    EXPECT_EQ(nearest_command("dissolvee"), "dissolve");
    const Outcome o = run({"--json", "comapre", "a", "b"});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("unknown command 'comapre'; did you mean 'compare'?"), std::string::npos)
        << o.err;
}

const std::string geo_file = AMSIM_TEST_FIXTURES "/geo/four_communes.geojson";
const std::string scenario = AMSIM_TEST_FIXTURES "/scenarios/four_communes";

/// Each command with arguments it accepts (what it needs to get past its required options).
std::vector<std::vector<std::string>> valid_commands() {
    return {{"inspect", geo_file, "--code", "code"},
            {"dissolve", geo_file, "--code", "code", "--by", "province", "-o", "o.gpkg"},
            {"check", scenario},
            {"run", scenario, "-o", "o"},
            {"staff", scenario},
            {"payout", "--decree", "178", "--kind", "early-retirement", "--coefficient", "4"},
            {"propose", scenario, "-o", "d"},
            {"compare", scenario, scenario},
            {"report", geo_file, "-o", "x.html"},
            {"map", geo_file, "-o", "m"},
            {"lookup", scenario, "--code", "00001"},
            {"serve", scenario, "--port", "0"},
            {"ensemble", scenario, "-o", "e"},
            {"export-mapping", scenario, "-o", "m.csv"},
            {"runs"},
            {"prepare-vn2025"},
            {"import", geo_file, "-o", "i.gpkg"}};
}

TEST(Commands, EveryCommandRefusesAnUnknownOption) {
    const auto commands = valid_commands();
    ASSERT_EQ(commands.size(), command_names().size());
    for (std::vector<std::string> args : commands) {
        SCOPED_TRACE(args[0]);
        args.emplace_back("--no-such-option");
        const Outcome o = run(args);
        EXPECT_EQ(o.code, 2);
        EXPECT_NE(o.err.find("not expected: --no-such-option"), std::string::npos) << o.err;
    }
}

TEST(Commands, EveryCommandHasHelpWithAnExample) {
    for (const std::string& name : command_names()) {
        SCOPED_TRACE(name);
        const Outcome o = run({name, "--help"});
        EXPECT_EQ(o.code, 0);
        EXPECT_NE(o.out.find("Example"), std::string::npos) << o.out;
    }
}

/// Option values out of range, and required options missing: usage errors naming the option.
TEST(Commands, OptionErrorsNameTheOption) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"run", scenario}, "--output is required"},
        {{"run", scenario, "-o", "x", "--list", "-1"}, "--list"},
        {{"run", "no/such/scenario", "-o", "x"}, "no/such/scenario"},
        {{"check", scenario, "--list", "x"}, "--list"},
        {{"staff", scenario, "--commune-class", "4"}, "--commune-class: '4' is outside 1 to 3"},
        {{"staff", scenario, "--district-weight", "people"}, "--district-weight"},
        {{"staff", scenario, "--retirement-rate", "1.5"}, "--retirement-rate"},
        {{"staff", scenario, "--profile", "fast"}, "--profile"},
        {{"map", geo_file}, "--output is required"},
        {{"map", geo_file, "-o", "d", "--format", "jpg"}, "--format"},
        {{"report", geo_file}, "--output is required"},
        {{"compare", scenario}, "b is required"},
        {{"propose", scenario, "-o", "d", "--reduction", "150"}, "--reduction"},
        {{"dissolve", geo_file, "--code", "code", "--by", "p"}, "--output"},
        {{"inspect", geo_file}, "--code is required"},
        {{"payout", "--decree", "999", "--kind", "early-retirement"}, "--decree"},
        {{"runs", "--limit", "-3"}, "--limit"},
        {{"import"}, "source is required"},
    };
    for (const auto& [args, option] : cases) {
        SCOPED_TRACE(args[0] + " " + option);
        const Outcome o = run(args);
        EXPECT_EQ(o.code, 2) << o.err;
        EXPECT_NE(o.err.find(option), std::string::npos) << o.err;
    }
}

} // namespace
} // namespace amsim::cli
