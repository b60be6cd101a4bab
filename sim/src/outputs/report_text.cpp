// The words and numbers of a report, in Vietnamese or English.

#include "report_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>
#include <utility>

namespace amsim::sim::report_text {

namespace {

struct Entry {
    const char* vi;
    const char* en;
    Kind kind;
};

/// Every field a report shows, across its tables.
std::vector<std::pair<std::string, Entry>> report_fields() {
    return {
        {"code", {"Mã", "Code", Kind::code}},
        {"name", {"Tên", "Name", Kind::text}},
        {"type", {"Loại", "Type", Kind::type}},
        {"members", {"Tỉnh cũ hợp thành", "Old provinces", Kind::code}},
        {"old_communes", {"Số ĐVHC cấp xã trước sắp xếp", "Communes before", Kind::count}},
        {"new_communes", {"Số ĐVHC cấp xã sau sắp xếp", "Communes after", Kind::count}},
        {"old_units", {"Số ĐVHC cấp xã trước sắp xếp", "Communes before", Kind::count}},
        {"new_units", {"Số ĐVHC cấp xã sau sắp xếp", "Communes after", Kind::count}},
        {"old_provinces", {"Số ĐVHC cấp tỉnh trước", "Provinces before", Kind::count}},
        {"new_provinces", {"Số ĐVHC cấp tỉnh sau", "Provinces after", Kind::count}},
        {"xa", {"Xã", "Communes (xã)", Kind::count}},
        {"phuong", {"Phường", "Wards (phường)", Kind::count}},
        {"dac_khu", {"Đặc khu", "Special zones (đặc khu)", Kind::count}},
        {"reduction_pct", {"Tỷ lệ giảm (%)", "Reduction (%)", Kind::pct}},
        {"communes_below_standard",
         {"Số ĐVHC cấp xã chưa đạt tiêu chuẩn", "Communes below standard", Kind::count}},
        {"communes_waived",
         {"Số ĐVHC cấp xã được miễn xét tiêu chuẩn (hợp nhất từ 3 đơn vị trở lên)",
          "Communes waived (3 or more units merged)",
          Kind::count}},
        {"communes_not_evaluated",
         {"Số ĐVHC cấp xã chưa đánh giá (thiếu số liệu)",
          "Communes not evaluated (figures missing)",
          Kind::count}},
        {"split_units", {"Số ĐVHC cũ chia cho nhiều đơn vị", "Old units divided", Kind::count}},
        {"divided_units",
         {"Số ĐVHC cũ chia theo lớp ranh giới", "Old units cut by the split layer", Kind::count}},
        {"divided_parts", {"Số phần được chia", "Parts they were cut into", Kind::count}},
        {"scenario", {"Phương án", "Scenario", Kind::text}},
        {"rules_profile", {"Bộ tiêu chuẩn", "Rules profile", Kind::text}},
        {"area_km2", {"Diện tích (km²)", "Area (km²)", Kind::area}},
        {"area_source", {"Nguồn diện tích", "Area source", Kind::source}},
        {"area_km2_polygons",
         {"Diện tích tính từ bản đồ (km²)", "Area from the polygons (km²)", Kind::area}},
        {"population", {"Dân số (người)", "Population", Kind::people}},
        {"population_source", {"Nguồn dân số", "Population source", Kind::source}},
        {"area_pct_of_standard",
         {"Diện tích so với tiêu chuẩn (%)", "Area, % of the standard", Kind::pct}},
        {"population_pct_of_standard",
         {"Dân số so với tiêu chuẩn (%)", "Population, % of the standard", Kind::pct}},
        {"meets_standard", {"Đạt tiêu chuẩn", "Meets the standard", Kind::flag}},
        {"why", {"Lý do chưa đạt", "Why not", Kind::why}},
        {"province_code", {"Mã tỉnh", "Province", Kind::code}},
        {"province", {"Mã tỉnh", "Province", Kind::code}},
        {"predecessors", {"Số ĐVHC cũ hợp thành", "Old units merged", Kind::count}},
        {"commune_staffed",
         {"Biên chế cấp xã sau sắp xếp (người)", "Commune staff after the merger", Kind::people}},
        {"commune_norm", {"Định mức biên chế (người)", "Staffing norm", Kind::people}},
        {"commune_surplus", {"Số dôi dư (người)", "Surplus", Kind::people}},
        {"departures_5y", {"Số nghỉ trong 5 năm (người)", "Departures over 5 years", Kind::people}},
        {"payout_5y_vnd",
         {"Kinh phí chi trả chế độ 5 năm (tỷ đồng)", "Payouts, 5 years (bn VND)", Kind::money}},
        {"payroll_before_vnd",
         {"Quỹ lương trước sắp xếp (tỷ đồng/năm)", "Payroll before (bn VND/yr)", Kind::money}},
        {"payroll_after_vnd",
         {"Quỹ lương sau sắp xếp (tỷ đồng/năm)", "Payroll after (bn VND/yr)", Kind::money}},
        {"capital_moved_staff",
         {"Cán bộ chuyển theo trung tâm hành chính (người)",
          "Staff moving with the provincial centre",
          Kind::people}},
        {"capital_moved_mean_km",
         {"Khoảng cách chuyển bình quân (km)", "Mean distance moved (km)", Kind::km}},
        {"year", {"Năm thứ", "Year", Kind::count}},
        {"staff_start", {"Biên chế đầu năm (người)", "Staff at the start", Kind::people}},
        {"retirements", {"Nghỉ hưu đúng tuổi (người)", "Retirements", Kind::people}},
        {"paid_departures", {"Nghỉ hưởng chính sách (người)", "Paid departures", Kind::people}},
        {"early_retirements",
         {"Trong đó nghỉ hưu trước tuổi (người)", "Of which early retirements", Kind::people}},
        {"payout_vnd", {"Kinh phí chi trả (tỷ đồng)", "Payouts (bn VND)", Kind::money}},
        {"payroll_vnd", {"Quỹ lương (tỷ đồng)", "Payroll (bn VND)", Kind::money}},
        {"payroll_saving_vnd",
         {"Quỹ lương tiết kiệm (tỷ đồng)", "Payroll saved (bn VND)", Kind::money}},
        {"estimated", {"Ước tính", "Estimated", Kind::flag}},
        {"value", {"Giá trị", "Value", Kind::text}},
        {"source", {"Căn cứ", "Source", Kind::source}},
        {"unconfirmed", {"Chưa xác nhận", "Unconfirmed", Kind::flag}},
        {"province_class", {"Loại tỉnh", "Province class", Kind::region}},
        {"min_area_km2", {"Diện tích tối thiểu (km²)", "Minimum area (km²)", Kind::area}},
        {"min_population", {"Dân số tối thiểu (người)", "Minimum population", Kind::people}},
        {"kind", {"Cấp", "Level", Kind::type}},
        {"region", {"Vùng", "Region", Kind::region}},
        {"figure", {"Chỉ tiêu", "Figure", Kind::text}},
        {"key", {"Mục", "Item", Kind::text}},
        {"note", {"Ghi chú", "Note", Kind::text}},
        {"amsim_version", {"Phiên bản amsim", "amsim version", Kind::text}},
        {"scenario_name", {"Tên phương án", "Scenario", Kind::text}},
        {"scenario_description", {"Mô tả phương án", "Scenario description", Kind::text}},
        {"base_layer", {"Lớp bản đồ nền", "Base layer", Kind::text}},
        {"base_code_field", {"Trường mã của lớp nền", "Base code field", Kind::text}},
        {"mapping", {"Bảng sắp xếp", "Mapping", Kind::text}},
        {"base", {"Bản đồ nền", "Base layer file", Kind::text}},
        {"rules", {"Bộ tiêu chuẩn (tệp)", "Rules profile file", Kind::text}},
    };
}

std::vector<std::pair<std::string, Entry>> run_file_fields() {
    return {
        // Further fields of the run file (their titles in GeoPackage, and in any table).
        {"area_diff_pct",
         {"Chênh lệch diện tích bản đồ so với số liệu chính thức (%)",
          "Polygons' area against the official area (%)",
          Kind::pct}},
        {"base_units", {"Số mảnh của lớp bản đồ nền", "Base layer units", Kind::count}},
        {"polygons", {"Số đa giác", "Polygons", Kind::count}},
        {"population_base_layer",
         {"Dân số theo lớp bản đồ nền (người)", "Population in the base layer", Kind::people}},
        {"population_diff_pct",
         {"Chênh lệch dân số lớp nền so với số liệu chính thức (%)",
          "Base layer's population against the official one (%)",
          Kind::pct}},
        {"density_per_km2", {"Mật độ dân số (người/km²)", "People per km²", Kind::count}},
        {"polsby_popper",
         {"Độ gọn Polsby-Popper (0-1)", "Compactness, Polsby-Popper (0-1)", Kind::text}},
        {"seat_distance_km",
         {"Khoảng cách xa nhất từ đơn vị cũ đến trụ sở (km)",
          "Farthest old unit from the seat (km)",
          Kind::km}},
        {"seat_source", {"Nguồn vị trí trụ sở", "Seat source", Kind::source}},
        {"seat_address", {"Địa chỉ trụ sở", "Seat address", Kind::text}},
        {"offices", {"Số trụ sở cũ", "Old offices", Kind::count}},
        {"offices_surplus", {"Số trụ sở dôi dư", "Surplus offices", Kind::count}},
        {"seat_office",
         {"Trụ sở mới đặt tại trụ sở cũ của", "Seat in the old office of", Kind::code}},
        {"housing_staff",
         {"Cán bộ, công chức cần nhà công vụ (ước tính)",
          "Staff needing official housing (estimated)",
          Kind::count}},
        {"role", {"Sử dụng", "Use", Kind::source}},
        {"seat_by", {"Căn cứ chọn trụ sở", "Seat chosen by", Kind::source}},
        {"km_to_seat",
         {"Khoảng cách đến trụ sở mới (km, đường chim bay)",
          "Straight-line km to the seat",
          Kind::km}},
        {"road_km_estimated", {"Quãng đường ước tính (km)", "Road km (estimated)", Kind::km}},
        {"point_source", {"Nguồn vị trí trụ sở cũ", "Office point source", Kind::source}},
        {"iou_official",
         {"Mức trùng khớp với ranh giới chính thức (IoU)",
          "Overlap with the official polygon (IoU)",
          Kind::text}},
        {"region_source", {"Nguồn phân loại vùng", "Region source", Kind::source}},
        {"population_reduction_pct",
         {"Mức giảm tiêu chuẩn dân số (%)", "Population standard reduced by (%)", Kind::pct}},
        {"standard", {"Tiêu chuẩn áp dụng", "Standard applied", Kind::source}},
        {"evaluated", {"Đã đánh giá", "Evaluated", Kind::flag}},
        {"waived", {"Được miễn xét tiêu chuẩn", "Waived", Kind::flag}},
        {"meets_standard_anyway",
         {"Nếu xét thì đạt tiêu chuẩn", "Would meet the standard if judged", Kind::flag}},
        {"flags", {"Ghi chú kiểm tra", "Flags", Kind::text}},
        {"capital", {"Trung tâm hành chính", "Capital", Kind::code}},
        {"unconfirmed_standard",
         {"Tiêu chuẩn có giá trị chưa xác nhận", "Standard has unconfirmed values", Kind::flag}},
        {"old_code", {"Mã đơn vị cũ", "Old unit's code", Kind::code}},
        {"old_official_code",
         {"Mã đơn vị cũ theo danh mục chính thức", "Old unit's official code", Kind::code}},
        {"old_name", {"Tên đơn vị cũ", "Old unit's name", Kind::text}},
        {"old_province", {"Mã tỉnh cũ", "Old province", Kind::code}},
        {"new_code", {"Mã đơn vị mới", "New unit's code", Kind::code}},
        {"new_province", {"Mã tỉnh mới", "New province", Kind::code}},
        {"share", {"Tỷ lệ phần được nhập", "Share merged", Kind::text}},
        {"takes_geometry",
         {"Mang ranh giới của đơn vị cũ", "Carries the old unit's polygon", Kind::flag}},
        {"old_codes", {"Mã các đơn vị cũ", "Old units' codes", Kind::code}},
        {"old_districts", {"Mã các huyện cũ", "Old districts' codes", Kind::code}},
        {"cadres_from_communes",
         {"Cán bộ từ cấp xã cũ (người)", "Cadres from the old communes", Kind::people}},
        {"civil_servants_from_communes",
         {"Công chức từ cấp xã cũ (người)", "Civil servants from the old communes", Kind::people}},
        {"cadres_from_districts",
         {"Cán bộ từ cấp huyện (người)", "Cadres from the districts", Kind::people}},
        {"civil_servants_from_districts",
         {"Công chức từ cấp huyện (người)", "Civil servants from the districts", Kind::people}},
        {"staffed", {"Biên chế sau sắp xếp (người)", "Staff after the merger", Kind::people}},
        {"norm", {"Định mức biên chế (người)", "Staffing norm", Kind::people}},
        {"surplus", {"Số dôi dư (người)", "Surplus", Kind::people}},
        {"surplus_cadres", {"Cán bộ dôi dư (người)", "Surplus cadres", Kind::people}},
        {"surplus_civil_servants",
         {"Công chức dôi dư (người)", "Surplus civil servants", Kind::people}},
        {"non_specialised_ended",
         {"Người hoạt động không chuyên trách thôi việc (người)",
          "Non-specialised posts ended",
          Kind::people}},
        {"non_specialised_payout_vnd",
         {"Kinh phí chi trả người hoạt động không chuyên trách (tỷ đồng)",
          "Payouts to non-specialised workers (bn VND)",
          Kind::money}},
        {"leave_year1", {"Số nghỉ năm thứ 1 (người)", "Leaving in year 1", Kind::people}},
        {"leave_year2", {"Số nghỉ năm thứ 2 (người)", "Leaving in year 2", Kind::people}},
        {"leave_year3", {"Số nghỉ năm thứ 3 (người)", "Leaving in year 3", Kind::people}},
        {"leave_year4", {"Số nghỉ năm thứ 4 (người)", "Leaving in year 4", Kind::people}},
        {"leave_year5", {"Số nghỉ năm thứ 5 (người)", "Leaving in year 5", Kind::people}},
        {"provincial_cadres", {"Cán bộ cấp tỉnh (người)", "Provincial cadres", Kind::people}},
        {"provincial_civil_servants",
         {"Công chức cấp tỉnh (người)", "Provincial civil servants", Kind::people}},
        {"provincial_public_employees",
         {"Viên chức cấp tỉnh (người)", "Provincial public employees", Kind::people}},
        {"leadership_per_commune",
         {"Hệ số phụ cấp chức vụ lãnh đạo mỗi xã",
          "Leadership coefficient per commune",
          Kind::text}},
        {"districts", {"Số huyện cũ", "Old districts", Kind::count}},

    };
}

const std::map<std::string, Entry>& fields() {
    static const std::map<std::string, Entry> f = [] {
        std::map<std::string, Entry> all;
        for (const auto& list : {report_fields(), run_file_fields()}) {
            all.insert(list.begin(), list.end());
        }
        return all;
    }();
    return f;
}

/// Values of type and region columns.
const std::map<std::string, std::pair<const char*, const char*>>& values() {
    static const std::map<std::string, std::pair<const char*, const char*>> v = {
        {"xa", {"Xã", "Commune (xã)"}},
        {"phuong", {"Phường", "Ward (phường)"}},
        {"dac_khu", {"Đặc khu", "Special zone (đặc khu)"}},
        {"tinh", {"Tỉnh", "Province"}},
        {"thanh_pho_tw", {"Thành phố trực thuộc Trung ương", "Centrally-run city"}},
        {"commune", {"Cấp xã", "Commune level"}},
        {"province", {"Cấp tỉnh", "Province level"}},
        {"mountain", {"Miền núi, vùng cao", "Mountainous, highland"}},
        {"other", {"Khác", "Other"}},
        {"island", {"Hải đảo", "Island"}},
        {"city", {"Thành phố trực thuộc Trung ương", "Centrally-run city"}},
        {"official", {"Số liệu chính thức", "Official"}},
        {"polygons", {"Tính từ bản đồ", "Computed from the polygons"}},
        {"base layer", {"Lớp bản đồ nền", "Base layer"}},
        {"mapping", {"Bảng sắp xếp", "Mapping"}},
        // Offices: their use after the merger, where their points and seats come from.
        {"seat", {"Trụ sở đơn vị mới", "Seat of the new unit"}},
        {"kept", {"Tiếp tục sử dụng", "Kept in use"}},
        {"surplus", {"Dôi dư", "Surplus"}},
        {"table", {"Bảng trụ sở của địa phương", "The offices table"}},
        {"centroid (estimated)", {"Tâm đơn vị cũ (ước tính)", "Old unit's centroid (estimated)"}},
        {"nearest the official seat point",
         {"Gần vị trí trụ sở chính thức nhất", "Nearest the official seat point"}},
        {"most populous old unit (estimated)",
         {"Đơn vị cũ đông dân nhất (ước tính)", "Most populous old unit (estimated)"}},
    };
    return v;
}

/// Headings and notes: (Vietnamese, English) by key; the key is the English text unless
/// one is given.
std::vector<std::pair<std::string, std::pair<const char*, const char*>>> report_phrases() {
    return {
        {"Run report", {"Báo cáo kết quả mô phỏng sắp xếp đơn vị hành chính", nullptr}},
        {"Before and after: the nation", {"Trước và sau sắp xếp: toàn quốc", nullptr}},
        {"Before and after", {"Trước và sau sắp xếp", nullptr}},
        {"Before and after: per province", {"Trước và sau sắp xếp: theo tỉnh, thành phố", nullptr}},
        {"Units below standard, and why",
         {"Đơn vị hành chính cấp xã chưa đạt tiêu chuẩn và lý do", nullptr}},
        {"Staffing, payroll and payouts per province (ESTIMATED)",
         {"Biên chế, quỹ lương và kinh phí chi trả chế độ theo tỉnh (ƯỚC TÍNH)", nullptr}},
        {"Staffing, payroll and payouts (ESTIMATED)",
         {"Biên chế, quỹ lương và kinh phí chi trả chế độ (ƯỚC TÍNH)", nullptr}},
        {"The 5-year reduction", {"Lộ trình tinh giản biên chế 5 năm", nullptr}},
        {"The 5-year reduction (ESTIMATED)",
         {"Lộ trình tinh giản biên chế 5 năm (ƯỚC TÍNH)", nullptr}},
        {"What the staffing figures rest on", {"Căn cứ và giả định của số liệu biên chế", nullptr}},
        {"The standards applied", {"Tiêu chuẩn áp dụng", nullptr}},
        {"Provenance", {"Nguồn gốc số liệu", nullptr}},
        {"Maps", {"Bản đồ", nullptr}},
        {"Nation", {"Toàn quốc", nullptr}},
        {"Province", {"Tỉnh", nullptr}},
        {"Provinces", {"Theo tỉnh", nullptr}},
        {"Below standard", {"Chưa đạt tiêu chuẩn", nullptr}},
        {"Staffing", {"Biên chế", nullptr}},
        {"Roadmap", {"Lộ trình", nullptr}},
        {"Assumptions", {"Căn cứ, giả định", nullptr}},
        {"Standards", {"Tiêu chuẩn", nullptr}},
        {"rules profile", {"bộ tiêu chuẩn", nullptr}},
        {"made by amsim", {"lập bằng amsim", nullptr}},
        {"from", {"từ", nullptr}},
        {"estimated banner",
         {"Số liệu biên chế, quỹ lương và kinh phí chi trả là ƯỚC TÍNH theo định mức của pháp "
          "luật, trừ khi phương án có bảng biên chế thực tế; mọi giá trị làm căn cứ được liệt kê "
          "tại mục căn cứ và giả định.",
          "Staffing, payroll and payout figures are ESTIMATED from the legal norms "
          "unless the run was given a staffing table; every value they rest on is listed "
          "under the assumptions."}},
        {"staffing note",
         {"Cấp xã sau sắp xếp; tiền tính bằng tỷ đồng (số đồng chính xác trong bảng CSV kèm "
          "theo); ước tính theo định mức của pháp luật nếu không có bảng biên chế.",
          "Commune level after the merger; money in billion VND (exact VND in the CSV "
          "tables beside); estimated from the legal norms unless a staffing table was given."}},
        {"below note",
         {"Tất cả các đơn vị được đánh giá mà chưa đạt tiêu chuẩn; tỷ lệ được cắt (không làm "
          "tròn lên) để một đơn vị chưa đạt không bao giờ hiện 100%.",
          "Every unit evaluated and below standard; percentages are cut, not rounded up, so "
          "that a unit below standard never reads 100%."}},
        {"assumptions note",
         {"Chưa xác nhận = có: giá trị chưa được văn bản xác nhận; là tham số có thể thay đổi, "
          "không phải số liệu chính thức.",
          "Unconfirmed = yes: the value is not confirmed by the sources; a parameter, not "
          "a fact."}},
        {"Offices and official housing per province (ESTIMATED)",
         {"Trụ sở và nhà công vụ theo tỉnh (ƯỚC TÍNH)", nullptr}},
        {"Offices and official housing (ESTIMATED)", {"Trụ sở và nhà công vụ (ƯỚC TÍNH)", nullptr}},
        {"Old offices and the new seats", {"Trụ sở cũ và trụ sở đơn vị mới", nullptr}},
        {"Offices", {"Trụ sở", nullptr}},
        {"office list", {"Trụ sở cũ", "Old offices"}},
        {"offices note",
         {"Mỗi đơn vị cũ một trụ sở: vị trí theo bảng trụ sở của địa phương nếu có, nếu không "
          "lấy tâm đơn vị (ước tính). Trụ sở đơn vị mới là trụ sở cũ gần vị trí trụ sở chính "
          "thức nhất (hoặc theo bảng trụ sở, bảng sắp xếp); các trụ sở cũ khác dôi dư trừ khi "
          "bảng trụ sở ghi tiếp tục sử dụng. Nhu cầu nhà công vụ: cán bộ, công chức cấp xã cũ "
          "có trụ sở cũ cách trụ sở mới quá ngưỡng khoảng cách (tham số, chưa có quy định). Số "
          "công bố duy nhất (Tờ trình 2171/TTr-BNV: 4.226 trụ sở dôi dư trên 38.182 trụ sở cấp "
          "tỉnh của 52 tỉnh sáp nhập) tính trụ sở cơ quan cấp tỉnh, không so sánh được với trụ "
          "sở cấp xã ở đây.",
          "One office per old unit: at the point of the planner's offices table where given, "
          "else at the unit's centroid (estimated). A new unit's seat is the old office nearest "
          "its official seat point (or as the offices table or the mapping names it); the other "
          "old offices are surplus unless the table keeps them. Housing: cadres and civil "
          "servants of the old communes whose old office lies beyond the distance threshold "
          "from their new seat (a parameter; no rule sets it). The one published figure "
          "(report 2171/TTr-BNV: 4,226 surplus of 38,182 provincial-level offices in the 52 "
          "merging provinces) counts provincial agencies' offices, not comparable with the "
          "commune offices here."}},
        {"tables beside",
         {"Các bảng cũng được lưu dạng CSV (số liệu đầy đủ, chính xác) tại",
          "The tables are also, in full and exact, as CSV in"}},
        {"maps left out", {"Không kèm bản đồ (--no-maps).", "Maps left out (--no-maps)."}},
        {"new-unit", {"Đơn vị hành chính mới", nullptr}},
        {"verdict", {"Đạt, được miễn hoặc chưa đạt tiêu chuẩn", nullptr}},
        {"population-pct", {"Dân số so với tiêu chuẩn", nullptr}},
    };
}

std::vector<std::pair<std::string, std::pair<const char*, const char*>>> map_and_annex_phrases() {
    return {
        // The standards of the rules profiles, as they name them.
        {"phuong in a centrally-run city",
         {"phường thuộc thành phố trực thuộc Trung ương", nullptr}},
        {"other phuong", {"phường (khu vực khác)", nullptr}},
        {"other xa >= 100 % area, >= 200 % population of Res 1211",
         {"xã (khu vực khác): diện tích từ 100%, dân số từ 200% tiêu chuẩn của Nghị quyết "
          "1211/2016/UBTVQH13",
          nullptr}},
        {"xa mien nui, vung cao >= 200 % area, >= 100 % population of Res 1211",
         {"xã miền núi, vùng cao: diện tích từ 200%, dân số từ 100% tiêu chuẩn của Nghị quyết "
          "1211/2016/UBTVQH13",
          nullptr}},
        {"special zones (island districts) have no numeric standard",
         {"đặc khu (huyện đảo): không quy định tiêu chuẩn định lượng", nullptr}},
        // The annex (PDF).
        {"ANNEX", {"PHỤ LỤC", nullptr}},
        {"Annex", {"Phụ lục", nullptr}},
        {"annex of the proposal",
         {"KÈM THEO ĐỀ ÁN SẮP XẾP ĐƠN VỊ HÀNH CHÍNH",
          "TO THE PROPOSAL FOR MERGING ADMINISTRATIVE UNITS"}},
        {"date", {"ngày lập", nullptr}},
        {"annex sources",
         {"Diện tích và dân số là số liệu chính thức nếu có; nếu không, tính từ bản đồ hoặc lớp "
          "bản "
          "đồ nền (ghi rõ dưới số liệu). Tỷ lệ so với tiêu chuẩn được cắt, không làm tròn lên.",
          "Areas and populations are official where given; otherwise computed from the polygons or "
          "the base layer (named under the figure). Percentages of the standard are cut, never "
          "rounded up."}},
        {"Annex I. Summary", {"Phụ lục I. Tổng hợp kết quả sắp xếp", nullptr}},
        {"Annex II. The new units",
         {"Phụ lục II. Danh sách đơn vị hành chính cấp xã hình thành sau sắp xếp", nullptr}},
        {"Annex III. Units below standard",
         {"Phụ lục III. Đơn vị hành chính cấp xã chưa đạt tiêu chuẩn", nullptr}},
        {"Annex IV. Maps", {"Phụ lục IV. Bản đồ", nullptr}},
        {"figures note",
         {"diện tích (km²) và dân số (người), trong ngoặc là tỷ lệ so với tiêu chuẩn",
          "area (km²) and population, in brackets their % of the standard"}},
        {"No.", {"STT", nullptr}},
        {"New unit (code)", {"Đơn vị hành chính mới (mã)", nullptr}},
        {"Old units merged (code)", {"Các đơn vị hành chính cũ được sắp xếp (mã)", nullptr}},
        {"Area km2 (% of the standard)",
         {"Diện tích km² (% tiêu chuẩn)", "Area km² (% of the standard)"}},
        {"Population (% of the standard)", {"Dân số, người (% tiêu chuẩn)", nullptr}},
        {"Verdict", {"Kết quả đánh giá", nullptr}},
        {"Legal basis", {"Căn cứ", nullptr}},
        {"Seat", {"Trụ sở", nullptr}},
        {"Why", {"Lý do", nullptr}},
        {"units", {"đơn vị", nullptr}},
        {"in part", {"một phần", nullptr}},
        {"not known", {"chưa có số liệu", nullptr}},
        {"Meets the standard", {"Đạt tiêu chuẩn", nullptr}},
        {"Below standard", {"Chưa đạt tiêu chuẩn", nullptr}},
        {"Not judged", {"Không xét", nullptr}},
        {"it meets the standard anyway", {"vẫn đạt tiêu chuẩn", nullptr}},
        {"it would miss the standard if judged", {"nếu xét thì chưa đạt tiêu chuẩn", nullptr}},
        {"figures not known to judge it", {"chưa đủ số liệu để xét", nullptr}},
        {"region class estimated",
         {"vùng (miền núi hay khác) ước tính theo mật độ dân số", nullptr}},
        {"rests on an unconfirmed value", {"dựa trên giá trị chưa được xác nhận", nullptr}},
        // The staffing assumptions, by name.
        {"old commune staff", {"Biên chế cấp xã cũ", nullptr}},
        {"commune cadres", {"Cán bộ cấp xã", nullptr}},
        {"district staff", {"Biên chế cấp huyện", nullptr}},
        {"district cadres", {"Cán bộ cấp huyện", nullptr}},
        {"district staff to communes", {"Phân bổ biên chế cấp huyện về cấp xã", nullptr}},
        {"provincial bodies", {"Biên chế cơ quan cấp tỉnh", nullptr}},
        {"new commune norm", {"Định mức biên chế xã mới", nullptr}},
        {"surplus by category", {"Dôi dư theo loại", nullptr}},
        {"reduction profile", {"Lộ trình tinh giản", nullptr}},
        {"retirements", {"Nghỉ hưu đúng tuổi", nullptr}},
        {"paid leavers", {"Nghỉ hưởng chính sách", nullptr}},
        {"non-specialised workers", {"Người hoạt động không chuyên trách", nullptr}},
        {"pay", {"Tiền lương", nullptr}},
        {"leadership allowances per commune", {"Phụ cấp chức vụ lãnh đạo mỗi xã", nullptr}},
        // The maps: titles, legends, footers.
        {"new units", {"đơn vị hành chính cấp xã mới", nullptr}},
        {"population, % of the standard", {"Dân số so với tiêu chuẩn (%)", nullptr}},
        {"area, % of the standard", {"Diện tích so với tiêu chuẩn (%)", nullptr}},
        {"staff above the norm (estimated)",
         {"Số người dôi dư so với định mức biên chế (ước tính)", nullptr}},
        {"farthest old unit from the seat, km",
         {"Khoảng cách xa nhất từ đơn vị cũ đến trụ sở (km)", nullptr}},
        {"standard met, waived or missed",
         {"Đạt tiêu chuẩn, được miễn xét hoặc chưa đạt", nullptr}},
        {"where two plans differ", {"Khác biệt giữa hai phương án", nullptr}},
        {"surplus offices per new unit (estimated)",
         {"Số trụ sở dôi dư của mỗi đơn vị mới (ước tính)", nullptr}},
        {"none", {"không có", nullptr}},
        {"seat of the new unit (an old office)", {"trụ sở đơn vị mới (trụ sở cũ)", nullptr}},
        {"old office kept", {"trụ sở cũ tiếp tục sử dụng", nullptr}},
        {"surplus old office", {"trụ sở cũ dôi dư", nullptr}},
        {"to the seat", {"đến trụ sở mới", nullptr}},
        {"offices at the old units' centroids unless given: ESTIMATED",
         {"trụ sở cũ đặt tại tâm đơn vị nếu không có bảng trụ sở: ƯỚC TÍNH", nullptr}},
        {"below the norm", {"dưới định mức", nullptr}},
        {"not evaluated", {"chưa đánh giá", nullptr}},
        {"below standard", {"chưa đạt tiêu chuẩn", nullptr}},
        {"meets it", {"đạt tiêu chuẩn", nullptr}},
        {"waived, meets it anyway", {"miễn xét, vẫn đạt tiêu chuẩn", nullptr}},
        {"waived, would miss it or not known",
         {"miễn xét, nếu xét thì chưa đạt hoặc thiếu số liệu", nullptr}},
        {"same partners in both plans", {"sắp xếp như nhau ở hai phương án", nullptr}},
        {"partners differ", {"sắp xếp khác nhau", nullptr}},
        {"no data", {"không có số liệu", nullptr}},
        {"a new unit (neighbours differ in colour)",
         {"mỗi đơn vị mới một màu (đơn vị liền kề khác màu)", nullptr}},
        {"old units", {"ranh giới đơn vị cũ", nullptr}},
        {"provinces", {"ranh giới tỉnh", nullptr}},
        {"plan A", {"phương án A", nullptr}},
        {"plan B", {"phương án B", nullptr}},
        {"scenario", {"phương án", nullptr}},
        {"rules", {"bộ tiêu chuẩn", nullptr}},
        {"off the map (remote islands)", {"ngoài khung bản đồ (đảo xa)", nullptr}},
        {"enlarged", {"phóng to", nullptr}},
        {"centre enlarged", {"phóng to khu vực trung tâm", nullptr}},
        {"longitude scaled by cos(latitude)", {"kinh độ nhân cos(vĩ độ)", nullptr}},
        {"staff ESTIMATED from the legal norms",
         {"biên chế ƯỚC TÍNH theo định mức của pháp luật", nullptr}},
        {"yes", {"có", nullptr}},
        {"no", {"không", nullptr}},
    };
}

const std::map<std::string, std::pair<const char*, const char*>>& phrases() {
    static const std::map<std::string, std::pair<const char*, const char*>> f = [] {
        std::map<std::string, std::pair<const char*, const char*>> all;
        for (const auto& list : {report_phrases(), map_and_annex_phrases()}) {
            all.insert(list.begin(), list.end());
        }
        return all;
    }();
    return f;
}

/// "Res 76/2025" and its kin, spelt out.
const std::vector<std::pair<std::regex, std::pair<std::string, std::string>>>& laws() {
    static const std::vector<std::pair<std::regex, std::pair<std::string, std::string>>> l = {
        {std::regex(R"(Res 76(/2025)?\b)"),
         {"Nghị quyết 76/2025/UBTVQH15", "Resolution 76/2025/UBTVQH15"}},
        {std::regex(R"(Res 1211(/2016)?\b)"),
         {"Nghị quyết 1211/2016/UBTVQH13", "Resolution 1211/2016/UBTVQH13"}},
        {std::regex(R"(Res 112(/2025)?\b)"),
         {"Nghị quyết 112/2025/UBTVQH15", "Resolution 112/2025/UBTVQH15"}},
        {std::regex(R"(Res 27(/2022)?\b)"),
         {"Nghị quyết 27/2022/UBTVQH15", "Resolution 27/2022/UBTVQH15"}},
        {std::regex(R"(Decree (\d+)/(\d{4})(/N[DĐ]-CP)?)"),
         {"Nghị định $1/$2/NĐ-CP", "Decree $1/$2/NĐ-CP"}},
        {std::regex(R"(Decree (\d+)\b)"), {"Nghị định $1", "Decree $1"}},
        {std::regex(R"(Decision (\d+)\b)"), {"Quyết định $1", "Decision $1"}},
        {std::regex(R"(Law on Cadres and Civil Servants (\d{4}), Art\. (\d+)\((\d+)\))"),
         {"Luật Cán bộ, công chức năm $1, Điều $2 khoản $3",
          "Law on Cadres and Civil Servants $1, Art. $2($3)"}},
        // The project's own notes are no source a reader has.
        {std::regex(R"(;?\s*(not in )?RULES\.md( §[0-9.\-]+)?)"), {"", ""}},
        {std::regex(R"(\s*\(\s*\))"), {"", ""}},
        {std::regex(R"(\s*\[[PSL]\])"), {"", ""}},
        {std::regex(R"(\[U\])"), {"(chưa xác nhận)", "(unconfirmed)"}},
    };
    return l;
}

std::string translate_why(const std::string& why, Lang lang) {
    if (lang == Lang::en) {
        return why;
    }
    const std::string& s = why;
    auto pct = [](const std::string& p) {
        std::string v = p;
        for (char& c : v) {
            c = c == '.' ? ',' : c;
        }
        return v;
    };
    std::smatch m;
    std::string out;
    static const std::regex area(R"(area ([0-9.]+)% of ([0-9.]+) km2)");
    static const std::regex people(R"(population ([0-9.]+)% of ([0-9.]+)( \(reduced\))?)");
    static const std::regex merged(R"((\d+) units merged: .*)");
    static const std::regex no_standard(R"(no numeric standard \((.*)\))");
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t end = std::min(s.find("; ", start), s.size());
        const std::string part = s.substr(start, end - start);
        std::string t = part;
        if (std::regex_match(part, m, area)) {
            t = "diện tích đạt " + pct(m[1]) + "% tiêu chuẩn " +
                number(std::strtod(m[2].str().c_str(), nullptr), 0, lang) + " km²";
        } else if (std::regex_match(part, m, people)) {
            t = "dân số đạt " + pct(m[1]) + "% tiêu chuẩn " +
                number(std::strtod(m[2].str().c_str(), nullptr), 0, lang) + " người" +
                (m[3].matched ? " (tiêu chuẩn đã giảm)" : "");
        } else if (part == "not judged (population unknown)") {
            t = "chưa đánh giá (thiếu số liệu dân số)";
        } else if (std::regex_match(part, m, no_standard)) {
            t = "không xét tiêu chuẩn (" + standard_text(m[1].str(), lang) + ")";
        } else if (std::regex_match(part, m, merged)) {
            t = "hợp nhất từ " + m[1].str() + " đơn vị: không xét tiêu chuẩn";
        }
        out += (out.empty() ? "" : "; ") + t;
        if (end == s.size()) {
            break;
        }
        start = end + 2;
    }
    return out;
}

} // namespace

