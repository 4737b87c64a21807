// gate/src/report/release_html.cpp — the release report as one HTML file that
// needs nothing else: the sections of the Markdown, and an inline SVG chart
// per benchmark written by svg_chart. No script, no external style sheet, no
// URL: it reads the same offline and attached to a release. Every untrusted
// text goes through html_text.
#include <fmt/core.h>

#include <cmath>
#include <limits>

#include "gate/model/units.hpp"
#include "gate/report/release.hpp"
#include "report/release_rows.hpp"
#include "report/rows.hpp"
#include "report/svg_chart.hpp"

namespace gate {
namespace {

using detail::ReleaseRow;

// "://" in escaped text broken by a character reference: a commit subject
// that holds an address reads the same, and the file holds no URL at all.
std::string without_addresses(std::string out) {
  for (std::size_t at = out.find("://"); at != std::string::npos; at = out.find("://", at + 1)) {
    out.replace(at, 3, ":&#47;/");
  }
  return out;
}

// Untrusted text as HTML character data or a quoted attribute value.
std::string html_text(std::string_view raw) { return without_addresses(report::escape_markup(raw)); }

constexpr std::string_view k_style = R"(<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1f2328}
h1{font-size:1.6em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f6f8fa}
.fail{color:#cf222e;font-weight:600}.warn{color:#9a6700}.good{color:#1a7f37}
.headline{font-size:1.2em;font-weight:600}figure{display:inline-block;margin:.5em}
code{font-family:ui-monospace,monospace}small{color:#59636e}
</style>)";

std::string_view css_class(const ReleaseRow& r) {
  if (r.fails) return "fail";
  if (r.status == Status::improved) return "good";
  if (r.near_target || r.status == Status::noisy || r.status == Status::suspect) return "warn";
  return "";
}

std::string status_cell(const ReleaseRow& r) {
  return fmt::format("<td class=\"{}\">{}{}</td>", css_class(r), to_string(r.status),
                     r.near_target ? " (near target)" : "");
}

std::string commit_text(const ReleaseCommit& c) {
  return fmt::format("<code>{}</code> {}", detail::short_sha(c.sha), detail::format_date(c.time));
}

void list_section(std::string& out, std::string_view title, const std::vector<const ReleaseRow*>& rows) {
  out += fmt::format("<h3>{}</h3>\n<ul>\n", title);
  if (rows.empty()) out += "<li>None</li>\n";
  for (const auto* r : rows) {
    out += fmt::format("<li class=\"{}\"><b>{}</b> {}: {}", css_class(*r), html_text(r->name), html_text(r->metric),
                       !r->change_text.empty() ? r->change_text
                       : r->to.empty()          ? std::string(to_string(r->status))
                                                : html_text(r->to));
    if (!r->from.empty() && !r->to.empty()) out += fmt::format(" ({} → {})", html_text(r->from), html_text(r->to));
    if (r->change != nullptr && !r->change->threshold.empty()) {
      out += fmt::format(", limit {}", html_text(r->change->threshold));
    }
    if (!r->p.empty()) out += fmt::format(", p = {}", r->p);
    if (r->change_text.empty() && r->change != nullptr && !r->change->notes.empty()) {
      out += fmt::format(" — {}", html_text(r->change->note()));
    }
    out += "</li>\n";
  }
  out += "</ul>\n";
}

std::string chart(const ReleaseRunner& runner, const ReleaseSeries& s, bool several) {
  report::SvgChart c;
  c.title = detail::series_name(s, several);
  c.unit = s.unit;
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    const auto& commit = runner.commits[s.commits[i]];
    c.points.push_back(report::SvgPoint{s.values[i], fmt::format("{} {} ({})", detail::short_sha(commit.sha),
                                                                  commit.subject, detail::format_date(commit.time))});
  }
  for (std::size_t k : s.change_points) {
    const auto& cp = runner.change_points[k];
    const auto& commit = runner.commits[cp.commit];
    c.change_points.push_back(report::SvgMarker{
        cp.point, fmt::format("{} at {} {}", detail::format_change(cp.change), detail::short_sha(commit.sha),
                              commit.subject)});
  }
  if (s.target && std::isfinite(*s.target)) {
    c.target = *s.target;
    c.target_label = "target " + s.target_text;
  }
  return without_addresses(report::render_svg_chart(c));
}

void runner_section(std::string& out, const ReleaseReport& report, const ReleaseRunner& runner) {
  const detail::ReleaseView view = detail::build_release_view(runner);
  const Comparison& c = runner.comparison;
  const bool passed = view.headline.starts_with("PASS");
  out += fmt::format("<h2>Runner <code>{}</code></h2>\n<p class=\"headline {}\">{}</p>\n", html_text(runner.runner),
                     passed ? "good" : "fail", html_text(view.headline));
  out += "<ul>\n";
  if (runner.history_error) out += fmt::format("<li class=\"fail\">{}</li>\n", html_text(*runner.history_error));
  for (const auto& n : c.notices) out += fmt::format("<li class=\"warn\">{}</li>\n", html_text(n));
  out += "</ul>\n";

  out += "<h3>Benchmarks</h3>\n";
  if (view.rows.empty()) {
    out += "<p>No benchmarks at either ref.</p>\n";
  } else {
    out += fmt::format("<table id=\"benchmarks\">\n<tr><th>benchmark</th><th>metric</th><th>statistic</th><th>{}</th>"
                       "<th>{}</th><th>change</th><th>limit</th><th>p</th><th>n</th><th>target</th><th>margin</th>"
                       "<th>status</th></tr>\n",
                       html_text(report.from), html_text(report.to));
    for (const auto& r : view.rows) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                         "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                         "<td>{}</td><td class=\"n\">{}</td>{}</tr>\n",
                         html_text(r.name), html_text(r.metric), html_text(r.statistic), html_text(r.from),
                         html_text(r.to), r.change_text, html_text(r.limit), r.p, r.n, html_text(r.target_text),
                         r.margin_text, status_cell(r));
    }
    out += "</table>\n";
  }

