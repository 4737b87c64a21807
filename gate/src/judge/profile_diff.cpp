// gate/src/judge/profile_diff.cpp — two profiles of one benchmark, function by function.
#include "gate/judge/profile_diff.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/core.h>
#include <fmt/format.h>

#include "gate/error.hpp"

namespace gate {
namespace {

std::size_t event_of(const Profile& p, const std::string& event) {
  const int i = p.event_index(event);
  if (i < 0) {
    throw Error(fmt::format("profile '{}' has no event '{}' (it has {})", p.source, event,
                            p.events.empty() ? std::string("none") : fmt::format("{}", fmt::join(p.events, ", "))));
  }
  return static_cast<std::size_t>(i);
}

std::vector<FunctionDelta> top(const ProfileDiff& diff, std::size_t n, double (FunctionDelta::*delta)() const) {
  std::vector<FunctionDelta> out;
  for (const auto& f : diff.functions) {
    if ((f.*delta)() > 0) out.push_back(f);
  }
  // Of equal growth, the innermost function (the smallest inclusive count)
  // first: callers pass a callee's growth on unchanged.
  std::stable_sort(out.begin(), out.end(), [&](const FunctionDelta& a, const FunctionDelta& b) {
    if ((a.*delta)() != (b.*delta)()) return (a.*delta)() > (b.*delta)();
    return a.contender_inclusive < b.contender_inclusive;
  });
  if (n != 0 && out.size() > n) out.resize(n);
  return out;
}

}  // namespace

ProfileDiff diff_profiles(const Profile& base, const Profile& contender, const std::string& event,
                          double base_iterations, double contender_iterations) {
  if (!(base_iterations > 0) || !(contender_iterations > 0)) {
    throw Error(fmt::format("comparing profiles '{}' and '{}': iterations {} and {} must be positive", base.source,
                            contender.source, base_iterations, contender_iterations));
  }
  const std::size_t bi = event_of(base, event);
  const std::size_t ci = event_of(contender, event);
  ProfileDiff diff;
  diff.event = event;
  diff.base_iterations = base_iterations;
  diff.contender_iterations = contender_iterations;
  diff.base_total = static_cast<double>(base.totals.at(bi)) / base_iterations;
  diff.contender_total = static_cast<double>(contender.totals.at(ci)) / contender_iterations;

  // Functions are matched by name and the last part of their file's name:
  // two builds in different folders name the same file differently, and
  // callgrind gives one name to different functions ("(below main)" in the
  // program and in libc).
  auto key = [](const FunctionCost& f) {
    return std::pair{f.name, std::filesystem::path(f.file).filename().string()};
  };
  std::map<std::pair<std::string, std::string>, FunctionDelta> by_name;
  for (const auto& f : base.functions) {
    auto& d = by_name[key(f)];
    d.name = f.name;
    if (d.file.empty()) d.file = f.file;
    d.base_self += static_cast<double>(f.self[bi]) / base_iterations;
    d.base_inclusive += static_cast<double>(f.inclusive[bi]) / base_iterations;
  }
  for (const auto& f : contender.functions) {
    auto& d = by_name[key(f)];
    d.name = f.name;
    d.file = f.file;  // the contender's file is the one a reader opens
    d.contender_self += static_cast<double>(f.self[ci]) / contender_iterations;
    d.contender_inclusive += static_cast<double>(f.inclusive[ci]) / contender_iterations;
  }
  for (auto& [name, d] : by_name) {
    if (d.base_self == 0 && d.contender_self == 0 && d.base_inclusive == 0 && d.contender_inclusive == 0) continue;
    diff.functions.push_back(std::move(d));
  }
  std::stable_sort(diff.functions.begin(), diff.functions.end(), [](const FunctionDelta& a, const FunctionDelta& b) {
    if (a.self_delta() != b.self_delta()) return a.self_delta() > b.self_delta();
    return a.inclusive_delta() > b.inclusive_delta();
  });
  return diff;
}

std::vector<FunctionDelta> top_by_self(const ProfileDiff& diff, std::size_t n) {
  return top(diff, n, &FunctionDelta::self_delta);
}

std::vector<FunctionDelta> top_by_inclusive(const ProfileDiff& diff, std::size_t n) {
  return top(diff, n, &FunctionDelta::inclusive_delta);
}

}  // namespace gate