Column column(const std::string& field, Lang lang) {
    const auto it = fields().find(field);
    if (it == fields().end()) {
        return {field, Kind::text};
    }
    return {lang == Lang::vi ? it->second.vi : it->second.en, it->second.kind};
}

std::string number(double v, int decimals, Lang lang) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s[0] == '-' && std::strtod(s.c_str(), nullptr) == 0) {
        s.erase(0, 1); // no "-0"
    }
    const char group = lang == Lang::vi ? '.' : ',';
    const char point = lang == Lang::vi ? ',' : '.';
    const std::size_t dot = s.find('.');
    if (dot != std::string::npos) {
        s[dot] = point;
    }
    const std::size_t end_int = dot == std::string::npos ? s.size() : dot;
    const std::size_t start = s[0] == '-' ? 1 : 0;
    for (std::size_t i = end_int; i > start + 3; i -= 3) {
        s.insert(i - 3, 1, group);
    }
    return s;
}

std::string cell(const std::string& raw, Kind kind, Lang lang) {
    char* end = nullptr;
    const double v = std::strtod(raw.c_str(), &end);
    const bool is_number = !raw.empty() && end == raw.c_str() + raw.size() && std::isfinite(v);
    switch (kind) {
    case Kind::count:
        return is_number ? number(v, v == std::floor(v) ? 0 : 2, lang) : raw;
    case Kind::people:
        return is_number ? number(std::round(v), 0, lang) : raw;
    case Kind::area:
        return is_number ? number(v, 2, lang) : raw;
    case Kind::km:
        return is_number ? number(v, 1, lang) : raw;
    case Kind::pct:
        // Cut toward zero at one decimal: a unit at 99.96 % reads 99.9, never 100.
        return is_number ? number(std::trunc(v * 10) / 10, 1, lang) : raw;
    case Kind::money:
        return is_number ? number(v / 1e9, 2, lang) : raw;
    case Kind::flag:
        if (raw == "1" || raw == "0") {
            return phrase(raw == "1" ? "yes" : "no", lang);
        }
        return raw;
    case Kind::type:
    case Kind::region:
    case Kind::source: {
        if (const auto it = values().find(raw); it != values().end()) {
            return lang == Lang::vi ? it->second.first : it->second.second;
        }
        return kind == Kind::source ? legal(raw, lang) : raw;
    }
    case Kind::why:
        return translate_why(raw, lang);
    case Kind::prose:
        return prose(raw, lang);
    case Kind::code:
    case Kind::text:
        break;
    }
    return kind == Kind::text ? legal(raw, lang) : raw;
}

