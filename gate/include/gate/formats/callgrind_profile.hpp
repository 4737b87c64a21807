// gate/include/gate/formats/callgrind_profile.hpp — a whole callgrind output
// file read function by function (Valgrind's "Callgrind Format
// Specification", version 1), and profiles kept gzip-compressed on disk.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/profile.hpp"

namespace gate {

/// Parses a callgrind output file into per-function self and inclusive
/// counts of every event. Understands the header ("events:", "positions:",
/// "summary:", "totals:", "desc: Trigger:"), name compression ("(id) name"
/// defines an id, "(id)" uses it, with one id space each for files, functions
/// and objects), relative and "*" subpositions, "calls=" lines (the cost line
/// after one is the inclusive cost of the call and is added to the caller's
/// inclusive counts, not to its self counts) and "jump="/"jcnd=" lines.
/// Cost lines may give fewer counts than there are events; the rest are 0.
/// `source` names the file in messages. Throws gate::Error
/// "<source>:<line>:<col>: <what>" on anything else: no "events:" line, a
/// count that is not a non-negative integer, more counts than events, a name
/// id used before it is defined, a cost line before any "fn=".
[[nodiscard]] Profile parse_callgrind_profile(std::string_view text, const std::string& source);

/// Reads and parses one profile file, plain or gzip-compressed (told by its
/// first bytes, not its name). Throws gate::Error when it cannot be read,
/// decompressed or parsed.
[[nodiscard]] Profile read_callgrind_profile(const std::filesystem::path& path);

/// The folder of kept profiles beside a run bundle: "out/run.json" →
/// "out/run.profiles".
[[nodiscard]] std::filesystem::path profiles_dir_of(const std::filesystem::path& bundle);

/// Where one benchmark's profile is kept in such a folder:
/// "<dir>/<suite>/<benchmark>.callgrind.gz", the benchmark's name with every
/// byte other than [A-Za-z0-9._-] written as "%XX" ("BM_Sort/8" →
/// "BM_Sort%2F8"), so that every name has its own file.
[[nodiscard]] std::filesystem::path profile_path(const std::filesystem::path& dir, const std::string& suite,
                                                 const std::string& benchmark);

/// The file name profile_path gives a benchmark, without the folders.
[[nodiscard]] std::string profile_file_name(const std::string& benchmark);

/// One benchmark's harness dump in a folder of callgrind output files.
struct HarnessDump {
  std::string benchmark;
  std::filesystem::path file;
};

/// The harness dumps of one suite's callgrind run in `dir`
/// ("callgrind.out.*"), the last one of each benchmark (the run Google
/// Benchmark reports, as read_callgrind_dir counts it), in the order of
/// their first dump. Throws gate::Error when a file cannot be read or parsed.
[[nodiscard]] std::vector<HarnessDump> harness_dumps(const std::filesystem::path& dir);

/// `text` as a gzip stream (what `gzip -6` makes; `zcat` and KCachegrind
/// read it). Throws gate::Error when zlib fails.
[[nodiscard]] std::string gzip_compress(std::string_view text);

/// The content of a gzip stream; text that is not gzip-compressed is
/// returned as it is. `source` names it in messages. Throws gate::Error on a
/// damaged stream.
[[nodiscard]] std::string gzip_decompress(std::string_view data, const std::string& source);

}  // namespace gate
