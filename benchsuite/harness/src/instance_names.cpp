// benchsuite/harness/src/instance_names.cpp — listing the benchmark instances and
// following the reports to know which one runs now.
#include "instance_names.hpp"

#include <atomic>
#include <sstream>
#include <utility>

#include "run_dumps.hpp"

namespace perfgate::harness {
namespace {

std::vector<std::string> g_order;
std::atomic<std::size_t> g_next{0};

// Receives the listing: in list mode Google Benchmark writes one name a line
// to the display reporter's output stream and reports no runs.
class ListingReporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

// Benchmark flags live in the library and are set only by parsing a command
// line, so a flag is switched by parsing a two-word one.
// argv0 must be main's own argv[0]: Google Benchmark keeps the pointer (it
// becomes the context's "executable"), so a temporary copy would dangle.
void parse_flag(const char* argv0, const char* flag) {
  std::string value = flag;
  char* args[] = {const_cast<char*>(argv0), value.data(), nullptr};
  int count = 2;
  benchmark::Initialize(&count, args);
}

}  // namespace

std::vector<std::string> list_instance_names(const char* argv0) {
  std::ostringstream listing;
  ListingReporter reporter;
  reporter.SetOutputStream(&listing);
  parse_flag(argv0, "--benchmark_list_tests=true");
  benchmark::RunSpecifiedBenchmarks(&reporter);
  parse_flag(argv0, "--benchmark_list_tests=false");

  std::vector<std::string> names;
  std::istringstream lines(listing.str());
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      names.push_back(std::move(line));
    }
  }
  return names;
}

void set_instance_order(std::vector<std::string> names) {
  g_order = std::move(names);
  g_next.store(0, std::memory_order_release);
}

const std::string* current_instance_name() noexcept {
  const std::size_t next = g_next.load(std::memory_order_acquire);
  return next < g_order.size() ? &g_order[next] : nullptr;
}

InstanceTrackingReporter::InstanceTrackingReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner)
    : m_inner(std::move(inner)) {}

bool InstanceTrackingReporter::ReportContext(const Context& context) {
  m_inner->SetOutputStream(&GetOutputStream());
  m_inner->SetErrorStream(&GetErrorStream());
  return m_inner->ReportContext(context);
}

void InstanceTrackingReporter::ReportRuns(const std::vector<Run>& reports) {
  // An instance may be reported twice (its runs, then its aggregates), and a
  // family's complexity fit arrives under a name of its own ("BM_x_BigO"):
  // search forward by name rather than counting calls.
  for (const Run& run : reports) {
    const std::string name = run.run_name.str();
    for (std::size_t i = g_next.load(std::memory_order_acquire); i < g_order.size(); ++i) {
      if (g_order[i] == name) {
        // The instance that ran last is reported now: its allocation-counting
        // run, when collected, is dumped under its name.
        dump_reported_run(name, counting_run_iterations(run.iterations, run.threads));
        g_next.store(i + 1, std::memory_order_release);
        break;
      }
    }
  }
  m_inner->ReportRuns(reports);
}

void InstanceTrackingReporter::Finalize() { m_inner->Finalize(); }

}  // namespace perfgate::harness
