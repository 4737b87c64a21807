// gate/include/gate/judge/ab.hpp — judging a same-job A/B run (`gate run --ab`) by
// its pairs: round r of the base build against round r of the head build.
#pragma once

#include <string_view>

#include "gate/judge/compare.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

/// Verdict::test of a noisy metric judged on pairs.
inline constexpr std::string_view k_ab_test = "wilcoxon signed-rank (paired a/b)";
/// Verdict::statistic of a noisy metric judged on pairs.
inline constexpr std::string_view k_ab_statistic = "median ratio";
/// Verdict::test of a complexity class judged round by round.
inline constexpr std::string_view k_ab_complexity_test = "fits by round (paired a/b)";

/// Judges the head side of an A/B bundle (RunBundle::suites) against its base
/// side (RunBundle::ab) under `policy`, with the same verdicts, statuses and
/// reports as compare():
///  - noisy metrics (times, rates) by their pairs: for every round measured
///    on both sides the ratio head/base; Verdict::change = median ratio − 1,
///    baseline and contender = the two sides' medians over those rounds,
///    n = the rounds paired (both n_baseline and n_contender), p = the
///    two-sided Wilcoxon signed-rank test of the log ratios, q = its
///    Benjamini–Hochberg adjustment across this comparison, the limit from
///    policy.rules_for() (the threshold for the primary metric). Regressed
///    when the median ratio exceeds the limit and q < alpha; improved the
///    other way; noisy when the change is beyond the limit but not
///    significant, or the ratios spread (robust CV) beyond the limit's
///    relative part; unchanged otherwise. Fewer pairs than
///    defaults.min_repetitions are not tested (as compare()). When both
///    builds' binaries have the same text hash the code is identical, and a
///    timing difference cannot regress or improve: it is reported as noisy.
///  - deterministic metrics exactly on the medians of each side;
///  - complexity classes round by round: each round fits every family that
///    ran all its instances, in both builds; a family whose head class is
///    worse than the base class of the same round in more than half of the
///    rounds paired is regressed, better in more than half improved,
///    otherwise unchanged (noisy instead of regressed or improved when the
///    code is identical). Baseline and contender show each side's most
///    frequent class, the note how many rounds were worse and better;
///  - targets on the head side; binary sizes of head against base (budgets);
///  - a suite failed on either side fails the comparison (exit 2); a suite
///    or benchmark only in the head build is new, only in the base missing.
/// `options` as for compare(). Throws gate::Error when the bundle is not an
/// A/B run (no RunBundle::ab), for a bad filter, and for a metric whose
/// samples and rounds do not match.
[[nodiscard]] Comparison compare_ab(const RunBundle& bundle, const Policy& policy, const CompareOptions& options = {});

}  // namespace gate
