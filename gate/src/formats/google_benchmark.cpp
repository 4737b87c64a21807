// gate/src/formats/google_benchmark.cpp — Google Benchmark JSON into the data model, in one
// pass over the text with the pull reader: no tree of the whole file is
// built, so a 29 MB file costs its text plus the Suite it becomes. It is one
// concern in one file although it is longer than most: rows are read
// (read_row), then judged and folded into benchmarks (process_*), then
// finished (finish), and each step needs the Row and BenchState of the
// others; split, the pieces would share those types through a header that
// exists for nothing else.
#include "gate/formats/google_benchmark.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "gate/error.hpp"
#include "gate/model/metrics.hpp"
#include "formats/json_reader.hpp"
#include "formats/sample_rules.hpp"

namespace gate {
namespace {

using detail::JsonReader;
using detail::JsonType;

/// The keys of a benchmark row that Google Benchmark itself writes. Any
/// other key with a numeric value is a counter (user counters, rates and
/// the memory manager's fields all arrive that way).
enum class Key : std::uint8_t {
  name,
  run_name,
  run_type,
  repetitions,
  repetition_index,
  threads,
  aggregate_name,
  aggregate_unit,
  error_occurred,
  error_message,
  skipped,
  skip_message,
  iterations,
  real_time,
  cpu_time,
  time_unit,
  label,
  big_o,
  cpu_coefficient,
  real_coefficient,
  rms,
  family_index,
  per_family_instance_index,
  other,
};

/// `key` when k, whose length is the name's, is the name.
template <std::size_t N>
Key is(std::string_view k, const char (&name)[N], Key key) {
  return std::memcmp(k.data(), name, N - 1) == 0 ? key : Key::other;
}

Key classify(std::string_view k) {
  // By length, then by one letter, then one comparison of known length:
  // this runs for every key of every row (fourteen a row).
  switch (k.size()) {
    case 3: return is(k, "rms", Key::rms);
    case 4: return is(k, "name", Key::name);
    case 5: return k[0] == 'l' ? is(k, "label", Key::label) : is(k, "big_o", Key::big_o);
    case 7: return k[0] == 't' ? is(k, "threads", Key::threads) : is(k, "skipped", Key::skipped);
    case 8:
      if (k[0] == 'c') return is(k, "cpu_time", Key::cpu_time);
      return k[4] == 'n' ? is(k, "run_name", Key::run_name) : is(k, "run_type", Key::run_type);
    case 9: return k[0] == 'r' ? is(k, "real_time", Key::real_time) : is(k, "time_unit", Key::time_unit);
    case 10: return is(k, "iterations", Key::iterations);
    case 11: return is(k, "repetitions", Key::repetitions);
    case 12: return k[0] == 'f' ? is(k, "family_index", Key::family_index) : is(k, "skip_message", Key::skip_message);
    case 13: return is(k, "error_message", Key::error_message);
    case 14:
      if (k[0] == 'e') return is(k, "error_occurred", Key::error_occurred);
      return k[10] == 'n' ? is(k, "aggregate_name", Key::aggregate_name) : is(k, "aggregate_unit", Key::aggregate_unit);
    case 15: return is(k, "cpu_coefficient", Key::cpu_coefficient);
    case 16: return k[0] == 'r' && k[2] == 'p' ? is(k, "repetition_index", Key::repetition_index)
                                               : is(k, "real_coefficient", Key::real_coefficient);
    case 25: return is(k, "per_family_instance_index", Key::per_family_instance_index);
    default: return Key::other;
  }
}

/// A numeric field as found: its value and where it was, so that it can be
/// judged once the whole row (and so the benchmark's name) is known.
struct Number {
  double value = 0;
  std::size_t offset = 0;
  JsonType type = JsonType::null;
};

struct Counter {
  std::string name;
  Number number;
};

/// One element of the "benchmarks" array. Reused from row to row so that its
/// strings keep their capacity.
struct Row {
  std::size_t offset = 0;
  std::uint32_t seen = 0;  ///< bit per Key
  std::string name, run_name, run_type, aggregate_name, aggregate_unit, time_unit;
  std::string error_message, skip_message, label, big_o;
  std::size_t name_offset = 0, run_type_offset = 0, repetition_index_offset = 0, time_unit_offset = 0;
  std::size_t aggregate_name_offset = 0;
  std::int64_t repetitions = 0, repetition_index = 0, threads = 1, iterations = 0;
  std::size_t threads_offset = 0;
  bool error_occurred = false, skipped = false;
  Number real_time, cpu_time, cpu_coefficient, real_coefficient, rms;
  std::vector<Counter> counters;
  std::size_t counter_count = 0;

