// benchsuite/caro_bench.cpp — caro's request path, matcher then validator
// (guide targets: p95 < 50 ms per request; over 50 requests/s for one user,
// over 5 with concurrent users, 100 concurrent users): single requests, and
// the path under load from 1 to 100 concurrent users.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <vector>

#include "caro/assistant.hpp"
#include "perfgate/harness.hpp"
#include "matcher/samples.hpp"

namespace {

using perfgate::caro::Answer;
using perfgate::caro::Assistant;

const Assistant& shared_assistant() {
  static const Assistant a;
  return a;
}

// One request from a user's words to the answer: match, then validate.
void BM_CaroRequest(benchmark::State& state, std::string_view request) {
  const Assistant& caro = shared_assistant();
  (void)caro.answer(request);  // the thread's scratch grows outside the measured loop
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      Answer a = caro.answer(request);
      benchmark::DoNotOptimize(a);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_CaroRequest, simple, std::string_view("list files"));
BENCHMARK_CAPTURE(BM_CaroRequest, complex,
                  std::string_view("find files modified today larger than 1GB excluding node_modules"));
BENCHMARK_CAPTURE(BM_CaroRequest, refused, std::string_view("delete empty directories in /"));

// Latencies of any number of requests in fixed memory: log-linear buckets,
// 32 per power of two (at most 3% wide; exact below 64 ns). Percentiles are
// nearest-rank over the buckets and read as the bucket's middle.
class LatencyHistogram {
 public:
  void add(std::uint64_t ns) noexcept {
    ++m_counts[bucket(ns)];
    ++m_total;
  }
  void merge(const LatencyHistogram& other) noexcept {
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      m_counts[i] += other.m_counts[i];
    }
    m_total += other.m_total;
  }
  void clear() noexcept {
    m_counts.fill(0);
    m_total = 0;
  }
  [[nodiscard]] std::uint64_t total() const noexcept { return m_total; }
  /// The latency (ns) at quantile `q` in (0, 1]; 0 when empty.
  [[nodiscard]] double quantile(double q) const noexcept {
    if (m_total == 0) {
      return 0;
    }
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(q * static_cast<double>(m_total) + 0.999999));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      seen += m_counts[i];
      if (seen >= rank) {
        return middle(i);
      }
    }
    return middle(m_counts.size() - 1);
  }

 private:
  static constexpr std::size_t k_sub = 32;  // buckets per power of two
  static constexpr std::size_t k_buckets = 60 * k_sub;

  static std::size_t bucket(std::uint64_t ns) noexcept {
    if (ns < 2 * k_sub) {
      return static_cast<std::size_t>(ns);
    }
    const auto octave = static_cast<std::size_t>(63 - std::countl_zero(ns));  // >= 6
    const auto sub = static_cast<std::size_t>(ns >> (octave - 5)) & (k_sub - 1);
    return std::min(k_buckets - 1, (octave - 4) * k_sub + sub);
  }
  static double middle(std::size_t b) noexcept {
    if (b < 2 * k_sub) {
      return static_cast<double>(b);
    }
    const std::size_t octave = b / k_sub + 4;
    const double width = static_cast<double>(std::uint64_t{1} << (octave - 5));
    return static_cast<double>(k_sub + b % k_sub) * width + width / 2;
  }

  std::array<std::uint64_t, k_buckets> m_counts{};
  std::uint64_t m_total = 0;
};

// The users of one run of BM_CaroLoad: their latencies together, and when
// the first request was sent and the last answer came.
using Clock = std::chrono::steady_clock;
struct LoadRun {
  // When the first user sent its first request (steady clock, ns); 0 before.
  std::atomic<std::int64_t> start{0};
  std::mutex mutex;
  LatencyHistogram latencies;
  int finished = 0;
  std::int64_t requests = 0;
  Clock::time_point last;
};
LoadRun g_load;

