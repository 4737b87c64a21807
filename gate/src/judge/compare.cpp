// gate/src/judge/compare.cpp — turns a baseline, a contender and a policy into
// verdicts. The statistics live in stats.cpp, the rules in policy.cpp; this
// file decides.
#include "gate/judge/compare.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <cmath>
#include <regex>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "gate/error.hpp"
#include "judge/judging.hpp"
#include "gate/model/noise.hpp"
#include "gate/stats/stats.hpp"
#include "gate/model/units.hpp"

namespace gate {
namespace {

// The counts callgrind gives (gate/callgrind.hpp): exact for one thread, but
// for several they depend on how valgrind happened to schedule them.
bool is_callgrind_count(std::string_view metric) {
  static constexpr std::array<std::string_view, 8> names = {"instructions", "est_cycles", "l1i_misses", "l1d_misses",
                                                             "ll_misses",    "lli_misses", "lld_misses", "branch_misses"};
  return std::find(names.begin(), names.end(), metric) != names.end();
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

// What besides the limit and the test decides a noisy metric.
struct NoisyContext {
  std::optional<double> noise_floor;  // noise_k × calibrated noise: the change must exceed it too
  std::optional<NoiseEntry> noise;
  std::string bimodal;                // the note, when either side's samples split into two modes
  bool mode_decides = false;          // the verdict would differ with the bimodal side's other mode as its median
  bool code_unchanged = false;        // the suite's .text is identical on both sides
};

// A tested noisy metric waiting for its adjusted p-value.
struct Pending {
  std::size_t verdict_index;
  double p_value;
  Limit limit;
  NoisyContext context;
};

// The relative change in the worse direction of `direction` (positive =
// worse), infinite from a zero baseline.
double worse_fraction(double baseline, double contender, Direction direction) {
  double worse = Limit::worse_change(baseline, contender, direction);
  if (baseline == 0) return worse > 0 ? INFINITY : 0.0;
  return worse / std::fabs(baseline);
}

// Which way a change goes past a limit and a noise floor: +1 worse, -1
// better, 0 within.
int decision(double baseline, double contender, Direction direction, const Limit& limit, double floor) {
  if (limit.exceeded(baseline, contender, direction) && worse_fraction(baseline, contender, direction) > floor) {
    return 1;
  }
  Direction other = detail::opposite(direction);
  if (limit.exceeded(baseline, contender, other) && worse_fraction(baseline, contender, other) > floor) return -1;
  return 0;
}

// Bimodal samples of either side: the note ("bimodal: modes 1.02 µs (6) and
// 1.31 µs (4) in the contender"), and whether the verdict depends on which
// mode the median fell in. A median of two modes lands in either by chance,
// so a verdict that would change if it had landed in the other is no
// verdict; one that holds for either mode (a change far beyond both, or
// within the limit from both) is judged as usual, with the note.
void check_modes(NoisyContext& context, const Metric& baseline, const Metric& contender, const Verdict& v,
                 const Limit& limit) {
  const double floor = context.noise_floor.value_or(0);
  auto side = [&](const Metric& m, std::string_view name, bool is_contender) {
    auto modes = stats::bimodality(m.samples);
    if (!modes) return;
    std::string note = fmt::format("bimodal: modes {} ({}) and {} ({}) in the {}", format_quantity(modes->low, v.unit),
                                   modes->low_count, format_quantity(modes->high, v.unit), modes->high_count, name);
    context.bimodal = context.bimodal.empty() ? note : context.bimodal + "; " + note;
    int at_low = is_contender ? decision(*v.baseline, modes->low, v.direction, limit, floor)
                              : decision(modes->low, *v.contender, v.direction, limit, floor);
    int at_high = is_contender ? decision(*v.baseline, modes->high, v.direction, limit, floor)
                               : decision(modes->high, *v.contender, v.direction, limit, floor);
    if (at_low != at_high) context.mode_decides = true;
  };
  side(contender, "contender", true);
  side(baseline, "baseline", false);
}

class Comparer {
 public:
  Comparer(const Policy& policy, const CompareOptions& options)
      : m_policy(policy),
        m_options(options),
        m_timing(options.stored_baseline ? policy.defaults.timing.value_or(TimingMode::confirm) : TimingMode::judge),
        m_filter(detail::compile_filter(options.filter)) {}

  void suite(const Suite* base, const Suite& cont) {
    if (cont.failure) {
      m_out.suite_failures.push_back(cont.name);
      add_suite_failure(cont);
      return;
    }
    // Nothing changed, nothing to judge: identical code cannot be slower,
    // so a timing difference is the machine's.
    m_code_unchanged = base != nullptr && base->binary && cont.binary && !cont.binary->text_hash.empty() &&
                       base->binary->text_hash == cont.binary->text_hash;
    if (m_code_unchanged && !cont.product) m_out.unchanged_code_suites.push_back(cont.name);
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
    sizes(base, cont);
  }

  void missing_suite(const Suite& base) {
    Verdict v = skeleton(base.name, "*", "");
    v.status = Status::missing;
    v.note = base.product ? "product binary in the baseline, not in the contender"
                          : "suite in the baseline, not in the contender";
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
      decide_noisy(v, m_pending[i].limit, m_pending[i].context, alpha);
    }
    m_out.alpha = alpha;
    m_out.timing = m_timing;
    add_notices();
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
      if (cont.metric(metric) == nullptr) continue;
      if (base->metric(metric) != nullptr) {
        judged.emplace_back(metric, limit);
      } else {
        ++m_unjudged[metric];  // said once, in a notice: a limit that judged nothing
      }
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
      v.change = detail::relative_change(*v.baseline, *v.contender);
      const int threads = std::max(base.threads, cont.threads);
      if (threads > 1 && is_callgrind_count(v.metric) &&
          (limit.exceeded(*v.baseline, *v.contender, v.direction) ||
           limit.exceeded(*v.baseline, *v.contender, detail::opposite(v.direction)))) {
        // Measured on this project's machine: BM_MazeConcurrent/threads:4
        // counted 1159 or 1325 instructions per iteration in runs of one
        // binary, threads:8 994 to 1325 — valgrind runs one thread at a
        // time, and spinning and lock retries follow its schedule.
        v.status = Status::noisy;
        v.note = fmt::format("a callgrind count of {} threads depends on how valgrind scheduled them: not judged "
                             "exactly",
                             threads);
      } else if (limit.exceeded(*v.baseline, *v.contender, v.direction)) {
        v.status = Status::regressed;
      } else if (limit.exceeded(*v.baseline, *v.contender, detail::opposite(v.direction)) ||
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
    v.change = detail::relative_change(*v.baseline, *v.contender);
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
    NoisyContext context;
    context.code_unchanged = m_code_unchanged;
    if (m_options.noise) {
      if (const NoiseEntry* e = m_options.noise->find(suite, cont.name, bm.name)) {
        context.noise = *e;
        context.noise_floor = m_policy.defaults.noise_k * e->spread;
        // The threshold shows the noise only where it decides: when k × noise
        // is above the limit's own relative part.
        if (*context.noise_floor > limit.relative.value_or(0)) {
          v.threshold = fmt::format("{} (noise: {:g} × {} = {})", limit.text, m_policy.defaults.noise_k,
                                    format_quantity(e->spread, "%"), format_quantity(*context.noise_floor, "%"));
          ++m_noise_raised;
        }
      }
    }
    if (!aggregates_only) check_modes(context, bm, cm, v, limit);
    m_pending.push_back({m_out.verdicts.size(), *v.p_value, limit, std::move(context)});
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
    v.change = detail::relative_change(*m1, *m2);
    v.n_baseline = static_cast<std::size_t>(base.repetitions);
    v.n_contender = static_cast<std::size_t>(cont.repetitions);
    v.baseline_spread = *m1 != 0 ? std::optional<double>(*s1 / std::fabs(*m1)) : std::nullopt;
    v.p_value = t.p_value;
    v.test = "welch t (aggregates only)";
    v.note = "only aggregates: Welch t-test on means, weaker than a rank test on repetitions";
  }

  // What decided the noisy verdicts, said before the table.
  void add_notices() {
    for (const auto& [metric, count] : m_unjudged) {
      m_out.notices.push_back(fmt::format(
          "'{}' has a limit and was measured in {} benchmark{} of the contender, but not in the baseline: not judged — "
          "record the baseline with the same measurements{}",
          metric, count, count == 1 ? "" : "s", is_callgrind_count(metric) ? " (gate run --instrument)" : ""));
    }
    if (!m_out.unchanged_code_suites.empty()) {
      m_out.notices.push_back(fmt::format("code unchanged (identical .text) in {}: timing differences there are "
                                          "reported as noise and cannot fail the gate",
                                          fmt::join(m_out.unchanged_code_suites, ", ")));
    }
    if (m_options.noise) {
      std::string note = fmt::format("calibrated noise from {} (runner '{}'): a noisy metric's threshold is the larger "
                                     "of the policy's and {:g} × its noise ({}): {} raised",
                                     m_options.noise->source.empty() ? "noise.json" : m_options.noise->source,
                                     m_options.noise->runner, m_policy.defaults.noise_k, k_noise_statistic,
                                     m_noise_raised);
      if (m_too_noisy > 0) {
        note += fmt::format(", {} too noisy to judge (above the ceiling {})", m_too_noisy,
                            format_quantity(m_policy.defaults.noise_ceiling, "%"));
      }
      m_out.notices.push_back(std::move(note));
    }
    auto suspects = static_cast<std::size_t>(std::count_if(
        m_out.verdicts.begin(), m_out.verdicts.end(), [](const Verdict& v) { return v.needs_confirmation; }));
    if (suspects > 0) {
      m_out.notices.push_back(fmt::format("{} timing regression{} against the stored baseline need{} confirmation: "
                                          "{} the gate only when a same-job re-run of base and head confirms {} "
                                          "(defaults.timing \"confirm\")",
                                          suspects, suspects == 1 ? "" : "s", suspects == 1 ? "s" : "",
                                          suspects == 1 ? "it fails" : "they fail", suspects == 1 ? "it" : "them"));
    }
  }

  // Decides a tested noisy metric once its adjusted p-value is known: the
  // change must exceed the limit, the calibrated noise floor (if any) and be
  // significant; then what the context knows overrides the statistics.
  void decide_noisy(Verdict& v, const Limit& limit, const NoisyContext& context, double alpha) {
    bool significant = *v.q_value < alpha;
    const double floor = context.noise_floor.value_or(0);
    bool worse = limit.exceeded(*v.baseline, *v.contender, v.direction) &&
                 worse_fraction(*v.baseline, *v.contender, v.direction) > floor;
    bool better = limit.exceeded(*v.baseline, *v.contender, detail::opposite(v.direction)) &&
                  worse_fraction(*v.baseline, *v.contender, detail::opposite(v.direction)) > floor;
    // A spread beyond the relative threshold makes a threshold-sized change unjudgeable.
    std::optional<double> rel = limit.relative;
    if (context.noise_floor) rel = std::max(rel.value_or(0), floor);
    bool too_spread = rel && v.baseline_spread && *v.baseline_spread > *rel;
    auto add_note = [&](const std::string& s) { v.note = v.note.empty() ? s : v.note + "; " + s; };

    if (context.noise_floor && floor > m_policy.defaults.noise_ceiling) {
      // Never failing, never passing in silence: the runner cannot resolve
      // a change of this benchmark that anyone would accept.
      v.status = Status::noisy;
      add_note(fmt::format("too noisy to judge on this runner: calibrated noise {:g} × {} = {} exceeds the ceiling {} "
                           "(n={} runs)",
                           m_policy.defaults.noise_k, format_quantity(context.noise->spread, "%"),
                           format_quantity(floor, "%"), format_quantity(m_policy.defaults.noise_ceiling, "%"),
                           context.noise->runs));
      ++m_too_noisy;
    } else if (context.mode_decides) {
      // The median's mode, not the code, would decide this verdict.
      v.status = Status::noisy;
      add_note(context.bimodal + ": the verdict depends on which mode the median fell in");
    } else if (worse && significant) {
      v.status = Status::regressed;
    } else if (better && significant) {
      v.status = Status::improved;
    } else if (worse || better) {
      v.status = Status::noisy;
      add_note(fmt::format("change beyond {} but not significant (q={:.3g} >= alpha {})", v.threshold, *v.q_value,
                           alpha));
    } else if (too_spread && !significant) {
      v.status = Status::noisy;
      add_note(fmt::format("baseline spread {:.1f}% exceeds the threshold {}: too noisy to judge",
                           *v.baseline_spread * 100, v.threshold));
    } else {
      v.status = Status::unchanged;
    }

    if (!context.bimodal.empty() && !context.mode_decides) {
      add_note(context.bimodal + " (the verdict holds for either mode)");
    }
    if (context.code_unchanged && (v.status == Status::regressed || v.status == Status::improved)) {
      v.status = Status::noisy;
      add_note("code unchanged (identical .text): a timing difference is noise");
    }
    if (v.status == Status::regressed && m_timing == TimingMode::confirm) {
      v.needs_confirmation = true;
      add_note("needs confirmation: a timing regression against a stored baseline fails the gate only when a "
               "same-job re-run of base and head confirms it (defaults.timing \"confirm\")");
    }
  }

  void targets(const std::string& suite, const Benchmark& cont, const BenchmarkRules& rules,
               const std::string& primary) {
    for (const auto& t : rules.targets) {
      std::string metric = t.metric.empty() ? primary : t.metric;
      Verdict v = skeleton(suite, cont.name, metric);
      v.threshold = t.text;
      v.statistic = to_string(t.statistic);
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
      if (m->samples.size() < 10 && t.statistic.kind == StatisticKind::percentile) {
        v.note = fmt::format("{} of only {} samples", to_string(t.statistic), m->samples.size());
      }
      m_out.verdicts.push_back(std::move(v));
    }
  }

  static double statistic_of(std::span<const double> samples, const Statistic& statistic) {
    switch (statistic.kind) {
      case StatisticKind::mean: return stats::mean(samples);
      case StatisticKind::min: return stats::min(samples);
      case StatisticKind::max: return stats::max(samples);
      case StatisticKind::percentile: return stats::percentile(samples, statistic.percentile);
      default: return stats::median(samples);
    }
  }

  void complexity(const Suite& base, const Suite& cont) {
    // A side of an A/B run holds a fit per round: one run's fit is its first.
    for (const auto& c : cont.complexity) {
      if (!selected(c.family) || c.round > 1) continue;
      auto b = std::find_if(base.complexity.begin(), base.complexity.end(),
                            [&](const ComplexityFit& f) { return f.family == c.family && f.round <= 1; });
      if (b == base.complexity.end()) continue;
      int rb = detail::complexity_rank(b->big_o);
      int rc = detail::complexity_rank(c.big_o);
      if (rb < 0 || rc < 0) continue;
      Verdict v = skeleton(cont.name, c.family, "complexity");
      v.kind = MetricKind::deterministic;
      v.statistic = "big_o";
      v.test = "fit";
      v.baseline_text = detail::big_o_text(b->big_o);
      v.contender_text = detail::big_o_text(c.big_o);
      v.threshold = "same class";
      v.status = rc > rb ? Status::regressed : rc < rb ? Status::improved : Status::unchanged;
      v.note = fmt::format("fit rms {:.0f}% → {:.0f}%", b->rms * 100, c.rms * 100);
      // A fit is made from times, so it is as noisy as they are (seen: a
      // weak N lgN fit read as N^2 on a loaded machine): identical code cannot
      // change class, and against a stored baseline a worse class needs the
      // same confirmation as a timing regression.
      if (m_code_unchanged && v.status != Status::unchanged) {
        v.status = Status::noisy;
        v.note += "; code unchanged (identical .text): a different fit is noise";
      }
      if (v.status == Status::regressed && m_timing == TimingMode::confirm) {
        v.needs_confirmation = true;
        v.note += "; needs confirmation: fitted from times, judged like a timing regression (defaults.timing "
                  "\"confirm\")";
      }
      m_out.verdicts.push_back(std::move(v));
    }
  }

  // Binary size against the policy's budget: an absolute maximum and growth
  // against the baseline, for the file and for the sections the budget names.
  // Sizes are deterministic: judged exactly.
  void sizes(const Suite* base, const Suite& cont) {
    if (!cont.binary) return;
    auto budget = m_policy.size_budget_for(cont.name);
    if (!budget) return;
    const BinarySize& now = *cont.binary;
    const BinarySize* before = base != nullptr && base->binary ? &*base->binary : nullptr;
    auto section = [](const BinarySize& b, const std::string& name) -> std::optional<double> {
      for (const auto& s : b.sections) {
        if (s.name == name) return static_cast<double>(s.size);
      }
      return std::nullopt;
    };
    auto judge_size = [&](const std::string& metric, std::optional<double> was, double is,
                          const std::optional<double>& max, const std::string& max_text,
                          const std::optional<Limit>& growth) {
      if (max) {
        Verdict v = size_verdict(cont.name, now.path, metric, was, is);
        v.threshold = "< " + max_text;
        v.status = is > *max ? Status::budget_exceeded : Status::unchanged;
        m_out.verdicts.push_back(std::move(v));
      }
      if (growth && was) {
        Verdict v = size_verdict(cont.name, now.path, metric, was, is);
        v.threshold = growth->text;
        if (growth->exceeded(*was, is, Direction::lower_is_better)) {
          v.status = Status::budget_exceeded;
          if (metric == "size") v.note = largest_growth(*before, now);
        } else {
          v.status = is < *was ? Status::improved : Status::unchanged;
        }
        m_out.verdicts.push_back(std::move(v));
      }
    };
    std::optional<double> was_file = before ? std::optional<double>(static_cast<double>(before->file_size)) : std::nullopt;
    judge_size("size", was_file, static_cast<double>(now.file_size), budget->max, budget->max_text, budget->growth);
    for (const auto& [name, sb] : budget->sections) {
      auto is = section(now, name);
      if (!is) continue;
      judge_size("size:" + name, before ? section(*before, name) : std::nullopt, *is, sb.max, sb.max_text, sb.growth);
    }
  }

  Verdict size_verdict(const std::string& suite, const std::string& path, const std::string& metric,
                       std::optional<double> was, double is) const {
    Verdict v;
    v.suite = suite;
    v.benchmark = path.empty() ? suite : path;
    v.metric = metric;
    v.kind = MetricKind::deterministic;
    v.unit = "B";
    v.statistic = "bytes";
    v.test = "exact";
    v.baseline = was;
    v.contender = is;
    if (was) v.change = detail::relative_change(*was, is);
    return v;
  }

  // "grew 6.0 MB: .data +6.0 MB, .text +1.2 kB" — which sections to look at.
  static std::string largest_growth(const BinarySize& before, const BinarySize& now) {
    std::vector<std::pair<double, std::string>> grown;
    for (const auto& s : now.sections) {
      double was = 0;
      for (const auto& b : before.sections) {
        if (b.name == s.name) was = static_cast<double>(b.size);
      }
      double delta = static_cast<double>(s.size) - was;
      if (delta > 0) grown.emplace_back(delta, s.name);
    }
    std::sort(grown.rbegin(), grown.rend());
    std::string out = fmt::format("grew {} (file)", format_quantity(static_cast<double>(now.file_size) -
                                                                        static_cast<double>(before.file_size),
                                                                    "B"));
    for (std::size_t i = 0; i < grown.size() && i < 3; ++i) {
      out += fmt::format("{} {} +{}", i == 0 ? ":" : ",", grown[i].second, format_quantity(grown[i].first, "B"));
    }
    return out;
  }

  const Policy& m_policy;
  const CompareOptions& m_options;
  TimingMode m_timing;
  std::optional<std::regex> m_filter;
  Comparison m_out;
  std::vector<Pending> m_pending;
  bool m_code_unchanged = false;   // of the suite being compared
  std::size_t m_noise_raised = 0;  // thresholds that the calibrated noise raised
  std::size_t m_too_noisy = 0;     // verdicts above the noise ceiling
  std::map<std::string, std::size_t, std::less<>> m_unjudged;  // metric with a limit → benchmarks the baseline lacks it in
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

bool fails_gate(const Verdict& v) { return fails_gate(v.status) && !v.needs_confirmation; }

std::array<std::size_t, k_status_count> Comparison::counts() const {
  std::array<std::size_t, k_status_count> c{};
  for (const auto& v : verdicts) ++c[static_cast<std::size_t>(v.status)];
  return c;
}

bool Comparison::passed() const {
  return suite_failures.empty() &&
         std::none_of(verdicts.begin(), verdicts.end(), [](const Verdict& v) { return fails_gate(v); });
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
