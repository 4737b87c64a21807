// benchsuite/tools/gen_pair.cpp — writes a baseline/contender pair of synthetic
// Google Benchmark 1.7.1 JSON files for the end-to-end "pure noise is not a
// regression" test, for measuring ingest and comparison at scale, and for
// measuring what the gate catches (scripts/stats-check).
//
//   gen_pair OUT_BASELINE OUT_CONTENDER [--benchmarks 5000] [--repetitions 10]
//            [--seed N] [--slower NAME=FACTOR ...] [--noise CV]
//            [--changed K --change FRACTION [--list-changed FILE]] [--outliers P]
//
// Every benchmark gets a median (log-uniform between 20 ns and 5 ms) and a
// coefficient of variation (uniform 5–15%, or CV for all with --noise). Both
// files draw their samples independently from the same lognormal
// distribution, so any difference between them is noise — except for the
// benchmarks named with --slower, whose contender samples are multiplied by
// FACTOR, and for K benchmarks chosen at random (by the seed) with --changed,
// whose contender samples are multiplied by 1 + FRACTION; --list-changed
// writes their names, one a line. With --outliers, each repetition of either
// file is, with probability P, slowed by a factor uniform in [1.2, 2] — a
// repetition another job preempted. The options change nothing else: the
// same seed gives the same samples with and without them. Names are
// "BM_Family<k>/<size>" (eight sizes per family, 8 to 1024), as
// Google Benchmark names a ->Range() family. Every seventh benchmark reports
// in microseconds and every third sets items_per_second, so that unit
// conversion and rates are exercised too. Output is deterministic for a given
// seed with the same C++ standard library.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
  std::string baseline_path;
  std::string contender_path;
  int benchmarks = 5000;
  int repetitions = 10;
  std::uint64_t seed = 1;
  std::map<std::string, double> slower;  ///< benchmark name → factor
  double noise = 0;                       ///< every benchmark's CV; 0: uniform 5–15%
  int changed = 0;                        ///< benchmarks chosen at random to change
  double change = 0;                      ///< their contender samples × (1 + change)
  std::string list_changed;               ///< where to write their names
  double outliers = 0;                    ///< probability of a preempted repetition
};

/// The parameters shared by both files: what a benchmark "really" costs.
struct Spec {
  std::string name;
  int family = 0;
  int instance = 0;
  double median_ns = 0;
  double cv = 0;
  bool micro = false;      ///< reported in "us"
  bool items = false;      ///< sets items_per_second
  double items_per_iter = 0;
  double cpu_share = 1.0;  ///< cpu_time / real_time
  bool changed = false;    ///< chosen by --changed
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "gen_pair: %s\n"
               "usage: gen_pair OUT_BASELINE OUT_CONTENDER [--benchmarks N] [--repetitions N] [--seed N]\n"
               "                [--slower NAME=FACTOR ...] [--noise CV]\n"
               "                [--changed K --change FRACTION [--list-changed FILE]] [--outliers P]\n",
               why.c_str());
  std::exit(2);
}

long parse_int(const std::string& flag, const std::string& text, long min) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < min) usage("bad value '" + text + "' for " + flag);
  return v;
}

double parse_fraction(const std::string& flag, const std::string& text, double min) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || !(v >= min)) usage("bad value '" + text + "' for " + flag);
  return v;
}

Options parse_args(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--benchmarks") {
      o.benchmarks = static_cast<int>(parse_int(a, value(), 1));
    } else if (a == "--repetitions") {
      o.repetitions = static_cast<int>(parse_int(a, value(), 2));
    } else if (a == "--seed") {
      o.seed = static_cast<std::uint64_t>(parse_int(a, value(), 0));
    } else if (a == "--slower") {
      std::string v = value();
      auto eq = v.rfind('=');
      if (eq == std::string::npos || eq == 0) usage("--slower wants NAME=FACTOR, got '" + v + "'");
      char* end = nullptr;
      double f = std::strtod(v.c_str() + eq + 1, &end);
      if (*end != '\0' || !(f > 0) || !std::isfinite(f)) usage("bad factor in '" + v + "'");
      o.slower[v.substr(0, eq)] = f;
    } else if (a == "--noise") {
      o.noise = parse_fraction(a, value(), 0);
    } else if (a == "--changed") {
      o.changed = static_cast<int>(parse_int(a, value(), 0));
    } else if (a == "--change") {
      o.change = parse_fraction(a, value(), -0.99);
    } else if (a == "--outliers") {
      o.outliers = parse_fraction(a, value(), 0);
      if (o.outliers > 1) usage("--outliers is a probability, not more than 1");
    } else if (a == "--list-changed") {
      o.list_changed = value();
    } else if (a.rfind("--", 0) == 0) {
      usage("unknown option '" + a + "'");
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) usage("want two output files");
  if (o.changed > o.benchmarks) usage("--changed is more than --benchmarks");
  o.baseline_path = positional[0];
  o.contender_path = positional[1];
  return o;
}