// The run's start: this user's first request is sent when the first user's
// is, even if this thread gets a core only later.
Clock::time_point load_start() {
  const std::int64_t now = Clock::now().time_since_epoch().count();
  std::int64_t expected = 0;
  g_load.start.compare_exchange_strong(expected, now);
  return Clock::time_point(Clock::duration(expected == 0 ? now : expected));
}

// caro under load: each thread is a user who sends the next request as soon
// as the answer to the last one arrives (no think time: the most contention
// the machine can see), cycling through the matcher's corpus from its own
// starting point, all users on one shared Assistant. A request's latency runs
// from the moment its user sent it (the previous answer's arrival) to its
// answer, so the time a user waits for a core, before or during the request,
// counts (all users send their first request when the run starts): with more
// users than cores (2 here) that wait is most of it for a few requests. 100 users on 2 cores model serving 100 concurrent users at
// saturation. Counters over all users: queries_per_second = requests / the
// wall time from the first request sent to the last answer; p50_ns, p95_ns,
// p99_ns per request. Each request's latency is also its iteration time
// (manual time): Google Benchmark's own timer of a thread starts only when
// that thread first runs, so with more users than cores its wall time would
// leave out the waits, overstate the throughput and make it run far more
// requests than the time budget asks for.
void BM_CaroLoad(benchmark::State& state) {
  const Assistant& caro = shared_assistant();
  if (state.thread_index() == 0) {
    // Before the start barrier of the loop: no other user has finished yet.
    const std::lock_guard lock(g_load.mutex);
    g_load.latencies.clear();
    g_load.finished = 0;
    g_load.requests = 0;
    g_load.last = Clock::time_point::min();
    g_load.start.store(0);
  }
  std::vector<std::string_view> requests;
  for (const auto& s : perfgate::matcher::sample_queries()) {
    if (!s.query.empty()) {
      requests.push_back(s.query);
    }
  }
  requests.push_back("delete empty directories in /");
  for (const std::string_view r : requests) {
    (void)caro.answer(r);  // this thread's scratch grows outside the measured loop
  }
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7 % requests.size();
  LatencyHistogram mine;
  Clock::time_point sent;
  bool started = false;
  {
    perfgate::harness::MeasuredScope scope(state);
    for (auto _ : state) {
      if (!started) {
        started = true;
        sent = load_start();
      }
      Answer a = caro.answer(requests[i]);
      const Clock::time_point answered = Clock::now();
      benchmark::DoNotOptimize(a);
      const auto latency = std::chrono::duration_cast<std::chrono::nanoseconds>(answered - sent);
      state.SetIterationTime(std::chrono::duration<double>(latency).count());
      mine.add(static_cast<std::uint64_t>(latency.count()));
      sent = answered;
      i = i + 1 == requests.size() ? 0 : i + 1;
    }
  }
  state.SetItemsProcessed(state.iterations());
  const std::lock_guard lock(g_load.mutex);
  g_load.latencies.merge(mine);
  g_load.requests += static_cast<std::int64_t>(state.iterations());
  if (started) {
    g_load.last = std::max(g_load.last, sent);
  }
  // The last user to finish reports for all (counters are summed over
  // threads, and only this one sets these).
  const Clock::time_point start(Clock::duration(g_load.start.load()));
  if (++g_load.finished == state.threads() && g_load.last > start) {
    const double seconds = std::chrono::duration<double>(g_load.last - start).count();
    state.counters["queries_per_second"] = static_cast<double>(g_load.requests) / seconds;
    state.counters["p50_ns"] = g_load.latencies.quantile(0.50);
    state.counters["p95_ns"] = g_load.latencies.quantile(0.95);
    state.counters["p99_ns"] = g_load.latencies.quantile(0.99);
  }
}
BENCHMARK(BM_CaroLoad)->Threads(1)->Threads(2)->Threads(10)->Threads(100)->UseManualTime();

}  // namespace

PERFGATE_BENCHMARK_MAIN()
