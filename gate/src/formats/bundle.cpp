// gate/src/formats/bundle.cpp — writing and reading run bundles and baseline files
// (docs/bundle-format.md), and telling a results file's kind.
#include "gate/formats/bundle.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/version.hpp"
#include "formats/json_reader.hpp"

namespace gate {
namespace {

using detail::JsonReader;
using detail::JsonType;

// ---------------------------------------------------------------- writing

/// Appends JSON text. The layout (which objects break over lines) is decided
/// by the callers below; this only keeps separators and indentation right.
class Writer {
 public:
  std::string out;

  void indent(int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
  }

  /// Strings are written as valid UTF-8 whatever they hold: a byte that
  /// starts no well-formed sequence becomes U+FFFD, so that the file always
  /// reads back (stderr tails in Suite::failure can hold anything).
  void string(std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        std::size_t length = detail::utf8_length(s, i);
        if (length == 0) {
          out += "\xEF\xBF\xBD";
          ++i;
        } else {
          out.append(s.substr(i, length));
          i += length;
        }
        continue;
      }
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            out += fmt::format("\\u{:04x}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
    }
    out += '"';
  }

  /// The shortest text that reads back to exactly `v` (std::to_chars without
  /// a format). JSON has no NaN or infinity: those are refused by the caller.
  void number(double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
  }

  template <typename Int>
  void integer(Int v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
  }
};

/// One JSON object being written: `multiline` puts each member on its own
/// line at depth + 1, otherwise members follow on one line.
class ObjectOut {
 public:
  ObjectOut(Writer& w, int depth, bool multiline) : m_w(w), m_depth(depth), m_multiline(multiline) { m_w.out += '{'; }
  ObjectOut(const ObjectOut&) = delete;
  ObjectOut& operator=(const ObjectOut&) = delete;
  ~ObjectOut() = default;

  /// Starts a member; the caller writes its value.
  Writer& key(std::string_view k) {
    if (!m_first) m_w.out += ',';
    if (m_multiline) {
      m_w.indent(m_depth + 1);
    } else if (!m_first) {
      m_w.out += ' ';
    }
    m_first = false;
    m_w.string(k);
    m_w.out += ": ";
    return m_w;
  }
  void string(std::string_view k, std::string_view v) { key(k).string(v); }
  template <typename Int>
  void integer(std::string_view k, Int v) {
    key(k).integer(v);
  }
  void close() {
    if (m_multiline && !m_first) m_w.indent(m_depth);
    m_w.out += '}';
  }

