// gate/src/judge/waivers.cpp — Perf-Accepted trailers read and applied.
#include "gate/judge/waivers.hpp"

#include <fmt/core.h>

#include <cctype>

#include "gate/error.hpp"
#include "policy/glob.hpp"

namespace gate {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

bool acceptable(Status s) {
  return s == Status::regressed || s == Status::suspect || s == Status::target_missed ||
         s == Status::budget_exceeded || s == Status::missing;
}

}  // namespace

std::optional<Waiver> parse_waiver(std::string_view value, const std::string& commit, std::string& why) {
  std::string_view v = trim(value);
  const auto space = v.find_first_of(" \t");
  if (space == std::string_view::npos) {
    why = "expected '<benchmark> <metric>: <reason>'";
    return std::nullopt;
  }
  std::string_view name = v.substr(0, space);
  std::string_view rest = trim(v.substr(space));
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) {
    why = "expected '<benchmark> <metric>: <reason>' — no ':' after the metric";
    return std::nullopt;
  }
  std::string_view metric = trim(rest.substr(0, colon));
  std::string_view reason = trim(rest.substr(colon + 1));
  if (metric.empty() || metric.find_first_of(" \t") != std::string_view::npos) {
    why = fmt::format("expected one metric (or '*') before ':', found '{}'", metric);
    return std::nullopt;
  }
  if (reason.empty()) {
    why = "the reason is empty: a waiver says why the regression is accepted";
    return std::nullopt;
  }
  for (std::string_view glob : {name, metric}) {
    try {
      (void)detail::Glob(glob);
    } catch (const Error& e) {
      why = fmt::format("bad pattern '{}': {}", glob, e.what());
      return std::nullopt;
    }
  }
  return Waiver{std::string(name), std::string(metric), std::string(reason), commit, std::string(v)};
}

std::vector<Waiver> apply_waivers(Comparison& c, const std::vector<Waiver>& waivers) {
  std::vector<Waiver> unused;
  for (const auto& w : waivers) {
    const detail::Glob name(w.name);
    const detail::Glob metric(w.metric);
    bool used = false;
    for (auto& v : c.verdicts) {
      if (!acceptable(v.status)) continue;
      const std::string own = v.scope == Scope::suite ? v.suite : v.name;
      const bool name_matches = name.matches(own) || (v.scope == Scope::benchmark && name.matches(v.suite + ":" + v.name));
      const bool metric_matches = v.metric.empty() ? w.metric == "*" : metric.matches(v.metric);
      if (!name_matches || !metric_matches) continue;
      v.acceptance = Acceptance{v.status, w.commit, w.reason, w.text};
      v.add_note(fmt::format("accepted by commit {}: {}", w.commit.substr(0, 12), w.reason));
      v.status = Status::accepted;
      used = true;
    }
    if (!used) unused.push_back(w);
  }
  sort_worst_first(c.verdicts);
  return unused;
}

}  // namespace gate
