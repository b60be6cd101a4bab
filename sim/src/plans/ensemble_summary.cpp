#include "amsim/core/error.hpp"
#include "amsim/geo/ogr_io.hpp"
#include "amsim/geo/text.hpp"
#include "amsim/sim/plans/ensemble_store.hpp"
#include "amsim/sim/scenario/csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <set>
#include <sstream>

#include "ensemble_shards.hpp"

namespace amsim::sim {

namespace fs = std::filesystem;

double percentile_of(const std::vector<double>& sorted, double x) {
    if (sorted.empty()) {
        return 0;
    }
    const auto below = std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin();
    const auto equal = std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin() - below;
    return 100.0 * (static_cast<double>(below) + 0.5 * static_cast<double>(equal)) /
           static_cast<double>(sorted.size());
}

double split_rhat(const std::vector<std::vector<double>>& chains) {
    // Each chain split in halves, all cut to the shortest half.
    std::vector<std::vector<double>> halves;
    std::size_t n = std::numeric_limits<std::size_t>::max();
    for (const auto& c : chains) {
        if (c.size() >= 4) {
            const std::size_t h = c.size() / 2;
            halves.emplace_back(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(h));
            halves.emplace_back(c.end() - static_cast<std::ptrdiff_t>(h), c.end());
            n = std::min(n, h);
        }
    }
    if (halves.size() < 4) { // two chains at least
        return 0;
    }
    const auto m = static_cast<double>(halves.size());
    const auto nn = static_cast<double>(n);
    std::vector<double> means;
    double within = 0;
    for (auto& h : halves) {
        h.resize(n);
        const double mean = std::accumulate(h.begin(), h.end(), 0.0) / nn;
        double ss = 0;
        for (const double v : h) {
            ss += (v - mean) * (v - mean);
        }
        within += ss / (nn - 1);
        means.push_back(mean);
    }
    within /= m;
    const double grand = std::accumulate(means.begin(), means.end(), 0.0) / m;
    double between = 0;
    for (const double v : means) {
        between += (v - grand) * (v - grand);
    }
    between = nn * between / (m - 1);
    if (within <= 0) {
        return 0;
    }
    const double var_plus = (nn - 1) / nn * within + between / nn;
    return std::sqrt(var_plus / within);
}

namespace {

struct MetricText {
    const char* key;
    const char* vi;
    const char* en;
    const char* source_vi;
    const char* source_en;
};

const MetricText metric_texts[] = {
    {"units", "Số đơn vị cấp xã mới", "New units", "", ""},
    {"below_standard",
     "Đơn vị dưới tiêu chuẩn (sau miễn trừ)",
     "Units below standard (after any waiver)",
     "tính từ ranh giới và dân số của lớp nền",
     "computed from the polygons and the base's population"},
    {"meets_outright",
     "Đơn vị tự đạt tiêu chuẩn",
     "Units meeting the standard outright",
     "tính từ ranh giới và dân số của lớp nền",
     "computed from the polygons and the base's population"},
    {"waived",
     "Đơn vị được miễn tiêu chuẩn",
     "Units waived",
     "theo quy tắc miễn trừ của bộ quy tắc",
     "by the rules profile's waiver"},
    {"polsby_popper_mean",
     "Độ gọn Polsby-Popper (trung bình)",
     "Polsby-Popper compactness (mean)",
     "tính từ ranh giới",
     "computed from the polygons"},
    {"cut_edges",
     "Số cạnh kề bị cắt",
     "Cut edges",
     "tính từ quan hệ kề của ranh giới",
     "computed from the polygons' adjacency"},
    {"seat_km_mean",
     "Khoảng cách xa nhất đến trụ sở, trung bình (km)",
     "Farthest member from the seat, mean (km)",
     "tâm đơn vị cũ; trụ sở tại đơn vị đông dân nhất",
     "old units' centroids; the seat at the most populous member"},
    {"seat_km_max",
     "Khoảng cách xa nhất đến trụ sở, lớn nhất (km)",
     "Farthest member from the seat, largest (km)",
     "tâm đơn vị cũ; trụ sở tại đơn vị đông dân nhất",
     "old units' centroids; the seat at the most populous member"},
    {"norm", "Định mức biên chế", "Staff norm", "ước tính (định mức mới)", "estimated (new norms)"},
    {"surplus",
     "Biên chế dôi dư",
     "Staff surplus",
     "ước tính (biên chế ước tính theo định mức cũ)",
     "estimated (staff estimated from the old norms)"},
    {"payouts_vnd",
     "Chi trả chính sách 5 năm",
     "5-year payouts",
     "ước tính (người điển hình, các giá trị [U])",
     "estimated (a typical person, [U] values)"},
};

const MetricText& text_of(const std::string& key) {
    for (const MetricText& t : metric_texts) {
        if (key == t.key) {
            return t;
        }
    }
    throw InternalError("ensemble: no text for metric " + key);
}

/// Shards checked to be of one run, plans merged.
struct Merged {
    ShardMeta meta;
    std::vector<std::size_t> found, missing;
    std::vector<PlanRecord> plans; ///< by plan, then province
    ReferencePlans references;
    std::vector<ChainStats> chains;
};

Merged merge_shards(const std::vector<std::string>& files) {
    Merged out;
    std::set<std::size_t> shards;
    std::map<std::pair<std::size_t, std::string>, ChainStats> chains;
    std::string first;
    for (const std::string& f : files) {
        Shard s = read_shard(f);
        if (first.empty()) {
            first = f;
            out.meta = s.meta;
            out.references = s.references;
        }
        const ShardMeta& a = out.meta;
        const ShardMeta& b = s.meta;
        if (a.inputs_sha256 != b.inputs_sha256 || a.seed != b.seed || a.plans != b.plans ||
            a.shards != b.shards || a.plans_per_chain != b.plans_per_chain ||
            a.burn_in != b.burn_in || a.thin != b.thin || a.province != b.province ||
            a.reduction != b.reduction || a.rules != b.rules) {
            throw InputError(f + ": a shard of another run than " + first +
                             " (scenario inputs, rules, seed, plans, shards or chain settings "
                             "differ): shards of one run only");
        }
        if (!shards.insert(b.shard).second) {
            throw InputError(f + ": shard " + std::to_string(b.shard + 1) + " of " +
                             std::to_string(b.shards) + " given twice");
        }
        for (PlanRecord& p : s.plans) {
            out.plans.push_back(std::move(p));
        }
        // A chain split between shards is run from its start in each: the shard that ran it
        // furthest has every step of the others'.
        for (const ChainStats& c : s.chains) {
            const auto [it, added] = chains.try_emplace({c.chain, c.province}, c);
            if (!added && c.steps > it->second.steps) {
                it->second = c;
            }
        }
    }
    for (auto& [key, c] : chains) {
        out.chains.push_back(c);
    }
    for (std::size_t k = 0; k < out.meta.shards; ++k) {
        (shards.contains(k) ? out.found : out.missing).push_back(k + 1);
    }
    std::sort(out.plans.begin(), out.plans.end(), [](const PlanRecord& x, const PlanRecord& y) {
        return x.plan != y.plan ? x.plan < y.plan : x.province < y.province;
    });
    for (std::size_t i = 1; i < out.plans.size(); ++i) {
        if (out.plans[i].plan == out.plans[i - 1].plan &&
            out.plans[i].province == out.plans[i - 1].province) {
            throw InputError("plan " + std::to_string(out.plans[i].plan) +
                             " found twice among the shards");
        }
    }
    return out;
}

/// Per plan: national metrics (province rows summed in code order) and its chain.
struct NationalPlan {
    std::size_t plan = 0, chain = 0;
    PlanMetrics metrics;
};

std::vector<NationalPlan> national_plans(const std::vector<PlanRecord>& plans) {
    std::vector<NationalPlan> out;
    for (const PlanRecord& p : plans) {
        if (out.empty() || out.back().plan != p.plan) {
            out.push_back({p.plan, p.chain, PlanMetrics{}});
        }
        add_metrics(out.back().metrics, p.metrics);
    }
    return out;
}

double quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) {
        return 0;
    }
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(pos));
    const double f = pos - static_cast<double>(i);
    return i + 1 < sorted.size() ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/// The summary of one metric over draws (plan, chain, value).
