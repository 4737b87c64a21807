// gate/src/judge/judge.cpp — the one walk over suites, benchmarks and
// metrics that both ways of comparing share. Only how a noisy metric and a
// complexity class are tested depends on the method (noisy.cpp,
// complexity.cpp); everything else — which metrics are judged, failures,
// new and missing benchmarks, targets, exact metrics, sizes, the false
// discovery rate and the notices — is decided here once.
#include "gate/judge/judge.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/model/units.hpp"
#include "gate/policy/limit.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/visibility.hpp"
#include "judge/judging.hpp"

namespace gate {
namespace {

using detail::NoisyContext;
using detail::Sides;

// What the peak resident set of a suite's process may grow by when no rule
// sets a limit on it: the default threshold, and more than 1 MB. The peak of
// one and the same binary moves by a few hundred KB from run to run
// (measured in A/A pairs: up to 0.46 MB, 5%, of bench_clew's 9 MB), so a
// tight threshold meant for time (+3%) alone would fail small processes for
// nothing. A threshold that already joins two parts is left as written.
Limit process_peak_limit(const Limit& threshold) {
  if (threshold.join != Limit::Join::single || !threshold.relative || threshold.absolute) return threshold;
  Limit l = parse_limit(fmt::format("{} and +1MB", threshold.text));
  l.origin = fmt::format("{}, and built in for (process)", threshold.origin);
  return l;
}

// A tested noisy metric waiting for its adjusted p-value.
struct Pending {
  std::size_t verdict_index;
  NoisyContext context;
};

class Judge {
 public:
  Judge(const Policy& policy, const CompareOptions& options, Method method)
      : m_policy(policy),
        m_options(options),
        m_method(method),
        // Pairs measured together cancel the machine's drift: a paired
        // comparison is judged at once, whatever the policy says about
        // stored baselines.
        m_timing(method == Method::unpaired && options.stored_baseline
                     ? policy.defaults.timing.value_or(TimingMode::confirm)
                     : TimingMode::judge),
        m_filter(detail::compile_filter(options.filter)) {
    if (method == Method::paired) m_sides = Sides{Method::paired, "the base build", "the head build"};
  }

  void suite(const Suite* base, const Suite& cont) {
    if (cont.failure || (base != nullptr && base->failure)) {
      m_out.suite_failures.push_back(cont.name);
      for (const auto& [side, s] : {std::pair{m_sides.contender, &cont}, std::pair{m_sides.baseline, base}}) {
        if (s == nullptr || !s->failure) continue;
        Verdict v = detail::make_verdict(m_policy, Scope::suite, cont.name, "", "");
        v.status = Status::failed;
        v.add_note(m_method == Method::paired ? fmt::format("{}: {}", side, *s->failure) : *s->failure);
        m_out.verdicts.push_back(std::move(v));
      }
      return;
    }
    exit_status(base, cont);
    if (base == nullptr && m_method == Method::paired) {
      m_out.notices.push_back(fmt::format("suite '{}' is not in the base build: its benchmarks are new", cont.name));
    }
    // Nothing changed, nothing to judge: identical code cannot be slower, so
    // a timing difference is the machine's.
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
    // At least one verdict a benchmark: room for them at once, rather than
    // moving every verdict so far each time the vector grows (and, suite
    // after suite, still by doubling).
    if (const std::size_t needed = m_out.verdicts.size() + cont.benchmarks.size(); needed > m_out.verdicts.capacity()) {
      m_out.verdicts.reserve(std::max(needed, 2 * m_out.verdicts.capacity()));
    }
    for (const auto& c : cont.benchmarks) {
      if (!selected(c.name)) continue;
      seen.insert(c.name);
      auto it = base_by_name.find(c.name);
      // The suite's process is judged on its own metric, like a derived benchmark.
      static const std::string process_metric(k_process_metric);
      benchmark(cont.name, it == base_by_name.end() ? nullptr : it->second, c,
                c.name == k_process_benchmark ? &process_metric : nullptr);
    }
    derived(base, cont);
    if (base != nullptr) {
      for (const auto& b : base->benchmarks) {
        if (!selected(b.name) || seen.contains(b.name)) continue;
        if (b.name == k_process_benchmark) {
          // Not renamed or removed: a run of part of the suite (a filter,
          // the shards of gate run --shard merged) records no process memory.
          m_out.notices.push_back(fmt::format("suite '{}': its process memory was not measured in {} (a run of part "
                                              "of the suite: a filter or shards); not judged",
                                              cont.name, m_sides.contender));
          continue;
        }
        Verdict v = detail::make_verdict(m_policy, Scope::benchmark, cont.name, b.name, primary_metric(cont.name, b.name));
        v.status = Status::missing;
        v.add_note(fmt::format("in {}, not in {} (renamed or removed?)", m_sides.baseline, m_sides.contender));
        m_out.verdicts.push_back(std::move(v));
      }
      if (!m_options.deterministic_only) {
        add(detail::judge_complexity(m_policy, m_method, *base, cont, m_filter, m_code_unchanged, m_timing));
      }
    }
    add(detail::judge_sizes(m_policy, base, cont));
  }

