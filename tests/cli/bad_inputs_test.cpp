// The corpus of bad inputs (tests/bad_inputs/*.case): each case runs amsim on a workspace
// made from the four-commune fixture plus the case's own files, and checks the exit code,
// the message, and that nothing was lost or left behind. The format is in
// tests/bad_inputs/README.md.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

/// One run of amsim in a case.
struct Step {
    std::vector<std::string> args;
    std::string exit = "0"; ///< a code, or "killed"
    std::vector<std::string> messages;
    std::vector<std::string> absent; ///< text the output must not contain
    std::vector<std::pair<std::string, std::string>> env;
    long fsize = -1;     ///< file size limit in bytes (a full disk), -1 = none
    bool nobody = false; ///< run as an unprivileged user (permissions are real for root too)
};

struct Case {
    std::string name;
    std::string path;
    std::vector<Step> steps;
    std::map<std::string, std::string> files; ///< workspace path -> bytes
    std::vector<std::string> creates;         ///< files the steps may leave (prefix match)
    std::vector<std::string> changes;         ///< files the steps may change
    std::vector<std::pair<std::string, std::string>> modes; ///< chmod before the steps
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string trim(const std::string& s) {
    const std::size_t a = s.find_first_not_of(" \t\r");
    if (a == std::string::npos) {
        return {};
    }
    return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

/// "\xNN", "\n", "\t", "\r" and "\\" in an escaped section.
std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 >= s.size()) {
            out += s[i];
            continue;
        }
        const char c = s[++i];
        if (c == 'x' && i + 2 < s.size() + 1) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else if (c == 'n') {
            out += '\n';
        } else if (c == 't') {
            out += '\t';
        } else if (c == 'r') {
            out += '\r';
        } else {
            out += c;
        }
    }
    return out;
}

/// Splits a command line on spaces; double quotes group ("a b" is one argument).
std::vector<std::string> split_args(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false, any = false;
    for (const char c : line) {
        if (c == '"') {
            quoted = !quoted;
            any = true;
        } else if (c == ' ' && !quoted) {
            if (any) {
                out.push_back(unescape(cur));
            }
            cur.clear();
            any = false;
        } else {
            cur += c;
            any = true;
        }
    }
    if (any) {
        out.push_back(unescape(cur));
    }
    return out;
}

Case read_case(const fs::path& path) {
    Case c;
    c.path = path.string();
    c.name = path.stem().string();
    std::replace_if(
        c.name.begin(), c.name.end(), [](char ch) { return std::isalnum(ch) == 0; }, '_');
    std::istringstream in(slurp(path));
    std::string line;
    std::string section;
    bool escaped = false;
    std::string body;
    std::string fixture; // "--- NAME (fixture PATH)": the bytes of tests/fixtures/PATH
    auto end_section = [&] {
        if (!fixture.empty() && !fs::is_regular_file(fs::path(AMSIM_TEST_FIXTURES) / fixture)) {
            throw std::runtime_error(c.path + ": no fixture " + fixture);
        }
        if (!section.empty()) {
            c.files[section] = !fixture.empty() ? slurp(fs::path(AMSIM_TEST_FIXTURES) / fixture)
                                                : (escaped ? unescape(body) : body);
        }
        body.clear();
    };
    while (std::getline(in, line)) {
        if (line.rfind("--- ", 0) == 0) {
            end_section();
            section = trim(line.substr(4));
            escaped = section.size() > 10 && section.ends_with(" (escaped)");
            if (escaped) {
                section = section.substr(0, section.size() - 10);
            }
            fixture.clear();
            if (const std::size_t k = section.find(" (fixture ");
                k != std::string::npos && section.ends_with(")")) {
                fixture = section.substr(k + 10, section.size() - k - 11);
                section = section.substr(0, k);
            }
            continue;
        }
        if (!section.empty()) {
            body += line + "\n";
            continue;
        }
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) {
            throw std::runtime_error(c.path + ": no 'key:' in '" + line + "'");
        }
        const std::string key = line.substr(0, colon);
        const std::string value = trim(line.substr(colon + 1));
        if (key == "run") {
            Step step;
            step.args = split_args(value);
            c.steps.push_back(std::move(step));
        } else if (c.steps.empty() && key != "creates" && key != "changes" && key != "chmod") {
            throw std::runtime_error(c.path + ": '" + key + "' before the first 'run:'");
        } else if (key == "exit") {
            c.steps.back().exit = value;
        } else if (key == "message") {
            c.steps.back().messages.push_back(unescape(value));
        } else if (key == "absent") {
            c.steps.back().absent.push_back(unescape(value));
        } else if (key == "env") {
            const std::size_t eq = value.find('=');
            c.steps.back().env.emplace_back(value.substr(0, eq), value.substr(eq + 1));
        } else if (key == "fsize") {
            c.steps.back().fsize = std::stol(value);
        } else if (key == "user") {
            c.steps.back().nobody = value == "nobody";
        } else if (key == "creates") {
            c.creates.push_back(value);
        } else if (key == "changes") {
            c.changes.push_back(value);
        } else if (key == "chmod") {
            const std::size_t sp = value.find(' ');
            c.modes.emplace_back(value.substr(0, sp), trim(value.substr(sp + 1)));
        } else {
            throw std::runtime_error(c.path + ": unknown key '" + key + "'");
        }
    }
    end_section();
    if (c.steps.empty()) {
        throw std::runtime_error(c.path + ": no 'run:' line");
    }
    return c;
}

