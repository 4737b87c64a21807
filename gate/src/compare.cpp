// gate/src/compare.cpp — turns a baseline, a contender and a policy into
// verdicts. The statistics live in stats.cpp, the rules in policy.cpp; this
// file decides.
#include "gate/compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "gate/error.hpp"
#include "gate/stats.hpp"

namespace gate {
namespace {

// Complexity classes in the order Google Benchmark fits them, best first.
// "f(N)" (a user-supplied function) is not comparable and yields no verdict.
int complexity_rank(std::string_view big_o) {
  static constexpr std::array<std::string_view, 6> order = {"(1)", "lgN", "N", "NlgN", "N^2", "N^3"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == big_o) return static_cast<int>(i);
  }
  return -1;
}

Direction opposite(Direction d) {
  return d == Direction::lower_is_better ? Direction::higher_is_better : Direction::lower_is_better;
}

double relative_change(double baseline, double contender) {
  if (baseline == 0) return contender == 0 ? 0.0 : std::copysign(INFINITY, contender);
  return contender / baseline - 1.0;
}

// The robust relative spread of a sample: the normal-consistent MAD over the
// median. Robust because one preempted repetition on a shared machine must
// not make a whole benchmark "noisy".
std::optional<double> robust_spread(std::span<const double> samples) {
  if (samples.size() < 3) return std::nullopt;
  double spread = stats::robust_cv(samples);
  if (std::isinf(spread)) return std::nullopt;
  return spread;
}

// A tested noisy metric waiting for its adjusted p-value.
struct Pending {
  std::size_t verdict_index;
  double p_value;
  Limit limit;
};

class Comparer {
 public:
  Comparer(const Policy& policy, const CompareOptions& options) : m_policy(policy), m_options(options) {
    if (options.filter) {
      try {
        m_filter.emplace(*options.filter, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        throw Error(fmt::format("bad --filter regex '{}': {}", *options.filter, e.what()));
      }
    }
  }

  void suite(const Suite* base, const Suite& cont) {
    if (cont.failure) {
      m_out.suite_failures.push_back(cont.name);
      add_suite_failure(cont);
      return;
    }
    std::unordered_map<std::string_view, const Benchmark*> base_by_name;
    if (base != nullptr) {
      base_by_name.reserve(base->benchmarks.size());
      for (const auto& b : base->benchmarks) base_by_name.emplace(b.name, &b);
    }
    std::unordered_set<std::string_view> seen;
    seen.reserve(cont.benchmarks.size());
    for (const auto& c : cont.benchmarks) {
      if (!selected(c.name)) continue;
      seen.insert(c.name);
      auto it = base_by_name.find(c.name);
      benchmark(cont.name, it == base_by_name.end() ? nullptr : it->second, c);
    }
    if (base != nullptr) {
      for (const auto& b : base->benchmarks) {
        if (!selected(b.name) || seen.contains(b.name)) continue;
        Verdict v = skeleton(cont.name, b.name, primary_metric(cont.name, b.name));
        v.status = Status::missing;
        v.note = "in the baseline, not in the contender (renamed or removed?)";
        m_out.verdicts.push_back(std::move(v));
      }
      complexity(*base, cont);
    }
  }

  void missing_suite(const Suite& base) {
    Verdict v = skeleton(base.name, "*", "");
    v.status = Status::missing;
    v.note = "suite in the baseline, not in the contender";
    m_out.verdicts.push_back(std::move(v));
  }

  Comparison finish(double alpha) {
    // Benjamini–Hochberg across every significance test of this comparison:
    // with 500 benchmarks of pure noise, about 25 would pass p < 0.05 alone.
    std::vector<double> ps;
    ps.reserve(m_pending.size());
    for (const auto& p : m_pending) ps.push_back(p.p_value);
    auto qs = stats::benjamini_hochberg(ps);
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
      Verdict& v = m_out.verdicts[m_pending[i].verdict_index];
      v.q_value = qs[i];
      decide_noisy(v, m_pending[i].limit, alpha);
    }
    m_out.alpha = alpha;
    std::stable_sort(m_out.verdicts.begin(), m_out.verdicts.end(), [](const Verdict& a, const Verdict& b) {
      if (a.status != b.status) return a.status < b.status;
      double ca = a.change ? badness(a) : -INFINITY;
      double cb = b.change ? badness(b) : -INFINITY;
      return ca > cb;
    });
    return std::move(m_out);
  }

 private:
  static double badness(const Verdict& v) {
    return v.direction == Direction::lower_is_better ? *v.change : -*v.change;
  }

  bool selected(const std::string& name) const { return !m_filter || std::regex_search(name, *m_filter); }

