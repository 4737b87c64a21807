// gate/src/report/format.hpp — formatting shared by the reports: values in
// their units, changes, p-values, the header facts and the summary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gate/judge/compare.hpp"

namespace gate::detail {

/// "1.23 ms", "12.3k/s", "1.5 MB", "1,234" — or the text of a complexity class.
std::string format_baseline(const Verdict& v);
std::string format_contender(const Verdict& v);
/// "+25.3%", "-4.1%", "" when there is no change.
std::string format_change(const Verdict& v);
/// "0.0012", "3.1e-07", "" when untested.
std::string format_p(const std::optional<double>& p);
/// "10/10".
std::string format_n(const Verdict& v);
/// The facts every report starts with: baseline (source, commit, runner),
/// contender, policy, statistics and alpha — one line each, "key: value".
std::vector<std::pair<std::string, std::string>> header_facts(const Comparison& c);
/// "2 regressed, 1 noisy, 40 unchanged" in status order, zero counts omitted.
std::string summary_counts(const Comparison& c);
/// "PASSED", "FAILED" or "COULD NOT JUDGE".
std::string_view outcome(const Comparison& c);

}  // namespace gate::detail
