// gate/include/gate/run/run.hpp — running the policy's suite binaries: the
// timed pass (Google Benchmark with repetitions and random interleaving), the
// instrumented pass (callgrind), binary sizes, same-job A/B runs of two
// builds, and the run bundle that holds it all, failures included.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

/// Fewer repetitions than this weaken the test of a 10% change too much:
/// `gate run` refuses them unless they are asked for explicitly.
inline constexpr int k_min_repetitions = 9;
/// Rounds of an A/B run when --repetitions is not given (unless the policy
/// asks for more): enough pairs for the signed-rank test to reach
/// significance after the false discovery rate control.
inline constexpr int k_min_ab_rounds = 15;

/// The longest timeout a run accepts (--timeout, RunOptions::timeout): a
/// suite that needs more than a week is not a benchmark.
inline constexpr std::chrono::seconds k_max_timeout{7 * 24 * 3600};

/// `seconds` (from the command line) as a timeout. Throws gate::Error
/// unless 0 < seconds <= k_max_timeout: zero, negative, NaN and infinite
/// values are refused, never turned into a deadline in the past.
[[nodiscard]] std::chrono::nanoseconds timeout_from_seconds(double seconds);

/// The fixed geometry callgrind simulates, so that the counts do not depend
/// on the host's caches: I1 and D1 32 KiB 8-way, LL 8 MiB 16-way, 64-byte lines.
inline constexpr std::string_view k_callgrind_i1 = "32768,8,64";
inline constexpr std::string_view k_callgrind_d1 = "32768,8,64";
inline constexpr std::string_view k_callgrind_ll = "8388608,16,64";

/// The suite context key that says how the deterministic counters were
/// measured ("callgrind-3.19.0 I1=32768,8,64 D1=... LL=..., one iteration
/// per benchmark") or why they are missing ("unavailable: ...").
inline constexpr std::string_view k_instrumentation_context = "perfgate_instrumentation";

/// Which measurement of a suite is running.
enum class Pass { timing, callgrind };

/// "timing" / "callgrind".
[[nodiscard]] std::string_view to_string(Pass pass);

/// Hears what run_suites() is doing, for progress displays. Every method
/// has an empty default. Called from the thread that called run_suites().
class RunObserver {
 public:
  RunObserver() = default;
  virtual ~RunObserver() = default;
  RunObserver(const RunObserver&) = delete;
  RunObserver& operator=(const RunObserver&) = delete;

  /// Suite `index` (0-based) of `count` starts a pass. `benchmarks` is how
  /// many benchmarks it will run (0 when unknown), `estimate` how long the
  /// pass should take, when that can be told.
  virtual void pass_started(std::size_t /*index*/, std::size_t /*count*/, std::string_view /*suite*/,
                            Pass /*pass*/, std::size_t /*benchmarks*/,
                            std::optional<std::chrono::nanoseconds> /*estimate*/) {}
  /// About four times a second while a pass runs.
  virtual void pass_running(std::chrono::nanoseconds /*elapsed*/) {}
  /// The pass ended; `failure` is empty when it went well.
  virtual void pass_finished(std::size_t /*index*/, std::size_t /*count*/, std::string_view /*suite*/,
                             Pass /*pass*/, std::chrono::nanoseconds /*elapsed*/, std::string_view /*failure*/) {}
  /// Something the user should know that is not a failure: a weakened
  /// test, counters that are unavailable, a suite with nothing to run.
  virtual void notice(std::string_view /*text*/) {}
};

/// A progress display on `out` (stderr in the CLI). `live`: one line
/// rewritten in place (suite i/n, name, pass, elapsed, estimate), for a
/// terminal; otherwise plain lines, one when a pass starts and one when it
/// ends, for CI logs. Notices are printed as "gate: note: <text>" lines.
[[nodiscard]] std::unique_ptr<RunObserver> make_progress_printer(std::FILE* out, bool live);

