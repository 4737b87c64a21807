// gate/include/gate/stats/change_points.hpp — where the level of a series
// changes: E-divisive means with the sliding windows and weak change points
// of Hunter (Apache Otava), for the medians of a benchmark over the commits
// between two releases. docs/report.md explains the method and its figures.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace gate::stats {

/// How find_change_points() decides whether the segments on the two sides of
/// a candidate differ.
enum class ChangePointTest {
  welch_t,       ///< Welch's t-test of the means (Hunter and Otava use Student's)
  mann_whitney,  ///< the Mann–Whitney U test of the ranks: blind to how far an outlier lies
};

/// The parameters of find_change_points(). window, max_p_value and
/// weak_p_value are Apache Otava's defaults; the test (Otava: Student's t)
/// and min_segment (Otava: 1) are this project's, chosen on measurements of
/// false alarms and missed steps here — docs/report.md has the figures.
struct ChangePointOptions {
  /// Points per sliding window of the first pass. A series no longer than
  /// this is searched as a whole; a longer one in windows of this many
  /// points that overlap by half, so that a step is found against the
  /// levels near it rather than against the average of a long history.
  std::size_t window = 50;
  /// A change point is kept when the test of the segments on its two sides
  /// gives a p-value at most this (two-sided).
  double max_p_value = 0.001;
  /// The first pass keeps candidates at this looser p-value ("weak" change
  /// points); the second pass removes, one at a time, those that fail
  /// max_p_value once their neighbours are known. Must be ≥ max_p_value.
  double weak_p_value = 0.01;
  /// A change point whose step is at most this (a fraction, see
  /// ChangePoint::magnitude) is removed even when significant: 0 keeps every
  /// significant step.
  double min_magnitude = 0.0;
  /// Fewest points on each side of a change point; at least 2. A level is
  /// believed once this many commits show it: fewer consecutive slow runs
  /// are what a shared machine produces now and then. So a step in the last
  /// min_segment - 1 points of a series is not reported yet.
  std::size_t min_segment = 3;
  /// The test of the two segments.
  ChangePointTest test = ChangePointTest::mann_whitney;
};

/// One change of level. The segments are the points between the
/// neighbouring change points (or the ends of the series).
struct ChangePoint {
  std::size_t index = 0;         ///< the first point of the new level (its commit caused the step)
  std::size_t n_before = 0;      ///< points in the segment before
  std::size_t n_after = 0;       ///< points in the segment after, from `index` on
  /// The level before: the median of the segment — one slow run on a shared
  /// machine moves a mean, not a median.
  double level_before = 0;
  double level_after = 0;        ///< the level after, likewise
  /// (level_after - level_before) / |level_before|: +0.2 is 20% higher.
  /// ±infinity when the level before is exactly 0 and the level after is not.
  double change = 0;
  /// The larger of |change| and the relative change seen from after
  /// (|level_before - level_after| / |level_after|), as Otava measures a step:
  /// a rise of 25% and a fall of 20% between the same levels both have 0.25.
  double magnitude = 0;
  /// The two-sided test of ChangePointOptions::test on the two segments:
  /// the probability of a difference at least this large between segments
  /// of one level. It is a p-value at a split the search chose as the most distinct, not
  /// at a split fixed in advance: the false-alarm rate of the whole
  /// procedure is what docs/report.md measured, not this number.
  double p_value = 1;
};

/// The points where the level of `series` changes, in index order, with
/// the size of each step and its significance. `series` holds one value a
/// point in order (here: a benchmark's median at each commit, oldest first);
/// the values' unit does not matter, a step is relative.
///
/// The method (Matteson & James's E-divisive means with α = 1, as adapted
/// by Hunter, Fleming et al. 2023, and Apache Otava):
///  1. in each window, the split τ of a segment [s, e) and the end κ that
///     maximise the divergence Q̂(Z[s:τ], Z[τ:κ]) of energy statistics is a
///     candidate; it is kept when the test of Z[s:τ] against Z[τ:e] gives
///     p ≤ weak_p_value, and the search repeats in the segments it leaves,
///     until the best candidate fails;
///  2. the candidates of all windows together are tested against their
///     neighbours; of those that fail max_p_value the smallest step is
///     removed (Otava removes the largest p-value: see docs/report.md for
///     why not here), then of those that pass the smallest step if it is at
///     most min_magnitude, and the neighbours are re-tested, until none is
///     left to remove.
/// Deterministic: no permutation test, no randomness; ties go to the
/// smaller index. Cost O(n · window²) time and O(window²) memory; points
/// need not be positive.
///
/// Fewer than 2 · min_segment points give no change point. Throws
/// gate::Error for a value that is NaN or infinite (a point without a value
/// must be left out by the caller, who maps the indices back), and for
/// options out of range (window < 2 · min_segment, min_segment < 2,
/// max_p_value not in (0, 1], weak_p_value < max_p_value or > 1,
/// min_magnitude negative).
[[nodiscard]] std::vector<ChangePoint> find_change_points(std::span<const double> series,
                                                          const ChangePointOptions& options = {});

}  // namespace gate::stats
