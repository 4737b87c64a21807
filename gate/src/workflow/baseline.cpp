// gate/src/workflow/baseline.cpp — loading a runner's baseline from a ref, deciding a
// contender's runner, and recording new baselines.
#include "gate/workflow/baseline.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <fstream>
#include <set>
#include <sstream>

#include "gate/formats/bundle.hpp"
#include "gate/error.hpp"
#include "gate/formats/noise_file.hpp"
#include "gate/store/runner.hpp"

namespace gate {
namespace {

// Files in a runner's directory that are not suites.
bool is_suite_file(const std::string& name) {
  return name != k_runner_file && name != k_noise_file && name.size() > 5 &&
         name.compare(name.size() - 5, 5, ".json") == 0;
}

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
    } else if (is_suite_file(name)) {
      suites.emplace_back(std::move(source), &text);
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

RunBundle merge_results(const std::vector<RunBundle>& parts) {
  RunBundle out;
  std::map<std::string, std::string> suite_source;
  std::vector<std::string> sources;
  for (const auto& part : parts) {
    sources.push_back(part.source);
    if (out.runner.id.empty() && !part.runner.id.empty()) {
      out.runner = part.runner;
    } else if (!part.runner.id.empty()) {
      auto diff = fingerprint_differences(out.runner, part.runner);
      if (out.runner.id != part.runner.id || !diff.empty()) {
        throw Error(fmt::format("merging '{}': measured on runner '{}', the others on '{}'{}", part.source,
                                part.runner.id, out.runner.id,
                                diff.empty() ? "" : fmt::format(" (differs in {})", fmt::join(diff, ", "))));
      }
    }
    if (out.commit.empty()) out.commit = part.commit;
    if (out.ref.empty()) out.ref = part.ref;
    if (out.time.empty()) out.time = part.time;
    for (const auto& suite : part.suites) {
      auto [it, inserted] = suite_source.emplace(suite.name, part.source);
      if (!inserted) {
        throw Error(fmt::format("merging '{}': suite '{}' is also in '{}'", part.source, suite.name, it->second));
      }
      out.suites.push_back(suite);
    }
  }
  out.source = sources.size() == 1 ? sources.front() : fmt::format("{}", fmt::join(sources, " + "));
  return out;
}

Runner contender_runner(const RunBundle& contender, const std::optional<std::string>& flag) {
  if (contender.runner.id.empty()) {
    std::map<std::string, std::string> context;
    if (!contender.suites.empty()) context = contender.suites.front().context;
    return resolve_runner(flag, context);
  }
  Runner r = contender.runner;
  // An id given by the user names where to judge; the fingerprint stays the
  // measured one so that a mismatch can still be seen.
  if (flag) {
    r.id = sanitize_runner_id(*flag);
  } else if (const char* env = std::getenv("GATE_RUNNER"); env != nullptr && *env != '\0') {
    r.id = sanitize_runner_id(env);
  }
  return r;
}

std::vector<std::string> check_runner_match(const Runner& contender, const Runner& baseline, bool allow) {
  if (baseline.fingerprint.empty() || contender.fingerprint.empty()) return {};
  auto diff = fingerprint_differences(contender, baseline);
  if (diff.empty() || allow) return diff;
  std::vector<std::string> details;
  for (const auto& field : diff) {
    auto value = [&](const Runner& r) {
      auto it = r.fingerprint.find(field);
      return it == r.fingerprint.end() ? std::string("(absent)") : "'" + it->second + "'";
    };
    details.push_back(fmt::format("{}: {} here, {} in the baseline", field, value(contender), value(baseline)));
  }
  throw Error(fmt::format("runner mismatch: the contender was not measured on runner '{}' ({}) — judge it against "
                          "its own runner's baselines, or pass --allow-runner-mismatch to compare anyway",
                          baseline.id, fmt::join(details, "; ")));
}

BaselineUpdateResult update_baselines(const std::filesystem::path& repo_dir, const RunBundle& contender,
                                      const Runner& runner, const BaselineUpdateOptions& options) {
  if (contender.suites.empty()) throw Error(fmt::format("recording '{}': it holds no suite", contender.source));
  for (const auto& suite : contender.suites) {
    if (suite.failure) {
      throw Error(fmt::format("recording '{}': suite '{}' failed to run ({}), nothing written", contender.source,
                              suite.name, suite.failure->substr(0, suite.failure->find('\n'))));
    }
    std::string inject = context_value(suite, "gate_inject");
    if (!inject.empty() && inject != "none") {
      throw Error(fmt::format("recording '{}': suite '{}' was built with GATE_INJECT={} (a deliberately slow "
                              "build), nothing written",
                              contender.source, suite.name, inject));
    }
    std::string build_type = lowercase(context_value(suite, "build_type"));
    if (build_type == "debug" && !options.allow_debug) {
      throw Error(fmt::format("recording '{}': suite '{}' comes from a debug build (context build_type), nothing "
                              "written — build with the release preset, or pass --allow-debug",
                              contender.source, suite.name));
    }
  }

  std::filesystem::path root = repo_root(repo_dir);
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
    result.commit = commit_paths(root, absolute, message);
  }
  return result;
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