std::vector<Spec> make_specs(const Options& o) {
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> log_median(std::log(20.0), std::log(5e6));
  std::uniform_real_distribution<double> cv(0.05, 0.15);
  std::uniform_real_distribution<double> cpu_share(0.97, 1.0);
  std::vector<Spec> specs;
  specs.reserve(static_cast<std::size_t>(o.benchmarks));
  for (int i = 0; i < o.benchmarks; ++i) {
    Spec s;
    s.family = i / 8;
    s.instance = i % 8;
    char name[64];
    std::snprintf(name, sizeof name, "BM_Family%d/%d", s.family, 8 << s.instance);
    s.name = name;
    s.median_ns = std::exp(log_median(rng));
    s.cv = cv(rng);  // drawn even with --noise, so that the medians stay those of the seed
    if (o.noise > 0) s.cv = o.noise;
    s.micro = i % 7 == 6;
    s.items = i % 3 == 0;
    s.items_per_iter = static_cast<double>(8 << s.instance);
    s.cpu_share = cpu_share(rng);
    specs.push_back(std::move(s));
  }
  if (o.changed > 0) {
    // A stream of its own, so that the choice leaves every sample as it was.
    std::mt19937_64 pick(o.seed * 0xD1B54A32D192ED03ULL + 3);
    std::vector<int> order(static_cast<std::size_t>(o.benchmarks));
    for (int i = 0; i < o.benchmarks; ++i) order[static_cast<std::size_t>(i)] = i;
    for (int i = 0; i < o.changed; ++i) {  // the first steps of a Fisher–Yates shuffle
      std::uniform_int_distribution<int> rest(i, o.benchmarks - 1);
      std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(rest(pick))]);
      specs[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])].changed = true;
    }
  }
  for (const auto& [name, factor] : o.slower) {
    bool found = false;
    for (const auto& s : specs) found = found || s.name == name;
    if (!found) usage("--slower names '" + name + "', which is not one of the generated benchmarks");
  }
  return specs;
}

/// Google Benchmark's own number format: scientific with 16 fractional digits.
std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.16e", v);
  return buf;
}

struct Stats {
  double mean = 0, median = 0, stddev = 0, cv = 0;
};

Stats stats_of(std::vector<double> v) {
  Stats s;
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.stddev = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0;
  s.cv = s.mean != 0 ? s.stddev / s.mean : 0;
  return s;
}

