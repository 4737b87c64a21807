// components/bridge/src/layout.hpp — one IR laid out in one block of memory:
// the arrays first (by alignment), then the strings. Shared by the batched
// C++ → C conversion and the C API's deep copy, which differ only in their
// source (braid::Ir or perfgate_ir) and in who allocates the block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

#include "braid/ir.hpp"
#include "bridge/c_api.h"

namespace perfgate::bridge::detail {

/// A constraint's fields as both sources can give them.
struct ConstraintFields {
  std::uint32_t id;
  std::uint8_t kind;
  std::uint8_t severity;
  std::string_view subject;
  std::string_view value;
  std::string_view origin;
  const std::uint32_t* deps;
  std::size_t deps_len;
};

struct CppSource {
  const braid::Ir& ir;
  std::size_t constraints() const { return ir.constraints.size(); }
  ConstraintFields constraint(std::size_t i) const {
    const braid::Constraint& c = ir.constraints[i];
    return {c.id,      static_cast<std::uint8_t>(c.kind), static_cast<std::uint8_t>(c.severity),
            c.subject, c.value,
            c.origin,  c.depends_on.data(),
            c.depends_on.size()};
  }
  std::size_t edges() const { return ir.edges.size(); }
  perfgate_edge edge(std::size_t i) const { return {ir.edges[i].from, ir.edges[i].to}; }
  std::size_t order() const { return ir.order.size(); }
  std::uint32_t order_at(std::size_t i) const { return ir.order[i]; }
  std::size_t conflicts() const { return ir.conflicts.size(); }
  perfgate_conflict conflict(std::size_t i) const {
    const braid::Conflict& c = ir.conflicts[i];
    return {c.first, c.second, static_cast<std::uint8_t>(c.kind), {0, 0, 0}};
  }
};

/// Requires a validated perfgate_ir (NULL pointers only with length 0).
struct CSource {
  const perfgate_ir& ir;
  static std::string_view str(perfgate_str s) { return s.len == 0 ? std::string_view{} : std::string_view(s.data, s.len); }
  std::size_t constraints() const { return ir.constraints_len; }
  ConstraintFields constraint(std::size_t i) const {
    const perfgate_constraint& c = ir.constraints[i];
    return {c.id, c.kind, c.severity, str(c.subject), str(c.value), str(c.origin), c.depends_on, c.depends_on_len};
  }
  std::size_t edges() const { return ir.edges_len; }
  perfgate_edge edge(std::size_t i) const { return ir.edges[i]; }
  std::size_t order() const { return ir.order_len; }
  std::uint32_t order_at(std::size_t i) const { return ir.order[i]; }
  std::size_t conflicts() const { return ir.conflicts_len; }
  perfgate_conflict conflict(std::size_t i) const { return ir.conflicts[i]; }
};

struct Layout {
  std::size_t constraints = 0;  // offsets from the block's start
  std::size_t edges = 0;
  std::size_t conflicts = 0;
  std::size_t order = 0;
  std::size_t deps = 0;
  std::size_t strings = 0;
  std::size_t total = 0;
};

/// Checked arithmetic: a C caller's lengths may be anything.
inline bool add_to(std::size_t& acc, std::size_t count, std::size_t size) {
  if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) {
    return false;
  }
  const std::size_t bytes = count * size;
  if (acc > std::numeric_limits<std::size_t>::max() - bytes) {
    return false;
  }
  acc += bytes;
  return true;
}

