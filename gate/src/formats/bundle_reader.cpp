// gate/src/formats/bundle_reader.cpp — reading run bundles and baseline files
// (docs/bundle-format.md) back into the data model, refusing what the writer
// never writes, and telling a results file's kind by its content.
#include "gate/formats/bundle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/model/names.hpp"
#include "formats/json_reader.hpp"
#include "formats/sample_rules.hpp"

namespace gate {
namespace {

using detail::JsonReader;
using detail::JsonType;

/// The top-level facts that say what a file is.
struct Header {
  ResultsFormat format = ResultsFormat::google_benchmark;
  std::optional<std::int64_t> version;
  std::size_t version_offset = 0;
  std::size_t schema_offset = 0;  ///< of the "schema" value, or of the "benchmarks" key
};

// Reads top-level keys only until the kind is known: a perfgate file is told
// by "schema" (and then "schema_version" is looked for), Google Benchmark
// JSON by "benchmarks" or "context". Values in between are skipped, so a
// Google Benchmark file costs a few hundred bytes here, and our own files
// (which start with both keys) as little.
Header scan_header(std::string_view text, const std::string& source) {
  JsonReader r(text, source, {.allow_non_finite = true, .max_depth = 64});
  detail::expect_object_document(r, "google benchmark json or a perfgate file", "");
  Header h;
  bool have_schema = false;
  r.begin_object();
  while (r.next_member()) {
    std::string_view key = r.key();
    if (key == "schema") {
      std::size_t at = r.value_offset();
      h.schema_offset = at;
      if (r.peek() != JsonType::string) r.fail_type("a string for 'schema'");
      std::string_view schema = r.read_string();
      if (schema == k_bundle_schema) {
        h.format = ResultsFormat::perfgate_bundle;
      } else if (schema == k_baseline_schema) {
        h.format = ResultsFormat::perfgate_baseline;
      } else {
        r.fail_at(at, "unknown schema '" + std::string(schema) + "' (this gate reads '" +
                          std::string(k_bundle_schema) + "' and '" + std::string(k_baseline_schema) + "')");
      }
      have_schema = true;
    } else if (key == "schema_version") {
      h.version_offset = r.value_offset();
      if (r.peek() != JsonType::number) r.fail_type("an integer for 'schema_version'");
      h.version = r.read_int64();
    } else if (!have_schema && (key == "benchmarks" || key == "context")) {
      h.format = ResultsFormat::google_benchmark;
      h.schema_offset = r.key_offset();
      return h;
    } else {
      r.skip_value();
    }
    if (have_schema && h.version) return h;
  }
  if (have_schema) return h;  // the missing schema_version is reported by the parser
  r.fail_at(0, "neither google benchmark json nor a perfgate file (no 'benchmarks' or 'schema' key)");
}

void check_header(const Header& h, ResultsFormat want, std::string_view schema, const std::string& source,
                  std::string_view text) {
  JsonReader r(text, source);
  if (h.format != want) {
    std::string found = h.format == ResultsFormat::google_benchmark ? std::string("google benchmark json")
                        : h.format == ResultsFormat::perfgate_bundle ? "a run bundle ('" + std::string(k_bundle_schema) + "')"
                                                                     : "a baseline file ('" + std::string(k_baseline_schema) + "')";
    r.fail_at(h.schema_offset, "expected schema '" + std::string(schema) + "', found " + found);
  }
  if (!h.version) r.fail_at(0, "no 'schema_version'");
  if (*h.version > k_schema_version) {
    r.fail_at(h.version_offset, fmt::format("schema_version {} of '{}' is newer than this gate reads ({}): update gate",
                                            *h.version, schema, k_schema_version));
  }
  if (*h.version < 1) r.fail_at(h.version_offset, fmt::format("schema_version {} is not valid", *h.version));
}

/// Walks a bundle or baseline file. A key this gate does not know is refused,
/// as is a key given twice: the file is ours, so an unknown key is a typo or
/// a newer writer, and skipping it could hide data ("eror" for "error" would
/// turn a failed benchmark into a passing one). A newer writer that adds a
/// key raises schema_version, which this reader refuses by name.
class Parser {
 public:
  Parser(std::string_view text, const std::string& source) : m_r(text, source, {.allow_non_finite = false, .max_depth = 32}) {}