struct RunOptions {
  /// Suite binaries are looked up relative to it (absolute paths as they are).
  std::filesystem::path build_dir = "build/release";
  /// Repetitions per benchmark. Unset: the policy's defaults.repetitions,
  /// which must be at least k_min_repetitions. Set: taken as given (at
  /// least 1), with a notice when below k_min_repetitions.
  std::optional<int> repetitions;
  std::string filter;               ///< --benchmark_filter; empty runs all
  /// Runs only this shard's benchmarks of each suite (in_shard of their
  /// names, after the filter), by Google Benchmark's filter; a suite with
  /// none in the shard is left out with a notice. The bundle records it.
  std::optional<Shard> shard;
  /// Names of the policy's suites (or product binaries) to run; empty runs all.
  std::vector<std::string> suites;
  /// Also measure the sizes of the policy's product binaries ("binaries").
  bool products = true;
  /// Replaces every suite's timeout from the policy; 0 < timeout <=
  /// k_max_timeout, else run_suites() and run_ab() refuse it.
  std::optional<std::chrono::nanoseconds> timeout;
  bool timed = true;        ///< the timed pass: real_time, cpu_time, counters, memory
  bool instrument = false;  ///< the callgrind pass: deterministic counters
  /// With `instrument`: the folder where each benchmark's callgrind profile
  /// is kept, gzip-compressed, at profile_path(profiles_dir, suite,
  /// benchmark) (formats/callgrind_profile.hpp); A/B runs keep each build's
  /// under "base/" and "head/". Each suite's folder is replaced. Empty: the
  /// profiles are not kept.
  std::filesystem::path profiles_dir;
  /// Runner id (--runner); unset: GATE_RUNNER, else derived (resolve_runner).
  std::optional<std::string> runner;
  /// Any directory inside the git repository whose HEAD the results are
  /// measured at; empty or not a repository: commit and ref stay empty.
  std::filesystem::path repo_dir = ".";
  /// Grace between SIGTERM and SIGKILL when a suite outlives its timeout.
  std::chrono::nanoseconds kill_grace = std::chrono::seconds(2);
};

/// Runs the chosen suites of `policy` one after the other and returns the
/// bundle: runner (fingerprint from the first suite's context), commit,
/// ref, time (ISO 8601 UTC, when the run started) and one Suite per suite
/// run, in policy order.
///
/// Timed pass: `<binary> <policy args> --benchmark_format=json
/// --benchmark_out=<tmp> --benchmark_out_format=json
/// --benchmark_repetitions=N --benchmark_enable_random_interleaving=true
/// [--benchmark_filter=RE]`, the results read from the file (a suite's own
/// prints on stdout cannot corrupt them). Instrumented pass: the same binary
/// under `valgrind --tool=callgrind --collect-atstart=no --cache-sim=yes
/// --branch-sim=yes --I1/--D1/--LL` (the k_callgrind_* geometry) with
/// `--benchmark_min_time=0 --benchmark_repetitions=1` and no interleaving;
/// the harness's dumps give one sample per benchmark of instructions,
/// l1i_misses, l1d_misses, lli_misses, lld_misses, ll_misses,
/// branch_misses and est_cycles (see gate/callgrind.hpp), merged into the
/// timed pass's benchmarks (or, with `timed` off, into benchmarks that carry
/// only deterministic metrics). A binary without harness dumps gets a
/// notice and k_instrumentation_context = "unavailable: ...", not a failure.
///
/// The timed pass also records the suite process's peak resident set
/// (wait4's ru_maxrss) as the metric k_process_metric of a benchmark named
/// k_process_benchmark, after the suite's own; not in a run with a filter,
/// which runs part of the suite. Nothing a suite starts outlives its run
/// (see detail::run_process: a guard process is its subreaper).
///
/// A suite whose binary is missing, that crashes, outlives its timeout
/// (its process group gets SIGTERM, then SIGKILL), exits non-zero,
/// writes no or invalid JSON, or reports a benchmark that its listing
/// (--benchmark_list_tests) did not name has Suite::failure set to what happened and
/// the last 20 lines of its stderr; whatever it measured is kept and the
/// other suites still run. A suite with a filter that matches none of its
/// benchmarks is left out of the bundle with a notice. Suite::binary holds
/// the size of every binary that is an ELF file.
///
/// With `products`, each product binary of the policy ("binaries"; only
/// those named in `suites` when it is not empty) follows the suites as a
/// Suite with `product` set, its size and no benchmarks. One that is
/// missing or not an ELF file has Suite::failure set.
///
/// Throws gate::Error, before running anything, when: the policy names no
/// suites and no product binaries; a name in `suites` is neither; the policy's repetitions
/// are below k_min_repetitions, or explicit ones below 1; the filter is not
/// a valid regular expression; `instrument` is set and valgrind is not
/// installed; no temporary directory can be made. And after running, when
/// the filter matched no benchmark in any suite (nothing was measured).
[[nodiscard]] RunBundle run_suites(const Policy& policy, const RunOptions& options, RunObserver* observer = nullptr);

