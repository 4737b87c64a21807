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
#include "gate/formats/callgrind_profile.hpp"
#include "gate/formats/noise_file.hpp"
#include "gate/formats/runner_file.hpp"
#include "gate/model/metrics.hpp"
#include "gate/model/names.hpp"
#include "gate/model/shard.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/judge/waivers.hpp"
#include "gate/store/change_commits.hpp"
#include "gate/store/runner.hpp"
#include "gate/workflow/explain.hpp"
#include "gate/workflow/confirm.hpp"
#include "gate/workflow/merge.hpp"

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

// A shard's run judged alone (`gate run --shard i/n`, then `gate compare`
// of that bundle): the baseline's benchmarks of other shards are not
// missing, they are another job's. Keeps of `baseline` the benchmarks of
// `shard`, drops the suites left with none (product binaries stay: every
// shard measures them) and the suites' process memory, which a shard does
// not record; says what it kept.
std::string keep_shard(RunBundle& baseline, const Shard& shard) {
  std::size_t kept = 0;
  std::size_t all = 0;
  for (auto& suite : baseline.suites) {
    all += suite.benchmarks.size();
    std::erase_if(suite.benchmarks, [&](const Benchmark& b) {
      return b.name == k_process_benchmark || !in_shard(b.name, shard);
    });
    // A complexity fit needs every instance of its family, which a shard does not run.
    suite.complexity.clear();
    kept += suite.benchmarks.size();
  }
  std::erase_if(baseline.suites, [](const Suite& s) { return !s.product && s.benchmarks.empty(); });
  return fmt::format("shard {}: judged against the baseline's benchmarks of this shard ({} of {})", to_string(shard),
                     kept, all);
}

}  // namespace

