// gate/src/run/suite_runner.hpp — running one suite binary's passes (listing,
// timed, callgrind) and product binaries' sizes, shared by plain runs
// (run.cpp) and same-job A/B runs (ab_run.cpp). Private to run/.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gate/formats/callgrind.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"
#include "gate/run/binary_size.hpp"
#include "gate/run/run.hpp"
#include "run/process.hpp"

namespace gate::detail {

/// A private working directory for one run: benchmark output files and
/// callgrind dumps. Removed with everything in it when the run ends.
class WorkDir {
 public:
  WorkDir();  ///< throws gate::Error when no temporary directory can be made
  ~WorkDir();
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

/// valgrind, found in PATH, with its version line; for the callgrind pass.
struct Valgrind {
  std::string path;
  std::string version;  ///< "valgrind-3.19.0"
};

/// The benchmark names a suite's listing (--benchmark_list_tests, with the
/// filter) gave, one per non-empty line; unset when the listing failed.
using Listed = std::optional<std::vector<std::string>>;

/// A shard's part of a suite's listed benchmarks: their names, and the
/// Google Benchmark filter that runs exactly them (every name escaped and
/// anchored). Empty names: none of the benchmarks falls in the shard.
struct ShardPart {
  std::vector<std::string> names;
  std::string filter;
};

/// The Google Benchmark filter that runs exactly the benchmarks of these
/// names (each escaped, the alternatives anchored); empty for none.
[[nodiscard]] std::string exact_filter(const std::vector<std::string>& names);

/// The benchmarks of `listed` that fall in `shard` (in_shard of their names).
[[nodiscard]] ShardPart shard_part(const std::vector<std::string>& listed, const Shard& shard);

/// Finds valgrind; throws gate::Error with an install hint when it is absent.
[[nodiscard]] Valgrind find_valgrind();

/// What happened, then the last lines of the child's stderr (none when `run`
/// is null): what a person needs to start on a failed suite without rerunning it.
[[nodiscard]] std::string failure_text(const std::string& what, const ProcessResult* run);

/// Runs the passes of one suite after another, keeps the progress position
/// and learns, from each timed run, how long the next one will take.
class SuiteRunner {
 public:
  /// `repetitions` per benchmark in the timed pass; `valgrind` is needed
  /// only when options.instrument is set. `work` and `observer` (may be
  /// null) must outlive the runner.
  SuiteRunner(const RunOptions& options, int repetitions, std::optional<Valgrind> valgrind, const WorkDir& work,
              RunObserver* observer);

  void notice(const std::string& text);

  /// Progress position of the passes that follow: step `index` of `count`.
  void set_position(std::size_t index, std::size_t count);

  /// The suite's results (timed pass, then the callgrind pass when asked),
  /// or std::nullopt when the filter leaves it nothing to run.
  std::optional<Suite> run(const SuiteSpec& spec, std::size_t index, std::size_t count);

  /// A product binary's size: a Suite with `product` set and no benchmarks.
  Suite product(const BinarySpec& spec);

  /// The suite's binary in `build_dir` (absolute paths as they are).
  static std::filesystem::path resolve(const SuiteSpec& spec, const std::filesystem::path& build_dir);

  /// Why `binary` cannot be run ("binary 'x' not found: '/b/x' does not
  /// exist"), or std::nullopt when it is a regular file.
  static std::optional<std::string> missing_binary(const SuiteSpec& spec, const std::filesystem::path& binary);

  /// The binary's size, or none with a notice when libelf cannot read it.
  std::optional<BinarySize> size_of(const SuiteSpec& spec, const std::filesystem::path& binary,
                                    const std::string& label);

  struct Listing {
    Listed names;                        ///< benchmarks the filter leaves; unknown when listing failed
    std::optional<std::string> failure;  ///< the listing outlived its timeout
    std::chrono::nanoseconds elapsed{0};
  };

  /// Listing first tells how many benchmarks will run (for the estimate)
  /// and whether the filter leaves any; a binary that cannot list is still
  /// run, so that its failure is recorded the way it happens. Only a listing
  /// that hangs fails the suite.
  Listing list(const SuiteSpec& spec, const std::filesystem::path& binary, std::chrono::nanoseconds timeout);

