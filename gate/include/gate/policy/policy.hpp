// gate/include/gate/policy/policy.hpp — the policy (gate.json) as values: defaults,
// metric overrides, suites, rules matched by benchmark name, size budgets;
// the rules that apply to one benchmark; and reading and finding gate.json.
// Including it gives the whole policy/ folder: limits (limit.hpp) and targets
// (target.hpp) too. docs/policy.md is the reference of the file format.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/metrics.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/model/statistic.hpp"
#include "gate/model/units.hpp"
#include "gate/policy/limit.hpp"
#include "gate/policy/target.hpp"

namespace gate {

/// One benchmark binary that `gate run` runs.
struct SuiteSpec {
  std::string name;               ///< the suite's name, also its baseline file's stem: [A-Za-z0-9._-]
  std::string binary;             ///< path as written; `gate run` resolves it against its build directory
  std::vector<std::string> args;  ///< extra arguments passed to the binary
  std::chrono::nanoseconds timeout{600'000'000'000};  ///< the whole run of the binary
};

/// A product binary (a program or library the project ships, not a
/// benchmark) whose size `gate run` measures and `gate compare` judges
/// against the size budgets, like a suite's binary.
struct BinarySpec {
  std::string name;    ///< also its baseline file's stem; shares the suites' names: [A-Za-z0-9._-]
  std::string binary;  ///< path as written; resolved against the build directory like a suite's
};

/// A product command that `gate run` times like a benchmark ("commands"):
/// its start-up and whole run, cold and warm. Its results are a suite named
/// `name` with the benchmarks "<name>/cold" and "<name>/warm" (real_time:
/// wall, cpu_time: user + system, peak_rss), one sample per round.
struct CommandSpec {
  std::string name;              ///< the suite's name; shares the suites' and product binaries' names: [A-Za-z0-9._-]
  std::vector<std::string> run;  ///< argv: run[0] relative to the build directory, absolute, or a bare name found in PATH
  int runs = 10;                 ///< rounds: samples of each benchmark, at least 1
  /// Runs per round between the cold and the warm run, not recorded: they
  /// bring the caches to the state a repeated use sees.
  int warmup = 1;
  std::chrono::nanoseconds timeout{60'000'000'000};  ///< one run of the command
  /// The exit status every run must have; unset: the first run's.
  std::optional<int> expect_exit;
  /// Given on stdin ("stdin": a line or a list of lines, each followed by
  /// a newline here); else stdin_file; else /dev/null.
  std::optional<std::string> stdin_text;
  std::optional<std::string> stdin_file;  ///< a file given on stdin ("stdin_file"), relative to the working directory
  std::string origin;                     ///< where it was set: "gate.json:40:5"
};

/// A metric derived from two benchmarks of one suite ("derived"): the ratio
/// of one benchmark's samples of a metric to another's, repetition by
/// repetition (round by round in a same-job A/B run) — a cache's speedup
/// (a miss's time over a hit's), how throughput scales with threads (8
/// threads' rate over 1's). The judge treats it as a benchmark of its own
/// named `name` with one metric `metric`, so rules give it targets and
/// limits like any other.
struct DerivedSpec {
  std::string name;         ///< the derived benchmark's name in reports and rules
  std::string suite;        ///< the suite both benchmarks are in
  std::string metric;       ///< the derived metric's name; declared under "metrics" (its direction says which way is better)
  std::string numerator;    ///< the benchmark whose samples are divided
  std::string denominator;  ///< the benchmark they are divided by
  std::string of = "cpu_time";  ///< the metric of both benchmarks the ratio is taken of
  std::string origin;       ///< where it was set: "gate.json:40:5"
};

/// Budget of one ELF section of a binary.
struct SectionBudget {
  std::optional<double> max;    ///< bytes; the section fails above it
  std::optional<Limit> growth;  ///< against the baseline's section size
  std::string max_text;         ///< as written, for reports
};

/// The size budget of one suite's binary: every matching "size" entry of the
/// policy merged in file order (later keys override earlier ones).
struct SizeBudget {
  std::optional<double> max;                      ///< bytes (file size); the binary fails above it
  std::string max_text;                           ///< as written: "50MB"
  std::optional<Limit> growth;                    ///< against the baseline's file size
  std::map<std::string, SectionBudget> sections;  ///< by section name (".text")
};

/// How a significant regression of a noisy metric (wall or CPU time, a
/// rate) is treated.
enum class TimingMode {
  judge,    ///< it fails the gate
  confirm,  ///< it is reported as regressed but fails only once a same-job re-run confirms it
};

/// "judge" / "confirm".
[[nodiscard]] std::string_view to_string(TimingMode mode);

/// What a suspect (a timing regression against a stored baseline that no
/// same-job re-run has confirmed yet) does to the gate.
enum class Unconfirmed {
  fail,  ///< it fails the gate: a regression no confirmation has seen fails closed
  pass,  ///< it does not fail; the headline says "PASSED with N unconfirmed suspects"
};

/// "fail" / "pass".
[[nodiscard]] std::string_view to_string(Unconfirmed mode);

/// What a comparison against a ref that holds no baselines for the runner
/// does: every benchmark is new.
enum class NoBaseline {
  pass,  ///< it passes; the headline says "no baseline for runner …" and how to record one
  fail,  ///< the gate could not judge (exit 2): a runner id typo must not pass every pull request
};

/// Values used where no rule says otherwise. The built-in values follow the
/// seeds: >10% slower fails, binaries may grow by 10% or 5 MB.
struct Defaults {
  std::string primary_metric = "cpu_time";
  /// Limit of the primary metric when no limit names it.
  Limit threshold = builtin_limit("+10%");
  double alpha = 0.05;      ///< false discovery rate across one comparison (Benjamini–Hochberg)
  int min_repetitions = 5;  ///< fewer samples on either side: a noisy metric is not tested
  int repetitions = 10;     ///< what `gate run` asks each benchmark for (at least 9)
  /// metric → limit, for every benchmark. Deterministic metrics are judged
  /// exactly, so these are tight.
  std::map<std::string, Limit> limits = {{"allocs_per_iter", builtin_limit("+0%")},
                                         {"instructions", builtin_limit("+1%")}};
  /// Growth budget of every binary; none when null in gate.json.
  std::optional<Limit> size_growth = builtin_limit("+10% or +5MB");
  /// How noisy-metric regressions against a STORED baseline (measured at
  /// another time: baselines/<runner>/ at a ref, a baseline file) are
  /// treated. Unset: TimingMode::confirm. Comparisons whose two sides were
  /// measured together (same-job A/B, two files given by the user) are
  /// always judged: see CompareOptions::stored_baseline.
  std::optional<TimingMode> timing;
  /// Whether a suspect that was never confirmed fails the gate.
  Unconfirmed unconfirmed = Unconfirmed::fail;
  /// Whether a runner without baselines at the ref passes or cannot be judged.
  NoBaseline no_baseline = NoBaseline::pass;
  /// A benchmark's calibrated noise (noise.json) raises its noisy metrics'
  /// relative threshold to noise_k × noise when that is larger. > 0.
  double noise_k = 3;
  /// noise_k × noise above this (a fraction: 0.5 = 50%): too noisy to judge
  /// at all; the verdict is noisy, never failed, never passed. > 0.
  double noise_ceiling = 0.5;
};

/// AbSettings::cpu and AbOptions::cpu: the highest-numbered CPU the gate
/// may use, whichever that is on the runner ("last" in gate.json and on the
/// command line). CPU 0 is the one that usually serves the machine's
/// interrupts and housekeeping.
inline constexpr int k_last_cpu = -1;
/// AbOptions::cpu: not pinned, whatever the policy's ab.cpu says (`--pin none`).
inline constexpr int k_no_cpu = -2;

/// How same-job A/B runs measure (gate.json "ab"), where the command line
/// of `gate run --ab` does not say. docs/policy.md, "ab".
struct AbSettings {
  /// Rounds; unset: the larger of defaults.repetitions and 15.
  std::optional<int> rounds;
  AbPairing pairing = AbPairing::suite;
  /// The one CPU both builds' benchmarks run on; k_last_cpu: the
  /// highest-numbered one the gate may use; unset: any.
  std::optional<int> cpu;
  /// Seconds of --benchmark_min_time of every suite in the rounds; unset:
  /// the suites' own arguments.
  std::optional<double> min_time;
};

/// A metric override from the policy's "metrics" object; unset fields keep
/// gate::describe_metric's answer.
struct MetricOverride {
  std::optional<Direction> direction;
  std::optional<MetricKind> kind;
  std::optional<std::string> unit;  ///< "ns", "B", "1/s" or ""
};

/// What applies to one benchmark after every matching rule.
struct BenchmarkRules {
  std::string primary_metric;
  /// metric → limit. Holds the defaults' per-metric limits, the rules'
  /// limits, and for the primary metric the threshold when no limit names it.
  std::map<std::string, Limit> limits;
  /// One per (metric, statistic), the later rule winning; `metric` empty
  /// means the primary metric. In file order of first appearance.
  std::vector<Target> targets;
};

namespace detail {
struct CompiledPolicy;  // globs and rules, private to policy/ (compiled.hpp)
}

/// A parsed policy. A default-constructed Policy is the built-in one.
/// Copies share the compiled rules and size entries (immutable).
struct Policy {
  std::string source;  ///< the file it came from; empty for the built-in default
  Defaults defaults;
  std::map<std::string, MetricOverride, std::less<>> metrics;
  std::vector<SuiteSpec> suites;  ///< in file order
  std::vector<BinarySpec> binaries;  ///< product binaries ("binaries"), in file order
  std::vector<DerivedSpec> derived;  ///< derived metrics ("derived"), in file order
  std::vector<CommandSpec> commands;  ///< product commands timed by `gate run` ("commands"), in file order
  AbSettings ab;  ///< how `gate run --ab` measures ("ab")

