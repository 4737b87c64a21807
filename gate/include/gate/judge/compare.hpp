// gate/include/gate/judge/compare.hpp — baseline × contender × policy → verdicts.
// A regression is a verdict, not an error: compare() returns a Comparison and
// the CLI turns it into an exit code.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

/// What happened to one metric of one benchmark. Ordered worst first.
enum class Status {
  failed,           ///< the contender's benchmark errored (or its suite crashed)
  regressed,        ///< worse beyond the limit, significant (noisy) or exactly (deterministic)
  target_missed,    ///< an absolute target is not met
  budget_exceeded,  ///< a size budget is exceeded
  noisy,            ///< cannot be judged at this threshold: spread too large, too few samples, or not significant
  missing,          ///< in the baseline, not in the contender
  new_benchmark,    ///< in the contender, not in the baseline
  improved,         ///< better beyond the limit
  unchanged,        ///< within the limit
  target_met,       ///< an absolute target is met
};
inline constexpr std::size_t k_status_count = 10;

/// "failed", "regressed", "target missed", "budget exceeded", "noisy",
/// "missing", "new", "improved", "unchanged", "target met".
[[nodiscard]] std::string_view to_string(Status s);
/// True for the statuses that fail the gate (exit code 1).
[[nodiscard]] bool fails_gate(Status s);

struct Verdict;
/// True when this verdict fails the gate: its status fails (fails_gate(Status))
/// and it is not a regression still waiting for confirmation
/// (Verdict::needs_confirmation).
[[nodiscard]] bool fails_gate(const Verdict& v);

/// One judgement with every input it rests on. Times are in ns, rates in 1/s,
/// sizes in bytes (Verdict::unit says which).
struct Verdict {
  std::string suite;
  std::string benchmark;
  std::string metric;     ///< "cpu_time", "instructions", "complexity", "size", "size:.text", ...
  Status status = Status::unchanged;
  std::string statistic;  ///< "median", "value" (deterministic), "p95", "mean (aggregates)", "big_o", "bytes"
  std::string test;       ///< "mann-whitney u", "welch t (aggregates only)", "exact", "none"
  Direction direction = Direction::lower_is_better;
  MetricKind kind = MetricKind::noisy;
  std::string unit;
  std::optional<double> baseline;   ///< the statistic on the baseline's samples
  std::optional<double> contender;  ///< the statistic on the contender's samples
  std::optional<double> change;     ///< contender / baseline − 1, signed as measured
  std::string threshold;            ///< the limit or target as written: "+10%", "+2% and +30ns", "< 10ms"
  std::optional<double> p_value;    ///< two-sided test p-value
  std::optional<double> q_value;    ///< Benjamini–Hochberg adjusted p-value across this comparison
  std::size_t n_baseline = 0;
  std::size_t n_contender = 0;
  std::optional<double> baseline_spread;  ///< robust relative spread of the baseline: 1.4826·MAD / median
  std::string baseline_text;   ///< for non-numeric statistics (complexity classes)
  std::string contender_text;
  std::string note;  ///< why, in words: what made it noisy, the error message, a weaker test
  /// The contract between compare() and the confirmation step: a verdict with
  /// status `regressed` and `needs_confirmation == true` is a suspected
  /// wall-time (noisy metric) regression against a stored baseline under the
  /// policy `defaults.timing = "confirm"`. It is reported as regressed but does
  /// not fail the gate (fails_gate(const Verdict&) is false). A confirmation
  /// re-run that agrees sets it to false, and the verdict then fails; one that
  /// disagrees changes the status. compare() never sets it on deterministic
  /// metrics, targets, budgets, or when timing is "judge" (A/B in one job,
  /// two plain files).
  bool needs_confirmation = false;
};

struct NoiseTable;  // gate/model/noise.hpp

/// What to compare, beyond the policy.
struct CompareOptions {
  std::optional<std::string> metric = {};  ///< judge this metric instead of the policy's primary metric
  std::optional<std::string> filter = {};  ///< ECMAScript regex; only benchmarks whose name it finds are judged
  /// The baseline is a stored one, measured at another time than the
  /// contender (baselines/<runner>/ at a ref, a baseline file): a significant
  /// noisy-metric regression is treated as the policy's defaults.timing says
  /// (unset: TimingMode::confirm, Verdict::needs_confirmation). False (the
  /// default): both sides were measured together — same-job A/B, or two files
  /// the user measured — and such a regression fails (TimingMode::judge).
  bool stored_baseline = false;
  /// The runner's calibrated noise (baselines/<runner>/noise.json), or null.
  /// A noisy metric's relative threshold becomes max(limit, noise_k × noise);
  /// above defaults.noise_ceiling the benchmark is reported as too noisy to
  /// judge. Meant for stored baselines: A/B pairs cancel the drift it measures.
  std::shared_ptr<const NoiseTable> noise = nullptr;
};

/// The outcome of one comparison and where its inputs came from.
struct Comparison {
  std::vector<Verdict> verdicts;  ///< worst first
  std::string baseline_source;
  std::string contender_source;
  std::string baseline_commit;  ///< empty when the baseline is a plain file
  std::string contender_commit;
  std::string runner;           ///< the baseline's runner id, empty when unknown
  bool baseline_found = true;   ///< false: no baselines for this runner at the ref (everything is new)
  std::string policy_source;    ///< "built-in defaults" when no gate.json was given
  double alpha = 0.05;
  /// Facts a reader must see before the table: runner mismatch, tampered
  /// baselines, weaker tests, suites that failed to run.
  std::vector<std::string> notices;
  /// Contender suites that could not be measured: the gate cannot judge them.
  std::vector<std::string> suite_failures;
  /// How noisy-metric regressions were treated (CompareOptions::stored_baseline).
  TimingMode timing = TimingMode::judge;
  /// Suites whose binary's code (.text hash) is identical on both sides:
  /// their timing differences are reported as noise.
  std::vector<std::string> unchanged_code_suites;

  [[nodiscard]] std::array<std::size_t, k_status_count> counts() const;
  [[nodiscard]] bool passed() const;  ///< no verdict fails the gate and no suite failed
  /// 0 passed, 1 the gate failed, 2 it could not judge (a suite failed).
  [[nodiscard]] int exit_code() const;
};

/// Compares every suite and benchmark of `contender` with `baseline` under
/// `policy`. Suites are matched by name; when each side holds exactly one
/// suite they are matched whatever their names (two plain Google Benchmark
/// files). Throws gate::Error for a bad --filter regex or an unknown --metric
/// that no benchmark has.
[[nodiscard]] Comparison compare(const RunBundle& baseline, const RunBundle& contender, const Policy& policy,
                                 const CompareOptions& options = {});

}  // namespace gate
