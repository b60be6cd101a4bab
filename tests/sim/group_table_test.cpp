#include "amsim/sim/scenario/group_table.hpp"

#include "amsim/core/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace amsim::sim {
namespace {

std::string write(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / name;
    std::ofstream(path) << text;
    return path.string();
}

TEST(GroupTable, ReadsCodesAndGroups) {
    const auto t = read_group_table(write("amsim_gt1.csv", "code,group\n001,N1\n002,N1\n003,N2\n"));
    ASSERT_EQ(t.size(), 3U);
    EXPECT_EQ(t.at("003"), "N2");
}

TEST(GroupTable, ACodeInTwoGroupsNamesBothLines) {
    const std::string p = write("amsim_gt2.csv", "code,group\n001,N1\n002,N1\n001,N2\n");
    try {
        (void)read_group_table(p);
        FAIL();
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("amsim_gt2.csv:4: code '001' is put in group 'N2' here and in group 'N1' "
                         "at line 2"),
                  std::string::npos)
            << m;
    }
}

} // namespace
} // namespace amsim::sim
