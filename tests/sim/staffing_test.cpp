// The staffing model's formulas on hand-computed cases, and conservation of every person.

#include "amsim/sim/staffing/staffing.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/layer_jobs.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

OldCommune commune(double pop, double area, bool ward = false, bool mountain = false) {
    OldCommune c;
    c.population = pop;
    c.area_km2 = area;
    c.ward = ward;
    c.mountain = mountain;
    return c;
}

TEST(Staffing, Decree33NormsByTypeClassPopulationAndArea) {
    StaffingParams p; // class II
    // Xa (other): base 20; population 12,000 is 4,000 over 8,000 in steps of 4,000 (+1);
    // area 65 km2 is one full 30 km2 over 30 (+1). Non-specialised: 12 + 2.
    Decree33Norm n = decree33_norm(commune(12000, 65), p);
    EXPECT_EQ(n.cadres_civil_servants, 22);
    EXPECT_EQ(n.non_specialised, 14);
    // Ward of an urban district: base 21; 27,000 is 12,000 over 15,000 in steps of 5,000 (+2).
    OldCommune w = commune(27000, 3, true);
    w.urban_district = true;
    EXPECT_EQ(decree33_norm(w, p).cadres_civil_servants, 23);
    // Mountainous xa of class I: base 22; 160 km2 is two full 50 km2 over 50 (+2).
    p.commune_class = 1;
    EXPECT_EQ(decree33_norm(commune(5000, 160, false, true), p).cadres_civil_servants, 24);
    p.commune_class = 4;
    EXPECT_THROW((void)decree33_norm(commune(1, 1), p), UsageError);
}

TEST(Staffing, NewCommuneNormFrameIncrementsAndCaps) {
    const StaffingParams p;
    EXPECT_EQ(new_commune_norm(15000, false, false, p), 32 + 23);
    EXPECT_EQ(new_commune_norm(30000, false, false, p), 32 + 7 + 23); // +1 per 2,000
    EXPECT_EQ(new_commune_norm(30000, true, false, p), 32 + 14 + 23); // +1 per 1,000
    EXPECT_EQ(new_commune_norm(100000, false, false, p), 50 + 23);    // xa cap 50
    EXPECT_EQ(new_commune_norm(100000, false, true, p), 70 + 23);     // ward cap 70
}

/// Old: units 0 and 1 in district A (1,000 and 3,000 people; 10 and `area1` km2), unit 2
/// in district B (4,000; 10 km2), provinces P1 (0, 1) and P2 (2). Unit 1 is split half and
/// half. New 0 = 0 + half of 1; new 1 = half of 1 + 2; both in province N.
StaffingInput three_communes(double area1) {
    StaffingInput in;
    in.old_units = {commune(1000, 10), commune(3000, area1), commune(4000, 10)};
    in.old_units[0].district = in.old_units[1].district = "A";
    in.old_units[2].district = "B";
    in.old_units[0].province = in.old_units[1].province = "P1";
    in.old_units[2].province = "P2";
    in.new_count = 2;
    in.links = {{0, 0, 1.0}, {1, 0, 0.5}, {1, 1, 0.5}, {2, 1, 1.0}};
    in.new_population = {2500, 5500};
    in.new_mountain = {false, false};
    in.new_ward_or_zone = {false, false};
    in.new_province = {"N", "N"};
    in.province_map = {{"P1", "N"}, {"P2", "N"}};
    return in;
}

TEST(Staffing, ReallocationConservesEveryoneAndFollowsPopulation) {
    StaffingInput in = three_communes(10);
    StaffingParams p;
    const StaffingResult r = reallocate_staff(in, p);
    // Districts: 70,000 each (equal populations). A's staff go 62.5 % / 37.5 % by the
    // population going each way: (1,000 + 1,500) / 4,000 and 1,500 / 4,000.
    EXPECT_NEAR(r.communes[0].from_districts, 43750, 1e-6);
    EXPECT_NEAR(r.communes[1].from_districts, 26250 + 70000, 1e-6);
    // Commune staff (each unit's Decree 33 norm: 20) by shares: 20 + 10 and 10 + 20.
    EXPECT_NEAR(r.communes[0].from_communes, 30, 1e-9);
    EXPECT_NEAR(r.communes[1].from_communes, 30, 1e-9);
    EXPECT_NEAR(r.communes[0].from_communes + r.communes[1].from_communes,
                r.commune_cadres_civil_servants,
                1e-9);
    EXPECT_EQ(r.communes[0].norm, 55);
    // Provinces: both merge, so all 447,657 provincial staff land in N.
    ASSERT_EQ(r.provinces.size(), 1U);
    EXPECT_NEAR(r.provinces[0].cadres + r.provinces[0].civil_servants +
                    r.provinces[0].public_employees,
                447657,
                1e-6);
    // An old unit shared out less than once is refused: people would be lost.
    in.links.pop_back();
    EXPECT_THROW((void)reallocate_staff(in, p), InternalError);
}

