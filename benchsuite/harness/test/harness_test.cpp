// benchsuite/harness/test/harness_test.cpp — the harness: allocation counting
// through the replaced operator new, the context and counters run_main puts in
// the JSON, one named callgrind dump per benchmark run, and the same for plain
// BENCHMARK functions on perfgate::benchmark_main.
#define BOOST_TEST_MODULE harness
#include <boost/test/unit_test.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "perfgate/harness/memory_manager.hpp"

namespace fs = std::filesystem;
using perfgate::harness::AllocationStats;
using perfgate::harness::start_allocation_counting;
using perfgate::harness::stop_allocation_counting;

namespace {

// Valgrind cannot run a binary built with AddressSanitizer.
constexpr bool k_can_run_callgrind = !PERFGATE_SANITIZED;

// glibc rounds a request up to its chunk size; a block's usable size exceeds
// the request by less than this.
constexpr std::int64_t k_slack = 32;

// Keeps the optimiser from eliding a new/delete pair.
void escape(void* p) { asm volatile("" : : "g"(p) : "memory"); }

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "perfgate-harness-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("creating a temporary directory failed");
    }
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Appended piecewise: GCC 12 at -O3 warns (-Wrestrict, falsely) on "'" + string.
std::string shell_quote(const fs::path& p) {
  std::string quoted;
  quoted.push_back('\'');
  quoted.append(p.string());
  quoted.push_back('\'');
  return quoted;
}


// Runs `suite` under callgrind as the gate does (one iteration per run), with
// two repetitions, writing its dumps into `dir`. Returns the exit code.
int run_under_callgrind(const std::string& valgrind, const fs::path& suite, const fs::path& dir) {
  // LD_BIND_NOW: the dynamic linker's lazy binding would otherwise charge its
  // first-call work to the first repetition (README: instrumented runs).
  return run("LD_BIND_NOW=1 " + shell_quote(valgrind) + " --tool=callgrind --collect-atstart=no --callgrind-out-file=" +
             shell_quote(dir / "callgrind.out") + " " + shell_quote(suite) +
             " --benchmark_min_time=0 --benchmark_repetitions=2 > " + shell_quote(dir / "stdout") + " 2> " +
             shell_quote(dir / "stderr"));
}

// Instruction totals of the dumps in `dir` by their client-request label.
std::map<std::string, std::vector<std::int64_t>> read_dumps(const fs::path& dir) {
  // Each dump is <out>.<n>; its trigger line names the client request's label.
  std::map<std::string, std::vector<std::int64_t>> instructions_by_label;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind("callgrind.out.", 0) != 0) {
      continue;
    }
    std::istringstream lines(read_file(entry.path()));
    std::string label;
    std::int64_t total = -1;
    for (std::string line; std::getline(lines, line);) {
      const std::string trigger = "desc: Trigger: Client Request: ";
      if (line.rfind(trigger, 0) == 0) {
        label = line.substr(trigger.size());
      } else if (line.rfind("totals: ", 0) == 0 || line.rfind("summary: ", 0) == 0) {
        total = std::stoll(line.substr(line.find(' ') + 1));
      }
    }
    BOOST_TEST(!label.empty(), file << " has no client-request trigger");
    instructions_by_label[label].push_back(total);
  }
  return instructions_by_label;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(memory_manager)

BOOST_AUTO_TEST_CASE(counts_allocations_and_the_peak_of_live_bytes) {
  std::array<char*, 8> small{};
  std::array<char*, 3> large{};
  start_allocation_counting();
  // Phase one: eight blocks of 1000 bytes live together (peak ~8000).
  for (auto& p : small) {
    p = new char[1000];
    escape(p);
  }
  for (auto& p : small) {
    delete[] p;
  }
  // Phase two: three blocks of 2000 bytes live together (~6000, below the peak).
  for (auto& p : large) {
    p = new char[2000];
    escape(p);
  }
  for (auto& p : large) {
    delete[] p;
  }
  const AllocationStats stats = stop_allocation_counting();

  BOOST_TEST(stats.num_allocs == 11);
  BOOST_TEST(stats.max_bytes_used >= 8000);
  BOOST_TEST(stats.max_bytes_used <= 8000 + 8 * k_slack);
  BOOST_TEST(stats.total_allocated_bytes >= 14000);
  BOOST_TEST(stats.total_allocated_bytes <= 14000 + 11 * k_slack);
  BOOST_TEST(stats.net_heap_growth == 0);
}

