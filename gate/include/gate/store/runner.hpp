// gate/include/gate/store/runner.hpp — runner identity: the machine's fingerprint,
// the stable id derived from it, and which runner a run belongs to. The id
// rules are model/names.hpp's; runner.json is formats/runner_file.hpp's.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
/// over the machine's fields (all but the build fields, is_build_field)
/// written as "key=value\n" lines in key order, as 8 lowercase hex digits,
/// so any difference of the machine changes the id while the readable part
/// stays short. The compiler and build type do not: a suite with or without
/// the harness, and `gate runner`, give one id on one machine; a change of
/// them is caught by check_runner_match instead. Always a valid runner id, at most 64
/// characters; the same fingerprint always gives the same id.
[[nodiscard]] std::string derive_runner_id(const std::map<std::string, std::string>& fingerprint);

/// True for the fingerprint fields that describe the build, not the machine
/// ("compiler", "build_type"): only suites built with the harness record them.
[[nodiscard]] bool is_build_field(std::string_view key);

/// Where a runner id comes from.
enum class RunnerIdSource { flag, environment, derived };

/// The id given by `flag` (--runner) or, when it is absent, by the
/// GATE_RUNNER environment variable (when set and not empty) — checked with
/// sanitize_runner_id, which throws gate::Error for an invalid one — and
/// where it came from; std::nullopt when neither gives one (the id is then
/// derived from the fingerprint). The one place GATE_RUNNER is read.
[[nodiscard]] std::optional<std::pair<std::string, RunnerIdSource>> given_runner_id(
    const std::optional<std::string>& flag);

/// The runner to record or judge with: the detected fingerprint, and the id
/// from `flag` (--runner) when given, else from the GATE_RUNNER environment
/// variable when set and not empty, else derived. A given id is checked with
/// sanitize_runner_id and throws gate::Error when invalid.
[[nodiscard]] Runner resolve_runner(const std::optional<std::string>& flag,
                                    const std::map<std::string, std::string>& benchmark_context = {});

/// The runner a contender was measured on: its bundle's runner when it has
/// one, else the fingerprint detected here from its suites' context; the id
/// given by `flag` or GATE_RUNNER (given_runner_id) overrides the id, never
/// the measured fingerprint, so that a mismatch can still be seen.
[[nodiscard]] Runner contender_runner(const RunBundle& contender, const std::optional<std::string>& flag);

/// Throws gate::Error when `contender` and `baseline` come from runners with
/// different fingerprints, naming the fields that differ and their values —
/// results are never compared across runners without saying so. A build
/// field (is_build_field) present on one side only is unknown, not a
/// difference: baselines of a plain suite still judge its first run with
/// the harness. When
/// `allow` is set, returns the differing fields instead (empty when they
/// match). Runners without a fingerprint (plain Google Benchmark files
/// whose context says nothing of the machine) match anything.
std::vector<std::string> check_runner_match(const Runner& contender, const Runner& baseline, bool allow);

/// The fingerprint fields whose values differ between `a` and `b` (present
/// in one only, or different), sorted. Ids are not compared.
[[nodiscard]] std::vector<std::string> fingerprint_differences(const Runner& a, const Runner& b);

}  // namespace gate
