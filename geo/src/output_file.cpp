#include "amsim/geo/output_file.hpp"

#include "amsim/core/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace amsim::geo {

namespace fs = std::filesystem;

std::string os_error(const std::string& path, const char* action, int error) {
    return path + ": " + action + ": " + std::strerror(error);
}

namespace {

/// The files a dataset at path is made of: a Shapefile has sidecars.
std::vector<std::string> sidecar_extensions(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    if (ext == ".shp") {
        return {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"};
    }
    return {};
}

std::vector<fs::path> dataset_files(const fs::path& path) {
    std::vector<fs::path> out{path};
    for (const std::string& ext : sidecar_extensions(path)) {
        fs::path p = path;
        p.replace_extension(ext);
        out.push_back(p);
    }
    return out;
}

bool alive(long pid) {
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH);
}

/// The process id in a temporary's name (".x.amsim-tmp-<pid>-<n>.ext", or the older
/// ".x.tmp<pid>.ext"), or 0 if the name is not one of ours.
long temp_owner(const std::string& name) {
    if (name.empty() || name[0] != '.') {
        return 0;
    }
    for (const char* marker : {".amsim-tmp-", ".tmp"}) {
        std::size_t at = name.rfind(marker);
        while (at != std::string::npos) {
            const std::size_t digits = at + std::strlen(marker);
            std::size_t end = digits;
            while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end])) != 0) {
                ++end;
            }
            const bool tail_ok = end == name.size() || name[end] == '.' || name[end] == '-';
            if (end > digits && tail_ok && end - digits < 10) {
                return std::strtol(name.substr(digits, end - digits).c_str(), nullptr, 10);
            }
            at = at == 0 ? std::string::npos : name.rfind(marker, at - 1);
        }
    }
    return 0;
}

/// Removes the temporaries that killed runs left in dir (their process is gone).
void clean_stale_temps(const fs::path& dir) noexcept {
    std::error_code ec;
    fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec);
    if (ec) {
        return;
    }
    const long self = ::getpid();
    for (const fs::directory_entry& e : it) {
        const std::string name = e.path().filename().string();
        const long pid = temp_owner(name);
        if (pid != 0 && pid != self && !alive(pid)) {
            std::error_code ignored;
            fs::remove(e.path(), ignored);
        }
    }
}

/// Writes all of bytes to fd; false with errno set on failure.
bool write_all(int fd, std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

/// fsync of a file or directory by path; errno on failure.
bool sync_path(const fs::path& p, bool directory) {
    const int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0) {
        return false;
    }
    const bool ok = ::fsync(fd) == 0 || errno == EINVAL; // some file systems cannot sync
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

std::atomic<unsigned> next_temp{0};

} // namespace

std::string local_file_of(const std::string& source) {
    std::string s = source;
    // GDAL's virtual file systems over a local archive: the archive is the input.
    for (const char* prefix : {"/vsigzip/", "/vsizip/", "/vsitar/", "/vsi7z/", "/vsirar/"}) {
        if (s.rfind(prefix, 0) == 0) {
            s = s.substr(std::strlen(prefix));
            if (s.rfind("/vsi", 0) == 0) {
                return local_file_of(s);
            }
            // /vsizip/a.zip/inner.shp: the archive is the longest existing prefix.
            fs::path p(s);
            std::error_code ec;
            while (!p.empty() && !fs::is_regular_file(p, ec)) {
                const fs::path parent = p.parent_path();
                if (parent == p) {
                    break;
                }
                p = parent;
            }
            return fs::is_regular_file(p, ec) ? p.string() : std::string();
        }
    }
    if (s.rfind("/vsi", 0) == 0 || s.find(':') != std::string::npos) {
        return {}; // a connection string or a remote source: no local file to protect
    }
    return s;
}

void OutputPolicy::protect(const std::string& source) {
    const std::string local = local_file_of(source);
    if (local.empty()) {
        return;
    }
    inputs.push_back(local);
    // A Shapefile's sidecars are part of the input too.
    for (const std::string& ext : sidecar_extensions(local)) {
        fs::path p(local);
        p.replace_extension(ext);
        inputs.push_back(p.string());
    }
}

void check_output(const std::string& path, const OutputPolicy& policy) {
    std::error_code ec;
    const fs::path out(path);
    if (fs::is_directory(out, ec)) {
        throw InputError(path + ": is a directory (give a file name for the output)");
    }
    for (const fs::path& file : dataset_files(out)) {
        if (!fs::exists(file, ec)) {
            continue;
        }
        for (const std::string& in : policy.inputs) {
            std::error_code eq;
            if (fs::equivalent(file, in, eq)) {
                throw InputError(file.string() +
                                 ": is one of this command's inputs; amsim never writes over its "
                                 "inputs, even with --overwrite (write the output elsewhere)");
            }
        }
        if (!policy.overwrite) {
            throw InputError(file.string() + ": exists already; use --overwrite to replace it");
        }
        if (fs::is_directory(file, ec)) {
            throw InputError(file.string() + ": is a directory");
        }
    }
}