 private:
  Writer& m_w;
  int m_depth;
  bool m_multiline;
  bool m_first = true;
};

/// Where a number being written belongs, for the message when it cannot be.
struct Place {
  const Suite* suite = nullptr;
  const Benchmark* benchmark = nullptr;
  std::string_view what;
};

void finite_number(Writer& w, double v, const Place& place) {
  if (!std::isfinite(v)) {
    std::string where = place.suite != nullptr ? "suite '" + place.suite->name + "'" : std::string("bundle");
    if (place.benchmark != nullptr) where += ", benchmark '" + place.benchmark->name + "'";
    throw Error(fmt::format("writing results of {}: {} is {}, which json cannot hold", where, place.what,
                            std::isnan(v) ? "NaN" : "infinite"));
  }
  w.number(v);
}

void write_runner(Writer& w, const Runner& runner, int depth) {
  ObjectOut o(w, depth, true);
  o.string("id", runner.id);
  ObjectOut fp(o.key("fingerprint"), depth + 1, !runner.fingerprint.empty());
  for (const auto& [k, v] : runner.fingerprint) fp.string(k, v);
  fp.close();
  o.close();
}

void write_metric(Writer& w, const Metric& m, const Suite& suite, const Benchmark& bench) {
  ObjectOut o(w, 0, false);
  o.string("unit", m.unit);
  o.string("direction", to_string(m.direction));
  o.string("kind", to_string(m.kind));
  Writer& s = o.key("samples");
  s.out += '[';
  std::string what = "a sample of metric '" + m.name + "'";
  for (std::size_t i = 0; i < m.samples.size(); ++i) {
    if (i != 0) s.out += ", ";
    finite_number(s, m.samples[i], {&suite, &bench, what});
  }
  s.out += ']';
  if (!m.rounds.empty()) {
    Writer& r = o.key("rounds");
    r.out += '[';
    for (std::size_t i = 0; i < m.rounds.size(); ++i) {
      if (i != 0) r.out += ", ";
      r.integer(m.rounds[i]);
    }
    r.out += ']';
  }
  if (m.from_aggregates) o.key("from_aggregates").out += "true";
  o.close();
}

void write_benchmark(Writer& w, const Benchmark& b, const Suite& suite, int depth) {
  ObjectOut o(w, depth, true);
  o.string("name", b.name);
  o.integer("threads", b.threads);
  o.string("label", b.label);
  o.integer("iterations", b.iterations);
  o.integer("repetitions", b.repetitions);
  if (b.error) o.string("error", *b.error);
  if (b.skipped) o.string("skipped", *b.skipped);
  {
    ObjectOut metrics(o.key("metrics"), depth + 1, !b.metrics.empty());
    for (const Metric& m : b.metrics) write_metric(metrics.key(m.name), m, suite, b);
    metrics.close();
  }
  {
    ObjectOut aggregates(o.key("aggregates"), depth + 1, !b.aggregates.empty());
    for (const auto& [name, values] : b.aggregates) {
      ObjectOut one(aggregates.key(name), 0, false);
      for (const auto& [metric, value] : values) {
        finite_number(one.key(metric), value, {&suite, &b, "aggregate '" + name + "' of metric '" + metric + "'"});
      }
      one.close();
    }
    aggregates.close();
  }
  o.close();
}

void write_suite(Writer& w, const Suite& s, int depth) {
  ObjectOut o(w, depth, true);
  o.string("name", s.name);
  {
    ObjectOut context(o.key("context"), depth + 1, !s.context.empty());
    for (const auto& [k, v] : s.context) context.string(k, v);
    context.close();
  }
  if (s.product) o.key("product").out += "true";
  if (s.failure) o.string("failure", *s.failure);
  if (s.binary) {
    ObjectOut binary(o.key("binary"), depth + 1, true);
    binary.string("path", s.binary->path);
    binary.integer("file_size", s.binary->file_size);
    ObjectOut sections(binary.key("sections"), depth + 2, !s.binary->sections.empty());
    for (const SectionSize& section : s.binary->sections) sections.integer(section.name, section.size);
    sections.close();
    binary.string("text_hash", s.binary->text_hash);
    binary.close();
  }
  Writer& benchmarks = o.key("benchmarks");
  benchmarks.out += '[';
  for (std::size_t i = 0; i < s.benchmarks.size(); ++i) {
    if (i != 0) w.out += ',';
    w.indent(depth + 2);
    write_benchmark(w, s.benchmarks[i], s, depth + 2);
  }
  if (!s.benchmarks.empty()) w.indent(depth + 1);
  w.out += ']';
  Writer& complexity = o.key("complexity");
  complexity.out += '[';
  for (std::size_t i = 0; i < s.complexity.size(); ++i) {
    const ComplexityFit& fit = s.complexity[i];
    if (i != 0) w.out += ',';
    w.indent(depth + 2);
    ObjectOut f(w, 0, false);
    f.string("family", fit.family);
    f.string("big_o", fit.big_o);
    std::string what = "complexity fit of '" + fit.family + "'";
    finite_number(f.key("cpu_coefficient"), fit.cpu_coefficient, {&s, nullptr, what});
    finite_number(f.key("real_coefficient"), fit.real_coefficient, {&s, nullptr, what});
    finite_number(f.key("rms"), fit.rms, {&s, nullptr, what});
    if (fit.round != 0) f.integer("round", fit.round);
    f.close();
  }
  if (!s.complexity.empty()) w.indent(depth + 1);
  w.out += ']';
  o.close();
}

/// The suites array, one suite per element at `depth` + 1, as "suites" and
/// "ab.base_suites" both need.
void write_suites(Writer& w, const std::vector<Suite>& suites, int depth) {
  w.out += '[';
  for (std::size_t i = 0; i < suites.size(); ++i) {
    if (i != 0) w.out += ',';
    w.indent(depth + 1);
    write_suite(w, suites[i], depth + 1);
  }
  if (!suites.empty()) w.indent(depth);
  w.out += ']';
}

/// A same-job A/B run's base side (docs/bundle-format.md, "A/B runs").
void write_ab(Writer& w, const AbRun& ab, int depth) {
  ObjectOut o(w, depth, true);
  o.string("base_build_dir", ab.base_build_dir);
  o.string("head_build_dir", ab.head_build_dir);
  o.integer("rounds", ab.rounds);
  o.integer("seed", ab.seed);
  {
    ObjectOut first(o.key("first"), depth + 1, !ab.first.empty());
    for (const auto& [suite, letters] : ab.first) first.string(suite, letters);
    first.close();
  }
  write_suites(o.key("base_suites"), ab.base_suites, depth + 1);
  o.close();
}

void write_header(ObjectOut& o, std::string_view schema) {
  o.string("schema", schema);
  o.integer("schema_version", k_schema_version);
  o.string("tool_version", k_version);
}

// ---------------------------------------------------------------- reading

/// The top-level facts that say what a file is.
struct Header {
  ResultsFormat format = ResultsFormat::google_benchmark;
  std::optional<std::int64_t> version;
  std::size_t version_offset = 0;
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
      return h;
    } else {
      r.skip_value();
    }
    if (have_schema && h.version) return h;
  }
  if (have_schema) return h;  // the missing schema_version is reported by the parser
  throw Error(source + ": neither google benchmark json nor a perfgate file (no 'benchmarks' or 'schema' key)");
}

