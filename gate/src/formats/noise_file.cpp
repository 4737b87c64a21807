// gate/src/formats/noise_file.cpp — writing and reading noise.json.
#include "gate/formats/noise_file.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>

#include "formats/json_reader.hpp"
#include "gate/error.hpp"
#include "gate/model/names.hpp"

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
// re-calibration that changes nothing real changes few bytes. The reader
// refuses spreads above k_max_spread, so v * 1e6 stays finite and the text
// reads back to the value written.
std::string number(double v) { return fmt::format("{}", std::round(v * 1e6) / 1e6); }

/// The largest spread noise.json holds: a robust spread is a fraction of the
/// median, and 1e6 (a spread a million times the median) is no calibration
/// anyone could use — beyond it, the number is a broken or forged file.
constexpr double k_max_spread = 1e6;

/// The first unknown key of the file: where, and the message. It is refused
/// once the whole text is known to be well-formed JSON, so that a broken file
/// is told as broken first.
using Unknown = std::optional<std::pair<std::size_t, std::string>>;

void unknown(JsonReader& r, Unknown& first, std::string_view in) {
  if (!first) {
    first = {r.key_offset(), fmt::format("unknown key '{}' in {} (docs/noise.md lists the keys of schema_version {})",
                                         r.key(), in, k_noise_schema_version)};
  }
  r.skip_value();
}

/// Refuses the current key when `seen` already holds it: the last of two
/// values would win without a word.
void once(JsonReader& r, std::vector<std::string>& seen) {
  std::string key(r.key());
  if (std::find(seen.begin(), seen.end(), key) != seen.end()) r.fail_at(r.key_offset(), fmt::format("duplicate key '{}'", key));
  seen.push_back(std::move(key));
}

void check_name(JsonReader& r, std::string_view name, std::size_t at, std::string_view what) {
  if (auto why = benchmark_name_problem(name)) r.fail_at(at, fmt::format("{} '{}' is not allowed: {}", what, name, *why));
}

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

NoiseEntry read_entry(JsonReader& r, Unknown& first) {
  if (r.peek() != JsonType::object) r.fail_type("an object {\"spread\": ..., \"n\": ...}");
  std::size_t at = r.value_offset();
  NoiseEntry e;
  bool have_spread = false;
  bool have_n = false;
  std::vector<std::string> seen;
  r.begin_object();
  while (r.next_member()) {
    once(r, seen);
    if (r.key() == "spread") {
      if (r.peek() != JsonType::number) r.fail_type("a number for 'spread'");
      std::size_t spread_at = r.value_offset();
      e.spread = r.read_double();
      if (!(e.spread >= 0) || !(e.spread <= k_max_spread)) {
        r.fail_at(spread_at, fmt::format("spread {} is not a fraction from 0 to {}", e.spread, k_max_spread));
      }
      have_spread = true;
    } else if (r.key() == "n") {
      e.runs = static_cast<std::size_t>(read_count(r, "n"));
      have_n = true;
    } else {
      unknown(r, first, "a noise entry");
    }
  }
  if (!have_spread || !have_n) {
    if (first) r.fail_at(first->first, first->second);  // "unknown key 'spraed'" says more
    r.fail_at(at, "a noise entry needs 'spread' and 'n'");
  }
  return e;
}

SuiteNoise read_suite(JsonReader& r, const std::string& suite, Unknown& first) {
  if (r.peek() != JsonType::object) r.fail_type("an object for a suite");
  SuiteNoise s;
  std::vector<std::string> seen;
  r.begin_object();
  while (r.next_member()) {
    once(r, seen);
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
        check_name(r, bench, bench_at, "benchmark name");
        if (s.benchmarks.contains(bench)) r.fail_at(bench_at, fmt::format("benchmark '{}' appears twice", bench));
        auto& metrics = s.benchmarks[bench];
        if (r.peek() != JsonType::object) r.fail_type("an object of metrics");
        r.begin_object();
        while (r.next_member()) {
          std::string metric(r.key());
          std::size_t metric_at = r.key_offset();
          check_name(r, metric, metric_at, "metric name");
          if (metrics.contains(metric)) r.fail_at(metric_at, fmt::format("metric '{}' appears twice", metric));
          metrics.emplace(std::move(metric), read_entry(r, first));
        }
      }
    } else {
      unknown(r, first, "suite '" + suite + "'");
    }
  }
  return s;
}

}  // namespace

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
  std::vector<std::string> seen;
  Unknown first_unknown;
  r.begin_object();
  while (r.next_member()) {
    once(r, seen);
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
      if (version < 1) r.fail_at(at, fmt::format("schema_version {} is not valid", version));
      if (version > k_noise_schema_version) {
        r.fail_at(at, fmt::format("schema_version {} is newer than this gate reads ({}) — update the gate", version,
                                  k_noise_schema_version));
      }
    } else if (key == "runner") {
      std::size_t at = r.value_offset();
      table.runner = read_text(r, "runner");
      if (auto why = runner_id_problem(table.runner)) {
        r.fail_at(at, fmt::format("runner id '{}' is not allowed: {}", table.runner, *why));
      }
      have_runner = true;
    } else if (key == "suites") {
      if (r.peek() != JsonType::object) r.fail_type("an object for 'suites'");
      r.begin_object();
      while (r.next_member()) {
        std::string name(r.key());
        std::size_t at = r.key_offset();
        if (auto why = suite_name_problem(name)) r.fail_at(at, fmt::format("suite name '{}' is not allowed: {}", name, *why));
        if (table.suites.contains(name)) r.fail_at(at, fmt::format("suite '{}' appears twice", name));
        SuiteNoise suite = read_suite(r, name, first_unknown);
        table.suites.emplace(std::move(name), std::move(suite));
      }
    } else if (key == "statistic") {
      (void)read_text(r, "statistic");  // words for people; the statistic is the one this gate computes
    } else {
      unknown(r, first_unknown, "noise.json");
    }
  }
  r.expect_end();
  if (first_unknown) r.fail_at(first_unknown->first, first_unknown->second);
  if (!have_schema) r.fail_at(0, fmt::format("no 'schema' (expected '{}')", k_noise_schema));
  if (!have_runner) r.fail_at(0, "no 'runner'");
  return table;
}

}  // namespace gate