std::vector<Case> all_cases() {
    std::vector<Case> out;
    for (const auto& e : fs::directory_iterator(AMSIM_BAD_INPUTS)) {
        if (e.path().extension() == ".case") {
            out.push_back(read_case(e.path()));
        }
    }
    std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
    return out;
}

/// The files under a directory with their bytes (relative paths).
std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::end(it); ++it) {
        if (it->is_regular_file()) {
            out[fs::relative(it->path(), root).string()] = slurp(it->path());
        }
    }
    return out;
}

struct Outcome {
    int exit = -1;
    bool killed = false;
    std::string output;
};

Outcome run_amsim(const Step& step, const fs::path& ws, const fs::path& runs_db) {
    const fs::path log = ws.parent_path() / "output.txt";
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        ::close(fd);
        if (chdir(ws.c_str()) != 0) {
            _exit(120);
        }
        setenv("AMSIM_RUNS_DB", runs_db.c_str(), 1);
        setenv("AMSIM_DATA_DIR", (ws / "data").c_str(), 1);
        for (const auto& [k, v] : step.env) {
            setenv(k.c_str(), v.c_str(), 1);
        }
        if (step.fsize >= 0) {
            signal(SIGXFSZ, SIG_IGN);
            rlimit lim{};
            getrlimit(RLIMIT_FSIZE, &lim);
            lim.rlim_cur = static_cast<rlim_t>(step.fsize);
            setrlimit(RLIMIT_FSIZE, &lim);
        }
        if (step.nobody && getuid() == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) {
                _exit(121);
            }
        }
        std::vector<char*> argv;
        // AMSIM_TEST_BINARY runs the corpus against another build (an older amsim, say).
        const char* other = std::getenv("AMSIM_TEST_BINARY");
        std::string bin = other != nullptr && *other != '\0' ? other : AMSIM_BINARY;
        argv.push_back(bin.data());
        std::vector<std::string> args = step.args;
        for (std::string& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(bin.c_str(), argv.data());
        _exit(122);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Outcome o;
    o.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    o.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.output = slurp(log);
    return o;
}

bool listed(const std::vector<std::string>& prefixes, const std::string& file) {
    return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) {
        return file.rfind(p, 0) == 0;
    });
}

/// gtest prints a case by its name (gtest looks for this name).
// NOLINTNEXTLINE(readability-identifier-naming)
[[maybe_unused]] void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
}

class BadInput : public testing::TestWithParam<Case> {};

