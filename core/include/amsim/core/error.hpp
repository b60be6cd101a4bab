#pragma once
/// @file error.hpp (amsim::core: shared by geo, sim and the CLI)
/// The error hierarchy of amsim. The library throws; only the CLI's main() catches.
/// Context grows as an error propagates: with_context() prefixes "file: layer 'x': ...".

#include <stdexcept>
#include <string>

namespace amsim {

/// Base of every amsim error.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
    /// Exit code the CLI maps this error to.
    [[nodiscard]] virtual int exit_code() const noexcept { return 1; }
};

/// Bad command-line usage (exit 2).
class UsageError : public Error {
public:
    using Error::Error;
    [[nodiscard]] int exit_code() const noexcept override { return 2; }
};

/// Bad input data: names the file, layer, feature, field or line (exit 1).
class InputError : public Error {
public:
    using Error::Error;
};

/// A scenario file that is inconsistent (exit 1).
class ScenarioError : public Error {
public:
    using Error::Error;
};

/// A geometry operation that failed even after repair (exit 1).
class GeometryError : public Error {
public:
    using Error::Error;
};

/// A broken invariant inside amsim, i.e. a bug (exit 3).
class InternalError : public Error {
public:
    using Error::Error;
    [[nodiscard]] int exit_code() const noexcept override { return 3; }
};

} // namespace amsim
