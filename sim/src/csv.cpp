#include "amsim/sim/csv.hpp"

#include "amsim/geo/error.hpp"

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

CsvTable parse_csv(const std::string& text, const std::string& path) {
    CsvTable t;
    t.path = path;
    std::size_t i = 0;
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        i = 3;
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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError(path + ": cannot open");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_csv(ss.str(), path);
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

} // namespace amsim::sim
