// gate/include/gate/model/noise.hpp — a runner's calibrated noise as values:
// how far the median of each benchmark's noisy metrics moves from one run to
// the next on that runner when nothing changed (A/A). `gate calibrate`
// measures it (workflow/calibrate.hpp) into baselines/<runner>/noise.json
// (formats/noise_file.hpp); the judge raises a noisy benchmark's threshold by
// it. docs/noise.md explains the numbers.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace gate {

/// What NoiseEntry::spread is, as reports and noise.json state it.
inline constexpr std::string_view k_noise_statistic = "1.4826·MAD / median of the per-run medians";

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

}  // namespace gate
