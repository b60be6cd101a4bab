#include "support/test_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>

namespace amsim::test {

void add_box(geo::PolygonSet& set, double x0, double y0, double x1, double y1) {
    const std::vector<geo::Coord> ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    set.add_ring(ring);
    set.end_polygon();
}

AsciiCoverage make_coverage(const std::string& art) {
    std::vector<std::string> rows;
    std::string row;
    for (char c : art) {
        if (c == '/' || c == '\n') {
            if (!row.empty()) {
                rows.push_back(row);
            }
            row.clear();
        } else if (c != ' ') {
            row += c;
        }
    }
    if (!row.empty()) {
        rows.push_back(row);
    }
    std::map<char, std::vector<std::pair<int, int>>> cells;
    const int h = static_cast<int>(rows.size());
    for (int r = 0; r < h; ++r) {
        for (int c = 0; c < static_cast<int>(rows[static_cast<std::size_t>(r)].size()); ++c) {
            const char ch = rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
            if (ch != '.') {
                cells[ch].emplace_back(c, h - 1 - r);
            }
        }
    }
    AsciiCoverage out;
    for (const auto& [letter, list] : cells) {
        out.letters.push_back(letter);
        for (auto [x, y] : list) {
            add_box(out.geometry, x, y, x + 1, y + 1);
        }
        out.geometry.end_part();
    }
    return out;
}

std::string national_data_dir() {
    std::string dir = AMSIM_TEST_DATA_DIR;
    if (const char* env = std::getenv("AMSIM_DATA_DIR"); env != nullptr && *env != '\0') {
        dir = env;
    }
    return std::filesystem::exists(std::filesystem::path(dir) / "SOURCES.md") ? dir : std::string();
}

TempDir::TempDir() {
    std::random_device rd;
    m_path = std::filesystem::temp_directory_path() /
             ("amsim-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

void register_gdal() {
    static const bool once = [] {
        GDALAllRegister();
        return true;
    }();
    (void)once;
}

void write_fixture_layer(const std::string& path,
                         const geo::PolygonSet& geometry,
                         const std::vector<std::string>& codes,
                         const std::string& crs_wkt) {
    register_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs;
    OGRSpatialReference* srs_ptr = nullptr;
    if (!crs_wkt.empty() && srs.importFromWkt(crs_wkt.c_str()) == OGRERR_NONE) {
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        srs_ptr = &srs;
    }
    OGRLayer* layer = ds->CreateLayer("units", srs_ptr, wkbMultiPolygon, nullptr);
    OGRFieldDefn field("code", OFTString);
    layer->CreateField(&field);
    for (std::size_t p = 0; p < geometry.part_count(); ++p) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField(0, codes.at(p).c_str());
        OGRMultiPolygon multi;
        for (std::uint32_t q = geometry.part_begin(p); q < geometry.part_end(p); ++q) {
            OGRPolygon poly;
            for (std::uint32_t r = geometry.polygon_begin(q); r < geometry.polygon_end(q); ++r) {
                OGRLinearRing ring;
                for (const geo::Coord& c : geometry.ring(r)) {
                    ring.addPoint(c.x, c.y);
                }
                ring.closeRings();
                poly.addRing(&ring);
            }
            multi.addGeometry(&poly);
        }
        f->SetGeometry(&multi);
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
            throw std::runtime_error(path + ": cannot write fixture feature");
        }
    }
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> list_dir(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

DiskFull::DiskFull(std::size_t bytes) {
    rlimit lim{};
    getrlimit(RLIMIT_FSIZE, &lim);
    m_soft = lim.rlim_cur;
    m_handler = std::signal(SIGXFSZ, SIG_IGN);
    lim.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lim);
}

DiskFull::~DiskFull() {
    rlimit lim{};
    getrlimit(RLIMIT_FSIZE, &lim);
    lim.rlim_cur = m_soft;
    setrlimit(RLIMIT_FSIZE, &lim);
    std::signal(SIGXFSZ, m_handler);
}

} // namespace amsim::test
