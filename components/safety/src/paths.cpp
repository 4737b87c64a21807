// components/safety/src/paths.cpp — classifying path arguments.
#include "paths.hpp"

#include <array>
#include <cstddef>

namespace perfgate::safety::detail {
namespace {

constexpr std::array<std::string_view, 19> system_dirs = {
    "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "opt",
    "proc", "root", "run", "sbin", "srv", "sys", "usr", "var", "System"};

bool is_system_dir(std::string_view name) noexcept {
  for (const auto d : system_dirs) {
    if (d == name) {
      return true;
    }
  }
  return false;
}

// The path's segments after normalisation, at most `N` of them kept (deeper
// paths are never system paths, so we only need to know there are more).
struct Segments {
  static constexpr std::size_t N = 4;
  std::array<std::string_view, N> seg{};
  std::size_t count = 0;  // may exceed N
  bool glob_last = false;  // a trailing "*" segment was removed

  void push(std::string_view s) noexcept {
    if (count < N) {
      seg[count] = s;
    }
    ++count;
  }
  void pop() noexcept {
    if (count > 0) {
      --count;
    }
  }
};

Segments split(std::string_view p) noexcept {
  Segments out;
  std::size_t i = 0;
  while (i <= p.size()) {
    const std::size_t slash = p.find('/', i);
    const std::size_t end = slash == std::string_view::npos ? p.size() : slash;
    const std::string_view s = p.substr(i, end - i);
    if (s.empty() || s == ".") {
      // nothing
    } else if (s == "..") {
      out.pop();
    } else {
      out.push(s);
    }
    if (slash == std::string_view::npos) {
      break;
    }
    i = slash + 1;
  }
  if (out.count > 0 && out.count <= Segments::N && out.seg[out.count - 1] == "*") {
    out.pop();
    out.glob_last = true;
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) noexcept { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

PathClass classify_path(std::string_view path) noexcept {
  if (path.empty()) {
    return PathClass::other;
  }
  for (const std::string_view home : {std::string_view("~"), std::string_view("$HOME"), std::string_view("${HOME}")}) {
    if (starts_with(path, home)) {
      const std::string_view rest = path.substr(home.size());
      if (rest.empty() || rest.front() == '/') {
        return split(rest).count == 0 ? PathClass::home : PathClass::other;
      }
    }
  }
  const Segments s = split(path);
  if (path.front() == '/') {
    if (s.count == 0) {
      return PathClass::root;
    }
    if (s.count == 1 && is_system_dir(s.seg[0])) {
      return PathClass::system;
    }
    if (s.count == 2 && (s.seg[0] == "usr" || s.seg[0] == "var" || s.seg[0] == "etc")) {
      return PathClass::system;
    }
    return PathClass::other;
  }
  return s.count == 0 ? PathClass::cwd_all : PathClass::other;
}

bool is_critical_file(std::string_view path) noexcept {
  if (path.empty() || path.front() != '/') {
    return false;
  }
  const Segments s = split(path);
  if (s.glob_last || s.count < 2 || s.count > Segments::N) {
    return false;
  }
  if (s.seg[0] == "boot") {
    return true;
  }
  if (s.seg[0] != "etc") {
    return false;
  }
  if (s.count == 2) {
    for (const auto f : {"passwd", "shadow", "group", "gshadow", "sudoers", "fstab"}) {
      if (s.seg[1] == f) {
        return true;
      }
    }
    return false;
  }
  return s.count == 3 && s.seg[1] == "sudoers.d";
}

bool is_block_device(std::string_view path) noexcept {
  const Segments s = split(path);
  if (path.empty() || path.front() != '/' || s.count < 2 || s.count > 3 || s.seg[0] != "dev") {
    return false;
  }
  if (s.count == 3) {
    return s.seg[1] == "mapper" || s.seg[1] == "disk";
  }
  const std::string_view d = s.seg[1];
  for (const auto prefix : {"sd", "hd", "vd", "xvd", "nvme", "mmcblk", "md", "dm-", "disk", "rdisk"}) {
    if (starts_with(d, prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace perfgate::safety::detail