TEST(Staffing, AStaffingTableReplacesTheEstimateOfTheUnitsItLists) {
    StaffingInput in;
    in.old_units = {commune(12000, 65), commune(12000, 65)};
    in.old_units[0].district = in.old_units[1].district = "A";
    in.new_count = 1;
    in.links = {{0, 0, 1.0}, {1, 0, 1.0}};
    in.new_population = {24000};
    in.new_mountain = {false};
    in.new_ward_or_zone = {false};
    in.new_province = {"P"};
    test::TempDir dir;
    std::ofstream(dir.file("staff.csv")) << "code,cadres_civil_servants,non_specialised\nu1,30,5\n";
    EXPECT_EQ(apply_staffing_table(dir.file("staff.csv"), {"u0", "u1"}, in), 1U);
    const StaffingResult r = reallocate_staff(in, StaffingParams{});
    EXPECT_EQ(r.units_from_table, 1U);
    EXPECT_TRUE(r.estimated);                                    // u0 still estimated
    EXPECT_NEAR(r.commune_cadres_civil_servants, 22 + 30, 1e-9); // Decree 33 for u0
    EXPECT_NEAR(r.commune_non_specialised, 14 + 5, 1e-9);
    // Errors name the line.
    std::ofstream(dir.file("bad.csv")) << "code,cadres_civil_servants\nu9,3\n";
    try {
        (void)apply_staffing_table(dir.file("bad.csv"), {"u0", "u1"}, in);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.csv:2: code 'u9'"), std::string::npos)
            << e.what();
    }
    std::ofstream(dir.file("bad2.csv")) << "code,cadres_civil_servants\nu0,many\n";
    EXPECT_THROW((void)apply_staffing_table(dir.file("bad2.csv"), {"u0", "u1"}, in), InputError);
}

TEST(Staffing, FiveYearRoadmapReachesTheNormAndPaysTheLeavers) {
    // One new commune staffed with 100 (70 + 30) against a norm of 55: 45 leave in five
    // years, 9 a year (linear); 3 % of the staff retire each year, the rest are paid to go.
    StaffingResult s;
    NewUnitStaff c;
    c.from_communes = 70;
    c.from_districts = 30;
    c.norm = 55;
    s.communes = {c};
    RoadmapParams p;
    const Roadmap r = make_roadmap(s, p);
    ASSERT_EQ(r.years.size(), 5U);
    double left = 0;
    for (const RoadmapYear& y : r.years) {
        left += y.retirements + y.paid_departures;
        EXPECT_NEAR(y.retirements + y.paid_departures, 9, 1e-9);
    }
    EXPECT_NEAR(left, 45, 1e-9);
    EXPECT_NEAR(r.years[0].retirements, 3, 1e-9);    // 3 % of 100
    EXPECT_NEAR(r.years[1].retirements, 2.73, 1e-9); // 3 % of 91
    // Payroll: 3.0 x base salary x 1.25 a month each, plus the commune's leadership
    // allowances (0.6 + 2.5 x 0.5 + 4 x 0.25 + 8 x 0.15 = 4.05) x base x 1.25.
    const double monthly = 3.0 * 2'340'000 * 1.25;
    const double leaders = 4.05 * 2'340'000 * 1.25 * 12;
    EXPECT_NEAR(r.payroll_before_vnd, 100 * monthly * 12 + leaders, 1e-3);
    EXPECT_NEAR(r.years[4].payroll_vnd, 55 * monthly * 12 + leaders, 1e-3); // at the norm
    // Year 1 leavers are within 12 months of the decision: more per leaver than later.
    EXPECT_GT(r.years[0].payout_vnd / r.years[0].paid_departures,
              r.years[1].payout_vnd / r.years[1].paid_departures);
    // The payout per leaver is the calculator's, for the typical people.
    PayoutPerson retiree = p.typical_retiree, resigner = p.typical_resigner;
    const double per_leaver = 0.4 * static_cast<double>(compute_payout(retiree).total) +
                              0.6 * static_cast<double>(compute_payout(resigner).total);
    EXPECT_NEAR(r.years[0].payout_vnd, 6 * per_leaver, 1e-3);
    // Front-loaded: 40 % of the surplus in year 1.
    p.profile = RoadmapParams::Profile::front_loaded;
    EXPECT_NEAR(make_roadmap(s, p).years[0].paid_departures +
                    make_roadmap(s, p).years[0].retirements,
                18,
                1e-9);
}