  RunBundle bundle();
  BaselineFile baseline();

 private:
  /// Iterates an object's members, refusing duplicate keys.
  template <typename F>
  void members(F&& on_member) {
    std::vector<std::string> seen;
    m_r.begin_object();
    while (m_r.next_member()) {
      std::string key(m_r.key());
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) m_r.fail_at(m_r.key_offset(), "duplicate key '" + key + "'");
      std::size_t key_at = m_r.key_offset();
      seen.push_back(key);
      on_member(key, key_at);
    }
  }
  void expect(JsonType t, std::string_view what) {
    if (m_r.peek() != t) m_r.fail_type(std::string(detail::describe(t)) + " for '" + std::string(what) + "'");
  }
  std::string text(std::string_view what) {
    expect(JsonType::string, what);
    return std::string(m_r.read_string());
  }
  double number(std::string_view what) {
    expect(JsonType::number, what);
    return m_r.read_double();
  }
  std::int64_t int64(std::string_view what) {
    expect(JsonType::number, what);
    return m_r.read_int64();
  }
  int small_int(std::string_view what, int min) {
    std::size_t at = m_r.value_offset();
    std::int64_t v = int64(what);
    if (v < min || v > INT_MAX) m_r.fail_at(at, fmt::format("'{}' is {}, expected {} or more", what, v, min));
    return static_cast<int>(v);
  }
  std::uint64_t uint64(std::string_view what) {
    expect(JsonType::number, what);
    return m_r.read_uint64();
  }
  void require(bool have, std::size_t object_at, std::string_view what, std::string_view key) {
    if (have) return;
    refuse_unknown();  // "unknown key 'sampels'" says more than "without 'samples'"
    m_r.fail_at(object_at, std::string(what) + " without '" + std::string(key) + "'");
  }
  /// Notes an unknown key and skips its value. The first one is refused
  /// once the text is known to be well-formed JSON (refuse_unknown), so that
  /// a broken file is told as broken first.
  void unknown(const std::string& key, std::size_t key_at, std::string_view in) {
    m_r.skip_value();
    if (!m_unknown) {
      m_unknown = {key_at, fmt::format("unknown key '{}' in {} (docs/bundle-format.md lists the keys of "
                                       "schema_version {})",
                                       key, in, k_schema_version)};
    }
  }
  void refuse_unknown() const {
    if (m_unknown) m_r.fail_at(m_unknown->first, m_unknown->second);
  }
  /// A benchmark, metric, aggregate or section name: the naming rule of
  /// model/names.hpp, at the name's place.
  void check_name(std::string_view name, std::size_t at, std::string_view what) {
    if (auto why = benchmark_name_problem(name)) m_r.fail_at(at, fmt::format("{} '{}' is not allowed: {}", what, name, *why));
  }
  /// A sample or aggregate of a metric that cannot be negative.
  double value_of(std::string_view metric, std::string_view what) {
    std::size_t at = m_r.value_offset();
    double v = number(what);
    if (v < 0 && detail::never_negative(metric)) {
      m_r.fail_at(at, fmt::format("{} of metric '{}' is negative ({})", what, metric, v));
    }
    return v;
  }

  /// `id_may_be_empty`: a bundle of plain Google Benchmark files has no runner.
  Runner runner(bool id_may_be_empty);
  Suite suite();
  CommandRun command();
  std::optional<BinarySize> binary();
  Benchmark benchmark();
  Metric metric(const std::string& name);
  ComplexityFit complexity_fit();
  std::vector<Suite> suites(std::string_view what);
  AbRun ab();
  Shard shard();

  /// A baseline file in a runner's directory (".../baselines/<runner>/<file>",
  /// also "<ref>:baselines/<runner>/<file>") is named for the suite it
  /// holds: a file that says otherwise would be merged as another suite's.
  void check_file_name(const std::string& suite_name) const;

