// gate/include/gate/store/change_commits.hpp — the commits a change brings:
// those reachable from its head and not from its base, with their messages'
// trailers, read through libgit2. Works in the shallow clones CI makes: what
// lies beyond the clone's depth is not read, and the answer says so.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gate/store/baseline_store.hpp"

namespace gate {

/// One commit of a change.
struct ChangeCommit {
  CommitInfo commit;
  /// The trailers of its message, as git interprets them (the last
  /// paragraph's "Key: value" lines), in order: key, value.
  std::vector<std::pair<std::string, std::string>> trailers;
};

/// What change_commits() found.
struct ChangeCommits {
  std::vector<ChangeCommit> commits;  ///< newest first, in the order of a walk from the head
  /// The walk stopped at the clone's edge (a parent that is not in the
  /// clone) before it met the base: commits further back were not read.
  bool cut_by_shallow_clone = false;
  bool cut_by_limit = false;  ///< more than `limit` commits: the rest were not read
};

/// The commits reachable from `head` and not from `base` (what GitHub lists
/// as a pull request's commits when `base` is the merge base's side and
/// `head` the pull request's head; for a merge commit checked out by CI:
/// head "HEAD^2", base "HEAD^1"). The walk marks `base`'s ancestors as far as
/// the clone holds them, then walks from `head` until it meets them; a parent
/// missing from a shallow clone ends that line of the walk instead of
/// failing (libgit2 cannot walk past a shallow boundary). At most `limit`
/// commits are read. Throws gate::Error when the repository or either ref
/// cannot be found (with the fetch command that brings a ref in).
[[nodiscard]] ChangeCommits change_commits(const std::filesystem::path& repo_dir, std::string_view head,
                                           std::string_view base, std::size_t limit = 1000);

}  // namespace gate
