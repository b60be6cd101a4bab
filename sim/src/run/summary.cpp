#include "amsim/sim/run/summary.hpp"

#include <algorithm>
#include <vector>

namespace amsim::sim {

namespace {

IouSummary summarise_iou(const Run& run) {
    std::vector<double> iou;
    for (const NewCommune& c : run.communes) {
        if (c.iou_official) {
            iou.push_back(*c.iou_official);
        }
    }
    std::sort(iou.begin(), iou.end());
    auto quantile = [&](double q) {
        return iou.empty() ? 0.0
                           : iou[static_cast<std::size_t>(q * static_cast<double>(iou.size() - 1))];
    };
    auto below = [&](double t) {
        return static_cast<std::size_t>(std::lower_bound(iou.begin(), iou.end(), t) - iou.begin());
    };
    IouSummary s;
    s.compared = iou.size();
    s.missing = run.official_missing;
    s.p10 = quantile(0.10);
    s.p25 = quantile(0.25);
    s.median = quantile(0.5);
    s.p75 = quantile(0.75);
    s.below_0_5 = below(0.5);
    s.below_0_8 = below(0.8);
    return s;
}

} // namespace

RunSummary summarise(const Run& run) {
    RunSummary s;
    s.old_units = run.old_units;
    s.new_units = run.communes.size();
    s.old_provinces = run.old_provinces;
    s.new_provinces = run.provinces.size();
    s.split_units = run.split_units;
    s.divided_units = run.divided_units;
    s.divided_parts = run.divided_parts;
    for (const NewCommune& c : run.communes) {
        s.below_standard += c.below_standard();
        s.waived += c.verdict.waived;
        s.not_evaluated += !c.verdict.evaluated && !c.verdict.waived;
        s.population_unknown += !c.verdict.waived && !c.verdict.population_known;
        s.waived_meeting += c.verdict.waived && c.verdict.pass_anyway;
        s.verdict_changed_by_counting += c.verdict_changed_by_counting;
        s.xa += c.type == UnitType::xa;
        s.phuong += c.type == UnitType::phuong;
        s.dac_khu += c.type == UnitType::dac_khu;
        s.units_without_office += c.offices == 0;
    }
    for (const NewProvince& p : run.provinces) {
        s.provinces_below_standard += p.verdict.evaluated && !p.verdict.pass;
        s.provinces_population_unknown += !p.verdict.population_known;
    }
    s.reduction_pct =
        s.old_units > 0
            ? 100.0 * (1.0 - static_cast<double>(s.new_units) / static_cast<double>(s.old_units))
            : 0.0;
    if (run.official_compared) {
        s.iou = summarise_iou(run);
    }
    for (const Office& o : run.offices) {
        ++s.offices;
        s.offices_from_table += o.from_table;
        s.offices_kept += o.role == Office::Role::kept;
        s.offices_surplus += o.role == Office::Role::surplus;
        if (o.role == Office::Role::seat) {
            s.seats_by_table += o.seat_by == Office::SeatBy::table;
            s.seats_by_mapping += o.seat_by == Office::SeatBy::mapping;
            s.seats_by_official_point += o.seat_by == Office::SeatBy::official_point;
            s.seats_estimated += o.seat_by == Office::SeatBy::most_populous;
        }
    }
    for (const NewProvince& p : run.provinces) {
        if (p.housing_staff) {
            s.housing_staff = s.housing_staff.value_or(0) + *p.housing_staff;
        }
    }
    return s;
}

} // namespace amsim::sim