  JsonReader m_r;
  std::size_t m_suite_name_offset = 0;
  std::optional<std::pair<std::size_t, std::string>> m_unknown;  ///< the first unknown key: where, and the message
};

void Parser::check_file_name(const std::string& suite_name) const {
  std::string_view path = m_r.source();
  auto last = path.find_last_of('/');
  if (last == std::string_view::npos) return;
  std::string_view file = path.substr(last + 1);
  std::string_view dirs = path.substr(0, last);
  auto runner_at = dirs.find_last_of('/');
  if (runner_at == std::string_view::npos) return;
  std::string_view parent = dirs.substr(0, runner_at);
  auto parent_at = parent.find_last_of("/:");
  if (parent_at != std::string_view::npos) parent = parent.substr(parent_at + 1);
  if (parent != "baselines") return;
  if (file != suite_name + ".json") {
    m_r.fail_at(m_suite_name_offset, fmt::format("suite '{}' is in the baseline file '{}': a suite's baseline file is "
                                                 "'{}.json' (rename the file or the suite)",
                                                 suite_name, file, suite_name));
  }
}

Runner Parser::runner(bool id_may_be_empty) {
  Runner runner;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "runner");
  bool id = false, fingerprint = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "id") {
      std::size_t v = m_r.value_offset();
      runner.id = text("id");
      if (!(id_may_be_empty && runner.id.empty())) {
        if (auto why = runner_id_problem(runner.id)) {
          m_r.fail_at(v, fmt::format("runner id '{}' is not allowed: {} (use 1 to {} characters from a-z 0-9 . _ -, "
                                     "not starting with '.')",
                                     runner.id, *why, k_max_runner_id));
        }
      }
      id = true;
    } else if (key == "fingerprint") {
      expect(JsonType::object, "fingerprint");
      members([&](const std::string& k, std::size_t) { runner.fingerprint[k] = text(k); });
      fingerprint = true;
    } else {
      unknown(key, key_at, "'runner'");
    }
  });
  require(id, at, "'runner'", "id");
  require(fingerprint, at, "'runner'", "fingerprint");
  return runner;
}

Metric Parser::metric(const std::string& name) {
  Metric m;
  m.name = name;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, name);
  bool unit = false, direction = false, kind = false, samples = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "unit") {
      m.unit = text(key);
      unit = true;
    } else if (key == "direction") {
      std::size_t v = m_r.value_offset();
      std::string d = text(key);
      if (d == to_string(Direction::lower_is_better)) {
        m.direction = Direction::lower_is_better;
      } else if (d == to_string(Direction::higher_is_better)) {
        m.direction = Direction::higher_is_better;
      } else {
        m_r.fail_at(v, "unknown direction '" + d + "' (expected lower or higher)");
      }
      direction = true;
    } else if (key == "kind") {
      std::size_t v = m_r.value_offset();
      std::string k = text(key);
      if (k == to_string(MetricKind::noisy)) {
        m.kind = MetricKind::noisy;
      } else if (k == to_string(MetricKind::deterministic)) {
        m.kind = MetricKind::deterministic;
      } else {
        m_r.fail_at(v, "unknown kind '" + k + "' (expected noisy or deterministic)");
      }
      kind = true;
    } else if (key == "samples") {
      expect(JsonType::array, key);
      m_r.begin_array();
      while (m_r.next_element()) m.samples.push_back(value_of(name, "a sample"));
      samples = true;
    } else if (key == "from_aggregates") {
      expect(JsonType::boolean, key);
      m.from_aggregates = m_r.read_bool();
    } else if (key == "rounds") {
      expect(JsonType::array, key);
      m_r.begin_array();
      while (m_r.next_element()) m.rounds.push_back(small_int("rounds", 1));
    } else {
      unknown(key, key_at, "metric '" + name + "'");
    }
  });
  std::string what = "metric '" + name + "'";
  require(unit, at, what, "unit");
  require(direction, at, what, "direction");
  require(kind, at, what, "kind");
  require(samples, at, what, "samples");
  // A round per sample or none: pairs are made by round, and a list that
  // does not match the samples would pair the wrong measurements.
  if (!m.rounds.empty() && m.rounds.size() != m.samples.size()) {
    m_r.fail_at(at, fmt::format("{} has {} rounds for {} samples", what, m.rounds.size(), m.samples.size()));
  }
  return m;
}

