// benchsuite/report_bench.cpp — what a release report costs before any table
// is drawn: walking a long baseline history through git, parsing every
// distinct baseline file once, building each benchmark's series of medians
// and finding its change points. Not a suite of gate.json: it measures the
// gate, and is run by hand (docs/report.md quotes it).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "gate/formats/bundle.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/change_points.hpp"
#include "gate/store/history.hpp"
#include "gate/workflow/release_report.hpp"
#include "perfgate/harness.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int k_suites = 7;
constexpr int k_benchmarks = 100;
constexpr int k_repetitions = 10;

// A repository whose main holds `updates` baseline updates of runner r1
// between tags "from" and "to": 7 suites of 100 benchmarks (cpu_time and
// real_time, ten repetitions), each update re-recording one suite (60%),
// two (30%) or three (10%), as `gate baseline update` after a merge does,
// with a commit that touches no baseline after every fifth update. One
// benchmark in ten steps by +20% at some update. Written with one `git
// fast-import` per process, into a directory removed at exit.
class HistoryRepo {
 public:
  explicit HistoryRepo(int updates) {
    std::string templ = (fs::temp_directory_path() / "bench-report-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_dir = templ;
    run("git init -q -b main " + m_dir.string());
    FILE* in = popen(("cd " + m_dir.string() + " && git fast-import --quiet").c_str(), "w");
    if (in == nullptr) throw std::runtime_error("git fast-import failed to start");
    std::mt19937_64 rng(17);
    std::lognormal_distribution<double> noise(0.0, 0.05);
    std::vector<int> step_at(k_suites * k_benchmarks, -1);
    for (std::size_t i = 0; i < step_at.size(); i += 10) step_at[i] = static_cast<int>(rng() % static_cast<unsigned>(updates));
    int mark = 0;
    std::int64_t time = 1704067200;
    auto suite_file = [&](int s, int update) {
      gate::RunBundle meta;
      meta.runner.id = "r1";
      meta.runner.fingerprint = {{"cpu_model", "bench"}, {"logical_cores", "2"}};
      meta.commit = std::to_string(update);
      meta.time = "2024-01-01T00:00:00Z";
      gate::Suite suite;
      suite.name = "bench_s" + std::to_string(s);
      suite.context = {{"executable", suite.name}, {"build_type", "Release"}};
      for (int b = 0; b < k_benchmarks; ++b) {
        gate::Benchmark bench;
        bench.name = "BM_Family" + std::to_string(b / 8) + "/" + std::to_string(8 << (b % 8));
        bench.repetitions = k_repetitions;
        bench.iterations = 1000;
        const int step = step_at[static_cast<std::size_t>(s * k_benchmarks + b)];
        const double level = 1000.0 * (b + 1) * (step >= 0 && update >= step ? 1.2 : 1.0);
        for (const char* metric : {"real_time", "cpu_time"}) {
          gate::Metric m;
          m.name = metric;
          m.unit = "ns";
          for (int r = 0; r < k_repetitions; ++r) m.samples.push_back(level * noise(rng));
          bench.metrics.push_back(std::move(m));
        }
        suite.benchmarks.push_back(std::move(bench));
      }
      return gate::write_baseline(meta, suite);
    };
    auto commit = [&](const std::string& message, const std::vector<std::pair<std::string, std::string>>& files) {
      ++mark;
      time += 3600;
      std::fprintf(in, "commit refs/heads/main\nmark :%d\ncommitter b <b@b> %lld +0000\ndata %zu\n%s\n", mark,
                   static_cast<long long>(time), message.size(), message.c_str());
      if (mark > 1) std::fprintf(in, "from :%d\n", mark - 1);
      for (const auto& [path, content] : files) {
        if (path.find("/bench_s") != std::string::npos) {
          m_suite_bytes += content.size();
          ++m_suite_files;
        }
        std::fprintf(in, "M 100644 inline %s\ndata %zu\n", path.c_str(), content.size());
        std::fwrite(content.data(), 1, content.size(), in);
        std::fputc('\n', in);
      }
    };
    std::vector<std::pair<std::string, std::string>> files = {
        {"baselines/r1/runner.json", "{\"id\": \"r1\", \"fingerprint\": {\"cpu_model\": \"bench\"}}\n"}};
    for (int s = 0; s < k_suites; ++s) files.emplace_back("baselines/r1/bench_s" + std::to_string(s) + ".json", suite_file(s, 0));
    commit("Baselines", files);
    std::fprintf(in, "reset refs/tags/from\nfrom :%d\n\n", mark);
    for (int u = 1; u <= updates; ++u) {
      const unsigned roll = static_cast<unsigned>(rng() % 10);
      const int count = roll < 6 ? 1 : roll < 9 ? 2 : 3;
      std::vector<int> chosen;
      while (static_cast<int>(chosen.size()) < count) {
        const int s = static_cast<int>(rng() % k_suites);
        if (std::find(chosen.begin(), chosen.end(), s) == chosen.end()) chosen.push_back(s);
      }
      files.clear();
      for (int s : chosen) files.emplace_back("baselines/r1/bench_s" + std::to_string(s) + ".json", suite_file(s, u));
      commit("Update baselines " + std::to_string(u), files);
      if (u % 5 == 0) commit("Docs " + std::to_string(u), {{"README.md", "update " + std::to_string(u) + "\n"}});
    }
    std::fprintf(in, "reset refs/tags/to\nfrom :%d\n\n", mark);
    if (pclose(in) != 0) throw std::runtime_error("git fast-import failed");
  }
  ~HistoryRepo() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  HistoryRepo(const HistoryRepo&) = delete;
  HistoryRepo& operator=(const HistoryRepo&) = delete;
  [[nodiscard]] const fs::path& dir() const { return m_dir; }
  /// Suite baseline files written, and their bytes: what a report parses.
  [[nodiscard]] std::size_t suite_files() const { return m_suite_files; }
  [[nodiscard]] std::size_t suite_bytes() const { return m_suite_bytes; }

 private:
  static void run(const std::string& cmd) {
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  }
  fs::path m_dir;
  std::size_t m_suite_files = 0;
  std::size_t m_suite_bytes = 0;
};

const HistoryRepo& repo() {
  static const HistoryRepo r(1000);
  return r;
}

// One value per (benchmark, metric) of one suite file, in slots the file's
// benchmarks were first seen in.
struct SuiteSeries {
  std::unordered_map<std::string, std::size_t> slot;  // "BM_x cpu_time" → slot
  std::vector<std::string> updates;                   // blob ids, one per update of the file, oldest first
  std::unordered_map<std::string, std::vector<double>> medians;  // blob → value per slot (NaN: absent)
};

// What the report will do with the history: the medians of every distinct
// file parsed once, then per benchmark and metric the series over the
// commits that updated its suite (an unchanged file is no new measurement),
// and its change points. Returns the number of change points.
std::size_t history_and_change_points(const fs::path& dir, bool find_changes, std::size_t& series_count,
                                      std::size_t& files_parsed) {
  gate::BaselineHistory history = gate::BaselineHistory::walk(dir, "from", "to", "r1");
  std::map<std::string, SuiteSeries> suites;
  for (const auto& f : history.commits().front().files) {
    if (!gate::is_suite_baseline_file(f.name)) continue;
    auto& s = suites[f.name];
    for (std::size_t i : history.updates_of(f.name)) {
      for (const auto& g : history.commits()[i].files) {
        if (g.name == f.name) s.updates.push_back(g.blob);
      }
    }
  }
  history.for_each_suite_baseline([&](const gate::HistoryFile& f, const gate::BaselineFile& file) {
    auto& s = suites[f.name];
    std::vector<double> values(s.slot.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& b : file.suite.benchmarks) {
      for (const auto& m : b.metrics) {
        if (m.samples.empty()) continue;
        auto [it, fresh] = s.slot.try_emplace(b.name + " " + m.name, s.slot.size());
        if (fresh) values.push_back(std::numeric_limits<double>::quiet_NaN());
        values[it->second] = gate::stats::median(m.samples);
      }
    }
    s.medians.emplace(f.blob, std::move(values));
  });
  std::size_t found = 0;
  series_count = 0;
  std::vector<double> series;
  for (auto& [name, s] : suites) {
    for (std::size_t slot = 0; slot < s.slot.size(); ++slot) {
      series.clear();
      for (const auto& blob : s.updates) {
        const auto& values = s.medians.at(blob);
        if (slot < values.size() && !std::isnan(values[slot])) series.push_back(values[slot]);
      }
      ++series_count;
      if (find_changes) found += gate::stats::find_change_points(series).size();
    }
  }
  files_parsed = history.counters().files_parsed;
  return found;
}

std::int64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
}