  // What a product command does includes how it exits: a status other than
  // the baseline's, or than the policy expects, fails the comparison
  // whatever its timing says (a command that now exits at once with an
  // error is fast).
  void exit_status(const Suite* base, const Suite& cont) {
    if (!cont.command) {
      // A command's suite without its exit status, where the baseline or
      // the policy knows it as a command: nothing judged, nothing passed.
      if ((base != nullptr && base->command) || m_policy.find_command(cont.name) != nullptr) {
        cannot_judge(cont.name, "", "exit_code",
                     fmt::format("command '{}' has no exit status in {} — measure it with gate run", cont.name,
                                 m_sides.contender));
      }
      return;
    }
    const int now = cont.command->exit_code;
    auto fail = [&](int expected, std::string note) {
      Verdict v = detail::make_verdict(m_policy, Scope::suite, cont.name, "", "");
      v.metric = "exit_code";
      v.kind = MetricKind::deterministic;
      v.statistic = Statistic{StatisticKind::value};
      v.status = Status::failed;
      v.baseline_text = std::to_string(expected);
      v.contender_text = std::to_string(now);
      v.threshold = fmt::format("= {}", expected);
      v.add_note(std::move(note));
      m_out.verdicts.push_back(std::move(v));
    };
    if (base != nullptr && base->command && base->command->exit_code != now) {
      fail(base->command->exit_code, fmt::format("exit status changed: {} in {}, {} in {}", base->command->exit_code,
                                                 m_sides.baseline, now, m_sides.contender));
    }
    if (const CommandSpec* spec = m_policy.find_command(cont.name); spec != nullptr && spec->expect_exit &&
                                                                     *spec->expect_exit != now &&
                                                                     (base == nullptr || !base->command ||
                                                                      base->command->exit_code == now)) {
      fail(*spec->expect_exit, fmt::format("exited with status {} in {}; the policy expects {} (expect_exit)", now,
                                           m_sides.contender, *spec->expect_exit));
    }
  }

  // Metrics derived from two benchmarks of this suite, judged as benchmarks
  // of their own: targets and limits on a ratio come from the rules.
  void derived(const Suite* base, const Suite& cont) {
    for (const auto& spec : m_policy.derived) {
      if (spec.suite != cont.name || !selected(spec.name)) continue;
      std::string why;
      std::optional<Benchmark> c = detail::derive(spec, cont, m_policy, why);
      if (!c) {
        if (!why.empty()) cannot_judge(cont.name, spec.name, spec.metric, why);
        continue;
      }
      std::optional<Benchmark> b;
      if (base != nullptr) {
        std::string base_why;
        b = detail::derive(spec, *base, m_policy, base_why);
      }
      benchmark(cont.name, b ? &*b : nullptr, *c, &spec.metric);
    }
  }

  void missing_suite(const Suite& base) {
    Verdict v = detail::make_verdict(m_policy, Scope::suite, base.name, "", "");
    v.status = Status::missing;
    v.add_note(fmt::format("{} in {}, not in {}", base.product ? "product binary" : "suite", m_sides.baseline,
                           m_sides.contender));
    m_out.verdicts.push_back(std::move(v));
  }

