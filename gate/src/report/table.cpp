// gate/src/report/table.cpp — the terminal table: aligned, worst first,
// colour only when asked (the CLI asks only on a terminal without NO_COLOR).
#include <fmt/core.h>

#include <algorithm>
#include <array>

#include "gate/report/report.hpp"
#include "report/format.hpp"

namespace gate {
namespace {

constexpr std::size_t k_quiet_above = 40;  // rows beyond which unchanged ones are summarised

std::string_view colour_of(Status s) {
  switch (s) {
    case Status::failed:
    case Status::regressed:
    case Status::target_missed:
    case Status::budget_exceeded: return "\x1b[31m";  // red
    case Status::noisy:
    case Status::missing: return "\x1b[33m";  // yellow
    case Status::improved: return "\x1b[32m";  // green
    default: return "";
  }
}

bool quiet_status(Status s) { return s == Status::unchanged || s == Status::target_met; }

}  // namespace

std::string render_table(const Comparison& c, const ReportOptions& options) {
  std::string out;
  for (const auto& [key, value] : detail::header_facts(c)) out += fmt::format("{:<12}{}\n", key + ":", value);
  for (const auto& n : c.notices) out += fmt::format("notice:     {}\n", n);
  out += "\n";

  bool hide_quiet = !options.show_all && c.verdicts.size() > k_quiet_above;
  std::size_t hidden = 0;
  using Row = std::array<std::string, 11>;
  std::vector<Row> rows;
  rows.push_back({"status", "benchmark", "metric", "statistic", "baseline", "contender", "change", "threshold", "p",
                  "q", "n"});
  std::vector<const Verdict*> shown;
  // The suite prefix only helps when there is more than one suite.
  bool several_suites = std::any_of(c.verdicts.begin(), c.verdicts.end(),
                                    [&](const Verdict& v) { return v.suite != c.verdicts.front().suite; });
  for (const auto& v : c.verdicts) {
    if (hide_quiet && quiet_status(v.status)) {
      ++hidden;
      continue;
    }
    std::string name = v.benchmark;
    if (several_suites && !v.suite.empty()) name = v.suite + ":" + v.benchmark;
    rows.push_back({std::string(to_string(v.status)), name, v.metric, v.statistic, detail::format_baseline(v),
                    detail::format_contender(v), detail::format_change(v), v.threshold, detail::format_p(v.p_value),
                    detail::format_p(v.q_value), detail::format_n(v)});
    shown.push_back(&v);
  }
  std::array<std::size_t, 11> width{};
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  // Values and numbers read best right-aligned; names left-aligned.
  constexpr std::array<bool, 11> right = {false, false, false, false, true, true, true, false, true, true, true};
  for (std::size_t ri = 0; ri < rows.size(); ++ri) {
    const auto& r = rows[ri];
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i > 0) line += "  ";
      line += right[i] ? fmt::format("{:>{}}", r[i], width[i]) : fmt::format("{:<{}}", r[i], width[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::string_view colour = ri > 0 && options.color ? colour_of(shown[ri - 1]->status) : "";
    out += colour.empty() ? line : fmt::format("{}{}\x1b[0m", colour, line);
    out += "\n";
    if (ri > 0 && !shown[ri - 1]->note.empty() && !quiet_status(shown[ri - 1]->status)) {
      out += fmt::format("    {}\n", shown[ri - 1]->note);
    }
  }
  if (hidden > 0) out += fmt::format("({} unchanged or met rows not shown; --all lists them)\n", hidden);
  out += fmt::format("\n{}: {}\n", detail::outcome(c), detail::summary_counts(c));
  return out;
}

}  // namespace gate
