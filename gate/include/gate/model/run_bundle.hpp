// gate/include/gate/model/run_bundle.hpp — the data model: run bundle, suite, benchmark,
// metric samples, binary size and runner. Plain values, no behaviour beyond
// look-ups; every other module reads and writes these.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/shard.hpp"

namespace gate {

/// Which way is better for a metric: time and misses lower, rates higher.
enum class Direction { lower_is_better, higher_is_better };

/// Noisy metrics (wall and CPU time, rates) are judged on repetitions with
/// statistics; deterministic ones (instruction counts from callgrind,
/// allocations, sizes) exactly against their limit.
enum class MetricKind { noisy, deterministic };

/// The samples of one metric of one benchmark: one value per repetition.
struct Metric {
  std::string name;  ///< "real_time", "cpu_time", "items_per_second", a user counter, ...
  std::string unit;  ///< "ns" for every time (normalised), "1/s" for rates, "B" for bytes, "" for counts
  Direction direction = Direction::lower_is_better;
  MetricKind kind = MetricKind::noisy;
  std::vector<double> samples;  ///< per repetition, in `unit`
  /// True when the file held no per-repetition rows and the samples were
  /// taken from aggregate rows (mean or median): the test is weaker.
  bool from_aggregates = false;
  /// Same-job A/B runs only (RunBundle::ab): the round (1-based) each sample
  /// was measured in, one per sample; base and head samples of the same
  /// round form a pair. Empty for every other run.
  std::vector<int> rounds;
};

/// One benchmark instance as Google Benchmark names it (its run_name, such as
/// "BM_Sort/1024/threads:4"). The name is the baseline key.
struct Benchmark {
  std::string name;
  int threads = 1;
  std::string label;
  std::int64_t iterations = 0;  ///< iterations of the last repetition
  int repetitions = 0;          ///< repetition rows seen
  std::vector<Metric> metrics;  ///< in the order first seen
  /// Aggregate rows as reported: aggregate name ("mean", "median", "stddev",
  /// "cv", or a custom statistic) → metric name → value (times in ns).
  std::map<std::string, std::map<std::string, double>> aggregates;
  std::optional<std::string> error;    ///< error_occurred: the error message
  std::optional<std::string> skipped;  ///< skipped (newer Google Benchmark): the message

  [[nodiscard]] const Metric* metric(std::string_view metric_name) const;
  [[nodiscard]] Metric* metric(std::string_view metric_name);
};

/// A complexity fit (BigO and RMS rows) of one benchmark family.
struct ComplexityFit {
  std::string family;  ///< the run_name the fit belongs to, e.g. "BM_Sort"
  std::string big_o;   ///< "(1)", "lgN", "N", "NlgN", "N^2", "N^3", "f(N)"
  double cpu_coefficient = 0;
  double real_coefficient = 0;
  double rms = 0;  ///< normalised root mean square error of the fit
  /// The same-job A/B round the fit was made in (1-based; a round runs
  /// every instance of the family once); 0 outside an A/B run.
  int round = 0;
};

/// Size of one ELF section.
struct SectionSize {
  std::string name;  ///< ".text", ".rodata", ...
  std::uint64_t size = 0;
};

/// Size of a binary on disk and by section.
struct BinarySize {
  std::string path;  ///< as given (relative to the build directory when inside it)
  std::uint64_t file_size = 0;
  std::vector<SectionSize> sections;
  std::string text_hash;  ///< hex hash of the code (.text) — equal hashes mean unchanged code
};

/// A product command the policy names ("commands"): what ran, and the exit
/// status every one of its runs had. A comparison fails when the contender's
/// status differs from the baseline's.
struct CommandRun {
  std::vector<std::string> argv;  ///< as the policy wrote it (run[0] before it was resolved)
  int exit_code = 0;              ///< 0 to 255
};

/// One benchmark binary's results: what `gate run` recorded for it, or one
/// Google Benchmark JSON file.
struct Suite {
  std::string name;  ///< "bench_clew"; from the policy, or the executable's name
  std::map<std::string, std::string> context;  ///< Google Benchmark's context, scalar values as text
  std::vector<Benchmark> benchmarks;           ///< in file order
  std::vector<ComplexityFit> complexity;
  std::optional<BinarySize> binary;
  /// A product binary the policy names ("binaries"), not a benchmark
  /// binary: only its size was measured; it has no benchmarks.
  bool product = false;
  /// Set for a product command the policy names ("commands"): its
  /// benchmarks "<name>/cold" and "<name>/warm" time the command's runs.
  std::optional<CommandRun> command;
  /// The suite could not be measured (crashed, timed out, printed invalid
  /// JSON): what happened and the tail of its stderr. Never dropped.
  std::optional<std::string> failure;

  [[nodiscard]] const Benchmark* find(std::string_view benchmark_name) const;
};

/// Where the results were measured.
struct Runner {
  std::string id;  ///< sanitised: [a-z0-9._-], at most 64 characters
  /// cpu_model, logical_cores, caches, os, kernel, compiler, build_type, ...
  std::map<std::string, std::string> fingerprint;
};

/// What the two runs of an A/B pair hold (`gate run --ab --pair`).
enum class AbPairing {
  suite,      ///< each build runs the whole suite, back to back
  benchmark,  ///< each build runs one benchmark (a complexity family together), back to back
};

[[nodiscard]] std::string_view to_string(AbPairing pairing);

/// The base build's side of a same-job A/B run (`gate run --ab BASE HEAD`).
/// RunBundle::suites holds the head build's side, so that a reader that
/// knows nothing of A/B still reads a valid run of the head build.
struct AbRun {
  std::string base_build_dir;  ///< as given on the command line
  std::string head_build_dir;
  int rounds = 0;              ///< rounds asked for; each sample carries its round in Metric::rounds
  std::uint32_t seed = 0;      ///< seed of the suite order and of the side that starts, to replay the schedule
  /// How close the two runs of a pair are (absent from older bundles: suite).
  AbPairing pairing = AbPairing::suite;
  /// The one CPU every benchmark run of both builds ran on (`--pin`);
  /// unset: any the gate could use.
  std::optional<int> cpu;
  /// Seconds of --benchmark_min_time every suite ran with in the rounds,
  /// when the run set it (`--min-time`); unset: the policy's suite arguments.
  std::optional<double> min_time;
  std::vector<Suite> base_suites;  ///< the base build's results, suite for suite; a suite absent here is new in head
  /// Suite → one letter per round that ran: 'b' the base build ran first in
  /// that round, 'h' the head build.
  std::map<std::string, std::string> first;
};

/// Everything one `gate run` measured; also what a plain Google Benchmark
/// file is read into (one suite, no runner).
struct RunBundle {
  Runner runner;
  std::string commit;  ///< git commit the results were measured at, when known
  std::string ref;     ///< git ref, when known
  std::string time;    ///< ISO 8601 UTC
  std::vector<Suite> suites;
  std::string source;  ///< the file it was read from, for messages
  /// Read from a stored baseline file (schema "perfgate-baseline"):
  /// measured at another time, so `gate compare` treats it like
  /// baselines/<runner>/ at a ref (CompareOptions::stored_baseline).
  bool stored = false;
  /// Set for a same-job A/B run: the base side; `suites` is then the head side.
  std::optional<AbRun> ab;
  /// Set for `gate run --shard i/n`: the part of the benchmarks this run
  /// measured (model/shard.hpp). `gate merge` joins all n into one bundle.
  std::optional<Shard> shard;

  [[nodiscard]] const Suite* find(std::string_view suite_name) const;
};

}  // namespace gate