BOOST_AUTO_TEST_CASE(counts_nothing_outside_start_and_stop) {
  auto* before = new char[5000];
  escape(before);
  start_allocation_counting();
  // Freed while counting but allocated before: lowers the live level only.
  delete[] before;
  const AllocationStats stats = stop_allocation_counting();
  auto* after = new char[100];
  escape(after);
  delete[] after;

  BOOST_TEST(stats.num_allocs == 0);
  BOOST_TEST(stats.max_bytes_used == 0);
  BOOST_TEST(stats.net_heap_growth <= -5000);
  BOOST_TEST(stop_allocation_counting().num_allocs == 0);
}

BOOST_AUTO_TEST_CASE(counts_every_form_of_operator_new) {
  struct alignas(128) Wide {
    char bytes[128];
  };
  start_allocation_counting();
  auto* a = new int(1);
  auto* b = new int[3];
  auto* c = new (std::nothrow) int(2);
  auto* d = new (std::nothrow) int[5];
  auto* e = new Wide;
  auto* f = new Wide[2];
  void* g = ::operator new(100, std::align_val_t{64});
  void* h = ::operator new(0);
  for (void* p : {static_cast<void*>(a), static_cast<void*>(b), static_cast<void*>(c), static_cast<void*>(d),
                  static_cast<void*>(e), static_cast<void*>(f), g, h}) {
    escape(p);
  }
  const bool aligned = reinterpret_cast<std::uintptr_t>(e) % 128 == 0 &&
                       reinterpret_cast<std::uintptr_t>(f) % 128 == 0 &&
                       reinterpret_cast<std::uintptr_t>(g) % 64 == 0;
  delete a;
  delete[] b;
  delete c;
  delete[] d;
  delete e;
  delete[] f;
  ::operator delete(g, std::align_val_t{64});
  ::operator delete(h);
  const AllocationStats stats = stop_allocation_counting();

  BOOST_TEST(stats.num_allocs == 8);
  BOOST_TEST(aligned);
  BOOST_TEST(h != nullptr);
  BOOST_TEST(stats.net_heap_growth == 0);
  BOOST_TEST(stats.total_allocated_bytes >= 4 + 12 + 4 + 20 + 128 + 256 + 100);
}

BOOST_AUTO_TEST_CASE(counts_exactly_across_threads) {
  constexpr int k_threads = 4;
  constexpr int k_per_thread = 1000;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&go] {
      while (!go.load()) {
        std::this_thread::yield();
      }
      for (int i = 0; i < k_per_thread; ++i) {
        auto* p = new std::int64_t[8];
        escape(p);
        delete[] p;
      }
    });
  }
  start_allocation_counting();
  go.store(true);
  for (auto& t : threads) {
    t.join();
  }
  const AllocationStats stats = stop_allocation_counting();

  BOOST_TEST(stats.num_allocs == k_threads * k_per_thread);
  BOOST_TEST(stats.total_allocated_bytes >= std::int64_t{k_threads} * k_per_thread * 64);
  // At most one block per thread is live at a time.
  BOOST_TEST(stats.max_bytes_used <= k_threads * (64 + k_slack));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(run_main)

