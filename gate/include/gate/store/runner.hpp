// gate/include/gate/store/runner.hpp — runner identity: the machine's fingerprint,
// the stable id derived from it, the checks that keep an id safe to use as a
// directory name, and runner.json.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/names.hpp"
#include "gate/model/run_bundle.hpp"

namespace gate {

/// The fingerprint of this machine and the id derived from it.
///
/// Fingerprint keys (absent when the source is missing, never guessed):
///   arch           uname machine, "x86_64"
///   cpu_model      /proc/cpuinfo "model name" (or the ARM/RISC-V equivalent)
///   logical_cores  processors listed in /proc/cpuinfo, "2"
///   caches         cpu0's caches from /sys/devices/system/cpu/cpu0/cache,
///                  "L1d:48K L1i:64K L2:2048K L3:491520K"
///   os             ID and VERSION_ID of /etc/os-release, "debian 12"
///   kernel         sysname and major.minor only, "Linux 6.1"
///   compiler       benchmark_context["compiler"], when present
///   build_type     benchmark_context["build_type"], when present
/// Nothing volatile is read: no MHz, load, hostname, date, and not Google
/// Benchmark's "library_build_type" (Debian's libbenchmark always says
/// "debug" there, whatever the benchmarks were built with).
///
/// `root` stands in for "/" (tests point it at a fake tree); uname is always
/// this machine's.
[[nodiscard]] Runner detect_runner(const std::map<std::string, std::string>& benchmark_context = {},
                                   const std::filesystem::path& root = "/");

/// The id for a fingerprint: "<cpu-slug>-<N>c-<os>-<hash>", for example
/// "intel-xeon-2c-debian12-3f9a0c1d". The hash is the low 32 bits of XXH3-64
/// over the whole fingerprint written as "key=value\n" lines in key order, as
/// 8 lowercase hex digits, so any fingerprint difference changes the id while
/// the readable part stays short. Always a valid runner id, at most 64
/// characters; the same fingerprint always gives the same id.
[[nodiscard]] std::string derive_runner_id(const std::map<std::string, std::string>& fingerprint);

/// The runner to record or judge with: the detected fingerprint, and the id
/// from `flag` (--runner) when given, else from the GATE_RUNNER environment
/// variable when set and not empty, else derived. A given id is checked with
/// sanitize_runner_id and throws gate::Error when invalid.
[[nodiscard]] Runner resolve_runner(const std::optional<std::string>& flag,
                                    const std::map<std::string, std::string>& benchmark_context = {});

/// The fingerprint fields whose values differ between `a` and `b` (present
/// in one only, or different), sorted. Ids are not compared.
[[nodiscard]] std::vector<std::string> fingerprint_differences(const Runner& a, const Runner& b);

/// runner.json: {"id": ..., "fingerprint": {...}} with keys in a fixed order
/// (id first, fingerprint keys sorted), two-space indent, final newline — so
/// the same runner always gives the same bytes and git diffs stay small.
[[nodiscard]] std::string runner_to_json(const Runner& runner);

/// Parses runner.json. `source` names the file in messages. Throws
/// gate::Error on invalid JSON, a missing or invalid id, or a fingerprint
/// that is not an object of strings; unknown top-level keys are ignored.
[[nodiscard]] Runner runner_from_json(std::string_view text, std::string_view source);

}  // namespace gate
