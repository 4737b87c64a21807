// gate/include/gate/stats/modes.hpp — repetitions that fall into two modes,
// and which mode of the contender to compare with which of the baseline, so
// that a benchmark is judged like with like and not on where its median fell.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "gate/stats/beyond_limit.hpp"

namespace gate::stats {

/// The thresholds of split_modes() and match_modes().
struct ModeCriteria {
  /// Fewer samples are never split: a mode needs company to be told from noise.
  std::size_t min_samples = 5;
  /// Each cluster holds at least this many samples. A single stray
  /// repetition is left to the rank test, which it can cost at most the
  /// pairs it is part of (n of n·m); splitting it off would cost the test a
  /// sample, and at the smallest sizes that can be all its reach.
  std::size_t min_cluster = 2;
  /// The gap between the clusters must exceed this many pooled within-cluster
  /// standard deviations, and the distance between their medians
  /// min_separation of them. Stricter than bimodality()'s 4 and 6 because a
  /// cluster here may hold two samples: at 4 and 6, 1.3% of lognormal samples
  /// (σ = 0.3) of 10 split by mistake, at 6 and 8 0.15%
  /// (tests/modes_test.cpp re-checks the rates).
  double min_gap = 6;
  double min_separation = 8;
  /// The clusters' medians must lie at least this far apart, relative to the
  /// lower: modes closer than that do not change a verdict against a limit.
  double min_relative_separation = 0.10;
  /// Both sides split, and their low modes moved by a factor within this of
  /// their high modes' factor: matched low to low and high to high.
  double agreement = 0.10;
  /// A cluster of at least this many samples, and this fraction of its side,
  /// is a mode; a smaller one is a handful of outliers (a repetition that
  /// another job slowed, a fast first repetition).
  std::size_t min_mode = 4;
  double min_mode_fraction = 0.25;
};

/// One side's repetitions in at most two clusters.
struct Split {
  std::vector<std::size_t> low;   ///< indices of the lower cluster's samples (all samples when not split)
  std::vector<std::size_t> high;  ///< indices of the upper cluster's samples; empty when not split
  double low_median = 0;          ///< median of the lower cluster (of all samples when not split)
  double high_median = 0;         ///< median of the upper cluster; 0 when not split

  [[nodiscard]] bool split() const { return !high.empty(); }
};

/// Splits the samples at their widest gap when it separates two clusters
/// clearly: the gap exceeds min_gap and the distance of the clusters'
/// medians min_separation pooled within-cluster standard deviations (n − 2
/// degrees of freedom), and the medians are at least min_relative_separation
/// apart, and each cluster holds at least min_cluster samples: two fast
/// repetitions of ten are a mode, one is an outlier. Not split below
/// min_samples. Throws gate::Error for empty input, NaN or infinity.
[[nodiscard]] Split split_modes(std::span<const double> samples, const ModeCriteria& criteria = {});

/// How the two sides' modes were put together.
enum class ModeMatching {
  unimodal,      ///< neither side split: one stratum of all samples
  mode_to_mode,  ///< both sides split and both modes moved alike: low with low, high with high
  majority,      ///< the cluster holding most repetitions of each side (the whole side when
                 ///< it did not split): where this benchmark's work usually runs
};

/// The modes of a baseline and a contender, matched.
struct ModeMatch {
  /// Samples compared with each other: indices into the baseline and
  /// contender given to match_modes(), with their medians.
  struct Stratum {
    std::vector<std::size_t> baseline;
    std::vector<std::size_t> contender;
    double baseline_median = 0;
    double contender_median = 0;
  };
  std::vector<Stratum> strata;  ///< low mode first; one stratum unless mode_to_mode
  std::vector<std::size_t> baseline_aside;   ///< baseline samples in a cluster left out
  std::vector<std::size_t> contender_aside;  ///< contender samples in a cluster left out
  Split baseline;
  Split contender;
  ModeMatching matching = ModeMatching::unimodal;
  /// A cluster left out is a mode (min_mode samples and min_mode_fraction of
  /// its side), not a few outliers: one side has a mode the other lacks, and
  /// no test of the matched samples speaks for those repetitions.
  bool unmatched_mode = false;
};

/// Splits both sides (split_modes()) and matches their clusters:
///  - neither split: one stratum of everything (ModeMatching::unimodal);
///  - both split and the factor low→low agrees with high→high within
///    `agreement`: two strata (mode_to_mode) — a change moved both modes
///    alike, and a repetition's mode is compared with its own kind;
///  - otherwise (one side split, or the modes moved differently): the
///    cluster holding most of each side's repetitions, the whole side when it
///    did not split (majority). A side split evenly takes the cluster nearer
///    to the other side's (by ratio of medians); both even, the nearest pair.
///    The rest is set aside, and unmatched_mode says whether it was a mode.
/// Throws gate::Error for empty input, NaN or infinity.
[[nodiscard]] ModeMatch match_modes(std::span<const double> baseline, std::span<const double> contender,
                                    const ModeCriteria& criteria = {});

/// stratified_beyond_limit() over the strata of `match`: `allowed` holds the
/// value the limit allows for each baseline sample (aligned with the baseline
/// given to match_modes()), `contender` the contender samples. Throws
/// gate::Error when an index of `match` is out of range.
[[nodiscard]] LimitTest beyond_limit_by_modes(std::span<const double> allowed, std::span<const double> contender,
                                              const ModeMatch& match, Worse worse);

}  // namespace gate::stats
