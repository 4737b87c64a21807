// components/safety/src/paths.hpp — private: what a path argument points at,
// as far as the rules care (the root, a home directory, a system directory).
#pragma once

#include <cstdint>
#include <string_view>

namespace perfgate::safety::detail {

enum class PathClass : std::uint8_t {
  other,        ///< anything else
  cwd_all,      ///< ".", "./", "*", "./*": everything in the working directory
  home,         ///< "~", "~/", "$HOME", "${HOME}/*"
  system,       ///< a top-level system directory or one just below /usr or /var: "/etc", "/usr/lib/"
  root,         ///< "/", "//", "/.", "/*", "/..", "/./*"
};

/// Classifies a path as written (no filesystem access): repeated slashes,
/// "." and ".." segments and a trailing "/*" are normalised first.
[[nodiscard]] PathClass classify_path(std::string_view path) noexcept;

/// Whether the rules treat writing over this file as destroying the system:
/// /etc/passwd, /etc/shadow, /etc/group, /etc/gshadow, /etc/sudoers (and
/// files in /etc/sudoers.d), /etc/fstab, files in /boot.
[[nodiscard]] bool is_critical_file(std::string_view path) noexcept;

/// Whether this is a block device node: /dev/sd*, /dev/hd*, /dev/vd*,
/// /dev/xvd*, /dev/nvme*, /dev/mmcblk*, /dev/md*, /dev/dm-*, /dev/mapper/*,
/// /dev/disk/*, /dev/disk* and /dev/rdisk* (macOS).
[[nodiscard]] bool is_block_device(std::string_view path) noexcept;

}  // namespace perfgate::safety::detail
