#pragma once
/// @file equal_area.hpp
/// Areas and lengths in metres from a layer in any CRS: coordinates are projected to a
/// Lambert azimuthal equal-area projection centred on the data's extent (exact areas,
/// length scale error under 0.5 % within 10 degrees of the centre).

#include "amsim/geo/polygon_set.hpp"

#include <memory>
#include <string>

namespace amsim::geo {

class EqualAreaProjection {
public:
    /// A projection for data in source_crs_wkt covering the given extent (in source units).
    EqualAreaProjection(const std::string& source_crs_wkt, const Envelope& extent);
    ~EqualAreaProjection();
    EqualAreaProjection(const EqualAreaProjection&) = delete;
    EqualAreaProjection& operator=(const EqualAreaProjection&) = delete;
    EqualAreaProjection(EqualAreaProjection&&) noexcept;
    EqualAreaProjection& operator=(EqualAreaProjection&&) noexcept;

    /// Projects a polygon set (same structure, coordinates in metres).
    [[nodiscard]] PolygonSet project(const PolygonSet& set) const;
    /// Projects coordinates in place. Longitude/latitude on WGS 84 uses the projection's
    /// closed form; any other CRS goes through PROJ.
    void project_in_place(std::vector<Coord>& coords) const;
    /// The same through PROJ for every CRS: the reference the closed form is checked against.
    void project_with_proj(std::vector<Coord>& coords) const;
    /// The PROJ string of the target projection.
    [[nodiscard]] const std::string& definition() const noexcept { return m_definition; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_definition;
};

/// Geodesic area (m^2) of part p on the WGS 84 ellipsoid, for longitude/latitude input
/// (PROJ's geod_polygonarea, the method of GDAL's geodesic area).
[[nodiscard]] double geodesic_area(const PolygonSet& lonlat, std::size_t part);

} // namespace amsim::geo
