// gate/src/workflow/calibrate.cpp — calibration: the spread of each
// benchmark's median across A/A runs on one runner, and `gate calibrate`'s
// runs and write.
#include "gate/workflow/calibrate.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "gate/error.hpp"
#include "gate/formats/noise_file.hpp"
#include "gate/model/units.hpp"
#include "gate/stats/stats.hpp"
#include "gate/workflow/record.hpp"

namespace gate {

NoiseTable measure_noise(const std::vector<RunBundle>& runs, int repetitions) {
  if (runs.size() < static_cast<std::size_t>(k_min_calibration_runs)) {
    throw Error(fmt::format("measuring noise: {} run{} given — the spread of a median needs at least {} runs",
                            runs.size(), runs.size() == 1 ? "" : "s", k_min_calibration_runs));
  }
  NoiseTable table;
  table.runner = runs.front().runner.id;
  // suite → benchmark → metric → one median per run that measured it.
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<double>>>> medians;
  std::map<std::string, int> suite_runs;
  for (const auto& run : runs) {
    for (const auto& suite : run.suites) {
      if (suite.failure) continue;
      ++suite_runs[suite.name];
      auto& by_bench = medians[suite.name];
      for (const auto& b : suite.benchmarks) {
        if (b.error || b.skipped) continue;
        for (const auto& m : b.metrics) {
          if (m.kind != MetricKind::noisy || m.from_aggregates || m.samples.empty()) continue;
          by_bench[b.name][m.name].push_back(stats::median(m.samples));
        }
      }
    }
  }
  for (const auto& [suite, by_bench] : medians) {
    SuiteNoise s;
    s.commit = runs.front().commit;
    s.time = runs.front().time;
    s.runs = suite_runs[suite];
    s.repetitions = repetitions;
    for (const auto& [bench, by_metric] : by_bench) {
      for (const auto& [metric, values] : by_metric) {
        if (values.size() < static_cast<std::size_t>(k_min_calibration_runs)) continue;
        double spread = stats::robust_cv(values);
        if (!std::isfinite(spread)) continue;  // medians around zero: no relative spread to speak of
        s.benchmarks[bench][metric] = NoiseEntry{spread, values.size()};
      }
    }
    if (!s.benchmarks.empty()) table.suites.emplace(suite, std::move(s));
  }
  return table;
}

CalibrationResult record_noise(const std::filesystem::path& repo, const NoiseTable& measured, bool commit) {
  // Reading noise.json, merging and committing it: one calibration at a time.
  BaselinesLock lock(repo);
  std::filesystem::path root = repo_root(repo);
  std::filesystem::path dir = baseline_dir(root, measured.runner);
  std::filesystem::path file = dir / k_noise_file;

  NoiseTable merged;
  std::ifstream in(file, std::ios::binary);
  if (in) {
    std::ostringstream text;
    text << in.rdbuf();
    try {
      merged = parse_noise(text.str(), file.string());
    } catch (const Error& e) {
      throw Error(fmt::format("{} — delete it to calibrate afresh", e.what()));
    }
    if (merged.runner != measured.runner) {
      throw Error(fmt::format("recording noise in '{}': it names runner '{}', not '{}'", file.string(), merged.runner,
                              measured.runner));
    }
  }
  merged.runner = measured.runner;

  std::vector<std::string> lines;
  for (const auto& [name, suite] : measured.suites) {
    std::vector<std::pair<double, std::string>> spreads;
    for (const auto& [bench, metrics] : suite.benchmarks) {
      for (const auto& [metric, e] : metrics) spreads.emplace_back(e.spread, bench + " " + metric);
    }
    std::sort(spreads.begin(), spreads.end());
    std::string line = fmt::format("{}: {} benchmarks, {} runs", name, suite.benchmarks.size(), suite.runs);
    if (suite.repetitions > 0) line += fmt::format(" × {} repetitions", suite.repetitions);
    if (!spreads.empty()) {
      line += fmt::format("; noise median {}, largest {} ({})", format_quantity(spreads[spreads.size() / 2].first, "%"),
                          format_quantity(spreads.back().first, "%"), spreads.back().second);
    }
    lines.push_back(std::move(line));
    merged.suites.insert_or_assign(name, suite);
  }

  CalibrationResult result;
  write_baseline_files(root, measured.runner, {{std::string(k_noise_file), write_noise(merged)}});
  result.written = std::filesystem::path(k_baselines_dir) / measured.runner / k_noise_file;
  merged.source = result.written.string();
  result.table = std::move(merged);
  result.summary = fmt::format("{}", fmt::join(lines, "\n"));
  if (commit) {
    std::string commit_of = measured.suites.empty() ? std::string() : measured.suites.begin()->second.commit;
    std::string message = fmt::format("perfgate: calibrate the noise of runner {}\n\nMeasured at {}.\n\n{}\n",
                                      measured.runner, commit_of.empty() ? "an unknown commit" : commit_of,
                                      result.summary);
    result.commit = commit_paths(root, {root / result.written}, message);
  }
  return result;
}

CalibrationResult calibrate(const Policy& policy, const CalibrateOptions& options, RunObserver* observer) {
  if (options.runs < k_min_calibration_runs) {
    throw Error(fmt::format("calibrating: --runs {} is too few — the spread of a median needs at least {} runs",
                            options.runs, k_min_calibration_runs));
  }
  // Found before minutes of benchmarks, not after.
  std::filesystem::path root = repo_root(options.repo);
  std::vector<RunBundle> runs;
  runs.reserve(static_cast<std::size_t>(options.runs));
  // Noise is timing's: product binaries have none to calibrate.
  RunOptions suites_only = options.run;
  suites_only.products = false;
  for (int i = 0; i < options.runs; ++i) {
    if (observer != nullptr) observer->notice(fmt::format("calibration run {} of {}", i + 1, options.runs));
    RunBundle bundle = run_suites(policy, suites_only, observer);
    for (const auto& suite : bundle.suites) {
      check_recordable(suite, options.allow_debug, fmt::format("calibrating (run {} of {})", i + 1, options.runs));
    }
    if (!runs.empty() && bundle.runner.id != runs.front().runner.id) {
      throw Error(fmt::format("calibrating: run {} was measured on runner '{}', run 1 on '{}'", i + 1,
                              bundle.runner.id, runs.front().runner.id));
    }
    runs.push_back(std::move(bundle));
  }
  int repetitions = options.run.repetitions.value_or(policy.defaults.repetitions);
  return record_noise(root, measure_noise(runs, repetitions), options.commit);
}

}  // namespace gate
