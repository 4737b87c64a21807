// perfgate/harness/perf_counters.hpp — hardware counters of the calling
// thread through perf_event_open: instructions, cycles, branch misses and
// cache misses, user space only, opened and read as one group.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace perfgate::harness {

/// Whether this kernel lets us count hardware events, decided once per
/// process (the first call probes, later calls return the cached answer).
struct HwCounterStatus {
  bool available = false;
  std::string reason;  ///< empty when available; otherwise why not, e.g. "perf_event_open(instructions): No such file or directory"
};
[[nodiscard]] const HwCounterStatus& hw_counter_status();

/// The four counts of one measurement, already scaled for multiplexing.
struct HwCounts {
  std::uint64_t instructions = 0;
  std::uint64_t cycles = 0;
  std::uint64_t branch_misses = 0;
  std::uint64_t cache_misses = 0;
};

/// One perf event group on the calling thread (pid 0, any CPU, no inherit).
/// Non-copyable, non-allocating: it owns four file descriptors.
class PerfGroup {
 public:
  PerfGroup() = default;
  PerfGroup(const PerfGroup&) = delete;
  PerfGroup& operator=(const PerfGroup&) = delete;
  ~PerfGroup();

  /// Opens the group for the calling thread, resets and enables it. Returns
  /// false and leaves the group closed when any event cannot be opened.
  bool start() noexcept;
  /// Disables the group and reads it; nullopt when it was never started or the
  /// read failed. Closes the descriptors either way.
  std::optional<HwCounts> stop() noexcept;

 private:
  void close_all() noexcept;
  std::array<int, 4> m_fds{-1, -1, -1, -1};
};

}  // namespace perfgate::harness