MetricSummary summarise_metric(const std::string& province,
                               const std::string& metric,
                               const std::vector<std::pair<std::size_t, double>>& draws,
                               const std::map<std::string, double>& references,
                               std::size_t bins) {
    MetricSummary s;
    s.province = province;
    s.metric = metric;
    std::vector<double> v;
    std::map<std::size_t, std::vector<double>> by_chain;
    for (const auto& [chain, x] : draws) {
        v.push_back(x);
        by_chain[chain].push_back(x);
    }
    std::sort(v.begin(), v.end());
    s.n = v.size();
    if (!v.empty()) {
        s.min = v.front();
        s.max = v.back();
        s.p05 = quantile(v, 0.05);
        s.p25 = quantile(v, 0.25);
        s.median = quantile(v, 0.5);
        s.p75 = quantile(v, 0.75);
        s.p95 = quantile(v, 0.95);
        s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    }
    s.lo = s.min;
    s.hi = s.max;
    for (const auto& [name, x] : references) {
        s.reference[name] = x;
        s.percentile[name] = percentile_of(v, x);
        s.lo = std::min(s.lo, x);
        s.hi = std::max(s.hi, x);
    }
    s.histogram.assign(bins, 0);
    for (const double x : v) {
        const double w = s.hi > s.lo ? (x - s.lo) / (s.hi - s.lo) : 0.5;
        ++s.histogram[std::min(bins - 1, static_cast<std::size_t>(w * static_cast<double>(bins)))];
    }
    std::vector<std::vector<double>> chains;
    chains.reserve(by_chain.size());
    for (auto& [chain, xs] : by_chain) {
        chains.push_back(std::move(xs));
    }
    s.rhat = split_rhat(chains);
    return s;
}