  std::string primary_metric(std::string_view suite, std::string_view bench) const {
    if (m_options.metric) return *m_options.metric;
    return m_policy.rules_for(suite, bench).primary_metric;
  }

  Verdict skeleton(std::string_view suite, std::string_view bench, std::string_view metric) const {
    Verdict v;
    v.suite = suite;
    v.benchmark = bench;
    v.metric = metric;
    if (!metric.empty()) {
      auto info = m_policy.describe(metric);
      v.direction = info.direction;
      v.kind = info.kind;
      v.unit = info.unit;
    }
    return v;
  }

  void add_suite_failure(const Suite& cont) {
    Verdict v = skeleton(cont.name, "*", "");
    v.status = Status::failed;
    v.note = *cont.failure;
    m_out.verdicts.push_back(std::move(v));
  }

  void benchmark(const std::string& suite, const Benchmark* base, const Benchmark& cont) {
    BenchmarkRules rules = m_policy.rules_for(suite, cont.name);
    std::string primary = m_options.metric ? *m_options.metric : rules.primary_metric;

    if (cont.error || cont.skipped) {
      Verdict v = skeleton(suite, cont.name, primary);
      v.status = cont.error ? Status::failed : Status::missing;
      v.note = cont.error ? "errored: " + *cont.error : "skipped: " + *cont.skipped;
      m_out.verdicts.push_back(std::move(v));
      return;
    }

    targets(suite, cont, rules, primary);

    if (base == nullptr || base->error || base->skipped) {
      Verdict v = skeleton(suite, cont.name, primary);
      v.status = Status::new_benchmark;
      if (const Metric* m = cont.metric(primary); m != nullptr && !m->samples.empty()) {
        v.contender = stats::median(m->samples);
        v.n_contender = m->samples.size();
        v.statistic = "median";
      }
      if (base != nullptr) v.note = "the baseline's run of it errored or was skipped";
      m_out.verdicts.push_back(std::move(v));
      return;
    }

    // The primary metric always; every other metric that a limit names and
    // both sides measured.
    std::vector<std::pair<std::string, Limit>> judged;
    auto primary_limit = rules.limits.find(primary);
    if (primary_limit != rules.limits.end()) {
      judged.emplace_back(primary, primary_limit->second);
    } else {
      judged.emplace_back(primary, m_policy.defaults.threshold);
    }
    for (const auto& [metric, limit] : rules.limits) {
      // --metric replaces the policy's primary metric rather than adding to it.
      if (metric == primary || (m_options.metric && metric == rules.primary_metric)) continue;
      if (cont.metric(metric) != nullptr && base->metric(metric) != nullptr) judged.emplace_back(metric, limit);
    }
    for (const auto& [metric, limit] : judged) {
      const Metric* bm = base->metric(metric);
      const Metric* cm = cont.metric(metric);
      if (bm == nullptr || cm == nullptr || bm->samples.empty() || cm->samples.empty()) {
        if (metric == primary) {
          Verdict v = skeleton(suite, cont.name, metric);
          v.status = Status::noisy;
          v.note = fmt::format("metric '{}' not measured on {}", metric,
                               bm == nullptr ? (cm == nullptr ? "either side" : "the baseline") : "the contender");
          m_out.verdicts.push_back(std::move(v));
        }
        continue;
      }
      judge(suite, *base, cont, *bm, *cm, limit);
    }
  }

