// Scenario files and their checks on a hand-made base: every check's answer is known.
//
// Base (old units): provinces A1, A2, B1.
//   a1 (A1, xã), a2 (A1, phường), a3 (A2, xã), b1 (B1, xã), b2 (B1, xã)
// Scenario: A1 + A2 -> new province N1 (capital A1); B1 unchanged.
//   a1 + a2 -> n1 (phường); a3 -> n2; b1 split 0.6 -> m1, 0.4 -> m2; b2 -> m2.

#include "amsim/sim/scenario/scenario.hpp"

#include "amsim/core/error.hpp"
#include "amsim/sim/run/province_scope.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "support/test_support.hpp"

namespace amsim::sim {
namespace {

const char* good_toml = R"(name = "test"
description = "hand-made"
rules = "vn-2025"

[base]
source = "base.gpkg"
code = "code"
province = "prov"
type = "type"

[communes]
mapping = "mapping.csv"

[[province]]
code = "N1"
name = "New One"
type = "tinh"
members = ["A1", "A2"]
capital = "A1"
)";

const char* good_csv = R"(old_code,new_code,new_name,new_type,seat,share
a1,n1,Ward One,phuong,a1,
a2,n1,Ward One,phuong,,
a3,n2,Commune Two,xa,,1
b1,m1,Commune M1,xa,,0.6
b1,m2,Commune M2,xa,,0.4
b2,m2,Commune M2,xã,b2,
)";

std::vector<OldUnit> base_units() {
    auto unit = [](const char* code, const char* province, const char* type) {
        OldUnit u;
        u.code = code;
        u.province = province;
        u.type = type;
        u.describe = std::string("unit '") + code + "'";
        return u;
    };
    return {unit("a1", "A1", "Xã"),
            unit("a2", "A1", "Phường"),
            unit("a3", "A2", "Xã"),
            unit("b1", "B1", "Xã"),
            unit("b2", "B1", "Xã")};
}

struct Files {
    test::TempDir dir;
    std::string path;
    Files(const std::string& toml, const std::string& csv) {
        path = dir.file("scenario.toml");
        std::ofstream(path) << toml;
        std::ofstream(dir.file("mapping.csv")) << csv;
    }
};

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto i = s.find(from);
    EXPECT_NE(i, std::string::npos) << from;
    return s.replace(i, from.size(), to);
}

/// Codes of the error findings, in order.
std::vector<std::string> errors_of(const ScenarioCheck& c) {
    std::vector<std::string> out;
    for (const auto& f : c.findings) {
        if (f.severity == geo::Severity::error) {
            out.push_back(f.code);
        }
    }
    return out;
}

ScenarioCheck check(const std::string& toml, const std::string& csv) {
    Files f(toml, csv);
    return check_scenario(load_scenario(f.path), base_units());
}

TEST(Scenario, AProvinceIsFoundByCodeByNameHoweverTypedOrByAnOldMembersCode) {
    const std::vector<ProvinceName> provinces = {{"22", "Tỉnh Quảng Ninh", {"22"}},
                                                 {"31", "Thành phố Hải Phòng", {"30", "31"}}};
    std::string how;
    EXPECT_EQ(match_province(provinces, "31", "the run", how).code, "31");
    EXPECT_EQ(how, "");
    EXPECT_EQ(match_province(provinces, "quang ninh ", "the run", how).code, "22");
    EXPECT_EQ(match_province(provinces, "Thành phố Hải Phòng", "the run", how).code, "31");
    EXPECT_EQ(match_province(provinces, "30", "the run", how).code, "31");
    EXPECT_EQ(how, "old province 30 is now part of Thành phố Hải Phòng (31)");
    try {
        (void)match_province(provinces, "Hà Nội", "the run", how);
        FAIL() << "an unknown province was matched";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("no province of the run"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("22 Tỉnh Quảng Ninh, 31 Thành phố Hải Phòng"),
                  std::string::npos);
    }
}

TEST(Scenario, ReadsEveryPartAndResolvesPathsFromItsDirectory) {
    Files f(good_toml, good_csv);
    const Scenario s = load_scenario(f.path);
    EXPECT_EQ(s.name, "test");
    EXPECT_EQ(s.rules, "vn-2025");
    EXPECT_EQ(s.base.source, f.dir.file("base.gpkg"));
    EXPECT_EQ(s.base.mapping.parent, "prov");
    ASSERT_EQ(s.provinces.size(), 1U);
    EXPECT_EQ(s.provinces[0].members, (std::vector<std::string>{"A1", "A2"}));
    ASSERT_EQ(s.mapping.size(), 6U);
    EXPECT_EQ(s.mapping[5].new_type, UnitType::xa); // "xã" accepted
    EXPECT_DOUBLE_EQ(s.mapping[3].share, 0.6);
    EXPECT_DOUBLE_EQ(s.mapping[0].share, 1.0); // empty share = whole unit
    EXPECT_EQ(s.mapping[2].where, f.dir.file("mapping.csv") + ":4");
}

