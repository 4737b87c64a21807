// gate/src/run/run_setup.cpp — the checks before a run and the stamp after it.
#include "run/run_setup.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <regex>
#include <string_view>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "gate/store/baseline_store.hpp"
#include "gate/store/runner.hpp"

namespace gate::detail {

std::vector<const SuiteSpec*> chosen_suites(const Policy& policy, const RunOptions& options) {
  const std::string where = policy.source.empty() ? std::string("the built-in policy") : "'" + policy.source + "'";
  if (policy.suites.empty() && policy.commands.empty() && (policy.binaries.empty() || !options.products)) {
    throw Error(fmt::format("running suites: the policy {} names no suites — add a \"suites\" list to it", where));
  }
  std::vector<const SuiteSpec*> chosen;
  if (options.suites.empty()) {
    for (const auto& s : policy.suites) chosen.push_back(&s);
    return chosen;
  }
  for (const auto& spec : policy.suites) {
    if (std::find(options.suites.begin(), options.suites.end(), spec.name) != options.suites.end()) {
      chosen.push_back(&spec);
    }
  }
  for (const auto& name : options.suites) {
    if (policy.find_suite(name) == nullptr && policy.find_command(name) == nullptr &&
        (!options.products || policy.find_binary(name) == nullptr)) {
      std::string names;
      for (const auto& s : policy.suites) names += (names.empty() ? "" : ", ") + s.name;
      for (const auto& c : policy.commands) names += (names.empty() ? "" : ", ") + c.name + " (command)";
      if (options.products) {
        for (const auto& b : policy.binaries) names += (names.empty() ? "" : ", ") + b.name + " (product binary)";
      }
      throw Error(fmt::format("running suite '{}': the policy {} has no such suite (it has: {})", name, where, names));
    }
  }
  return chosen;
}

/// The product binaries to measure: all, or those named by --suite.
std::vector<const BinarySpec*> chosen_binaries(const Policy& policy, const RunOptions& options) {
  std::vector<const BinarySpec*> chosen;
  if (!options.products) return chosen;
  for (const auto& spec : policy.binaries) {
    if (options.suites.empty() ||
        std::find(options.suites.begin(), options.suites.end(), spec.name) != options.suites.end()) {
      chosen.push_back(&spec);
    }
  }
  return chosen;
}

std::vector<const CommandSpec*> chosen_commands(const Policy& policy, const RunOptions& options) {
  std::vector<const CommandSpec*> chosen;
  if (!options.timed) return chosen;  // commands are timed; callgrind does not run them
  for (const auto& spec : policy.commands) {
    if (options.suites.empty() ||
        std::find(options.suites.begin(), options.suites.end(), spec.name) != options.suites.end()) {
      chosen.push_back(&spec);
    }
  }
  return chosen;
}

int choose_repetitions(const Policy& policy, const RunOptions& options, RunObserver* observer) {
  if (options.repetitions) {
    if (*options.repetitions < 1) {
      throw Error(fmt::format("running suites: --repetitions {} — at least 1 is needed", *options.repetitions));
    }
    if (*options.repetitions < k_min_repetitions && observer != nullptr) {
      observer->notice(fmt::format("{} repetitions per benchmark are fewer than {}: the test of a timing change is "
                                   "weaker, and changes of 10% may go unseen",
                                   *options.repetitions, k_min_repetitions));
    }
    return *options.repetitions;
  }
  const int n = policy.defaults.repetitions;
  if (n < k_min_repetitions) {
    throw Error(fmt::format("running suites: the policy asks for {} repetitions, fewer than {} weaken the test — "
                            "raise defaults.repetitions, or pass --repetitions {} to accept that",
                            n, k_min_repetitions, n));
  }
  return n;
}

void check_timeout(const std::optional<std::chrono::nanoseconds>& timeout) {
  if (!timeout) return;
  if (timeout->count() <= 0 || *timeout > k_max_timeout) {
    throw Error(fmt::format("running suites: a timeout of {} ns is out of range — more than 0 and at most {} s (a week)",
                            timeout->count(), k_max_timeout.count()));
  }
}

void check_filter(const std::string& filter) {
  if (filter.empty()) return;
  // Google Benchmark reads a leading '-' as "all but"; the rest is a POSIX
  // extended regular expression.
  std::string_view re = filter;
  if (re.front() == '-') re.remove_prefix(1);
  try {
    std::regex check{std::string(re), std::regex::extended};
  } catch (const std::regex_error& e) {
    throw Error(fmt::format("running suites: bad --filter '{}': {}", filter, e.what()));
  }
}

/// The facts of where and when: runner, commit and ref.
void stamp(RunBundle& bundle, const RunOptions& options) {
  // The runner's fingerprint includes the compiler and build type that
  // Google Benchmark's context reports: taken from the first suite that has one.
  std::map<std::string, std::string> context;
  for (const auto& s : bundle.suites) {
    if (!s.context.empty()) {
      context = s.context;
      break;
    }
  }
  bundle.runner = resolve_runner(options.runner, context);

  if (!options.repo_dir.empty()) {
    try {
      if (auto head = head_commit(options.repo_dir)) bundle.commit = head->sha;
    } catch (const Error&) {
      // Not inside a git repository: results without a commit are still results.
    }
  }
  // The branch or tag being measured is known to CI; locally HEAD's sha is enough.
  for (const char* var : {"GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') {
      bundle.ref = v;
      break;
    }
  }
}

}  // namespace gate::detail