void check_header(const Header& h, ResultsFormat want, std::string_view schema, const std::string& source,
                  std::string_view text) {
  JsonReader r(text, source);
  if (h.format != want) {
    std::string found = h.format == ResultsFormat::google_benchmark ? std::string("google benchmark json")
                        : h.format == ResultsFormat::perfgate_bundle ? "a run bundle ('" + std::string(k_bundle_schema) + "')"
                                                                     : "a baseline file ('" + std::string(k_baseline_schema) + "')";
    throw Error(source + ": expected schema '" + std::string(schema) + "', found " + found);
  }
  if (!h.version) throw Error(source + ": no 'schema_version'");
  if (*h.version > k_schema_version) {
    r.fail_at(h.version_offset, fmt::format("schema_version {} of '{}' is newer than this gate reads ({}): update gate",
                                            *h.version, schema, k_schema_version));
  }
  if (*h.version < 1) r.fail_at(h.version_offset, fmt::format("schema_version {} is not valid", *h.version));
}

/// Walks a bundle or baseline file. Unknown keys are skipped (a later minor
/// addition must not break an older reader); a key given twice is an error.
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
    if (!have) m_r.fail_at(object_at, std::string(what) + " without '" + std::string(key) + "'");
  }

  Runner runner();
  Suite suite();
  std::optional<BinarySize> binary();
  Benchmark benchmark();
  Metric metric(const std::string& name);
  ComplexityFit complexity_fit();
  std::vector<Suite> suites(std::string_view what);
  AbRun ab();
  Shard shard();

  JsonReader m_r;
};

Runner Parser::runner() {
  Runner runner;
  expect(JsonType::object, "runner");
  members([&](const std::string& key, std::size_t) {
    if (key == "id") {
      std::size_t at = m_r.value_offset();
      runner.id = text("id");
      bool ok = runner.id.size() <= 64 && runner.id != "." && runner.id != ".." &&
                std::all_of(runner.id.begin(), runner.id.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                });
      if (!ok) m_r.fail_at(at, "runner id '" + runner.id + "' is not sanitised ([a-z0-9._-], at most 64 characters)");
    } else if (key == "fingerprint") {
      expect(JsonType::object, "fingerprint");
      members([&](const std::string& k, std::size_t) { runner.fingerprint[k] = text(k); });
    } else {
      m_r.skip_value();
    }
  });
  return runner;
}

