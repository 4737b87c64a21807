// gate/src/judge/complexity.cpp — complexity classes (Google Benchmark's
// BigO fits) compared between the two sides: one fit against one
// (unpaired), or round against round (paired).
#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "judge/judging.hpp"

namespace gate::detail {
namespace {

bool selected(const std::optional<std::regex>& filter, const std::string& name) {
  return !filter || std::regex_search(name, *filter);
}

Verdict class_verdict(const Policy& policy, Method method, std::string_view suite, const std::string& family) {
  Verdict v = make_verdict(policy, Scope::benchmark, suite, family, "complexity");
  v.kind = MetricKind::deterministic;
  v.statistic = Statistic{StatisticKind::big_o};
  v.test = method == Method::paired ? Test::fits_by_round : Test::fit;
  v.threshold = "same class";
  return v;
}

// A side of an A/B run holds a fit per round; a plain run one (round 0). A
// plain run's fit against another's: the first of each.
void unpaired(std::vector<Verdict>& out, const Policy& policy, const Suite& base, const Suite& cont,
              const std::optional<std::regex>& filter) {
  for (const auto& c : cont.complexity) {
    if (!selected(filter, c.family) || c.round > 1) continue;
    auto b = std::find_if(base.complexity.begin(), base.complexity.end(),
                          [&](const ComplexityFit& f) { return f.family == c.family && f.round <= 1; });
    if (b == base.complexity.end()) continue;
    const int rb = complexity_rank(b->big_o);
    const int rc = complexity_rank(c.big_o);
    if (rb < 0 || rc < 0) continue;
    Verdict v = class_verdict(policy, Method::unpaired, cont.name, c.family);
    v.baseline_text = big_o_text(b->big_o);
    v.contender_text = big_o_text(c.big_o);
    v.n_baseline = v.n_contender = 1;
    v.status = rc > rb ? Status::regressed : rc < rb ? Status::improved : Status::unchanged;
    v.add_note(fmt::format("fit rms {:.0f}% → {:.0f}%", b->rms * 100, c.rms * 100));
    out.push_back(std::move(v));
  }
}

// Complexity fits pair by round like samples: round r ran every instance of
// a family once in each build, and each build's fit of that round is made
// from times measured minutes apart at most. A class worse in most rounds is
// a regression; one noisy fit is outvoted.
void paired(std::vector<Verdict>& out, const Policy& policy, const Suite& base, const Suite& head,
            const std::optional<std::regex>& filter) {
  std::map<std::string, std::map<int, std::string>, std::less<>> base_fits;  // family → round → class
  for (const auto& f : base.complexity) base_fits[f.family][f.round] = f.big_o;
  std::map<std::string, std::vector<const ComplexityFit*>, std::less<>> head_fits;
  for (const auto& f : head.complexity) head_fits[f.family].push_back(&f);
  for (const auto& [family, fits] : head_fits) {
    auto b = base_fits.find(family);
    if (!selected(filter, family) || b == base_fits.end()) continue;
    int pairs = 0, worse = 0, better = 0;
    std::map<std::string, int> base_classes, head_classes;
    for (const ComplexityFit* f : fits) {
      auto r = b->second.find(f->round);
      if (r == b->second.end()) continue;
      const int rh = complexity_rank(f->big_o);
      const int rb = complexity_rank(r->second);
      if (rh < 0 || rb < 0) continue;
      ++pairs;
      worse += rh > rb ? 1 : 0;
      better += rh < rb ? 1 : 0;
      ++head_classes[f->big_o];
      ++base_classes[r->second];
    }
    if (pairs == 0) continue;
    auto modal = [](const std::map<std::string, int>& counts) {
      return std::max_element(counts.begin(), counts.end(),
                              [](const auto& x, const auto& y) { return x.second < y.second; })
          ->first;
    };
    Verdict v = class_verdict(policy, Method::paired, head.name, family);
    v.baseline_text = big_o_text(modal(base_classes));
    v.contender_text = big_o_text(modal(head_classes));
    v.n_baseline = v.n_contender = static_cast<std::size_t>(pairs);
    v.status = 2 * worse > pairs ? Status::regressed : 2 * better > pairs ? Status::improved : Status::unchanged;
    v.add_note(fmt::format("worse in {} and better in {} of {} rounds", worse, better, pairs));
    out.push_back(std::move(v));
  }
}

}  // namespace

std::vector<Verdict> judge_complexity(const Policy& policy, Method method, const Suite& base, const Suite& cont,
                                      const std::optional<std::regex>& filter, bool code_unchanged,
                                      TimingMode timing) {
  std::vector<Verdict> out;
  if (method == Method::paired) {
    paired(out, policy, base, cont, filter);
  } else {
    unpaired(out, policy, base, cont, filter);
  }
  for (auto& v : out) {
    // A fit is made from times, so it is as noisy as they are (seen: a weak
    // N lgN fit read as N^2 on a loaded machine): identical code cannot
    // change class, and against a stored baseline a worse class needs the
    // same confirmation as a timing regression.
    if (code_unchanged && v.status != Status::unchanged) {
      v.add_note(fmt::format("would be {}, but the code is unchanged (identical .text): a different fit is noise",
                             to_string(v.status)));
      v.status = Status::noisy;
    }
    if (v.status == Status::regressed && timing == TimingMode::confirm) v.status = Status::suspect;
  }
  return out;
}

}  // namespace gate::detail
