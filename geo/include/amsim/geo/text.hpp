#pragma once
/// @file text.hpp
/// Text as data: UTF-8 checks, Unicode normalisation (NFC) so that two spellings of one name
/// compare equal, messages that show how two look-alike spellings differ, and names made
/// safe for terminals and file names. Built on utf8proc.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace amsim::geo {

/// Byte offset of the first byte that is not valid UTF-8, if any.
[[nodiscard]] std::optional<std::size_t> invalid_utf8_at(std::string_view s) noexcept;

/// The NFC form of valid UTF-8 text ("Xa" + U+0303 becomes "Xã"). Invalid UTF-8 is returned
/// as it is (callers check validity first and say where).
[[nodiscard]] std::string nfc(std::string_view s);

/// Text for XML or HTML: <, >, & and " escaped.
[[nodiscard]] std::string xml_escape(std::string_view s);

/// A key for comparing names as people type them: lower case, without diacritics ("đ" is
/// "d"), typographic apostrophes as "'", runs of spaces (no-break spaces included) as one,
/// trimmed. "Xã  Ea H’Leo" and "xa ea h'leo" have the same key.
[[nodiscard]] std::string fold(std::string_view s);

/// Byte offset of the first control character (C0, DEL or C1; tab included) or invisible
/// character (zero-width space U+200B, byte-order mark U+FEFF), if any.
[[nodiscard]] std::optional<std::size_t> control_at(std::string_view s) noexcept;

/// "U+0110 'Đ'" for the character starting at byte `at` of s ("U+0007" for a control).
[[nodiscard]] std::string describe_char(std::string_view s, std::size_t at);

/// How two spellings differ, for a message: "they differ at character 8: U+0110 'Đ' against
/// U+00D0 'Ð'", or "one is longer", or "" when they are equal.
[[nodiscard]] std::string describe_difference(std::string_view a, std::string_view b);

/// Text safe to print on a terminal: control characters (but newline) shown as \xNN or
/// \u{NNNN}, invalid UTF-8 bytes as \xNN.
[[nodiscard]] std::string printable(std::string_view s);

/// A name made safe as one file name: path separators, control characters and the
/// characters Windows refuses (<>:"|?*) become '_', leading and trailing dots and spaces go,
/// at most 120 bytes (cut on a character boundary); "unnamed" if nothing is left. Letters of
/// any script are kept ("Hà Nội" stays "Hà Nội").
[[nodiscard]] std::string safe_file_name(std::string_view name);

} // namespace amsim::geo