TEST_P(BadInput, FailsCleanlyAndLosesNothing) {
    const Case& c = GetParam();
    SCOPED_TRACE(c.path);
    std::random_device rd;
    const fs::path root =
        fs::temp_directory_path() / ("amsim-bad-" + std::to_string(rd()) + std::to_string(rd()));
    const fs::path ws = root / "ws";
    fs::create_directories(ws / "scenario");
    // The workspace: the four-commune fixture, then the case's own files over it.
    const fs::path fix = AMSIM_TEST_FIXTURES;
    fs::copy_file(fix / "geo/four_communes.geojson", ws / "base.geojson");
    fs::copy_file(fix / "geo/groups.csv", ws / "groups.csv");
    for (const char* f : {"mapping.csv", "staffing.csv", "capitals.csv"}) {
        fs::copy_file(fix / "scenarios/four_communes" / f, ws / "scenario" / f);
    }
    std::string toml = slurp(fix / "scenarios/four_communes/scenario.toml");
    const std::string from = "\"../../geo/four_communes.geojson\"";
    toml.replace(toml.find(from), from.size(), "\"../base.geojson\"");
    std::ofstream(ws / "scenario/scenario.toml", std::ios::binary) << toml;
    for (const auto& [file, bytes] : c.files) {
        fs::create_directories((ws / file).parent_path());
        std::ofstream(ws / file, std::ios::binary) << bytes;
    }
    for (const auto& [mode, file] : c.modes) {
        fs::permissions(ws / file, static_cast<fs::perms>(std::stoi(mode, nullptr, 8)));
    }
    if (std::any_of(c.steps.begin(), c.steps.end(), [](const Step& s) { return s.nobody; })) {
        // An unprivileged user must reach the workspace, and the amsim binary.
        fs::permissions(root, fs::perms::all);
        fs::permissions(ws, fs::perms::all);
        for (auto it = fs::recursive_directory_iterator(ws); it != fs::end(it); ++it) {
            const bool chmodded = std::any_of(c.modes.begin(), c.modes.end(), [&](const auto& m) {
                return fs::equivalent(ws / m.second, it->path());
            });
            if (!chmodded) {
                fs::permissions(it->path(), fs::perms::all);
            }
        }
    }
    const std::map<std::string, std::string> before = snapshot(ws);
    for (std::size_t k = 0; k < c.steps.size(); ++k) {
        const Step& step = c.steps[k];
        SCOPED_TRACE("step " + std::to_string(k + 1));
        const Outcome o = run_amsim(step, ws, root / "runs.sqlite");
        if (step.exit == "killed") {
            EXPECT_TRUE(o.killed) << o.output;
        } else {
            EXPECT_FALSE(o.killed);
            EXPECT_EQ(std::to_string(o.exit), step.exit) << o.output;
        }
        for (const std::string& m : step.messages) {
            EXPECT_NE(o.output.find(m), std::string::npos) << "expected '" << m << "' in:\n"
                                                           << o.output;
        }
        for (const std::string& m : step.absent) {
            EXPECT_EQ(o.output.find(m), std::string::npos) << "unexpected '" << m << "' in:\n"
                                                           << o.output;
        }
        // Never an internal error for an input's fault.
        EXPECT_EQ(o.output.find("internal error"), std::string::npos) << o.output;
    }
    // Nothing lost: every file is as it was (unless the case says it may change) ...
    fs::permissions(ws, fs::perms::owner_all, fs::perm_options::add);
    for (auto it = fs::recursive_directory_iterator(ws); it != fs::end(it); ++it) {
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add);
    }
    const std::map<std::string, std::string> after = snapshot(ws);
    for (const auto& [file, bytes] : before) {
        if (listed(c.changes, file)) {
            continue;
        }
        const auto it = after.find(file);
        EXPECT_TRUE(it != after.end()) << file << " was lost";
        if (it != after.end()) {
            EXPECT_TRUE(it->second == bytes) << file << " was changed";
        }
    }
    // ... and nothing left behind but what the case lists.
    for (const auto& [file, bytes] : after) {
        EXPECT_TRUE(before.contains(file) || listed(c.creates, file)) << file << " was left behind";
    }
    // Nor anything outside the workspace (a name used as a path would write there).
    for (const auto& e : fs::directory_iterator(root)) {
        const std::string name = e.path().filename().string();
        EXPECT_TRUE(name == "ws" || name == "output.txt" || name.rfind("runs.sqlite", 0) == 0)
            << name << " was written outside the workspace";
    }
    std::error_code ec;
    fs::remove_all(root, ec);
}

INSTANTIATE_TEST_SUITE_P(Corpus,
                         BadInput,
                         testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& p) { return p.param.name; });

} // namespace