// The whole: walk, parse, series, change points. Goal: under 5 s and
// 200 MiB on this project's machine for 1,000 updates × 7 suites × 100
// benchmarks. max_bytes_used (the harness's allocation counter) is the peak
// of the heap through operator new; peak_rss_MiB the process's peak
// resident memory, which also holds libgit2's mapped pack and its malloc'd
// objects (the repository is written by a child process).
void BM_ReportHistory(benchmark::State& state) {
  const fs::path& dir = repo().dir();
  std::size_t series = 0;
  std::size_t found = 0;
  std::size_t parsed = 0;
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    found = history_and_change_points(dir, true, series, parsed);
    benchmark::DoNotOptimize(found);
  }
  state.counters["series"] = static_cast<double>(series);
  state.counters["files_parsed"] = static_cast<double>(parsed);
  state.counters["suite_files_written"] = static_cast<double>(repo().suite_files());
  state.counters["suite_MB_written"] = static_cast<double>(repo().suite_bytes()) / 1e6;
  state.counters["change_points"] = static_cast<double>(found);
  state.counters["peak_rss_MiB"] = static_cast<double>(peak_rss_bytes()) / (1024.0 * 1024.0);
}
BENCHMARK(BM_ReportHistory)->Unit(benchmark::kMillisecond)->Iterations(1);

