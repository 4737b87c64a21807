// components/braid/src/compile.cpp — constraint set → IR: ids checked,
// dependency graph, topological order, conflicts.
#include "braid/compile.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <queue>
#include <string>

#include "braid/error.hpp"

namespace perfgate::braid {
namespace {

Conflict make_conflict(const Constraint& a, const Constraint& b) {
  return a.id < b.id ? Conflict{a.id, b.id, a.kind} : Conflict{b.id, a.id, a.kind};
}

void sort_conflicts(std::vector<Conflict>& conflicts) {
  std::sort(conflicts.begin(), conflicts.end(), [](const Conflict& x, const Conflict& y) {
    return x.first != y.first ? x.first < y.first : x.second < y.second;
  });
}

#if defined(GATE_INJECT_PAIRWISE_CONFLICTS)

// The guide's starting point: every pair is compared, O(n²).
std::vector<Conflict> find_conflicts(const std::vector<Constraint>& cs) {
  std::vector<Conflict> out;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    for (std::size_t j = i + 1; j < cs.size(); ++j) {
      if (conflicts_with(cs[i], cs[j])) {
        out.push_back(make_conflict(cs[i], cs[j]));
      }
    }
  }
  return out;
}

#else

std::string_view base_of(std::string_view value) { return value.starts_with('!') ? value.substr(1) : value; }

bool single_valued(ConstraintKind kind) {
  return kind == ConstraintKind::syntactic || kind == ConstraintKind::type_safety;
}

// The part of a value that decides which constraints can conflict at all:
// nothing for single-valued kinds (any two values clash), the base for the
// others ("X" and "!X" clash, "X" and "Y" coexist).
std::string_view conflict_key(const Constraint& c) {
  return single_valued(c.kind) ? std::string_view{} : base_of(c.value);
}

// The guide's optimisation, carried one step further: constraints of
// different kinds never conflict, so they are bucketed by kind; within a
// kind, sorting by (subject, conflict key, value) puts every constraint that
// could clash next to each other, and only distinct values within such a run
// are paired. Work is O(n log n) plus the conflicts reported.
std::vector<Conflict> find_conflicts(const std::vector<Constraint>& cs) {
  std::array<std::vector<const Constraint*>, k_kind_count> by_kind;
  for (const Constraint& c : cs) {
    const auto kind = static_cast<std::size_t>(c.kind);
    if (kind >= k_kind_count) {
      throw Error("detecting conflicts: constraint " + std::to_string(c.id) + " has kind " + std::to_string(kind) +
                  ", not one of 0.." + std::to_string(k_kind_count - 1));
    }
    by_kind[kind].push_back(&c);
  }
  std::vector<Conflict> out;
  for (auto& group : by_kind) {
    std::sort(group.begin(), group.end(), [](const Constraint* a, const Constraint* b) {
      if (a->subject != b->subject) {
        return a->subject < b->subject;
      }
      const auto ka = conflict_key(*a);
      const auto kb = conflict_key(*b);
      return ka != kb ? ka < kb : a->value < b->value;
    });
    for (std::size_t begin = 0; begin < group.size();) {
      std::size_t end = begin + 1;
      while (end < group.size() && group[end]->subject == group[begin]->subject &&
             conflict_key(*group[end]) == conflict_key(*group[begin])) {
        ++end;
      }
      // [begin, end) may clash; within it, runs of one value do not.
      for (std::size_t i = begin; i < end; ++i) {
        std::size_t j = i + 1;
        while (j < end && group[j]->value == group[i]->value) {
          ++j;
        }
        for (; j < end; ++j) {
          out.push_back(make_conflict(*group[i], *group[j]));
        }
      }
      begin = end;
    }
  }
  return out;
}

#endif

}  // namespace

std::vector<Conflict> detect_conflicts(const std::vector<Constraint>& constraints) {
  std::vector<Conflict> conflicts = find_conflicts(constraints);
  sort_conflicts(conflicts);
  return conflicts;
}

Ir compile(std::vector<Constraint> constraints) {
  Ir ir;
  ir.constraints = std::move(constraints);
  auto& cs = ir.constraints;
  std::sort(cs.begin(), cs.end(), [](const Constraint& a, const Constraint& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < cs.size(); ++i) {
    if (cs[i].id == cs[i - 1].id) {
      throw Error("compiling constraints: id '" + std::to_string(cs[i].id) + "' is used twice");
    }
  }
  auto index_of = [&cs](std::uint32_t id) -> std::size_t {
    const auto it = std::lower_bound(cs.begin(), cs.end(), id,
                                     [](const Constraint& c, std::uint32_t v) { return c.id < v; });
    return it != cs.end() && it->id == id ? static_cast<std::size_t>(it - cs.begin()) : cs.size();
  };

  // The graph: an edge per dependency, and for Kahn's algorithm the number of
  // unmet dependencies per constraint and who waits on whom.
  std::vector<std::size_t> unmet(cs.size(), 0);
  std::vector<std::vector<std::size_t>> dependents(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) {
    auto& deps = cs[i].depends_on;
    std::sort(deps.begin(), deps.end());
    deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
    for (std::uint32_t dep : deps) {
      if (dep == cs[i].id) {
        throw Error("compiling constraints: constraint '" + std::to_string(dep) + "' depends on itself");
      }
      const std::size_t j = index_of(dep);
      if (j == cs.size()) {
        throw Error("compiling constraints: constraint '" + std::to_string(cs[i].id) + "' depends on unknown id '" +
                    std::to_string(dep) + "'");
      }
      ir.edges.push_back(Edge{cs[i].id, dep});
      ++unmet[i];
      dependents[j].push_back(i);
    }
  }

  // Kahn's algorithm with the smallest ready index first: the order is
  // unique for a given set, which canonical() and maze's keys rely on.
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (unmet[i] == 0) {
      ready.push(i);
    }
  }
  ir.order.reserve(cs.size());
  while (!ready.empty()) {
    const std::size_t i = ready.top();
    ready.pop();
    ir.order.push_back(cs[i].id);
    for (std::size_t d : dependents[i]) {
      if (--unmet[d] == 0) {
        ready.push(d);
      }
    }
  }
  if (ir.order.size() != cs.size()) {
    std::string ids;
    std::size_t listed = 0;
    for (std::size_t i = 0; i < cs.size() && listed < 8; ++i) {
      if (unmet[i] != 0) {
        ids += (listed++ == 0 ? "'" : ", '") + std::to_string(cs[i].id) + "'";
      }
    }
    throw Error("compiling constraints: dependency cycle through " + ids);
  }

  ir.conflicts = detect_conflicts(cs);
  return ir;
}

}  // namespace perfgate::braid
