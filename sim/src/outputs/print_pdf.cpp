// An HTML page printed to PDF by headless Chromium, run as a separate process.

#include "amsim/core/error.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <vector>

#include "report_parts.hpp"

extern char** environ; // NOLINT: POSIX

namespace amsim::sim::report_parts {

namespace {

namespace fs = std::filesystem;

/// $AMSIM_CHROMIUM, else the first of Chromium's names on the PATH; empty if none.
std::string find_chromium() {
    if (const char* env = std::getenv("AMSIM_CHROMIUM"); env != nullptr && *env != '\0') {
        return env;
    }
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
    std::vector<std::string> list;
    for (std::string d; std::getline(dirs, d, ':');) {
        list.push_back(d);
    }
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        for (const std::string& d : list) {
            const fs::path p = fs::path(d) / name;
            if (!d.empty() && access(p.c_str(), X_OK) == 0) {
                return p.string();
            }
        }
    }
    return "";
}

/// A directory of our own under the system's temporary directory, removed at the end.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "amsim-print-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) {
            throw InputError("cannot make a temporary directory in " +
                             fs::temp_directory_path().string());
        }
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

std::string print_pdf(const std::string& html) {
    const std::string chromium = find_chromium();
    if (chromium.empty()) {
        throw InputError("printing a PDF needs Chromium, which is not installed: install the "
                         "Debian package chromium (bash scripts/setup.sh does), or set "
                         "AMSIM_CHROMIUM to its path; the report as HTML needs nothing");
    }
    const TempDir dir;
    const fs::path page = dir.path() / "page.html", pdf = dir.path() / "out.pdf",
                   log = dir.path() / "chromium.log";
    std::ofstream(page, std::ios::binary) << html;
    // A profile of its own (no lock on the user's), no header or footer of Chromium's (the
    // page numbers are the page's own), no sandbox (it refuses to start as root in one).
    std::vector<std::string> args = {chromium,
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--no-first-run",
                                     "--user-data-dir=" + (dir.path() / "profile").string(),
                                     "--no-pdf-header-footer",
                                     "--print-to-pdf=" + pdf.string(),
                                     "file://" + page.string()};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (std::string& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = 0;
    const int spawned =
        posix_spawn(&pid, chromium.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        throw InputError(chromium + ": cannot start it to print the PDF");
    }
    // At most 10 minutes: a national annex of 3,321 units prints in well under one.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            throw InputError(chromium + ": printing the PDF took more than 10 minutes");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::string bytes = fs::exists(pdf) ? slurp(pdf) : std::string();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !bytes.starts_with("%PDF")) {
        std::string said = slurp(log);
        if (said.size() > 2000) {
            said = said.substr(said.size() - 2000);
        }
        throw InputError(chromium + ": could not print the PDF:\n" + said);
    }
    return bytes;
}

} // namespace amsim::sim::report_parts
