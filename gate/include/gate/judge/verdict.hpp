// gate/include/gate/judge/verdict.hpp — what the judge decides: one Verdict
// per metric, target, complexity fit and binary size, each with every input
// it rests on, and the Comparison that holds them with their sources. A
// regression is a verdict, not an error: the CLI turns a Comparison into an
// exit code.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/profile.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/model/statistic.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

/// What happened to one metric of one benchmark. Ordered worst first: the
/// reports list verdicts in this order.
enum class Status {
  failed,           ///< the contender's benchmark errored, or its suite crashed
  regressed,        ///< worse beyond the limit: significant (noisy), exactly (deterministic), or confirmed
  suspect,          ///< a significant timing or complexity regression against a stored baseline, not yet
                    ///< confirmed by a same-job re-run; fails the gate unless the policy says
                    ///< "unconfirmed": "pass"
  target_missed,    ///< an absolute target is not met
  budget_exceeded,  ///< a size budget is exceeded
  noisy,            ///< cannot be judged at this threshold: spread too large, too few samples, not significant
  missing,          ///< in the baseline, not in the contender (renamed, removed, skipped): fails the gate
  new_benchmark,    ///< in the contender, not in the baseline
  accepted,         ///< would fail, but a reviewed "Perf-Accepted" commit trailer of the change accepts it
  improved,         ///< better beyond the limit
  unchanged,        ///< within the limit
  target_met,       ///< an absolute target is met
};
inline constexpr std::size_t k_status_count = 12;

/// "failed", "regressed", "suspect", "target missed", "budget exceeded",
/// "noisy", "missing", "new", "accepted", "improved", "unchanged", "target met".
[[nodiscard]] std::string_view to_string(Status s);

/// What a verdict is about.
enum class Scope {
  benchmark,  ///< one benchmark (or, for complexity, one benchmark family)
  suite,      ///< a whole suite: it failed to run, or it is missing
  binary,     ///< the size of a suite's binary or of a product binary, named by its policy name
};

/// "benchmark", "suite", "binary".
[[nodiscard]] std::string_view to_string(Scope s);

/// How a verdict was reached.
enum class Test {
  none,               ///< nothing was tested (a failure, a new benchmark, too few samples)
  rank_beyond_limit,  ///< one-sided exact Mann–Whitney test of the contender against the baseline scaled by the
                      ///< limit (unpaired), mode against mode when the repetitions split
  welch,              ///< Welch's t-test on means, for files with aggregates only (unpaired, weaker)
  signed_rank_beyond_limit,  ///< one-sided Wilcoxon signed-rank test of log(head / allowed) on same-job A/B pairs
  exact,          ///< a deterministic value against its limit, no test
  target,         ///< an absolute bound
  fit,            ///< a complexity class of one fit on each side
  fits_by_round,  ///< complexity classes of same-job A/B fits, round against round
};

/// "mann-whitney u beyond the limit", "welch t (aggregates only)",
/// "wilcoxon signed-rank beyond the limit (paired a/b)", "exact", "target",
/// "fit", "fits by round (paired a/b)", "none".
[[nodiscard]] std::string_view to_string(Test t);

/// What a same-job re-run found for a suspect (workflow/confirm.hpp).
struct Confirmation {
  Status status = Status::unchanged;  ///< the A/B verdict: regressed confirms, anything else clears
  Test test = Test::none;
  std::optional<double> change;   ///< median ratio − 1 of the pairs
  std::optional<double> p_value;
  std::optional<double> q_value;
  std::size_t pairs = 0;          ///< rounds paired
  std::string detail;             ///< the A/B verdict in words: "a/b fits O(N) → O(N^2), worse in 12 of 15 rounds"
};

/// Who accepted a verdict that would have failed, and why (judge/waivers.hpp).
struct Acceptance {
  Status was = Status::regressed;  ///< the status it would have had
  std::string commit;              ///< the sha of the commit whose trailer accepts it
  std::string reason;              ///< the trailer's reason
  std::string trailer;             ///< the trailer's value as written
};

/// One judgement with every input it rests on. Times are in ns, rates in
/// 1/s, sizes in bytes (Verdict::unit says which).
struct Verdict {
  Scope scope = Scope::benchmark;
  std::string suite;
  /// The benchmark's full Google Benchmark name, a complexity family's name,
  /// a binary's policy name (Scope::binary), empty for Scope::suite.
  std::string name;
  std::string metric;  ///< "cpu_time", "instructions", "complexity", "size", "size:.text"; empty for a suite
  Status status = Status::unchanged;
  Statistic statistic;  ///< what `baseline` and `contender` are
  Test test = Test::none;
  Direction direction = Direction::lower_is_better;
  MetricKind kind = MetricKind::noisy;
  std::string unit;
  std::optional<double> baseline;   ///< the statistic on the baseline's samples
  std::optional<double> contender;  ///< the statistic on the contender's samples
  std::optional<double> change;     ///< contender / baseline − 1 (paired: median ratio − 1), signed as measured
  std::string threshold;            ///< the limit or target as written: "+10%", "+2% and +30ns", "< 10ms"
  /// The test's p-value: one-sided, of the way the values moved ("worse
  /// than the limit allows", or "better than it allows the other way").
  std::optional<double> p_value;
  /// Its Benjamini–Hochberg adjustment over the comparison's tests of that
  /// way that can see; none when this test cannot be significant at all.
  std::optional<double> q_value;
  std::size_t n_baseline = 0;
  std::size_t n_contender = 0;
  /// The robust relative spread the decision looked at: the baseline's
  /// 1.4826·MAD / median (unpaired), or the paired ratios' (paired).
  std::optional<double> spread;
  std::string baseline_text;   ///< for non-numeric statistics (complexity classes)
  std::string contender_text;
  /// Why, in words, one sentence each: what made it noisy, the error
  /// message, a weaker test, what confirmation found. Every report shows them.
  std::vector<std::string> notes;
  /// Set once a confirmation re-ran this verdict (a suspect before).
  std::optional<Confirmation> confirmation;
  /// Set when a waiver accepted this verdict (Status::accepted).
  std::optional<Acceptance> acceptance;
  /// A regressed callgrind metric whose profiles were kept on both sides:
  /// the functions whose self count of `functions_event` grew most, largest
  /// first, per iteration (workflow/explain.hpp). Empty otherwise.
  std::vector<FunctionDelta> functions;
  std::string functions_event;  ///< "Ir", "D1mr", ...; empty when `functions` is

