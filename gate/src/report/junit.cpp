// gate/src/report/junit.cpp — the comparison as JUnit XML, for CI systems
// that show test results: one test suite per benchmark suite, one test case
// per verdict, a <failure> for each verdict that fails the gate and
// <skipped> for those that could not be judged (noisy, unconfirmed suspects
// the policy lets pass).
#include <fmt/core.h>

#include <map>

#include "gate/report/report.hpp"
#include "report/rows.hpp"
#include "report/text.hpp"

namespace gate {
namespace {

// XML-escapes text for attributes and character data; control characters,
// which XML 1.0 does not allow, are shown escaped first (detail::visible).
std::string xml(std::string_view raw) {
  const std::string text = detail::visible(raw);
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string message(const detail::Row& r) {
  std::string m = fmt::format("{} {}", r.status, r.metric);
  if (!r.baseline.empty() || !r.contender.empty()) {
    m += fmt::format(": {} -> {}", r.baseline.empty() ? "-" : r.baseline, r.contender);
  }
  if (!r.change.empty()) m += fmt::format(" ({})", r.change);
  if (!r.threshold.empty()) m += fmt::format(", threshold {}", r.threshold);
  if (!r.q.empty()) m += fmt::format(", q={}", r.q);
  return m;
}

bool skipped(const detail::Row& r) {
  return !r.fails && (r.verdict->status == Status::noisy || r.verdict->status == Status::suspect);
}

}  // namespace

std::string render_junit(const Comparison& c) {
  const detail::Report report = detail::build_report(c);
  std::map<std::string, std::vector<const detail::Row*>> by_suite;
  std::size_t failures = 0;
  std::size_t skips = 0;
  for (const auto& r : report.rows) {
    by_suite[r.verdict->suite.empty() ? "gate" : r.verdict->suite].push_back(&r);
    failures += r.fails ? 1 : 0;
    skips += skipped(r) ? 1 : 0;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"perfgate\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n", report.rows.size(),
                     failures, skips);
  for (const auto& [suite, rows] : by_suite) {
    std::size_t f = 0;
    std::size_t s = 0;
    for (const auto* r : rows) {
      f += r->fails ? 1 : 0;
      s += skipped(*r) ? 1 : 0;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n", xml(suite),
                       rows.size(), f, s);
    out += "    <properties>\n";
    out += fmt::format("      <property name=\"outcome\" value=\"{}\"/>\n", xml(report.headline));
    for (const auto& [key, value] : report.facts) {
      out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xml(key), xml(value));
    }
    out += "    </properties>\n";
    for (const auto* r : rows) {
      const std::string name = r->verdict->scope == Scope::suite ? r->verdict->suite : r->verdict->name;
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml(suite),
                         xml(r->metric.empty() ? name : name + " " + r->metric));
      if (r->fails) {
        out += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                           xml(message(*r)), xml(r->status), xml(r->note));
      } else if (skipped(*r)) {
        out += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml(message(*r) + "; " + r->note));
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
