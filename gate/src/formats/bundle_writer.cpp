// gate/src/formats/bundle_writer.cpp — writing run bundles and baseline files
// (docs/bundle-format.md): deterministic, diff-friendly JSON that
// bundle_reader.cpp reads back to the same data.
#include "gate/formats/bundle.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "gate/version.hpp"
#include "formats/text_location.hpp"

namespace gate {
namespace {

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
  if (s.command) {
    ObjectOut command(o.key("command"), depth + 1, false);
    Writer& argv = command.key("argv");
    argv.out += '[';
    for (std::size_t i = 0; i < s.command->argv.size(); ++i) {
      if (i != 0) argv.out += ", ";
      argv.string(s.command->argv[i]);
    }
    argv.out += ']';
    command.integer("exit_code", s.command->exit_code);
    command.close();
  }
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
  o.string("pairing", to_string(ab.pairing));
  if (ab.cpu) o.integer("cpu", *ab.cpu);
  if (ab.min_time) o.key("min_time").number(*ab.min_time);
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

}  // namespace

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

}  // namespace gate
