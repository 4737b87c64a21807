// gate/src/judge/ab.cpp — judging a same-job A/B run by its pairs. The pairs are
// what make A/B worth its cost: the machine's drift during the job moves
// both halves of a pair, so the ratio within a pair keeps the change and
// loses most of the drift that an unpaired test would have to see through.
#include "gate/judge/ab.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "gate/error.hpp"
#include "judge/judging.hpp"
#include "gate/stats/signed_rank.hpp"
#include "gate/stats/stats.hpp"

namespace gate {
namespace {

const Suite* find_suite(const std::vector<Suite>& suites, std::string_view name) {
  auto it = std::find_if(suites.begin(), suites.end(), [&](const Suite& s) { return s.name == name; });
  return it == suites.end() ? nullptr : &*it;
}

void add_note(Verdict& v, const std::string& s) { v.note = v.note.empty() ? s : v.note + "; " + s; }

/// The samples of one metric measured in the same rounds on both sides, in
/// the head side's order.
struct Pairs {
  std::vector<double> base;
  std::vector<double> head;
};

void check_rounds(const Metric& m, std::string_view suite, std::string_view bench, std::string_view side) {
  if (!m.rounds.empty() && m.rounds.size() != m.samples.size()) {
    throw Error(fmt::format("pairing metric '{}' of '{}' in suite '{}' ({} build): {} rounds for {} samples", m.name,
                            bench, suite, side, m.rounds.size(), m.samples.size()));
  }
}

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

double statistic_of(std::span<const double> samples, const Statistic& statistic) {
  switch (statistic.kind) {
    case StatisticKind::mean: return stats::mean(samples);
    case StatisticKind::min: return stats::min(samples);
    case StatisticKind::max: return stats::max(samples);
    case StatisticKind::percentile: return stats::percentile(samples, statistic.percentile);
    default: return stats::median(samples);
  }
}

// A paired test waiting for its adjusted p-value.
struct Pending {
  std::size_t verdict_index;
  double p_value;
  Limit limit;
  std::optional<double> ratio_spread;  ///< robust CV of the ratios
  bool identical_code;
};

class AbComparer {
 public:
  AbComparer(const Policy& policy, const CompareOptions& options)
      : m_policy(policy), m_options(options), m_filter(detail::compile_filter(options.filter)) {}

  void suite(const Suite* base, const Suite& head) {
    if (head.failure || (base != nullptr && base->failure)) {
      m_out.suite_failures.push_back(head.name);
      for (const auto& [side, s] : {std::pair{"head", &head}, std::pair{"base", base}}) {
        if (s == nullptr || !s->failure) continue;
        Verdict v = skeleton(head.name, "*", "");
        v.status = Status::failed;
        v.note = fmt::format("{} build: {}", side, *s->failure);
        m_out.verdicts.push_back(std::move(v));
      }
      return;
    }
    if (base == nullptr) {
      m_out.notices.push_back(fmt::format("suite '{}' is not in the base build: its benchmarks are new", head.name));
    }
    m_identical = base != nullptr && base->binary && head.binary && !base->binary->text_hash.empty() &&
                  base->binary->text_hash == head.binary->text_hash;
    if (m_identical) {
      m_out.notices.push_back(fmt::format("suite '{}': both builds have identical code (text hash {}): its timing "
                                          "differences are noise and cannot fail",
                                          head.name, head.binary->text_hash));
    }
    std::unordered_map<std::string_view, const Benchmark*> base_by_name;
    if (base != nullptr) {
      for (const auto& b : base->benchmarks) base_by_name.emplace(b.name, &b);
    }
    std::unordered_set<std::string_view> seen;
    for (const auto& h : head.benchmarks) {
      if (!selected(h.name)) continue;
      seen.insert(h.name);
      auto it = base_by_name.find(h.name);
      benchmark(head.name, it == base_by_name.end() ? nullptr : it->second, h);
    }
    if (base != nullptr) {
      for (const auto& b : base->benchmarks) {
        if (!selected(b.name) || seen.contains(b.name)) continue;
        Verdict v = skeleton(head.name, b.name, primary_metric(head.name, b.name));
        v.status = Status::missing;
        v.note = "in the base build, not in the head build (renamed or removed?)";
        m_out.verdicts.push_back(std::move(v));
      }
      complexity(*base, head);
    }
  }

