// gate/include/gate/workflow/explain.hpp — `gate explain`: where one
// benchmark's instructions (or another callgrind event) went between two
// runs, function by function, from the profiles `gate run --instrument` kept.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gate/judge/profile_diff.hpp"
#include "gate/judge/verdict.hpp"

namespace gate {

struct ExplainOptions {
  std::string benchmark;  ///< the benchmark's full name; needed to find its profile in a bundle's folder
  std::string suite;      ///< the suite, when the benchmark's name is in more than one
  std::string event = "Ir";  ///< the callgrind event compared
};

/// What `gate explain` found: the difference and the files it came from.
struct Explanation {
  ProfileDiff diff;
  std::filesystem::path baseline_profile;
  std::filesystem::path contender_profile;
};

/// The profile a side of `gate explain` names: a callgrind output file
/// itself (plain or gzip), a run bundle ("run.json": its profiles folder
/// "run.profiles" beside it), or a profiles folder. In a folder the
/// benchmark's file is looked for in `options.suite`'s subfolder, or in every
/// suite's. Throws gate::Error when the path does not exist, the bundle has
/// no profiles folder, the benchmark has no profile there or has one in
/// several suites, or a profile file's harness label names another benchmark.
[[nodiscard]] std::filesystem::path find_profile(const std::filesystem::path& where, const ExplainOptions& options);

/// Finds both profiles, reads them, and compares them per iteration (the
/// iterations of each dump's harness label, 1 when it has none).
[[nodiscard]] Explanation explain(const std::filesystem::path& baseline, const std::filesystem::path& contender,
                                  const ExplainOptions& options);

/// How many functions a regressed verdict carries.
inline constexpr std::size_t k_verdict_functions = 5;

/// The callgrind event that explains a deterministic metric: "Ir" for
/// instructions and est_cycles, "I1mr", "D1mr", "ILmr", "DLmr", "Bcm" for
/// the misses; empty for a metric callgrind does not count.
[[nodiscard]] std::string explaining_event(const std::string& metric);

/// Gives every regressed benchmark verdict of a callgrind metric whose
/// profiles are kept on both sides — `base_dir` and `head_dir` are profiles
/// folders (profiles_dir_of) — the functions whose self count of the
/// explaining event grew most (Verdict::functions, at most
/// k_verdict_functions), and a note naming the first. A verdict whose
/// profiles are missing or unreadable is left as it is: the explanation is
/// help, not a judgement.
void attach_profile_diffs(Comparison& comparison, const std::filesystem::path& base_dir,
                          const std::filesystem::path& head_dir);

/// The same with the contender's profiles in several folders (the files of
/// one run): each verdict's profile is taken from the first folder that has it.
void attach_profile_diffs(Comparison& comparison, const std::filesystem::path& base_dir,
                          const std::vector<std::filesystem::path>& head_dirs);

}  // namespace gate
