// components/braid/src/ir.cpp — names, the conflict rule and the canonical
// byte form of the IR.
#include "braid/ir.hpp"

#include <limits>
#include <string>

#include "braid/error.hpp"

namespace perfgate::braid {
namespace {

constexpr std::string_view k_tag = "braid-ir/1";

bool single_valued(ConstraintKind kind) {
  return kind == ConstraintKind::syntactic || kind == ConstraintKind::type_safety;
}

// "!X" is the prohibition of "X".
std::string_view base_of(std::string_view value) { return value.starts_with('!') ? value.substr(1) : value; }

class Writer {
 public:
  explicit Writer(std::string& out) : m_out(out) {}
  void u8(std::uint8_t v) { m_out.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) {
      m_out.push_back(static_cast<char>((v >> shift) & 0xFFU));
    }
  }
  void count(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max()) {
      throw Error("writing canonical ir: a count of " + std::to_string(n) + " does not fit 32 bits");
    }
    u32(static_cast<std::uint32_t>(n));
  }
  void str(std::string_view s) {
    count(s.size());
    m_out.append(s);
  }

 private:
  std::string& m_out;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : m_in(in) {}
  std::uint8_t u8() {
    need(1, "a byte");
    return static_cast<std::uint8_t>(m_in[m_pos++]);
  }
  std::uint32_t u32() {
    need(4, "a 32-bit number");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(m_in[m_pos++])) << (8 * i);
    }
    return v;
  }
  // A count of elements of at least `min_size` bytes each: bounded by what is
  // left, so a corrupt count cannot make us reserve gigabytes.
  std::size_t count(std::size_t min_size) {
    const std::uint32_t n = u32();
    if (static_cast<std::size_t>(n) * min_size > m_in.size() - m_pos) {
      fail("a count of " + std::to_string(n) + " exceeds the remaining bytes");
    }
    return n;
  }
  std::string str() {
    const std::size_t n = count(1);
    std::string s(m_in.substr(m_pos, n));
    m_pos += n;
    return s;
  }
  void expect(std::string_view literal) {
    need(literal.size(), "the tag");
    if (m_in.substr(m_pos, literal.size()) != literal) {
      fail("it does not start with '" + std::string(literal) + "'");
    }
    m_pos += literal.size();
  }
  void finish() const {
    if (m_pos != m_in.size()) {
      fail(std::to_string(m_in.size() - m_pos) + " trailing bytes");
    }
  }
  [[noreturn]] void fail(const std::string& cause) const {
    throw Error("reading canonical ir at byte " + std::to_string(m_pos) + ": " + cause);
  }

 private:
  void need(std::size_t n, const char* what) const {
    if (m_in.size() - m_pos < n) {
      fail(std::string("truncated before ") + what);
    }
  }
  std::string_view m_in;
  std::size_t m_pos = 0;
};

}  // namespace

std::string_view to_string(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::syntactic:
      return "syntactic";
    case ConstraintKind::type_safety:
      return "type_safety";
    case ConstraintKind::semantic:
      return "semantic";
    case ConstraintKind::architectural:
      return "architectural";
    case ConstraintKind::operational:
      return "operational";
    case ConstraintKind::security:
      return "security";
  }
  return "unknown";
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::info:
      return "info";
    case Severity::hint:
      return "hint";
  }
  return "unknown";
}

bool conflicts_with(const Constraint& a, const Constraint& b) {
  if (a.kind != b.kind || a.subject != b.subject) {
    return false;
  }
  if (single_valued(a.kind)) {
    return a.value != b.value;
  }
  return a.value != b.value && base_of(a.value) == base_of(b.value);
}

std::string canonical(const Ir& ir) {
  std::string out;
  Writer w(out);
  out.append(k_tag);
  w.count(ir.constraints.size());
  for (const Constraint& c : ir.constraints) {
    w.u32(c.id);
    w.u8(static_cast<std::uint8_t>(c.kind));
    w.u8(static_cast<std::uint8_t>(c.severity));
    w.str(c.subject);
    w.str(c.value);
    w.str(c.origin);
    w.count(c.depends_on.size());
    for (std::uint32_t d : c.depends_on) {
      w.u32(d);
    }
  }
  w.count(ir.edges.size());
  for (const Edge& e : ir.edges) {
    w.u32(e.from);
    w.u32(e.to);
  }
  w.count(ir.order.size());
  for (std::uint32_t id : ir.order) {
    w.u32(id);
  }
  w.count(ir.conflicts.size());
  for (const Conflict& c : ir.conflicts) {
    w.u32(c.first);
    w.u32(c.second);
    w.u8(static_cast<std::uint8_t>(c.kind));
  }
  return out;
}

Ir from_canonical(std::string_view bytes) {
  Reader r(bytes);
  r.expect(k_tag);
  auto kind_of = [&r](std::uint8_t v) {
    if (v >= k_kind_count) {
      r.fail("constraint kind " + std::to_string(v) + " is not one of 0.." + std::to_string(k_kind_count - 1));
    }
    return static_cast<ConstraintKind>(v);
  };
  Ir ir;
  // The smallest encoded constraint: id, kind, severity, three empty strings, no deps.
  ir.constraints.resize(r.count(4 + 1 + 1 + 4 * 4));
  for (Constraint& c : ir.constraints) {
    c.id = r.u32();
    c.kind = kind_of(r.u8());
    const std::uint8_t severity = r.u8();
    if (severity > static_cast<std::uint8_t>(Severity::hint)) {
      r.fail("severity " + std::to_string(severity) + " is not one of 0..3");
    }
    c.severity = static_cast<Severity>(severity);
    c.subject = r.str();
    c.value = r.str();
    c.origin = r.str();
    c.depends_on.resize(r.count(4));
    for (std::uint32_t& d : c.depends_on) {
      d = r.u32();
    }
  }
  ir.edges.resize(r.count(8));
  for (Edge& e : ir.edges) {
    e.from = r.u32();
    e.to = r.u32();
  }
  ir.order.resize(r.count(4));
  for (std::uint32_t& id : ir.order) {
    id = r.u32();
  }
  ir.conflicts.resize(r.count(9));
  for (Conflict& c : ir.conflicts) {
    c.first = r.u32();
    c.second = r.u32();
    c.kind = kind_of(r.u8());
  }
  r.finish();
  return ir;
}

}  // namespace perfgate::braid