  /// The rules for one benchmark of one suite: defaults, then every rule
  /// whose globs match, in file order. Cheap: globs are compiled once, no
  /// regex. Throws gate::Error (with the offending rule's location) when the
  /// rules combine into something that cannot be judged, such as a threshold
  /// in nanoseconds on a primary metric that is a rate.
  [[nodiscard]] BenchmarkRules rules_for(std::string_view suite, std::string_view benchmark) const;

  /// gate::describe_metric with the policy's overrides applied.
  [[nodiscard]] MetricInfo describe(std::string_view metric) const;

  /// The size budget of a suite's binary: defaults.size_growth merged with
  /// every "size" entry whose glob matches the suite name; std::nullopt when
  /// nothing applies.
  [[nodiscard]] std::optional<SizeBudget> size_budget_for(std::string_view suite) const;

  /// The suite of that name, or nullptr.
  [[nodiscard]] const SuiteSpec* find_suite(std::string_view name) const;

  /// The product binary of that name, or nullptr.
  [[nodiscard]] const BinarySpec* find_binary(std::string_view name) const;

  /// The command of that name, or nullptr.
  [[nodiscard]] const CommandSpec* find_command(std::string_view name) const;

  /// How many rules the policy holds.
  [[nodiscard]] std::size_t rule_count() const;

