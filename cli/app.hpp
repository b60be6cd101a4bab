#pragma once
// The command line of amsim as a library call, so that tests can run it in-process.

#include <string>
#include <vector>

namespace amsim::cli {

/// Parses the command line (argv[0] is the program's name), runs the subcommand and returns
/// the exit code: 0 ok, 1 input or scenario error, 2 usage, 3 internal error. Messages go to
/// stderr, results to stdout.
[[nodiscard]] int run_command_line(int argc, const char* const* argv);

/// The subcommands' names, in the order --help lists them.
[[nodiscard]] std::vector<std::string> command_names();

/// The subcommand nearest a mistyped one (a prefix, or at most two edits away), or "".
[[nodiscard]] std::string nearest_command(const std::string& typed);

} // namespace amsim::cli