  Comparison finish() {
    // Benjamini–Hochberg across the comparison, regressions and improvements
    // as two families: with 500 benchmarks of pure noise about 25 would pass
    // p < 0.05 alone, and an improvement claimed by mistake must not raise
    // the bar for a regression. Tests that can never be significant at their
    // sizes are left out of the family (Tarone's rule), so that they do not
    // raise it either; the notice says which and what would let them see.
    std::vector<double> p_up, s_up, p_down, s_down;
    for (const auto& p : m_pending) {
      p_up.push_back(p.context.p_up);
      s_up.push_back(p.context.smallest_up);
      p_down.push_back(p.context.p_down);
      s_down.push_back(p.context.smallest_down);
    }
    const double alpha = m_policy.defaults.alpha;
    const auto up = stats::adjust_seeing(p_up, s_up, alpha);
    const auto down = stats::adjust_seeing(p_down, s_down, alpha);
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
      Verdict& v = m_out.verdicts[m_pending[i].verdict_index];
      detail::decide_noisy(v, m_pending[i].context, up.q[i], down.q[i], alpha, m_policy, m_timing);
      if (m_pending[i].context.noise_floor > m_policy.defaults.noise_ceiling) ++m_too_noisy;
    }
    sight(up);
    m_out.method = m_method;
    m_out.policy = m_policy;
    m_out.policy_source = m_policy.source.empty() ? "built-in defaults" : m_policy.source;
    m_out.alpha = alpha;
    m_out.timing = m_timing;
    add_notices();
    sort_worst_first(m_out.verdicts);
    return std::move(m_out);
  }

 private:
  bool selected(const std::string& name) const { return !m_filter || std::regex_search(name, *m_filter); }

  std::string primary_metric(std::string_view suite, std::string_view bench) const {
    if (m_options.metric) return *m_options.metric;
    return m_policy.rules_for(suite, bench).primary_metric;
  }

  void add(std::vector<Verdict> verdicts) {
    for (auto& v : verdicts) m_out.verdicts.push_back(std::move(v));
  }