std::string number(double x, int decimals = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
    std::string t = buf;
    if (t.find('.') != std::string::npos) {
        t.erase(t.find_last_not_of('0') + 1);
        if (t.back() == '.') {
            t.pop_back();
        }
    }
    return t == "-0" ? "0" : t;
}

/// A metric's value as a planner reads it: whole numbers of units and staff, compactness to 3
/// decimals, km to 1, payouts in billions of dong (tỷ đồng); thousands grouped, Vietnamese
/// style ("1.234,5") in Vietnamese.
std::string shown(const std::string& metric, double x, bool vi) {
    int decimals = 0;
    if (metric == "polsby_popper_mean") {
        decimals = 3;
    } else if (metric.starts_with("seat_km") || metric == "payouts_vnd") {
        decimals = 1;
    }
    if (metric == "payouts_vnd") {
        x /= 1e9;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
    std::string digits = buf, sign;
    if (digits.starts_with("-")) {
        sign = "-";
        digits.erase(0, 1);
    }
    const std::size_t point = digits.find('.');
    std::string whole = digits.substr(0, point);
    const std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
    for (auto k = static_cast<std::ptrdiff_t>(whole.size()) - 3; k > 0; k -= 3) {
        whole.insert(static_cast<std::size_t>(k), vi ? "." : ",");
    }
    return sign + whole + (fraction.empty() ? "" : (vi ? "," : ".") + fraction);
}

/// A histogram as inline SVG: bars of the ensemble, a line per reference plan.
std::string histogram_svg(const MetricSummary& s, bool vi) {
    const double w = 360, h = 90, pad = 4;
    std::ostringstream o;
    o << R"(<svg class="hist" viewBox="0 0 360 104" width="360" height="104" role="img">)";
    const std::size_t top =
        std::max<std::size_t>(1, *std::max_element(s.histogram.begin(), s.histogram.end()));
    const double bw = (w - 2 * pad) / static_cast<double>(s.histogram.size());
    for (std::size_t b = 0; b < s.histogram.size(); ++b) {
        const double bh = (h - 10) * static_cast<double>(s.histogram[b]) / static_cast<double>(top);
        o << R"(<rect x=")" << number(pad + static_cast<double>(b) * bw, 1) << R"(" y=")"
          << number(h - bh, 1) << R"(" width=")" << number(bw - 1, 1) << R"(" height=")"
          << number(bh, 1) << R"(" fill="#8fb3d9"/>)";
    }
    const char* colours[] = {"#c0392b", "#27ae60", "#8e44ad", "#d35400"};
    std::size_t k = 0;
    for (const auto& [name, x] : s.reference) {
        const double f = s.hi > s.lo ? (x - s.lo) / (s.hi - s.lo) : 0.5;
        const std::string px = number(pad + f * (w - 2 * pad), 1);
        o << R"(<line x1=")" << px << R"(" x2=")" << px << R"(" y1="0" y2="90" stroke=")"
          << colours[k % 4] << R"(" stroke-width="2"><title>)" << geo::xml_escape(name) << ": "
          << shown(s.metric, x, vi) << "</title></line>";
        ++k;
    }
    o << R"(<text x="4" y="102" font-size="10">)" << shown(s.metric, s.lo, vi)
      << R"(</text><text x="356" y="102" font-size="10" text-anchor="end">)"
      << shown(s.metric, s.hi, vi) << "</text></svg>";
    return o.str();
}

