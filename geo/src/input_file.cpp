#include "amsim/geo/input_file.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/output_file.hpp"

#include <cpl_vsi.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace amsim::geo {

std::string read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw InputError(os_error(path, "cannot read", errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw InputError(path + ": is a directory (a file was expected)");
    }
    std::string out;
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int err = errno;
            ::close(fd);
            throw InputError(os_error(path, "cannot read", err));
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

std::string read_gzip_file(const std::string& path) {
    const std::unique_ptr<VSILFILE, int (*)(VSILFILE*)> f(
        VSIFOpenL(("/vsigzip/" + path).c_str(), "rb"), VSIFCloseL);
    if (!f) {
        throw InputError(path + ": cannot open");
    }
    std::string out;
    char buf[1 << 16];
    std::size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, f.get())) > 0) {
        out.append(buf, n);
    }
    return out;
}

} // namespace amsim::geo
