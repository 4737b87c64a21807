// components/bridge/include/bridge/marshal.hpp — the C++ side of the FFI:
// braid's IR to and from the C ABI structs of bridge/c_api.h, item by item
// (the guide's starting point: an allocation per constraint, string and list)
// and batched (one allocation for the whole IR).
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "braid/ir.hpp"
#include "bridge/c_api.h"

namespace perfgate::bridge {

/// Thrown on C input that breaks c_api.h's rules: a NULL pointer with a
/// non-zero length, a kind or severity out of range.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A C view of an IR together with the memory it points into. Move-only;
/// the view stays valid as long as this object lives.
class CIr {
 public:
  CIr() = default;
  CIr(CIr&&) noexcept = default;
  CIr& operator=(CIr&&) noexcept = default;
  CIr(const CIr&) = delete;
  CIr& operator=(const CIr&) = delete;
  ~CIr() = default;

  [[nodiscard]] const perfgate_ir& view() const noexcept { return m_view; }
  /// How many heap blocks back the view: 1 when batched.
  [[nodiscard]] std::size_t allocations() const noexcept { return m_blocks.size(); }

 private:
  friend CIr to_c_batched(const braid::Ir& ir);
  friend CIr to_c_itemwise(const braid::Ir& ir);
  perfgate_ir m_view{};
  std::vector<std::unique_ptr<std::byte[]>> m_blocks;
};

/// C++ → C in one heap block: every array and every string (NUL-terminated)
/// of the IR laid out together.
[[nodiscard]] CIr to_c_batched(const braid::Ir& ir);
/// C++ → C item by item: a block per array, per constraint's string and per
/// dependency list, as a naive binding would allocate them. Same view.
[[nodiscard]] CIr to_c_itemwise(const braid::Ir& ir);

/// C → C++ for the whole IR: validates everything first, then converts into
/// vectors sized once. Throws bridge::Error on invalid input.
[[nodiscard]] braid::Ir from_c(const perfgate_ir& ir);
/// C → C++ for one constraint. Throws bridge::Error on invalid input.
[[nodiscard]] braid::Constraint constraint_from_c(const perfgate_constraint& c);

/// A heap string handed to C (perfgate_str_copy), freed on destruction.
class CString {
 public:
  explicit CString(std::string_view s);
  CString(CString&& other) noexcept;
  CString& operator=(CString&& other) noexcept;
  CString(const CString&) = delete;
  CString& operator=(const CString&) = delete;
  ~CString();
  [[nodiscard]] perfgate_str view() const noexcept { return m_str; }

 private:
  perfgate_str m_str{};
};

/// C → C++ string. Throws bridge::Error when data is NULL with len > 0.
[[nodiscard]] std::string string_from_c(perfgate_str s);

}  // namespace perfgate::bridge