  [[nodiscard]] bool has(Key k) const { return (seen & (1u << static_cast<unsigned>(k))) != 0; }
  void reset(std::size_t at) {
    offset = at;
    seen = 0;
    error_occurred = skipped = false;
    threads = 1;
    repetitions = repetition_index = iterations = 0;
    counter_count = 0;
    for (auto* s : {&name, &run_name, &run_type, &aggregate_name, &aggregate_unit, &time_unit, &error_message,
                    &skip_message, &label, &big_o}) {
      s->clear();
    }
  }
};

/// Repetition indices seen (0 or more). Indices are the file's: those below
/// 64, which every real file has, are bits in place; larger ones go to a
/// set, so that an index of 2^31 costs no more than one of 64.
class IndexSet {
 public:
  /// False when `index` was seen before.
  bool insert(std::int64_t index) {
    if (index >= 0 && index < 64) {
      const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(index);
      if ((m_low & bit) != 0) return false;
      m_low |= bit;
      return true;
    }
    return m_high.insert(index).second;
  }

 private:
  std::uint64_t m_low = 0;
  std::unordered_set<std::int64_t> m_high;
};

/// What is known about one benchmark while its rows are read. Its aggregate
/// rows are Benchmark::aggregates.
struct BenchState {
  IndexSet repetition_seen;
  std::string time_unit;
  std::size_t iteration_rows = 0;
  std::int64_t reported_repetitions = 0;
  /// Where the last iteration row's memory manager fields stood: those are
  /// the values kept (finish()), and so the ones checked.
  std::unordered_map<std::string, std::size_t> memory_offsets;
};

/// Google Benchmark's memory manager fields, of which 1.7.1 writes garbage
/// in all repetitions but the last (see finish()).
bool is_memory_manager_field(std::string_view name) {
  return name == "max_bytes_used" || name == "total_allocated_bytes" || name == "net_heap_growth";
}

std::optional<double> ns_per(std::string_view unit) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  return std::nullopt;
}

class Ingest {
 public:
  Ingest(std::string_view text, const std::string& source)
      : m_source(source), m_reader(text, source, {.allow_non_finite = true, .max_depth = 64}) {}

  Suite run();

 private:
  void read_context();
  void flatten(const std::string& prefix);
  void read_benchmarks();
  void read_row();
  void read_number(Number& n);
  std::string_view read_name(std::string_view what);
  void mark(Key k);
  void process_row();
  void process_iteration(Benchmark& bench, BenchState& state, double scale);
  void process_aggregate(Benchmark& bench, BenchState& state, double scale);
  void process_complexity(const std::string& family, double scale);
  std::size_t benchmark_index(const std::string& key);
  void check_time(const Number& n, std::string_view what, const std::string& bench) const;
  void finish();