  /// The subfolder of RunOptions::profiles_dir the next callgrind passes
  /// keep their profiles in ("base", "head" in A/B runs; empty: none).
  void set_profile_side(std::string side) { m_profile_side = std::move(side); }

  /// The filter the next passes run with instead of RunOptions::filter (a
  /// shard's, which the listing already applied the user's filter before);
  /// empty: RunOptions::filter. run() sets its own; A/B runs set it per suite.
  void set_suite_filter(std::string filter) { m_suite_filter = std::move(filter); }

  /// The one CPU the next passes' suite binaries run on (`gate run --ab
  /// --pin`); unset: the CPUs the gate may use.
  void set_cpu(std::optional<int> cpu) { m_cpu = cpu; }

  enum class Outcome { measured, nothing_matched };

  struct TimedRun {
    Outcome outcome = Outcome::measured;
    std::optional<Suite> measured;       ///< the results file, when the run exited and wrote valid results
    std::optional<std::string> failure;  ///< what went wrong, with the tail of stderr
  };

  /// One timed run of the binary with `repetitions` repetitions per
  /// benchmark. Random interleaving spreads a benchmark's repetitions over
  /// the run; A/B rounds (one repetition) run without it. `label` names the
  /// step in progress displays.
  TimedRun timed_run(const SuiteSpec& spec, const std::string& label, const std::filesystem::path& binary,
                     std::chrono::nanoseconds timeout, const Listed& listed, int repetitions,
                     bool interleave);

  /// The callgrind pass (callgrind_pass.cpp): one iteration of every
  /// benchmark under valgrind; the harness's dumps join `suite`'s
  /// benchmarks as deterministic metrics. A failure is added to
  /// Suite::failure; a binary without dumps gets a notice.
  Outcome instrumented_pass(const SuiteSpec& spec, const std::filesystem::path& binary,
                            std::chrono::nanoseconds timeout, const Listed& listed, Suite& suite);

 private:
  std::vector<std::string> command(const std::filesystem::path& binary, const SuiteSpec& spec,
                                   const std::vector<std::string>& ours) const;
  ProcessResult run_pass(std::vector<std::string> argv, std::chrono::nanoseconds timeout,
                         std::optional<std::vector<std::string>> env = std::nullopt);
  /// Reads the --benchmark_out file into `into`; returns the failure, empty when none.
  std::string read_results(const std::filesystem::path& out_file, const std::string& source, Suite& into);
  /// Google Benchmark leaves an empty file and says so on stderr when the
  /// filter matches nothing; the listing catches most such cases earlier.
  [[nodiscard]] bool nothing_matched(const ProcessResult& r, const std::filesystem::path& out_file) const;
  Outcome timed_pass(const SuiteSpec& spec, const std::filesystem::path& binary, std::chrono::nanoseconds timeout,
                     const Listed& listed, Suite& suite);
  /// Keeps the harness dumps in `dumps` as the suite's profiles (callgrind_pass.cpp).
  void keep_profiles(const std::string& suite_name, const std::filesystem::path& dumps);
  /// Places the callgrind counters in `suite`'s benchmarks (callgrind_pass.cpp).
  void merge(const std::string& suite_name, const std::vector<CallgrindCounters>& counters,
             const std::vector<std::string>& known, Suite& suite);

  void start(const std::string& suite, Pass pass, std::size_t benchmarks,
             std::optional<std::chrono::nanoseconds> estimate);
  void finish(const std::string& suite, Pass pass, std::chrono::nanoseconds elapsed, const std::string& failure);

  const RunOptions& m_options;
  int m_repetitions;
  std::optional<Valgrind> m_valgrind;
  const WorkDir& m_work;
  RunObserver* m_observer;
  std::size_t m_index = 0;
  std::size_t m_count = 0;
  std::string m_profile_side;
  /// The filter of the suite being run when a shard or set_suite_filter() replaces the
  /// user's (which the listing already applied); empty: RunOptions::filter.
  std::string m_suite_filter;
  std::optional<int> m_cpu;  ///< set_cpu()
  double m_calibration;  ///< measured time per estimated second
  double m_actual_total = 0;
  double m_estimated_total = 0;
};

}  // namespace gate::detail
