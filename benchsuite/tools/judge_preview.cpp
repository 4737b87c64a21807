// benchsuite/tools/judge_preview.cpp — judges a baseline/contender pair of
// Google Benchmark files with the statistics of gate/stats/ (beyond_limit,
// visibility, modes) by the rule docs/statistics.md proposes, or by one of
// the alternatives it was chosen from, and writes the verdicts in the shape
// of `gate compare --format json` (the fields scripts/stats-check reads).
// It measures the proposal before the judge adopts it; it is not the gate.
//
//   judge_preview BASELINE CONTENDER [--test limit|limit-plain|two-sided-exact|one-sided-zero|welch-log]
//                 [--metric cpu_time] [--limit 0.10] [--alpha 0.05]
//
//   limit            one-sided exact Mann–Whitney of the contender against the
//                    baseline scaled by the limit, mode against mode; BH over
//                    the tests that can see (the proposal)
//   limit-plain      the same without matching modes
//   two-sided-exact  today's question ("different at all?") with the exact
//                    distribution; median beyond the limit and BH q < alpha
//   one-sided-zero   "slower at all?", exact, one-sided; median beyond the limit
//   welch-log        one-sided Welch t-test of the log-times against log(1 + limit)
//
// Exit code 0 (passed) or 1 (a regression), 2 for bad input.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/beyond_limit.hpp"
#include "gate/stats/modes.hpp"
#include "gate/stats/visibility.hpp"

namespace {

using gate::stats::LimitTest;
using gate::stats::Worse;

struct Options {
  std::string baseline;
  std::string contender;
  std::string test = "limit";
  std::string metric = "cpu_time";
  double limit = 0.10;
  double alpha = 0.05;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "judge_preview: %s\n"
               "usage: judge_preview BASELINE CONTENDER [--test limit|limit-plain|two-sided-exact|one-sided-zero|"
               "welch-log] [--metric NAME] [--limit FRACTION] [--alpha A]\n",
               why.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--test") {
      o.test = value();
    } else if (a == "--metric") {
      o.metric = value();
    } else if (a == "--limit") {
      o.limit = std::stod(value());
    } else if (a == "--alpha") {
      o.alpha = std::stod(value());
    } else if (a.rfind("--", 0) == 0) {
      usage("unknown option '" + a + "'");
    } else {
      files.push_back(a);
    }
  }
  if (files.size() != 2) usage("want a baseline and a contender");
  const std::vector<std::string> tests{"limit", "limit-plain", "two-sided-exact", "one-sided-zero", "welch-log"};
  if (std::find(tests.begin(), tests.end(), o.test) == tests.end()) usage("unknown test '" + o.test + "'");
  o.baseline = files[0];
  o.contender = files[1];
  return o;
}

// One benchmark under test.
struct Row {
  std::string name;
  double change = 0;  // worse-is-positive relative change of the medians judged
  double p_up = 1, smallest_up = 1;
  double p_down = 1, smallest_down = 1;
  std::optional<double> q;  // of the direction that decides the status
  bool unmatched_mode = false;
  bool too_spread = false;
  std::string status;
};

Worse flip(Worse w) { return w == Worse::higher ? Worse::lower : Worse::higher; }

// One-sided Welch on log samples: H1: mean log(contender) − mean log(baseline) > shift.
double welch_log_p(const std::vector<double>& base, const std::vector<double>& cont, double shift, bool greater) {
  auto logs = [](const std::vector<double>& v) {
    std::vector<double> out;
    for (double x : v) out.push_back(std::log(x));
    return out;
  };
  const auto lb = logs(base);
  const auto lc = logs(cont);
  const auto w = gate::stats::welch_t_test(gate::stats::mean(lc) - shift, gate::stats::stddev(lc), lc.size(),
                                           gate::stats::mean(lb), gate::stats::stddev(lb), lb.size());
  const bool right_way = greater ? w.t > 0 : w.t < 0;
  return right_way ? w.p_value / 2 : 1 - w.p_value / 2;
}

