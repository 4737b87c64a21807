// benchsuite/harness/src/callgrind.hpp — callgrind client requests behind plain
// functions, so that valgrind's macros stay in one translation unit.
#pragma once

namespace perfgate::harness::callgrind {

/// True when the process runs under any valgrind tool (RUNNING_ON_VALGRIND),
/// decided once. Without valgrind every other function here is a no-op.
[[nodiscard]] bool running_on_valgrind() noexcept;

/// CALLGRIND_ZERO_STATS then CALLGRIND_TOGGLE_COLLECT: forget what was counted
/// so far and flip collection, which is on from here when valgrind was started
/// with --collect-atstart=no.
void begin_collection() noexcept;

/// CALLGRIND_TOGGLE_COLLECT: flip collection back off.
void end_collection() noexcept;

/// CALLGRIND_DUMP_STATS_AT(label): write one dump of what was collected since
/// the last zeroing or dump; its "desc: Trigger: Client Request:" line names
/// `label`.
void dump(const char* label) noexcept;

}  // namespace perfgate::harness::callgrind
