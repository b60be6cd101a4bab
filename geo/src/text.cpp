#include "amsim/geo/text.hpp"

#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace amsim::geo {

namespace {

/// The code point at byte i of s and its length in bytes; length < 0 for invalid UTF-8.
std::pair<std::int32_t, std::ptrdiff_t> decode(std::string_view s, std::size_t i) noexcept {
    std::int32_t cp = -1;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i),
                                    &cp);
    return {cp, n};
}

bool is_control(std::int32_t cp) noexcept {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/// Control characters, and the invisible zero-width space and byte-order mark, which make
/// two names that look the same differ.
bool is_hidden(std::int32_t cp) noexcept {
    return is_control(cp) || cp == 0x200B || cp == 0xFEFF;
}

std::string code_point_name(std::int32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

} // namespace

std::optional<std::size_t> invalid_utf8_at(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const auto [cp, n] = decode(s, i);
        if (n <= 0) {
            return i;
        }
        i += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

std::string nfc(std::string_view s) {
    bool ascii = true;
    for (const char c : s) {
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    }
    if (ascii) {
        return std::string(s); // already NFC, and the common case
    }
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                     static_cast<utf8proc_ssize_t>(s.size()),
                     &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
    if (n < 0 || out == nullptr) {
        return std::string(s);
    }
    return {reinterpret_cast<const char*>(out), static_cast<std::size_t>(n)};
}

std::string fold(std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                     static_cast<utf8proc_ssize_t>(s.size()),
                     &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                                    UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD));
    const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
    const std::string text =
        n < 0 || out == nullptr
            ? std::string(s)
            : std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::string key;
    key.reserve(text.size());
    bool space = true; // drops leading spaces
    for (std::size_t i = 0; i < text.size();) {
        const auto [cp, len] = decode(text, i);
        const std::size_t at = i;
        const std::size_t step = len > 0 ? static_cast<std::size_t>(len) : 1;
        i += step;
        if (cp == 0x20 || cp == 0xA0 || cp == 0x09 || cp == 0x202F) {
            if (!space) {
                key += ' ';
            }
            space = true;
            continue;
        }
        space = false;
        if (cp == 0x111) { // đ (Đ was case-folded)
            key += 'd';
        } else if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
            key += '\'';
        } else {
            key.append(text, at, step);
        }
    }
    if (!key.empty() && key.back() == ' ') {
        key.pop_back();
    }
    return key;
}

std::optional<std::size_t> control_at(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto [cp, n] = decode(s, i);
        if (n <= 0) {
            ++i; // invalid UTF-8 is reported elsewhere
            continue;
        }
        if (is_hidden(cp)) {
            return i;
        }
        i += static_cast<std::size_t>(n);
    }
    return std::nullopt;
}

std::string describe_char(std::string_view s, std::size_t at) {
    if (at >= s.size()) {
        return "the end";
    }
    const auto [cp, n] = decode(s, at);
    if (n <= 0) {
        char buf[32];
        std::snprintf(
            buf, sizeof buf, "byte 0x%02X (not UTF-8)", static_cast<unsigned char>(s[at]));
        return buf;
    }
    std::string out = code_point_name(cp);
    if (!is_hidden(cp)) {
        out += " '" + std::string(s.substr(at, static_cast<std::size_t>(n))) + "'";
    }
    return out;
}

std::string describe_difference(std::string_view a, std::string_view b) {
    if (a == b) {
        return {};
    }
    std::size_t i = 0;
    std::size_t character = 1;
    while (i < a.size() && i < b.size()) {
        const auto [ca, na] = decode(a, i);
        const auto [cb, nb] = decode(b, i);
        if (na <= 0 || nb <= 0 || ca != cb || na != nb) {
            break;
        }
        i += static_cast<std::size_t>(na);
        ++character;
    }
    return "they differ at character " + std::to_string(character) + ": " + describe_char(a, i) +
           " against " + describe_char(b, i);
}

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto [cp, n] = decode(s, i);
        char buf[16];
        if (n <= 0) {
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[i]));
            out += buf;
            ++i;
            continue;
        }
        if (is_control(cp) && cp != '\n') {
            std::snprintf(buf, sizeof buf, "\\u{%X}", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(s.substr(i, static_cast<std::size_t>(n)));
        }
        i += static_cast<std::size_t>(n);
    }
    return out;
}

std::string safe_file_name(std::string_view name) {
    constexpr std::size_t max_bytes = 120;
    std::string out;
    std::size_t i = 0;
    while (i < name.size()) {
        const auto [cp, n] = decode(name, i);
        const std::size_t len = n <= 0 ? 1 : static_cast<std::size_t>(n);
        std::string piece(name.substr(i, len));
        if (n <= 0 || is_control(cp) || cp == '/' || cp == '\\' || cp == '<' || cp == '>' ||
            cp == ':' || cp == '"' || cp == '|' || cp == '?' || cp == '*') {
            piece = "_";
        }
        if (out.size() + piece.size() > max_bytes) {
            break;
        }
        out += piece;
        i += len;
    }
    const std::size_t first = out.find_first_not_of(". ");
    if (first == std::string::npos) {
        return "unnamed";
    }
    out.erase(0, first);
    out.erase(out.find_last_not_of(". ") + 1);
    return out;
}

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace amsim::geo
