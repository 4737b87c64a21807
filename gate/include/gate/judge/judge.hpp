// gate/include/gate/judge/judge.hpp — baseline × contender × policy →
// verdicts. One judge for both ways of measuring: two sets of repetitions
// (a stored baseline, two files) and a same-job A/B run judged by its pairs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gate/judge/verdict.hpp"
#include "gate/model/noise.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

/// What to compare, beyond the policy.
struct CompareOptions {
  std::optional<std::string> metric = {};  ///< judge this metric instead of the policy's primary metric
  std::optional<std::string> filter = {};  ///< ECMAScript regex; only benchmarks whose name it finds are judged
  /// The baseline is a stored one, measured at another time than the
  /// contender (baselines/<runner>/ at a ref, a baseline file): a significant
  /// timing or complexity regression is treated as the policy's
  /// defaults.timing says (unset: TimingMode::confirm — it becomes a
  /// Status::suspect). False (the default): both sides were measured
  /// together — same-job A/B, or two files the user measured — and such a
  /// regression is judged at once (TimingMode::judge).
  bool stored_baseline = false;
  /// The runner's calibrated noise (baselines/<runner>/noise.json), or null.
  /// A noisy metric's relative threshold becomes max(limit, noise_k × noise);
  /// above defaults.noise_ceiling the benchmark is reported as too noisy to
  /// judge. Used by unpaired comparisons only: A/B pairs cancel the drift it
  /// measures.
  std::shared_ptr<const NoiseTable> noise = nullptr;
  /// Judge only what does not move with the machine: deterministic metrics
  /// (instructions, allocations, sizes) and targets. Noisy metrics and
  /// complexity fits (made from times) are left out, for a same-job A/B run
  /// to judge: what a hosted runner, whose machine changes every job, can
  /// judge against baselines stored on another machine.
  bool deterministic_only = false;
  /// A metric a limit names that only the contender measured (not the
  /// primary metric) is reported as new (Status::new_benchmark, with its
  /// value) instead of making the comparison unjudgeable. For a release
  /// report, whose later tag may measure what the earlier one did not (a
  /// limit on instructions added between them). Every other comparison
  /// needs both sides measured the same way: false.
  bool later_metrics_are_new = false;
};

/// Compares every suite and benchmark of `contender` with `baseline` under
/// `policy`, unpaired (Method::unpaired):
///  - noisy metrics (times, rates) on their repetitions: the change of the
///    median and the one-sided exact Mann–Whitney test of "worse than the
///    limit allows" (the contender against the baseline scaled by the
///    limit, mode against mode for bimodal samples; Welch's t-test on means
///    for files with aggregates only), improvements as their own family;
///    the Benjamini–Hochberg adjustment over the tests that can reach
///    alpha, the baseline's robust spread and the calibrated noise;
///    regressed when the change exceeds the limit and q < alpha (a suspect
///    against a stored baseline under timing "confirm"), improved the other
///    way, noisy when it cannot be told; docs/statistics.md;
///  - deterministic metrics exactly against their limit (a callgrind count
///    of a multi-threaded benchmark is noisy: valgrind's schedule moves it);
///  - targets on the contender, complexity classes (first fit of each
///    side), binary sizes against the budgets;
///  - a suite failed on either side fails the comparison (exit 2); a suite
///    or benchmark only in the contender is new, only in the baseline missing.
/// Suites are matched by name; when each side holds exactly one suite they
/// are matched whatever their names (two plain Google Benchmark files).
/// Throws gate::Error for a bad filter regex, and for samples the
/// statistics refuse (NaN, infinity).
[[nodiscard]] Comparison compare(const RunBundle& baseline, const RunBundle& contender, const Policy& policy,
                                 const CompareOptions& options = {});

/// Judges the head side of an A/B bundle (RunBundle::suites) against its
/// base side (RunBundle::ab) under `policy`, paired (Method::paired), with
/// the same walk, verdicts and reports as compare(); only the noisy metrics
/// and complexity are tested differently:
///  - noisy metrics by their pairs: for every round measured on both sides
///    the ratio head/base; change = median ratio − 1, baseline and contender
///    the two sides' medians over those rounds, n = the rounds paired, p =
///    the one-sided Wilcoxon signed-rank test of log(head / allowed), where
///    allowed is the base scaled by the limit, spread = the ratios' robust
///    spread. Pairs cancel the machine's drift, so a regression
///    is judged at once, never left to confirm;
///  - complexity classes round by round: a family whose head class is worse
///    than the base class of the same round in more than half of the rounds
///    paired is regressed, better in more than half improved.
/// When both builds' binaries have the same text hash the code is
/// identical, and a timing or complexity difference is reported as noisy.
/// Throws gate::Error when the bundle is not an A/B run (no RunBundle::ab),
/// for a bad filter, and for a metric whose samples and rounds do not match.
[[nodiscard]] Comparison compare_ab(const RunBundle& bundle, const Policy& policy, const CompareOptions& options = {});

}  // namespace gate
