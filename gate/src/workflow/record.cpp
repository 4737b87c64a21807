// gate/src/workflow/record.cpp — recording results as a runner's baselines.
#include "gate/workflow/record.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "gate/error.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/runner_file.hpp"
#include "gate/model/names.hpp"
#include "gate/run/optimisation.hpp"
#include "gate/store/atomic_file.hpp"

namespace gate {
namespace {

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string context_value(const Suite& s, const std::string& key) {
  auto it = s.context.find(key);
  return it == s.context.end() ? std::string() : it->second;
}

std::optional<std::string> read_existing(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "bench_clew: 12 benchmarks (2 new, 1 removed)" against what the file held.
std::string describe_change(const Suite& suite, const std::optional<std::string>& old_text, const std::string& path) {
  std::string line = fmt::format("{}: {} benchmarks", suite.name, suite.benchmarks.size());
  if (!old_text) return line + " (new suite)";
  std::set<std::string> before;
  try {
    for (const auto& b : parse_baseline(*old_text, path).suite.benchmarks) before.insert(b.name);
  } catch (const Error&) {
    return line + " (replaces an unreadable file)";
  }
  std::size_t added = 0;
  for (const auto& b : suite.benchmarks) {
    if (before.erase(b.name) == 0) ++added;
  }
  if (added == 0 && before.empty()) return line;
  return line + fmt::format(" ({} new, {} removed)", added, before.size());
}

}  // namespace

void check_recordable(const Suite& suite, bool allow_debug, std::string_view doing) {
  if (suite.failure) {
    throw Error(fmt::format("{}: suite '{}' failed to run ({}), nothing written", doing, suite.name,
                            suite.failure->substr(0, suite.failure->find('\n'))));
  }
  std::string inject = context_value(suite, "gate_inject");
  if (!inject.empty() && inject != "none") {
    throw Error(fmt::format("{}: suite '{}' was built with GATE_INJECT={} (a deliberately slow build), nothing written",
                            doing, suite.name, inject));
  }
  if (lowercase(context_value(suite, "build_type")) == "debug" && !allow_debug) {
    throw Error(fmt::format("{}: suite '{}' comes from a debug build (context build_type), nothing written — build "
                            "with the release preset, or pass --allow-debug",
                            doing, suite.name));
  }
  // A plain Google Benchmark binary records no build type: what the gate
  // read from the binary itself (run/optimisation.hpp) stands in for it.
  if (auto seen = recorded_optimisation(suite);
      seen && seen->level == Optimisation::unoptimised && !suite.context.contains("build_type") && !allow_debug) {
    throw Error(fmt::format("{}: suite '{}' comes from an unoptimised build ({}), nothing written — build it with "
                            "optimisation (-DCMAKE_BUILD_TYPE=Release), or pass --allow-debug",
                            doing, suite.name, seen->evidence));
  }
}

BaselineUpdateResult update_baselines(const std::filesystem::path& repo_dir, const RunBundle& contender,
                                      const Runner& runner, const BaselineUpdateOptions& options) {
  if (contender.suites.empty()) throw Error(fmt::format("recording '{}': it holds no suite", contender.source));
  for (const auto& suite : contender.suites) check_recordable(suite, options.allow_debug, "recording '" + contender.source + "'");

  std::filesystem::path root = repo_root(repo_dir);
  // From reading what is there to committing what replaced it, one update
  // at a time.
  BaselinesLock lock(root);
  RunBundle meta = contender;
  meta.runner = runner;
  // Plain Google Benchmark files carry neither: the commit is where the
  // update runs, the time is the benchmark's own date.
  if (meta.commit.empty()) {
    if (auto head = head_commit(root)) meta.commit = head->sha;
  }
  if (meta.time.empty()) meta.time = context_value(contender.suites.front(), "date");

  BaselineUpdateResult result;
  result.runner = runner;
  std::map<std::string, std::string> files;
  files.emplace(std::string(k_runner_file), runner_to_json(runner));
  std::vector<std::string> lines;
  std::filesystem::path dir = baseline_dir(root, runner.id);
  for (const auto& suite : contender.suites) {
    std::string name;
    try {
      name = baseline_file_name(suite.name);
    } catch (const Error& e) {
      throw Error(fmt::format("recording '{}': {}", contender.source, e.what()));
    }
    if (files.contains(name)) {
      throw Error(fmt::format("recording '{}': suite '{}' appears twice", contender.source, suite.name));
    }
    lines.push_back(describe_change(suite, read_existing(dir / name), (dir / name).string()));
    files.emplace(name, write_baseline(meta, suite));
  }
  // What the files held before, to put back if the commit fails: a failed
  // update leaves the repository as it found it.
  std::map<std::string, std::optional<std::string>> before;
  for (const auto& [name, text] : files) before.emplace(name, read_existing(dir / name));
  write_baseline_files(root, runner.id, files);
  for (const auto& [name, text] : files) {
    result.written.push_back(std::filesystem::path(k_baselines_dir) / runner.id / name);
  }
  result.summary = fmt::format("{}", fmt::join(lines, "\n"));
  if (options.commit) {
    std::string message = fmt::format("perfgate: update baselines of runner {}\n\nMeasured at {}{}.\n\n{}\n",
                                      runner.id, meta.commit.empty() ? "an unknown commit" : meta.commit,
                                      meta.time.empty() ? "" : " on " + meta.time, result.summary);
    std::vector<std::filesystem::path> absolute;
    for (const auto& p : result.written) absolute.push_back(root / p);
    try {
      result.commit = commit_paths(root, absolute, message);
    } catch (const Error&) {
      for (const auto& [name, text] : before) {
        std::error_code ec;
        if (text) {
          write_file_atomically(dir / name, *text);
        } else {
          std::filesystem::remove(dir / name, ec);
        }
      }
      throw;
    }
  }
  return result;
}

}  // namespace gate