Benchmark Parser::benchmark() {
  Benchmark b;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "benchmarks");
  bool name = false, metrics = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "name") {
      std::size_t v = m_r.value_offset();
      b.name = text(key);
      check_name(b.name, v, "benchmark name");
      name = true;
    } else if (key == "threads") {
      b.threads = small_int(key, 1);
    } else if (key == "label") {
      b.label = text(key);
    } else if (key == "iterations") {
      std::size_t v = m_r.value_offset();
      b.iterations = int64(key);
      if (b.iterations < 0) m_r.fail_at(v, fmt::format("'iterations' is {}, expected 0 or more", b.iterations));
    } else if (key == "repetitions") {
      b.repetitions = small_int(key, 0);
    } else if (key == "error") {
      b.error = text(key);
    } else if (key == "skipped") {
      b.skipped = text(key);
    } else if (key == "metrics") {
      expect(JsonType::object, key);
      members([&](const std::string& metric_name, std::size_t name_at) {
        check_name(metric_name, name_at, "metric name");
        b.metrics.push_back(metric(metric_name));
      });
      metrics = true;
    } else if (key == "aggregates") {
      expect(JsonType::object, key);
      members([&](const std::string& aggregate, std::size_t aggregate_at) {
        check_name(aggregate, aggregate_at, "aggregate name");
        expect(JsonType::object, aggregate);
        auto& values = b.aggregates[aggregate];
        members([&](const std::string& metric_name, std::size_t name_at) {
          check_name(metric_name, name_at, "metric name");
          values[metric_name] = value_of(metric_name, "aggregate '" + aggregate + "'");
        });
      });
    } else {
      unknown(key, key_at, "benchmark '" + b.name + "'");
    }
  });
  require(name, at, "benchmark", "name");
  require(metrics, at, "benchmark '" + b.name + "'", "metrics");
  return b;
}

std::optional<BinarySize> Parser::binary() {
  BinarySize bin;
  expect(JsonType::object, "binary");
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "path") {
      bin.path = text(key);
    } else if (key == "file_size") {
      bin.file_size = uint64(key);
    } else if (key == "sections") {
      expect(JsonType::object, key);
      members([&](const std::string& section, std::size_t section_at) {
        check_name(section, section_at, "section name");
        bin.sections.push_back({section, uint64(section)});
      });
    } else if (key == "text_hash") {
      bin.text_hash = text(key);
    } else {
      unknown(key, key_at, "'binary'");
    }
  });
  return bin;
}

ComplexityFit Parser::complexity_fit() {
  ComplexityFit fit;
  expect(JsonType::object, "complexity");
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "family") {
      std::size_t v = m_r.value_offset();
      fit.family = text(key);
      check_name(fit.family, v, "complexity family");
    } else if (key == "big_o") {
      fit.big_o = text(key);
    } else if (key == "cpu_coefficient") {
      fit.cpu_coefficient = number(key);
    } else if (key == "real_coefficient") {
      fit.real_coefficient = number(key);
    } else if (key == "rms") {
      fit.rms = number(key);
    } else if (key == "round") {
      fit.round = small_int("round", 1);
    } else {
      unknown(key, key_at, "a complexity fit");
    }
  });
  return fit;
}

