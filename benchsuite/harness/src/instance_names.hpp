// benchsuite/harness/src/instance_names.hpp — which benchmark instance is running
// now. Google Benchmark 1.7 does not tell a running benchmark its own name, so
// under callgrind the harness lists the instances first and follows the
// reports to know which one comes next.
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

namespace perfgate::harness {

/// The names Google Benchmark will run with the flags given so far (filter
/// included), in run order, as --benchmark_list_tests prints them. Parses the
/// command line again to switch listing on and back off; call it after
/// benchmark::Initialize.
[[nodiscard]] std::vector<std::string> list_instance_names(const char* argv0);

/// Installs the run order for current_instance_name(); an empty list clears it.
void set_instance_order(std::vector<std::string> names);
/// The instance that runs now: the first one not yet reported. Nullptr when
/// no order was installed or all were reported.
[[nodiscard]] const std::string* current_instance_name() noexcept;

/// A display reporter that forwards everything to `inner` and, on each
/// report, moves current_instance_name() past the reported instance.
/// Repetitions are reported together after an instance's last one, so this
/// follows the run order as long as repetitions are not interleaved.
class InstanceTrackingReporter final : public benchmark::BenchmarkReporter {
 public:
  explicit InstanceTrackingReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner);
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& reports) override;
  void Finalize() override;

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> m_inner;
};

}  // namespace perfgate::harness