/// The summary as a long table: one row per province and metric.
std::vector<geo::OutputField> summary_table(const EnsembleSummary& sum,
                                            const std::vector<std::string>& refs) {
    using geo::OutputField;
    std::vector<OutputField> f;
    for (const char* name : {"province", "province_name", "metric", "metric_vi", "source"}) {
        f.push_back({name, OutputField::Kind::string, {}});
    }
    for (const char* name :
         {"plans", "min", "p05", "p25", "median", "p75", "p95", "max", "mean", "rhat"}) {
        f.push_back({name, OutputField::Kind::real, {}});
    }
    for (const std::string& r : refs) {
        f.push_back({r + "_value", OutputField::Kind::real, {}});
        f.push_back({r + "_percentile", OutputField::Kind::real, {}});
    }
    for (const MetricSummary& s : sum.metrics) {
        const auto name = sum.meta.province_names.find(s.province);
        std::vector<geo::AttributeValue> row = {
            s.province.empty() ? std::string("national") : s.province,
            name != sum.meta.province_names.end() ? name->second : std::string(),
            s.metric,
            std::string(text_of(s.metric).vi),
            std::string(text_of(s.metric).source_en),
            static_cast<double>(s.n),
            s.min,
            s.p05,
            s.p25,
            s.median,
            s.p75,
            s.p95,
            s.max,
            s.mean,
            s.rhat};
        for (const std::string& r : refs) {
            const auto it = s.reference.find(r);
            row.emplace_back(it != s.reference.end() ? geo::AttributeValue(it->second)
                                                     : geo::AttributeValue());
            const auto pt = s.percentile.find(r);
            row.emplace_back(pt != s.percentile.end() ? geo::AttributeValue(pt->second)
                                                      : geo::AttributeValue());
        }
        geo::append_row(f, std::move(row));
    }
    return f;
}

std::string hex(std::uint64_t x) {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
    return buf;
}

/// Every plan's national metrics and checksum.
std::vector<geo::OutputField> plans_table(const std::vector<NationalPlan>& plans) {
    using geo::OutputField;
    std::vector<OutputField> f = {{"plan", OutputField::Kind::integer, {}},
                                  {"chain", OutputField::Kind::integer, {}},
                                  {"checksum", OutputField::Kind::string, {}}};
    for (const auto& [name, v] : metric_values(PlanMetrics{})) {
        f.push_back({name, OutputField::Kind::real, {}});
    }
    for (const NationalPlan& p : plans) {
        std::vector<geo::AttributeValue> row = {static_cast<std::int64_t>(p.plan),
                                                static_cast<std::int64_t>(p.chain),
                                                hex(p.metrics.checksum)};
        for (const auto& [name, v] : metric_values(p.metrics)) {
            row.emplace_back(v);
        }
        geo::append_row(f, std::move(row));
    }
    return f;
}