TEST(Scenario, UnitTypesAreReadHoweverTheyAreTyped) {
    for (const char* t : {"xa", "Xã", "Xa", "xa ", "XÃ"}) {
        EXPECT_EQ(parse_unit_type(t, "m.csv:2", "new_type"), UnitType::xa) << t;
    }
    for (const char* t : {"phuong", "Phường", "PHUONG", " phường"}) {
        EXPECT_EQ(parse_unit_type(t, "m.csv:2", "new_type"), UnitType::phuong) << t;
    }
    for (const char* t : {"dac_khu", "Đặc khu", "dac khu", "đặc_khu"}) {
        EXPECT_EQ(parse_unit_type(t, "m.csv:2", "new_type"), UnitType::dac_khu) << t;
    }
    EXPECT_THROW((void)parse_unit_type("thi tran", "m.csv:2", "new_type"), ScenarioError);
}

TEST(Scenario, RowsNamingOldUnitsByOfficialCodeAreKeyedByTheBaseCodes) {
    // A table a planner made from the official list: official codes, one unit split in the
    // base into two polygons (m2, m3), one polygon without an official code (m4).
    const CsvTable t = parse_csv("old_code,old_official_code,new_code,new_name,new_type,seat\n"
                                 ",001,A,Xa A,xa,001\n"
                                 ",002,B,Xa B,xa,002\n"
                                 "m4,,B,Xa B,xa,\n",
                                 "m.csv");
    std::vector<MappingRow> rows = mapping_from(t);
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_TRUE(rows[0].by_official);
    EXPECT_FALSE(rows[2].by_official);
    key_by_base_codes(rows, {"m1", "m2", "m3", "m4"}, {"001", "002", "002", ""});
    ASSERT_EQ(rows.size(), 4U); // 002 stands for both its polygons
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"m1", "A"}, {"m2", "B"}, {"m3", "B"}, {"m4", "B"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(rows[i].old_code, expected[i].first);
        EXPECT_EQ(rows[i].new_code, expected[i].second);
        EXPECT_FALSE(rows[i].by_official);
    }
    EXPECT_EQ(rows[0].seat, "m1");
    EXPECT_EQ(rows[1].seat, "m2"); // the first polygon of 002 in new unit B
    EXPECT_EQ(rows[1].where, "m.csv:3");
    // An official code typed in the old_code column is read as one too.
    std::vector<MappingRow> typed = mapping_from(
        parse_csv("old_code,new_code,new_name,new_type\n001,A,Xa A,xa\nm9,A,Xa A,xa\n", "t.csv"));
    key_by_base_codes(typed, {"m1", "m9"}, {"001", ""});
    EXPECT_EQ(typed[0].old_code, "m1");
    EXPECT_EQ(typed[1].old_code, "m9");
    // An official code that no unit has, given as such, names its line.
    std::vector<MappingRow> bad = mapping_from(parse_csv(
        "old_official_code,new_code,new_name,new_type\n001,A,Xa A,xa\n007,A,Xa A,xa\n", "b.csv"));
    try {
        key_by_base_codes(bad, {"m1"}, {"001"});
        ADD_FAILURE() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("b.csv:3, column 'old_official_code': '007'"),
                  std::string::npos)
            << e.what();
    }
}

TEST(Scenario, AConsistentScenarioHasNoErrorAndItsNewUnits) {
    const ScenarioCheck c = check(good_toml, good_csv);
    EXPECT_EQ(c.errors, 0U) << (c.findings.empty() ? "" : c.findings[0].message);
    EXPECT_EQ(c.new_province_of.at("A1"), "N1");
    EXPECT_EQ(c.new_province_of.at("A2"), "N1");
    EXPECT_EQ(c.new_province_of.at("B1"), "B1"); // unchanged
    ASSERT_EQ(c.members.size(), 4U);             // n1, n2, m1, m2
    EXPECT_EQ(c.members.at("n1").size(), 2U);
    EXPECT_EQ(c.members.at("m2").size(), 2U);
    EXPECT_EQ(c.province_of_new.at("n2"), "N1");
    EXPECT_EQ(c.province_of_new.at("m1"), "B1");
}

TEST(Scenario, EachKindOfMappingErrorIsFoundWhereItIs) {
    // An unknown old code, on line 8.
    auto c = check(good_toml, std::string(good_csv) + "zz,m2,Commune M2,xa,,\n");
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"unknown_code"}));
    EXPECT_NE(c.findings[0].location.find("mapping.csv:8"), std::string::npos);
    // The same assignment twice.
    c = check(good_toml, std::string(good_csv) + "a3,n2,Commune Two,xa,,\n");
    EXPECT_EQ(errors_of(c)[0], "assigned_twice");
    // A unit never assigned (b2's row removed).
    c = check(good_toml, replace(good_csv, "b2,m2,Commune M2,xã,b2,\n", ""));
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"never_assigned"}));
    EXPECT_NE(c.findings[0].message.find("unit 'b2'"), std::string::npos);
    // Shares of b1 summing to 0.9.
    c = check(good_toml, replace(good_csv, "0.4", "0.3"));
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"shares_not_one"}));
    EXPECT_NE(c.findings[0].message.find("0.9"), std::string::npos);
    // a3 (A2, now in N1) put into m2 with B1's units: m2 spans two provinces.
    c = check(good_toml, replace(good_csv, "a3,n2,Commune Two,xa,,1", "a3,m2,Commune M2,xa,,1"));
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"spans_provinces"}));
    EXPECT_NE(c.findings[0].message.find("B1, N1"), std::string::npos);
    // One new code under two names.
    c = check(good_toml, replace(good_csv, "a2,n1,Ward One", "a2,n1,Ward Uno"));
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"inconsistent_new_unit"}));
    // A seat outside the unit.
    c = check(good_toml,
              replace(good_csv, "a1,n1,Ward One,phuong,a1,", "a1,n1,Ward One,phuong,b1,"));
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"seat_not_member"}));
}

