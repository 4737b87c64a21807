// gate/include/gate/workflow/merge.hpp — `gate merge`: several results files
// (one per shard or per job) as one run bundle.
#pragma once

#include <filesystem>
#include <vector>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// Several result files (shards, or one file per suite) as one bundle. The
/// runner, commit and time come from the first file that has them; runners
/// that disagree are an error naming the fingerprint fields. A suite present
/// twice is an error naming both files, unless both are shards of
/// `gate run --shard i/n`: then their benchmarks are joined. Shards must be
/// complete and of one split — every i of the same n exactly once — of one
/// commit, and a suite's parts must come from the same binary (equal code
/// hash) and share no benchmark; each refusal names the files. Shards of an
/// A/B run (`gate run --ab --shard i/n`) are joined on both sides, base and
/// head; they must have run the same rounds, and A/B shards do not mix with
/// plain runs.
[[nodiscard]] RunBundle merge_results(const std::vector<RunBundle>& parts);

/// Copies the kept callgrind profiles beside each of `files` (their
/// profiles_dir_of folders, where there are any) into the folder beside
/// `out`, so that `gate explain` finds every shard's profiles beside the
/// merged bundle. Shards hold different benchmarks, so nothing collides; a
/// file copied later replaces one of the same name. Throws gate::Error when
/// a copy fails.
void merge_profiles(const std::vector<std::filesystem::path>& files, const std::filesystem::path& out);

}  // namespace gate