  std::string m_source;
  JsonReader m_reader;
  Suite m_suite;
  Row m_row;
  std::vector<BenchState> m_states;
  std::unordered_map<std::string, std::size_t> m_index;
  std::size_t m_last = SIZE_MAX;  ///< the benchmark of the last row, in m_suite.benchmarks
  std::string m_checked_name;     ///< the last name read_name() let pass
  std::unordered_map<std::string, std::size_t> m_families;
  std::size_t m_rows = 0;
  std::size_t m_executable_offset = 0;  ///< where context.executable's value is, for its message
};

Suite Ingest::run() {
  detail::expect_object_document(m_reader, "google benchmark json", " with 'context' and 'benchmarks'");
  bool have_context = false;
  std::optional<std::size_t> benchmarks_at;
  m_reader.begin_object();
  while (m_reader.next_member()) {
    std::string_view key = m_reader.key();
    if (key == "context") {
      if (have_context) m_reader.fail_at(m_reader.key_offset(), "duplicate key 'context'");
      have_context = true;
      read_context();
    } else if (key == "benchmarks") {
      if (benchmarks_at) m_reader.fail_at(m_reader.key_offset(), "duplicate key 'benchmarks'");
      benchmarks_at = m_reader.value_offset();
      JsonType t = m_reader.peek();
      if (t != JsonType::array) {
        m_reader.fail_at(*benchmarks_at, "'benchmarks' is " + std::string(detail::describe(t)) + ", expected an array");
      }
      read_benchmarks();
    } else {
      m_reader.skip_value();
    }
  }
  m_reader.expect_end();
  if (!benchmarks_at) m_reader.fail_at(0, "not google benchmark json: no 'benchmarks' array");
  if (m_suite.benchmarks.empty()) {
    m_reader.fail_at(*benchmarks_at, m_rows == 0 ? "no benchmarks: the 'benchmarks' array is empty, nothing to judge"
                                                 : "no benchmarks: only complexity rows, nothing to judge");
  }
  finish();
  return std::move(m_suite);
}

void Ingest::read_context() {
  if (m_reader.peek() != JsonType::object) m_reader.fail_type("an object for 'context'");
  flatten("");
}

// Context values become text: scalars as written, arrays and objects
// flattened into dotted keys, so that the context stays a flat map of strings
// (which is what reports and the runner fingerprint want).
void Ingest::flatten(const std::string& prefix) {
  auto put = [&](const std::string& key, std::string value, std::size_t at) {
    if (!m_suite.context.emplace(key, std::move(value)).second) {
      m_reader.fail_at(at, "duplicate key '" + key + "' in context");
    }
  };
  std::size_t at = m_reader.value_offset();
  switch (m_reader.peek()) {
    case JsonType::object:
      m_reader.begin_object();
      while (m_reader.next_member()) {
        std::string key = prefix.empty() ? std::string(m_reader.key()) : prefix + "." + std::string(m_reader.key());
        flatten(key);
      }
      return;
    case JsonType::array: {
      m_reader.begin_array();
      std::size_t i = 0;
      while (m_reader.next_element()) flatten(prefix + "." + std::to_string(i++));
      return;
    }
    case JsonType::string:
      if (prefix == "executable") m_executable_offset = at;
      put(prefix, std::string(m_reader.read_string()), at);
      return;
    case JsonType::number:
    case JsonType::non_finite: put(prefix, std::string(m_reader.read_number_text()), at); return;
    case JsonType::boolean: put(prefix, m_reader.read_bool() ? "true" : "false", at); return;
    case JsonType::null: m_reader.read_null(); put(prefix, "", at); return;
  }
}

void Ingest::read_benchmarks() {
  m_reader.begin_array();
  while (m_reader.next_element()) {
    read_row();
    process_row();
    ++m_rows;
  }
}

void Ingest::mark(Key k) {
  auto bit = 1u << static_cast<unsigned>(k);
  if ((m_row.seen & bit) != 0) {
    m_reader.fail_at(m_reader.key_offset(), "duplicate key '" + std::string(m_reader.key()) + "'");
  }
  m_row.seen |= bit;
}

void Ingest::read_number(Number& n) {
  n.offset = m_reader.value_offset();
  n.type = m_reader.peek();
  if (n.type == JsonType::number || n.type == JsonType::non_finite) {
    n.value = m_reader.read_double();
  } else {
    m_reader.skip_value();  // judged in process_row, where the benchmark's name is known
  }
}

std::string_view Ingest::read_name(std::string_view what) {
  std::size_t at = m_reader.value_offset();
  if (m_reader.peek() != JsonType::string) m_reader.fail_type("a string for '" + std::string(what) + "'");
  std::string_view s = m_reader.read_string();
  // A row's name and run_name are alike, and so are the rows of one
  // benchmark: a name that passed the checks just before passes them again.
  // (Never empty: an empty name is refused below.)
  if (!m_checked_name.empty() && s == m_checked_name) return s;
  if (s.size() > k_max_name_bytes) {
    m_reader.fail_at(at, fmt::format("{} of {} bytes is longer than the limit of {} bytes", what, s.size(),
                                     k_max_name_bytes));
  }
  if (auto why = benchmark_name_problem(s)) m_reader.fail_at(at, fmt::format("{} '{}' is not allowed: {}", what, s, *why));
  m_checked_name.assign(s);
  return s;
}

void Ingest::read_row() {
  JsonReader& r = m_reader;
  Row& row = m_row;
  row.reset(r.value_offset());
  if (r.peek() != JsonType::object) r.fail_type("an object for a benchmark row");
  r.begin_object();
  auto read_text = [&](std::string& out, std::string_view what) {
    if (r.peek() != JsonType::string) r.fail_type("a string for '" + std::string(what) + "'");
    out.assign(r.read_string());
  };
  auto read_flag = [&](bool& out, std::string_view what) {
    if (r.peek() != JsonType::boolean) r.fail_type("true or false for '" + std::string(what) + "'");
    out = r.read_bool();
  };
  // Counts: a whole number of at least 0 (threads are checked for at least
  // 1 where the benchmark's name is known).
  auto read_integer = [&](std::int64_t& out, std::string_view what) {
    if (r.peek() != JsonType::number) r.fail_type("an integer for '" + std::string(what) + "'");
    std::size_t at = r.value_offset();
    out = r.read_int64();
    if (out < 0) r.fail_at(at, fmt::format("'{}' is {}, expected 0 or more", what, out));
  };
  while (r.next_member()) {
    Key k = classify(r.key());
    if (k != Key::other) mark(k);
    switch (k) {
      case Key::name:
        row.name_offset = r.value_offset();
        row.name.assign(read_name("name"));
        break;
      case Key::run_name: row.run_name.assign(read_name("run_name")); break;
      case Key::run_type:
        row.run_type_offset = r.value_offset();
        read_text(row.run_type, "run_type");
        break;
      case Key::repetitions: read_integer(row.repetitions, "repetitions"); break;
      case Key::repetition_index:
        row.repetition_index_offset = r.value_offset();
        read_integer(row.repetition_index, "repetition_index");
        break;
      case Key::threads:
        row.threads_offset = r.value_offset();
        read_integer(row.threads, "threads");
        break;
      case Key::aggregate_name:
        row.aggregate_name_offset = r.value_offset();
        read_text(row.aggregate_name, "aggregate_name");
        if (auto why = benchmark_name_problem(row.aggregate_name)) {
          r.fail_at(row.aggregate_name_offset, fmt::format("aggregate_name '{}' is not allowed: {}", row.aggregate_name, *why));
        }
        break;
      case Key::aggregate_unit: read_text(row.aggregate_unit, "aggregate_unit"); break;
      case Key::error_occurred: read_flag(row.error_occurred, "error_occurred"); break;
      case Key::error_message: read_text(row.error_message, "error_message"); break;
      case Key::skipped: read_flag(row.skipped, "skipped"); break;
      case Key::skip_message: read_text(row.skip_message, "skip_message"); break;
      case Key::iterations: read_integer(row.iterations, "iterations"); break;
      case Key::real_time: read_number(row.real_time); break;
      case Key::cpu_time: read_number(row.cpu_time); break;
      case Key::time_unit:
        row.time_unit_offset = r.value_offset();
        read_text(row.time_unit, "time_unit");
        break;
      case Key::label: read_text(row.label, "label"); break;
      case Key::big_o: read_text(row.big_o, "big_o"); break;
      case Key::cpu_coefficient: read_number(row.cpu_coefficient); break;
      case Key::real_coefficient: read_number(row.real_coefficient); break;
      case Key::rms: read_number(row.rms); break;
      case Key::family_index:
      case Key::per_family_instance_index: r.skip_value(); break;
      case Key::other: {
        JsonType t = r.peek();
        if (t != JsonType::number && t != JsonType::non_finite) {
          r.skip_value();  // a newer Google Benchmark's field we do not know
          break;
        }
        std::string_view key = r.key();
        // The slot's last name passed these checks in an earlier row: the
        // rows of a suite mostly have the same counters in the same order.
        const bool checked = row.counter_count < row.counters.size() && row.counters[row.counter_count].name == key;
        if (!checked && key.size() > k_max_name_bytes) {
          r.fail_at(r.key_offset(), fmt::format("counter name of {} bytes is longer than the limit of {} bytes",
                                                key.size(), k_max_name_bytes));
        }
        if (auto why = checked ? std::nullopt : benchmark_name_problem(key)) {
          r.fail_at(r.key_offset(), fmt::format("counter name '{}' is not allowed: {}", key, *why));
        }
        for (std::size_t i = 0; i < row.counter_count; ++i) {
          if (row.counters[i].name == key) r.fail_at(r.key_offset(), "duplicate key '" + std::string(key) + "'");
        }
        if (row.counter_count == row.counters.size()) row.counters.emplace_back();
        Counter& c = row.counters[row.counter_count++];
        c.name.assign(key);
        read_number(c.number);
        break;
      }
    }
  }
}

std::size_t Ingest::benchmark_index(const std::string& key) {
  // A benchmark's rows come one after another: most rows are the last one's.
  if (m_last < m_suite.benchmarks.size() && m_suite.benchmarks[m_last].name == key) return m_last;
  auto [it, inserted] = m_index.try_emplace(key, m_suite.benchmarks.size());
  if (inserted) {
    Benchmark b;
    b.name = key;
    m_suite.benchmarks.push_back(std::move(b));
    m_states.emplace_back();
  }
  m_last = it->second;
  return m_last;
}

void Ingest::check_time(const Number& n, std::string_view what, const std::string& bench) const {
  if (n.type == JsonType::number && n.value >= 0) return;  // every row's case: nothing to format
  std::string subject = fmt::format("{} of benchmark '{}'", what, bench);
  switch (n.type) {
    case JsonType::number: break;
    case JsonType::non_finite:
      m_reader.fail_at(n.offset, subject + (std::isnan(n.value) ? " is NaN" : " is infinite"));
    default: m_reader.fail_at(n.offset, subject + " is not a number (found " + std::string(detail::describe(n.type)) + ")");
  }
  m_reader.fail_at(n.offset, fmt::format("{} is negative ({})", subject, n.value));
}

void Ingest::process_row() {
  Row& row = m_row;
  const std::string& key = row.has(Key::run_name) ? row.run_name : row.name;
  if (!row.has(Key::run_name) && !row.has(Key::name)) m_reader.fail_at(row.offset, "benchmark row without a name");

  // Older files have no run_type: an aggregate is told by its aggregate_name.
  bool aggregate = row.has(Key::aggregate_name);
  if (row.has(Key::run_type)) {
    if (row.run_type == "aggregate") {
      aggregate = true;
    } else if (row.run_type == "iteration") {
      aggregate = false;
    } else {
      m_reader.fail_at(row.run_type_offset, "unknown run_type '" + row.run_type + "' (expected iteration or aggregate)");
    }
  }
  bool complexity = aggregate && (row.aggregate_name == "BigO" || row.aggregate_name == "RMS" ||
                                  row.has(Key::big_o) || row.has(Key::rms));

  double scale = 1.0;
  if (row.has(Key::time_unit)) {
    auto ns = ns_per(row.time_unit);
    if (!ns) {
      m_reader.fail_at(row.time_unit_offset,
                       "unknown time_unit '" + row.time_unit + "' of benchmark '" + key + "' (expected ns, us, ms or s)");
    }
    scale = *ns;
  } else if (row.has(Key::real_time) || row.has(Key::cpu_time) || row.has(Key::cpu_coefficient)) {
    m_reader.fail_at(row.offset, "benchmark '" + key + "' has times but no time_unit");
  }

  if (complexity) {
    process_complexity(key, scale);
    return;
  }
  std::size_t index = benchmark_index(key);
  Benchmark& bench = m_suite.benchmarks[index];
  BenchState& state = m_states[index];
  if (row.has(Key::time_unit)) {
    if (state.time_unit.empty()) {
      state.time_unit = row.time_unit;
    } else if (state.time_unit != row.time_unit) {
      m_reader.fail_at(row.time_unit_offset, "benchmark '" + key + "' is reported in " + state.time_unit +
                                                 " and in " + row.time_unit + ": conflicting rows");
    }
  }
  if (row.has(Key::threads)) {
    if (row.threads < 1 || row.threads > INT_MAX) {
      m_reader.fail_at(row.threads_offset, fmt::format("threads of benchmark '{}' is {}, expected at least 1", key, row.threads));
    }
  }
  if (aggregate) {
    process_aggregate(bench, state, scale);
  } else {
    process_iteration(bench, state, scale);
  }
}

void Ingest::process_iteration(Benchmark& bench, BenchState& state, double scale) {
  Row& row = m_row;
  if (row.has(Key::repetition_index)) {
    if (row.repetition_index > INT_MAX) {
      m_reader.fail_at(row.repetition_index_offset,
                       fmt::format("repetition_index {} of benchmark '{}' is out of range", row.repetition_index, bench.name));
    }
    if (!state.repetition_seen.insert(row.repetition_index)) {
      m_reader.fail_at(row.repetition_index_offset, fmt::format("repetition {} of benchmark '{}' appears twice: conflicting rows",
                                                                row.repetition_index, bench.name));
    }
  }
  ++state.iteration_rows;
  if (bench.repetitions == INT_MAX) m_reader.fail_at(row.offset, fmt::format("benchmark '{}' has too many rows", bench.name));
  ++bench.repetitions;
  bench.threads = static_cast<int>(row.threads);
  bench.iterations = row.iterations;
  if (!row.label.empty()) bench.label = row.label;
  if (row.error_occurred) {
    bench.error = row.error_message.empty() ? std::string("error occurred") : row.error_message;
    return;
  }
  if (row.skipped) {
    bench.skipped = row.skip_message.empty() ? std::string("skipped") : row.skip_message;
    return;
  }
  if (!row.has(Key::real_time) || !row.has(Key::cpu_time)) {
    m_reader.fail_at(row.offset, "benchmark '" + bench.name + "' has no " + (row.has(Key::real_time) ? "cpu_time" : "real_time"));
  }
  check_time(row.real_time, "real_time", bench.name);
  check_time(row.cpu_time, "cpu_time", bench.name);

  // Room for the repetitions the row announces, up to a few: one allocation
  // instead of five for ten repetitions, and a file that announces many but
  // holds few costs little.
  const auto expected = static_cast<std::size_t>(std::clamp<std::int64_t>(row.repetitions, 1, 16));
  auto add = [&bench, expected](std::string_view metric, double value) {
    Metric* m = bench.metric(metric);
    if (m == nullptr) {
      Metric fresh = make_metric(metric);
      fresh.samples.reserve(expected);
      bench.metrics.push_back(std::move(fresh));
      m = &bench.metrics.back();
    }
    m->samples.push_back(value);
  };
  if (bench.metrics.empty()) bench.metrics.reserve(2 + row.counter_count);  // one allocation, not three
  add("real_time", row.real_time.value * scale);
  add("cpu_time", row.cpu_time.value * scale);
  for (std::size_t i = 0; i < row.counter_count; ++i) {
    const Counter& c = row.counters[i];
    if (c.number.type == JsonType::non_finite) {
      m_reader.fail_at(c.number.offset, fmt::format("counter '{}' of benchmark '{}' is {}", c.name, bench.name,
                                                    std::isnan(c.number.value) ? "NaN" : "infinite"));
    }
    if (is_memory_manager_field(c.name)) {
      state.memory_offsets[c.name] = c.number.offset;  // checked in finish(), on the value kept
    } else if (c.number.value < 0 && detail::never_negative(c.name)) {
      m_reader.fail_at(c.number.offset, fmt::format("counter '{}' of benchmark '{}' is negative ({})", c.name, bench.name,
                                                    c.number.value));
    }
    add(c.name, c.number.value);
  }
}

void Ingest::process_aggregate(Benchmark& bench, BenchState& state, double scale) {
  Row& row = m_row;
  if (!row.has(Key::aggregate_name)) m_reader.fail_at(row.offset, "aggregate row of benchmark '" + bench.name + "' without aggregate_name");
  const std::string& name = row.aggregate_name;
  if (bench.aggregates.contains(name)) {
    m_reader.fail_at(row.offset, "aggregate '" + name + "' of benchmark '" + bench.name + "' appears twice: conflicting rows");
  }
  state.reported_repetitions = row.repetitions;
  if (state.iteration_rows == 0) {
    bench.threads = static_cast<int>(row.threads);
    if (!row.label.empty()) bench.label = row.label;
  }
  // cv and other statistics in "percentage" are fractions whatever the time
  // unit; before aggregate_unit existed, cv was the only such statistic.
  bool fraction = row.has(Key::aggregate_unit) ? row.aggregate_unit == "percentage" : name == "cv";
  double time_scale = fraction ? 1.0 : scale;
  auto& values = bench.aggregates[name];
  auto put = [&](const std::string& metric, const Number& n, double s) {
    if (n.type == JsonType::number) {
      if (n.value < 0 && detail::never_negative(metric)) {
        m_reader.fail_at(n.offset, fmt::format("{} of aggregate '{}' of benchmark '{}' is negative ({})", metric, name,
                                               bench.name, n.value));
      }
      values[metric] = n.value * s;
    } else if (n.type != JsonType::non_finite) {
      m_reader.fail_at(n.offset, fmt::format("{} of aggregate '{}' of benchmark '{}' is not a number (found {})", metric,
                                             name, bench.name, detail::describe(n.type)));
    }
  };
  if (row.has(Key::real_time)) put("real_time", row.real_time, time_scale);
  if (row.has(Key::cpu_time)) put("cpu_time", row.cpu_time, time_scale);
  for (std::size_t i = 0; i < row.counter_count; ++i) put(row.counters[i].name, row.counters[i].number, 1.0);
}

void Ingest::process_complexity(const std::string& family, double scale) {
  Row& row = m_row;
  auto [it, inserted] = m_families.try_emplace(family, m_suite.complexity.size());
  if (inserted) {
    ComplexityFit fit;
    fit.family = family;
    m_suite.complexity.push_back(std::move(fit));
  }
  ComplexityFit& fit = m_suite.complexity[it->second];
  // A fit whose number is not finite keeps 0 there: complexity is shown,
  // never judged, so it is not worth refusing the file for.
  auto take = [&](const Number& n, double s, double& out, std::string_view what) {
    if (n.type == JsonType::number) {
      out = n.value * s;
    } else if (n.type != JsonType::non_finite) {
      m_reader.fail_at(n.offset, fmt::format("{} of complexity fit '{}' is not a number (found {})", what, family,
                                             detail::describe(n.type)));
    }
  };
  if (row.has(Key::rms)) {
    take(row.rms, 1.0, fit.rms, "rms");
  } else {
    if (!fit.big_o.empty()) m_reader.fail_at(row.offset, "complexity fit of '" + family + "' appears twice: conflicting rows");
    fit.big_o = row.big_o.empty() ? std::string("?") : row.big_o;
    take(row.cpu_coefficient, scale, fit.cpu_coefficient, "cpu_coefficient");
    take(row.real_coefficient, scale, fit.real_coefficient, "real_coefficient");
  }
}

void Ingest::finish() {
  for (std::size_t i = 0; i < m_suite.benchmarks.size(); ++i) {
    Benchmark& bench = m_suite.benchmarks[i];
    const BenchState& state = m_states[i];
    if (state.iteration_rows != 0) {
      // Google Benchmark 1.7.1 (Debian 12's) reports these three from a
      // pointer into a vector that reallocates as repetitions are added: all
      // but the last repetition's values can be garbage (seen: 664 bytes
      // reported as 7939166423356887789). They do not vary between
      // repetitions, so the last row — the one written correctly — is kept.
      for (auto& m : bench.metrics) {
        if (!is_memory_manager_field(m.name) || m.samples.empty()) continue;
        if (m.samples.size() > 1) m.samples.erase(m.samples.begin(), m.samples.end() - 1);
        if (m.samples.back() < 0 && detail::never_negative(m.name)) {
          auto at = state.memory_offsets.find(m.name);
          m_reader.fail_at(at == state.memory_offsets.end() ? 0 : at->second, fmt::format("counter '{}' of benchmark '{}' is negative ({})",
                                                                     m.name, bench.name, m.samples.back()));
        }
      }
    }
    if (state.iteration_rows != 0 || bench.error || bench.skipped) continue;
    // --benchmark_report_aggregates_only: the repetitions are gone; the
    // median (robust, and what the comparison uses) stands in for them.
    auto source = bench.aggregates.find("median");
    if (source == bench.aggregates.end()) source = bench.aggregates.find("mean");
    if (source == bench.aggregates.end()) continue;
    bench.repetitions = static_cast<int>(std::clamp<std::int64_t>(state.reported_repetitions, 0, INT_MAX));
    auto add = [&bench](const std::string& metric, double value) {
      Metric m = make_metric(metric);
      m.samples = {value};
      m.from_aggregates = true;
      bench.metrics.push_back(std::move(m));
    };
    for (const char* first : {"real_time", "cpu_time"}) {
      auto it = source->second.find(first);
      if (it != source->second.end()) add(it->first, it->second);
    }
    for (const auto& [metric, value] : source->second) {
      if (metric != "real_time" && metric != "cpu_time") add(metric, value);
    }
  }

  auto exe = m_suite.context.find("executable");
  std::string name;
  if (exe != m_suite.context.end()) {
    std::string_view path = exe->second;
    auto slash = path.find_last_of("/\\");
    name = std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".exe") == 0) name.resize(name.size() - 4);
  }
  if (!name.empty()) {
    if (auto why = benchmark_name_problem(name)) {
      m_reader.fail_at(m_executable_offset, fmt::format("suite name '{}' (from context.executable) is not allowed: {}", name, *why));
    }
  }
  if (name.empty()) name = std::filesystem::path(m_source).stem().string();
  if (benchmark_name_problem(name)) name = "results";  // a source path is the caller's, not the file's
  m_suite.name = std::move(name);
}

}  // namespace

Suite read_google_benchmark(std::string_view text, const std::string& source) { return Ingest(text, source).run(); }

}  // namespace gate
