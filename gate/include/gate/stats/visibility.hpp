// gate/include/gate/stats/visibility.hpp — whether a comparison can see a
// regression at all: the smallest p-value its repetitions allow against what
// the false discovery rate control over its m tests demands, and the
// repetitions that would be needed.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace gate::stats {

/// Whether one benchmark's test can be significant on its own in a family
/// of `tests` tests under Benjamini–Hochberg at `alpha`.
///
/// The criterion: a lone regression among `tests` tests is significant
/// exactly when its p-value is ≤ alpha/tests (BH's threshold for the first of
/// m sorted p-values when nothing else is significant). So the gate can see
/// a lone regression only when the smallest p-value these sample sizes allow
/// reaches alpha/tests; when it cannot, no data at all would make the
/// benchmark fail, and a verdict of "unchanged" would be a guess.
struct Visibility {
  std::size_t tests = 0;   ///< m: the tests in the family
  double alpha = 0;        ///< the false discovery rate
  double needed_p = 0;     ///< alpha / tests: what a lone regression's p-value must reach
  double smallest_p = 1;   ///< the smallest p-value of the test at these sizes (no ties)
  bool can_see = false;    ///< smallest_p ≤ needed_p
  /// How far short of the most extreme outcome a result may fall and still
  /// reach needed_p, in steps of the statistic: for the unpaired test the
  /// number of (baseline, contender) pairs out of order (U below its maximum),
  /// for the paired test the sum of the ranks of the pairs that went the
  /// other way. 0 when only the most extreme outcome passes, or none does.
  std::size_t slack = 0;
  /// The repetitions per side (unpaired: the same on both sides; paired: the
  /// pairs) at which a lone regression can be seen; nullopt beyond 1,000.
  std::optional<std::size_t> repetitions_needed;
  /// Unpaired only: the contender's repetitions that would do with the
  /// baseline's as they are (a stored baseline is not re-measured); nullopt
  /// beyond 1,000 or for the paired test.
  std::optional<std::size_t> contender_repetitions_needed;
};

/// Visibility of unpaired_beyond_limit() (beyond_limit.hpp) with these
/// sizes in a family of `tests` tests. Throws gate::Error for tests = 0 or
/// alpha outside (0, 1).
[[nodiscard]] Visibility unpaired_visibility(std::size_t tests, double alpha, std::size_t n_baseline,
                                             std::size_t n_contender);

/// Visibility of paired_beyond_limit() with this many pairs. Throws as above.
[[nodiscard]] Visibility paired_visibility(std::size_t tests, double alpha, std::size_t pairs);

/// The tests of one family that can see, by their smallest attainable
/// p-values (LimitTest::smallest_p): Tarone's rule (Biometrics 46, 1990),
/// applied to Benjamini–Hochberg. With K the smallest number for which at
/// most K tests have smallest_p ≤ alpha/K, the tests with smallest_p ≤
/// alpha/K can see and form the family; the others could never be
/// significant in it and are left out, so that they do not raise m for the
/// rest. When every test has the same sizes this is all of them or none.
/// Returns one flag per input. Throws gate::Error for alpha outside (0, 1) or
/// a smallest_p that is NaN or outside (0, 1].
[[nodiscard]] std::vector<bool> seeing_tests(std::span<const double> smallest_p, double alpha);

/// Benjamini–Hochberg over the tests that can see (seeing_tests()): q-values
/// for those, in the order of the input, nullopt for the others. The family
/// is chosen from the smallest attainable p-values alone, which depend on
/// sample sizes and tie patterns and not on which way the samples lie, so
/// the false discovery rate stays at most alpha. `family` is its size.
struct FamilyAdjustment {
  std::vector<std::optional<double>> q;
  std::size_t family = 0;
};
[[nodiscard]] FamilyAdjustment adjust_seeing(std::span<const double> p_values, std::span<const double> smallest_p,
                                             double alpha);

}  // namespace gate::stats