std::string legal(const std::string& text, Lang lang) {
    std::string s = text;
    for (const auto& [re, spelt] : laws()) {
        s = std::regex_replace(s, re, lang == Lang::vi ? spelt.first : spelt.second);
    }
    return s;
}

namespace {

/// Numbers written the English way ("447,657", "4.32", "140000") written the Vietnamese way
/// ("447.657", "4,32", "140.000"); a law's number ("33/2023") is left alone.
std::string vi_numbers(const std::string& s) {
    static const std::regex numeral(
        R"((^|[^\d/.,])(\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?)(?![\d/]))");
    std::string out;
    auto last = s.cbegin();
    for (std::sregex_iterator it(s.begin(), s.end(), numeral), end; it != end; ++it) {
        const std::smatch& m = *it;
        out.append(last, m[2].first);
        std::string digits = m[2].str();
        digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
        const double v = std::strtod(digits.c_str(), nullptr);
        const std::string text = m[2].str();
        const std::size_t point = text.find('.');
        const int decimals =
            point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
        out += v >= 10000 || decimals > 0 || m[2].str().find(',') != std::string::npos
                   ? number(v, decimals, Lang::vi)
                   : m[2].str();
        last = m[2].second;
    }
    out.append(last, s.cend());
    return out;
}

} // namespace

