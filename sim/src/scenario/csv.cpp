#include "amsim/sim/scenario/csv.hpp"

#include "amsim/core/error.hpp"
#include "amsim/geo/input_file.hpp"
#include "amsim/geo/text.hpp"

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
        throw InputError(where + ": not UTF-8 text (" + geo::describe_char(field, *bad) +
                         "); save the table as 'CSV UTF-8'");
    }
    if (const auto ctl = geo::control_at(field)) {
        throw InputError(where + ": a control or invisible character (" +
                         geo::describe_char(field, *ctl) + ") in '" + geo::printable(field) + "'");
    }
    return geo::nfc(field);
}

} // namespace

CsvTable parse_csv(const std::string& text, const std::string& path) {
    CsvTable t;
    t.path = path;
    // Byte-order marks are skipped, however many (files joined together repeat them).
    std::size_t i = 0;
    while (text.compare(i, 3, "\xEF\xBB\xBF") == 0) {
        i += 3;
    }
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
        } else if (c == ',') {
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

CsvTable read_csv(const std::string& path) {
    return parse_csv(geo::read_file(path), path);
}

std::string csv_quote(const std::string& field) {
    if (field.find_first_of(",\"\n\r") == std::string::npos) {
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

void write_csv(const std::string& path,
               const std::vector<geo::OutputField>& fields,
               const geo::OutputPolicy& policy) {
    geo::write_file(path, csv_text(fields), policy);
}

} // namespace amsim::sim