Metric Parser::metric(const std::string& name) {
  Metric m;
  m.name = name;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, name);
  bool unit = false, direction = false, kind = false, samples = false;
  members([&](const std::string& key, std::size_t) {
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
      while (m_r.next_element()) m.samples.push_back(number("samples"));
      samples = true;
    } else if (key == "from_aggregates") {
      expect(JsonType::boolean, key);
      m.from_aggregates = m_r.read_bool();
    } else if (key == "rounds") {
      expect(JsonType::array, key);
      m_r.begin_array();
      while (m_r.next_element()) m.rounds.push_back(small_int("rounds", 1));
    } else {
      m_r.skip_value();
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
  members([&](const std::string& key, std::size_t) {
    if (key == "name") {
      b.name = text(key);
      name = true;
    } else if (key == "threads") {
      b.threads = small_int(key, 1);
    } else if (key == "label") {
      b.label = text(key);
    } else if (key == "iterations") {
      b.iterations = int64(key);
    } else if (key == "repetitions") {
      b.repetitions = small_int(key, 0);
    } else if (key == "error") {
      b.error = text(key);
    } else if (key == "skipped") {
      b.skipped = text(key);
    } else if (key == "metrics") {
      expect(JsonType::object, key);
      members([&](const std::string& metric_name, std::size_t) { b.metrics.push_back(metric(metric_name)); });
      metrics = true;
    } else if (key == "aggregates") {
      expect(JsonType::object, key);
      members([&](const std::string& aggregate, std::size_t) {
        expect(JsonType::object, aggregate);
        auto& values = b.aggregates[aggregate];
        members([&](const std::string& metric_name, std::size_t) { values[metric_name] = number(metric_name); });
      });
    } else {
      m_r.skip_value();
    }
  });
  require(name, at, "benchmark", "name");
  require(metrics, at, "benchmark '" + b.name + "'", "metrics");
  return b;
}

std::optional<BinarySize> Parser::binary() {
  BinarySize bin;
  expect(JsonType::object, "binary");
  members([&](const std::string& key, std::size_t) {
    if (key == "path") {
      bin.path = text(key);
    } else if (key == "file_size") {
      bin.file_size = uint64(key);
    } else if (key == "sections") {
      expect(JsonType::object, key);
      members([&](const std::string& section, std::size_t) { bin.sections.push_back({section, uint64(section)}); });
    } else if (key == "text_hash") {
      bin.text_hash = text(key);
    } else {
      m_r.skip_value();
    }
  });
  return bin;
}

ComplexityFit Parser::complexity_fit() {
  ComplexityFit fit;
  expect(JsonType::object, "complexity");
  members([&](const std::string& key, std::size_t) {
    if (key == "family") {
      fit.family = text(key);
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
      m_r.skip_value();
    }
  });
  return fit;
}

Suite Parser::suite() {
  Suite s;
  std::size_t at = m_r.value_offset();
  expect(JsonType::object, "suite");
  bool name = false, benchmarks = false;
  members([&](const std::string& key, std::size_t) {
    if (key == "name") {
      std::size_t v = m_r.value_offset();
      s.name = text(key);
      if (s.name.empty()) m_r.fail_at(v, "empty suite name");
      name = true;
    } else if (key == "context") {
      expect(JsonType::object, key);
      members([&](const std::string& k, std::size_t) { s.context[k] = text(k); });
    } else if (key == "product") {
      expect(JsonType::boolean, key);
      s.product = m_r.read_bool();
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
      m_r.skip_value();
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
  members([&](const std::string& key, std::size_t) {
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
    } else if (key == "first") {
      expect(JsonType::object, key);
      members([&](const std::string& suite_name, std::size_t) {
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
      m_r.skip_value();
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
  members([&](const std::string& key, std::size_t) {
    if (key == "index") {
      index = small_int(key, 1);
    } else if (key == "count") {
      count = small_int(key, 1);
    } else {
      m_r.skip_value();
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
  members([&](const std::string& key, std::size_t) {
    if (key == "runner") {
      bundle.runner = runner();
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
    } else {
      m_r.skip_value();  // schema and schema_version were checked by check_header
    }
  });
  m_r.expect_end();
  require(have_suites, at, "run bundle", "suites");
  return bundle;
}

BaselineFile Parser::baseline() {
  BaselineFile file;
  std::size_t at = m_r.value_offset();
  bool suite_seen = false;
  members([&](const std::string& key, std::size_t) {
    if (key == "runner") {
      file.runner = runner();
    } else if (key == "commit") {
      file.commit = text(key);
    } else if (key == "time") {
      file.time = text(key);
    } else if (key == "tool_version") {
      file.tool_version = text(key);
    } else if (key == "suite") {
      file.suite = suite();
      suite_seen = true;
    } else {
      m_r.skip_value();
    }
  });
  m_r.expect_end();
  require(suite_seen, at, "baseline file", "suite");
  return file;
}

}  // namespace

ResultsFormat detect_results_format(std::string_view text, const std::string& source) {
  return scan_header(text, source).format;
}

std::string write_bundle(const RunBundle& bundle) {
  Writer w;
  ObjectOut o(w, 0, true);
  write_header(o, k_bundle_schema);
  write_runner(o.key("runner"), bundle.runner, 1);
  o.string("commit", bundle.commit);
  o.string("ref", bundle.ref);
  o.string("time", bundle.time);
  write_suites(o.key("suites"), bundle.suites, 1);
  if (bundle.ab) write_ab(o.key("ab"), *bundle.ab, 1);
  if (bundle.shard) {
    ObjectOut shard(o.key("shard"), 1, false);
    shard.integer("index", bundle.shard->index);
    shard.integer("count", bundle.shard->count);
    shard.close();
  }
  o.close();
  w.out += '\n';
  return std::move(w.out);
}

RunBundle parse_bundle(std::string_view text, const std::string& source) {
  check_header(scan_header(text, source), ResultsFormat::perfgate_bundle, k_bundle_schema, source, text);
  RunBundle bundle = Parser(text, source).bundle();
  bundle.source = source;
  return bundle;
}

std::string write_baseline(const RunBundle& meta, const Suite& suite) {
  Writer w;
  ObjectOut o(w, 0, true);
  write_header(o, k_baseline_schema);
  write_runner(o.key("runner"), meta.runner, 1);
  o.string("commit", meta.commit);
  o.string("time", meta.time);
  write_suite(o.key("suite"), suite, 1);
  o.close();
  w.out += '\n';
  return std::move(w.out);
}

BaselineFile parse_baseline(std::string_view text, const std::string& source) {
  check_header(scan_header(text, source), ResultsFormat::perfgate_baseline, k_baseline_schema, source, text);
  return Parser(text, source).baseline();
}

}  // namespace gate