CommandRun Parser::command() {
  CommandRun c;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "command");
  bool argv = false, exit_code = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "argv") {
      expect(JsonType::array, key);
      m_r.begin_array();
      while (m_r.next_element()) c.argv.push_back(text("argv"));
      argv = true;
    } else if (key == "exit_code") {
      std::size_t v = m_r.value_offset();
      std::int64_t code = int64(key);
      if (code < 0 || code > 255) m_r.fail_at(v, fmt::format("'exit_code' is {}, expected 0 to 255", code));
      c.exit_code = static_cast<int>(code);
      exit_code = true;
    } else {
      unknown(key, key_at, "a command");
    }
  });
  require(argv, at, "command", "argv");
  require(exit_code, at, "command", "exit_code");
  return c;
}

Suite Parser::suite() {
  Suite s;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "suite");
  bool name = false, benchmarks = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "name") {
      std::size_t v = m_r.value_offset();
      s.name = text(key);
      check_name(s.name, v, "suite name");
      m_suite_name_offset = v;
      name = true;
    } else if (key == "context") {
      expect(JsonType::object, key);
      members([&](const std::string& k, std::size_t) { s.context[k] = text(k); });
    } else if (key == "product") {
      expect(JsonType::boolean, key);
      s.product = m_r.read_bool();
    } else if (key == "command") {
      s.command = command();
    } else if (key == "failure") {
      s.failure = text(key);
    } else if (key == "binary") {
      s.binary = binary();
    } else if (key == "benchmarks") {
      expect(JsonType::array, key);
      std::unordered_set<std::string> names;
      m_r.begin_array();
      while (m_r.next_element()) {
        std::size_t b_at = m_r.value_offset();
        Benchmark b = benchmark();
        if (!names.insert(b.name).second) m_r.fail_at(b_at, "benchmark '" + b.name + "' appears twice");
        s.benchmarks.push_back(std::move(b));
      }
      benchmarks = true;
    } else if (key == "complexity") {
      expect(JsonType::array, key);
      m_r.begin_array();
      while (m_r.next_element()) s.complexity.push_back(complexity_fit());
    } else {
      unknown(key, key_at, "suite '" + s.name + "'");
    }
  });
  require(name, at, "suite", "name");
  require(benchmarks, at, "suite '" + s.name + "'", "benchmarks");
  return s;
}

std::vector<Suite> Parser::suites(std::string_view what) {
  expect(JsonType::array, what);
  std::vector<Suite> out;
  m_r.begin_array();
  while (m_r.next_element()) {
    std::size_t s_at = m_r.value_offset();
    Suite s = suite();
    if (std::any_of(out.begin(), out.end(), [&](const Suite& o) { return o.name == s.name; })) {
      m_r.fail_at(s_at, "suite '" + s.name + "' appears twice");
    }
    out.push_back(std::move(s));
  }
  return out;
}

AbRun Parser::ab() {
  AbRun ab;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "ab");
  bool base_suites = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "base_build_dir") {
      ab.base_build_dir = text(key);
    } else if (key == "head_build_dir") {
      ab.head_build_dir = text(key);
    } else if (key == "rounds") {
      ab.rounds = small_int(key, 1);
    } else if (key == "seed") {
      std::size_t v = m_r.value_offset();
      std::uint64_t seed = uint64(key);
      if (seed > UINT32_MAX) m_r.fail_at(v, "'seed' is beyond 32 bits");
      ab.seed = static_cast<std::uint32_t>(seed);
    } else if (key == "pairing") {
      std::size_t v = m_r.value_offset();
      const std::string pairing = text(key);
      if (pairing == "benchmark") {
        ab.pairing = AbPairing::benchmark;
      } else if (pairing != "suite") {
        m_r.fail_at(v, "'pairing' is neither \"suite\" nor \"benchmark\"");
      }
    } else if (key == "cpu") {
      std::size_t v = m_r.value_offset();
      ab.cpu = small_int(key, 0);
      if (*ab.cpu > 1023) m_r.fail_at(v, "'cpu' is beyond 1023");
    } else if (key == "min_time") {
      std::size_t v = m_r.value_offset();
      ab.min_time = number(key);
      if (!(*ab.min_time > 0 && *ab.min_time <= 60)) m_r.fail_at(v, "'min_time' is not a time in seconds above 0 and at most 60");
    } else if (key == "first") {
      expect(JsonType::object, key);
      members([&](const std::string& suite_name, std::size_t name_at) {
        check_name(suite_name, name_at, "suite name");
        std::size_t v = m_r.value_offset();
        std::string letters = text(suite_name);
        if (letters.find_first_not_of("bh") != std::string::npos) {
          m_r.fail_at(v, "'first' of suite '" + suite_name + "' holds letters other than b and h");
        }
        ab.first[suite_name] = std::move(letters);
      });
    } else if (key == "base_suites") {
      ab.base_suites = suites(key);
      base_suites = true;
    } else {
      unknown(key, key_at, "'ab'");
    }
  });
  require(base_suites, at, "'ab'", "base_suites");
  return ab;
}

