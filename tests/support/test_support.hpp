#pragma once
// Helpers for tests: ASCII-art coverages, temporary directories, the national data path.

#include "amsim/geo/polygon_set.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace amsim::test {

/// A coverage drawn as ASCII art: each letter is a unit covering that unit square; '.'
/// is empty. Rows are separated by '/' or newlines; the first row is the top (largest y).
/// Returns one part per distinct letter, in alphabetical order; each cell becomes its own
/// square polygon (so the parts are exact coverages with shared, vertex-identical edges).
/// The unit squares of a letter are merged only through dissolve, never here.
struct AsciiCoverage {
    std::vector<char> letters;
    geo::PolygonSet geometry;
};
AsciiCoverage make_coverage(const std::string& art);

/// A square polygon [x0,x1] x [y0,y1] appended as one polygon of the current part.
void add_box(geo::PolygonSet& set, double x0, double y0, double x1, double y1);

/// National data directory ($AMSIM_DATA_DIR or the configured default); empty if absent.
std::string national_data_dir();

/// A fresh temporary directory, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (m_path / name).string();
    }

private:
    std::filesystem::path m_path;
};

/// Registers GDAL drivers once per test program.
void register_gdal();

/// Writes a GeoPackage fixture as it is, invalid geometry included (amsim's own writers
/// refuse to write an invalid polygon): feature i is part i of geometry with field "code"
/// = codes[i], in the CRS given as WKT (empty: none).
void write_fixture_layer(const std::string& path,
                         const geo::PolygonSet& geometry,
                         const std::vector<std::string>& codes,
                         const std::string& crs_wkt);

/// A file's bytes (empty if it cannot be read).
[[nodiscard]] std::string slurp(const std::string& path);

/// The names in a directory, sorted (hidden ones included).
[[nodiscard]] std::vector<std::string> list_dir(const std::filesystem::path& dir);

/// A full disk, for a scope: files this process writes cannot grow past `bytes` (the file
/// size limit, with SIGXFSZ ignored, so that a write fails with EFBIG as it would with
/// ENOSPC). The limit and the signal's handling are restored on leaving.
class DiskFull {
public:
    explicit DiskFull(std::size_t bytes);
    ~DiskFull();
    DiskFull(const DiskFull&) = delete;
    DiskFull& operator=(const DiskFull&) = delete;
    DiskFull(DiskFull&&) = delete;
    DiskFull& operator=(DiskFull&&) = delete;

private:
    unsigned long long m_soft = 0;
    void (*m_handler)(int) = nullptr;
};

} // namespace amsim::test
