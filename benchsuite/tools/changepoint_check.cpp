// benchsuite/tools/changepoint_check.cpp — measures gate::stats::find_change_points
// on pure noise and on steps of known size, synthetic and recorded on this
// machine; scripts/changepoint-check records the runs and calls it, and
// docs/report.md quotes what it prints.
//
//   changepoint_check [--runs DIR] [--trials N] [--length N] [--seed N]
//                     [--window N] [--max-p P] [--weak-p P] [--min-segment N]
//                     [--min-magnitude F] [--test welch|mann-whitney]
//
// Synthetic series: a level of 1000 with Gaussian noise of a given
// coefficient of variation (2%, 5%, 10%, 20%), drawn from mt19937_64 through
// Box–Muller, so that a seed gives the same series with any standard library.
// Real series: DIR holds Google Benchmark JSON files of repeated runs of one
// binary (NNN.json, in the order they ran); each run gives each benchmark's
// cpu_time and real_time one point, the median of its repetitions. Three
// views of that noise: the runs in the order they ran, cut into disjoint
// series of --length points (the machine's drift included); series of points
// drawn at random from a benchmark's runs (its noise without the drift); and
// those with a step multiplied in from the middle on.
// Prints Markdown. Exit code 0 after a run, 2 on bad arguments or input.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "gate/error.hpp"
#include "gate/formats/google_benchmark.hpp"
#include "gate/stats/stats.hpp"
#include "gate/stats/change_points.hpp"

namespace fs = std::filesystem;
using gate::stats::ChangePoint;
using gate::stats::ChangePointOptions;

namespace {

struct Args {
  fs::path runs;
  int trials = 1000;
  std::size_t length = 30;
  std::uint64_t seed = 1;
  ChangePointOptions options;
};

// Standard normal deviates from mt19937_64 (whose sequence the standard
// fixes), unlike std::normal_distribution, whose algorithm it does not.
class Normal {
 public:
  explicit Normal(std::uint64_t seed) : m_rng(seed) {}
  double operator()() {
    if (m_has_spare) {
      m_has_spare = false;
      return m_spare;
    }
    double u1 = 0;
    do {
      u1 = static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
    } while (u1 == 0);
    const double u2 = static_cast<double>(m_rng() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2 * std::log(u1));
    m_spare = r * std::sin(2 * M_PI * u2);
    m_has_spare = true;
    return r * std::cos(2 * M_PI * u2);
  }
  std::uint64_t raw() { return m_rng(); }