Shard Parser::shard() {
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "shard");
  std::optional<int> index;
  std::optional<int> count;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "index") {
      index = small_int(key, 1);
    } else if (key == "count") {
      count = small_int(key, 1);
    } else {
      unknown(key, key_at, "'shard'");
    }
  });
  require(index.has_value(), at, "'shard'", "index");
  require(count.has_value(), at, "'shard'", "count");
  if (*index > *count) m_r.fail_at(at, fmt::format("shard {}/{}: the index is beyond the count", *index, *count));
  return Shard{*index, *count};
}

RunBundle Parser::bundle() {
  RunBundle bundle;
  std::size_t at = m_r.value_offset();
  bool have_suites = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "runner") {
      bundle.runner = runner(true);
    } else if (key == "commit") {
      bundle.commit = text(key);
    } else if (key == "ref") {
      bundle.ref = text(key);
    } else if (key == "time") {
      bundle.time = text(key);
    } else if (key == "suites") {
      bundle.suites = this->suites(key);
      have_suites = true;
    } else if (key == "ab") {
      bundle.ab = ab();
    } else if (key == "shard") {
      bundle.shard = shard();
    } else if (key == "schema" || key == "schema_version" || key == "tool_version") {
      m_r.skip_value();  // checked by check_header; the writer's version is not kept
    } else {
      unknown(key, key_at, "the run bundle");
    }
  });
  m_r.expect_end();
  refuse_unknown();
  require(have_suites, at, "run bundle", "suites");
  return bundle;
}

BaselineFile Parser::baseline() {
  BaselineFile file;
  std::size_t at = m_r.value_offset();
  bool suite_seen = false;
  members([&](const std::string& key, std::size_t key_at) {
    if (key == "runner") {
      file.runner = runner(false);
    } else if (key == "commit") {
      file.commit = text(key);
    } else if (key == "time") {
      file.time = text(key);
    } else if (key == "tool_version") {
      file.tool_version = text(key);
    } else if (key == "suite") {
      file.suite = suite();
      suite_seen = true;
      // Its name is the stem of its file name (baselines/<runner>/<suite>.json).
      if (auto why = suite_name_problem(file.suite.name)) {
        m_r.fail_at(m_suite_name_offset, fmt::format("suite name '{}' cannot name a baseline file: {}", file.suite.name, *why));
      }
    } else if (key == "schema" || key == "schema_version") {
      m_r.skip_value();  // checked by check_header
    } else {
      unknown(key, key_at, "the baseline file");
    }
  });
  m_r.expect_end();
  refuse_unknown();
  require(suite_seen, at, "baseline file", "suite");
  check_file_name(file.suite.name);
  return file;
}

}  // namespace

ResultsFormat detect_results_format(std::string_view text, const std::string& source) {
  return scan_header(text, source).format;
}

RunBundle parse_bundle(std::string_view text, const std::string& source) {
  check_header(scan_header(text, source), ResultsFormat::perfgate_bundle, k_bundle_schema, source, text);
  RunBundle bundle = Parser(text, source).bundle();
  bundle.source = source;
  return bundle;
}

BaselineFile parse_baseline(std::string_view text, const std::string& source) {
  check_header(scan_header(text, source), ResultsFormat::perfgate_baseline, k_baseline_schema, source, text);
  return Parser(text, source).baseline();
}

}  // namespace gate