Row judge(const Options& o, const std::string& name, const gate::Metric& bm, const gate::Metric& cm) {
  Row r;
  r.name = name;
  const Worse worse = bm.direction == gate::Direction::lower_is_better ? Worse::higher : Worse::lower;
  const double sign = worse == Worse::higher ? 1.0 : -1.0;
  const auto& base = bm.samples;
  const auto& cont = cm.samples;
  const double mb = gate::stats::median(base);
  const double mc = gate::stats::median(cont);
  r.change = sign * (mc / mb - 1);
  const double spread = gate::stats::robust_cv(base);
  r.too_spread = std::isfinite(spread) && spread > o.limit;

  if (o.test == "limit" || o.test == "limit-plain") {
    gate::stats::ModeMatch match;
    if (o.test == "limit") {
      match = gate::stats::match_modes(base, cont);
    } else {
      gate::stats::ModeMatch::Stratum all;
      for (std::size_t i = 0; i < base.size(); ++i) all.baseline.push_back(i);
      for (std::size_t i = 0; i < cont.size(); ++i) all.contender.push_back(i);
      match.strata.push_back(all);
    }
    r.unmatched_mode = match.unmatched_mode;
    // The change of the stratum holding the most repetitions: the mode that
    // holds the work.
    const auto& main = *std::max_element(match.strata.begin(), match.strata.end(), [](const auto& a, const auto& b) {
      return a.baseline.size() + a.contender.size() < b.baseline.size() + b.contender.size();
    });
    if (o.test == "limit" && main.baseline_median != 0) {
      r.change = sign * (main.contender_median / main.baseline_median - 1);
    }
    const auto up_allowed = gate::stats::allowed_by_relative_limit(base, worse, o.limit);
    const auto down_allowed = gate::stats::allowed_by_relative_limit(base, flip(worse), o.limit);
    const LimitTest up = gate::stats::beyond_limit_by_modes(up_allowed, cont, match, worse);
    const LimitTest down = gate::stats::beyond_limit_by_modes(down_allowed, cont, match, flip(worse));
    r.p_up = up.p_value;
    r.p_down = down.p_value;
    // Whether the benchmark can see is a matter of its sizes (and ties), not
    // of how its modes fell: the family is chosen by the plain test's
    // smallest p, the verdict taken from the test of matched modes.
    r.smallest_up = gate::stats::unpaired_beyond_limit(up_allowed, cont, worse).smallest_p;
    r.smallest_down = gate::stats::unpaired_beyond_limit(down_allowed, cont, flip(worse)).smallest_p;
  } else if (o.test == "two-sided-exact" || o.test == "one-sided-zero") {
    const LimitTest up = gate::stats::unpaired_beyond_limit(base, cont, worse, 0.0);
    const LimitTest down = gate::stats::unpaired_beyond_limit(base, cont, flip(worse), 0.0);
    if (o.test == "two-sided-exact") {
      const double p2 = std::min(1.0, 2 * std::min(up.p_value, down.p_value));
      r.p_up = r.p_down = p2;
      r.smallest_up = r.smallest_down = std::min(1.0, 2 * up.smallest_p);
    } else {
      r.p_up = up.p_value;
      r.smallest_up = up.smallest_p;
      r.p_down = down.p_value;
      r.smallest_down = down.smallest_p;
    }
  } else {  // welch-log
    const double shift = std::log(worse == Worse::higher ? 1 + o.limit : 1 - o.limit);
    const double down_shift = std::log(worse == Worse::higher ? 1 - o.limit : 1 + o.limit);
    r.p_up = welch_log_p(base, cont, shift, worse == Worse::higher);
    r.p_down = welch_log_p(base, cont, down_shift, worse != Worse::higher);
    r.smallest_up = r.smallest_down = 1e-300;  // continuous: no floor
  }
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    const gate::RunBundle base = gate::read_results(o.baseline);
    const gate::RunBundle cont = gate::read_results(o.contender);
    if (base.suites.size() != 1 || cont.suites.size() != 1) usage("want one suite in each file");
    std::vector<Row> rows;
    for (const auto& c : cont.suites.front().benchmarks) {
      const gate::Benchmark* b = nullptr;
      for (const auto& x : base.suites.front().benchmarks) {
        if (x.name == c.name) b = &x;
      }
      if (b == nullptr) continue;
      const gate::Metric* bm = b->metric(o.metric);
      const gate::Metric* cm = c.metric(o.metric);
      if (bm == nullptr || cm == nullptr || bm->samples.empty() || cm->samples.empty()) continue;
      rows.push_back(judge(o, c.name, *bm, *cm));
    }
    std::vector<double> p_up, s_up, p_down, s_down;
    for (const auto& r : rows) {
      p_up.push_back(r.p_up);
      s_up.push_back(r.smallest_up);
      p_down.push_back(r.p_down);
      s_down.push_back(r.smallest_down);
    }
    const bool limit_family = o.test == "limit" || o.test == "limit-plain";
    // The proposal leaves the tests that cannot see out of the family; the
    // alternatives adjust over all tests, as the gate does today.
    const auto up = limit_family ? gate::stats::adjust_seeing(p_up, s_up, o.alpha) : gate::stats::FamilyAdjustment{};
    const auto down =
        limit_family ? gate::stats::adjust_seeing(p_down, s_down, o.alpha) : gate::stats::FamilyAdjustment{};
    const std::vector<double> q_up = gate::stats::benjamini_hochberg(p_up);
    const std::vector<double> q_down = gate::stats::benjamini_hochberg(p_down);
    bool failed = false;
    std::size_t unseen = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Row& r = rows[i];
      const std::optional<double> qu = limit_family ? up.q[i] : std::optional<double>(q_up[i]);
      const std::optional<double> qd = limit_family ? down.q[i] : std::optional<double>(q_down[i]);
      const bool worse = r.change > o.limit;
      const bool better = r.change < -o.limit;
      r.q = qu;
      if (qu && *qu < o.alpha && worse) {
        r.status = "regressed";
        failed = true;
      } else if (qd && *qd < o.alpha && better) {
        r.status = "improved";
        r.q = qd;
      } else if (!qu) {
        r.status = "unresolved";  // the gate cannot see: never "unchanged"
        ++unseen;
      } else if (r.unmatched_mode || worse || better || r.too_spread) {
        r.status = "noisy";
      } else {
        r.status = "unchanged";
      }
    }
    std::vector<std::string> notices;
    if (unseen > 0) {
      const std::size_t n = base.suites.front().benchmarks.front().repetitions > 0
                                ? static_cast<std::size_t>(base.suites.front().benchmarks.front().repetitions)
                                : 0;
      const auto v = gate::stats::unpaired_visibility(rows.size(), o.alpha, n, n);
      notices.push_back(fmt::format(
          "cannot see: {} of {} tests can never be significant — a lone regression among {} tests needs p ≤ {:.2g}, "
          "{} repetitions a side reach at best {:.2g}; {} repetitions would",
          unseen, rows.size(), rows.size(), v.needed_p, n, v.smallest_p,
          v.repetitions_needed ? fmt::format("{}", *v.repetitions_needed) : std::string("more than 1,000")));
    }
    std::string json = fmt::format("{{\"exit_code\": {}, \"notices\": [", failed ? 1 : 0);
    for (std::size_t i = 0; i < notices.size(); ++i) json += fmt::format("{}\"{}\"", i ? ", " : "", notices[i]);
    json += "], \"verdicts\": [\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      json += fmt::format("{}{{\"benchmark\": \"{}\", \"metric\": \"{}\", \"status\": \"{}\", \"change\": {}, "
                          "\"q_value\": {}}}",
                          i ? ",\n" : "", r.name, o.metric, r.status, r.change,
                          r.q ? fmt::format("{}", *r.q) : std::string("null"));
    }
    json += "\n]}\n";
    std::fputs(json.c_str(), stdout);
    return failed ? 1 : 0;
  } catch (const gate::Error& e) {
    std::fprintf(stderr, "judge_preview: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "judge_preview: error: %s\n", e.what());
    return 2;
  }
}
