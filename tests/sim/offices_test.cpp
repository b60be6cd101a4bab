// The offices after a merger on the four fixture communes (0.1-degree squares; 00001 + 00002
// -> 00001 with seat 00001, 00003 + 00004 -> 00003 with seat 00003): every count and distance
// checked by hand, and the offices table's errors named by line and column.

#include "amsim/sim/run/offices.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/run/base.hpp"
#include "amsim/sim/run/run.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

const std::string fixtures = AMSIM_TEST_FIXTURES;

struct Fixture {
    Scenario scenario = load_scenario(fixtures + "/scenarios/four_communes/scenario.toml");
    RulesProfile profile = load_profile(scenario.rules, ".", default_profiles_dir());
    Base base;
    test::TempDir dir;
    Fixture() {
        test::register_gdal();
        BaseOptions bo;
        bo.source = scenario.base.source;
        base = load_base(scenario.base, bo);
        // The old communes' staff from a table: 00002 has 20, 00004 has 18.
        std::ofstream(dir.file("staff.csv"))
            << "code,cadres_civil_servants\n00001,25\n00002,20\n00003,22\n00004,18\n";
    }
    [[nodiscard]] sim::Run build(const OfficeParams& p) const {
        BuildOptions o;
        o.staffing_options.table = dir.file("staff.csv");
        o.offices = p;
        return build_run(base, scenario, require_checked(scenario, base), profile, o);
    }
    [[nodiscard]] static const Office& office(const sim::Run& r, const std::string& code) {
        for (const Office& o : r.offices) {
            if (o.old_code == code) {
                return o;
            }
        }
        throw InternalError("no office " + code);
    }
};

/// 0.1 degree of longitude at 21.05 N on the WGS 84 ellipsoid, km: the radius of the parallel
/// a cos(phi) / sqrt(1 - e2 sin2(phi)) times the angle.
double tenth_of_a_degree_km(double lat) {
    const double a = 6378.137, e2 = 0.00669437999014;
    const double phi = lat * std::numbers::pi / 180;
    return a * std::cos(phi) / std::sqrt(1 - e2 * std::sin(phi) * std::sin(phi)) * 0.1 *
           std::numbers::pi / 180;
}

TEST(Offices, EachNewUnitHasOneSeatAndTheOtherOfficesAreSurplus) {
    const Fixture f;
    const sim::Run r = f.build(OfficeParams{});
    ASSERT_EQ(r.offices.size(), 4U); // one per old unit
    // The seats the mapping names; the centroids as the offices (no table).
    const Office& a = Fixture::office(r, "00001");
    EXPECT_EQ(a.role, Office::Role::seat);
    EXPECT_EQ(a.seat_by, Office::SeatBy::mapping);
    EXPECT_FALSE(a.from_table);
    EXPECT_NEAR(a.point.x, 105.05, 1e-9);
    EXPECT_NEAR(a.point.y, 21.05, 1e-9);
    EXPECT_DOUBLE_EQ(a.km_to_seat, 0);
    const Office& b = Fixture::office(r, "00002");
    EXPECT_EQ(b.role, Office::Role::surplus);
    EXPECT_EQ(b.new_code, "00001");
    // 00002's centroid is 0.1 degree east of 00001's: 10.39 km (the projection's scale error
    // well under 0.5 %).
    EXPECT_NEAR(b.km_to_seat, tenth_of_a_degree_km(21.05), 0.02);
    EXPECT_NEAR(Fixture::office(r, "00004").km_to_seat, tenth_of_a_degree_km(20.95), 0.02);
    ASSERT_EQ(r.communes.size(), 2U);
    EXPECT_EQ(r.communes[0].offices, 2U);
    EXPECT_EQ(r.communes[0].offices_surplus, 1U);
    EXPECT_EQ(r.communes[0].seat_office, "00001");
    EXPECT_EQ(r.provinces[0].offices, 4U);
    EXPECT_EQ(r.provinces[0].offices_surplus, 2U);
    // Nobody is 20 km from the seat: no housing.
    EXPECT_DOUBLE_EQ(*r.communes[0].housing_staff, 0);
    EXPECT_DOUBLE_EQ(*r.provinces[0].housing_staff, 0);
}

TEST(Offices, StaffBeyondTheThresholdNeedHousing) {
    const Fixture f;
    OfficeParams p;
    p.housing_km = 10; // 00002 and 00004 are 10.4 km from their seats
    const sim::Run r = f.build(p);
    EXPECT_DOUBLE_EQ(*r.communes[0].housing_staff, 20); // 00002's staff
    EXPECT_DOUBLE_EQ(*r.communes[1].housing_staff, 18); // 00004's
    EXPECT_DOUBLE_EQ(*r.provinces[0].housing_staff, 38);
    p.housing_km = 10.5;
    EXPECT_DOUBLE_EQ(*f.build(p).provinces[0].housing_staff, 0);
}