 private:
  std::mt19937_64 m_rng;
  double m_spare = 0;
  bool m_has_spare = false;
};

std::vector<double> noise_series(Normal& normal, std::size_t length, double cv) {
  std::vector<double> s(length);
  for (double& v : s) v = 1000 * (1 + cv * normal());
  return s;
}

void apply_step(std::vector<double>& s, std::size_t at, double step) {
  for (std::size_t i = at; i < s.size(); ++i) s[i] *= 1 + step;
}

std::vector<std::size_t> indices(const std::vector<ChangePoint>& cps) {
  std::vector<std::size_t> out;
  for (const auto& c : cps) out.push_back(c.index);
  return out;
}

struct Tally {
  int series = 0;
  int with_alarm = 0;   // pure noise: series with at least one change point
  int exact = 0;        // steps: exactly the true indices
  int near = 0;         // steps: as many points as steps, each within ±1
  long points = 0;
  void add_noise(const std::vector<ChangePoint>& cps) {
    ++series;
    if (!cps.empty()) ++with_alarm;
    points += static_cast<long>(cps.size());
  }
  void add_steps(const std::vector<ChangePoint>& cps, const std::vector<std::size_t>& truth) {
    ++series;
    auto got = indices(cps);
    if (got == truth) ++exact;
    if (got.size() == truth.size()) {
      bool ok = true;
      for (std::size_t i = 0; i < got.size(); ++i) {
        ok = ok && (got[i] + 1 >= truth[i] && got[i] <= truth[i] + 1);
      }
      if (ok) ++near;
    }
  }
};

std::string pct(int k, int n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f%% (%d/%d)", n == 0 ? 0.0 : 100.0 * k / n, k, n);
  return buf;
}

const std::vector<double> k_steps = {0.02, 0.03, 0.05, 0.075, 0.10, 0.15, 0.20, 0.30, 0.40, 0.50, 0.75, 1.0};

// The smallest step of k_steps, up and down by the same ratio at the middle
// of the series, found in at least 95% of the trials exactly at its index,
// and the smallest found within one point of it: "a / b", "none" when no
// step of the grid reaches it.
template <typename MakeNoise>
std::string smallest_step(const Args& a, MakeNoise make_noise) {
  const std::size_t at = a.length / 2;
  std::string exact = "none";
  std::string near = "none";
  for (double step : k_steps) {
    Tally up;
    Tally down;
    for (int t = 0; t < a.trials; ++t) {
      auto s = make_noise(t);
      auto d = s;
      apply_step(s, at, step);
      apply_step(d, at, -step / (1 + step));  // the same ratio, downwards
      up.add_steps(gate::stats::find_change_points(s, a.options), {at});
      down.add_steps(gate::stats::find_change_points(d, a.options), {at});
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", step * 100);
    if (near == "none" && up.near * 100 >= 95 * up.series && down.near * 100 >= 95 * down.series) near = buf;
    if (up.exact * 100 >= 95 * up.series && down.exact * 100 >= 95 * down.series) {
      exact = buf;
      break;
    }
  }
  return exact + " / " + near;
}

void synthetic(const Args& a) {
  std::printf("## Synthetic noise (Gaussian, %zu points, %d series per case)\n\n", a.length, a.trials);
  std::printf("| noise (cv) | false alarms: series with a change point | +20%% at %zu: exact | ±1 | "
              "-30%% at %zu: exact | both: exact | smallest step found in ≥95%%, at %zu: exact / ±1 |\n",
              a.length * 2 / 5, a.length * 2 / 3, a.length / 2);
  std::printf("|---|---|---|---|---|---|---|\n");
  for (double cv : {0.02, 0.05, 0.10, 0.20}) {
    Normal normal(a.seed + static_cast<std::uint64_t>(cv * 1000));
    Tally noise;
    Tally up;
    Tally down;
    Tally both;
    const std::size_t i_up = a.length * 2 / 5;   // 12 of 30
    const std::size_t i_down = a.length * 2 / 3;  // 20 of 30
    for (int t = 0; t < a.trials; ++t) {
      noise.add_noise(gate::stats::find_change_points(noise_series(normal, a.length, cv), a.options));
      auto s = noise_series(normal, a.length, cv);
      apply_step(s, i_up, 0.20);
      up.add_steps(gate::stats::find_change_points(s, a.options), {i_up});
      auto d = noise_series(normal, a.length, cv);
      apply_step(d, i_down, -0.30);
      down.add_steps(gate::stats::find_change_points(d, a.options), {i_down});
      auto b = noise_series(normal, a.length, cv);
      apply_step(b, i_up, 0.20);
      apply_step(b, i_down, -0.30);
      both.add_steps(gate::stats::find_change_points(b, a.options), {i_up, i_down});
    }
    Normal grid(a.seed + 7 + static_cast<std::uint64_t>(cv * 1000));
    std::string smallest = smallest_step(a, [&](int) { return noise_series(grid, a.length, cv); });
    std::printf("| %g%% | %s | %s | %s | %s | %s | %s |\n", cv * 100, pct(noise.with_alarm, noise.series).c_str(),
                pct(up.exact, up.series).c_str(), pct(up.near, up.series).c_str(), pct(down.exact, down.series).c_str(),
                pct(both.exact, both.series).c_str(), smallest.c_str());
  }
  std::printf("\n");
}

struct RealSeries {
  std::string name;  // "BM_X/small cpu_time"
  std::vector<double> medians;  // one per run, in run order
  double within_cv = 0;  // mean over runs of the repetitions' cv
};

std::vector<RealSeries> load_runs(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, RealSeries> by_name;
  std::vector<std::string> order;
  for (const auto& f : files) {
    gate::RunBundle run = gate::read_results(f);
    for (const auto& suite : run.suites) {
      for (const auto& b : suite.benchmarks) {
        if (b.error) continue;
        for (const char* metric : {"cpu_time", "real_time"}) {
          const gate::Metric* m = b.metric(metric);
          if (m == nullptr || m->samples.size() < 2) continue;
          std::string key = b.name + " " + metric;
          auto [it, fresh] = by_name.try_emplace(key);
          if (fresh) {
            it->second.name = key;
            order.push_back(key);
          }
          it->second.medians.push_back(gate::stats::median(m->samples));
          it->second.within_cv += gate::stats::cv(m->samples);
        }
      }
    }
  }
  std::vector<RealSeries> out;
  for (const auto& k : order) {
    RealSeries s = by_name[k];
    s.within_cv /= static_cast<double>(s.medians.size());
    out.push_back(std::move(s));
  }
  std::printf("Read %zu runs from %s.\n\n", files.size(), dir.c_str());
  return out;
}

void real(const Args& a) {
  std::vector<RealSeries> all = load_runs(a.runs);
  std::printf("## This machine's noise (per-run medians of %s)\n\n", a.runs.filename().c_str());
  std::printf("| series | runs | cv of the runs' medians (robust) | within-run cv / √n | change points over all runs "
              "in order | false alarms, in-order blocks of %zu | false alarms, resampled | smallest step found in "
              "≥95%%, resampled: exact / ±1 |\n",
              a.length);
  std::printf("|---|---|---|---|---|---|---|---|\n");
  std::map<std::string, std::pair<Tally, Tally>> totals;  // metric → in-order blocks, resampled
  for (const auto& s : all) {
    const std::size_t n = s.medians.size();
    auto whole = gate::stats::find_change_points(s.medians, a.options);
    std::string where;
    for (const auto& c : whole) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%zu (%+.0f%%)", where.empty() ? "" : ", ", c.index, c.change * 100);
      where += buf;
    }
    Tally blocks;
    for (std::size_t b = 0; b + a.length <= n; b += a.length) {
      std::vector<double> block(s.medians.begin() + static_cast<std::ptrdiff_t>(b),
                                s.medians.begin() + static_cast<std::ptrdiff_t>(b + a.length));
      blocks.add_noise(gate::stats::find_change_points(block, a.options));
    }
    Normal pick(a.seed + std::hash<std::string>{}(s.name));
    auto resample = [&](int) {
      std::vector<double> r(a.length);
      for (double& v : r) v = s.medians[pick.raw() % n];
      return r;
    };
    Tally resampled;
    for (int t = 0; t < a.trials; ++t) resampled.add_noise(gate::stats::find_change_points(resample(t), a.options));
    std::string smallest = smallest_step(a, resample);
    auto& [total_blocks, total_resampled] = totals[s.name.substr(s.name.rfind(' ') + 1)];
    total_blocks.series += blocks.series;
    total_blocks.with_alarm += blocks.with_alarm;
    total_resampled.series += resampled.series;
    total_resampled.with_alarm += resampled.with_alarm;
    std::printf("| %s | %zu | %.1f%% | %.1f%% | %s | %s | %s | %s |\n", s.name.c_str(), n,
                100 * gate::stats::robust_cv(s.medians), 100 * s.within_cv / std::sqrt(10.0),
                whole.empty() ? "none" : where.c_str(), pct(blocks.with_alarm, blocks.series).c_str(),
                pct(resampled.with_alarm, resampled.series).c_str(), smallest.c_str());
  }
  for (const auto& [metric, t] : totals) {
    std::printf("| **all %s** | | | | | %s | %s | |\n", metric.c_str(), pct(t.first.with_alarm, t.first.series).c_str(),
                pct(t.second.with_alarm, t.second.series).c_str());
  }
  std::printf("\n");
}

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "changepoint_check: %s\n", why.c_str());
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (i + 1 >= argc) usage("'" + k + "' needs a value");
    std::string v = argv[++i];
    try {
      if (k == "--runs") a.runs = v;
      else if (k == "--trials") a.trials = std::stoi(v);
      else if (k == "--length") a.length = std::stoul(v);
      else if (k == "--seed") a.seed = std::stoull(v);
      else if (k == "--window") a.options.window = std::stoul(v);
      else if (k == "--max-p") a.options.max_p_value = std::stod(v);
      else if (k == "--weak-p") a.options.weak_p_value = std::stod(v);
      else if (k == "--min-segment") a.options.min_segment = std::stoul(v);
      else if (k == "--min-magnitude") a.options.min_magnitude = std::stod(v);
      else if (k == "--test" && (v == "welch" || v == "mann-whitney"))
        a.options.test = v == "welch" ? gate::stats::ChangePointTest::welch_t : gate::stats::ChangePointTest::mann_whitney;
      else usage("unknown argument '" + k + "'");
    } catch (const std::logic_error&) {
      usage("bad value '" + v + "' for " + k);
    }
  }
  if (a.trials <= 0 || a.length < 4) usage("--trials must be positive and --length at least 4");
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args a = parse(argc, argv);
  try {
    std::printf("# Change points: false alarms and smallest step\n\n");
    std::printf("Options: window %zu, max_p_value %g, weak_p_value %g, min_segment %zu, min_magnitude %g, test %s.\n\n",
                a.options.window, a.options.max_p_value, a.options.weak_p_value, a.options.min_segment,
                a.options.min_magnitude,
                a.options.test == gate::stats::ChangePointTest::welch_t ? "welch" : "mann-whitney");
    synthetic(a);
    if (!a.runs.empty()) real(a);
  } catch (const gate::Error& e) {
    std::fprintf(stderr, "changepoint_check: error: %s\n", e.what());
    return 2;
  }
  return 0;
}
