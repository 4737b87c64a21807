// benchsuite/gate_bench.cpp — the gate measured like any other suite:
// reading a pair of large Google Benchmark files and judging them, the work
// `gate compare` does on every pull request.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

#include "gate/workflow/compare.hpp"
#include "gate/workflow/merge.hpp"
#include "gate/workflow/record.hpp"
#include "gate/formats/bundle.hpp"
#include "gate/judge/judge.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/policy/policy.hpp"
#include "perfgate/harness.hpp"

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
// goal is at most 0.4 s and 100 MiB for 5,000 benchmarks × 10
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
BENCHMARK(BM_IngestCompare)->ArgName("benchmarks")->Arg(500)->Arg(5000)->Unit(benchmark::kMillisecond);

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
BENCHMARK(BM_Ingest)->ArgName("benchmarks")->Arg(5000)->Unit(benchmark::kMillisecond);

// A repository whose HEAD holds baselines/r1/ with `suites` suites of
// `benchmarks` benchmarks each (ten repetitions of cpu_time and real_time),
// committed with the git program once per process.
class BaselineRepo {
 public:
  BaselineRepo(int suites, int benchmarks) {
    std::string templ = (fs::temp_directory_path() / "bench-gate-repo-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_dir = templ;
    gate::RunBundle meta;
    meta.runner.id = "r1";
    meta.runner.fingerprint = {{"cpu_model", "bench"}, {"logical_cores", "2"}};
    meta.commit = std::string(40, 'a');
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> noise(0.0, 0.1);
    fs::create_directories(m_dir / "baselines/r1");
    for (int s = 0; s < suites; ++s) {
      gate::Suite suite;
      suite.name = "bench_s" + std::to_string(s);
      suite.context = {{"executable", suite.name}, {"build_type", "Release"}};
      for (int b = 0; b < benchmarks; ++b) {
        gate::Benchmark bench;
        bench.name = "BM_Family" + std::to_string(b / 8) + "/" + std::to_string(8 << (b % 8));
        bench.repetitions = 10;
        bench.iterations = 1000;
        for (const char* metric : {"real_time", "cpu_time"}) {
          gate::Metric m;
          m.name = metric;
          m.unit = "ns";
          for (int r = 0; r < 10; ++r) m.samples.push_back(1000.0 * (b + 1) * noise(rng));
          bench.metrics.push_back(std::move(m));
        }
        suite.benchmarks.push_back(std::move(bench));
      }
      std::ofstream(m_dir / "baselines/r1" / (suite.name + ".json")) << gate::write_baseline(meta, suite);
    }
    std::string git = "cd " + m_dir.string() +
                      " && git init -q -b main && git add -A && git -c user.name=b -c user.email=b@b commit -qm b";
    if (std::system(git.c_str()) != 0) throw std::runtime_error("git failed: " + git);
  }
  ~BaselineRepo() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  BaselineRepo(const BaselineRepo&) = delete;
  BaselineRepo& operator=(const BaselineRepo&) = delete;
  [[nodiscard]] const fs::path& dir() const { return m_dir; }

 private:
  fs::path m_dir;
};

// What `gate compare --baseline-ref` does before judging: resolve the ref and
// read and parse every baseline of one runner through libgit2. Goal: at most
// 50 ms for 50 suites × 200 benchmarks.
void BM_LoadBaselineAtRef(benchmark::State& state) {
  static BaselineRepo repo(50, 200);
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    gate::BaselineAtRef at = gate::load_baseline_at(repo.dir(), "HEAD", "r1");
    if (at.bundle.suites.size() != 50) state.SkipWithError("expected 50 suites");
    benchmark::DoNotOptimize(at.bundle.suites.data());
  }
  state.SetItemsProcessed(state.iterations() * 50 * 200);
}
BENCHMARK(BM_LoadBaselineAtRef)->Unit(benchmark::kMillisecond);

// The git half of it alone: resolving the ref and reading the blobs.
void BM_ReadBlobsAtRef(benchmark::State& state) {
  static BaselineRepo repo(50, 200);
  perfgate::harness::MeasuredScope scope(state);
  std::size_t bytes = 0;
  for (auto _ : state) {
    gate::RefSnapshot snap = gate::read_baselines_at(repo.dir(), "HEAD", "r1");
    bytes = 0;
    for (const auto& [name, text] : snap.files) bytes += text.size();
    benchmark::DoNotOptimize(snap.files.size());
  }
  state.counters["blob_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ReadBlobsAtRef)->Unit(benchmark::kMillisecond);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
