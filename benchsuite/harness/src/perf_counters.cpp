// benchsuite/harness/src/perf_counters.cpp — perf_event_open group of four
// hardware events on the calling thread.
#include "perfgate/harness/perf_counters.hpp"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace perfgate::harness {
namespace {

struct EventSpec {
  std::uint64_t config;
  const char* name;
};

// The leader comes first: the group is enabled, disabled and read through it.
constexpr std::array<EventSpec, 4> k_events{{
    {PERF_COUNT_HW_INSTRUCTIONS, "instructions"},
    {PERF_COUNT_HW_CPU_CYCLES, "cycles"},
    {PERF_COUNT_HW_BRANCH_MISSES, "branch-misses"},
    {PERF_COUNT_HW_CACHE_MISSES, "cache-misses"},
}};

int open_event(std::uint64_t config, int group_fd) noexcept {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = config;
  // Only the leader starts disabled; members follow the leader's state.
  attr.disabled = group_fd == -1 ? 1 : 0;
  // User space only: kernel time is noise we cannot act on, and many kernels
  // refuse kernel counting to unprivileged users anyway.
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  // pid 0, cpu -1: this thread on whatever CPU it runs.
  return static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, group_fd, 0UL));
}

HwCounterStatus probe() {
  HwCounterStatus status;
  std::array<int, k_events.size()> fds{-1, -1, -1, -1};
  for (std::size_t i = 0; i < k_events.size(); ++i) {
    fds[i] = open_event(k_events[i].config, i == 0 ? -1 : fds[0]);
    if (fds[i] < 0) {
      const int err = errno;
      status.reason = std::string("perf_event_open(") + k_events[i].name + "): " + std::strerror(err);
      break;
    }
  }
  for (int fd : fds) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  status.available = status.reason.empty();
  return status;
}

}  // namespace

const HwCounterStatus& hw_counter_status() {
  static const HwCounterStatus status = probe();
  return status;
}

PerfGroup::~PerfGroup() { close_all(); }

void PerfGroup::close_all() noexcept {
  for (int& fd : m_fds) {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
}

bool PerfGroup::start() noexcept {
  close_all();
  for (std::size_t i = 0; i < k_events.size(); ++i) {
    m_fds[i] = open_event(k_events[i].config, i == 0 ? -1 : m_fds[0]);
    if (m_fds[i] < 0) {
      close_all();
      return false;
    }
  }
  ioctl(m_fds[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
  ioctl(m_fds[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
  return true;
}

std::optional<HwCounts> PerfGroup::stop() noexcept {
  if (m_fds[0] < 0) {
    return std::nullopt;
  }
  ioctl(m_fds[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
  // Layout for PERF_FORMAT_GROUP with both times: nr, time_enabled,
  // time_running, then one value per event in the order they were opened.
  std::array<std::uint64_t, 3 + k_events.size()> buf{};
  const ssize_t got = ::read(m_fds[0], buf.data(), sizeof buf);
  close_all();
  if (got != static_cast<ssize_t>(sizeof buf) || buf[0] != k_events.size()) {
    return std::nullopt;
  }
  // When the PMU is shared the group may have run only part of the time;
  // scale up as perf stat does, and report nothing if it never ran.
  const std::uint64_t enabled = buf[1];
  const std::uint64_t running = buf[2];
  if (running == 0) {
    return std::nullopt;
  }
  const double scale = static_cast<double>(enabled) / static_cast<double>(running);
  auto scaled = [scale](std::uint64_t v) { return static_cast<std::uint64_t>(static_cast<double>(v) * scale); };
  HwCounts counts;
  counts.instructions = scaled(buf[3]);
  counts.cycles = scaled(buf[4]);
  counts.branch_misses = scaled(buf[5]);
  counts.cache_misses = scaled(buf[6]);
  return counts;
}

}  // namespace perfgate::harness