  // Complexity fits pair by round like samples: round r ran every instance
  // of a family once in each build, and each build's fit of that round is
  // made from times measured minutes apart at most. A class worse in most
  // rounds is a regression; one noisy fit is outvoted.
  void complexity(const Suite& base, const Suite& head) {
    std::map<std::string, std::map<int, std::string>, std::less<>> base_fits;  // family → round → class
    for (const auto& f : base.complexity) base_fits[f.family][f.round] = f.big_o;
    std::map<std::string, std::vector<const ComplexityFit*>, std::less<>> head_fits;
    for (const auto& f : head.complexity) head_fits[f.family].push_back(&f);
    for (const auto& [family, fits] : head_fits) {
      auto b = base_fits.find(family);
      if (!selected(family) || b == base_fits.end()) continue;
      int pairs = 0, worse = 0, better = 0;
      std::map<std::string, int> base_classes, head_classes;
      for (const ComplexityFit* f : fits) {
        auto r = b->second.find(f->round);
        if (r == b->second.end()) continue;
        const int rh = detail::complexity_rank(f->big_o);
        const int rb = detail::complexity_rank(r->second);
        if (rh < 0 || rb < 0) continue;
        ++pairs;
        worse += rh > rb ? 1 : 0;
        better += rh < rb ? 1 : 0;
        ++head_classes[f->big_o];
        ++base_classes[r->second];
      }
      if (pairs == 0) continue;
      auto modal = [](const std::map<std::string, int>& counts) {
        return std::max_element(counts.begin(), counts.end(),
                                [](const auto& x, const auto& y) { return x.second < y.second; })
            ->first;
      };
      Verdict v = skeleton(head.name, family, "complexity");
      v.kind = MetricKind::deterministic;
      v.statistic = "big_o";
      v.test = k_ab_complexity_test;
      v.threshold = "same class";
      v.baseline_text = detail::big_o_text(modal(base_classes));
      v.contender_text = detail::big_o_text(modal(head_classes));
      v.n_baseline = static_cast<std::size_t>(pairs);
      v.n_contender = static_cast<std::size_t>(pairs);
      v.status = 2 * worse > pairs ? Status::regressed : 2 * better > pairs ? Status::improved : Status::unchanged;
      v.note = fmt::format("worse in {} and better in {} of {} rounds", worse, better, pairs);
      if (m_identical && v.status != Status::unchanged) {
        v.status = Status::noisy;
        v.note += "; identical code: a different fit is noise";
      }
      m_out.verdicts.push_back(std::move(v));
    }
  }

  void missing_suite(const Suite& base) {
    Verdict v = skeleton(base.name, "*", "");
    v.status = Status::missing;
    v.note = "suite in the base build, not in the head build";
    m_out.verdicts.push_back(std::move(v));
  }

  void add(Verdict v) { m_out.verdicts.push_back(std::move(v)); }

  Comparison finish(double alpha) {
    // Benjamini–Hochberg across every paired test of this comparison, as
    // compare() does across its unpaired ones.
    std::vector<double> ps;
    ps.reserve(m_pending.size());
    for (const auto& p : m_pending) ps.push_back(p.p_value);
    auto qs = stats::benjamini_hochberg(ps);
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
      Verdict& v = m_out.verdicts[m_pending[i].verdict_index];
      v.q_value = qs[i];
      decide(v, m_pending[i], alpha);
    }
    m_out.alpha = alpha;
    detail::sort_worst_first(m_out.verdicts);
    return std::move(m_out);
  }

 private:
  bool selected(const std::string& name) const { return !m_filter || std::regex_search(name, *m_filter); }

  std::string primary_metric(std::string_view suite, std::string_view bench) const {
    if (m_options.metric) return *m_options.metric;
    return m_policy.rules_for(suite, bench).primary_metric;
  }