  out += "<h3>Resources</h3>\n";
  if (view.resources.empty()) {
    out += "<p>No sizes or memory recorded.</p>\n";
  } else {
    out += fmt::format("<table id=\"resources\">\n<tr><th>item</th><th>metric</th><th>{}</th><th>{}</th><th>change</th>"
                       "<th>budget</th><th>status</th></tr>\n",
                       html_text(report.from), html_text(report.to));
    for (const auto& r : view.resources) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}"
                         "</td><td>{}</td>{}</tr>\n",
                         html_text(r.name), html_text(r.metric), html_text(r.from), html_text(r.to), r.change_text,
                         html_text(r.target_text), status_cell(r));
    }
    out += "</table>\n";
  }

  list_section(out, "Improvements", view.improvements);
  list_section(out, "Regressions", view.regressions);

  out += "<h3>Targets missed or within 10%</h3>\n<ul>\n";
  if (view.targets.empty()) out += view.targets_total == 0 ? "<li>No targets set</li>\n" : "<li>None</li>\n";
  for (const auto* r : view.targets) {
    out += fmt::format("<li class=\"{}\"><b>{}</b> {}: {} against {} ({})</li>\n", css_class(*r), html_text(r->name),
                       html_text(r->metric), html_text(r->to), html_text(r->target_text),
                       r->margin_text.empty() ? std::string(to_string(r->status)) : r->margin_text);
  }
  out += "</ul>\n";

  const bool several = !runner.series.empty() && runner.series.front().suite != runner.series.back().suite;
  out += "<h3>History</h3>\n";
  if (runner.history_error) {
    out += "<p>Not available: the history between the refs could not be read.</p>\n";
  } else {
    out += fmt::format("<p>{} commits changed the baselines of this runner; one point per commit that re-recorded the "
                       "suite, the median of its repetitions. Red dashes: change points; green: the target.</p>\n"
                       "<div id=\"charts\">\n",
                       runner.commits.size());
    for (std::size_t i : view.charted) out += "<figure>" + chart(runner, runner.series[i], several) + "</figure>\n";
    out += "</div>\n";
  }

  out += "<h3>Change points</h3>\n";
  if (runner.history_error) {
    out += "<p>Not available without the history.</p>\n";
  } else if (runner.change_points.empty()) {
    out += "<p>None found.</p>\n";
  } else {
    out += "<table id=\"change-points\">\n<tr><th>commit</th><th>subject</th><th>benchmark</th><th>metric</th>"
           "<th>before</th><th>after</th><th>step</th><th>p</th></tr>\n";
    for (const auto& cp : runner.change_points) {
      const auto& s = runner.series[cp.series];
      const auto& commit = runner.commits[cp.commit];
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}"
                         "</td><td class=\"n {}\">{}</td><td class=\"n\">{}</td></tr>\n",
                         commit_text(commit), html_text(commit.subject),
                         html_text(several ? s.suite + ":" + s.benchmark : s.benchmark), html_text(s.metric),
                         html_text(format_quantity(cp.level_before, s.unit)),
                         html_text(format_quantity(cp.level_after, s.unit)), cp.worse ? "fail" : "good",
                         detail::format_change(cp.change), detail::format_p(cp.p_value));
    }
    out += "</table>\n";
  }

  out += "<h3>Pre-release checklist</h3>\n<ul>\n";
  for (const auto& [done, text] : detail::release_checklist(report, runner, view)) {
    out += fmt::format("<li class=\"{}\">{} {}</li>\n", done ? "good" : "warn", done ? "☑" : "☐", html_text(text));
  }
  out += "</ul>\n";
}

}  // namespace

std::string render_release_html(const ReleaseReport& report) {
  const std::string title = fmt::format("Performance report: {} → {}", report.from, report.to);
  std::string out = fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n{}\n"
                                "</head>\n<body>\n<h1>{}</h1>\n<ul>\n",
                                html_text(title), k_style, html_text(title));
  out += fmt::format("<li>from: {} ({})</li>\n", html_text(report.from), commit_text(report.from_commit));
  out += fmt::format("<li>to: {} ({})</li>\n", html_text(report.to), commit_text(report.to_commit));
  out += fmt::format("<li>policy: {}</li>\n", html_text(report.policy_source));
  for (const auto& n : report.notices) out += fmt::format("<li class=\"warn\">{}</li>\n", html_text(n));
  out += "</ul>\n";
  for (const auto& runner : report.runners) runner_section(out, report, runner);
  out += fmt::format("<p><small>Change points: {}.</small></p>\n</body>\n</html>\n", html_text(report.method));
  return out;
}

}  // namespace gate
