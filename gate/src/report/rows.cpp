// gate/src/report/rows.cpp — a comparison turned into the rows every report
// renders.
#include "report/rows.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "gate/model/units.hpp"

namespace gate::detail {
namespace {

std::string format_value(const Verdict& v, const std::optional<double>& value, const std::string& text) {
  if (!text.empty()) return text;
  if (!value) return "";
  return format_quantity(*value, v.unit);
}

std::string statistics_fact(const Comparison& c) {
  std::string noisy;
  if (c.method == Method::paired) {
    noisy = "median ratio head/base of the same-job a/b pairs";
    if (c.ab) {
      noisy += fmt::format(" ({} rounds{}, base and head builds interleaved {}{})", c.ab->rounds,
                           c.ab->min_time ? fmt::format(" of {}", format_quantity(*c.ab->min_time * 1e9, "ns"))
                                          : std::string(),
                           c.ab->pairing == AbPairing::benchmark ? "benchmark by benchmark" : "suite by suite",
                           c.ab->cpu ? fmt::format(", all on CPU {}", *c.ab->cpu) : std::string());
    }
    noisy += ", one-sided Wilcoxon signed-rank test of log(head / allowed) against the limit";
  } else {
    const bool welch = std::any_of(c.verdicts.begin(), c.verdicts.end(), [](const Verdict& v) { return v.test == Test::welch; });
    noisy = std::string("median, one-sided exact Mann-Whitney test of \"worse than the limit allows\" (the contender "
                        "against the baseline scaled by the limit, mode against mode)") +
            (welch ? " (Welch t on means where only aggregates were recorded)" : "");
  }
  std::string family;
  if (c.sight.tests > 0) {
    family = fmt::format(" over {} test{}", c.sight.seeing, c.sight.seeing == 1 ? "" : "s");
    if (c.sight.seeing > 0) {
      family += fmt::format(" (a lone regression needs p ≤ {:.2g}; n={}/{} reach {:.2g})", c.sight.needed_p,
                            c.sight.n_baseline, c.sight.n_contender, c.sight.best_p);
    }
  }
  return fmt::format("noisy metrics: {}, Benjamini-Hochberg q < {}{}; deterministic metrics: exact against the limit",
                     noisy, c.alpha, family);
}

std::string headline(const Comparison& c) {
  std::string out;
  switch (c.exit_code()) {
    case 0: {
      const std::size_t passing = c.passing_suspects();
      out = passing == 0 ? "PASSED"
                         : fmt::format("PASSED with {} unconfirmed suspect{}", passing, passing == 1 ? "" : "s");
      break;
    }
    case 1: out = "FAILED"; break;
    default: out = "COULD NOT JUDGE"; break;
  }
  // Everything new passes a runner nobody recorded: the headline says why.
  if (!c.baseline_found) out += fmt::format(" — no baseline for runner '{}'", c.runner);
  return out;
}

std::string summary(const Comparison& c) {
  auto counts = c.counts();
  std::string out;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", counts[i], to_string(static_cast<Status>(i)));
  }
  return out.empty() ? "nothing compared" : out;
}

}  // namespace

std::string format_change(double change) {
  if (std::isinf(change)) return change > 0 ? "+inf" : "-inf";
  return fmt::format("{:+.1f}%", change * 100);
}

std::string format_p(double p) {
  if (p >= 0.001) return fmt::format("{:.3f}", p);
  return fmt::format("{:.1e}", p);
}

std::string format_n(const Verdict& v) {
  if (v.n_baseline == 0 && v.n_contender == 0) return "";
  return fmt::format("{}/{}", v.n_baseline, v.n_contender);
}

Report build_report(const Comparison& c) {
  Report r;
  r.headline = headline(c);
  r.summary = summary(c);

  std::string base = c.baseline_source;
  if (!c.baseline_commit.empty()) base += fmt::format(" @ {}", c.baseline_commit.substr(0, 12));
  r.facts.emplace_back("baseline", base);
  r.facts.emplace_back("runner", c.runner.empty() ? "not recorded (plain Google Benchmark files)" : c.runner);
  std::string cont = c.contender_source;
  if (!c.contender_commit.empty()) cont += fmt::format(" @ {}", c.contender_commit.substr(0, 12));
  r.facts.emplace_back("contender", cont);
  r.facts.emplace_back("policy", c.policy_source);
  r.facts.emplace_back("statistics", statistics_fact(c));
  r.notices = c.notices;
  // Suspects are the one state a reader has to act on to get a verdict.
  if (const std::size_t suspects = c.counts()[static_cast<std::size_t>(Status::suspect)]; suspects > 0) {
    const bool pass = c.policy.defaults.unconfirmed == Unconfirmed::pass;
    r.notices.push_back(fmt::format(
        "{} suspect{}: significant against a stored baseline measured at another time; {} until a same-job re-run "
        "of base and head decides — gate compare ... --confirm-with BASE_BUILD_DIR --head-build HEAD_BUILD_DIR",
        suspects, suspects == 1 ? "" : "s",
        pass ? "not failing the gate (\"unconfirmed\": \"pass\")" : "failing the gate"));
  }

  // The suite prefix only helps when there is more than one suite.
  const bool several_suites = std::any_of(c.verdicts.begin(), c.verdicts.end(),
                                          [&](const Verdict& v) { return v.suite != c.verdicts.front().suite; });
  r.rows.reserve(c.verdicts.size());
  for (const auto& v : c.verdicts) {
    Row row;
    row.verdict = &v;
    row.fails = c.fails(v);
    row.quiet = v.status == Status::unchanged || v.status == Status::target_met;
    row.status = std::string(to_string(v.status));
    switch (v.scope) {
      case Scope::suite: row.name = v.suite; break;
      case Scope::binary: row.name = v.name; break;
      case Scope::benchmark: row.name = several_suites ? v.suite + ":" + v.name : v.name; break;
    }
    row.metric = v.metric;
    row.statistic = to_string(v.statistic);
    row.baseline = format_value(v, v.baseline, v.baseline_text);
    row.contender = format_value(v, v.contender, v.contender_text);
    row.change = v.change ? format_change(*v.change) : "";
    row.threshold = v.threshold;
    row.p = v.p_value ? format_p(*v.p_value) : "";
    row.q = v.q_value ? format_p(*v.q_value) : "";
    row.n = format_n(v);
    row.note = v.note();
    // What a suspect waits for is a fact of its state, said on its row.
    if (v.status == Status::suspect) {
      const std::string wait = c.fails(v) ? "unconfirmed: fails until a same-job re-run of base and head confirms or "
                                            "clears it"
                                          : "unconfirmed: passes (\"unconfirmed\": \"pass\") until a same-job re-run "
                                            "of base and head decides";
      row.note = row.note.empty() ? wait : wait + "; " + row.note;
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

}  // namespace gate::detail
