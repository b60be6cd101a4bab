#pragma once
/// @file report_text.hpp
/// The words and numbers of a report as a reader expects them (issue 15): column labels as a
/// Department of Home Affairs writes them (Vietnamese by default, English on request), each
/// value formatted by what it is (people as integers, areas in km2, money in ty dong,
/// percentages never rounded across 100, codes as text), and sources named as the law names
/// them. The tables written beside the report keep the field names and the exact values.

#include <string>

namespace amsim::sim::report_text {

enum class Lang { vi, en };

/// What a column holds, which says how its values read.
enum class Kind {
    text,   ///< as it is
    code,   ///< a code: as it is, never a number
    count,  ///< a whole number, thousands grouped
    people, ///< people, estimated with fractions: rounded to whole persons
    area,   ///< km2, 2 decimals
    km,     ///< a distance, 1 decimal
    pct,    ///< a percentage, 1 decimal, cut (not rounded) so that 99.96 never reads 100
    money,  ///< VND, shown in ty dong (1e9) with 2 decimals
    flag,   ///< 1/0: yes/no
    type,   ///< a unit type (xa, phuong, dac_khu, tinh, thanh_pho_tw)
    region, ///< a region or province class (mountain, other, island, city)
    source, ///< a figure's source or a legal basis: laws named as the law names them
    why,    ///< why a unit misses the standard
    prose,  ///< what the figures rest on: the staffing assumptions, the rules' sources
};

/// A field's label and kind; a field not known reads as itself, as text.
struct Column {
    std::string label;
    Kind kind = Kind::text;
};
[[nodiscard]] Column column(const std::string& field, Lang lang);

/// A cell's text as the reader sees it.
[[nodiscard]] std::string cell(const std::string& raw, Kind kind, Lang lang);

/// A number with `decimals` decimals, thousands grouped ("1.429.841", "6.207,90" in
/// Vietnamese; "1,429,841", "6,207.90" in English).
[[nodiscard]] std::string number(double v, int decimals, Lang lang);

/// Legal references spelt out ("Res 76/2025" -> "Nghị quyết 76/2025/UBTVQH15"), references to
/// the project's own files dropped, "[U]" as "unconfirmed".
[[nodiscard]] std::string legal(const std::string& text, Lang lang);

/// A standard as the rules profile names it ("Res 76/2025: other xa ..."): its law spelt out,
/// what it is in the language where the profile's wording is known.
[[nodiscard]] std::string standard_text(const std::string& raw, Lang lang);

/// The staffing assumptions and the rules' sources as amsim words them, in the language: laws
/// spelt out, the project's wording translated where it is known (numbers kept).
[[nodiscard]] std::string prose(const std::string& raw, Lang lang);

/// A phrase of the report (headings, notes) by its English key, in the language.
[[nodiscard]] std::string phrase(const std::string& english, Lang lang);

} // namespace amsim::sim::report_text
