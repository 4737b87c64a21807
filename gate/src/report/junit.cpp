// gate/src/report/junit.cpp — the comparison as JUnit XML, for CI systems
// that show test results: one test suite per benchmark suite, one test case
// per verdict, a <failure> for each verdict that fails the gate and
// <skipped> for those that could not be judged (noisy).
#include <fmt/core.h>

#include <map>

#include "gate/report/report.hpp"
#include "report/format.hpp"

namespace gate {
namespace {

// XML-escapes text for attributes and character data; control characters
// other than tab and newline are not allowed in XML 1.0 and are dropped.
std::string xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n') break;
        out += ch;
    }
  }
  return out;
}

std::string message(const Verdict& v) {
  std::string m = fmt::format("{} {}", to_string(v.status), v.metric);
  std::string base = detail::format_baseline(v);
  std::string cont = detail::format_contender(v);
  if (!base.empty() || !cont.empty()) m += fmt::format(": {} -> {}", base.empty() ? "-" : base, cont);
  if (v.change) m += fmt::format(" ({})", detail::format_change(v));
  if (!v.threshold.empty()) m += fmt::format(", threshold {}", v.threshold);
  if (v.q_value) m += fmt::format(", q={}", detail::format_p(v.q_value));
  return m;
}

}  // namespace

std::string render_junit(const Comparison& c) {
  std::map<std::string, std::vector<const Verdict*>> by_suite;
  for (const auto& v : c.verdicts) by_suite[v.suite.empty() ? "gate" : v.suite].push_back(&v);
  std::size_t failures = 0;
  std::size_t skipped = 0;
  for (const auto& v : c.verdicts) {
    if (fails_gate(v)) ++failures;
    if (v.status == Status::noisy) ++skipped;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"perfgate\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n", c.verdicts.size(),
                     failures, skipped);
  for (const auto& [suite, verdicts] : by_suite) {
    std::size_t f = 0;
    std::size_t s = 0;
    for (const Verdict* v : verdicts) {
      f += fails_gate(*v) ? 1 : 0;
      s += v->status == Status::noisy ? 1 : 0;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n", xml(suite),
                       verdicts.size(), f, s);
    out += "    <properties>\n";
    for (const auto& [key, value] : detail::header_facts(c)) {
      out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xml(key), xml(value));
    }
    out += "    </properties>\n";
    for (const Verdict* v : verdicts) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml(suite), xml(v->benchmark + " " + v->metric));
      if (fails_gate(*v)) {
        out += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                           xml(message(*v)), xml(to_string(v->status)), xml(v->note));
      } else if (v->status == Status::noisy) {
        out += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml(message(*v) + "; " + v->note));
      } else {
        out += "/>\n";
      }
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace gate