TEST(Scenario, AWardMergedIntoACommuneTypedXaIsAWarning) {
    const auto c = check(good_toml,
                         replace(replace(good_csv, "a1,n1,Ward One,phuong", "a1,n1,Ward One,xa"),
                                 "a2,n1,Ward One,phuong",
                                 "a2,n1,Ward One,xa"));
    EXPECT_EQ(c.errors, 0U);
    ASSERT_EQ(c.findings.size(), 1U);
    EXPECT_EQ(c.findings[0].code, "type_rule");
}

TEST(Scenario, EachKindOfProvinceErrorIsFound) {
    auto c = check(replace(good_toml, "capital = \"A1\"\n", ""), good_csv);
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"missing_capital"}));
    EXPECT_NE(c.findings[0].location.find("scenario.toml:14"), std::string::npos)
        << c.findings[0].location;
    c = check(replace(good_toml, "capital = \"A1\"", "capital = \"B1\""), good_csv);
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"capital_not_member"}));
    c = check(replace(good_toml, "type = \"tinh\"", "type = \"huyen\""), good_csv);
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"bad_province_type"}));
    c = check(replace(good_toml, R"(["A1", "A2"])", R"(["A1", "A2", "Q9"])"), good_csv);
    EXPECT_EQ(errors_of(c), (std::vector<std::string>{"unknown_province"}));
    // B1 in a second merger as well as... A2 in two mergers.
    c = check(std::string(good_toml) +
                  "\n[[province]]\ncode = \"N2\"\nname = \"Two\"\ntype = \"tinh\"\n"
                  "members = [\"A2\", \"B1\"]\ncapital = \"B1\"\n",
              good_csv);
    EXPECT_EQ(errors_of(c)[0], "province_merged_twice");
}

TEST(Scenario, UnreadableFilesAreErrorsNamingLineAndColumn) {
    auto message = [](const std::string& toml, const std::string& csv) {
        Files f(toml, csv);
        try {
            (void)load_scenario(f.path);
        } catch (const ScenarioError& e) {
            return std::string(e.what());
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    // A misspelt key, with its line and column.
    EXPECT_TRUE(std::regex_search(
        message(replace(good_toml, "province = \"prov\"", "provnce = \"prov\""), good_csv),
        std::regex(R"(scenario\.toml:8:1: unknown key 'provnce' in \[base\])")))
        << message(replace(good_toml, "province = \"prov\"", "provnce = \"prov\""), good_csv);
    // A required key given empty (found by fuzzing: the scenario parsed, and the layer was read
    // without a code field).
    EXPECT_TRUE(
        std::regex_search(message(replace(good_toml, "code = \"code\"", "code = \"\""), good_csv),
                          std::regex(R"(scenario\.toml:\d+:\d+: 'code' is empty)")))
        << message(replace(good_toml, "code = \"code\"", "code = \"\""), good_csv);
    // A required key missing.
    EXPECT_NE(
        message(replace(good_toml, "rules = \"vn-2025\"\n", ""), good_csv).find("needs 'rules'"),
        std::string::npos);
    // A value of the wrong kind.
    EXPECT_NE(
        message(replace(good_toml, "members = [\"A1\", \"A2\"]", "members = \"A1\""), good_csv)
            .find("scenario.toml:18:11: 'members' must be a list of strings"),
        std::string::npos)
        << message(replace(good_toml, R"(members = ["A1", "A2"])", R"(members = "A1")"), good_csv);
    // TOML syntax.
    EXPECT_NE(message("name = \n", good_csv).find("scenario.toml:1:"), std::string::npos);
    // A bad type and a bad share in the CSV, with line and column.
    EXPECT_NE(
        message(good_toml, replace(good_csv, "a3,n2,Commune Two,xa", "a3,n2,Commune Two,huyen"))
            .find("mapping.csv:4, column 'new_type': 'huyen'"),
        std::string::npos);
    EXPECT_NE(message(good_toml, replace(good_csv, "0.6", "1.6"))
                  .find("mapping.csv:5, column 'share': '1.6'"),
              std::string::npos);
    // A missing column.
    EXPECT_NE(message(good_toml, "old_code,new_code,new_name\na1,n1,x\n").find("new_type"),
              std::string::npos);
}

} // namespace
} // namespace amsim::sim
