// gate/src/workflow/confirm.cpp — confirm before fail. A stored baseline was measured
// on another day, perhaps on a quieter machine: a timing change against it
// mixes the code's change with the machine's. The base build re-run beside
// the head build, pair by pair, leaves only the code's; so a suspect fails
// the gate only when the pairs agree.
#include "gate/workflow/confirm.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>
#include <map>
#include <set>
#include <string_view>

#include "gate/formats/callgrind_profile.hpp"
#include "gate/judge/judge.hpp"
#include "gate/store/atomic_file.hpp"
#include "gate/store/baseline_store.hpp"
#include "gate/store/runner.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/error.hpp"
#include "gate/workflow/explain.hpp"

namespace gate {
namespace {

std::string p_text(double p) { return p >= 0.001 ? fmt::format("{:.3f}", p) : fmt::format("{:.1e}", p); }

std::string percent(double change) {
  if (std::isinf(change)) return change > 0 ? "+inf" : "-inf";
  return fmt::format("{:+.1f}%", change * 100);
}

// What the re-run found, as values, and in words: "paired a/b change +8.3%
// (p=0.002, q=0.004, n=15)", or for a complexity class "a/b fits O(N) →
// O(N^2), worse in 12 and better in 0 of 15 rounds".
Confirmation confirmation_of(const Verdict& ab, bool with_q) {
  Confirmation c;
  c.status = ab.status;
  c.test = ab.test;
  c.change = ab.change;
  c.p_value = ab.p_value;
  c.q_value = ab.q_value;
  c.pairs = ab.n_contender;
  if (ab.test == Test::fits_by_round) {
    c.detail = fmt::format("a/b fits {} → {}, {}", ab.baseline_text, ab.contender_text, ab.note());
    return c;
  }
  std::vector<std::string> parts;
  if (ab.p_value) parts.push_back("p=" + p_text(*ab.p_value));
  if (with_q && ab.q_value) parts.push_back("q=" + p_text(*ab.q_value));
  parts.push_back(fmt::format("n={}", ab.n_contender));
  c.detail = fmt::format("paired a/b change {} ({})", ab.change ? percent(*ab.change) : std::string("unknown"),
                         fmt::join(parts, ", "));
  return c;
}

struct Key {
  std::string suite, benchmark, metric;
  auto operator<=>(const Key&) const = default;
};

}  // namespace

std::string exact_names_filter(const std::vector<std::string>& names, const std::vector<std::string>& families) {
  if (names.empty() && families.empty()) throw Error("building a benchmark filter: no benchmark names");
  // What POSIX extended and ECMAScript regular expressions treat as special
  // outside brackets; a backslash before any of them means the character
  // itself in both dialects (Google Benchmark 1.7.1 compiles the filter with
  // std::regex). ']' and '}' stay bare: they are literal where no '[' or '{'
  // opened them, and libstdc++'s extended dialect refuses "\]" and "\}".
  static constexpr std::string_view special = R"(\^$.|?*+()[{)";
  std::string out = "^(";
  auto escaped = [&](const std::string& name) {
    if (out.size() > 2) out += '|';
    for (char c : name) {
      if (special.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  };
  for (const auto& name : names) escaped(name);
  for (const auto& family : families) {
    escaped(family);
    out += "(/.*)?";  // every instance: the family's name and its arguments
  }
  return out + ")$";
}

namespace {

Comparison confirm_suspects(Comparison first, const ConfirmOptions& options) {
  std::vector<std::size_t> suspects;
  for (std::size_t i = 0; i < first.verdicts.size(); ++i) {
    if (first.verdicts[i].status == Status::suspect) suspects.push_back(i);
  }
  if (suspects.empty()) {
    first.notices.insert(first.notices.begin(), "confirmation: no timing regression suspected, nothing re-run");
    return first;
  }

  std::set<std::string> suite_names;
  std::set<std::string> bench_names;
  std::set<std::string> families;  // complexity suspects: every instance re-runs, to fit the class again
  for (std::size_t i : suspects) {
    const Verdict& v = first.verdicts[i];
    if (first.policy.find_suite(v.suite) == nullptr && first.policy.find_command(v.suite) == nullptr) {
      throw Error(fmt::format("confirming the suspected regression of '{}': the policy {} does not name suite '{}', "
                              "so its binary is unknown — pass --policy naming it",
                              v.name, first.policy.source.empty() ? "(built-in defaults)" : "'" + first.policy.source + "'",
                              v.suite));
    }
    suite_names.insert(v.suite);
    (v.metric == "complexity" ? families : bench_names).insert(v.name);
  }
  const std::string filter =
      exact_names_filter({bench_names.begin(), bench_names.end()}, {families.begin(), families.end()});

  AbOptions ab;
  ab.base_build_dir = options.base_build_dir;
  ab.run.build_dir = options.head_build_dir;
  ab.run.repetitions = options.rounds;
  ab.run.filter = filter;
  ab.run.suites.assign(suite_names.begin(), suite_names.end());
  ab.run.timeout = options.timeout;
  ab.run.runner = options.runner;
  ab.run.repo_dir = options.repo_dir;
  ab.seed = options.seed;
  RunBundle bundle = run_ab(first.policy, ab, options.observer);
  bundle.source = options.bundle_out ? options.bundle_out->string() : std::string("confirmation run");
  if (options.bundle_out) write_file_atomically(*options.bundle_out, write_bundle(bundle));

  // The suspects' own metrics: usually the primary one, which a plain
  // comparison judges; another metric (a rule's limit, --metric) is judged
  // by asking for it.
  CompareOptions compare_options;
  compare_options.filter = filter;
  Comparison second = compare_ab(bundle, first.policy, compare_options);
  std::map<Key, const Verdict*> found;
  std::vector<Comparison> extra;
  // Only the re-run's comparisons of a metric answer a suspect: a target on
  // the same benchmark and metric is another question.
  auto index = [&](const Comparison& c) {
    for (const auto& v : c.verdicts) {
      if (v.scope == Scope::benchmark && v.test != Test::target) found.emplace(Key{v.suite, v.name, v.metric}, &v);
    }
  };
  index(second);
  std::set<std::string> other_metrics;
  for (std::size_t i : suspects) {
    const Verdict& v = first.verdicts[i];
    if (!found.contains(Key{v.suite, v.name, v.metric})) other_metrics.insert(v.metric);
  }
  extra.reserve(other_metrics.size());
  for (const auto& metric : other_metrics) {
    CompareOptions with_metric = compare_options;
    with_metric.metric = metric;
    extra.push_back(compare_ab(bundle, first.policy, with_metric));
    index(extra.back());
  }
  std::set<std::string> failed_suites(second.suite_failures.begin(), second.suite_failures.end());

  std::size_t confirmed = 0;
  std::size_t unjudged = 0;
  for (std::size_t i : suspects) {
    Verdict& v = first.verdicts[i];
    auto it = found.find(Key{v.suite, v.name, v.metric});
    const Verdict* a = it == found.end() ? nullptr : it->second;
    const bool judged = a != nullptr && !failed_suites.contains(v.suite) &&
                        (a->test == Test::fits_by_round || (a->test == Test::signed_rank_beyond_limit && a->change.has_value()));
    if (!judged) {
      ++unjudged;
      std::string why = failed_suites.contains(v.suite) ? "its suite failed in the re-run"
                        : a == nullptr                 ? "the re-run did not measure it in both builds"
                                                       : "the re-run could not pair it: " + a->note();
      v.add_note("could not be confirmed: " + why);
      if (std::find(first.suite_failures.begin(), first.suite_failures.end(), v.suite) == first.suite_failures.end()) {
        first.suite_failures.push_back(v.suite);
      }
      continue;
    }
    v.confirmation = confirmation_of(*a, a->status == Status::regressed);
    if (a->status == Status::regressed) {
      ++confirmed;
      v.status = Status::regressed;
      v.add_note("confirmed: " + v.confirmation->detail);
    } else {
      v.status = Status::noisy;
      std::string verdict = std::string(to_string(a->status));
      if (!a->notes.empty()) verdict += ": " + a->note();
      v.add_note("not confirmed: " + v.confirmation->detail + ", a/b verdict " + verdict);
    }
  }

  std::vector<std::string> top;
  top.push_back(fmt::format("{} suspect{} re-run from '{}' vs '{}', {} rounds: {} confirmed{}", suspects.size(),
                            suspects.size() == 1 ? "" : "s", options.base_build_dir.string(),
                            options.head_build_dir.string(), bundle.ab ? bundle.ab->rounds : 0, confirmed,
                            unjudged == 0 ? std::string() : fmt::format(", {} could not be judged", unjudged)));
  // What the re-run itself noticed (identical code, a failed suite).
  for (const auto& n : second.notices) top.push_back("confirmation: " + n);
  first.notices.insert(first.notices.begin(), top.begin(), top.end());

  sort_worst_first(first.verdicts);
  return first;
}

/// A folder of its own under the system's temporary directory, removed
/// with what it holds when it goes out of scope.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::error_code ec;
    std::string templ = (std::filesystem::temp_directory_path(ec) / "gate-base-profiles-XXXXXX").string();
    if (ec || ::mkdtemp(templ.data()) == nullptr) {
      throw Error(fmt::format("profiling the base build: cannot make a temporary folder '{}': {}", templ,
                              ec ? ec.message() : std::strerror(errno)));
    }
    m_path = templ;
  }
  ~TemporaryFolder() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

/// The regressed callgrind metrics that carry no functions yet and whose
/// contender profile was kept: a stored baseline has none of its own.
std::vector<const Verdict*> unexplained(const Comparison& c, const std::vector<std::filesystem::path>& head_dirs) {
  std::vector<const Verdict*> out;
  for (const auto& v : c.verdicts) {
    if (v.scope != Scope::benchmark || v.status != Status::regressed || v.kind != MetricKind::deterministic ||
        !v.functions.empty() || explaining_event(v.metric).empty() || c.policy.find_suite(v.suite) == nullptr) {
      continue;
    }
    std::error_code ec;
    if (std::any_of(head_dirs.begin(), head_dirs.end(), [&](const std::filesystem::path& dir) {
          return std::filesystem::is_regular_file(profile_path(dir, v.suite, v.name), ec);
        })) {
      out.push_back(&v);
    }
  }
  return out;
}

// The base side's profiles of the regressed callgrind metrics, from the
// base build run under callgrind alone: one iteration of only those
// benchmarks, so it costs seconds, not a second timed run.
void explain_from_base_build(Comparison& c, const ConfirmOptions& options) {
  const std::vector<const Verdict*> todo = unexplained(c, options.contender_profiles);
  if (todo.empty()) return;
  std::set<std::string> suites;
  std::set<std::string> names;
  for (const Verdict* v : todo) {
    suites.insert(v->suite);
    names.insert(v->name);
  }
  std::optional<TemporaryFolder> temporary;
  std::filesystem::path base_dir;
  if (options.bundle_out) {
    base_dir = profiles_dir_of(*options.bundle_out) / "base";
  } else {
    temporary.emplace();
    base_dir = temporary->path();
  }
  RunOptions run;
  run.build_dir = options.base_build_dir;
  run.timed = false;
  run.instrument = true;
  run.products = false;
  run.repetitions = k_min_repetitions;  // no timed pass: the instrumented one runs one repetition
  run.filter = exact_names_filter({names.begin(), names.end()});
  run.suites.assign(suites.begin(), suites.end());
  run.timeout = options.timeout;
  run.runner = options.runner;
  run.repo_dir = options.repo_dir;
  run.profiles_dir = base_dir;
  std::string failed;
  try {
    const RunBundle base = run_suites(c.policy, run, options.observer);
    for (const auto& f : failed_suites(base)) failed += (failed.empty() ? "" : "; ") + f;
  } catch (const Error& e) {
    failed = e.what();
  }
  attach_profile_diffs(c, base_dir, options.contender_profiles);
  const auto explained = static_cast<std::size_t>(std::count_if(todo.begin(), todo.end(), [](const Verdict* v) {
    return !v->functions.empty();
  }));
  std::string notice = fmt::format("functions: {} regressed callgrind metric{} explained from the base build '{}' "
                                   "run under callgrind ({} of {}){}",
                                   explained, explained == 1 ? "" : "s", options.base_build_dir.string(), explained,
                                   todo.size(),
                                   options.bundle_out ? fmt::format(", its profiles in '{}'", base_dir.string())
                                                      : std::string());
  if (!failed.empty()) notice += fmt::format("; the base build could not be profiled: {}", failed);
  c.notices.push_back(std::move(notice));
}

}  // namespace

Comparison confirm(Comparison first, const ConfirmOptions& options) {
  Comparison c = confirm_suspects(std::move(first), options);
  explain_from_base_build(c, options);
  return c;
}

}  // namespace gate