  Verdict skeleton(std::string_view suite, std::string_view bench, std::string_view metric) const {
    return detail::verdict_skeleton(m_policy, suite, bench, metric);
  }

  void benchmark(const std::string& suite, const Benchmark* base, const Benchmark& head) {
    BenchmarkRules rules = m_policy.rules_for(suite, head.name);
    std::string primary = m_options.metric ? *m_options.metric : rules.primary_metric;

    if (head.error || head.skipped) {
      Verdict v = skeleton(suite, head.name, primary);
      v.status = head.error ? Status::failed : Status::missing;
      v.note = head.error ? "errored in the head build: " + *head.error : "skipped in the head build: " + *head.skipped;
      m_out.verdicts.push_back(std::move(v));
      return;
    }
    targets(suite, head, rules, primary);

    if (base == nullptr || base->error || base->skipped) {
      Verdict v = skeleton(suite, head.name, primary);
      v.status = Status::new_benchmark;
      if (const Metric* m = head.metric(primary); m != nullptr && !m->samples.empty()) {
        v.contender = stats::median(m->samples);
        v.n_contender = m->samples.size();
        v.statistic = "median";
      }
      if (base != nullptr) v.note = "the base build's run of it errored or was skipped";
      m_out.verdicts.push_back(std::move(v));
      return;
    }

    // The primary metric always; every other metric that a limit names and
    // both builds measured — the same choice as compare().
    std::vector<std::pair<std::string, Limit>> judged;
    auto primary_limit = rules.limits.find(primary);
    judged.emplace_back(primary, primary_limit != rules.limits.end() ? primary_limit->second
                                                                      : m_policy.defaults.threshold);
    for (const auto& [metric, limit] : rules.limits) {
      if (metric == primary || (m_options.metric && metric == rules.primary_metric)) continue;
      if (head.metric(metric) != nullptr && base->metric(metric) != nullptr) judged.emplace_back(metric, limit);
    }
    for (const auto& [metric, limit] : judged) {
      const Metric* bm = base->metric(metric);
      const Metric* hm = head.metric(metric);
      if (bm == nullptr || hm == nullptr || bm->samples.empty() || hm->samples.empty()) {
        if (metric == primary) {
          Verdict v = skeleton(suite, head.name, metric);
          v.status = Status::noisy;
          v.note = fmt::format("metric '{}' not measured in {}", metric,
                               bm == nullptr ? (hm == nullptr ? "either build" : "the base build") : "the head build");
          m_out.verdicts.push_back(std::move(v));
        }
        continue;
      }
      check_rounds(*bm, suite, head.name, "base");
      check_rounds(*hm, suite, head.name, "head");
      Verdict v = skeleton(suite, head.name, metric);
      v.threshold = limit.text;
      if (v.kind == MetricKind::deterministic) {
        exact(v, *bm, *hm, limit);
      } else {
        paired(v, *bm, *hm, limit);
      }
    }
  }

  // Deterministic counts are judged exactly, as compare() judges them: the
  // median of each side (one sample each under callgrind) against the limit.
  void exact(Verdict& v, const Metric& bm, const Metric& hm, const Limit& limit) {
    v.statistic = "value";
    v.test = "exact";
    v.n_baseline = bm.samples.size();
    v.n_contender = hm.samples.size();
    v.baseline = stats::median(bm.samples);
    v.contender = stats::median(hm.samples);
    v.change = detail::relative_change(*v.baseline, *v.contender);
    if (limit.exceeded(*v.baseline, *v.contender, v.direction)) {
      v.status = Status::regressed;
    } else if (limit.exceeded(*v.baseline, *v.contender, detail::opposite(v.direction)) ||
               (*v.baseline != *v.contender && !limit.relative.has_value() && !limit.absolute.has_value())) {
      v.status = Status::improved;
    } else {
      v.status = Status::unchanged;
    }
    m_out.verdicts.push_back(std::move(v));
  }

