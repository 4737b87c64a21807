// gate/src/judge/verdict.cpp — verdict names and what fails the gate.
#include "gate/judge/verdict.hpp"

#include <algorithm>
#include <cmath>

namespace gate {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::failed: return "failed";
    case Status::regressed: return "regressed";
    case Status::suspect: return "suspect";
    case Status::target_missed: return "target missed";
    case Status::budget_exceeded: return "budget exceeded";
    case Status::noisy: return "noisy";
    case Status::missing: return "missing";
    case Status::new_benchmark: return "new";
    case Status::accepted: return "accepted";
    case Status::improved: return "improved";
    case Status::unchanged: return "unchanged";
    case Status::target_met: return "target met";
  }
  return "unknown";
}

std::string_view to_string(Scope s) {
  switch (s) {
    case Scope::benchmark: return "benchmark";
    case Scope::suite: return "suite";
    case Scope::binary: return "binary";
  }
  return "unknown";
}

std::string_view to_string(Test t) {
  switch (t) {
    case Test::none: return "none";
    case Test::rank_beyond_limit: return "mann-whitney u beyond the limit";
    case Test::welch: return "welch t (aggregates only)";
    case Test::signed_rank_beyond_limit: return "wilcoxon signed-rank beyond the limit (paired a/b)";
    case Test::exact: return "exact";
    case Test::target: return "target";
    case Test::fit: return "fit";
    case Test::fits_by_round: return "fits by round (paired a/b)";
  }
  return "unknown";
}

std::string Verdict::note() const {
  std::string out;
  for (const auto& n : notes) {
    if (!out.empty()) out += "; ";
    out += n;
  }
  return out;
}

void Verdict::add_note(std::string text) { notes.push_back(std::move(text)); }

bool Comparison::fails(const Verdict& v) const {
  switch (v.status) {
    case Status::failed:
    case Status::regressed:
    case Status::target_missed:
    case Status::budget_exceeded:
    case Status::missing: return true;
    case Status::suspect: return policy.defaults.unconfirmed == Unconfirmed::fail;
    default: return false;
  }
}

std::array<std::size_t, k_status_count> Comparison::counts() const {
  std::array<std::size_t, k_status_count> c{};
  for (const auto& v : verdicts) ++c[static_cast<std::size_t>(v.status)];
  return c;
}

bool Comparison::passed() const {
  return suite_failures.empty() && unjudged.empty() && std::none_of(verdicts.begin(), verdicts.end(), [&](const Verdict& v) { return fails(v); });
}

int Comparison::exit_code() const {
  if (!suite_failures.empty() || !unjudged.empty()) return 2;
  if (!baseline_found && policy.defaults.no_baseline == NoBaseline::fail) return 2;
  return passed() ? 0 : 1;
}

std::size_t Comparison::passing_suspects() const {
  return static_cast<std::size_t>(std::count_if(verdicts.begin(), verdicts.end(), [&](const Verdict& v) {
    return v.status == Status::suspect && !fails(v);
  }));
}

// The keys are sorted, not the verdicts: a Verdict is some thirty members
// (680 bytes), and a stable sort of ten thousand moved each of them about
// fourteen times. The order found is then applied in place, cycle by
// cycle: each verdict moves once, and no second vector of them is made.
void sort_worst_first(std::vector<Verdict>& verdicts) {
  auto badness = [](const Verdict& v) -> double {
    if (!v.change) return -INFINITY;
    return v.direction == Direction::lower_is_better ? *v.change : -*v.change;
  };
  struct Key {
    Status status;
    double badness;
    std::size_t index;
  };
  std::vector<Key> keys;
  keys.reserve(verdicts.size());
  for (std::size_t i = 0; i < verdicts.size(); ++i) keys.push_back({verdicts[i].status, badness(verdicts[i]), i});
  std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.status != b.status) return a.status < b.status;
    return a.badness > b.badness;
  });
  // keys[i].index: the verdict that belongs at i. Once placed, a position's
  // index is set to itself, so that each cycle is walked once.
  for (std::size_t start = 0; start < keys.size(); ++start) {
    if (keys[start].index == start) continue;
    Verdict held = std::move(verdicts[start]);
    std::size_t at = start;
    while (keys[at].index != start) {
      const std::size_t from = keys[at].index;
      verdicts[at] = std::move(verdicts[from]);
      keys[at].index = at;
      at = from;
    }
    verdicts[at] = std::move(held);
    keys[at].index = at;
  }
}

}  // namespace gate
