// gate/include/gate/workflow/calibrate.hpp — `gate calibrate`: A/A runs of
// the policy's suites on one runner, the spread of each benchmark's median
// across them, and noise.json written (and committed) into
// baselines/<runner>/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gate/model/noise.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"
#include "gate/run/run.hpp"
#include "gate/store/baseline_store.hpp"

namespace gate {

/// Fewer runs than this say nothing about the spread of a median.
inline constexpr int k_min_calibration_runs = 3;

/// The noise of `runs` (the same suites run N times, A/A): for every suite,
/// benchmark and noisy metric (MetricKind::noisy) with samples in at least
/// k_min_calibration_runs of the runs, the spread of its per-run medians.
/// Benchmarks that errored, metrics from aggregates only and failed suites are
/// left out. Runner, commit and time come from the first run.
/// Throws gate::Error when fewer than k_min_calibration_runs runs are given.
[[nodiscard]] NoiseTable measure_noise(const std::vector<RunBundle>& runs, int repetitions = 0);

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