  // `own_metric`: a derived benchmark's one metric, which is its primary
  // metric whatever the rules say of the suite's benchmarks.
  void benchmark(const std::string& suite, const Benchmark* base, const Benchmark& cont,
                 const std::string* own_metric = nullptr) {
    BenchmarkRules rules = m_policy.rules_for(suite, cont.name);
    if (own_metric != nullptr) {
      // A derived benchmark measures its one metric: a glob such as
      // "BM_Sigma*" that also matches its name brings targets and limits on
      // the suite's metrics, which do not apply to it.
      rules.primary_metric = *own_metric;
      std::erase_if(rules.targets, [&](const Target& t) { return !t.metric.empty() && t.metric != *own_metric; });
      std::erase_if(rules.limits, [&](const auto& entry) { return entry.first != *own_metric; });
    }
    const std::string primary = own_metric != nullptr ? *own_metric
                                : m_options.metric     ? *m_options.metric
                                                       : rules.primary_metric;

    if (cont.error || cont.skipped) {
      Verdict v = detail::make_verdict(m_policy, Scope::benchmark, suite, cont.name, primary);
      v.status = cont.error ? Status::failed : Status::missing;
      v.add_note(cont.error ? fmt::format("errored in {}: {}", m_sides.contender, *cont.error)
                            : fmt::format("skipped in {}: {}", m_sides.contender, *cont.skipped));
      m_out.verdicts.push_back(std::move(v));
      return;
    }

    add(detail::judge_targets(m_policy, suite, cont, rules, primary));

    if (base == nullptr || base->error || base->skipped) {
      Verdict v = detail::make_verdict(m_policy, Scope::benchmark, suite, cont.name, primary);
      v.status = Status::new_benchmark;
      if (const Metric* m = cont.metric(primary); m != nullptr && !m->samples.empty()) {
        v.contender = stats::median(m->samples);
        v.n_contender = m->samples.size();
        v.statistic = Statistic{StatisticKind::median};
      }
      if (base != nullptr) v.add_note(fmt::format("{}'s run of it errored or was skipped", m_sides.baseline));
      m_out.verdicts.push_back(std::move(v));
      return;
    }

    // The primary metric always; every other metric that a limit names and
    // either side measured. Nothing judged is nothing passed: a metric the
    // policy gates that one side did not measure, or the primary metric
    // missing anywhere, cannot be judged (exit 2), never "noisy".
    std::vector<std::pair<std::string, Limit>> judged;
    auto primary_limit = rules.limits.find(primary);
    judged.emplace_back(primary, primary_limit != rules.limits.end() ? primary_limit->second
                                 : cont.name == k_process_benchmark ? process_peak_limit(m_policy.defaults.threshold)
                                                                    : m_policy.defaults.threshold);
    for (const auto& [metric, limit] : rules.limits) {
      // --metric replaces the policy's primary metric rather than adding to it.
      if (metric == primary || (m_options.metric && metric == rules.primary_metric)) continue;
      if (cont.metric(metric) == nullptr && base->metric(metric) == nullptr) continue;  // a limit nothing here has
      judged.emplace_back(metric, limit);
    }
    for (const auto& [metric, limit] : judged) {
      if (m_options.deterministic_only && m_policy.describe(metric).kind == MetricKind::noisy) continue;
      const Metric* bm = base->metric(metric);
      const Metric* cm = cont.metric(metric);
      const bool in_base = bm != nullptr && !bm->samples.empty();
      const bool in_cont = cm != nullptr && !cm->samples.empty();
      if (!in_base && in_cont && metric != primary && m_options.later_metrics_are_new) {
        Verdict v = detail::make_verdict(m_policy, Scope::benchmark, suite, cont.name, metric);
        v.status = Status::new_benchmark;
        v.contender = stats::median(cm->samples);
        v.n_contender = cm->samples.size();
        v.statistic = Statistic{v.kind == MetricKind::deterministic ? StatisticKind::value : StatisticKind::median};
        v.threshold = limit.text;  // what will judge it once both sides have it
        v.add_note(fmt::format("metric '{}' measured in {}, not in {}: new", metric, m_sides.contender,
                               m_sides.baseline));
        m_out.verdicts.push_back(std::move(v));
        continue;
      }
      if (!in_base || !in_cont) {
        const std::string where = !in_base && !in_cont ? "either side"
                                  : !in_base           ? std::string(m_sides.baseline)
                                                       : std::string(m_sides.contender);
        cannot_judge(suite, cont.name, metric,
                     fmt::format("metric '{}' {} not measured in {}{}", metric,
                                 metric == primary ? "(the primary metric) was" : "has a limit but was", where,
                                 is_callgrind_metric(metric) ? " — measure both sides with gate run --instrument"
                                                             : " — measure both sides the same way"));
        continue;
      }
      // Too few repetitions on the contender's side against a baseline that
      // has enough: the contender could hide anything behind one sample.
      const auto min_n = static_cast<std::size_t>(m_policy.defaults.min_repetitions);
      if (m_policy.describe(metric).kind == MetricKind::noisy && m_method == Method::unpaired &&
          cm->samples.size() < min_n && bm->samples.size() >= min_n && !cm->from_aggregates) {
        cannot_judge(suite, cont.name, metric,
                     fmt::format("n={}/{}: the contender has fewer than min_repetitions {} against a baseline "
                                 "with enough — run it with --benchmark_repetitions={}",
                                 bm->samples.size(), cm->samples.size(), min_n, bm->samples.size()));
        continue;
      }
      judge_metric(suite, *base, cont, *bm, *cm, limit);
    }
  }

  // A failed verdict that makes the comparison unjudgeable (exit 2).
  void cannot_judge(const std::string& suite, const std::string& bench, const std::string& metric,
                    std::string why) {
    Verdict v = detail::make_verdict(m_policy, Scope::benchmark, suite, bench, metric);
    v.status = Status::failed;
    v.add_note("could not be judged: " + why);
    m_out.unjudged.push_back(fmt::format("{}:{} {}", suite, bench, metric));
    ++m_cannot[why.substr(0, why.find(" — "))];
    m_out.verdicts.push_back(std::move(v));
  }

  void judge_metric(const std::string& suite, const Benchmark& base, const Benchmark& cont, const Metric& bm,
                    const Metric& cm, const Limit& limit) {
    Verdict v = detail::make_verdict(m_policy, Scope::benchmark, suite, cont.name, bm.name);
    v.threshold = limit.text;
    if (v.kind == MetricKind::deterministic) {
      detail::judge_exact(v, bm, cm, limit, std::max(base.threads, cont.threads));
      m_out.verdicts.push_back(std::move(v));
      return;
    }
    double floor = 0;
    std::optional<NoiseEntry> noise;
    if (m_method == Method::unpaired && m_options.noise) {
      if (const NoiseEntry* e = m_options.noise->find(suite, cont.name, bm.name)) {
        noise = *e;
        floor = calibrated_floor(v, limit, *e);
      }
    }
    std::optional<NoisyContext> context = m_method == Method::paired
                                              ? detail::test_paired(v, bm, cm, limit, m_policy)
                                              : detail::test_unpaired(v, base, cont, bm, cm, limit, m_policy, floor);
    if (!context) {
      m_out.verdicts.push_back(std::move(v));
      return;
    }
    context->code_unchanged = m_code_unchanged;
    context->noise = noise;
    m_sizes.emplace_back(v.n_baseline, v.n_contender);
    m_pending.push_back({m_out.verdicts.size(), std::move(*context)});
    m_out.verdicts.push_back(std::move(v));
  }