BOOST_AUTO_TEST_CASE(json_has_our_context_and_allocations_per_iteration) {
  TempDir dir;
  const fs::path out = dir.path / "out.json";
  const int rc = run(shell_quote(PERFGATE_TINY_BENCH) +
                     " --benchmark_filter='BM_TinyAlloc|BM_TinySum/10$' --benchmark_min_time=0 "
                     "--benchmark_format=json > " +
                     shell_quote(out));
  BOOST_TEST_REQUIRE(rc == 0);
  const auto json = nlohmann::json::parse(read_file(out));

  const auto& context = json.at("context");
  BOOST_TEST(context.at("build_type").get<std::string>() == PERFGATE_EXPECTED_BUILD_TYPE);
  BOOST_TEST(context.contains("gate_inject"));
  const std::string hw = context.at("hw_counters").get<std::string>();
  BOOST_TEST((hw == "available" || hw.rfind("unsupported: ", 0) == 0), hw);

  std::map<std::string, nlohmann::json> by_name;
  for (const auto& b : json.at("benchmarks")) {
    by_name[b.at("name").get<std::string>()] = b;
  }
  BOOST_TEST_REQUIRE(by_name.count("BM_TinyAlloc") == 1);
  BOOST_TEST_REQUIRE(by_name.count("BM_TinySum/10") == 1);
  const auto& alloc = by_name["BM_TinyAlloc"];
  BOOST_TEST(alloc.at("allocs_per_iter").get<double>() == 3.0);
  BOOST_TEST(alloc.at("max_bytes_used").get<std::int64_t>() >= 4096);
  BOOST_TEST(by_name["BM_TinySum/10"].at("allocs_per_iter").get<double>() == 0.0);
  // Hardware counters appear exactly when the context says they are available.
  BOOST_TEST(alloc.contains("hw_instructions") == (hw == "available"));
}

BOOST_AUTO_TEST_CASE(unknown_arguments_fail) {
  BOOST_TEST(run(shell_quote(PERFGATE_TINY_BENCH) + " --no_such_flag > /dev/null 2>&1") == 1);
}

BOOST_AUTO_TEST_CASE(callgrind_writes_one_named_dump_per_run,
                     *boost::unit_test::enable_if<k_can_run_callgrind>()) {
  const std::string valgrind = PERFGATE_VALGRIND;
  BOOST_TEST_REQUIRE(!valgrind.empty(), "valgrind not found: scripts/install-deps installs it");
  TempDir dir;
  BOOST_TEST_REQUIRE(run_under_callgrind(valgrind, PERFGATE_TINY_BENCH, dir.path) == 0, read_file(dir.path / "stderr"));

  auto instructions_by_label = read_dumps(dir.path);
  const std::vector<std::string> expected = {
      "BM_TinySum/10 iterations=1", "BM_TinySum/1000 iterations=1", "BM_TinyHeavySetup iterations=1",
      "BM_TinyAlloc iterations=1", "BM_TinyThreads/threads:2 iterations=1"};
  BOOST_TEST(instructions_by_label.size() == expected.size());
  for (const auto& label : expected) {
    BOOST_TEST_CONTEXT(label) {
      BOOST_TEST_REQUIRE(instructions_by_label.count(label) == 1);
      BOOST_TEST(instructions_by_label[label].size() == 2u);  // one per repetition
      for (std::int64_t ir : instructions_by_label[label]) {
        BOOST_TEST(ir > 0);
      }
    }
  }
  // Deterministic: every repetition of a run without allocations in its loop
  // counts the same instructions.
  const auto& small = instructions_by_label["BM_TinySum/10 iterations=1"];
  const auto& big = instructions_by_label["BM_TinySum/1000 iterations=1"];
  BOOST_TEST(small[0] == small[1]);
  BOOST_TEST(big[0] == big[1]);
  // The loop is collected: 990 more additions cost at least 990 instructions.
  BOOST_TEST(big[0] >= small[0] + 990);
  // The setup is not: two million iterations before the scope leave no trace.
  BOOST_TEST(instructions_by_label["BM_TinyHeavySetup iterations=1"][0] < 100000);
}

BOOST_AUTO_TEST_SUITE_END()

// Plain BENCHMARK functions linked with perfgate::benchmark_main: no
// MeasuredScope, no main of their own.
BOOST_AUTO_TEST_SUITE(benchmark_main)

