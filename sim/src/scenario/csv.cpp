#include "amsim/sim/scenario/csv.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/geo/numbers.hpp"
#include "amsim/geo/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace amsim::sim {

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return i;
        }
    }
    // A header typed by hand: "Old_Code ", "old code".
    std::string key = geo::fold(name);
    std::replace(key.begin(), key.end(), '_', ' ');
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string h = geo::fold(header[i]);
        std::replace(h.begin(), h.end(), '_', ' ');
        if (h == key) {
            return i;
        }
    }
    return std::nullopt;
}

std::size_t CsvTable::require(const std::string& name) const {
    if (auto c = column(name)) {
        return *c;
    }
    std::string cols;
    for (const std::string& h : header) {
        cols += (cols.empty() ? "" : ", ") + h;
    }
    throw InputError(path + ":1: no column '" + name + "' (columns: " + cols + ")");
}

std::string CsvTable::where(std::size_t row) const {
    return path + ":" + std::to_string(lines[row]);
}

namespace {

/// How to save a table as UTF-8, for the messages about other encodings.
const char* const save_as_utf8 =
    ": the file is in another encoding (Windows-1258, TCVN3 or VNI, as older Vietnamese "
    "software saves). Save it as UTF-8: in Excel, Save As > 'CSV UTF-8 (Comma delimited)'; in "
    "LibreOffice, Save As > 'Text CSV' with the character set 'Unicode (UTF-8)'; or save it as "
    ".xlsx, which amsim reads too";

/// UTF-16 text (with its byte-order mark: Excel's "Unicode Text") as UTF-8.
std::string from_utf16(const std::string& text, const std::string& path) {
    const bool little = static_cast<unsigned char>(text[0]) == 0xFF;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
        auto unit = [&](std::size_t k) {
            const auto a = static_cast<unsigned char>(text[k]);
            const auto b = static_cast<unsigned char>(text[k + 1]);
            return little ? static_cast<std::uint32_t>(a | (b << 8))
                          : static_cast<std::uint32_t>((a << 8) | b);
        };
        std::uint32_t c = unit(i);
        if (c >= 0xD800 && c < 0xDC00 && i + 3 < text.size()) {
            const std::uint32_t low = unit(i + 2);
            if (low >= 0xDC00 && low < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            }
        }
        if (c >= 0xD800 && c < 0xE000) {
            throw InputError(path + ": broken UTF-16 text at byte " + std::to_string(i));
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

/// The separator of a table: the most frequent of ',', ';' and tab on its first line outside
/// quotes (',' if none): Excel in a Vietnamese or European locale saves ';', "Text (Tab
/// delimited)" tabs.
char separator_of(const std::string& text, std::size_t from) {
    std::size_t comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    while (from < text.size() && (text[from] == '\n' || text[from] == '\r')) {
        ++from; // blank lines before the header
    }
    for (std::size_t i = from; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            break;
        } else if (!quoted) {
            comma += c == ',';
            semicolon += c == ';';
            tab += c == '\t';
        }
    }
    if (semicolon > comma && semicolon >= tab) {
        return ';';
    }
    return tab > comma ? '\t' : ',';
}

/// "0,5" as "0.5": a decimal comma, in a table whose separator is not a comma.
void decimal_point(std::string& field) {
    const std::size_t comma = field.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == field.size() ||
        field.find(',', comma + 1) != std::string::npos) {
        return;
    }
    for (std::size_t k = 0; k < field.size(); ++k) {
        const char c = field[k];
        const bool sign = k == 0 && (c == '-' || c == '+');
        if (k != comma && !sign && (c < '0' || c > '9')) {
            return;
        }
    }
    field[comma] = '.';
}

/// A field as data: valid UTF-8 without control characters, in NFC (so that a name typed
/// with combining accents equals the same name typed precomposed). A line break inside a
/// quoted cell (Alt+Enter in a spreadsheet) becomes a space.
std::string clean_field(std::string field,
                        const std::string& path,
                        std::size_t line,
                        const std::string& column) {
    if (field.find_first_of("\r\n") != std::string::npos) {
        std::string joined;
        for (std::size_t k = 0; k < field.size(); ++k) {
            if (field[k] == '\r' || field[k] == '\n') {
                if (field[k] == '\r' && k + 1 < field.size() && field[k + 1] == '\n') {
                    ++k;
                }
                joined += ' ';
            } else {
                joined += field[k];
            }
        }
        field = std::move(joined);
    }
    const std::string where =
        path + ":" + std::to_string(line) + (column.empty() ? "" : ", column '" + column + "'");
    if (const auto bad = geo::invalid_utf8_at(field)) {
        throw InputError(where + ": not UTF-8 text (" + geo::describe_char(field, *bad) + ")" +
                         save_as_utf8);
    }
    if (const auto ctl = geo::control_at(field)) {
        throw InputError(where + ": a control or invisible character (" +
                         geo::describe_char(field, *ctl) + ") in '" + geo::printable(field) + "'");
    }
    return geo::nfc(field);
}

} // namespace