  // A benchmark's calibrated noise raises its threshold: the change must
  // exceed noise_k × its noise too. The threshold shows the noise only where
  // it decides: when k × noise is above the limit's own relative part.
  double calibrated_floor(Verdict& v, const Limit& limit, const NoiseEntry& e) {
    const double floor = m_policy.defaults.noise_k * e.spread;
    if (floor > limit.relative.value_or(0)) {
      v.threshold = fmt::format("{} (noise: {:g} × {} = {})", limit.text, m_policy.defaults.noise_k,
                                format_quantity(e.spread, "%"), format_quantity(floor, "%"));
      ++m_noise_raised;
    }
    return floor;
  }

  // What the regression tests could see, and what would let the others.
  void sight(const stats::FamilyAdjustment& up) {
    Sight& s = m_out.sight;
    s.tests = m_pending.size();
    s.seeing = up.family;
    if (s.tests == 0) return;
    const double alpha = m_policy.defaults.alpha;
    // The sizes to speak of: the most common ones among the tests that
    // cannot see, or among all when every test can.
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> by_size;
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
      if (up.q[i] && s.seeing < s.tests) continue;
      ++by_size[m_sizes[i]];
    }
    const auto common = std::max_element(by_size.begin(), by_size.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; })
                            ->first;
    s.n_baseline = common.first;
    s.n_contender = common.second;
    const stats::Visibility vis = m_method == Method::paired
                                      ? stats::paired_visibility(s.tests, alpha, common.first)
                                      : stats::unpaired_visibility(s.tests, alpha, common.first, common.second);
    s.needed_p = alpha / static_cast<double>(s.seeing > 0 ? s.seeing : s.tests);
    s.best_p = vis.smallest_p;
    s.repetitions_needed = vis.repetitions_needed;
    s.contender_repetitions_needed = vis.contender_repetitions_needed;
  }

  // What decided the verdicts, said before the table.
  void add_notices() {
    if (m_options.deterministic_only) {
      m_out.notices.push_back("deterministic metrics and targets only: timing and complexity are not judged here "
                              "(a same-job a/b run of base and head judges them)");
    }
    if (!m_out.unjudged.empty()) {
      std::vector<std::string> reasons;
      for (const auto& [why, count] : m_cannot) reasons.push_back(fmt::format("{} ({}×)", why, count));
      m_out.notices.push_back(fmt::format("could not judge {} benchmark metric{}: {}", m_out.unjudged.size(),
                                          m_out.unjudged.size() == 1 ? "" : "s", fmt::join(reasons, "; ")));
    }
    if (!m_out.unchanged_code_suites.empty()) {
      m_out.notices.push_back(fmt::format("code unchanged (identical .text) in {}: timing differences there are "
                                          "reported as noise and cannot fail the gate",
                                          fmt::join(m_out.unchanged_code_suites, ", ")));
    }
    if (m_options.noise && m_method == Method::unpaired) {
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
    if (const Sight& s = m_out.sight; s.seeing < s.tests) {
      std::set<std::string> exact;
      for (const auto& v : m_out.verdicts) {
        if (v.test == Test::exact || v.test == Test::fit || v.test == Test::fits_by_round) exact.insert(v.metric);
      }
      const std::string unit = m_method == Method::paired ? "rounds" : "repetitions a side";
      std::string need;
      if (s.repetitions_needed) {
        need = fmt::format("{} {} would", *s.repetitions_needed, unit);
        if (m_method == Method::unpaired && s.contender_repetitions_needed && s.n_baseline != *s.repetitions_needed) {
          need += fmt::format(" (with the baseline's {}: {} in the contender)", s.n_baseline,
                              *s.contender_repetitions_needed);
        }
      } else {
        need = "more than 1,000 " + unit + " would";
      }
      m_out.notices.push_back(fmt::format(
          "cannot see: {} of {} timing tests can never be significant — a lone regression among {} tests needs p ≤ "
          "{:.2g}, and n={}/{} reach at best {:.2g}; {}. {}",
          s.tests - s.seeing, s.tests, s.tests, m_policy.defaults.alpha / static_cast<double>(s.tests), s.n_baseline,
          s.n_contender, s.best_p, need,
          exact.empty() ? std::string("Nothing here is judged exactly instead")
                        : fmt::format("Judged exactly regardless: {}", fmt::join(exact, ", "))));
    }
    if (std::any_of(m_out.verdicts.begin(), m_out.verdicts.end(), [](const Verdict& v) { return v.test == Test::welch; })) {
      m_out.notices.push_back("some results hold only aggregates: those were judged by a Welch t-test on means, "
                              "weaker than a rank test on repetitions");
    }
    for (const auto& f : m_out.suite_failures) {
      m_out.notices.push_back(fmt::format("suite '{}' failed to run: the gate cannot judge it", f));
    }
  }

  const Policy& m_policy;
  const CompareOptions& m_options;
  const Method m_method;
  const TimingMode m_timing;
  std::optional<std::regex> m_filter;
  Sides m_sides;
  Comparison m_out;
  std::vector<Pending> m_pending;
  std::vector<std::pair<std::size_t, std::size_t>> m_sizes;  // n of each pending test, for the sight
  bool m_code_unchanged = false;   // of the suite being judged
  std::size_t m_noise_raised = 0;  // thresholds that the calibrated noise raised
  std::size_t m_too_noisy = 0;     // verdicts above the noise ceiling
  std::map<std::string, std::size_t, std::less<>> m_cannot;  // why a metric could not be judged → how often
};

