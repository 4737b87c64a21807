// gate/include/gate/noise.hpp — a runner's calibrated noise: how far the
// median of each benchmark's noisy metrics moves from one run to the next on
// that runner when nothing changed (A/A). `gate calibrate` measures it and
// stores it in baselines/<runner>/noise.json; compare() raises a noisy
// benchmark's threshold by it. docs/noise.md explains the numbers.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/baseline_store.hpp"
#include "gate/execute.hpp"
#include "gate/model.hpp"
#include "gate/policy.hpp"

namespace gate {

/// The file name inside baselines/<runner>/.
inline constexpr std::string_view k_noise_file = "noise.json";
inline constexpr std::string_view k_noise_schema = "perfgate-noise";
inline constexpr int k_noise_schema_version = 1;
/// What NoiseEntry::spread is, as reports and noise.json state it.
inline constexpr std::string_view k_noise_statistic = "1.4826·MAD / median of the per-run medians";
/// Fewer runs than this say nothing about the spread of a median.
inline constexpr int k_min_calibration_runs = 3;

/// The noise of one metric of one benchmark.
struct NoiseEntry {
  /// The robust relative spread of the benchmark's per-run medians:
  /// 1.4826 · MAD(medians) / |median(medians)| (a fraction: 0.061 is 6.1%).
  /// The MAD, not the standard deviation, so that one run disturbed by
  /// another job does not make a benchmark look noisy for good.
  double spread = 0;
  std::size_t runs = 0;  ///< n: how many runs' medians it rests on
};

/// One suite's noise from one calibration.
struct SuiteNoise {
  std::string commit;  ///< the commit the calibration measured, when known
  std::string time;    ///< when it started, ISO 8601 UTC
  int runs = 0;        ///< runs of the suite
  int repetitions = 0; ///< repetitions per benchmark in each run (0: unknown)
  /// benchmark name → noisy metric name → noise.
  std::map<std::string, std::map<std::string, NoiseEntry>> benchmarks;
};

/// A runner's noise.json.
struct NoiseTable {
  std::string runner;                       ///< the runner id it was measured on
  std::map<std::string, SuiteNoise> suites;  ///< by suite name
  std::string source;                       ///< where it was read from, for reports; not written

  /// The entry of one metric, or nullptr.
  [[nodiscard]] const NoiseEntry* find(std::string_view suite, std::string_view benchmark,
                                       std::string_view metric) const;
};

/// The noise of `runs` (the same suites run N times, A/A): for every suite,
/// benchmark and noisy metric (MetricKind::noisy) with samples in at least
/// k_min_calibration_runs of the runs, the spread of its per-run medians.
/// Benchmarks that errored, metrics from aggregates only and failed suites are
/// left out. Runner, commit and time come from the first run.
/// Throws gate::Error when fewer than k_min_calibration_runs runs are given.
[[nodiscard]] NoiseTable measure_noise(const std::vector<RunBundle>& runs, int repetitions = 0);

/// noise.json's text: schema, version, runner, the statistic in words, then
/// suites, benchmarks and metrics in sorted order, spreads rounded to 1e-6
/// and a final newline — the same table gives the same bytes.
[[nodiscard]] std::string write_noise(const NoiseTable& table);

/// Reads what write_noise() wrote. NoiseTable::source = `source`. Throws
/// gate::Error "<source>:<line>:<col>: <what>" for invalid JSON, another
/// schema, a newer version, a missing or ill-typed field, a negative or
/// non-finite spread, or an invalid runner id.
[[nodiscard]] NoiseTable parse_noise(std::string_view text, const std::string& source);

/// What `gate calibrate` does beyond running suites.
struct CalibrateOptions {
  RunOptions run;  ///< what each run measures (build dir, suites, runner, repo for the commit)
  int runs = 5;    ///< A/A runs, at least k_min_calibration_runs
  bool commit = false;       ///< commit noise.json (and only it)
  bool allow_debug = false;  ///< calibrate a debug build (refused by default, as baselines)
  std::filesystem::path repo = ".";  ///< the repository whose baselines/<runner>/ gets noise.json
};

/// What calibrate() did.
struct CalibrationResult {
  NoiseTable table;                  ///< as written: the suites measured, merged into what was there
  std::filesystem::path written;     ///< relative to the repository root
  std::string summary;               ///< one line per suite measured: benchmarks, median and largest noise
  std::optional<CommitInfo> commit;  ///< when asked and the file changed
};

/// Runs the policy's suites `options.runs` times with run_suites() (each run
/// with the policy's repetitions, or options.run.repetitions), measures the
/// noise (measure_noise) and writes baselines/<runner>/noise.json atomically
/// (write_baseline_files). Suites measured replace their entries; other
/// suites of an existing noise.json are kept. Throws gate::Error, with
/// nothing written, for fewer than k_min_calibration_runs runs, a suite that
/// failed in any run, results of a GATE_INJECT build, of a debug build
/// (context build_type) unless allowed, or an existing noise.json that
/// cannot be read (delete it to start afresh).
CalibrationResult calibrate(const Policy& policy, const CalibrateOptions& options, RunObserver* observer = nullptr);

/// Writes `measured` into `repo`'s baselines/<runner>/noise.json, merging
/// with the file there as calibrate() does, and commits it when asked. The
/// merge and write half of calibrate(), for results measured elsewhere.
CalibrationResult record_noise(const std::filesystem::path& repo, const NoiseTable& measured, bool commit);

}  // namespace gate
