// gate/src/noise.cpp — calibration: the spread of each benchmark's median
// across A/A runs on one runner, noise.json's format, and `gate calibrate`'s
// runs and write.
#include "gate/noise.hpp"

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "gate/error.hpp"
#include "gate/runner.hpp"
#include "gate/stats.hpp"
#include "gate/units.hpp"
#include "json_reader.hpp"

namespace gate {
namespace {

using detail::JsonReader;
using detail::JsonType;

std::string json_string(std::string_view s) {
  // Benchmark names are whatever a suite printed: escape them as JSON, and
  // replace invalid UTF-8 rather than fail on it.
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Spreads are kept to a millionth: enough for any threshold, and a
// re-calibration that changes nothing real changes few bytes.
std::string number(double v) { return fmt::format("{}", std::round(v * 1e6) / 1e6); }

std::string context_value(const Suite& s, const std::string& key) {
  auto it = s.context.find(key);
  return it == s.context.end() ? std::string() : it->second;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// --- parsing ------------------------------------------------------------------

std::string read_text(JsonReader& r, std::string_view what) {
  if (r.peek() != JsonType::string) r.fail_type(fmt::format("a string for '{}'", what));
  return std::string(r.read_string());
}

int read_count(JsonReader& r, std::string_view what) {
  if (r.peek() != JsonType::number) r.fail_type(fmt::format("a whole number for '{}'", what));
  std::size_t at = r.value_offset();
  std::int64_t v = r.read_int64();
  if (v < 0 || v > 1'000'000) r.fail_at(at, fmt::format("'{}' {} is out of range", what, v));
  return static_cast<int>(v);
}

NoiseEntry read_entry(JsonReader& r) {
  if (r.peek() != JsonType::object) r.fail_type("an object {\"spread\": ..., \"n\": ...}");
  std::size_t at = r.value_offset();
  NoiseEntry e;
  bool have_spread = false;
  bool have_n = false;
  r.begin_object();
  while (r.next_member()) {
    if (r.key() == "spread") {
      if (r.peek() != JsonType::number) r.fail_type("a number for 'spread'");
      std::size_t spread_at = r.value_offset();
      e.spread = r.read_double();
      if (!(e.spread >= 0) || !std::isfinite(e.spread)) {
        r.fail_at(spread_at, fmt::format("spread {} is not a finite fraction of at least 0", e.spread));
      }
      have_spread = true;
    } else if (r.key() == "n") {
      e.runs = static_cast<std::size_t>(read_count(r, "n"));
      have_n = true;
    } else {
      r.skip_value();
    }
  }
  if (!have_spread || !have_n) r.fail_at(at, "a noise entry needs 'spread' and 'n'");
  return e;
}

SuiteNoise read_suite(JsonReader& r) {
  if (r.peek() != JsonType::object) r.fail_type("an object for a suite");
  SuiteNoise s;
  r.begin_object();
  while (r.next_member()) {
    std::string_view key = r.key();
    if (key == "commit") {
      s.commit = read_text(r, "commit");
    } else if (key == "time") {
      s.time = read_text(r, "time");
    } else if (key == "runs") {
      s.runs = read_count(r, "runs");
    } else if (key == "repetitions") {
      s.repetitions = read_count(r, "repetitions");
    } else if (key == "benchmarks") {
      if (r.peek() != JsonType::object) r.fail_type("an object for 'benchmarks'");
      r.begin_object();
      while (r.next_member()) {
        std::string bench(r.key());
        std::size_t bench_at = r.key_offset();
        if (s.benchmarks.contains(bench)) r.fail_at(bench_at, fmt::format("benchmark '{}' appears twice", bench));
        auto& metrics = s.benchmarks[bench];
        if (r.peek() != JsonType::object) r.fail_type("an object of metrics");
        r.begin_object();
        while (r.next_member()) {
          std::string metric(r.key());
          std::size_t metric_at = r.key_offset();
          if (metrics.contains(metric)) r.fail_at(metric_at, fmt::format("metric '{}' appears twice", metric));
          metrics.emplace(std::move(metric), read_entry(r));
        }
      }
    } else {
      r.skip_value();
    }
  }
  return s;
}

}  // namespace

const NoiseEntry* NoiseTable::find(std::string_view suite, std::string_view benchmark, std::string_view metric) const {
  auto s = suites.find(std::string(suite));
  if (s == suites.end()) return nullptr;
  auto b = s->second.benchmarks.find(std::string(benchmark));
  if (b == s->second.benchmarks.end()) return nullptr;
  auto m = b->second.find(std::string(metric));
  return m == b->second.end() ? nullptr : &m->second;
}

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

std::string write_noise(const NoiseTable& table) {
  std::string out = "{\n";
  out += fmt::format("  \"schema\": {},\n", json_string(k_noise_schema));
  out += fmt::format("  \"schema_version\": {},\n", k_noise_schema_version);
  out += fmt::format("  \"runner\": {},\n", json_string(table.runner));
  out += fmt::format("  \"statistic\": {},\n", json_string(k_noise_statistic));
  out += "  \"suites\": {";
  bool first_suite = true;
  for (const auto& [name, s] : table.suites) {
    out += first_suite ? "\n" : ",\n";
    first_suite = false;
    out += fmt::format("    {}: {{\n", json_string(name));
    out += fmt::format("      \"commit\": {},\n", json_string(s.commit));
    out += fmt::format("      \"time\": {},\n", json_string(s.time));
    out += fmt::format("      \"runs\": {},\n", s.runs);
    out += fmt::format("      \"repetitions\": {},\n", s.repetitions);
    out += "      \"benchmarks\": {";
    bool first_bench = true;
    for (const auto& [bench, metrics] : s.benchmarks) {
      out += first_bench ? "\n" : ",\n";
      first_bench = false;
      out += fmt::format("        {}: {{", json_string(bench));
      bool first_metric = true;
      for (const auto& [metric, e] : metrics) {
        out += first_metric ? "\n" : ",\n";
        first_metric = false;
        out += fmt::format("          {}: {{\"spread\": {}, \"n\": {}}}", json_string(metric), number(e.spread), e.runs);
      }
      out += metrics.empty() ? "}" : "\n        }";
    }
    out += s.benchmarks.empty() ? "}\n" : "\n      }\n";
    out += "    }";
  }
  out += table.suites.empty() ? "}\n" : "\n  }\n";
  out += "}\n";
  return out;
}

NoiseTable parse_noise(std::string_view text, const std::string& source) {
  JsonReader r(text, source);
  detail::expect_object_document(r, "a perfgate noise file", "");
  NoiseTable table;
  table.source = source;
  bool have_schema = false;
  bool have_runner = false;
  r.begin_object();
  while (r.next_member()) {
    std::string_view key = r.key();
    if (key == "schema") {
      std::size_t at = r.value_offset();
      std::string schema = read_text(r, "schema");
      if (schema != k_noise_schema) {
        r.fail_at(at, fmt::format("schema '{}' is not '{}'", schema, k_noise_schema));
      }
      have_schema = true;
    } else if (key == "schema_version") {
      std::size_t at = r.value_offset();
      int version = read_count(r, "schema_version");
      if (version > k_noise_schema_version) {
        r.fail_at(at, fmt::format("schema_version {} is newer than this gate reads ({}) — update the gate", version,
                                  k_noise_schema_version));
      }
    } else if (key == "runner") {
      std::size_t at = r.value_offset();
      table.runner = read_text(r, "runner");
      try {
        sanitize_runner_id(table.runner);
      } catch (const Error& e) {
        r.fail_at(at, e.what());
      }
      have_runner = true;
    } else if (key == "suites") {
      if (r.peek() != JsonType::object) r.fail_type("an object for 'suites'");
      r.begin_object();
      while (r.next_member()) {
        std::string name(r.key());
        std::size_t at = r.key_offset();
        if (table.suites.contains(name)) r.fail_at(at, fmt::format("suite '{}' appears twice", name));
        table.suites.emplace(std::move(name), read_suite(r));
      }
    } else {
      r.skip_value();
    }
  }
  r.expect_end();
  if (!have_schema) r.fail_at(0, fmt::format("no 'schema' (expected '{}')", k_noise_schema));
  if (!have_runner) r.fail_at(0, "no 'runner'");
  return table;
}

CalibrationResult record_noise(const std::filesystem::path& repo, const NoiseTable& measured, bool commit) {
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
      if (suite.failure) {
        throw Error(fmt::format("calibrating: suite '{}' failed in run {} of {} ({}), nothing written", suite.name,
                                i + 1, options.runs, first_line(*suite.failure)));
      }
      std::string inject = context_value(suite, "gate_inject");
      if (!inject.empty() && inject != "none") {
        throw Error(fmt::format("calibrating: suite '{}' was built with GATE_INJECT={} (a deliberately slow build), "
                                "nothing written",
                                suite.name, inject));
      }
      if (lowercase(context_value(suite, "build_type")) == "debug" && !options.allow_debug) {
        throw Error(fmt::format("calibrating: suite '{}' comes from a debug build (context build_type), nothing "
                                "written — build with the release preset, or pass --allow-debug",
                                suite.name));
      }
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