BOOST_AUTO_TEST_CASE(plain_functions_get_the_context_and_allocation_counts) {
  TempDir dir;
  const fs::path out = dir.path / "out.json";
  const int rc = run(shell_quote(PERFGATE_PLAIN_BENCH) + " --benchmark_min_time=0 --benchmark_format=json > " +
                     shell_quote(out));
  BOOST_TEST_REQUIRE(rc == 0);
  const auto json = nlohmann::json::parse(read_file(out));

  // The suite's own build type and compiler, from the suite's compilation.
  const auto& context = json.at("context");
  BOOST_TEST(context.at("build_type").get<std::string>() == PERFGATE_EXPECTED_BUILD_TYPE);
  const std::string compiler = context.at("compiler").get<std::string>();
  BOOST_TEST((compiler.rfind("gcc ", 0) == 0 || compiler.rfind("clang ", 0) == 0), compiler);
  BOOST_TEST(context.at("gate_inject").get<std::string>() == "none");
  BOOST_TEST(context.contains("hw_counters"));

  std::map<std::string, nlohmann::json> by_name;
  for (const auto& b : json.at("benchmarks")) {
    by_name[b.at("name").get<std::string>()] = b;
  }
  BOOST_TEST_REQUIRE(by_name.count("BM_PlainAlloc") == 1);
  // Without a scope the whole function is counted, as stock Google Benchmark
  // does: the loop's two allocations and whatever the run itself allocates.
  BOOST_TEST(by_name["BM_PlainAlloc"].at("allocs_per_iter").get<double>() >= 2.0);
  BOOST_TEST(by_name["BM_PlainAlloc"].contains("max_bytes_used"));
}

BOOST_AUTO_TEST_CASE(callgrind_writes_one_dump_per_plain_benchmark,
                     *boost::unit_test::enable_if<k_can_run_callgrind>()) {
  const std::string valgrind = PERFGATE_VALGRIND;
  BOOST_TEST_REQUIRE(!valgrind.empty(), "valgrind not found: scripts/install-deps installs it");
  TempDir first;
  TempDir second;
  BOOST_TEST_REQUIRE(run_under_callgrind(valgrind, PERFGATE_PLAIN_BENCH, first.path) == 0,
                     read_file(first.path / "stderr"));
  BOOST_TEST_REQUIRE(run_under_callgrind(valgrind, PERFGATE_PLAIN_BENCH, second.path) == 0,
                     read_file(second.path / "stderr"));
  auto dumps = read_dumps(first.path);
  auto again = read_dumps(second.path);

  // One dump per benchmark, whatever the repetitions: its allocation-counting
  // run, of min(16, iterations) iterations.
  const std::vector<std::string> expected = {"BM_PlainSum/10 iterations=1", "BM_PlainSum/1000 iterations=1",
                                             "BM_PlainFixed/iterations:40 iterations=16",
                                             "BM_PlainAlloc iterations=1",
                                             "BM_PlainThreads/threads:2 iterations=1"};
  BOOST_TEST(dumps.size() == expected.size());
  for (const auto& label : expected) {
    BOOST_TEST_CONTEXT(label) {
      BOOST_TEST_REQUIRE(dumps.count(label) == 1);
      BOOST_TEST_REQUIRE(dumps[label].size() == 1u);
      BOOST_TEST(dumps[label][0] > 0);
      // Deterministic from one process to the next.
      BOOST_TEST_REQUIRE(again.count(label) == 1);
      BOOST_TEST(again[label] == dumps[label]);
    }
  }
  // The benchmark's loop is collected: 990 more additions cost at least 990
  // instructions.
  BOOST_TEST(dumps["BM_PlainSum/1000 iterations=1"][0] >= dumps["BM_PlainSum/10 iterations=1"][0] + 990);
  // Sixteen iterations of 100 additions each.
  BOOST_TEST(dumps["BM_PlainFixed/iterations:40 iterations=16"][0] >= 16 * 100);
}

BOOST_AUTO_TEST_SUITE_END()
