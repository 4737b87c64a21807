// fuzz/google_benchmark_fuzz.cpp — libFuzzer target: any bytes as a Google
// Benchmark JSON file, through the ingest (read_google_benchmark) and, when
// it reads, through the run bundle writer and reader. A finding is a
// sanitizer report, an exception other than gate::Error, an error that is
// not one located line, a suite that breaks what the ingest promises (a
// benchmark or metric name the naming rule refuses, a sample that is not
// finite, a time or a count below zero), or a bundle that does not read back
// to what was written.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/model/names.hpp"

namespace {

constexpr std::string_view k_source = "fuzz.json";

void check_suite(const gate::Suite& suite) {
  if (auto why = gate::benchmark_name_problem(suite.name)) gate::fuzz::finding("suite name", *why);
  if (suite.benchmarks.empty()) gate::fuzz::finding("a suite without benchmarks", suite.name);
  for (const auto& b : suite.benchmarks) {
    if (auto why = gate::benchmark_name_problem(b.name)) gate::fuzz::finding("benchmark name", *why);
    if (b.iterations < 0 || b.repetitions < 0 || b.threads < 1) gate::fuzz::finding("a count out of range", b.name);
    for (const auto& m : b.metrics) {
      if (auto why = gate::benchmark_name_problem(m.name)) gate::fuzz::finding("metric name", *why);
      for (double v : m.samples) {
        if (!std::isfinite(v)) gate::fuzz::finding("a sample that is not finite", m.name);
        if (v < 0 && (m.name == "real_time" || m.name == "cpu_time")) gate::fuzz::finding("a negative time", m.name);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gate::RunBundle bundle;
  try {
    bundle.suites.push_back(gate::read_google_benchmark(text, std::string(k_source)));
  } catch (const gate::Error& e) {
    gate::fuzz::check_error(e, k_source);
    return 0;
  }
  check_suite(bundle.suites.front());
  // What `gate merge` and `gate run` do with it: a bundle, written and read.
  std::string written;
  try {
    written = gate::write_bundle(bundle);
  } catch (const gate::Error& e) {
    gate::fuzz::finding("a suite the ingest accepted cannot be written", e.what());
  }
  std::string again;
  try {
    again = gate::write_bundle(gate::parse_bundle(written, "written.json"));
  } catch (const gate::Error& e) {
    gate::fuzz::finding("a written bundle does not read back", e.what());
  }
  if (again != written) gate::fuzz::finding("a bundle reads back different", written + "\n---\n" + again);
  return 0;
}
