// components/bridge/src/c_api.cpp — the extern "C" functions of c_api.h and
// the validation of C input they share with the C++ side.
#include "bridge/c_api.h"

#include <cstring>
#include <new>
#include <string>

#include "layout.hpp"

namespace perfgate::bridge::detail {
namespace {

bool bad_str(perfgate_str s) { return s.data == nullptr && s.len != 0; }

}  // namespace

std::string validation_error(const perfgate_constraint& c, std::size_t index) {
  const std::string where = "constraint at index '" + std::to_string(index) + "'";
  if (c.kind >= braid::k_kind_count) {
    return where + ": kind " + std::to_string(c.kind) + " is not one of 0.." + std::to_string(braid::k_kind_count - 1);
  }
  if (c.severity > static_cast<std::uint8_t>(braid::Severity::hint)) {
    return where + ": severity " + std::to_string(c.severity) + " is not one of 0..3";
  }
  if (bad_str(c.subject) || bad_str(c.value) || bad_str(c.origin)) {
    return where + ": a string has no data but a length";
  }
  if (c.depends_on == nullptr && c.depends_on_len != 0) {
    return where + ": depends_on is NULL with length " + std::to_string(c.depends_on_len);
  }
  return {};
}

std::string validation_error(const perfgate_ir& ir) {
  auto null_with_length = [](const void* p, std::size_t len) { return p == nullptr && len != 0; };
  if (null_with_length(ir.constraints, ir.constraints_len)) {
    return "constraints is NULL with length " + std::to_string(ir.constraints_len);
  }
  if (null_with_length(ir.edges, ir.edges_len)) {
    return "edges is NULL with length " + std::to_string(ir.edges_len);
  }
  if (null_with_length(ir.order, ir.order_len)) {
    return "order is NULL with length " + std::to_string(ir.order_len);
  }
  if (null_with_length(ir.conflicts, ir.conflicts_len)) {
    return "conflicts is NULL with length " + std::to_string(ir.conflicts_len);
  }
  for (std::size_t i = 0; i < ir.constraints_len; ++i) {
    if (std::string e = validation_error(ir.constraints[i], i); !e.empty()) {
      return e;
    }
  }
  for (std::size_t i = 0; i < ir.conflicts_len; ++i) {
    if (ir.conflicts[i].kind >= braid::k_kind_count) {
      return "conflict at index '" + std::to_string(i) + "': kind " + std::to_string(ir.conflicts[i].kind) +
             " is not one of 0.." + std::to_string(braid::k_kind_count - 1);
    }
  }
  return {};
}

}  // namespace perfgate::bridge::detail

using perfgate::bridge::detail::CSource;

extern "C" int perfgate_ir_validate(const perfgate_ir* ir, char* err, size_t err_cap) {
  const std::string e = ir == nullptr ? std::string("the ir is NULL") : perfgate::bridge::detail::validation_error(*ir);
  if (e.empty()) {
    return 0;
  }
  if (err != nullptr && err_cap > 0) {
    const std::size_t n = e.size() < err_cap - 1 ? e.size() : err_cap - 1;
    std::memcpy(err, e.data(), n);
    err[n] = '\0';
  }
  return -1;
}

extern "C" perfgate_ir* perfgate_ir_copy(const perfgate_ir* ir) {
  // C callers get no exceptions: every failure is NULL.
  try {
    if (ir == nullptr || !perfgate::bridge::detail::validation_error(*ir).empty()) {
      return nullptr;
    }
    const CSource src{*ir};
    const auto layout = perfgate::bridge::detail::plan(src, sizeof(perfgate_ir));
    if (!layout) {
      return nullptr;
    }
    // operator new rather than malloc: the C caller frees through us anyway,
    // and allocation counting (the harness's MemoryManager) sees it.
    auto* block = static_cast<std::byte*>(::operator new(layout->total, std::nothrow));
    if (block == nullptr) {
      return nullptr;
    }
    auto* out = reinterpret_cast<perfgate_ir*>(block);
    *out = perfgate::bridge::detail::fill(block, *layout, src);
    return out;
  } catch (...) {
    return nullptr;
  }
}

extern "C" void perfgate_ir_free(perfgate_ir* ir) { ::operator delete(ir); }

extern "C" perfgate_str perfgate_str_copy(const char* data, size_t len) {
  if ((data == nullptr && len != 0) || len == static_cast<size_t>(-1)) {
    return {nullptr, 0};
  }
  auto* copy = static_cast<char*>(::operator new(len + 1, std::nothrow));
  if (copy == nullptr) {
    return {nullptr, 0};
  }
  if (len != 0) {
    std::memcpy(copy, data, len);
  }
  copy[len] = '\0';
  return {copy, len};
}

extern "C" void perfgate_str_free(perfgate_str s) {
  // The pointer came from perfgate_str_copy; the view is const for C callers.
  ::operator delete(const_cast<char*>(s.data));
}
