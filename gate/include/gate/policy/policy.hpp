// gate/include/gate/policy/policy.hpp — the policy (gate.json) as values: defaults,
// metric overrides, suites, rules matched by benchmark name, size budgets;
// and the rules that apply to one benchmark. docs/policy.md is the reference
// of the file format.
#pragma once

#include <chrono>
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

namespace gate {

/// A tolerated change in a metric's worse direction: relative ("+5%"),
/// absolute in the metric's base unit ("+30ns"), or both joined ("+2% and
/// +30ns": fail only when both are exceeded; "+10% or +5MB": fail when
/// either is). Signs in the text are ignored: the magnitude counts.
struct Limit {
  enum class Join { single, both, either };

  std::optional<double> relative;                   ///< fraction: 0.05 for "+5%"
  std::optional<double> absolute;                   ///< in the metric's base unit (ns, B, 1/s, count)
  Dimension absolute_dimension = Dimension::count;  ///< what `absolute` was written as
  Join join = Join::single;
  std::string text;    ///< as written, trimmed: "+2% and +30ns" — what a report shows
  std::string origin;  ///< where it was set: "gate.json:12:18", or "built-in default"

  /// The change from baseline to contender in the worse direction (positive
  /// = worse; contender - baseline when lower is better).
  [[nodiscard]] static double worse_change(double baseline, double contender, Direction direction);

  /// True when the contender is worse than the baseline by more than the
  /// limit allows. An improvement never exceeds. The relative change is
  /// taken against |baseline|; from a zero baseline any worsening counts as
  /// an infinite relative change. A change within 1e-9 (relative) of the
  /// limit is treated as equal to it, so "+0%" fails on any real increase
  /// but not on rounding. NaN in either value exceeds: bad input never passes.
  [[nodiscard]] bool exceeded(double baseline, double contender, Direction direction) const;

  /// The worst contender value that still passes, for reports ("allowed up
  /// to 110 ns"). A limit with neither part allows no change.
  [[nodiscard]] double allowed(double baseline, Direction direction) const;
};

/// Parses a limit ("+5%", "+30ns", "+2% and +30ns", "+10% or +5MB"). Throws
/// gate::Error ("bad limit '+5 parsecs': unknown unit 'parsecs' — ...").
/// Whether an absolute part fits a metric is checked by the policy, which
/// knows the metric.
[[nodiscard]] Limit parse_limit(std::string_view text);

/// parse_limit of a built-in value, with origin "built-in default".
[[nodiscard]] Limit builtin_limit(std::string_view text);

/// An absolute bound on a statistic of a metric ("p95 < 10ms").
struct Target {
  enum class Op { lt, le, gt, ge };

  std::string metric;     ///< empty: the primary metric of the benchmark
  Statistic statistic;    ///< median, mean, min, max, p90, p95 or p99 ("p50" reads as the median)
  Op op = Op::lt;
  double bound = 0;                        ///< in the metric's base unit
  Dimension dimension = Dimension::count;  ///< what `bound` was written as
  std::string text;                        ///< the bound as written, trimmed: "< 10ms" — what a report shows
  std::string origin;                      ///< where it was set: "gate.json:14:20"

  /// Whether `value` (the statistic, in the metric's base unit) satisfies
  /// the bound. NaN never does.
  [[nodiscard]] bool met(double value) const;
};

/// Parses a target value ("< 10ms", ">= 1M/s") for a key ("p95",
/// "real_time", "real_time.p95"). Throws gate::Error on bad text; whether the
/// key names a known metric and the bound fits it is checked by the policy.
[[nodiscard]] Target parse_target(std::string_view key, std::string_view value);

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
  /// A benchmark's calibrated noise (noise.json) raises its noisy metrics'
  /// relative threshold to noise_k × noise when that is larger. > 0.
  double noise_k = 3;
  /// noise_k × noise above this (a fraction: 0.5 = 50%): too noisy to judge
  /// at all; the verdict is noisy, never failed, never passed. > 0.
  double noise_ceiling = 0.5;
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
struct CompiledPolicy;  // globs and rules, private to policy.cpp
}

/// A parsed policy. A default-constructed Policy is the built-in one.
/// Copies share the compiled rules and size entries (immutable).
struct Policy {
  std::string source;  ///< the file it came from; empty for the built-in default
  Defaults defaults;
  std::map<std::string, MetricOverride, std::less<>> metrics;
  std::vector<SuiteSpec> suites;  ///< in file order
  std::vector<BinarySpec> binaries;  ///< product binaries ("binaries"), in file order

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

/// Parses gate.json text (JSON with // and /* */ comments). `source` names
/// it in messages. Throws gate::Error "<source>:<line>:<col>: <where>:
/// <what>" on bad JSON, unknown keys, wrong types and bad values.
[[nodiscard]] Policy parse_policy(std::string_view text, const std::string& source);

/// Reads and parses a policy file; `source` in messages is the path as given.
[[nodiscard]] Policy load_policy(const std::filesystem::path& path);

}  // namespace gate