  /// The notes joined with "; ".
  [[nodiscard]] std::string note() const;
  /// Adds a note.
  void add_note(std::string text);
};

/// How the two sides of a comparison were measured.
enum class Method {
  unpaired,  ///< two sets of repetitions: a stored baseline, or two files
  paired,    ///< a same-job A/B run: round r of the base build against round r of the head build
};

/// The A/B run a paired comparison judged.
struct AbSource {
  int rounds = 0;
  std::string base_build_dir;
  std::string head_build_dir;
  AbPairing pairing = AbPairing::suite;
  std::optional<int> cpu;          ///< AbRun::cpu: the one CPU both builds ran on
  std::optional<double> min_time;  ///< AbRun::min_time: seconds of each benchmark run
};

/// What the noisy-metric tests of a comparison could see (docs/statistics.md):
/// a lone regression among `tests` tests is significant only when its
/// p-value reaches alpha / tests, so a test whose smallest attainable p-value
/// is larger can never fail whatever its samples show.
struct Sight {
  std::size_t tests = 0;     ///< regression tests of noisy metrics in the comparison
  std::size_t seeing = 0;    ///< of them, those that can be significant (Tarone's rule); the family size
  double needed_p = 0;       ///< what a lone regression's p-value must reach (alpha / family, or alpha / tests)
  double best_p = 1;         ///< the smallest p-value the common sample sizes allow
  std::size_t n_baseline = 0;   ///< the most common sample sizes of the tests that cannot see
  std::size_t n_contender = 0;
  /// Repetitions a side (paired: rounds) that would let a lone regression
  /// among `tests` be seen; none beyond 1,000.
  std::optional<std::size_t> repetitions_needed;
  /// Unpaired: the contender's repetitions that would do with the baseline's as they are.
  std::optional<std::size_t> contender_repetitions_needed;
};

/// The outcome of one comparison and where its inputs came from.
struct Comparison {
  std::vector<Verdict> verdicts;  ///< worst first
  Method method = Method::unpaired;
  std::optional<AbSource> ab;     ///< Method::paired: the run's rounds and builds
  /// The policy the verdicts were judged with (its source says where it came from).
  Policy policy;
  std::string policy_source;      ///< as reports name it: "gate.json", "origin/main:gate.json", "built-in defaults"
  std::string baseline_source;
  std::string contender_source;
  std::string baseline_commit;    ///< empty when the baseline is a plain file
  std::string contender_commit;
  std::string runner;             ///< the baseline's runner id, empty when unknown
  bool baseline_found = true;     ///< false: no baselines for this runner at the ref (everything is new)
  double alpha = 0.05;
  /// How noisy-metric regressions were treated: judge (they fail) or confirm
  /// (against a stored baseline: they are suspects until a re-run decides).
  TimingMode timing = TimingMode::judge;
  /// Facts a reader must see before the table: runner mismatch, tampered
  /// baselines, weaker tests, suites that failed to run, what confirmation did.
  std::vector<std::string> notices;
  /// Suites that could not be measured or re-run: the gate cannot judge them (exit 2).
  std::vector<std::string> suite_failures;
  /// "suite:benchmark metric" that could not be judged — measured on one
  /// side only, or too few repetitions on the contender's side (exit 2):
  /// nothing judged is nothing passed.
  std::vector<std::string> unjudged;
  /// Suites whose binary's code (.text hash) is identical on both sides:
  /// their timing differences are reported as noise.
  std::vector<std::string> unchanged_code_suites;
  /// What the noisy-metric tests could see; tests == 0 when there were none.
  Sight sight;

  /// True when this verdict fails the gate: failed, regressed, target
  /// missed, budget exceeded, missing, and suspect unless the policy lets
  /// unconfirmed suspects pass.
  [[nodiscard]] bool fails(const Verdict& v) const;
  [[nodiscard]] std::array<std::size_t, k_status_count> counts() const;
  [[nodiscard]] bool passed() const;  ///< no verdict fails the gate and no suite failed
  /// 0 passed, 1 the gate failed, 2 it could not judge (a suite failed, a
  /// metric could not be judged, no baseline under "no_baseline": "fail").
  [[nodiscard]] int exit_code() const;
  /// Suspects that do not fail because the policy lets them pass.
  [[nodiscard]] std::size_t passing_suspects() const;
};

/// Orders verdicts worst first: by status, then by how much worse.
void sort_worst_first(std::vector<Verdict>& verdicts);

}  // namespace gate
