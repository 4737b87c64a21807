// gate/include/gate/workflow/merge.hpp — `gate merge`: several results files
// (one per shard or per job) as one run bundle.
#pragma once

#include <vector>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// Several result files (shards, or one file per suite) as one bundle. The
/// runner, commit and time come from the first file that has them; a suite
/// present twice is an error naming both files; runners that disagree are an
/// error naming the fingerprint fields.
[[nodiscard]] RunBundle merge_results(const std::vector<RunBundle>& parts);

}  // namespace gate
