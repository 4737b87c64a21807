// components/maze/src/compiled.cpp — compiling an IR into a grammar.
#include "maze/compiled.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace perfgate::maze {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out.append("\\u00");
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

CompiledConstraint compile_constraint(const braid::Ir& ir) {
  CompiledConstraint out;
  std::string& g = out.grammar;
  g.reserve(64 + ir.constraints.size() * 128);
  g.append(R"({"grammar":"braid-ir/1","rules":[)");
  // Constraints are sorted by id (braid's contract), so each id in the order
  // is one binary search away.
  const auto find = [&](std::uint32_t id) -> const braid::Constraint& {
    const auto it = std::lower_bound(ir.constraints.begin(), ir.constraints.end(), id,
                                     [](const braid::Constraint& c, std::uint32_t v) { return c.id < v; });
    if (it == ir.constraints.end() || it->id != id) {
      throw std::out_of_range("compiling constraint ir: order names unknown id " + std::to_string(id));
    }
    return *it;
  };
  bool first = true;
  for (const std::uint32_t id : ir.order) {
    const braid::Constraint& c = find(id);
    if (!first) {
      g.push_back(',');
    }
    first = false;
    g.append(R"({"id":)").append(std::to_string(c.id));
    g.append(R"(,"kind":")").append(braid::to_string(c.kind));
    g.append(R"(","severity":")").append(braid::to_string(c.severity));
    g.append(R"(","subject":)");
    append_json_string(g, c.subject);
    g.append(R"(,"require":)");
    append_json_string(g, c.value);
    g.append(R"(,"after":[)");
    for (std::size_t i = 0; i < c.depends_on.size(); ++i) {
      if (i > 0) {
        g.push_back(',');
      }
      g.append(std::to_string(c.depends_on[i]));
    }
    g.append("]}");
    ++out.rules;
  }
  g.append(R"(],"conflicts":[)");
  for (std::size_t i = 0; i < ir.conflicts.size(); ++i) {
    if (i > 0) {
      g.push_back(',');
    }
    g.push_back('[');
    g.append(std::to_string(ir.conflicts[i].first)).push_back(',');
    g.append(std::to_string(ir.conflicts[i].second)).push_back(']');
  }
  g.append("]}");
  out.conflicts = ir.conflicts.size();
  return out;
}

}  // namespace perfgate::maze
