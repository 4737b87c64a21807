// gate/include/gate/workflow/confirm.hpp — confirm before fail: a timing regression
// suspected against a stored baseline is re-run, base build against head
// build in a same-job A/B run, and fails only if the pairs agree.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gate/judge/judge.hpp"
#include "gate/run/run.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

struct ConfirmOptions {
  std::filesystem::path base_build_dir;                  ///< the base ref's build: its suite binaries
  std::filesystem::path head_build_dir = "build/release";  ///< the build the first step's results came from
  /// A/B rounds; at least 1 (fewer than 9 with a notice); unset: the
  /// policy's ab.rounds, else run_ab's default.
  std::optional<int> rounds;
  std::optional<std::chrono::nanoseconds> timeout;  ///< per suite binary run; unset: the policy's
  std::optional<std::string> runner;                ///< as RunOptions::runner
  std::filesystem::path repo_dir = ".";             ///< as RunOptions::repo_dir
  std::optional<std::uint32_t> seed;                ///< the A/B schedule's seed; unset: random
  /// When set, the confirmation's A/B bundle is written there (atomically),
  /// so that its numbers can be looked at again with `gate compare FILE`.
  std::optional<std::filesystem::path> bundle_out;
  RunObserver* observer = nullptr;  ///< progress of the re-run; may be null
  /// The profiles folders of the contender's files (profiles_dir_of each
  /// file `gate run --instrument` wrote): a regressed callgrind metric whose
  /// contender profile is in one of them is explained from the base build.
  std::vector<std::filesystem::path> contender_profiles;
};

/// A --benchmark_filter that matches exactly these benchmark names (Google
/// Benchmark's full run names): the characters \ ^ $ . | ? * + ( ) [ {
/// escaped with a backslash (']' and '}' are literal on their own), the
/// names joined by '|' and anchored: "^(BM_Sum/64|BM_F\(1\))$". It means
/// the same as a POSIX extended and an ECMAScript regular expression, so it
/// also serves as a CompareOptions::filter. Each of `families` (a
/// complexity fit's family, "BM_Evict") matches the family's name and all
/// its instances: "BM_Evict(/.*)?". Throws gate::Error when both lists are
/// empty (a filter matching nothing would run everything).
[[nodiscard]] std::string exact_names_filter(const std::vector<std::string>& names,
                                             const std::vector<std::string>& families = {});

/// Confirms the suspects of `first` (Status::suspect) with the policy
/// `first` was judged with (Comparison::policy: it names the suites'
/// binaries and judges the re-run): re-runs only those
/// benchmarks (exact_names_filter) of only their suites, from the base
/// build and the head build, interleaved (run_ab with `rounds` rounds),
/// judges them with compare_ab, and returns `first` with each suspect
/// decided, the A/B numbers in Verdict::confirmation and a note:
///  - confirmed (the A/B verdict is regressed too): `regressed`, which fails
///    the gate; note "confirmed: paired a/b change +x% (p=…, q=…, n=…)";
///  - cleared (any other A/B verdict): `noisy`; note "not confirmed: paired
///    a/b change +x% (p=…, n=…), a/b verdict: …".
/// A complexity suspect re-runs every instance of its family and is judged
/// by compare_ab's fits round by round ("a/b fits O(N) → O(N^2), worse in
/// 12 and better in 0 of 15 rounds").
/// The first step's numbers stay in the verdict's fields. A notice at the
/// top says what was done: "3 suspects re-run from 'build/base' vs
/// 'build/release', 15 rounds: 1 confirmed". A suspect the re-run could not
/// judge (its suite failed in either build, or a build lacks the benchmark)
/// stays a suspect, and its suite is added to Comparison::suite_failures: the
/// gate could not judge (exit 2), never a pass by default. With no suspect
/// nothing runs and a notice says so. Throws gate::Error for what run_ab()
/// refuses (a build without the binaries, rounds below 1), and when a
/// suspect's suite is not in the policy (its binary is unknown).
///
/// Then, since a stored baseline keeps no profiles, the regressed callgrind
/// metrics (instructions, misses) whose contender profile is in
/// `contender_profiles` and which carry no functions yet are explained from
/// the base build: their benchmarks are run from it under callgrind alone
/// (run_suites with the instrumented pass only, exact_names_filter), the
/// profiles kept under profiles_dir_of(bundle_out)/"base" (in a temporary
/// folder without bundle_out), and attach_profile_diffs gives each verdict
/// its functions. A notice says how many were explained; a base build that
/// cannot be profiled (no valgrind, a failed suite) is a notice too: the
/// explanation is help, the verdicts stand as judged.
[[nodiscard]] Comparison confirm(Comparison first, const ConfirmOptions& options);

}  // namespace gate