  void judge(const std::string& suite, const Benchmark& base, const Benchmark& cont, const Metric& bm,
             const Metric& cm, const Limit& limit) {
    Verdict v = skeleton(suite, cont.name, bm.name);
    v.threshold = limit.text;
    v.n_baseline = bm.samples.size();
    v.n_contender = cm.samples.size();

    if (v.kind == MetricKind::deterministic) {
      // Deterministic counts are judged exactly: no test, no tolerance beyond
      // the limit itself. The median guards against a stray repetition.
      v.statistic = "value";
      v.test = "exact";
      v.baseline = stats::median(bm.samples);
      v.contender = stats::median(cm.samples);
      v.change = relative_change(*v.baseline, *v.contender);
      if (limit.exceeded(*v.baseline, *v.contender, v.direction)) {
        v.status = Status::regressed;
      } else if (limit.exceeded(*v.baseline, *v.contender, opposite(v.direction)) ||
                 (*v.baseline != *v.contender && !limit.relative.has_value() && !limit.absolute.has_value())) {
        v.status = Status::improved;
      } else {
        v.status = Status::unchanged;
      }
      m_out.verdicts.push_back(std::move(v));
      return;
    }

    bool aggregates_only = bm.from_aggregates || cm.from_aggregates;
    v.statistic = "median";
    v.baseline = stats::median(bm.samples);
    v.contender = stats::median(cm.samples);
    v.change = relative_change(*v.baseline, *v.contender);
    v.baseline_spread = robust_spread(bm.samples);

    if (aggregates_only) {
      welch_from_aggregates(v, base, cont, bm.name);
      if (!v.p_value) {
        v.status = Status::noisy;
        v.test = "none";
        v.note = "only aggregates without a spread: cannot test, record per-repetition rows";
        m_out.verdicts.push_back(std::move(v));
        return;
      }
    } else if (std::min(v.n_baseline, v.n_contender) < static_cast<std::size_t>(m_policy.defaults.min_repetitions)) {
      v.test = "none";
      v.status = Status::noisy;
      v.note = fmt::format("n={}/{} below min_repetitions {}: cannot test, run with --benchmark_repetitions={}",
                           v.n_baseline, v.n_contender, m_policy.defaults.min_repetitions,
                           std::max(10, m_policy.defaults.min_repetitions));
      if (!limit.exceeded(*v.baseline, *v.contender, v.direction)) {
        v.status = Status::unchanged;
        v.note = fmt::format("n={}/{} below min_repetitions {}: untested, change within the limit", v.n_baseline,
                             v.n_contender, m_policy.defaults.min_repetitions);
      }
      m_out.verdicts.push_back(std::move(v));
      return;
    } else {
      auto mw = stats::mann_whitney_u(bm.samples, cm.samples);
      v.p_value = mw.p_value;
      v.test = "mann-whitney u";
    }
    m_pending.push_back({m_out.verdicts.size(), *v.p_value, limit});
    m_out.verdicts.push_back(std::move(v));
  }

  // A file that holds only aggregates (mean, stddev and the number of
  // repetitions) still allows a test: Welch's t-test on the means. It assumes
  // normal samples, which benchmark times are not, so the report says it is
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
    v.statistic = "mean (aggregates)";
    v.baseline = *m1;
    v.contender = *m2;
    v.change = relative_change(*m1, *m2);
    v.n_baseline = static_cast<std::size_t>(base.repetitions);
    v.n_contender = static_cast<std::size_t>(cont.repetitions);
    v.baseline_spread = *m1 != 0 ? std::optional<double>(*s1 / std::fabs(*m1)) : std::nullopt;
    v.p_value = t.p_value;
    v.test = "welch t (aggregates only)";
    v.note = "only aggregates: Welch t-test on means, weaker than a rank test on repetitions";
  }

  // Decides a tested noisy metric once its adjusted p-value is known.
  static void decide_noisy(Verdict& v, const Limit& limit, double alpha) {
    bool significant = *v.q_value < alpha;
    bool worse = limit.exceeded(*v.baseline, *v.contender, v.direction);
    bool better = limit.exceeded(*v.baseline, *v.contender, opposite(v.direction));
    auto rel = limit.relative;  // a spread beyond it makes a threshold-sized change unjudgeable
    bool too_spread = rel && v.baseline_spread && *v.baseline_spread > *rel;
    auto add_note = [&](const std::string& s) { v.note = v.note.empty() ? s : v.note + "; " + s; };

    if (worse && significant) {
      v.status = Status::regressed;
    } else if (better && significant) {
      v.status = Status::improved;
    } else if (worse || better) {
      v.status = Status::noisy;
      add_note(fmt::format("change beyond {} but not significant (q={:.3g} >= alpha {})", limit.text, *v.q_value,
                           alpha));
    } else if (too_spread && !significant) {
      v.status = Status::noisy;
      add_note(fmt::format("baseline spread {:.1f}% exceeds the threshold {}: too noisy to judge",
                           *v.baseline_spread * 100, limit.text));
    } else {
      v.status = Status::unchanged;
    }
  }

  void targets(const std::string& suite, const Benchmark& cont, const BenchmarkRules& rules,
               const std::string& primary) {
    for (const auto& t : rules.targets) {
      std::string metric = t.metric.empty() ? primary : t.metric;
      Verdict v = skeleton(suite, cont.name, metric);
      v.threshold = t.text;
      v.statistic = t.statistic;
      v.test = "target";
      const Metric* m = cont.metric(metric);
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
      if (m->samples.size() < 10 && t.statistic.size() > 1 && t.statistic[0] == 'p' && t.statistic != "p50") {
        v.note = fmt::format("{} of only {} samples", t.statistic, m->samples.size());
      }
      m_out.verdicts.push_back(std::move(v));
    }
  }

