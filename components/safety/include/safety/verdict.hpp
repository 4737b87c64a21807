// components/safety/include/safety/verdict.hpp — what the validator says about
// a command: how risky it is and which rule said so.
#pragma once

#include <cstdint>
#include <string_view>

namespace perfgate::safety {

/// Ordered: a higher value is worse.
enum class Risk : std::uint8_t {
  safe,       ///< nothing matched
  caution,    ///< legitimate but worth a second look (recursive delete of a build dir, reboot)
  dangerous,  ///< likely to destroy data or open the machine (curl | sh, kill -9 -1)
  critical,   ///< destroys the system or its disks (rm -rf /, mkfs, dd to a disk, fork bomb)
};

/// "safe", "caution", "dangerous", "critical".
[[nodiscard]] std::string_view to_string(Risk risk) noexcept;

/// The outcome of one validation. `rule` and `reason` point at static strings:
/// a verdict stays valid after the command it judged is gone.
struct Verdict {
  Risk risk = Risk::safe;
  std::string_view rule;    ///< stable id of the rule that matched, e.g. "rm-recursive-root"; empty when safe
  std::string_view reason;  ///< one lowercase line for people

  /// Whether a tool should refuse to run the command: dangerous or critical.
  [[nodiscard]] bool blocked() const noexcept { return risk >= Risk::dangerous; }
};

}  // namespace perfgate::safety