TEST(Staffing, CategoriesAndDistrictWeightsAreConserved) {
    // The three-commune case above: each old commune 20 cadres and civil servants (Decree 33
    // class II), of whom 11 cadres (the elected posts); district cadres 15 %.
    StaffingInput in = three_communes(30);
    StaffingParams p;
    StaffingResult r = reallocate_staff(in, p);
    EXPECT_NEAR(r.commune_cadres, 33, 1e-9);
    EXPECT_NEAR(r.communes[0].cadres_from_communes, 11 + 5.5, 1e-9);
    // District A: 70,000 staff, 62.5 % to new 0 by population; 15 % of them cadres.
    EXPECT_NEAR(r.communes[0].cadres_from_districts, 0.15 * 43750, 1e-6);
    EXPECT_NEAR(r.communes[0].cadres() + r.communes[1].cadres(),
                r.commune_cadres + r.district_cadres,
                1e-6);
    // The surplus is shared by category in proportion to the staff inherited.
    const NewUnitStaff& c = r.communes[0];
    EXPECT_NEAR(c.surplus_cadres() + c.surplus_civil_servants(), c.surplus(), 1e-9);
    EXPECT_NEAR(c.surplus_cadres() / c.surplus(), c.cadres() / c.staffed(), 1e-12);
    // By area instead: unit 0 (10 km2) and half of unit 1 (15 of 30) = 25 of A's 40 km2.
    p.district_weight = StaffingParams::DistrictWeight::area;
    r = reallocate_staff(in, p);
    EXPECT_NEAR(r.communes[0].from_districts, 70000 * 25.0 / 40.0, 1e-6);
    // By unit count: unit 0 and half of unit 1 = 1.5 of A's 2 units.
    p.district_weight = StaffingParams::DistrictWeight::units;
    r = reallocate_staff(in, p);
    EXPECT_NEAR(r.communes[0].from_districts, 70000 * 0.75, 1e-6);
    EXPECT_NEAR(r.communes[0].from_districts + r.communes[1].from_districts, 140000, 1e-6);
}

TEST(Staffing, TablesAtEachLevelReplaceTheEstimates) {
    StaffingInput in;
    in.old_units = {commune(12000, 65), commune(12000, 65)};
    in.old_units[0].district = in.old_units[1].district = "A";
    in.old_units[0].province = in.old_units[1].province = "P";
    in.new_count = 1;
    in.links = {{0, 0, 1.0}, {1, 0, 1.0}};
    in.new_population = {24000};
    in.new_mountain = {false};
    in.new_ward_or_zone = {false};
    in.new_province = {"N"};
    in.province_map = {{"P", "N"}};
    test::TempDir dir;
    std::ofstream(dir.file("staff.csv"))
        << "code,level,cadres,civil_servants,public_employees,salary_coefficient\n"
        << "u0,commune,10,12,,2.5\n"
        << "u1,,9,11,,3.5\n"
        << "A,district,20,180,,3.0\n"
        << "P,province,30,900,4000,\n";
    EXPECT_EQ(apply_staffing_table(dir.file("staff.csv"), {"u0", "u1"}, in), 4U);
    const StaffingResult r = reallocate_staff(in, StaffingParams{});
    EXPECT_FALSE(r.estimated); // every unit, district and province from the table
    EXPECT_NEAR(r.commune_cadres_civil_servants, 42, 1e-9);
    EXPECT_NEAR(r.commune_cadres, 19, 1e-9);
    EXPECT_NEAR(r.district_staff, 200, 1e-9);
    EXPECT_NEAR(r.communes[0].cadres(), 39, 1e-9);
    // Mean coefficient over the 242 people: (22 x 2.5 + 20 x 3.5 + 200 x 3.0) / 242.
    EXPECT_NEAR(r.communes[0].salary_coefficient, (55 + 70 + 600) / 242.0, 1e-12);
    ASSERT_EQ(r.provinces.size(), 1U);
    EXPECT_NEAR(r.provinces[0].public_employees, 4000, 1e-9);
    // Errors name the line: an unknown district, a province without public employees,
    // an unknown level, a row without staff.
    const std::pair<const char*, const char*> bad[] = {
        {"code,level,cadres,civil_servants\nX,district,1,2\n", "bad.csv:2: district 'X'"},
        {"code,level,cadres,civil_servants\nP,province,1,2\n", "bad.csv:2: a province needs"},
        {"code,level,cadres,civil_servants\nu0,ward,1,2\n", "bad.csv:2, column 'level'"},
        {"code,level,cadres,civil_servants\nu0,,1,\n", "bad.csv:2: give both"},
        {"code,non_specialised\nu0,1\n", "bad.csv:1: the staff need"},
        {"code,cadres_civil_servants,salary_coefficient\nu0,3,42\n", "outside the salary"}};
    for (const auto& [text, message] : bad) {
        std::ofstream(dir.file("bad.csv")) << text;
        try {
            (void)apply_staffing_table(dir.file("bad.csv"), {"u0", "u1"}, in);
            ADD_FAILURE() << text;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        }
    }
}

