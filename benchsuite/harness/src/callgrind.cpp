// benchsuite/harness/src/callgrind.cpp — the callgrind client requests. The macros
// expand to inline assembly that is a no-op on real hardware, so calling them
// outside valgrind would be harmless; we still skip them to keep the cost of
// an uninstrumented run at one branch.
#include "callgrind.hpp"

// valgrind's headers cast the C way and shadow names; they are not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wpedantic"
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>

namespace perfgate::harness::callgrind {

bool running_on_valgrind() noexcept {
  static const bool on_valgrind = RUNNING_ON_VALGRIND != 0;
  return on_valgrind;
}

void begin_collection() noexcept {
  if (!running_on_valgrind()) {
    return;
  }
  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
}

void end_collection() noexcept {
  if (!running_on_valgrind()) {
    return;
  }
  CALLGRIND_TOGGLE_COLLECT;
}

void dump(const char* label) noexcept {
  if (!running_on_valgrind()) {
    return;
  }
  CALLGRIND_DUMP_STATS_AT(label);
}

}  // namespace perfgate::harness::callgrind

#pragma GCC diagnostic pop
