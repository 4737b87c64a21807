// gate/src/report/markdown.cpp — the pull-request comment and job summary.
// Benchmark names come from the pull request and are untrusted: every one is
// escaped so that it can neither break the table nor inject markup, links or
// mentions. The whole text stays under GitHub's comment limit.
#include <fmt/core.h>

#include "gate/report/report.hpp"
#include "report/format.hpp"

namespace gate {
namespace {

// Escapes text for a Markdown table cell: HTML-significant characters become
// entities, Markdown punctuation is backslash-escaped, line breaks become
// spaces, and '@' cannot start a mention.
std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '|': out += "\\|"; break;
      // GitHub finds mentions in the rendered text, so an entity would still
      // notify: a zero-width space after '@' breaks the mention.
      case '@': out += "@\u200b"; break;
      case '\n':
      case '\r': out += ' '; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '#': case '!': case '~':
        out += '\\';
        out += ch;
        break;
      default: out += ch;
    }
  }
  return out;
}

std::string_view icon(Status s) {
  switch (s) {
    case Status::failed:
    case Status::regressed:
    case Status::target_missed:
    case Status::budget_exceeded: return ":x:";
    case Status::noisy:
    case Status::missing: return ":warning:";
    case Status::improved: return ":rocket:";
    case Status::new_benchmark: return ":new:";
    default: return ":white_check_mark:";
  }
}

std::string row(const Verdict& v) {
  std::string name = v.suite.empty() ? v.benchmark : v.suite + ":" + v.benchmark;
  return fmt::format("| {} {} | {} | {} | {} | {} | {} | **{}** | {} | {} | {} | {} |\n", icon(v.status),
                     to_string(v.status), escape(name), escape(v.metric), escape(v.statistic),
                     escape(detail::format_baseline(v)), escape(detail::format_contender(v)),
                     detail::format_change(v), escape(v.threshold), detail::format_p(v.p_value),
                     detail::format_p(v.q_value), detail::format_n(v));
}

constexpr std::string_view k_table_head =
    "| status | benchmark | metric | statistic | baseline | contender | change | threshold | p | q | n |\n"
    "|---|---|---|---|--:|--:|--:|---|--:|--:|--:|\n";

}  // namespace

std::string render_markdown(const Comparison& c, const ReportOptions& options) {
  std::string out = fmt::format("## perfgate: {}\n\n", detail::outcome(c));
  out += fmt::format("**{}**\n\n", escape(detail::summary_counts(c)));
  for (const auto& [key, value] : detail::header_facts(c)) out += fmt::format("- {}: {}\n", key, escape(value));
  for (const auto& n : c.notices) out += fmt::format("- :warning: {}\n", escape(n));
  out += "\n";

  std::string attention;
  std::string rest;
  std::size_t attention_rows = 0;
  std::size_t rest_rows = 0;
  std::size_t dropped = 0;
  // Reserve room for the closing lines so the limit holds whatever comes.
  std::size_t budget = options.markdown_limit > 600 ? options.markdown_limit - 600 : 0;
  for (const auto& v : c.verdicts) {
    bool loud = v.status != Status::unchanged && v.status != Status::target_met;
    std::string r = row(v);
    if (out.size() + attention.size() + rest.size() + r.size() + 2 * k_table_head.size() > budget) {
      ++dropped;
      continue;
    }
    if (loud) {
      attention += r;
      ++attention_rows;
    } else {
      rest += r;
      ++rest_rows;
    }
  }
  if (attention_rows > 0) {
    out += k_table_head;
    out += attention;
    out += "\n";
  }
  if (rest_rows > 0) {
    out += fmt::format("<details><summary>{} unchanged or met</summary>\n\n", rest_rows);
    out += k_table_head;
    out += rest;
    out += "\n</details>\n\n";
  }
  if (dropped > 0) {
    out += fmt::format("{} more rows not shown to stay within GitHub's size limit; the JSON report has them all.\n",
                       dropped);
  }
  return out;
}

}  // namespace gate
