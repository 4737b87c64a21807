// gate/include/gate/judge/profile_diff.hpp — two callgrind profiles of one
// benchmark compared function by function: where the instructions (or any
// other event) went between the baseline and the contender.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gate/model/profile.hpp"

namespace gate {

/// The difference of two profiles in one event, per iteration.
struct ProfileDiff {
  std::string event;  ///< "Ir", "D1mr", ...
  double base_total = 0;       ///< the profile's total of the event per iteration
  double contender_total = 0;
  double base_iterations = 1;  ///< what the totals were divided by
  double contender_iterations = 1;
  /// Every function with a count on either side, largest growth of its self
  /// count first, then of its inclusive count. Functions are matched by name
  /// and the last part of their source file's name (the two builds may sit in
  /// different folders); functions of one side that match alike are summed.
  std::vector<FunctionDelta> functions;
};

/// Compares `base` and `contender` in `event`, each side's counts divided by
/// its iterations (> 0). Throws gate::Error naming the profile's source when
/// a side has no such event or an iteration count is not positive.
[[nodiscard]] ProfileDiff diff_profiles(const Profile& base, const Profile& contender, const std::string& event,
                                        double base_iterations = 1, double contender_iterations = 1);

/// The `n` functions whose self count grew most, largest first; only growth
/// (a delta > 0). n == 0 means all of them.
[[nodiscard]] std::vector<FunctionDelta> top_by_self(const ProfileDiff& diff, std::size_t n);

/// The `n` functions whose inclusive count grew most, largest first; only
/// growth. n == 0 means all of them.
[[nodiscard]] std::vector<FunctionDelta> top_by_inclusive(const ProfileDiff& diff, std::size_t n);

}  // namespace gate