std::string prose(const std::string& raw, Lang lang) {
    if (lang == Lang::en) {
        return legal(raw, lang);
    }
    if (const auto it = phrases().find(raw); it != phrases().end()) {
        return it->second.first;
    }
    // Whole values, their numbers kept.
    using Rule = std::pair<std::regex, const char*>;
    static const std::vector<Rule> values = {
        {std::regex(R"(^staffing table$)"), "bảng biên chế thực tế"},
        {std::regex(R"(^Decree 33/2023 norms, class (\d+) for every commune(.*)$)"),
         "định mức theo Nghị định 33/2023/NĐ-CP, xã loại $1 cho mọi xã$2"},
        {std::regex(R"(^the (\d+) elected posts of each commune$)"),
         "$1 chức danh bầu cử của mỗi xã"},
        {std::regex(R"(^([\d,]+) nationally, by population \((\d+) districts from the table\)$)"),
         "$1 người cả nước, phân theo dân số ($2 huyện theo bảng biên chế)"},
        {std::regex(R"(^(\d+) % of district staff$)"), "$1% biên chế cấp huyện"},
        {std::regex(R"(^by population share$)"), "theo tỷ lệ dân số"},
        {std::regex(R"(^by area share$)"), "theo tỷ lệ diện tích"},
        {std::regex(R"(^by unit count$)"), "theo số đơn vị"},
        {std::regex(R"(^the 52 merging provinces' ([\d,]+) norms per inhabitant, applied to every )"
                    R"(province \((\d+) provinces from the table\)$)"),
         "định mức bình quân đầu người của 52 tỉnh sắp xếp ($1 biên chế), áp dụng cho mọi tỉnh ($2 "
         "tỉnh theo bảng biên chế)"},
        {std::regex(R"(^(\d+) government posts \+ 1 per (\d+) people above 16,000 \((\d+) in )"
                    R"(mountain communes\), at most (\d+) \(xa\) or (\d+) \(phuong, dac khu\); )"
                    R"(\+ (\d+) Party and mass-organisation posts$)"),
         "$1 biên chế chính quyền + 1 cho mỗi $2 người trên 16.000 người ($3 ở xã miền núi), tối "
         "đa $4 (xã) hoặc $5 (phường, đặc khu); + $6 biên chế khối Đảng, đoàn thể"},
        {std::regex(R"(^shared between cadres and civil servants in proportion to the staff )"
                    R"(inherited$)"),
         "chia giữa cán bộ và công chức theo tỷ lệ biên chế tiếp nhận"},
        {std::regex(R"(^linear over 5 years$)"), "đều trong 5 năm"},
        {std::regex(R"(^front-loaded: 40/30/15/10/5 %$)"), "dồn vào các năm đầu: 40/30/15/10/5%"},
        {std::regex(R"(^([\d.]+) % of staff a year$)"), "$1% biên chế mỗi năm"},
        {std::regex(R"(^from the age distribution (.*), retirement age ([\d.]+)$)"),
         "theo phân bố độ tuổi $1, tuổi nghỉ hưu $2"},
        {std::regex(R"(^(\d+) % early retirement \(Decree 178 A; typical person ([\d.]+), (\d+) )"
                    R"(years of SI, (\d+) months early\), the rest resignation \(Decree 178 B; )"
                    R"(([\d.]+), (\d+) years of SI\)$)"),
         "$1% nghỉ hưu trước tuổi (Nghị định 178, trường hợp a; người điển hình hệ số lương $2, $3 "
         "năm đóng BHXH, nghỉ sớm $4 tháng), còn lại nghỉ thôi việc (Nghị định 178, trường hợp b; "
         "hệ số lương $5, $6 năm đóng BHXH)"},
        {std::regex(R"(^posts end with the two-tier model, paid in year 1: a typical worker on an )"
                    R"(allowance of (\d+) VND/month, (\d+) years worked, (\d+) years to )"
                    R"(retirement$)"),
         "chức danh chấm dứt khi tổ chức chính quyền địa phương hai cấp, chi trả trong năm thứ "
         "nhất: người điển hình hưởng phụ cấp $1 đồng/tháng, đã làm việc $2 năm, còn $3 năm đến "
         "tuổi nghỉ hưu"},
        {std::regex(R"(^salary coefficient x (\d+) VND x 12, \+ (\d+) % public-service )"
                    R"(allowance; mean coefficient ([\d.]+) where no table gives one$)"),
         "hệ số lương × $1 đồng × 12 tháng, + $2% phụ cấp công vụ; hệ số lương bình quân $3 nếu "
         "bảng biên chế không có"},
        {std::regex(R"(^([\d.]+) \(Ha Noi, TP HCM ([\d.]+)\): chairman, 2.5 vice-chairs, 4 )"
                    R"(heads, 8 deputies$)"),
         "$1 (Hà Nội, TP Hồ Chí Minh $2): chủ tịch, 2,5 phó chủ tịch, 4 trưởng phòng, 8 phó "
         "trưởng phòng"},
    };
    std::smatch m;
    for (const auto& [re, vi] : values) {
        if (std::regex_match(raw, m, re)) {
            static const std::regex table_units(R"( \((\d+) units from the staffing table\))");
            // The template's own words as they are; the numbers it takes, as Vietnamese writes.
            std::string out = vi;
            for (std::size_t k = m.size() - 1; k >= 1; --k) {
                const std::string mark = "$" + std::to_string(k);
                const std::string value = vi_numbers(m[k].str());
                for (std::size_t at = out.find(mark); at != std::string::npos;
                     at = out.find(mark, at + value.size())) {
                    out.replace(at, mark.size(), value);
                }
            }
            return std::regex_replace(out, table_units, " ($1 đơn vị theo bảng biên chế)");
        }
    }
    // Sources: the laws spelt out, then the project's wording.
    static const std::vector<Rule> fragments = {
        {std::regex(R"(\(commune class not in the data\))"), "(loại xã không có trong dữ liệu)"},
        {std::regex(R"(\(about 140,000 district staff move to communes\))"),
         "(khoảng 140.000 biên chế cấp huyện chuyển về cấp xã)"},
        {std::regex(R"(^no published split$)"), "chưa có số liệu công bố"},
        {std::regex(R"(^issue 4: population share by default$)"), "mặc định theo tỷ lệ dân số"},
        {std::regex(R"(\(2,321 cadres, 79,118 civil servants, 366,218 public employees\))"),
         "(2.321 cán bộ, 79.118 công chức, 366.218 viên chức)"},
        {std::regex(R"(increments and caps)"), "mức tăng và mức trần"},
        {std::regex(R"(^the norms are not set by category$)"), "định mức không quy định theo loại"},
        {std::regex(R"(5 years; no annual profile prescribed)"),
         "5 năm; không quy định lộ trình từng năm"},
        {std::regex(R"(^no age data published$)"), "chưa có số liệu độ tuổi được công bố"},
        {std::regex(R"( as amended by )"), " được sửa đổi bởi "},
        {std::regex(R"( as amended,)"), " được sửa đổi,"},
        {std::regex(R"(, Art\. (\d+) cl\. ([0-9a-z, ]+))"), ", Điều $1 khoản $2"},
        {std::regex(R"( Art\. (\d+))"), " Điều $1"},
        {std::regex(R"(coefficients; numbers of posts from drafts)"),
         "hệ số; số chức danh theo dự thảo"},
        {std::regex(R"(mean coefficient)"), "hệ số lương bình quân"},
        {std::regex(R"( at 100 %)"), " ở mức 100%"},
        {std::regex(R"( via a secondary summary)"), " (theo bản tóm tắt thứ cấp)"},
        {std::regex(R"(units of island districts have no numeric standard)"),
         "đơn vị thuộc huyện đảo: không quy định tiêu chuẩn định lượng"},
        {std::regex(R"(phuong in a mountainous, highland or border province)"),
         "phường thuộc tỉnh miền núi, vùng cao, biên giới"},
        {std::regex(R"(; not in$)"), ""},
    };
    std::string s = standard_text(raw, lang);
    for (const auto& [re, vi] : fragments) {
        s = std::regex_replace(s, re, vi);
    }
    return s;
}

std::string standard_text(const std::string& raw, Lang lang) {
    static const std::regex marks(R"(\s*\[[A-Z]\])");
    const std::string s = std::regex_replace(raw, marks, "");
    const std::size_t colon = s.find(": ");
    if (colon == std::string::npos) {
        return legal(s, lang);
    }
    const std::string tail = s.substr(colon + 2);
    const std::string said = phrase(tail, lang);
    return legal(s.substr(0, colon), lang) + ": " + (said == tail ? legal(tail, lang) : said);
}

std::string phrase(const std::string& english, Lang lang) {
    const auto it = phrases().find(english);
    if (it == phrases().end()) {
        return english;
    }
    if (lang == Lang::vi) {
        return it->second.first;
    }
    return it->second.second != nullptr ? it->second.second : english;
}

} // namespace amsim::sim::report_text