CsvTable parse_csv(const std::string& raw, const std::string& path) {
    CsvTable t;
    t.path = path;
    const bool utf16 = raw.size() >= 2 &&
                       (raw.compare(0, 2, "\xFF\xFE") == 0 || raw.compare(0, 2, "\xFE\xFF") == 0);
    const std::string converted = utf16 ? from_utf16(raw, path) : std::string();
    const std::string& text = utf16 ? converted : raw;
    // Byte-order marks are skipped, however many (files joined together repeat them).
    std::size_t i = 0;
    while (text.compare(i, 3, "\xEF\xBB\xBF") == 0) {
        i += 3;
    }
    const char separator = separator_of(text, i);
    t.separator = separator;
    std::size_t line = 1;
    std::vector<std::string> record;
    std::string field;
    std::size_t record_line = 1;
    bool in_quotes = false;
    bool any = false;
    auto end_record = [&] {
        record.push_back(std::move(field));
        field.clear();
        const bool blank = record.size() == 1 && record[0].empty();
        if (!blank) {
            for (std::size_t k = 0; k < record.size() && separator != ','; ++k) {
                decimal_point(record[k]);
            }
            for (std::size_t k = 0; k < record.size(); ++k) {
                const std::string column =
                    k < t.header.size() ? t.header[k]
                                        : (t.header.empty() ? "" : "#" + std::to_string(k + 1));
                record[k] = clean_field(record[k], path, record_line, column);
            }
            if (t.header.empty()) {
                t.header = std::move(record);
            } else {
                if (record.size() != t.header.size()) {
                    throw InputError(path + ":" + std::to_string(record_line) + ": " +
                                     std::to_string(record.size()) + " field(s), the header has " +
                                     std::to_string(t.header.size()));
                }
                t.rows.push_back(std::move(record));
                t.lines.push_back(record_line);
            }
        }
        record.clear();
        any = false;
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (!any) {
            record_line = line;
            any = true;
        }
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') {
                    ++line;
                }
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            in_quotes = true;
        } else if (c == separator) {
            record.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            end_record();
            ++line;
        } else {
            field += c;
        }
    }
    if (in_quotes) {
        throw InputError(path + ":" + std::to_string(record_line) + ": unterminated quoted field");
    }
    if (any) {
        end_record();
    }
    if (t.header.empty()) {
        throw InputError(path + ": empty file (a header line is needed)");
    }
    return t;
}

CsvTable read_table(const std::string& path) {
    if (!geo::is_spreadsheet(path)) {
        return parse_csv(geo::read_file(path), path);
    }
    geo::SheetTable sheet = geo::read_spreadsheet(path);
    CsvTable t;
    t.path = path;
    for (std::string& h : sheet.header) {
        t.header.push_back(clean_field(std::move(h), path, 1, ""));
    }
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
        std::vector<std::string>& cells = sheet.rows[r];
        for (std::size_t k = 0; k < cells.size(); ++k) {
            cells[k] = clean_field(std::move(cells[k]), path, sheet.lines[r], t.header[k]);
        }
        t.rows.push_back(std::move(cells));
        t.lines.push_back(sheet.lines[r]);
    }
    if (t.header.empty()) {
        throw InputError(path + ": empty sheet (a header row is needed)");
    }
    return t;
}

std::string csv_quote(const std::string& field) {
    // ';' and tabs too: a reader that finds the separator from the header would take them
    // for it.
    if (field.find_first_of(",;\t\"\n\r") == std::string::npos) {
        return field;
    }
    std::string q = "\"";
    for (char c : field) {
        q += c;
        if (c == '"') {
            q += '"';
        }
    }
    return q + "\"";
}

std::string csv_text(const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows) {
    std::string text;
    auto line = [&](const std::vector<std::string>& fields) {
        for (std::size_t k = 0; k < fields.size(); ++k) {
            text += (k == 0 ? "" : ",") + csv_quote(fields[k]);
        }
        text += '\n';
    };
    line(header);
    for (const auto& row : rows) {
        line(row);
    }
    return text;
}

std::string csv_text(const std::vector<geo::OutputField>& fields) {
    std::vector<std::string> header;
    std::size_t n = 0;
    for (const geo::OutputField& f : fields) {
        header.push_back(f.name);
        n = std::max(n, f.values.size());
    }
    std::vector<std::vector<std::string>> rows(n, std::vector<std::string>(fields.size()));
    for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t k = 0; k < fields.size(); ++k) {
            if (r >= fields[k].values.size()) {
                continue;
            }
            const geo::AttributeValue& v = fields[k].values[r];
            if (const double* d = std::get_if<double>(&v)) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.6f", *d);
                std::string t = buf; // trailing zeros dropped: 2.500000 -> 2.5
                t.erase(t.find_last_not_of('0') + 1);
                if (t.back() == '.') {
                    t.pop_back();
                }
                rows[r][k] = t == "-0" ? "0" : t;
            } else {
                rows[r][k] = geo::to_text(v);
            }
        }
    }
    return csv_text(header, rows);
}

