// gate/src/run/run_setup.hpp — what plain and A/B runs check before anything
// runs (the suites and product binaries chosen, repetitions, the filter) and
// the facts they stamp on the bundle after (runner, commit, ref). Private to run/.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"
#include "gate/run/run.hpp"

namespace gate::detail {

/// The policy's suites to run, in policy order: all, or those named in
/// options.suites. Throws gate::Error when the policy names nothing to run
/// or a name is neither a suite nor (with options.products) a product binary.
[[nodiscard]] std::vector<const SuiteSpec*> chosen_suites(const Policy& policy, const RunOptions& options);

/// The product binaries to measure: none without options.products, else
/// all, or those named in options.suites.
[[nodiscard]] std::vector<const BinarySpec*> chosen_binaries(const Policy& policy, const RunOptions& options);

/// The product commands to time: none without options.timed, else all, or
/// those named in options.suites.
[[nodiscard]] std::vector<const CommandSpec*> chosen_commands(const Policy& policy, const RunOptions& options);

/// Repetitions per benchmark (see RunOptions::repetitions); throws
/// gate::Error for too few, notices weakened tests through `observer`.
[[nodiscard]] int choose_repetitions(const Policy& policy, const RunOptions& options, RunObserver* observer);

/// Throws gate::Error when `timeout` is set and not in (0, k_max_timeout].
void check_timeout(const std::optional<std::chrono::nanoseconds>& timeout);

/// Throws gate::Error when `filter` is not a valid regular expression.
void check_filter(const std::string& filter);

/// Sets the bundle's runner (fingerprint from the first suite's context),
/// commit (HEAD of options.repo_dir, when it is a repository) and ref (from CI's environment).
void stamp(RunBundle& bundle, const RunOptions& options);

}  // namespace gate::detail
