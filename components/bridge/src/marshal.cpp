// components/bridge/src/marshal.cpp — braid::Ir to and from the C ABI.
#include "bridge/marshal.hpp"

#include <cstring>
#include <utility>

#include "layout.hpp"

namespace perfgate::bridge {
namespace {

std::string_view str(perfgate_str s) { return s.len == 0 ? std::string_view{} : std::string_view(s.data, s.len); }

// Item by item, every piece gets its own heap block, as a binding that
// converts one value at a time would do.
template <typename T>
T* own_array(std::vector<std::unique_ptr<std::byte[]>>& blocks, std::size_t count) {
  if (count == 0) {
    return nullptr;
  }
  blocks.push_back(std::make_unique_for_overwrite<std::byte[]>(count * sizeof(T)));
  return reinterpret_cast<T*>(blocks.back().get());
}

perfgate_str own_string(std::vector<std::unique_ptr<std::byte[]>>& blocks, std::string_view s) {
  char* p = own_array<char>(blocks, s.size() + 1);
  if (!s.empty()) {
    std::memcpy(p, s.data(), s.size());
  }
  p[s.size()] = '\0';
  return {p, s.size()};
}

braid::Constraint convert(const perfgate_constraint& c) {
  braid::Constraint out;
  out.id = c.id;
  out.kind = static_cast<braid::ConstraintKind>(c.kind);
  out.severity = static_cast<braid::Severity>(c.severity);
  out.subject = str(c.subject);
  out.value = str(c.value);
  out.origin = str(c.origin);
  if (c.depends_on_len != 0) {
    out.depends_on.assign(c.depends_on, c.depends_on + c.depends_on_len);
  }
  return out;
}

}  // namespace

CIr to_c_batched(const braid::Ir& ir) {
  const detail::CppSource src{ir};
  const auto layout = detail::plan(src, 0);
  if (!layout) {
    throw Error("marshalling ir to c: its size overflows");
  }
  CIr out;
  out.m_blocks.push_back(std::make_unique_for_overwrite<std::byte[]>(layout->total == 0 ? 1 : layout->total));
  out.m_view = detail::fill(out.m_blocks.back().get(), *layout, src);
  return out;
}

CIr to_c_itemwise(const braid::Ir& ir) {
  CIr out;
  auto& blocks = out.m_blocks;
  auto* constraints = own_array<perfgate_constraint>(blocks, ir.constraints.size());
  for (std::size_t i = 0; i < ir.constraints.size(); ++i) {
    const braid::Constraint& c = ir.constraints[i];
    perfgate_constraint& o = constraints[i];
    o.id = c.id;
    o.kind = static_cast<std::uint8_t>(c.kind);
    o.severity = static_cast<std::uint8_t>(c.severity);
    o.reserved[0] = o.reserved[1] = 0;
    o.subject = own_string(blocks, c.subject);
    o.value = own_string(blocks, c.value);
    o.origin = own_string(blocks, c.origin);
    auto* deps = own_array<std::uint32_t>(blocks, c.depends_on.size());
    if (!c.depends_on.empty()) {
      std::memcpy(deps, c.depends_on.data(), c.depends_on.size() * sizeof(std::uint32_t));
    }
    o.depends_on = deps;
    o.depends_on_len = c.depends_on.size();
  }
  auto* edges = own_array<perfgate_edge>(blocks, ir.edges.size());
  for (std::size_t i = 0; i < ir.edges.size(); ++i) {
    edges[i] = perfgate_edge{ir.edges[i].from, ir.edges[i].to};
  }
  auto* order = own_array<std::uint32_t>(blocks, ir.order.size());
  if (!ir.order.empty()) {
    std::memcpy(order, ir.order.data(), ir.order.size() * sizeof(std::uint32_t));
  }
  auto* conflicts = own_array<perfgate_conflict>(blocks, ir.conflicts.size());
  for (std::size_t i = 0; i < ir.conflicts.size(); ++i) {
    const braid::Conflict& c = ir.conflicts[i];
    conflicts[i] = perfgate_conflict{c.first, c.second, static_cast<std::uint8_t>(c.kind), {0, 0, 0}};
  }
  out.m_view = perfgate_ir{constraints, ir.constraints.size(), edges, ir.edges.size(),
                           order,       ir.order.size(),       conflicts, ir.conflicts.size()};
  return out;
}

braid::Constraint constraint_from_c(const perfgate_constraint& c) {
  if (std::string e = detail::validation_error(c, 0); !e.empty()) {
    throw Error("unmarshalling a constraint from c: " + e);
  }
  return convert(c);
}

braid::Ir from_c(const perfgate_ir& ir) {
  if (std::string e = detail::validation_error(ir); !e.empty()) {
    throw Error("unmarshalling an ir from c: " + e);
  }
  braid::Ir out;
  out.constraints.reserve(ir.constraints_len);
  for (std::size_t i = 0; i < ir.constraints_len; ++i) {
    out.constraints.push_back(convert(ir.constraints[i]));
  }
  out.edges.reserve(ir.edges_len);
  for (std::size_t i = 0; i < ir.edges_len; ++i) {
    out.edges.push_back(braid::Edge{ir.edges[i].from, ir.edges[i].to});
  }
  if (ir.order_len != 0) {
    out.order.assign(ir.order, ir.order + ir.order_len);
  }
  out.conflicts.reserve(ir.conflicts_len);
  for (std::size_t i = 0; i < ir.conflicts_len; ++i) {
    const perfgate_conflict& c = ir.conflicts[i];
    out.conflicts.push_back(braid::Conflict{c.first, c.second, static_cast<braid::ConstraintKind>(c.kind)});
  }
  return out;
}

CString::CString(std::string_view s) : m_str(perfgate_str_copy(s.data(), s.size())) {
  if (m_str.data == nullptr) {
    throw std::bad_alloc();
  }
}

CString::CString(CString&& other) noexcept : m_str(std::exchange(other.m_str, perfgate_str{})) {}

CString& CString::operator=(CString&& other) noexcept {
  if (this != &other) {
    perfgate_str_free(m_str);
    m_str = std::exchange(other.m_str, perfgate_str{});
  }
  return *this;
}

CString::~CString() { perfgate_str_free(m_str); }

std::string string_from_c(perfgate_str s) {
  if (s.data == nullptr && s.len != 0) {
    throw Error("unmarshalling a string from c: data is NULL with length " + std::to_string(s.len));
  }
  return std::string(str(s));
}

}  // namespace perfgate::bridge
