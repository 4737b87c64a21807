// gate/include/gate/model/profile.hpp — a callgrind profile as plain values:
// per function, the self and inclusive counts of every event, and the
// difference of two profiles function by function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gate {

/// One function of a profile. Counts are indexed like Profile::events.
struct FunctionCost {
  std::string name;  ///< as callgrind names it: a demangled signature, or an address when there are no symbols
  std::string file;  ///< the source file of the "fl=" the function was first seen under; "???" when unknown
  std::string object;  ///< the ELF object ("ob="), empty when the profile names none
  /// Costs of the function's own instructions.
  std::vector<std::uint64_t> self;
  /// Self plus the costs of every call it made (callgrind's "calls=" lines).
  /// Calls of a function to itself are not added: their cost is already
  /// in the outer call's self and inclusive counts.
  std::vector<std::uint64_t> inclusive;
  std::uint64_t calls = 0;  ///< how often it was called from the functions of this profile
};

/// One callgrind output file (one dump), function by function.
struct Profile {
  std::vector<std::string> events;  ///< "Ir", "Dr", ... in the file's order
  std::vector<std::uint64_t> totals;  ///< per event: the file's summary, or the sum of the self costs
  std::string trigger;  ///< "desc: Trigger:" without its key, empty when absent
  std::vector<FunctionCost> functions;  ///< in the order first seen
  std::string source;  ///< the file it was read from, for messages

  /// The index of `event` in `events`, or -1.
  [[nodiscard]] int event_index(const std::string& event) const {
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i] == event) return static_cast<int>(i);
    }
    return -1;
  }
};

/// One function of two profiles: its counts of one event on each side, per
/// iteration of the benchmark. A function absent on one side counts 0 there.
struct FunctionDelta {
  std::string name;
  std::string file;
  double base_self = 0;
  double contender_self = 0;
  double base_inclusive = 0;
  double contender_inclusive = 0;

  [[nodiscard]] double self_delta() const { return contender_self - base_self; }
  [[nodiscard]] double inclusive_delta() const { return contender_inclusive - base_inclusive; }
};

}  // namespace gate
