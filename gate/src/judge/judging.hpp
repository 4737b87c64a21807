// gate/src/judge/judging.hpp — the judge's parts, private to judge/: the
// walk (judge.cpp) calls them for each benchmark and metric; each part
// decides one kind of verdict, the same way whether the comparison is
// paired or not.
#pragma once

#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gate/judge/judge.hpp"
#include "gate/judge/verdict.hpp"
#include "gate/model/noise.hpp"
#include "gate/policy/policy.hpp"

namespace gate::detail {

/// The two sides of a comparison, as notes name them.
struct Sides {
  Method method = Method::unpaired;
  std::string_view baseline = "the baseline";    ///< "the base build" when paired
  std::string_view contender = "the contender";  ///< "the head build" when paired
};

/// The other direction: "worse" for one is "better" for the other.
[[nodiscard]] Direction opposite(Direction d);

/// contender / baseline − 1; ±infinity from a zero baseline (0 when both are 0).
[[nodiscard]] double relative_change(double baseline, double contender);

/// The relative change in the worse direction of `direction` (positive =
/// worse), +infinity from a zero baseline that got worse.
[[nodiscard]] double worse_fraction(double baseline, double contender, Direction direction);

/// The --filter regex (ECMAScript), or none; a bad one is gate::Error.
[[nodiscard]] std::optional<std::regex> compile_filter(const std::optional<std::string>& filter);

/// A verdict naming its scope, suite, name and metric, with the metric's
/// direction, kind and unit from the policy (none when `metric` is empty).
[[nodiscard]] Verdict make_verdict(const Policy& policy, Scope scope, std::string_view suite, std::string_view name,
                                   std::string_view metric);

/// The statistic of a target computed on samples (median, mean, min, max, a percentile).
[[nodiscard]] double value_of(const Statistic& statistic, std::span<const double> samples);

/// The rank of a complexity class in the order Google Benchmark fits them,
/// best first: "(1)" 0, "lgN" 1, "N" 2, "NlgN" 3, "N^2" 4, "N^3" 5; -1 for
/// "f(N)" (a user's function, not comparable) and anything else.
[[nodiscard]] int complexity_rank(std::string_view big_o);

/// A class as people write it: "N^2" → "O(N^2)", Google Benchmark's "(1)" → "O(1)".
[[nodiscard]] std::string big_o_text(std::string_view big_o);

// ---------------------------------------------------------------------------
// Noisy metrics: tested now, decided once every test of the comparison is in
// (noisy.cpp).

/// What besides the limit and the test decides a noisy metric.
struct NoisyContext {
  Limit limit;
  /// The contender value the limit is applied to: the contender's median
  /// (unpaired, of the mode judged), or the base median scaled by the median
  /// ratio (paired), so that an absolute part ("+30ns") keeps its meaning.
  double judged = 0;
  double noise_floor = 0;             ///< noise_k × calibrated noise (0: none): the change must exceed it too
  std::optional<NoiseEntry> noise;
  /// The one-sided tests against the limit: "worse than the limit allows"
  /// (up) and "better than the limit allows the other way" (down), with the
  /// smallest p-value each could reach at these sizes (which decides whether
  /// it can see among this comparison's tests).
  double p_up = 1;
  double smallest_up = 1;
  double p_down = 1;
  double smallest_down = 1;
  std::string modes;            ///< "two modes: …; judged mode against mode", when the repetitions split
  bool unmatched_mode = false;  ///< one side has a mode the other lacks
  bool code_unchanged = false;  ///< the suite's code is identical on both sides
  std::string_view spread_of = "baseline spread";  ///< what Verdict::spread measures, for the note
};

/// Tests a noisy metric on two sets of repetitions: the one-sided exact
/// rank test of the contender against the baseline scaled by the limit
/// (widened to the noise floor when that is wider), mode against mode when
/// the repetitions split; fills the verdict's statistic, values, change,
/// spread, n and test. Returns the context to decide it with once the
/// comparison's q-values are known, or std::nullopt when the verdict is
/// already final (too few samples, aggregates without a spread).
[[nodiscard]] std::optional<NoisyContext> test_unpaired(Verdict& v, const Benchmark& base, const Benchmark& cont,
                                                        const Metric& bm, const Metric& cm, const Limit& limit,
                                                        const Policy& policy, double noise_floor);

/// Tests a noisy metric on same-job A/B pairs: pairs the rounds measured in
/// both builds and runs the one-sided signed-rank test of log(head /
/// allowed), filling the verdict as test_unpaired() does with the median
/// ratio. Throws gate::Error when a metric's rounds and samples do not match.
[[nodiscard]] std::optional<NoisyContext> test_paired(Verdict& v, const Metric& bm, const Metric& hm,
                                                      const Limit& limit, const Policy& policy);

/// Decides a tested noisy metric once its q-values are known (nullopt: the
/// test cannot be significant among this comparison's tests): regressed
/// (suspect under TimingMode::confirm), improved, noisy or unchanged.
void decide_noisy(Verdict& v, const NoisyContext& context, const std::optional<double>& q_up,
                  const std::optional<double>& q_down, double alpha, const Policy& policy, TimingMode timing);

// ---------------------------------------------------------------------------
// The other kinds of verdict (exact.cpp, targets.cpp, complexity.cpp, sizes.cpp).

/// A deterministic metric judged exactly: the median of each side against
/// the limit. A callgrind count of a benchmark run on several threads is
/// noisy when it moved beyond the limit, whichever way: valgrind runs one
/// thread at a time, and spinning and lock retries follow its schedule.
void judge_exact(Verdict& v, const Metric& bm, const Metric& cm, const Limit& limit, int threads);

/// The targets of `rules` checked on the contender's samples.
[[nodiscard]] std::vector<Verdict> judge_targets(const Policy& policy, std::string_view suite, const Benchmark& cont,
                                                 const BenchmarkRules& rules, const std::string& primary);

/// Complexity classes of the families both suites fitted: one fit per side
/// (unpaired) or round against round (paired). A different class of
/// identical code is noisy; a worse class under TimingMode::confirm is a
/// suspect (fits are made from times).
[[nodiscard]] std::vector<Verdict> judge_complexity(const Policy& policy, Method method, const Suite& base,
                                                    const Suite& cont, const std::optional<std::regex>& filter,
                                                    bool code_unchanged, TimingMode timing);

/// The derived benchmark `spec` names (policy "derived") from `suite`: one
/// metric, spec.metric, whose samples are the numerator's samples of spec.of
/// over the denominator's, repetition by repetition (round by round when
/// both carry rounds). std::nullopt when the suite lacks either benchmark
/// (they are judged missing on their own), or, with `why` set, when their
/// samples cannot make a ratio.
[[nodiscard]] std::optional<Benchmark> derive(const DerivedSpec& spec, const Suite& suite, const Policy& policy,
                                              std::string& why);

/// A binary's size against the policy's budgets: maximum and growth, for the
/// file and the sections a budget names. Empty when no budget applies or the
/// contender has no size.
[[nodiscard]] std::vector<Verdict> judge_sizes(const Policy& policy, const Suite* base, const Suite& cont);

}  // namespace gate::detail
