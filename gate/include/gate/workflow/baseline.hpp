// gate/include/gate/workflow/baseline.hpp — baselines as the gate uses them: loading
// one runner's baseline (and policy) from a git ref, deciding which runner a
// contender belongs to, and recording a contender as the new baseline.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gate/store/baseline_store.hpp"
#include "gate/judge/judge.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/model/noise.hpp"
#include "gate/policy/policy.hpp"

namespace gate {

/// One runner's baseline as it is at a ref.
struct BaselineAtRef {
  RunBundle bundle;              ///< every <suite>.json of baselines/<runner>/, as suites; source "baselines/<runner> @ <ref>"
  std::optional<Policy> policy;  ///< gate.json at the ref, parsed; none when the ref has no policy
  CommitInfo commit;             ///< the commit the ref resolved to
  bool found = false;            ///< baselines/<runner>/ exists at the ref
  std::vector<std::string> runners;  ///< runner directories present at the ref
  /// baselines/<runner>/noise.json at the ref (`gate calibrate`), parsed;
  /// source "<ref>:baselines/<runner>/noise.json". None when there is none.
  std::optional<NoiseTable> noise;
};

/// Reads baselines/<runner_id>/ and gate.json from `ref`'s tree through
/// libgit2 — never the working tree. A corrupt file (noise.json included) is
/// gate::Error naming it as "<ref>:baselines/<runner>/<file>" with line and
/// column; so is a runner.json or noise.json that names another runner.
[[nodiscard]] BaselineAtRef load_baseline_at(const std::filesystem::path& repo_dir, std::string_view ref,
                                             std::string_view runner_id);

/// Several result files (shards, or one file per suite) as one bundle. The
/// runner, commit and time come from the first file that has them; a suite
/// present twice is an error naming both files; runners that disagree are an
/// error naming the fingerprint fields.
[[nodiscard]] RunBundle merge_results(const std::vector<RunBundle>& parts);

/// The runner a contender was measured on: its bundle's runner when it has
/// one, else the fingerprint detected here from its suites' context; the id
/// from `flag` / GATE_RUNNER overrides (checked, never repaired).
[[nodiscard]] Runner contender_runner(const RunBundle& contender, const std::optional<std::string>& flag);

/// Throws gate::Error when `contender` and `baseline` come from runners with
/// different fingerprints, naming the fields that differ — results are never
/// compared across runners without saying so. Returns the differing fields
/// (empty when they match) when `allow` is set instead of throwing.
std::vector<std::string> check_runner_match(const Runner& contender, const Runner& baseline, bool allow);

struct BaselineUpdateOptions {
  bool allow_debug = false;  ///< record results of a debug build (refused by default)
  bool commit = false;       ///< make one commit of the written files
};

struct BaselineUpdateResult {
  Runner runner;
  std::vector<std::filesystem::path> written;  ///< relative to the repository root
  std::string summary;                         ///< one line per suite: what changed
  std::optional<CommitInfo> commit;            ///< the commit made, when asked and anything changed
};

/// Writes baselines/<runner>/runner.json and one <suite>.json per suite of
/// `contender` into the repository at `repo_dir`, each atomically. Refuses
/// (gate::Error, nothing written) a contender with a failed suite, results
/// of a build with an injected regression
/// (context gate_inject other than "none"), and — unless allowed — of a debug
/// build (context build_type, never Google Benchmark's library_build_type).
BaselineUpdateResult update_baselines(const std::filesystem::path& repo_dir, const RunBundle& contender,
                                      const Runner& runner, const BaselineUpdateOptions& options);

/// What `gate compare --baseline-ref` needs beyond the contender.
struct RefCompareOptions {
  std::filesystem::path repo = ".";  ///< inside the git repository
  std::string ref;                   ///< the base ref: "origin/main", "HEAD^1", a sha
  std::optional<std::string> runner; ///< --runner; GATE_RUNNER and the fingerprint otherwise
  std::optional<std::filesystem::path> policy;  ///< overrides the ref's gate.json (the report says so)
  bool allow_runner_mismatch = false;
};

/// Judges `contender` against its runner's baselines at `options.ref`, with
/// the ref's gate.json (or built-in defaults when the ref has none), as a
/// stored baseline (CompareOptions::stored_baseline: timing regressions need
/// confirmation unless the policy says "judge") and with the ref's
/// noise.json as CompareOptions::noise unless `compare_options` has one. The
/// report names the base commit; files under baselines/ or gate.json that
/// differ between the ref and the working tree are listed at the top (judging
/// uses the ref's versions regardless). With no baselines for the runner at
/// the ref, every benchmark is new and a notice says how to record them.
/// Throws gate::Error for a missing ref, a corrupt baseline, a runner
/// mismatch (unless allowed).
[[nodiscard]] Comparison compare_against_ref(const RunBundle& contender, const RefCompareOptions& options,
                                             const CompareOptions& compare_options = {});

}  // namespace gate
