// gate/src/workflow/explain.cpp — two kept profiles of one benchmark found,
// read and compared.
#include "gate/workflow/explain.hpp"

#include <functional>
#include <map>
#include <system_error>
#include <vector>

#include <fmt/core.h>
#include <fmt/format.h>

#include "gate/error.hpp"
#include "gate/formats/callgrind.hpp"
#include "gate/formats/callgrind_profile.hpp"

namespace gate {
namespace {

std::filesystem::path find_in_folder(const std::filesystem::path& dir, const ExplainOptions& options,
                                     const std::filesystem::path& named) {
  if (options.benchmark.empty()) {
    throw Error(fmt::format("explaining '{}': --benchmark NAME is needed to find a profile in it", named.string()));
  }
  const std::string file = profile_file_name(options.benchmark);
  if (!options.suite.empty()) {
    auto path = profile_path(dir, options.suite, options.benchmark);
    if (!std::filesystem::is_regular_file(path)) {
      throw Error(fmt::format("explaining '{}': no profile of '{}' in suite '{}' (no file '{}')", named.string(),
                              options.benchmark, options.suite, path.string()));
    }
    return path;
  }
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_directory()) continue;
    auto path = entry.path() / file;
    if (std::filesystem::is_regular_file(path)) found.push_back(path);
  }
  if (ec) throw Error(fmt::format("explaining '{}': reading '{}': {}", named.string(), dir.string(), ec.message()));
  if (found.empty()) {
    throw Error(fmt::format("explaining '{}': no profile of benchmark '{}' in '{}' — was it run with "
                            "gate run --instrument?",
                            named.string(), options.benchmark, dir.string()));
  }
  if (found.size() > 1) {
    std::vector<std::string> suites;
    for (const auto& p : found) suites.push_back(p.parent_path().filename().string());
    throw Error(fmt::format("explaining '{}': benchmark '{}' has profiles in suites {} — name one with --suite",
                            named.string(), options.benchmark, fmt::join(suites, ", ")));
  }
  return found.front();
}

double iterations_of(const Profile& p, const ExplainOptions& options) {
  auto label = parse_dump_label(p.trigger);
  if (!label) return 1;
  if (!options.benchmark.empty() && label->benchmark != options.benchmark) {
    throw Error(fmt::format("explaining '{}': the profile is of benchmark '{}', not '{}'", p.source, label->benchmark,
                            options.benchmark));
  }
  return static_cast<double>(label->iterations);
}

}  // namespace

std::filesystem::path find_profile(const std::filesystem::path& where, const ExplainOptions& options) {
  std::error_code ec;
  const auto status = std::filesystem::status(where, ec);
  if (!std::filesystem::exists(status)) {
    throw Error(fmt::format("explaining '{}': no such file or folder", where.string()));
  }
  if (std::filesystem::is_directory(status)) return find_in_folder(where, options, where);
  if (where.extension() == ".json") {
    const auto dir = profiles_dir_of(where);
    if (!std::filesystem::is_directory(dir)) {
      throw Error(fmt::format("explaining '{}': no profiles beside it (no folder '{}') — run it with "
                              "gate run --instrument",
                              where.string(), dir.string()));
    }
    return find_in_folder(dir, options, where);
  }
  return where;
}

Explanation explain(const std::filesystem::path& baseline, const std::filesystem::path& contender,
                    const ExplainOptions& options) {
  Explanation out;
  out.baseline_profile = find_profile(baseline, options);
  out.contender_profile = find_profile(contender, options);
  const Profile base = read_callgrind_profile(out.baseline_profile);
  const Profile head = read_callgrind_profile(out.contender_profile);
  out.diff = diff_profiles(base, head, options.event, iterations_of(base, options), iterations_of(head, options));
  return out;
}

std::string explaining_event(const std::string& metric) {
  static const std::map<std::string, std::string, std::less<>> events = {
      {"instructions", "Ir"}, {"est_cycles", "Ir"},  {"l1i_misses", "I1mr"},   {"l1d_misses", "D1mr"},
      {"lli_misses", "ILmr"}, {"lld_misses", "DLmr"}, {"ll_misses", "DLmr"}, {"branch_misses", "Bcm"}};
  auto it = events.find(metric);
  return it == events.end() ? std::string() : it->second;
}

void attach_profile_diffs(Comparison& comparison, const std::filesystem::path& base_dir,
                          const std::filesystem::path& head_dir) {
  attach_profile_diffs(comparison, base_dir, std::vector<std::filesystem::path>{head_dir});
}

void attach_profile_diffs(Comparison& comparison, const std::filesystem::path& base_dir,
                          const std::vector<std::filesystem::path>& head_dirs) {
  for (auto& v : comparison.verdicts) {
    if (v.scope != Scope::benchmark || v.status != Status::regressed || v.kind != MetricKind::deterministic) continue;
    const std::string event = explaining_event(v.metric);
    if (event.empty()) continue;
    const auto base = profile_path(base_dir, v.suite, v.name);
    std::error_code ec;
    std::filesystem::path head;
    for (const auto& dir : head_dirs) {
      auto path = profile_path(dir, v.suite, v.name);
      if (std::filesystem::is_regular_file(path, ec)) {
        head = std::move(path);
        break;
      }
    }
    if (head.empty() || !std::filesystem::is_regular_file(base, ec)) continue;
    try {
      const Profile b = read_callgrind_profile(base);
      const Profile h = read_callgrind_profile(head);
      ExplainOptions options;
      options.benchmark = v.name;
      const ProfileDiff diff = diff_profiles(b, h, event, iterations_of(b, options), iterations_of(h, options));
      v.functions = top_by_self(diff, k_verdict_functions);
      v.functions_event = event;
      if (!v.functions.empty()) {
        const FunctionDelta& top = v.functions.front();
        v.add_note(fmt::format("grew most in {} ({:+.0f} {} per iteration, self)", top.name, top.self_delta(),
                               event));
      }
    } catch (const Error&) {
      // A profile that cannot be read explains nothing; the verdict stands.
    }
  }
}

}  // namespace gate