  static double statistic_of(std::span<const double> samples, const std::string& statistic) {
    if (statistic == "median" || statistic == "p50") return stats::median(samples);
    if (statistic == "mean") return stats::mean(samples);
    if (statistic == "min") return *std::min_element(samples.begin(), samples.end());
    if (statistic == "max") return *std::max_element(samples.begin(), samples.end());
    if (statistic.size() > 1 && statistic[0] == 'p') return stats::percentile(samples, std::stod(statistic.substr(1)));
    throw Error(fmt::format("unknown statistic '{}'", statistic));
  }

  void complexity(const Suite& base, const Suite& cont) {
    for (const auto& c : cont.complexity) {
      if (!selected(c.family)) continue;
      auto b = std::find_if(base.complexity.begin(), base.complexity.end(),
                            [&](const ComplexityFit& f) { return f.family == c.family; });
      if (b == base.complexity.end()) continue;
      int rb = complexity_rank(b->big_o);
      int rc = complexity_rank(c.big_o);
      if (rb < 0 || rc < 0) continue;
      Verdict v = skeleton(cont.name, c.family, "complexity");
      v.kind = MetricKind::deterministic;
      v.statistic = "big_o";
      v.test = "fit";
      v.baseline_text = "O(" + b->big_o + ")";
      v.contender_text = "O(" + c.big_o + ")";
      v.threshold = "same class";
      v.status = rc > rb ? Status::regressed : rc < rb ? Status::improved : Status::unchanged;
      v.note = fmt::format("fit rms {:.0f}% → {:.0f}%", b->rms * 100, c.rms * 100);
      m_out.verdicts.push_back(std::move(v));
    }
  }

  const Policy& m_policy;
  const CompareOptions& m_options;
  std::optional<std::regex> m_filter;
  Comparison m_out;
  std::vector<Pending> m_pending;
};

}  // namespace

std::string_view to_string(Status s) {
  switch (s) {
    case Status::failed: return "failed";
    case Status::regressed: return "regressed";
    case Status::target_missed: return "target missed";
    case Status::budget_exceeded: return "budget exceeded";
    case Status::noisy: return "noisy";
    case Status::missing: return "missing";
    case Status::new_benchmark: return "new";
    case Status::improved: return "improved";
    case Status::unchanged: return "unchanged";
    case Status::target_met: return "target met";
  }
  return "unknown";
}

bool fails_gate(Status s) {
  return s == Status::failed || s == Status::regressed || s == Status::target_missed ||
         s == Status::budget_exceeded;
}

std::array<std::size_t, k_status_count> Comparison::counts() const {
  std::array<std::size_t, k_status_count> c{};
  for (const auto& v : verdicts) ++c[static_cast<std::size_t>(v.status)];
  return c;
}

bool Comparison::passed() const {
  return suite_failures.empty() &&
         std::none_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) { return fails_gate(v.status); });
}

int Comparison::exit_code() const {
  if (!suite_failures.empty()) return 2;
  return passed() ? 0 : 1;
}

Comparison compare(const RunBundle& baseline, const RunBundle& contender, const Policy& policy,
                   const CompareOptions& options) {
  Comparer c(policy, options);
  bool pair_single = baseline.suites.size() == 1 && contender.suites.size() == 1;
  for (const auto& cont : contender.suites) {
    const Suite* base = pair_single ? &baseline.suites.front() : baseline.find(cont.name);
    c.suite(base, cont);
  }
  if (!pair_single) {
    for (const auto& base : baseline.suites) {
      if (contender.find(base.name) == nullptr) c.missing_suite(base);
    }
  }
  Comparison out = c.finish(policy.defaults.alpha);
  out.baseline_source = baseline.source;
  out.contender_source = contender.source;
  out.baseline_commit = baseline.commit;
  out.contender_commit = contender.commit;
  out.runner = baseline.runner.id;
  out.policy_source = policy.source.empty() ? "built-in defaults" : policy.source;
  if (pair_single && baseline.suites.front().name != contender.suites.front().name) {
    out.notices.push_back(fmt::format("comparing suite '{}' with '{}' (one suite on each side)",
                                      baseline.suites.front().name, contender.suites.front().name));
  }
  bool any_aggregates = std::any_of(out.verdicts.begin(), out.verdicts.end(),
                                    [](const Verdict& v) { return v.test == "welch t (aggregates only)"; });
  if (any_aggregates) {
    out.notices.push_back("some results hold only aggregates: those were judged by a Welch t-test on means, "
                          "weaker than a rank test on repetitions");
  }
  for (const auto& f : out.suite_failures) {
    out.notices.push_back(fmt::format("suite '{}' failed to run: the gate cannot judge it", f));
  }
  return out;
}

}  // namespace gate
