// gate/src/judge/noisy.cpp — noisy metrics (wall and CPU time, rates): the
// unpaired and the paired test of the gate's question, "is the contender
// worse than its limit allows?", and the one decision both lead to once the
// false discovery rate across the comparison is known. docs/statistics.md
// says why the tests are one-sided, exact and against the limit.
#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "gate/error.hpp"
#include "gate/model/units.hpp"
#include "gate/stats/beyond_limit.hpp"
#include "gate/stats/modes.hpp"
#include "gate/stats/stats.hpp"
#include "judge/judging.hpp"

namespace gate::detail {
namespace {

using stats::LimitTest;
using stats::Worse;

// The robust relative spread of a sample: the normal-consistent MAD over the
// median. Robust because one preempted repetition on a shared machine must
// not make a whole benchmark "noisy".
std::optional<double> robust_spread(std::span<const double> samples) {
  if (samples.size() < 3) return std::nullopt;
  double spread = stats::robust_cv(samples);
  if (!std::isfinite(spread)) return std::nullopt;
  return spread;
}

Worse worse_of(Direction d) { return d == Direction::lower_is_better ? Worse::higher : Worse::lower; }

// The worst contender value the limit allows against `x`, in `direction`,
// with the calibrated noise floor (a relative margin) when it is wider.
double allowed(const Limit& limit, double floor, double x, Direction direction) {
  const double by_limit = limit.allowed(x, direction);
  const double by_noise = direction == Direction::lower_is_better ? x + floor * std::fabs(x) : x - floor * std::fabs(x);
  return direction == Direction::lower_is_better ? std::max(by_limit, by_noise) : std::min(by_limit, by_noise);
}

std::vector<double> allowed_all(const Limit& limit, double floor, std::span<const double> xs, Direction direction) {
  std::vector<double> out;
  out.reserve(xs.size());
  for (double x : xs) out.push_back(allowed(limit, floor, x, direction));
  return out;
}

// Which way the judged values lie past the limit and the noise floor: +1
// worse, -1 better, 0 within.
int decision(double baseline, double contender, Direction direction, const Limit& limit, double floor) {
  if (limit.exceeded(baseline, contender, direction) && worse_fraction(baseline, contender, direction) > floor) {
    return 1;
  }
  Direction other = opposite(direction);
  if (limit.exceeded(baseline, contender, other) && worse_fraction(baseline, contender, other) > floor) return -1;
  return 0;
}

// A file that holds only aggregates (mean, stddev and the number of
// repetitions) still allows a test: Welch's t-test on the means. It assumes
// normal samples, which benchmark times are not, and asks whether the means
// differ at all, not whether they differ beyond the limit: the verdict says
// it is weaker than the rank test on repetitions.
void welch_from_aggregates(Verdict& v, const Benchmark& base, const Benchmark& cont, const std::string& metric) {
  auto get = [&](const Benchmark& b, const char* agg) -> std::optional<double> {
    auto a = b.aggregates.find(agg);
    if (a == b.aggregates.end()) return std::nullopt;
    auto m = a->second.find(metric);
    if (m == a->second.end()) return std::nullopt;
    return m->second;
  };
  auto m1 = get(base, "mean");
  auto s1 = get(base, "stddev");
  auto m2 = get(cont, "mean");
  auto s2 = get(cont, "stddev");
  if (!m1 || !s1 || !m2 || !s2 || base.repetitions < 2 || cont.repetitions < 2) return;
  auto t = stats::welch_t_test(*m1, *s1, static_cast<std::size_t>(base.repetitions), *m2, *s2,
                               static_cast<std::size_t>(cont.repetitions));
  v.statistic = Statistic{StatisticKind::mean_of_aggregates};
  v.baseline = *m1;
  v.contender = *m2;
  v.change = relative_change(*m1, *m2);
  v.n_baseline = static_cast<std::size_t>(base.repetitions);
  v.n_contender = static_cast<std::size_t>(cont.repetitions);
  v.spread = *m1 != 0 ? std::optional<double>(*s1 / std::fabs(*m1)) : std::nullopt;
  v.p_value = t.p_value;
  v.test = Test::welch;
  v.add_note("only aggregates: Welch t-test on means, weaker than a rank test on repetitions");
}

void check_rounds(const Metric& m, const Verdict& v, std::string_view side) {
  if (!m.rounds.empty() && m.rounds.size() != m.samples.size()) {
    throw Error(fmt::format("pairing metric '{}' of '{}' in suite '{}' ({} build): {} rounds for {} samples", m.name,
                            v.name, v.suite, side, m.rounds.size(), m.samples.size()));
  }
}

// The samples of one metric measured in the same rounds on both sides, in
// the head side's order.
struct Pairs {
  std::vector<double> base;
  std::vector<double> head;
};

// Pairs are made by round. Samples without rounds (a bundle written by hand,
// or a metric measured once per build such as callgrind's) pair by position.
Pairs pair_up(const Metric& base, const Metric& head) {
  Pairs p;
  if (!base.rounds.empty() && !head.rounds.empty()) {
    std::unordered_map<int, double> by_round;
    for (std::size_t i = 0; i < base.rounds.size(); ++i) by_round.emplace(base.rounds[i], base.samples[i]);
    for (std::size_t i = 0; i < head.rounds.size(); ++i) {
      auto it = by_round.find(head.rounds[i]);
      if (it == by_round.end()) continue;
      p.base.push_back(it->second);
      p.head.push_back(head.samples[i]);
    }
    return p;
  }
  const std::size_t n = std::min(base.samples.size(), head.samples.size());
  p.base.assign(base.samples.begin(), base.samples.begin() + static_cast<std::ptrdiff_t>(n));
  p.head.assign(head.samples.begin(), head.samples.begin() + static_cast<std::ptrdiff_t>(n));
  return p;
}

// "1.02 µs (6) and 1.31 µs (4)": a side's two modes.
std::string modes_text(const stats::Split& s, const std::string& unit) {
  return fmt::format("{} ({}) and {} ({})", format_quantity(s.low_median, unit), s.low.size(),
                     format_quantity(s.high_median, unit), s.high.size());
}

// The paired test in one direction; a limit that allows nothing positive
// (an absolute margin larger than the value) leaves no way to be worse.
LimitTest paired_test(std::span<const double> allowed_values, std::span<const double> head, Worse worse) {
  if (std::any_of(allowed_values.begin(), allowed_values.end(), [](double a) { return !(a > 0); })) {
    LimitTest none;
    none.n_baseline = none.n_contender = head.size();
    return none;
  }
  return stats::paired_beyond_limit(allowed_values, head, worse);
}

}  // namespace

std::optional<NoisyContext> test_unpaired(Verdict& v, const Benchmark& base, const Benchmark& cont, const Metric& bm,
                                          const Metric& cm, const Limit& limit, const Policy& policy,
                                          double noise_floor) {
  v.n_baseline = bm.samples.size();
  v.n_contender = cm.samples.size();
  v.statistic = Statistic{StatisticKind::median};
  v.baseline = stats::median(bm.samples);
  v.contender = stats::median(cm.samples);
  v.change = relative_change(*v.baseline, *v.contender);
  v.spread = robust_spread(bm.samples);

  NoisyContext context;
  context.limit = limit;
  context.noise_floor = noise_floor;
  if (bm.from_aggregates || cm.from_aggregates) {
    welch_from_aggregates(v, base, cont, bm.name);
    if (!v.p_value) {
      v.status = Status::noisy;
      v.add_note("only aggregates without a spread: cannot test, record per-repetition rows");
      return std::nullopt;
    }
    // A continuous test has no floor on its p-value: it can always see.
    context.judged = *v.contender;
    context.p_up = context.p_down = *v.p_value;
    context.smallest_up = context.smallest_down = std::numeric_limits<double>::min();
    return context;
  }
  if (std::min(v.n_baseline, v.n_contender) < static_cast<std::size_t>(policy.defaults.min_repetitions)) {
    const bool beyond = limit.exceeded(*v.baseline, *v.contender, v.direction);
    v.status = beyond ? Status::noisy : Status::unchanged;
    v.add_note(beyond ? fmt::format("n={}/{} below min_repetitions {}: cannot test, run with "
                                    "--benchmark_repetitions={}",
                                    v.n_baseline, v.n_contender, policy.defaults.min_repetitions,
                                    std::max(10, policy.defaults.min_repetitions))
                      : fmt::format("n={}/{} below min_repetitions {}: untested, change within the limit",
                                    v.n_baseline, v.n_contender, policy.defaults.min_repetitions));
    return std::nullopt;
  }

  // Like with like: when repetitions fall into two modes, the contender's
  // fast mode is compared with the baseline's fast mode, or the mode that
  // holds most of the work is judged (stats/modes.hpp).
  const stats::ModeMatch match = stats::match_modes(bm.samples, cm.samples);
  const auto& main = *std::max_element(match.strata.begin(), match.strata.end(), [](const auto& a, const auto& b) {
    return a.baseline.size() + a.contender.size() < b.baseline.size() + b.contender.size();
  });
  if (match.matching != stats::ModeMatching::unimodal) {
    v.baseline = main.baseline_median;
    v.contender = main.contender_median;
    v.change = relative_change(*v.baseline, *v.contender);
    std::vector<std::string> sides;
    if (match.baseline.split()) sides.push_back("baseline " + modes_text(match.baseline, v.unit));
    if (match.contender.split()) sides.push_back("contender " + modes_text(match.contender, v.unit));
    context.modes = fmt::format("two modes: {}; {}", fmt::join(sides, ", "),
                                match.matching == stats::ModeMatching::mode_to_mode
                                    ? "judged mode against mode"
                                    : "judged on the mode that holds most repetitions");
    context.unmatched_mode = match.unmatched_mode;
  }
  const Worse worse = worse_of(v.direction);
  const Worse better = worse == Worse::higher ? Worse::lower : Worse::higher;
  const auto up_allowed = allowed_all(limit, noise_floor, bm.samples, v.direction);
  const auto down_allowed = allowed_all(limit, noise_floor, bm.samples, opposite(v.direction));
  const LimitTest up = stats::beyond_limit_by_modes(up_allowed, cm.samples, match, worse);
  const LimitTest down = stats::beyond_limit_by_modes(down_allowed, cm.samples, match, better);
  // Whether the benchmark can see is a matter of its sizes and ties, not of
  // how its modes fell: the family is chosen by the plain test's smallest p.
  const bool split = match.matching != stats::ModeMatching::unimodal;
  context.p_up = up.p_value;
  context.p_down = down.p_value;
  context.smallest_up = split ? stats::unpaired_beyond_limit(up_allowed, cm.samples, worse).smallest_p : up.smallest_p;
  context.smallest_down =
      split ? stats::unpaired_beyond_limit(down_allowed, cm.samples, better).smallest_p : down.smallest_p;
  context.judged = *v.contender;
  v.test = Test::rank_beyond_limit;
  return context;
}

std::optional<NoisyContext> test_paired(Verdict& v, const Metric& bm, const Metric& hm, const Limit& limit,
                                        const Policy& policy) {
  check_rounds(bm, v, "base");
  check_rounds(hm, v, "head");
  Pairs pairs = pair_up(bm, hm);
  v.statistic = Statistic{StatisticKind::median_ratio};
  v.n_baseline = v.n_contender = pairs.base.size();
  if (pairs.base.empty()) {
    v.status = Status::noisy;
    v.add_note("no round measured in both builds: nothing to pair");
    return std::nullopt;
  }
  v.baseline = stats::median(pairs.base);
  v.contender = stats::median(pairs.head);
  const bool positive = std::all_of(pairs.base.begin(), pairs.base.end(), [](double x) { return x > 0; }) &&
                        std::all_of(pairs.head.begin(), pairs.head.end(), [](double x) { return x > 0; });
  if (!positive) {
    // A ratio of a zero or negative value means nothing; such a metric is
    // not a time or a rate.
    v.status = Status::noisy;
    v.change = relative_change(*v.baseline, *v.contender);
    v.add_note("samples that are zero or negative: the paired ratios are undefined");
    return std::nullopt;
  }
  std::vector<double> ratios(pairs.base.size());
  for (std::size_t i = 0; i < ratios.size(); ++i) ratios[i] = pairs.head[i] / pairs.base[i];
  v.change = stats::median(ratios) - 1.0;
  v.spread = robust_spread(ratios);
  const double judged = *v.baseline * (1 + *v.change);

  const auto min_n = static_cast<std::size_t>(policy.defaults.min_repetitions);
  if (ratios.size() < min_n) {
    const bool beyond = limit.exceeded(*v.baseline, judged, v.direction);
    v.status = beyond ? Status::noisy : Status::unchanged;
    v.add_note(fmt::format("{} pairs, below min_repetitions {}: {}, run more rounds (--repetitions)", ratios.size(),
                           min_n, beyond ? "cannot test" : "untested, change within the limit"));
    return std::nullopt;
  }
  // The test runs on log(head / allowed): symmetric about zero at the limit,
  // which the signed-rank test assumes, where the ratios themselves are not
  // (2× slower and 2× faster are 2 and 0.5).
  const Worse worse = worse_of(v.direction);
  const Worse better = worse == Worse::higher ? Worse::lower : Worse::higher;
  const auto up_allowed = allowed_all(limit, 0, pairs.base, v.direction);
  const auto down_allowed = allowed_all(limit, 0, pairs.base, opposite(v.direction));
  const LimitTest up = paired_test(up_allowed, pairs.head, worse);
  const LimitTest down = paired_test(down_allowed, pairs.head, better);
  v.test = Test::signed_rank_beyond_limit;
  NoisyContext context;
  context.limit = limit;
  context.judged = judged;
  context.spread_of = "the paired ratios' spread";
  context.p_up = up.p_value;
  context.p_down = down.p_value;
  context.smallest_up = stats::paired_smallest_p(pairs.base.size());
  context.smallest_down = context.smallest_up;
  return context;
}

void decide_noisy(Verdict& v, const NoisyContext& context, const std::optional<double>& q_up,
                  const std::optional<double>& q_down, double alpha, const Policy& policy, TimingMode timing) {
  const Limit& limit = context.limit;
  const double floor = context.noise_floor;
  const int way = decision(*v.baseline, context.judged, v.direction, limit, floor);
  const bool worse = way > 0;
  const bool better = way < 0;
  const bool regression_shown = q_up && *q_up < alpha;
  const bool improvement_shown = q_down && *q_down < alpha;
  // The verdict reports the test of the way the values moved.
  if (better) {
    v.p_value = context.p_down;
    v.q_value = q_down;
  } else {
    v.p_value = context.p_up;
    v.q_value = q_up;
  }
  // A spread beyond the relative threshold makes a threshold-sized change unjudgeable.
  std::optional<double> rel = limit.relative;
  if (floor > 0) rel = std::max(rel.value_or(0), floor);
  const bool too_spread = rel && v.spread && *v.spread > *rel;

  if (floor > policy.defaults.noise_ceiling) {
    // Never failing, never passing in silence: the runner cannot resolve
    // a change of this benchmark that anyone would accept.
    v.status = Status::noisy;
    v.add_note(fmt::format("too noisy to judge on this runner: calibrated noise {:g} × {} = {} exceeds the ceiling {} "
                           "(n={} runs)",
                           policy.defaults.noise_k, format_quantity(context.noise->spread, "%"),
                           format_quantity(floor, "%"), format_quantity(policy.defaults.noise_ceiling, "%"),
                           context.noise->runs));
  } else if (worse && regression_shown) {
    v.status = Status::regressed;
  } else if (better && improvement_shown) {
    v.status = Status::improved;
  } else if (!q_up) {
    // No outcome of this test could be significant among this comparison's
    // tests: the notice says so once and what would let it see.
    v.status = Status::noisy;
    v.add_note(fmt::format("cannot be shown at n={}/{} among this many tests (see the notice)", v.n_baseline,
                           v.n_contender));
    if (worse && timing == TimingMode::confirm) {
      // Beyond the limit where no test can speak: a same-job re-run of only
      // the suspects can.
      v.status = Status::suspect;
    }
  } else if (context.unmatched_mode) {
    v.status = Status::noisy;
  } else if (worse || better) {
    v.status = Status::noisy;
    v.add_note(fmt::format("beyond {} but not shown to be (q={:.3g} >= alpha {})", v.threshold,
                           better ? q_down.value_or(1) : q_up.value_or(1), alpha));
  } else if (too_spread) {
    v.status = Status::noisy;
    v.add_note(fmt::format("{} {:.1f}% exceeds the threshold {}: too noisy to judge", context.spread_of,
                           *v.spread * 100, v.threshold));
  } else {
    v.status = Status::unchanged;
  }

  if (!context.modes.empty()) {
    v.add_note(context.unmatched_mode ? context.modes + ": one side has a mode the other lacks" : context.modes);
  }
  if (context.code_unchanged && (v.status == Status::regressed || v.status == Status::improved ||
                                 v.status == Status::suspect)) {
    v.add_note(fmt::format("would be {}, but the code is unchanged (identical .text): a timing difference is noise",
                           to_string(v.status)));
    v.status = Status::noisy;
  }
  if (v.status == Status::regressed && timing == TimingMode::confirm) v.status = Status::suspect;
}

}  // namespace gate::detail
