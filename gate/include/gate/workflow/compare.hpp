// gate/include/gate/workflow/compare.hpp — `gate compare` from start to end:
// one runner's baselines and policy read from a git ref, the contender judged
// against them (or two files against each other, or an A/B bundle by its
// pairs), waivers from the change's commits applied, and suspects confirmed
// by a same-job re-run when asked.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/judge/judge.hpp"
#include "gate/model/noise.hpp"
#include "gate/model/run_bundle.hpp"
#include "gate/policy/policy.hpp"
#include "gate/run/run.hpp"
#include "gate/store/baseline_store.hpp"
#include "gate/workflow/confirm.hpp"

namespace gate {

/// One runner's baseline as it is at a ref.
struct BaselineAtRef {
  RunBundle bundle;              ///< every <suite>.json of baselines/<runner>/, as suites; source "baselines/<runner> @ <ref>"
  /// The policy to judge with: gate.json at the ref, parsed; else the
  /// built-in defaults, with a source that says the ref has none.
  Policy policy;
  CommitInfo commit;             ///< the commit the ref resolved to
  bool found = false;            ///< baselines/<runner>/ exists at the ref
  std::vector<std::string> runners;  ///< runner directories present at the ref
  /// baselines/<runner>/noise.json at the ref (`gate calibrate`), parsed;
  /// source "<ref>:baselines/<runner>/noise.json". None when there is none.
  std::optional<NoiseTable> noise;
};

/// Reads baselines/<runner_id>/ and gate.json from `ref`'s tree through
/// libgit2 — never the working tree; a `policy` file given instead of the
/// ref's is read from where it is (find_policy_at_ref). A corrupt file (noise.json included) is
/// gate::Error naming it as "<ref>:baselines/<runner>/<file>" with line and
/// column; so is a runner.json or noise.json that names another runner.
[[nodiscard]] BaselineAtRef load_baseline_at(const std::filesystem::path& repo_dir, std::string_view ref,
                                             std::string_view runner_id,
                                             const std::optional<std::filesystem::path>& policy = std::nullopt);

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

/// A same-job re-run of the suspects (workflow/confirm.hpp), as asked.
struct ConfirmRequest {
  std::filesystem::path base_build_dir;                    ///< the base ref's build
  std::filesystem::path head_build_dir = "build/release";  ///< the build the contender came from
  std::optional<int> rounds;  ///< unset: the policy's ab.rounds, else the gate's (ConfirmOptions::rounds)
  std::optional<std::filesystem::path> bundle_out;  ///< also write the re-run's A/B bundle here
};

/// Everything `gate compare` is asked.
struct CompareRequest {
  /// BASELINE CONTENDER; or one A/B bundle of `gate run --ab`; or, with
  /// baseline_ref, the contender's files (merged into one run).
  std::vector<std::filesystem::path> files;
  std::optional<std::string> baseline_ref;  ///< judge against baselines/<runner>/ at this ref
  std::filesystem::path repo = ".";         ///< inside the git repository (baseline_ref, waivers_from)
  std::optional<std::string> runner;        ///< --runner; GATE_RUNNER and the fingerprint otherwise
  std::optional<std::filesystem::path> policy;  ///< the policy file; else the ref's gate.json, else ./gate.json
  bool allow_runner_mismatch = false;
  CompareOptions options;                   ///< --metric, --filter
  /// Read "Perf-Accepted" trailers of the commits this ref brings over
  /// baseline_ref (judge/waivers.hpp): a pull request's head.
  std::optional<std::string> waivers_from;
  std::optional<ConfirmRequest> confirm;    ///< re-run the suspects, base build against head build
  RunObserver* observer = nullptr;          ///< progress of a confirmation; may be null
};

/// Does what `gate compare` does, choosing how from what it is given:
///  - with baseline_ref: the contender files merged into one run and judged
///    against its runner's baselines and the ref's policy (compare_against_ref);
///  - one file that is a same-job A/B bundle: judged by its pairs (compare_ab);
///  - two files: the second judged against the first (compare); a perfgate
///    baseline file counts as a stored baseline (timing needs confirmation),
///    and two runs recorded on different machines are refused as against a
///    ref (check_runner_match), unless allow_runner_mismatch.
/// Then the waivers of the change are applied (waivers_from needs
/// baseline_ref: the change's commits are those over the base), and the
/// remaining suspects confirmed when asked. The policy is the named file;
/// else, against a ref, the ref's gate.json; else ./gate.json when there is
/// one; else the built-in defaults; the report says which. Throws
/// gate::Error for anything the steps refuse, and for a request that does
/// not fit one of the ways above.
[[nodiscard]] Comparison run_compare(const CompareRequest& request);

}  // namespace gate