/// What `gate run --ab BASE HEAD` needs: a plain run's options for the head
/// build, and the base build.
struct AbOptions {
  /// RunOptions::build_dir is the head build; repetitions are the rounds
  /// (the same rules: the policy's at least k_min_repetitions, explicit ones
  /// at least 1); filter, suites, shard, timeout, runner, repo_dir and
  /// kill_grace as for run_suites(). A shard's part of a suite is taken from
  /// the names either build lists, and both builds run exactly it. `instrument` adds one callgrind pass of each build
  /// after the rounds; `timed` must be set.
  RunOptions run;
  std::filesystem::path base_build_dir;  ///< suite binaries of the base build are looked up relative to it
  /// Seed of the schedule (suite order, which build starts); unset: a
  /// random one. Recorded in the bundle either way.
  std::optional<std::uint32_t> seed;
  /// What each build runs back to back in a round: the whole suite or one
  /// benchmark (the two runs of a pair a fraction of a second apart).
  /// docs/ab.md, "The schedule". Unset: the policy's (Policy::ab).
  std::optional<AbPairing> pairing;
  /// The one CPU every suite binary of both builds runs on (k_last_cpu:
  /// the highest-numbered one the gate may use; k_no_cpu: none, whatever
  /// the policy says); unset: the policy's, else any. Refused before anything runs when the gate may not use that CPU.
  std::optional<int> cpu;
  /// Seconds of --benchmark_min_time for every suite in the rounds, after
  /// the policy's arguments; unset: the policy's (Policy::ab), else the
  /// suites' own arguments. Above 0.
  std::optional<double> min_time;
};

/// Runs the chosen suites of `policy` from two builds, interleaved, and
/// returns one bundle holding both: RunBundle::suites is the head build's
/// side, RunBundle::ab the base build's (AbRun), every sample tagged with its
/// round (Metric::rounds). For each round r = 1..N the suites run in a fresh
/// random order, and each suite runs from both builds back to back, each
/// with `<policy args> --benchmark_repetitions=1` and no interleaving, the
/// build that starts alternating from round to round (AbRun::first records
/// it): so round r of base and round r of head are measured within seconds
/// of each other, and drift of the machine affects both halves of a pair.
/// Both builds' binaries are measured (sizes, text hashes).
///
/// A suite whose binary the base build lacks is new (its head side runs, a
/// notice says so); one the head build lacks is a failed suite. A run that
/// crashes, times out or writes bad results in round r fails that side of
/// the suite ("round r of N: ..."), and the suite runs no further rounds:
/// its pairs are broken. Throws gate::Error, before running anything, for
/// the refusals of run_suites(), for a build that has none of the suites'
/// binaries, and for `timed` unset; after running, when the filter matched
/// no benchmark anywhere.
[[nodiscard]] RunBundle run_ab(const Policy& policy, const AbOptions& options, RunObserver* observer = nullptr);

/// The suites of a bundle that failed, as "name: first line of the
/// failure"; in an A/B bundle "name (head build): ..." and "name (base
/// build): ...".
[[nodiscard]] std::vector<std::string> failed_suites(const RunBundle& bundle);

/// "2026-11-23T19:47:06Z" for a time point.
[[nodiscard]] std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace gate
