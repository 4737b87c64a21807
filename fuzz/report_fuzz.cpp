// fuzz/report_fuzz.cpp — libFuzzer target: a baseline and a contender whose
// names, labels, messages, context and samples are chosen by the input,
// judged by the one judge under the built-in policy, then rendered by every
// renderer (table, Markdown, JSON, JUnit). The names are the hostile part: a
// suite prints whatever it likes. A finding is a sanitizer report, an
// exception other than gate::Error, an error of more than one line, a table
// or Markdown report holding a raw control character, a bidirectional
// control or a line separator, JSON that does not parse, or JUnit XML with a
// character XML 1.0 does not allow.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gate/error.hpp"
#include "gate/judge/judge.hpp"
#include "gate/policy/policy.hpp"
#include "gate/report/report.hpp"

namespace {

[[noreturn]] void finding(std::string_view what, std::string_view text) {
  std::fprintf(stderr, "report_fuzz: %.*s\n--- output ---\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(text.size()), text.data());
  std::abort();
}

// Code points that must not reach a terminal or a rendered comment raw:
// C1 controls, the bidirectional marks, embeddings, overrides and isolates,
// and the line and paragraph separators.
bool is_hostile_code_point(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || cp == 0x2028 ||
         cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// `text` holds no control character but line feeds (and, where `tab`, tabs),
// no hostile code point, and only well-formed UTF-8.
void check_safe(std::string_view text, std::string_view output, bool tab) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n' && !(tab && c == '\t')) || c == 0x7F) {
        finding(std::string(output) + ": raw control character", text);
      }
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (length == 0 || i + length > text.size()) finding(std::string(output) + ": not UTF-8", text);
    std::uint32_t cp = c & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < length; ++k) {
      auto cont = static_cast<unsigned char>(text[i + k]);
      if ((cont & 0xC0) != 0x80) finding(std::string(output) + ": not UTF-8", text);
      cp = (cp << 6) | (cont & 0x3F);
    }
    if (is_hostile_code_point(cp)) finding(std::string(output) + ": raw bidirectional or C1 control", text);
    i += length;
  }
}

// XML 1.0 allows tab, LF, CR and U+0020 and up (minus U+FFFE, U+FFFF).
void check_xml_chars(std::string_view text) {
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') finding("junit: a character XML does not allow", text);
  }
}

void check_error(const gate::Error& e) {
  std::string_view m = e.what();
  if (m.empty()) finding("empty error", m);
  for (char c : m) {
    if (c == '\n' || c == '\r') finding("an error of more than one line", m);
  }
}

class Builder {
 public:
  explicit Builder(FuzzedDataProvider& in) : m_in(in) {}

  std::string name() { return m_in.ConsumeRandomLengthString(48); }

  double sample() {
    switch (m_in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: return m_in.ConsumeFloatingPointInRange<double>(0, 1e12);
      case 1: return static_cast<double>(m_in.ConsumeIntegralInRange<int>(0, 1000));
      case 2: return 100.0 + m_in.ConsumeIntegralInRange<int>(-5, 5);
      default: return m_in.ConsumeFloatingPointInRange<double>(-1e3, 1e3);
    }
  }

  gate::Metric metric(std::string metric_name) {
    gate::Metric m;
    gate::MetricInfo info = gate::describe_metric(metric_name);
    m.name = std::move(metric_name);
    m.unit = info.unit;
    m.direction = info.direction;
    m.kind = info.kind;
    const int n = m_in.ConsumeIntegralInRange<int>(0, 7);
    for (int i = 0; i < n; ++i) m.samples.push_back(sample());
    m.from_aggregates = m_in.ConsumeBool();
    return m;
  }

  gate::Benchmark benchmark(const std::string& bench_name) {
    gate::Benchmark b;
    b.name = bench_name;
    b.label = m_in.ConsumeBool() ? name() : std::string();
    b.threads = m_in.ConsumeIntegralInRange<int>(1, 8);
    b.iterations = m_in.ConsumeIntegralInRange<std::int64_t>(0, 1'000'000);
    if (m_in.ConsumeIntegralInRange<int>(0, 7) == 0) b.error = name();
    if (m_in.ConsumeIntegralInRange<int>(0, 7) == 0) b.skipped = name();
    b.metrics.push_back(metric("real_time"));
    b.metrics.push_back(metric("cpu_time"));
    if (m_in.ConsumeBool()) b.metrics.push_back(metric("instructions"));
    if (m_in.ConsumeBool()) b.metrics.push_back(metric(name()));
    b.repetitions = static_cast<int>(b.metrics.front().samples.size());
    if (m_in.ConsumeBool()) b.aggregates[name()][b.metrics.front().name] = sample();
    return b;
  }