// Without the change points: the git and parsing half.
void BM_HistoryParse(benchmark::State& state) {
  const fs::path& dir = repo().dir();
  std::size_t series = 0;
  std::size_t parsed = 0;
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) benchmark::DoNotOptimize(history_and_change_points(dir, false, series, parsed));
  state.counters["series"] = static_cast<double>(series);
}
BENCHMARK(BM_HistoryParse)->Unit(benchmark::kMillisecond)->Iterations(1);

// What `gate report --from from --to to` does: both ends judged, the
// history, series and change points (build_release_report), and the three
// reports rendered; counters give the sizes of the Markdown, HTML and JSON.
void BM_ReleaseReport(benchmark::State& state) {
  const fs::path& dir = repo().dir();
  gate::ReleaseReportRequest request;
  request.repo = dir;
  request.from = "from";
  request.to = "to";
  request.runner = "r1";
  std::size_t md = 0;
  std::size_t html = 0;
  std::size_t json = 0;
  std::size_t change_points = 0;
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    const gate::ReleaseReport report = gate::build_release_report(request);
    md = gate::render_release_markdown(report).size();
    html = gate::render_release_html(report).size();
    json = gate::render_release_json(report).size();
    change_points = report.runners.front().change_points.size();
  }
  state.counters["markdown_MB"] = static_cast<double>(md) / 1e6;
  state.counters["html_MB"] = static_cast<double>(html) / 1e6;
  state.counters["json_MB"] = static_cast<double>(json) / 1e6;
  state.counters["change_points"] = static_cast<double>(change_points);
  state.counters["peak_rss_MiB"] = static_cast<double>(peak_rss_bytes()) / (1024.0 * 1024.0);
}
BENCHMARK(BM_ReleaseReport)->Unit(benchmark::kMillisecond)->Iterations(1);

// The walk alone: commits and blob ids, nothing read.
void BM_HistoryWalk(benchmark::State& state) {
  const fs::path& dir = repo().dir();
  perfgate::harness::MeasuredScope scope(state);
  for (auto _ : state) {
    gate::BaselineHistory h = gate::BaselineHistory::walk(dir, "from", "to", "r1");
    if (h.commits().size() != 1001) state.SkipWithError("expected 1001 commits");
    benchmark::DoNotOptimize(h.commits().data());
  }
}
BENCHMARK(BM_HistoryWalk)->Unit(benchmark::kMillisecond);

}  // namespace

PERFGATE_BENCHMARK_MAIN()