/// Plans the block, starting `header` bytes in (room for a perfgate_ir).
/// Nullopt when the sizes overflow.
template <typename Src>
std::optional<Layout> plan(const Src& src, std::size_t header) {
  Layout l;
  std::size_t deps = 0;
  std::size_t string_bytes = 0;
  for (std::size_t i = 0; i < src.constraints(); ++i) {
    const ConstraintFields f = src.constraint(i);
    if (!add_to(deps, f.deps_len, 1) || !add_to(string_bytes, f.subject.size() + f.value.size(), 1) ||
        !add_to(string_bytes, f.origin.size() + 3, 1)) {
      return std::nullopt;
    }
  }
  // Largest alignment first, so no padding is needed after the header.
  static_assert(alignof(perfgate_ir) >= alignof(perfgate_constraint));
  std::size_t at = header;
  l.constraints = at;
  if (!add_to(at, src.constraints(), sizeof(perfgate_constraint))) return std::nullopt;
  l.edges = at;
  if (!add_to(at, src.edges(), sizeof(perfgate_edge))) return std::nullopt;
  l.conflicts = at;
  if (!add_to(at, src.conflicts(), sizeof(perfgate_conflict))) return std::nullopt;
  l.order = at;
  if (!add_to(at, src.order(), sizeof(std::uint32_t))) return std::nullopt;
  l.deps = at;
  if (!add_to(at, deps, sizeof(std::uint32_t))) return std::nullopt;
  l.strings = at;
  if (!add_to(at, string_bytes, 1) || at > static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max())) {
    return std::nullopt;
  }
  l.total = at;
  return l;
}

/// Fills a block planned for `src` and returns the view of it. The block's
/// bytes form arrays of trivial C structs (implicitly created objects).
template <typename Src>
perfgate_ir fill(std::byte* block, const Layout& l, const Src& src) {
  auto* constraints = reinterpret_cast<perfgate_constraint*>(block + l.constraints);
  auto* edges = reinterpret_cast<perfgate_edge*>(block + l.edges);
  auto* conflicts = reinterpret_cast<perfgate_conflict*>(block + l.conflicts);
  auto* order = reinterpret_cast<std::uint32_t*>(block + l.order);
  auto* deps = reinterpret_cast<std::uint32_t*>(block + l.deps);
  auto* strings = reinterpret_cast<char*>(block + l.strings);

  auto put = [&strings](std::string_view s) {
    if (!s.empty()) {
      std::memcpy(strings, s.data(), s.size());
    }
    strings[s.size()] = '\0';
    const perfgate_str out{strings, s.size()};
    strings += s.size() + 1;
    return out;
  };
  for (std::size_t i = 0; i < src.constraints(); ++i) {
    const ConstraintFields f = src.constraint(i);
    perfgate_constraint& c = constraints[i];
    c.id = f.id;
    c.kind = f.kind;
    c.severity = f.severity;
    c.reserved[0] = c.reserved[1] = 0;
    c.subject = put(f.subject);
    c.value = put(f.value);
    c.origin = put(f.origin);
    if (f.deps_len != 0) {
      std::memcpy(deps, f.deps, f.deps_len * sizeof(std::uint32_t));
    }
    c.depends_on = f.deps_len != 0 ? deps : nullptr;
    c.depends_on_len = f.deps_len;
    deps += f.deps_len;
  }
  for (std::size_t i = 0; i < src.edges(); ++i) {
    edges[i] = src.edge(i);
  }
  for (std::size_t i = 0; i < src.conflicts(); ++i) {
    conflicts[i] = src.conflict(i);
  }
  for (std::size_t i = 0; i < src.order(); ++i) {
    order[i] = src.order_at(i);
  }
  perfgate_ir view{};
  view.constraints = src.constraints() != 0 ? constraints : nullptr;
  view.constraints_len = src.constraints();
  view.edges = src.edges() != 0 ? edges : nullptr;
  view.edges_len = src.edges();
  view.order = src.order() != 0 ? order : nullptr;
  view.order_len = src.order();
  view.conflicts = src.conflicts() != 0 ? conflicts : nullptr;
  view.conflicts_len = src.conflicts();
  return view;
}

/// Empty when `ir` keeps c_api.h's rules; otherwise why it does not.
std::string validation_error(const perfgate_ir& ir);
/// The same for one constraint; `where` names it in the message.
std::string validation_error(const perfgate_constraint& c, std::size_t index);

}  // namespace perfgate::bridge::detail