  void paired(Verdict& v, const Metric& bm, const Metric& hm, const Limit& limit) {
    Pairs pairs = pair_up(bm, hm);
    v.statistic = k_ab_statistic;
    v.test = k_ab_test;
    v.n_baseline = v.n_contender = pairs.base.size();
    if (pairs.base.empty()) {
      v.status = Status::noisy;
      v.test = "none";
      v.note = "no round measured in both builds: nothing to pair";
      m_out.verdicts.push_back(std::move(v));
      return;
    }
    v.baseline = stats::median(pairs.base);
    v.contender = stats::median(pairs.head);
    if (pairs.base.size() >= 3) {
      double spread = stats::robust_cv(pairs.base);
      if (std::isfinite(spread)) v.baseline_spread = spread;
    }
    const bool positive = std::all_of(pairs.base.begin(), pairs.base.end(), [](double x) { return x > 0; }) &&
                          std::all_of(pairs.head.begin(), pairs.head.end(), [](double x) { return x > 0; });
    if (!positive) {
      // A ratio of a zero or negative value means nothing; such a metric is
      // not a time or a rate.
      v.status = Status::noisy;
      v.test = "none";
      v.change = detail::relative_change(*v.baseline, *v.contender);
      v.note = "samples that are zero or negative: the paired ratios are undefined";
      m_out.verdicts.push_back(std::move(v));
      return;
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

    const auto min_n = static_cast<std::size_t>(m_policy.defaults.min_repetitions);
    if (ratios.size() < min_n) {
      v.test = "none";
      bool beyond = limit.exceeded(*v.baseline, *v.baseline * (1 + *v.change), v.direction);
      v.status = beyond ? Status::noisy : Status::unchanged;
      v.note = fmt::format("{} pairs, below min_repetitions {}: {}, run more rounds (--repetitions)", ratios.size(),
                           min_n, beyond ? "cannot test" : "untested, change within the limit");
      m_out.verdicts.push_back(std::move(v));
      return;
    }
    std::optional<double> ratio_spread;
    if (double s = stats::robust_cv(ratios); std::isfinite(s)) ratio_spread = s;
    v.p_value = stats::wilcoxon_signed_rank(logs).p_value;
    m_pending.push_back({m_out.verdicts.size(), *v.p_value, limit, ratio_spread, m_identical});
    m_out.verdicts.push_back(std::move(v));
  }

  // Decides a paired test once its adjusted p-value is known. The limit is
  // applied to the median ratio: the contender it is checked against is the
  // base median scaled by that ratio, so that an absolute part ("+30ns")
  // keeps its meaning.
  static void decide(Verdict& v, const Pending& p, double alpha) {
    const double judged = *v.baseline * (1 + *v.change);
    const bool significant = *v.q_value < alpha;
    const bool worse = p.limit.exceeded(*v.baseline, judged, v.direction);
    const bool better = p.limit.exceeded(*v.baseline, judged, detail::opposite(v.direction));
    const auto rel = p.limit.relative;
    const bool too_spread = rel && p.ratio_spread && *p.ratio_spread > *rel;

    if (worse && significant) {
      v.status = Status::regressed;
    } else if (better && significant) {
      v.status = Status::improved;
    } else if (worse || better) {
      v.status = Status::noisy;
      add_note(v, fmt::format("change beyond {} but not significant (q={:.3g} >= alpha {})", p.limit.text,
                              *v.q_value, alpha));
    } else if (too_spread && !significant) {
      v.status = Status::noisy;
      add_note(v, fmt::format("the paired ratios spread {:.1f}% (robust CV), beyond the threshold {}: too noisy "
                              "to judge",
                              *p.ratio_spread * 100, p.limit.text));
    } else {
      v.status = Status::unchanged;
    }
    if (p.identical_code && (v.status == Status::regressed || v.status == Status::improved)) {
      add_note(v, fmt::format("would be {}, but both builds have identical code: noise",
                              v.status == Status::regressed ? "regressed" : "improved"));
      v.status = Status::noisy;
    }
  }

  void targets(const std::string& suite, const Benchmark& head, const BenchmarkRules& rules,
               const std::string& primary) {
    for (const auto& t : rules.targets) {
      std::string metric = t.metric.empty() ? primary : t.metric;
      Verdict v = skeleton(suite, head.name, metric);
      v.threshold = t.text;
      v.statistic = to_string(t.statistic);
      v.test = "target";
      const Metric* m = head.metric(metric);
      if (m == nullptr || m->samples.empty()) {
        v.status = Status::target_missed;
        v.note = fmt::format("metric '{}' not measured: the target cannot be checked", metric);
        m_out.verdicts.push_back(std::move(v));
        continue;
      }
      v.n_contender = m->samples.size();
      double value = statistic_of(m->samples, t.statistic);
      v.contender = value;
      v.status = t.met(value) ? Status::target_met : Status::target_missed;
      v.note = "head build";
      if (m->samples.size() < 10 && t.statistic.kind == StatisticKind::percentile) {
        add_note(v, fmt::format("{} of only {} samples", to_string(t.statistic), m->samples.size()));
      }
      m_out.verdicts.push_back(std::move(v));
    }
  }

  const Policy& m_policy;
  const CompareOptions& m_options;
  std::optional<std::regex> m_filter;
  Comparison m_out;
  std::vector<Pending> m_pending;
  bool m_identical = false;  ///< the suite being judged has identical code in both builds
};

// A copy of a side's suites with only what compare() needs to judge binary
// sizes: no benchmarks, no failures (this file reports those).
RunBundle sizes_only(const std::vector<Suite>& suites, const std::vector<Suite>& keep_names_of) {
  RunBundle out;
  for (const auto& s : suites) {
    if (s.failure || find_suite(keep_names_of, s.name) == nullptr) continue;
    Suite copy;
    copy.name = s.name;
    copy.binary = s.binary;
    out.suites.push_back(std::move(copy));
  }
  return out;
}

}  // namespace

Comparison compare_ab(const RunBundle& bundle, const Policy& policy, const CompareOptions& options) {
  if (!bundle.ab) {
    throw Error(fmt::format("judging '{}' as an a/b run: it holds only one build's results (not written by "
                            "gate run --ab) — compare it against a baseline instead",
                            bundle.source));
  }
  const AbRun& ab = *bundle.ab;
  AbComparer c(policy, options);
  for (const auto& head : bundle.suites) c.suite(find_suite(ab.base_suites, head.name), head);
  for (const auto& base : ab.base_suites) {
    if (bundle.find(base.name) == nullptr) c.missing_suite(base);
  }

  // Binary sizes of the head build against the base build, by compare()'s
  // budgets: the same numbers a comparison against a stored baseline shows.
  Comparison sizes = compare(sizes_only(ab.base_suites, bundle.suites), sizes_only(bundle.suites, bundle.suites),
                             policy, options);
  for (auto& v : sizes.verdicts) {
    if (v.metric == "size" || v.metric.rfind("size:", 0) == 0) c.add(std::move(v));
  }

  Comparison out = c.finish(policy.defaults.alpha);
  const std::string source = bundle.source.empty() ? std::string("a/b run") : bundle.source;
  out.baseline_source = fmt::format("{} — base build '{}'", source, ab.base_build_dir);
  out.contender_source = fmt::format("{} — head build '{}'", source, ab.head_build_dir);
  out.contender_commit = bundle.commit;
  out.runner = bundle.runner.id;
  out.policy_source = policy.source.empty() ? "built-in defaults" : policy.source;
  std::vector<std::string> first;
  first.push_back(fmt::format("same-job a/b: {} rounds, base build '{}' and head build '{}' interleaved on one "
                              "runner; noisy metrics judged by the paired ratios head/base (median ratio, "
                              "two-sided Wilcoxon signed-rank test on the log ratios, Benjamini-Hochberg q < {})",
                              ab.rounds, ab.base_build_dir, ab.head_build_dir, out.alpha));
  out.notices.insert(out.notices.begin(), first.begin(), first.end());
  for (const auto& f : out.suite_failures) {
    out.notices.push_back(fmt::format("suite '{}' failed to run: the gate cannot judge it", f));
  }
  return out;
}

}  // namespace gate
