#pragma once
/// @file output_file.hpp
/// How amsim writes a planner's files, and never loses one: an output never replaces one of
/// the command's own inputs, replaces an existing file only with --overwrite, is written
/// under a temporary name beside its final one, checked complete (every write and the close
/// checked, synced to disk) and only then renamed into place. A failure leaves nothing
/// behind; temporaries of an earlier run that was killed are removed by the next write into
/// the same directory.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace amsim::geo {

/// What a command may replace when it writes.
struct OutputPolicy {
    bool overwrite = false; ///< an existing output may be replaced (--overwrite)
    /// Files the command reads; never written over, with or without overwrite.
    std::vector<std::string> inputs;

    /// Adds the local file behind a source (a path, or a GDAL source such as
    /// /vsigzip//data/x.geojson.gz); connection strings are left out.
    void protect(const std::string& source);
};

/// The local file behind a source: "/vsigzip//a/b.gz" and "/vsizip/a.zip/x.shp" give the
/// archive, "PG:..." and other connection strings give "".
[[nodiscard]] std::string local_file_of(const std::string& source);

/// Throws InputError if `path` may not be written under `policy`: it is one of the inputs,
/// it exists and overwrite is off, or it is a directory.
void check_output(const std::string& path, const OutputPolicy& policy);

/// A file written under a temporary name beside its final one, renamed into place by
/// commit() once complete; removed (with any sidecars) if destroyed uncommitted. Missing
/// directories on the way are created, and removed again on failure if left empty.
class StagedFile {
public:
    StagedFile(const std::string& final_path, const OutputPolicy& policy);
    ~StagedFile();
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    StagedFile(StagedFile&&) = delete;
    StagedFile& operator=(StagedFile&&) = delete;

    /// Where to write: ".<name>.amsim-tmp-<pid>-<n><ext>" in the final directory.
    [[nodiscard]] const std::string& temp() const noexcept { return m_temp; }
    [[nodiscard]] const std::string& path() const noexcept { return m_final; }

    /// Writes the whole of `bytes` to the temporary file, checking every write, the sync to
    /// disk and the close (a full disk is an InputError naming the output).
    void write(std::string_view bytes);

    /// Syncs the temporary (and its sidecars) to disk, renames it over the final name and
    /// syncs the directory. After this the file is the output.
    void commit();

private:
    void remove_temp() noexcept;
    std::string m_final;
    std::string m_temp;
    std::vector<std::string> m_made_dirs; ///< created for this output, deepest last
    bool m_committed = false;
};

/// Writes bytes as one file (staged, checked, synced, renamed into place).
void write_file(const std::string& path, std::string_view bytes, const OutputPolicy& policy);

/// Several files written as one output: each is checked and staged when added; none takes
/// its final name before commit(), and a set destroyed uncommitted leaves nothing behind.
class OutputSet {
public:
    explicit OutputSet(OutputPolicy policy);
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;
    OutputSet(OutputSet&&) = delete;
    OutputSet& operator=(OutputSet&&) = delete;

    /// Checks path (also against the files added before) and writes bytes to its temporary.
    void add(const std::string& path, std::string_view bytes);
    /// Renames every file into place, in the order added.
    void commit();
    [[nodiscard]] std::vector<std::string> paths() const;
    [[nodiscard]] const OutputPolicy& policy() const noexcept { return m_policy; }

private:
    OutputPolicy m_policy;
    std::vector<std::unique_ptr<StagedFile>> m_files;
};

/// Kills the process (SIGKILL) when $AMSIM_FAULT names this point: how the tests stop
/// amsim at an exact step (a disk that fills, a user's Ctrl-C, a power cut all look alike).
void fault_point(const char* name) noexcept;

/// An OS error as a planner reads it: "data/x.csv: cannot write: No space left on device".
[[nodiscard]] std::string os_error(const std::string& path, const char* action, int error);

} // namespace amsim::geo
