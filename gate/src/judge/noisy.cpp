// gate/src/judge/noisy.cpp — noisy metrics (wall and CPU time, rates): the
// unpaired and the paired test, and the one decision both lead to once the
// false discovery rate across the comparison is known.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "gate/error.hpp"
#include "gate/model/units.hpp"
#include "gate/stats/signed_rank.hpp"
#include "gate/stats/stats.hpp"
#include "judge/judging.hpp"

namespace gate::detail {
namespace {

// The robust relative spread of a sample: the normal-consistent MAD over the
// median. Robust because one preempted repetition on a shared machine must
// not make a whole benchmark "noisy".
std::optional<double> robust_spread(std::span<const double> samples) {
  if (samples.size() < 3) return std::nullopt;
  double spread = stats::robust_cv(samples);
  if (!std::isfinite(spread)) return std::nullopt;
  return spread;
}

// Which way a change goes past a limit and a noise floor: +1 worse, -1
// better, 0 within.
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
// normal samples, which benchmark times are not, so the verdict says it is
// weaker than the rank test on repetitions.
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

}  // namespace

std::optional<NoisyContext> test_unpaired(Verdict& v, const Benchmark& base, const Benchmark& cont, const Metric& bm,
                                          const Metric& cm, const Limit& limit, const Policy& policy) {
  v.n_baseline = bm.samples.size();
  v.n_contender = cm.samples.size();
  v.statistic = Statistic{StatisticKind::median};
  v.baseline = stats::median(bm.samples);
  v.contender = stats::median(cm.samples);
  v.change = relative_change(*v.baseline, *v.contender);
  v.spread = robust_spread(bm.samples);

  if (bm.from_aggregates || cm.from_aggregates) {
    welch_from_aggregates(v, base, cont, bm.name);
    if (!v.p_value) {
      v.status = Status::noisy;
      v.add_note("only aggregates without a spread: cannot test, record per-repetition rows");
      return std::nullopt;
    }
  } else if (std::min(v.n_baseline, v.n_contender) < static_cast<std::size_t>(policy.defaults.min_repetitions)) {
    const bool beyond = limit.exceeded(*v.baseline, *v.contender, v.direction);
    v.status = beyond ? Status::noisy : Status::unchanged;
    v.add_note(beyond ? fmt::format("n={}/{} below min_repetitions {}: cannot test, run with "
                                    "--benchmark_repetitions={}",
                                    v.n_baseline, v.n_contender, policy.defaults.min_repetitions,
                                    std::max(10, policy.defaults.min_repetitions))
                      : fmt::format("n={}/{} below min_repetitions {}: untested, change within the limit",
                                    v.n_baseline, v.n_contender, policy.defaults.min_repetitions));
    return std::nullopt;
  } else {
    v.p_value = stats::mann_whitney_u(bm.samples, cm.samples).p_value;
    v.test = Test::mann_whitney;
  }
  NoisyContext context;
  context.limit = limit;
  context.judged = *v.contender;
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
  std::vector<double> logs(pairs.base.size());
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    ratios[i] = pairs.head[i] / pairs.base[i];
    // The test runs on log ratios: symmetric about zero under "no change",
    // which the signed-rank test assumes, where the ratios themselves are not
    // (2× slower and 2× faster are 2 and 0.5).
    logs[i] = std::log(ratios[i]);
  }
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
  v.p_value = stats::wilcoxon_signed_rank(logs).p_value;
  v.test = Test::signed_rank;
  NoisyContext context;
  context.limit = limit;
  context.judged = judged;
  context.spread_of = "the paired ratios' spread";
  return context;
}