/// The report's table by province: one reference plan's value and percentile for the main
/// metrics.
void province_table(std::ostream& h, const EnsembleSummary& sum, const std::string& ref, bool vi) {
    auto t = [&](const char* v, const char* e) { return std::string(vi ? v : e); };
    const char* columns[] = {"below_standard",
                             "polsby_popper_mean",
                             "cut_edges",
                             "seat_km_mean",
                             "surplus",
                             "payouts_vnd"};
    h << "<h2>" << t("Theo tỉnh: ", "By province: ")
      << geo::xml_escape(ref == "plan" ? sum.meta.scenario : ref)
      << t(" (giá trị, phân vị)", " (value, percentile)") << "</h2><table><tr><th>"
      << t("Tỉnh", "Province") << "</th>";
    for (const char* m : columns) {
        h << "<th>" << geo::xml_escape(vi ? text_of(m).vi : text_of(m).en) << "</th>";
    }
    h << "</tr>";
    std::map<std::string, std::map<std::string, const MetricSummary*>> by;
    for (const MetricSummary& s : sum.metrics) {
        if (!s.province.empty()) {
            by[s.province][s.metric] = &s;
        }
    }
    for (const auto& [province, metrics] : by) {
        const auto name = sum.meta.province_names.find(province);
        h << "<tr><td>" << geo::xml_escape(province)
          << (name != sum.meta.province_names.end() ? " " + geo::xml_escape(name->second) : "")
          << "</td>";
        for (const char* m : columns) {
            const MetricSummary& s = *metrics.at(m);
            const double p = s.percentile.at(ref);
            h << "<td" << (p < 2.5 || p > 97.5 ? " class=\"out\"" : "") << ">"
              << shown(m, s.reference.at(ref), vi) << " (" << number(p, 0) << ")</td>";
        }
        h << "</tr>";
    }
    h << "</table><p class=\"note\">"
      << t("Ô tô màu: phương án nằm ngoài khoảng 2,5-97,5 % của tập hợp.",
           "Shaded: the plan lies outside the ensemble's 2.5-97.5 % range.")
      << "</p>";
}