TEST(Offices, ARosterCountsHousingByHomeElseOldOffice) {
    const Fixture f;
    // Who stays: a1 (home at 00001's seat), b1 (no home: 00002's office, 10.4 km from the seat
    // of 00001), b2 (assigned to 00003, home 0.3 degree east of its seat: 31 km), c1 (no home:
    // 00003's office, the seat). a2 and a3 leave; a4's post ends.
    std::ofstream(f.dir.file("roster.csv"))
        << "id,old_code,category,leave,new_code,home_lon,home_lat\n"
           "a1,00001,cán bộ,,,105.05,21.05\n"
           "a2,00001,cán bộ,nghỉ hưu trước tuổi,,,\n"
           "a3,00001,công chức,thôi việc,,,\n"
           "a4,00001,không chuyên trách,chấm dứt,,,\n"
           "b1,00002,công chức,,,,\n"
           "b2,00002,công chức,,00003,105.35,20.95\n"
           "c1,00003,cán bộ,,,,\n";
    OfficeParams p;
    p.housing_km = 9;
    sim::Run r = f.build(p);
    const RosterHousing h = roster_housing(r, f.base, f.scenario, f.dir.file("roster.csv"));
    EXPECT_EQ(h.units, 2U);
    EXPECT_EQ(h.people, 4U);
    EXPECT_EQ(h.by_home, 2U);
    EXPECT_EQ(h.need, 2U); // b1 and b2
    EXPECT_DOUBLE_EQ(*r.communes[0].housing_staff, 1);
    EXPECT_TRUE(r.communes[0].housing_from_roster);
    EXPECT_DOUBLE_EQ(*r.communes[1].housing_staff, 1);
    EXPECT_DOUBLE_EQ(*r.provinces[0].housing_staff, 2);
    // At 20 km only b2's home is beyond.
    p.housing_km = 20;
    sim::Run far = f.build(p);
    EXPECT_EQ(roster_housing(far, f.base, f.scenario, f.dir.file("roster.csv")).need, 1U);
    // A home needs both coordinates.
    std::ofstream(f.dir.file("half.csv")) << "old_code,category,home_lon\n00001,cán bộ,105\n";
    try {
        (void)roster_housing(far, f.base, f.scenario, f.dir.file("half.csv"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("half.csv:2: a home needs both home_lon and home_lat"),
                  std::string::npos);
    }
}

TEST(Offices, ThePlannersTableGivesPointsSeatsAndOfficesKept) {
    const Fixture f;
    // 00002's office is the seat of 00001 (Vietnamese, as typed); 00004's is kept.
    std::ofstream(f.dir.file("offices.csv")) << "old_code,lon,lat,role,address\n"
                                                "00002,105.12,21.02,Trụ sở,Thôn 1\n"
                                                "00004,105.15,20.95,giữ lại,\n";
    OfficeParams p;
    p.table = f.dir.file("offices.csv");
    const sim::Run r = f.build(p);
    const Office& b = Fixture::office(r, "00002");
    EXPECT_EQ(b.role, Office::Role::seat);
    EXPECT_EQ(b.seat_by, Office::SeatBy::table);
    EXPECT_TRUE(b.from_table);
    EXPECT_EQ(b.address, "Thôn 1");
    EXPECT_NEAR(b.point.x, 105.12, 1e-12);
    EXPECT_EQ(Fixture::office(r, "00001").role, Office::Role::surplus);
    EXPECT_EQ(Fixture::office(r, "00004").role, Office::Role::kept);
    EXPECT_EQ(r.communes[0].seat_office, "00002");
    EXPECT_EQ(r.communes[1].offices_surplus, 0U); // 00003 the seat, 00004 kept
    EXPECT_EQ(r.provinces[0].offices_surplus, 1U);
}

TEST(Offices, BadRowsOfTheTableAreNamedByLineAndColumn) {
    const Fixture f;
    const std::map<std::string, std::string> codes = {{"00001", "00001"}, {"00002", "00002"}};
    auto error = [&](const std::string& csv) {
        try {
            (void)read_offices(parse_csv(csv, "offices.csv"), codes);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(error("old_code,lon,lat\n00009,105,21\n"),
              "offices.csv:2, column 'old_code': '00009' is no old unit of the base");
    EXPECT_NE(error("old_code,lon,lat\n00001,205,21\n").find("offices.csv:2, column 'lon': '205'"),
              std::string::npos);
    EXPECT_EQ(error("old_code,lon,lat\n00001,,21\n"),
              "offices.csv:2: an office needs both lon and lat");
    EXPECT_NE(error("old_code,lon,lat,role\n00001,105,21,maybe\n")
                  .find("offices.csv:2, column 'role': 'maybe' is not seat"),
              std::string::npos);
    EXPECT_NE(error("old_code,lon,lat\n00001,105,21\n00001,105,21\n").find("listed twice"),
              std::string::npos);
}

} // namespace
} // namespace amsim::sim