StagedFile::StagedFile(const std::string& final_path, const OutputPolicy& policy)
    : m_final(final_path) {
    const fs::path out(final_path);
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    // Make the directories on the way, remembering which, to take them back on failure.
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path d = dir; !d.empty() && !fs::exists(d, ec); d = d.parent_path()) {
        missing.push_back(d);
        if (d == d.parent_path()) {
            break;
        }
    }
    for (auto absent = missing.rbegin(); absent != missing.rend(); ++absent) {
        if (::mkdir(absent->c_str(), 0777) != 0 && errno != EEXIST) {
            const int err = errno;
            for (auto made = m_made_dirs.rbegin(); made != m_made_dirs.rend(); ++made) {
                ::rmdir(made->c_str());
            }
            throw InputError(os_error(absent->string(), "cannot create the directory", err));
        }
        m_made_dirs.push_back(absent->string());
    }
    // Checked once the directories exist: only then does a path such as "new/../x" name the
    // file it will be.
    try {
        if (!fs::is_directory(dir, ec)) {
            throw InputError(os_error(dir.string(), "cannot write into it", ENOTDIR));
        }
        check_output(final_path, policy);
    } catch (...) {
        for (auto made = m_made_dirs.rbegin(); made != m_made_dirs.rend(); ++made) {
            ::rmdir(made->c_str());
        }
        throw;
    }
    clean_stale_temps(dir);
    // The older temporary of the same output (path + ".tmp"), from before temporaries
    // named their process.
    fs::remove(final_path + ".tmp", ec);
    m_temp = (dir / ("." + out.stem().string() + ".amsim-tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(next_temp++) + out.extension().string()))
                 .string();
    remove_temp();
}

StagedFile::~StagedFile() {
    if (!m_committed) {
        remove_temp();
        for (auto made = m_made_dirs.rbegin(); made != m_made_dirs.rend(); ++made) {
            ::rmdir(made->c_str()); // only if empty
        }
    }
}

void StagedFile::remove_temp() noexcept {
    for (const fs::path& p : dataset_files(m_temp)) {
        std::error_code ec;
        fs::remove(p, ec);
    }
    for (const char* journal : {"-journal", "-wal", "-shm"}) {
        std::error_code ec;
        fs::remove(m_temp + journal, ec);
    }
}

void StagedFile::write(std::string_view bytes) {
    const int fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        throw InputError(os_error(m_final, "cannot write", errno));
    }
    bool ok = write_all(fd, bytes);
    int err = errno;
    if (ok && ::fsync(fd) != 0 && errno != EINVAL) {
        ok = false;
        err = errno;
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        remove_temp();
        throw InputError(os_error(m_final, "cannot write", err));
    }
}

void StagedFile::commit() {
    const std::vector<fs::path> temps = dataset_files(m_temp);
    const std::vector<fs::path> finals = dataset_files(m_final);
    std::error_code ec;
    for (const fs::path& t : temps) {
        if (fs::exists(t, ec) && !sync_path(t, false)) {
            throw InputError(os_error(m_final, "cannot write (sync to disk)", errno));
        }
    }
    fault_point("output-staged");
    // A Shapefile's sidecars the new one lacks must not stay beside it.
    for (std::size_t i = 1; i < finals.size(); ++i) {
        if (!fs::exists(temps[i], ec)) {
            fs::remove(finals[i], ec);
        }
    }
    // The main file last: until it is in place, the output is the old one (or none).
    for (std::size_t k = temps.size(); k-- > 0;) {
        if (!fs::exists(temps[k], ec)) {
            continue;
        }
        if (::rename(temps[k].c_str(), finals[k].c_str()) != 0) {
            throw InputError(os_error(finals[k].string(), "cannot rename into place", errno));
        }
    }
    m_committed = true;
    const fs::path dir =
        fs::path(m_final).has_parent_path() ? fs::path(m_final).parent_path() : fs::path(".");
    sync_path(dir, true); // durability of the rename; nothing to undo if it fails
    fault_point("output-renamed");
}

void write_file(const std::string& path, std::string_view bytes, const OutputPolicy& policy) {
    StagedFile f(path, policy);
    f.write(bytes);
    f.commit();
}

OutputSet::OutputSet(OutputPolicy policy) : m_policy(std::move(policy)) {}

OutputSet::~OutputSet() {
    // Uncommitted files go in reverse order, so that directories made for the first are
    // empty when it goes.
    while (!m_files.empty()) {
        m_files.pop_back();
    }
}

void OutputSet::add(const std::string& path, std::string_view bytes) {
    for (const auto& f : m_files) {
        if (fs::path(f->path()).lexically_normal() == fs::path(path).lexically_normal()) {
            throw InternalError(path + ": written twice by one command");
        }
    }
    auto f = std::make_unique<StagedFile>(path, m_policy);
    f->write(bytes);
    m_files.push_back(std::move(f));
}

void OutputSet::commit() {
    for (const auto& f : m_files) {
        f->commit();
    }
}

std::vector<std::string> OutputSet::paths() const {
    std::vector<std::string> out;
    for (const auto& f : m_files) {
        out.push_back(f->path());
    }
    return out;
}

void fault_point(const char* name) noexcept {
    const char* at = std::getenv("AMSIM_FAULT");
    if (at != nullptr && std::strcmp(at, name) == 0) {
        ::raise(SIGKILL);
    }
}

} // namespace amsim::geo