std::string report_html(const EnsembleSummary& sum,
                        const std::vector<std::string>& refs,
                        const std::string& lang) {
    const bool vi = lang != "en";
    auto t = [&](const char* v, const char* e) { return std::string(vi ? v : e); };
    std::ostringstream h;
    h << "<!DOCTYPE html><html lang=\"" << (vi ? "vi" : "en")
      << R"("><head><meta charset="utf-8"><title>)"
      << geo::xml_escape(t("Tập hợp phương án: ", "Ensemble: ") + sum.meta.scenario)
      << "</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
         "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid "
         "#ccc;padding:3px 6px;text-align:right}td:first-child,th:first-child{text-align:left}"
         ".warn{color:#b00}.note{color:#555;font-size:85%}.out{background:#fde2e1}"
         "td:first-child{min-width:16em}</style>"
         "</head><body>";
    h << "<h1>"
      << geo::xml_escape(t("Phương án trong tập các phương án hợp lệ: ",
                           "The plan among lawful alternatives: ") +
                         sum.meta.scenario)
      << "</h1>";
    h << "<p>" << sum.plans
      << t(" phương án ngẫu nhiên hợp lệ (chuỗi ReCom), hạt giống ",
           " random lawful plans (a ReCom chain), seed ")
      << sum.meta.seed << t(", quy tắc ", ", rules ") << geo::xml_escape(sum.meta.rules)
      << t("; mỗi chuỗi ", "; chains of ") << sum.meta.plans_per_chain
      << t(" phương án, khởi động ", " plans, burn-in ") << sum.meta.burn_in
      << t(" lượt, lấy mẫu mỗi ", " sweeps, a plan every ") << sum.meta.thin
      << t(" lượt", " sweeps") << (sum.meta.province.empty() ? "" : ", " + sum.meta.province)
      << (sum.meta.reduction > 0
              ? t(", giảm thêm ", ", ") + number(sum.meta.reduction, 1) +
                    t(" % số đơn vị so với phương án", " % fewer units than the plan")
              : "")
      << ". amsim " << geo::xml_escape(sum.meta.version) << ".</p>";
    if (!sum.shards_missing.empty()) {
        h << "<p class=\"warn\">" << t("Thiếu phân đoạn: ", "Shards missing: ");
        for (const std::size_t k : sum.shards_missing) {
            h << k << " ";
        }
        h << t("(tập hợp chưa đầy đủ)", "(the ensemble is incomplete)") << "</p>";
    }
    h << "<p class=\"note\">"
      << t("Mọi phương án, kể cả phương án được so sánh, được đánh giá theo cùng một cách: "
           "diện tích tính từ ranh giới, dân số của lớp nền, trụ sở tại đơn vị đông dân nhất, "
           "biên chế ước tính. Vì vậy số đơn vị dưới tiêu chuẩn có thể khác với amsim run (dùng "
           "số liệu chính thức). Phân vị: tỷ lệ phương án có giá trị nhỏ hơn (cộng một nửa số "
           "bằng). Chuỗi không có hiệu chỉnh Metropolis: phân phối dừng không có dạng đóng "
           "(như ReCom của GerryChain); xem chẩn đoán trộn dưới đây.",
           "Every plan, the compared ones included, is judged the same way: areas from the "
           "polygons, the base's population, the seat at the most populous member, staff "
           "estimated. The count below standard may so differ from amsim run's (official "
           "figures). Percentile: the share of plans with a lower value (plus half of those "
           "equal). The chain has no Metropolis correction: its stationary distribution has no "
           "closed form (as GerryChain's ReCom); see the mixing diagnostics below.")
      << "</p>";
    // Diagnostics.
    const double steps = static_cast<double>(std::max<std::uint64_t>(1, sum.steps));
    h << "<h2>" << t("Chẩn đoán trộn", "Mixing diagnostics") << "</h2><table><tr><td>"
      << t("Chuỗi (khởi động lại độc lập)", "Chains (independent restarts)") << "</td><td>"
      << sum.chains << "</td></tr><tr><td>" << t("Bước", "Steps") << "</td><td>" << sum.steps
      << "</td></tr><tr><td>" << t("Tỷ lệ chấp nhận", "Accepted") << "</td><td>"
      << number(100 * static_cast<double>(sum.accepted) / steps, 1) << " %</td></tr><tr><td>"
      << t("Trong đó cắt dự phòng (không có cách cắt hợp lệ)",
           "Of which fallback cuts (no lawful cut)")
      << "</td><td>" << number(100 * static_cast<double>(sum.fallback) / steps, 1)
      << " %</td></tr><tr><td>" << t("Phương án khác nhau", "Distinct plans") << "</td><td>"
      << sum.distinct << " / " << sum.plans << "</td></tr></table><p class=\"note\">"
      << t("R-hat so sánh các chuỗi khởi động lại: trên 1,05 (tô màu) là các chuỗi chưa trộn đủ "
           "với chỉ số đó; hãy tăng --burn-in, --thin hoặc số phương án. Số đơn vị dưới tiêu "
           "chuẩn chỉ giảm trong chuỗi (tiêu chuẩn là ràng buộc): sau khởi động nó ở gần mức "
           "thấp nhất mà địa lý cho phép, và R-hat của nó so sánh các mức ấy.",
           "R-hat compares the restarted chains: above 1.05 (shaded) the chains have not mixed "
           "for that metric; raise --burn-in, --thin or the plans. The count below standard "
           "only falls in the chain (the standards are constraints): after burn-in it is near "
           "the least the geography allows, and its R-hat compares those floors.")
      << "</p>";
    // National.
    h << "<h2>" << t("Toàn quốc", "National") << "</h2><table><tr><th>" << t("Chỉ số", "Metric")
      << "</th>";
    for (const std::string& r : refs) {
        h << "<th>" << geo::xml_escape(r == "plan" ? sum.meta.scenario : r) << "</th><th>"
          << t("phân vị", "percentile") << "</th>";
    }
    h << "<th>" << t("trung vị", "median") << "</th><th>5-95 %</th><th>R-hat</th><th>"
      << t("phân bố (đường đỏ: phương án)", "distribution (red line: the plan)") << "</th></tr>";
    for (const MetricSummary& s : sum.metrics) {
        if (!s.province.empty()) {
            break;
        }
        const MetricText& mt = text_of(s.metric);
        h << "<tr><td>" << geo::xml_escape(vi ? mt.vi : mt.en)
          << (s.metric == "payouts_vnd" ? t(" (tỷ đồng)", " (billion VND)") : "")
          << "<div class=\"note\">" << geo::xml_escape(vi ? mt.source_vi : mt.source_en)
          << "</div></td>";
        for (const std::string& r : refs) {
            const double p = s.percentile.at(r);
            h << "<td>" << shown(s.metric, s.reference.at(r), vi) << "</td><td"
              << (p < 2.5 || p > 97.5 ? " class=\"out\"" : "") << ">" << number(p, 1) << "</td>";
        }
        h << "<td>" << shown(s.metric, s.median, vi) << "</td><td>" << shown(s.metric, s.p05, vi)
          << " – " << shown(s.metric, s.p95, vi) << "</td><td"
          << (s.rhat > 1.05 ? " class=\"out\"" : "") << ">"
          << (s.rhat > 0 ? number(s.rhat, 3) : "–") << "</td><td>" << histogram_svg(s, vi)
          << "</td></tr>";
    }
    h << "</table>";
    if (!refs.empty()) {
        province_table(h, sum, refs.front(), vi);
    }
    h << "</body></html>\n";
    return h.str();
}

} // namespace

