// gate/src/store/git/repository.hpp — opening a repository and resolving a ref to a
// commit, with messages that say how to fix what went wrong. Private.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "gate/store/baseline_store.hpp"
#include "store/git/handle.hpp"

namespace gate::git {

/// Opens the repository containing `dir` (searching upwards). Throws
/// gate::Error; a repository owned by another user gets a message naming the
/// safe.directory setting that allows it.
[[nodiscard]] Repository open_repository(const std::filesystem::path& dir);

/// The repository's working tree root without a trailing slash, or its git
/// directory when bare — for messages.
[[nodiscard]] std::string display_path(git_repository* repo);

/// The commit `ref` names. `noun` starts the messages ("base ref", "ref").
/// A ref that is not in the clone throws gate::Error with the git fetch
/// command (or the checkout depth) that brings it in.
[[nodiscard]] Commit lookup_commit(git_repository* repo, std::string_view ref, std::string_view noun);

/// A commit as plain values.
[[nodiscard]] CommitInfo commit_info(const git_commit* commit);

}  // namespace gate::git
