// gate/include/gate/workflow/record.hpp — `gate baseline update`: a run
// recorded as its runner's baselines (baselines/<runner>/), and the one check
// of whether results may be recorded at all.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/run_bundle.hpp"
#include "gate/store/baseline_store.hpp"

namespace gate {

/// Throws gate::Error ("<doing>: suite '<name>' …, nothing written") when a
/// suite's results must not become a baseline or a runner's noise: the suite
/// failed to run, was built with an injected regression (context gate_inject
/// other than "none"), or — unless `allow_debug` — comes from a debug build
/// (context build_type; never Google Benchmark's library_build_type, which
/// Debian's package always sets to "debug").
void check_recordable(const Suite& suite, bool allow_debug, std::string_view doing);

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

}  // namespace gate