 private:
  friend Policy parse_policy(std::string_view text, const std::string& source);
  std::shared_ptr<const detail::CompiledPolicy> m_compiled;  ///< null: no rules, no size entries
};

/// The built-in policy used when no gate.json is given: the Defaults above
/// with limits allocs_per_iter "+0%" and instructions "+1%", size growth
/// "+10% or +5MB", no suites, no rules, no size entries.
[[nodiscard]] Policy default_policy();

/// The largest gate.json read: 4 MiB. This repository's is 6 KB; a file
/// far larger is not a policy someone wrote.
inline constexpr std::size_t k_max_policy_bytes = std::size_t{4} << 20;

/// Parses gate.json text (JSON with // and /* */ comments). `source` names
/// it in messages. Throws gate::Error "<source>:<line>:<col>: <where>:
/// <what>" on bad JSON, unknown keys, wrong types and bad values, one line
/// (file text in it is escaped). The text is read by the gate's one JSON
/// reader (formats/json_reader.hpp) and refused as that reader refuses any
/// file: NUL anywhere, invalid UTF-8, numbers no double holds, nesting
/// deeper than 64 levels. On top of JSON, gate.json refuses duplicate keys,
/// control characters in its keys and strings even when escaped (""),
/// and more than k_max_policy_bytes.
[[nodiscard]] Policy parse_policy(std::string_view text, const std::string& source);

/// Reads and parses a policy file; `source` in messages is the path as given.
/// Throws gate::Error "reading policy '<path>': <why>" when it is missing,
/// not a regular file, unreadable or larger than k_max_policy_bytes.
[[nodiscard]] Policy load_policy(const std::filesystem::path& path);

/// What a command uses when no policy file is named and the directory has
/// no gate.json.
enum class PolicyFallback {
  built_in,  ///< the built-in defaults (judging needs no suites): gate compare
  required,  ///< gate::Error — the command needs the suites a policy names: gate run, gate calibrate
};

/// The file name looked for: "gate.json".
inline constexpr std::string_view k_policy_file = "gate.json";

/// The policy of a command run in a working tree, found the one way every
/// command finds it: `explicit_path` (--policy) when given, which must be
/// readable; else `directory`/gate.json when it exists (source "gate.json"
/// for the current directory, as reports show it); else `fallback`: the
/// built-in defaults (default_policy(), empty source), or gate::Error "no
/// policy — there is no gate.json in <directory>; pass --policy FILE naming
/// the suites to run".
[[nodiscard]] Policy find_policy(const std::optional<std::filesystem::path>& explicit_path, PolicyFallback fallback,
                                 const std::filesystem::path& directory = ".");

/// The policy of a comparison against a git ref: `explicit_path` when given;
/// else `text_at_ref`, the ref's gate.json as the store read it from the
/// ref's tree (source "<ref>:gate.json"); else the built-in defaults, with
/// source "built-in defaults (<ref> has no gate.json)" so that reports say
/// why.
[[nodiscard]] Policy find_policy_at_ref(const std::optional<std::filesystem::path>& explicit_path,
                                        const std::optional<std::string>& text_at_ref, std::string_view ref);

}  // namespace gate