BaselineAtRef load_baseline_at(const std::filesystem::path& repo_dir, std::string_view ref,
                               std::string_view runner_id, const std::optional<std::filesystem::path>& policy) {
  RefSnapshot snap = read_baselines_at(repo_dir, ref, runner_id);
  BaselineAtRef out;
  out.commit = snap.commit;
  out.found = snap.runner_dir_exists;
  out.runners = snap.runners;
  std::string dir = fmt::format("{}/{}", k_baselines_dir, runner_id);
  out.bundle.source = fmt::format("{} @ {}", dir, ref);
  out.bundle.commit = snap.commit.sha;
  out.bundle.runner.id = std::string(runner_id);
  out.policy = find_policy_at_ref(policy, snap.policy, ref);
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
  BaselineAtRef at = load_baseline_at(options.repo, options.ref, runner.id, options.policy);
  std::vector<std::string> mismatch;
  if (at.found) mismatch = check_runner_match(runner, at.bundle.runner, options.allow_runner_mismatch);

  const Policy& policy = at.policy;
  std::optional<std::string> shard_notice;
  if (contender.shard) shard_notice = keep_shard(at.bundle, *contender.shard);

  CompareOptions stored = compare_options;
  stored.stored_baseline = true;
  if (!stored.noise && at.noise) stored.noise = std::make_shared<const NoiseTable>(std::move(*at.noise));
  Comparison c = compare(at.bundle, contender, policy, stored);
  c.runner = runner.id;
  c.baseline_commit = at.commit.sha;
  c.baseline_source = at.bundle.source;
  c.baseline_found = at.found;

  std::vector<std::string> first;
  if (shard_notice) first.push_back(std::move(*shard_notice));
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

namespace {

// The policy of a comparison that has no ref to take it from: the named
// file, else ./gate.json (this project's policy, as a .clang-format would
// be), else the built-in defaults.
Policy local_policy(const std::optional<std::filesystem::path>& named) {
  return find_policy(named, PolicyFallback::built_in);
}

// A run recorded without a runner (a plain Google Benchmark file) still
// says what machine shape it ran on: its context's processor count and
// caches. Only what both sides state is compared.
Runner machine_of(const RunBundle& b) {
  if (!b.runner.fingerprint.empty()) return b.runner;
  Runner r;
  if (b.suites.empty()) return r;
  const auto& ctx = b.suites.front().context;
  if (auto it = ctx.find("num_cpus"); it != ctx.end()) r.fingerprint["logical_cores"] = it->second;
  std::string caches;
  for (int i = 0;; ++i) {
    auto type = ctx.find(fmt::format("caches.{}.type", i));
    auto level = ctx.find(fmt::format("caches.{}.level", i));
    auto size = ctx.find(fmt::format("caches.{}.size", i));
    if (type == ctx.end() || level == ctx.end() || size == ctx.end()) break;
    caches += fmt::format("{}L{}{}:{}", caches.empty() ? "" : " ", level->second, type->second, size->second);
  }
  if (!caches.empty()) r.fingerprint["caches"] = caches;
  return r;
}

// Two files: the same machine, or said loudly.
std::vector<std::string> check_same_machine(const RunBundle& baseline, const RunBundle& contender, bool allow) {
  Runner b = machine_of(baseline);
  Runner c = machine_of(contender);
  for (auto it = b.fingerprint.begin(); it != b.fingerprint.end();) {
    it = c.fingerprint.contains(it->first) ? std::next(it) : b.fingerprint.erase(it);
  }
  for (auto it = c.fingerprint.begin(); it != c.fingerprint.end();) {
    it = b.fingerprint.contains(it->first) ? std::next(it) : c.fingerprint.erase(it);
  }
  b.id = baseline.runner.id.empty() ? baseline.source : baseline.runner.id;
  return check_runner_match(c, b, allow);
}

// The waivers of the change `head` brings over `base`.
void apply_change_waivers(Comparison& c, const CompareRequest& r) {
  ChangeCommits change = change_commits(r.repo, *r.waivers_from, *r.baseline_ref);
  std::vector<Waiver> waivers;
  std::vector<std::string> bad;
  for (const auto& commit : change.commits) {
    for (const auto& [key, value] : commit.trailers) {
      if (key != k_waiver_trailer) continue;
      std::string why;
      if (auto w = parse_waiver(value, commit.commit.sha, why)) {
        waivers.push_back(std::move(*w));
      } else {
        bad.push_back(fmt::format("'{}' in commit {} ({})", value, commit.commit.sha.substr(0, 12), why));
      }
    }
  }
  const std::vector<Waiver> unused = apply_waivers(c, waivers);
  const auto accepted = c.counts()[static_cast<std::size_t>(Status::accepted)];
  std::string notice = fmt::format("waivers: {} {} trailer{} in {} commit{} of {} over {}: {} verdict{} accepted",
                                   waivers.size(), k_waiver_trailer, waivers.size() == 1 ? "" : "s",
                                   change.commits.size(), change.commits.size() == 1 ? "" : "s", *r.waivers_from,
                                   *r.baseline_ref, accepted, accepted == 1 ? "" : "s");
  for (const auto& w : unused) notice += fmt::format("; '{}' (commit {}) matches nothing", w.text, w.commit.substr(0, 12));
  for (const auto& b : bad) notice += fmt::format("; not understood: {}", b);
  if (change.cut_by_shallow_clone) {
    notice += fmt::format("; the clone ends before the change's first commit, so older commits were not read — "
                          "fetch them: git fetch --deepen=50 origin {}",
                          *r.waivers_from);
  }
  if (change.cut_by_limit) notice += "; only the newest commits were read";
  c.notices.push_back(std::move(notice));
}

}  // namespace

Comparison run_compare(const CompareRequest& r) {
  if (r.waivers_from && !r.baseline_ref) {
    throw Error("reading waivers: --waivers-from needs --baseline-ref (a change's commits are those over its base)");
  }
  Comparison c;
  if (r.baseline_ref) {
    if (r.files.empty()) throw Error("compare --baseline-ref needs the contender's results files");
    std::vector<RunBundle> parts;
    for (const auto& f : r.files) parts.push_back(read_results(f));
    // One shard alone is judged as a shard (compare_against_ref); several
    // files are merged, and shards must then be complete.
    RunBundle contender = parts.size() == 1 ? std::move(parts.front()) : merge_results(parts);
    RefCompareOptions ref;
    ref.repo = r.repo;
    ref.ref = *r.baseline_ref;
    ref.runner = r.runner;
    ref.policy = r.policy;
    ref.allow_runner_mismatch = r.allow_runner_mismatch;
    c = compare_against_ref(contender, ref, r.options);
  } else if (r.files.size() == 1) {
    const Policy policy = local_policy(r.policy);  // a bad policy is found before any results are read
    RunBundle bundle = read_results(r.files[0]);
    if (!bundle.ab) {
      throw Error(fmt::format("comparing '{}': one file is judged alone only when it is an a/b bundle of gate run "
                              "--ab — give a baseline and a contender, or --baseline-ref REF",
                              r.files[0].string()));
    }
    if (r.confirm) {
      throw Error(fmt::format("confirming '{}': an a/b run is judged by its own pairs — there is nothing to confirm "
                              "(drop --confirm-with)",
                              r.files[0].string()));
    }
    c = compare_ab(bundle, policy, r.options);
    const auto profiles = profiles_dir_of(r.files[0]);
    attach_profile_diffs(c, profiles / "base", profiles / "head");
  } else if (r.files.size() == 2) {
    const Policy policy = local_policy(r.policy);
    RunBundle baseline = read_results(r.files[0]);
    RunBundle contender = read_results(r.files[1]);
    const std::vector<std::string> mismatch = check_same_machine(baseline, contender, r.allow_runner_mismatch);
    CompareOptions options = r.options;
    // A baseline file was measured at another time: timing regressions
    // against it are suspects, as against baselines/<runner>/ at a ref.
    options.stored_baseline = baseline.stored;
    c = compare(baseline, contender, policy, options);
    attach_profile_diffs(c, profiles_dir_of(r.files[0]), profiles_dir_of(r.files[1]));
    if (!mismatch.empty()) {
      const std::string note = fmt::format("runner mismatch allowed: fingerprints differ in {}", fmt::join(mismatch, ", "));
      c.notices.insert(c.notices.begin(), note);
      for (auto& v : c.verdicts) v.add_note(note);
    }
  } else {
    throw Error(fmt::format("compare takes a baseline and a contender file, an a/b bundle of gate run --ab, or "
                            "--baseline-ref REF and the contender's files; {} given",
                            r.files.size()));
  }
  if (r.waivers_from) apply_change_waivers(c, r);
  if (r.confirm) {
    ConfirmOptions options;
    options.base_build_dir = r.confirm->base_build_dir;
    options.head_build_dir = r.confirm->head_build_dir;
    options.rounds = r.confirm->rounds;
    options.runner = r.runner;
    options.repo_dir = r.repo;
    options.bundle_out = r.confirm->bundle_out;
    options.observer = r.observer;
    // With two files the contender is the second; otherwise every file is.
    const std::size_t first_contender = !r.baseline_ref && r.files.size() == 2 ? 1 : 0;
    for (std::size_t i = first_contender; i < r.files.size(); ++i) {
      options.contender_profiles.push_back(profiles_dir_of(r.files[i]));
    }
    c = confirm(std::move(c), options);
  }
  return c;
}

}  // namespace gate
