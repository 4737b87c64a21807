// gate/src/workflow/compare.cpp — a contender judged against one runner's
// baselines at a git ref, read through libgit2.
#include "gate/workflow/compare.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include "gate/error.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/noise_file.hpp"
#include "gate/formats/runner_file.hpp"
#include "gate/model/names.hpp"
#include "gate/store/runner.hpp"

namespace gate {
namespace {


// Parses baseline files on every core: a runner with many suites is read on
// every pull request, and parsing is half of it. The result is in input
// order, and the first failing file in that order is the error reported, so
// messages do not depend on thread timing.
std::vector<BaselineFile> parse_in_parallel(const std::vector<std::pair<std::string, const std::string*>>& files) {
  std::vector<std::optional<BaselineFile>> parsed(files.size());
  std::vector<std::exception_ptr> errors(files.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      try {
        parsed[i] = parse_baseline(*files[i].second, files[i].first);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
  threads = std::min(threads, files.size());
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::vector<BaselineFile> out;
  out.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (errors[i]) std::rethrow_exception(errors[i]);
    out.push_back(std::move(*parsed[i]));
  }
  return out;
}

}  // namespace

BaselineAtRef load_baseline_at(const std::filesystem::path& repo_dir, std::string_view ref,
                               std::string_view runner_id) {
  RefSnapshot snap = read_baselines_at(repo_dir, ref, runner_id);
  BaselineAtRef out;
  out.commit = snap.commit;
  out.found = snap.runner_dir_exists;
  out.runners = snap.runners;
  std::string dir = fmt::format("{}/{}", k_baselines_dir, runner_id);
  out.bundle.source = fmt::format("{} @ {}", dir, ref);
  out.bundle.commit = snap.commit.sha;
  out.bundle.runner.id = std::string(runner_id);
  if (snap.policy) out.policy = parse_policy(*snap.policy, fmt::format("{}:gate.json", ref));
  std::vector<std::pair<std::string, const std::string*>> suites;  // source, text
  for (const auto& [name, text] : snap.files) {
    std::string source = fmt::format("{}:{}/{}", ref, dir, name);
    if (name == k_runner_file) {
      out.bundle.runner = runner_from_json(text, source);
    } else if (name == k_noise_file) {
      out.noise = parse_noise(text, source);
      if (out.noise->runner != runner_id) {
        throw Error(fmt::format("reading '{}': it names runner '{}', not '{}'", source, out.noise->runner, runner_id));
      }
    } else if (suite_of_baseline_file(name)) {
      suites.emplace_back(std::move(source), &text);
    } else if (name.ends_with(".json")) {
      // Not ignored: a baseline nobody reads would look recorded and gate nothing.
      throw Error(fmt::format("reading '{}': not a suite's baseline file name — {}", source,
                              suite_name_problem(name.substr(0, name.size() - 5)).value_or("not a suite name")));
    }
  }
  for (auto& file : parse_in_parallel(suites)) {
    if (out.bundle.runner.fingerprint.empty()) out.bundle.runner.fingerprint = file.runner.fingerprint;
    out.bundle.suites.push_back(std::move(file.suite));
  }
  if (out.bundle.runner.id != runner_id) {
    throw Error(fmt::format("reading '{}:{}/{}': it names runner '{}', not '{}'", ref, dir, k_runner_file,
                            out.bundle.runner.id, runner_id));
  }
  return out;
}

Comparison compare_against_ref(const RunBundle& contender, const RefCompareOptions& options,
                               const CompareOptions& compare_options) {
  Runner runner = contender_runner(contender, options.runner);
  BaselineAtRef at = load_baseline_at(options.repo, options.ref, runner.id);
  std::vector<std::string> mismatch;
  if (at.found) mismatch = check_runner_match(runner, at.bundle.runner, options.allow_runner_mismatch);

  Policy policy = options.policy ? load_policy(*options.policy) : at.policy ? *at.policy : default_policy();
  if (!options.policy && !at.policy) policy.source = fmt::format("built-in defaults ({} has no gate.json)", options.ref);

  CompareOptions stored = compare_options;
  stored.stored_baseline = true;
  if (!stored.noise && at.noise) stored.noise = std::make_shared<const NoiseTable>(std::move(*at.noise));
  Comparison c = compare(at.bundle, contender, policy, stored);
  c.runner = runner.id;
  c.baseline_commit = at.commit.sha;
  c.baseline_source = at.bundle.source;
  c.baseline_found = at.found;

  std::vector<std::string> first;
  std::vector<std::string> tampered = tampered_paths(options.repo, options.ref);
  if (!tampered.empty()) {
    first.push_back(fmt::format("this tree changes the baselines or the policy ({}); judged with {}'s versions",
                                fmt::join(tampered, ", "), options.ref));
  }
  if (options.policy) {
    first.push_back(fmt::format("policy from '{}', not from {}", options.policy->string(), options.ref));
  }
  if (!mismatch.empty()) {
    std::string note = fmt::format("runner mismatch allowed: fingerprints differ in {}", fmt::join(mismatch, ", "));
    first.push_back(note);
    for (auto& v : c.verdicts) v.add_note(note);
  }
  if (!at.found) {
    std::string others = at.runners.empty() ? "none" : fmt::format("{}", fmt::join(at.runners, ", "));
    first.push_back(fmt::format("no baselines for runner '{}' at {} (runners there: {}): every benchmark is new — "
                                "record them with: gate baseline update <results.json> --commit",
                                runner.id, options.ref, others));
  }
  c.notices.insert(c.notices.begin(), first.begin(), first.end());
  return c;
}

}  // namespace gate