TEST(Staffing, RetirementsFollowTheAgeDistribution) {
    // 100 staff, norm 55: 9 leave a year. Ages uniform over 20-60, retirement at 60: 2.5 % of
    // the staff reach the age each year, and 7.5 % are 2-5 years before it (55-58).
    StaffingResult s;
    NewUnitStaff c;
    c.from_communes = 100;
    c.norm = 55;
    c.province = "P";
    s.communes = {c};
    RoadmapParams p;
    p.ages = {{20, 40, 0.5}, {40, 60, 0.5}};
    p.retirement_age = 60;
    const Roadmap r = make_roadmap(s, p);
    for (const RoadmapYear& y : r.years) {
        EXPECT_NEAR(y.retirements, 2.5, 1e-9);
        EXPECT_NEAR(y.paid_departures, 6.5, 1e-9);
    }
    // Early retirees: 40 % of the paid leavers (2.6 a year) until the 7.5 are used up.
    EXPECT_NEAR(r.years[0].early_retirements, 2.6, 1e-9);
    EXPECT_NEAR(r.years[1].early_retirements, 2.6, 1e-9);
    EXPECT_NEAR(r.years[2].early_retirements, 2.3, 1e-9);
    EXPECT_NEAR(r.years[3].early_retirements, 0, 1e-9);
    // ... and they are on average 3.5 years (42 months) before the age.
    EXPECT_EQ(r.early_retiree_months, 42);
    PayoutPerson retiree = p.typical_retiree, resigner = p.typical_resigner;
    retiree.months_before_retirement = 42;
    retiree.months_since_decision = resigner.months_since_decision = 13;
    EXPECT_NEAR(
        r.years[3].payout_vnd, 6.5 * static_cast<double>(compute_payout(resigner).total), 1e-3);
    EXPECT_NEAR(r.years[2].payout_vnd,
                2.3 * static_cast<double>(compute_payout(retiree).total) +
                    4.2 * static_cast<double>(compute_payout(resigner).total),
                1e-3);
    // The distribution file: shares normalised, errors by line.
    test::TempDir dir;
    std::ofstream(dir.file("ages.csv")) << "age_from,age_to,share\n20,40,30\n40,60,10\n";
    const auto bands = read_age_distribution(dir.file("ages.csv"));
    ASSERT_EQ(bands.size(), 2U);
    EXPECT_NEAR(bands[0].share, 0.75, 1e-12);
    std::ofstream(dir.file("ages.csv")) << "age_from,age_to,share\n20,40,1\n35,60,1\n";
    try {
        (void)read_age_distribution(dir.file("ages.csv"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("ages.csv:3: the band 35-60 overlaps"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Staffing, HaNoiAndHoChiMinhCityCommunesPayHigherLeadershipAllowances) {
    // Two communes of 100 staff at their norm, one in Ha Noi (01), one elsewhere.
    StaffingResult s;
    NewUnitStaff c;
    c.from_communes = 100;
    c.norm = 100;
    c.province = "01";
    s.communes = {c, c};
    s.communes[1].province = "42";
    const Roadmap r = make_roadmap(s, RoadmapParams{});
    const double per = 2'340'000 * 1.25 * 12;
    // 0.70 + 2.5 x 0.60 + 4 x 0.35 + 8 x 0.20 = 5.2 against 4.05.
    EXPECT_NEAR(r.units[0].payroll_before_vnd, 100 * 3.0 * per + 5.2 * per, 1e-3);
    EXPECT_NEAR(r.units[1].payroll_before_vnd, 100 * 3.0 * per + 4.05 * per, 1e-3);
    ASSERT_EQ(r.provinces.size(), 2U);
    EXPECT_EQ(r.provinces[0].code, "01");
    EXPECT_NEAR(r.provinces[0].payroll_before_vnd, r.units[0].payroll_before_vnd, 1e-3);
    EXPECT_NEAR(r.payroll_before_vnd,
                r.provinces[0].payroll_before_vnd + r.provinces[1].payroll_before_vnd,
                1e-3);
}

TEST(Roadmap, NonSpecialisedWorkersWhosePostsEndArePaidUnderDecree154InYearOne) {
    // One commune at its norm whose 12 non-specialised workers' posts end.
    StaffingResult s;
    NewUnitStaff c;
    c.from_communes = 30;
    c.norm = 30;
    c.province = "42";
    c.non_specialised_ended = 12;
    s.communes = {c};
    const RoadmapParams p;
    const Roadmap r = make_roadmap(s, p);
    // Decree 154 Art. 9 for 10 years worked and 10 to retirement: 0.8 x A x 60 [U], plus
    // the years worked and job search: the calculator's figure, times 12.
    PayoutPerson person = p.typical_non_specialised;
    person.months_since_decision = 1;
    const double each = static_cast<double>(compute_payout(person).total);
    EXPECT_GT(each, 0.8 * 3'510'000 * 60);
    EXPECT_DOUBLE_EQ(r.units[0].non_specialised_payout_vnd, 12 * each);
    EXPECT_DOUBLE_EQ(r.years[0].non_specialised_payout_vnd, 12 * each);
    EXPECT_DOUBLE_EQ(r.years[0].payout_vnd, 12 * each); // nobody else leaves: at the norm
    EXPECT_DOUBLE_EQ(r.years[1].payout_vnd, 0);
    EXPECT_DOUBLE_EQ(r.provinces[0].non_specialised_payout_vnd, 12 * each);
    EXPECT_DOUBLE_EQ(r.units[0].total_payout_vnd(), 12 * each);
}

TEST(StaffingInput, AWardOfAQuanTakesTheUrbanDistrictNorm) {
    // Two wards side by side, one in a quận, one in a thị xã, and a xã in a quận.
    test::register_gdal();
    test::TempDir dir;
    auto square = [](double x) {
        const std::string x0 = std::to_string(x), x1 = std::to_string(x + 0.01);
        return R"({"type":"Polygon","coordinates":[[[)" + x0 + ",21],[" + x1 + ",21],[" + x1 +
               ",21.01],[" + x0 + ",21.01],[" + x0 + ",21]]]}";
    };
    auto feature = [&](const char* code, const char* name, const char* dt, double x) {
        return std::string(R"({"type":"Feature","properties":{"code":")") + code + R"(","name":")" +
               name + R"(","province":"P","population":30000,"dt":")" + dt + R"("},"geometry":)" +
               square(x) + "}";
    };
    std::ofstream(dir.file("base.geojson"))
        << R"({"type":"FeatureCollection","features":[)" << feature("1", "Phường A", "Quận", 105)
        << "," << feature("2", "Phường B", "Thị xã", 105.01) << ","
        << feature("3", "Xã C", "Quận", 105.02) << "]}";
    std::ofstream(dir.file("scenario.toml"))
        << "name = \"t\"\nrules = \"vn-2025\"\n[base]\nsource = \"base.geojson\"\ncode = "
           "\"code\"\nname = \"name\"\nprovince = \"province\"\npopulation = \"population\"\n"
           "district_type = \"dt\"\n[communes]\nmapping = \"mapping.csv\"\n";
    std::ofstream(dir.file("mapping.csv"))
        << "old_code,new_code,new_name,new_type\n1,A,A,phuong\n2,A,A,phuong\n3,A,A,phuong\n";
    const Scenario s = load_scenario(dir.file("scenario.toml"));
    geo::LayerSpec spec;
    spec.source = s.base.source;
    spec.read.mapping = s.base.mapping;
    const geo::LoadedLayer loaded = geo::load_layer(spec, {});
    std::vector<OldUnit> units = old_units(loaded.layer);
    const ScenarioCheck check = check_scenario(s, units);
    const StaffingInput in = staffing_input(s, check, loaded, "", nullptr);
    ASSERT_EQ(in.old_units.size(), 3U);
    EXPECT_TRUE(in.old_units[0].urban_district);
    EXPECT_FALSE(in.old_units[1].urban_district); // a thị xã is not an urban district
    EXPECT_FALSE(in.old_units[2].urban_district); // a xã is not a ward
}

} // namespace
} // namespace amsim::sim