EnsembleSummary summarise_ensemble(const SummaryOptions& o) {
    const Merged merged = merge_shards(shard_files(o.inputs));
    EnsembleSummary sum;
    sum.meta = merged.meta;
    sum.shards_found = merged.found;
    sum.shards_missing = merged.missing;
    std::set<std::size_t> chains;
    for (const ChainStats& c : merged.chains) {
        chains.insert(c.chain);
        sum.steps += c.steps;
        sum.accepted += c.accepted;
        sum.fallback += c.fallback;
        sum.rejected += c.rejected;
    }
    sum.chains = chains.size();
    const std::vector<NationalPlan> national = national_plans(merged.plans);
    sum.plans = national.size();
    std::set<std::uint64_t> distinct;
    for (const NationalPlan& p : national) {
        distinct.insert(p.metrics.checksum);
    }
    sum.distinct = distinct.size();
    std::vector<std::string> refs;
    std::map<std::string, PlanMetrics> national_refs;
    for (const auto& [name, provinces] : merged.references) {
        refs.push_back(name);
        for (const auto& [code, m] : provinces) {
            add_metrics(national_refs[name], m);
        }
    }
    // "plan" (the scenario's own) first.
    std::stable_partition(
        refs.begin(), refs.end(), [](const std::string& r) { return r == "plan"; });
    auto summarise_all = [&](const std::string& province,
                             const std::vector<std::pair<std::size_t, PlanMetrics>>& draws,
                             const std::map<std::string, PlanMetrics>& ref) {
        const auto names = metric_values(PlanMetrics{});
        for (std::size_t k = 0; k < names.size(); ++k) {
            std::vector<std::pair<std::size_t, double>> values;
            values.reserve(draws.size());
            for (const auto& [chain, m] : draws) {
                values.emplace_back(chain, metric_values(m)[k].second);
            }
            std::map<std::string, double> rv;
            for (const auto& [name, m] : ref) {
                rv[name] = metric_values(m)[k].second;
            }
            sum.metrics.push_back(summarise_metric(province, names[k].first, values, rv, o.bins));
        }
    };
    std::vector<std::pair<std::size_t, PlanMetrics>> draws;
    draws.reserve(national.size());
    for (const NationalPlan& p : national) {
        draws.emplace_back(p.chain, p.metrics);
    }
    summarise_all("", draws, national_refs);
    std::map<std::string, std::vector<std::pair<std::size_t, PlanMetrics>>> by_province;
    for (const PlanRecord& p : merged.plans) {
        by_province[p.province].emplace_back(p.chain, p.metrics);
    }
    for (const auto& [province, d] : by_province) {
        std::map<std::string, PlanMetrics> ref;
        for (const auto& [name, provinces] : merged.references) {
            if (const auto it = provinces.find(province); it != provinces.end()) {
                ref[name] = it->second;
            }
        }
        summarise_all(province, d, ref);
    }
    // The files, as one output.
    const fs::path dir(o.output);
    geo::OutputSet set(o.policy);
    const auto table = summary_table(sum, refs);
    for (const char* name : {"ensemble-summary.csv", "ensemble-summary.xlsx"}) {
        const std::string path = (dir / name).string();
        set.add(path, table_bytes(table, path));
        sum.files.push_back(path);
    }
    const std::string plans_csv = (dir / "ensemble-plans.csv").string();
    set.add(plans_csv, table_bytes(plans_table(national), plans_csv));
    sum.files.push_back(plans_csv);
    const std::string html = (dir / "ensemble-report.html").string();
    set.add(html, report_html(sum, refs, o.lang));
    sum.files.push_back(html);
    set.commit();
    return sum;
}

} // namespace amsim::sim
