// benchsuite/gate_bench.cpp — the gate measured like any other suite:
// reading a pair of large Google Benchmark files and judging them, the work
// `gate compare` does on every pull request.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "gate/compare.hpp"
#include "gate/ingest.hpp"
#include "gate/policy.hpp"
#include "harness/harness.hpp"

namespace fs = std::filesystem;

namespace {

// A pair written once per process by gen_pair (pure noise, every benchmark
// with aggregates), into a directory removed at exit.
struct Pair {
  fs::path baseline;
  fs::path contender;
};

class PairCache {
 public:
  ~PairCache() {
    std::error_code ec;
    if (!m_dir.empty()) fs::remove_all(m_dir, ec);
  }

  const Pair& get(long benchmarks) {
    auto it = m_pairs.find(benchmarks);
    if (it != m_pairs.end()) return it->second;
    if (m_dir.empty()) {
      std::string templ = (fs::temp_directory_path() / "bench-gate-XXXXXX").string();
      if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      m_dir = templ;
    }
    Pair p{m_dir / ("base" + std::to_string(benchmarks) + ".json"),
           m_dir / ("cont" + std::to_string(benchmarks) + ".json")};
    std::string cmd = std::string(GATE_GEN_PAIR) + " " + p.baseline.string() + " " + p.contender.string() +
                      " --benchmarks " + std::to_string(benchmarks) + " --repetitions 10 --seed 7";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("gen_pair failed: " + cmd);
    return m_pairs.emplace(benchmarks, p).first->second;
  }

 private:
  fs::path m_dir;
  std::map<long, Pair> m_pairs;
};

PairCache& pairs() {
  static PairCache cache;
  return cache;
}

// Ingest of both files plus the comparison under the default policy: the
// issue's goal is at most 0.4 s and 100 MiB for 5,000 benchmarks × 10
// repetitions with aggregates (two files of about 29 MB each).
void BM_IngestCompare(benchmark::State& state) {
  const Pair& pair = pairs().get(state.range(0));
  const gate::Policy policy = gate::default_policy();
  auto bytes = static_cast<std::int64_t>(fs::file_size(pair.baseline) + fs::file_size(pair.contender));
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    gate::RunBundle base = gate::read_results(pair.baseline);
    gate::RunBundle cont = gate::read_results(pair.contender);
    gate::Comparison result = gate::compare(base, cont, policy);
    benchmark::DoNotOptimize(result.verdicts.data());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_IngestCompare)->ArgName("benchmarks")->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond)->MinTime(0.5);

// Ingest alone, to tell the two costs apart.
void BM_Ingest(benchmark::State& state) {
  const Pair& pair = pairs().get(state.range(0));
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    gate::RunBundle base = gate::read_results(pair.baseline);
    benchmark::DoNotOptimize(base.suites.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(fs::file_size(pair.baseline)));
}
BENCHMARK(BM_Ingest)->ArgName("benchmarks")->Arg(5000)->Unit(benchmark::kMillisecond)->MinTime(0.5);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
