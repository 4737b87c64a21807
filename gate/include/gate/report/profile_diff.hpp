// gate/include/gate/report/profile_diff.hpp — the difference of two callgrind
// profiles for people: `gate explain`'s text, and the few functions a
// regressed verdict carries, as lines the reports show under its row.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gate/judge/profile_diff.hpp"

namespace gate {

/// The whole difference as aligned text: the totals, then every function
/// whose self count changed (largest growth first, decreases last), then
/// every function whose inclusive count changed. `top` > 0 keeps that many
/// lines per section. Names are made safe for a terminal.
[[nodiscard]] std::string render_profile_diff(const ProfileDiff& diff, std::size_t top = 0);

/// A count per iteration as people read it: "1,234,567", "12.5".
[[nodiscard]] std::string format_count(double value);

}  // namespace gate
