#pragma once
/// @file input_file.hpp
/// Reading a planner's file whole, with the operating system's reason when it cannot be
/// read ("Permission denied", "is a directory", "No such file or directory").

#include <string>

namespace amsim::geo {

/// The bytes of the file at path; InputError naming the path and the reason otherwise.
[[nodiscard]] std::string read_file(const std::string& path);

/// The uncompressed bytes of a gzip file; InputError naming the path otherwise.
[[nodiscard]] std::string read_gzip_file(const std::string& path);

} // namespace amsim::geo