void write_file(const std::string& path, const Options& o, const std::vector<Spec>& specs, bool contender) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) usage("cannot write '" + path + "'");
  // The two files draw independent noise from the same distributions.
  std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ULL + (contender ? 2 : 1));
  std::normal_distribution<double> normal(0.0, 1.0);
  // Outliers come from a stream of their own, so that without them every
  // sample is what it always was.
  std::mt19937_64 preempt(o.seed * 0xA24BAED4963EE407ULL + (contender ? 5 : 4));
  std::uniform_real_distribution<double> chance(0.0, 1.0);

  std::fprintf(f,
               "{\n  \"context\": {\n    \"date\": \"2026-01-01T00:00:00+00:00\",\n    \"host_name\": \"gen-pair\",\n"
               "    \"executable\": \"./bench_synthetic\",\n    \"num_cpus\": 2,\n    \"mhz_per_cpu\": 2600,\n"
               "    \"cpu_scaling_enabled\": false,\n    \"caches\": [\n      {\n        \"type\": \"Data\",\n"
               "        \"level\": 1,\n        \"size\": 49152,\n        \"num_sharing\": 1\n      }\n    ],\n"
               "    \"load_avg\": [0.5,0.25,0.125],\n    \"library_build_type\": \"debug\"\n  },\n"
               "  \"benchmarks\": [\n");
  bool first = true;
  auto begin_row = [&] {
    std::fputs(first ? "    {\n" : ",\n    {\n", f);
    first = false;
  };
  for (std::size_t b = 0; b < specs.size(); ++b) {
    const Spec& s = specs[b];
    double factor = 1.0;
    if (contender) {
      auto it = o.slower.find(s.name);
      if (it != o.slower.end()) factor = it->second;
      if (s.changed) factor *= 1 + o.change;
    }
    double sigma = std::sqrt(std::log(1.0 + s.cv * s.cv));
    double scale = s.micro ? 1e-3 : 1.0;
    const char* unit = s.micro ? "us" : "ns";
    auto iterations = static_cast<std::int64_t>(std::max(1.0, std::round(5e8 / s.median_ns)));
    std::vector<double> real, cpu, items;
    for (int r = 0; r < o.repetitions; ++r) {
      double t = s.median_ns * factor * std::exp(sigma * normal(rng));
      if (o.outliers > 0 && chance(preempt) < o.outliers) t *= 1.2 + 0.8 * chance(preempt);
      real.push_back(t * scale);
      cpu.push_back(t * s.cpu_share * scale);
      items.push_back(s.items_per_iter / (t * 1e-9));
    }
    for (int r = 0; r < o.repetitions; ++r) {
      begin_row();
      std::fprintf(f,
                   "      \"name\": \"%s\",\n      \"family_index\": %d,\n      \"per_family_instance_index\": %d,\n"
                   "      \"run_name\": \"%s\",\n      \"run_type\": \"iteration\",\n      \"repetitions\": %d,\n"
                   "      \"repetition_index\": %d,\n      \"threads\": 1,\n      \"iterations\": %lld,\n"
                   "      \"real_time\": %s,\n      \"cpu_time\": %s,\n      \"time_unit\": \"%s\"",
                   s.name.c_str(), s.family, s.instance, s.name.c_str(), o.repetitions, r,
                   static_cast<long long>(iterations), num(real[static_cast<std::size_t>(r)]).c_str(),
                   num(cpu[static_cast<std::size_t>(r)]).c_str(), unit);
      if (s.items) std::fprintf(f, ",\n      \"items_per_second\": %s", num(items[static_cast<std::size_t>(r)]).c_str());
      std::fputs("\n    }", f);
    }
    Stats sr = stats_of(real), sc = stats_of(cpu), si = stats_of(items);
    struct Agg {
      const char* name;
      double Stats::*field;
      const char* unit;
    };
    for (Agg a : {Agg{"mean", &Stats::mean, "time"}, Agg{"median", &Stats::median, "time"},
                  Agg{"stddev", &Stats::stddev, "time"}, Agg{"cv", &Stats::cv, "percentage"}}) {
      begin_row();
      std::fprintf(f,
                   "      \"name\": \"%s_%s\",\n      \"family_index\": %d,\n      \"per_family_instance_index\": %d,\n"
                   "      \"run_name\": \"%s\",\n      \"run_type\": \"aggregate\",\n      \"repetitions\": %d,\n"
                   "      \"threads\": 1,\n      \"aggregate_name\": \"%s\",\n      \"aggregate_unit\": \"%s\",\n"
                   "      \"iterations\": %d,\n      \"real_time\": %s,\n      \"cpu_time\": %s,\n"
                   "      \"time_unit\": \"%s\"",
                   s.name.c_str(), a.name, s.family, s.instance, s.name.c_str(), o.repetitions, a.name, a.unit,
                   o.repetitions, num(sr.*a.field).c_str(), num(sc.*a.field).c_str(), unit);
      if (s.items) std::fprintf(f, ",\n      \"items_per_second\": %s", num(si.*a.field).c_str());
      std::fputs("\n    }", f);
    }
  }
  std::fputs("\n  ]\n}\n", f);
  if (std::fclose(f) != 0) usage("cannot write '" + path + "'");
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_args(argc, argv);
  std::vector<Spec> specs = make_specs(o);
  write_file(o.baseline_path, o, specs, false);
  write_file(o.contender_path, o, specs, true);
  if (!o.list_changed.empty()) {
    std::FILE* f = std::fopen(o.list_changed.c_str(), "wb");
    if (f == nullptr) usage("cannot write '" + o.list_changed + "'");
    for (const auto& s : specs) {
      if (s.changed) std::fprintf(f, "%s\n", s.name.c_str());
    }
    if (std::fclose(f) != 0) usage("cannot write '" + o.list_changed + "'");
  }
  return 0;
}