// Bimodal samples of either side: the note ("bimodal: modes 1.02 µs (6) and
// 1.31 µs (4) in the contender"), and whether the verdict depends on which
// mode the median fell in. A median of two modes lands in either by chance,
// so a verdict that would change if it had landed in the other is no
// verdict; one that holds for either mode (a change far beyond both, or
// within the limit from both) is judged as usual, with the note.
void check_modes(NoisyContext& context, const Metric& baseline, const Metric& contender, const Verdict& v) {
  const double floor = context.noise_floor.value_or(0);
  auto side = [&](const Metric& m, std::string_view name, bool is_contender) {
    auto modes = stats::bimodality(m.samples);
    if (!modes) return;
    std::string note = fmt::format("bimodal: modes {} ({}) and {} ({}) in the {}", format_quantity(modes->low, v.unit),
                                   modes->low_count, format_quantity(modes->high, v.unit), modes->high_count, name);
    context.bimodal = context.bimodal.empty() ? note : context.bimodal + "; " + note;
    int at_low = is_contender ? decision(*v.baseline, modes->low, v.direction, context.limit, floor)
                              : decision(modes->low, *v.contender, v.direction, context.limit, floor);
    int at_high = is_contender ? decision(*v.baseline, modes->high, v.direction, context.limit, floor)
                               : decision(modes->high, *v.contender, v.direction, context.limit, floor);
    if (at_low != at_high) context.mode_decides = true;
  };
  side(contender, "contender", true);
  side(baseline, "baseline", false);
}

void decide_noisy(Verdict& v, const NoisyContext& context, double alpha, const Policy& policy, TimingMode timing) {
  const Limit& limit = context.limit;
  const bool significant = *v.q_value < alpha;
  const double floor = context.noise_floor.value_or(0);
  const int way = decision(*v.baseline, context.judged, v.direction, limit, floor);
  const bool worse = way > 0;
  const bool better = way < 0;
  // A spread beyond the relative threshold makes a threshold-sized change unjudgeable.
  std::optional<double> rel = limit.relative;
  if (context.noise_floor) rel = std::max(rel.value_or(0), floor);
  const bool too_spread = rel && v.spread && *v.spread > *rel;

  if (context.noise_floor && floor > policy.defaults.noise_ceiling) {
    // Never failing, never passing in silence: the runner cannot resolve
    // a change of this benchmark that anyone would accept.
    v.status = Status::noisy;
    v.add_note(fmt::format("too noisy to judge on this runner: calibrated noise {:g} × {} = {} exceeds the ceiling {} "
                           "(n={} runs)",
                           policy.defaults.noise_k, format_quantity(context.noise->spread, "%"),
                           format_quantity(floor, "%"), format_quantity(policy.defaults.noise_ceiling, "%"),
                           context.noise->runs));
  } else if (context.mode_decides) {
    // The median's mode, not the code, would decide this verdict.
    v.status = Status::noisy;
    v.add_note(context.bimodal + ": the verdict depends on which mode the median fell in");
  } else if (worse && significant) {
    v.status = Status::regressed;
  } else if (better && significant) {
    v.status = Status::improved;
  } else if (worse || better) {
    v.status = Status::noisy;
    v.add_note(fmt::format("change beyond {} but not significant (q={:.3g} >= alpha {})", v.threshold, *v.q_value,
                           alpha));
  } else if (too_spread && !significant) {
    v.status = Status::noisy;
    v.add_note(fmt::format("{} {:.1f}% exceeds the threshold {}: too noisy to judge", context.spread_of,
                           *v.spread * 100, v.threshold));
  } else {
    v.status = Status::unchanged;
  }

  if (!context.bimodal.empty() && !context.mode_decides) {
    v.add_note(context.bimodal + " (the verdict holds for either mode)");
  }
  if (context.code_unchanged && (v.status == Status::regressed || v.status == Status::improved)) {
    v.add_note(fmt::format("would be {}, but the code is unchanged (identical .text): a timing difference is noise",
                           to_string(v.status)));
    v.status = Status::noisy;
  }
  if (v.status == Status::regressed && timing == TimingMode::confirm) {
    v.status = Status::suspect;
    v.add_note("a timing regression against a stored baseline: confirmed or cleared by a same-job re-run of base "
               "and head (defaults.timing \"confirm\")");
  }
}

}  // namespace gate::detail