const Suite* find_suite(const std::vector<Suite>& suites, std::string_view name) {
  auto it = std::find_if(suites.begin(), suites.end(), [&](const Suite& s) { return s.name == name; });
  return it == suites.end() ? nullptr : &*it;
}

}  // namespace

Comparison compare(const RunBundle& baseline, const RunBundle& contender, const Policy& policy,
                   const CompareOptions& options) {
  Judge judge(policy, options, Method::unpaired);
  const bool pair_single = baseline.suites.size() == 1 && contender.suites.size() == 1;
  for (const auto& cont : contender.suites) {
    judge.suite(pair_single ? &baseline.suites.front() : baseline.find(cont.name), cont);
  }
  if (!pair_single) {
    for (const auto& base : baseline.suites) {
      if (contender.find(base.name) == nullptr) judge.missing_suite(base);
    }
  }
  Comparison out = judge.finish();
  out.baseline_source = baseline.source;
  out.contender_source = contender.source;
  out.baseline_commit = baseline.commit;
  out.contender_commit = contender.commit;
  out.runner = baseline.runner.id;
  if (pair_single && baseline.suites.front().name != contender.suites.front().name) {
    out.notices.push_back(fmt::format("comparing suite '{}' with '{}' (one suite on each side)",
                                      baseline.suites.front().name, contender.suites.front().name));
  }
  return out;
}

Comparison compare_ab(const RunBundle& bundle, const Policy& policy, const CompareOptions& options) {
  if (!bundle.ab) {
    throw Error(fmt::format("judging '{}' as an a/b run: it holds only one build's results (not written by "
                            "gate run --ab) — compare it against a baseline instead",
                            bundle.source));
  }
  const AbRun& ab = *bundle.ab;
  Judge judge(policy, options, Method::paired);
  for (const auto& head : bundle.suites) judge.suite(find_suite(ab.base_suites, head.name), head);
  for (const auto& base : ab.base_suites) {
    if (bundle.find(base.name) == nullptr) judge.missing_suite(base);
  }
  Comparison out = judge.finish();
  const std::string source = bundle.source.empty() ? std::string("a/b run") : bundle.source;
  out.ab = AbSource{ab.rounds, ab.base_build_dir, ab.head_build_dir, ab.pairing, ab.cpu, ab.min_time};
  out.baseline_source = fmt::format("{} — base build '{}'", source, ab.base_build_dir);
  out.contender_source = fmt::format("{} — head build '{}'", source, ab.head_build_dir);
  out.contender_commit = bundle.commit;
  out.runner = bundle.runner.id;
  return out;
}

}  // namespace gate