  gate::Suite suite(const std::string& suite_name, const std::vector<std::string>& bench_names) {
    gate::Suite s;
    s.name = suite_name;
    if (m_in.ConsumeBool()) s.context[name()] = name();
    for (const auto& b : bench_names) {
      if (m_in.ConsumeIntegralInRange<int>(0, 5) != 0) s.benchmarks.push_back(benchmark(b));
    }
    if (m_in.ConsumeIntegralInRange<int>(0, 5) == 0) s.failure = name();
    if (m_in.ConsumeIntegralInRange<int>(0, 3) == 0) {
      gate::ComplexityFit fit;
      fit.family = bench_names.empty() ? name() : bench_names.front();
      fit.big_o = m_in.PickValueInArray({"(1)", "lgN", "N", "NlgN", "N^2", "N^3", "f(N)", "?"});
      fit.cpu_coefficient = sample();
      fit.real_coefficient = sample();
      fit.rms = m_in.ConsumeFloatingPointInRange<double>(0, 1);
      s.complexity.push_back(std::move(fit));
    }
    if (m_in.ConsumeIntegralInRange<int>(0, 3) == 0) {
      gate::BinarySize bin;
      bin.path = name();
      bin.file_size = m_in.ConsumeIntegral<std::uint32_t>();
      bin.sections.push_back({name(), m_in.ConsumeIntegral<std::uint32_t>()});
      bin.text_hash = m_in.ConsumeBool() ? std::string("abc") : name();
      s.binary = std::move(bin);
    }
    return s;
  }

 private:
  FuzzedDataProvider& m_in;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Builder build(in);
  // The same names on both sides, mostly, so that benchmarks are compared
  // rather than all new or missing.
  std::vector<std::string> suite_names(in.ConsumeIntegralInRange<std::size_t>(1, 3));
  for (auto& s : suite_names) s = build.name();
  std::vector<std::string> bench_names(in.ConsumeIntegralInRange<std::size_t>(1, 4));
  for (auto& b : bench_names) b = build.name();

  gate::RunBundle baseline;
  gate::RunBundle contender;
  baseline.source = build.name();
  contender.source = build.name();
  baseline.runner.id = build.name();
  baseline.runner.fingerprint[build.name()] = build.name();
  contender.runner = baseline.runner;
  baseline.commit = build.name();
  for (const auto& s : suite_names) {
    baseline.suites.push_back(build.suite(s, bench_names));
    contender.suites.push_back(build.suite(s, bench_names));
  }

  gate::Comparison comparison;
  try {
    gate::CompareOptions options;
    options.stored_baseline = in.ConsumeBool();
    comparison = gate::compare(baseline, contender, gate::default_policy(), options);
  } catch (const gate::Error& e) {
    check_error(e);
    return 0;
  }
  // What the workflows add around a comparison, also from the input.
  comparison.runner = baseline.runner.id;
  comparison.baseline_commit = baseline.commit;
  if (in.ConsumeBool()) comparison.notices.push_back(build.name());
  if (in.ConsumeBool()) comparison.suite_failures.push_back(build.name());
  if (in.ConsumeBool()) comparison.unjudged.push_back(build.name());

  gate::ReportOptions options;
  options.show_all = in.ConsumeBool();
  options.markdown_limit = in.ConsumeBool() ? 60000 : in.ConsumeIntegralInRange<std::size_t>(0, 4000);

  const std::string table = gate::render_table(comparison, options);
  check_safe(table, "table", false);
  const std::string markdown = gate::render_markdown(comparison, options);
  check_safe(markdown, "markdown", false);
  const std::string json = gate::render_json(comparison);
  if (!nlohmann::json::accept(json)) finding("json: does not parse", json);
  const std::string junit = gate::render_junit(comparison);
  check_xml_chars(junit);
  return 0;
}