std::string table_bytes(const std::vector<geo::OutputField>& fields,
                        const std::string& path,
                        const CsvStyle& style) {
    return geo::is_spreadsheet(path) ? geo::spreadsheet_bytes(fields, path)
                                     : styled_csv(csv_text(fields), style);
}

CsvStyle csv_style_of(const std::string& raw) {
    CsvStyle style;
    std::string text = raw;
    if (raw.compare(0, 2, "\xFF\xFE") == 0 || raw.compare(0, 2, "\xFE\xFF") == 0) {
        style.encoding =
            raw[0] == '\xFF' ? CsvStyle::Encoding::utf16le : CsvStyle::Encoding::utf16be;
        text = from_utf16(raw, "");
    } else if (raw.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        style.encoding = CsvStyle::Encoding::utf8_bom;
    }
    std::size_t i = 0;
    while (text.compare(i, 3, "\xEF\xBB\xBF") == 0) {
        i += 3;
    }
    style.separator = separator_of(text, i);
    const std::size_t lf = text.find('\n');
    style.crlf = lf != std::string::npos && lf > 0 && text[lf - 1] == '\r';
    return style;
}

namespace {

/// "0.5" as "0,5": a plain number (digits, one point, a sign) with a decimal comma.
std::string decimal_comma(std::string field) {
    const std::size_t point = field.find('.');
    if (point == std::string::npos || point == 0 || point + 1 == field.size()) {
        return field;
    }
    for (std::size_t k = 0; k < field.size(); ++k) {
        const char c = field[k];
        if (k != point && !(k == 0 && c == '-') && (c < '0' || c > '9')) {
            return field;
        }
    }
    field[point] = ',';
    return field;
}

/// UTF-8 text as UTF-16 with a byte-order mark.
std::string to_utf16(const std::string& text, bool little) {
    std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
    auto unit = [&](std::uint32_t u) {
        const char hi = static_cast<char>(u >> 8);
        const char lo = static_cast<char>(u & 0xFF);
        out += little ? lo : hi;
        out += little ? hi : lo;
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        std::uint32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
        for (std::size_t k = 1; k < n && i + k < text.size(); ++k) {
            c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        }
        i += n;
        if (c >= 0x10000) {
            c -= 0x10000;
            unit(0xD800 + (c >> 10));
            unit(0xDC00 + (c & 0x3FF));
        } else {
            unit(c);
        }
    }
    return out;
}

} // namespace

std::string styled_csv(const std::string& utf8_csv, const CsvStyle& style) {
    std::string text;
    text.reserve(utf8_csv.size() + utf8_csv.size() / 16);
    std::string field;
    bool quoted = false;
    auto flush = [&] {
        text += style.separator == ',' || field.empty() || field[0] == '"' ? field
                                                                           : decimal_comma(field);
        field.clear();
    };
    for (const char c : utf8_csv) {
        if (c == '"') {
            quoted = !quoted;
            field += c;
        } else if (!quoted && c == ',') {
            flush();
            text += style.separator;
        } else if (!quoted && c == '\n') {
            flush();
            text += style.crlf ? "\r\n" : "\n";
        } else {
            field += c;
        }
    }
    flush();
    switch (style.encoding) {
    case CsvStyle::Encoding::utf8:
        return text;
    case CsvStyle::Encoding::utf8_bom:
        return "\xEF\xBB\xBF" + text;
    case CsvStyle::Encoding::utf16le:
        return to_utf16(text, true);
    case CsvStyle::Encoding::utf16be:
        return to_utf16(text, false);
    }
    return text;
}

void write_table(const std::string& path,
                 const std::vector<geo::OutputField>& fields,
                 const geo::OutputPolicy& policy) {
    geo::write_file(path, table_bytes(fields, path), policy);
}

/// The number in a cell, checked for range; none if blank.
std::optional<double> cell_number(const CsvTable& t,
                                  std::size_t row,
                                  std::optional<std::size_t> column,
                                  const char* name,
                                  double lo,
                                  double hi) {
    if (!column || t.rows[row][*column].empty()) {
        return std::nullopt;
    }
    const std::string& text = t.rows[row][*column];
    const auto v = geo::parse_number(text);
    if (!v || *v < lo || *v > hi) {
        char range[80];
        std::snprintf(range, sizeof range, "a number from %g to %g", lo, hi);
        throw ScenarioError(t.where(row) + ", column '" + name + "': '" + text + "' is not " +
                            range);
    }
    return v;
}

std::optional<std::string> zeros_restored(const std::string& code,
                                          const std::function<bool(const std::string&)>& known,
                                          std::size_t zeros) {
    if (code.empty() || code.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    for (std::size_t n = 1; n <= zeros; ++n) {
        std::string padded = std::string(n, '0') + code;
        if (known(padded)) {
            return padded;
        }
    }
    return std::nullopt;
}

} // namespace amsim::sim
