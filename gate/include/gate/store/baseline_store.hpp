// gate/include/gate/store/baseline_store.hpp — baselines in git: reading
// baselines/<runner>/ and the policy from a ref's tree, listing what the
// working tree changed there, writing baseline files and committing them.
// Deals in file names and bytes; what the bytes mean is bundle.hpp's business.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gate/model/names.hpp"

namespace gate {

/// The directory under the repository root that holds one directory per runner.
inline constexpr std::string_view k_baselines_dir = "baselines";

/// One commit, as plain values.
struct CommitInfo {
  std::string sha;      ///< 40 hex digits
  std::string subject;  ///< first paragraph of the message, on one line
  std::int64_t time = 0;  ///< committer time, seconds since the Unix epoch (UTC)
};

/// What a ref holds for one runner.
struct RefSnapshot {
  CommitInfo commit;  ///< the commit the ref resolved to
  std::string ref;    ///< the ref as given ("origin/main", "HEAD^1", a sha, ...)
  /// File name → content of every regular file directly in
  /// baselines/<runner>/ at the commit ("runner.json", "clew.json", ...).
  /// Subdirectories and symbolic links are not read.
  std::map<std::string, std::string> files;
  std::optional<std::string> policy;  ///< the policy file (gate.json) at the commit, if there is one
  bool runner_dir_exists = false;     ///< baselines/<runner>/ exists at the commit
  /// The directory names under baselines/ at the commit, sorted — for "no
  /// baselines for runner X; the ref has: a, b" messages.
  std::vector<std::string> runners;
};

/// Reads baselines/<runner_id>/ and `policy_path` from the tree of `ref`
/// through libgit2 — never from the working tree, and without walking
/// history, so it works in a shallow clone whenever the ref's commit is
/// present. `repo_dir` is any directory inside the repository. `ref` is
/// anything git rev-parse takes for a commit: a branch, a remote branch, a
/// tag, a sha, "HEAD^1". Throws gate::Error when the repository cannot be
/// opened (another user's repository: the message says how to allow it), when
/// the ref is not in the clone (the message spells out the git fetch that
/// fixes it), or when `runner_id` is not a valid runner id.
[[nodiscard]] RefSnapshot read_baselines_at(const std::filesystem::path& repo_dir, std::string_view ref,
                                            std::string_view runner_id, std::string_view policy_path = "gate.json");

/// Files under `prefixes` whose content in the working tree differs from
/// `ref`'s tree: changed, added (untracked included, ignored files not) or
/// removed; repository-relative paths with '/', sorted. A prefix ending in
/// '/' names a directory ("baselines/"), otherwise a file or directory
/// ("gate.json"). Content is compared the way git status does (clean and
/// smudge filters applied), so a checkout of `ref` reports nothing. Throws
/// gate::Error like read_baselines_at.
[[nodiscard]] std::vector<std::string> tampered_paths(const std::filesystem::path& repo_dir, std::string_view ref,
                                                      const std::vector<std::string>& prefixes = {"baselines/",
                                                                                                  "gate.json"});

/// repo_root/baselines/<runner_id>; throws gate::Error for an invalid runner id.
[[nodiscard]] std::filesystem::path baseline_dir(const std::filesystem::path& repo_root, std::string_view runner_id);

/// Writes each file of `files` (name → content) to
/// repo_root/baselines/<runner_id>/<name> with write_file_atomically,
/// creating the directories. Every name and the runner id are checked before
/// anything is written; a name that fails is_valid_baseline_file_name throws
/// gate::Error. Refuses to write through a symbolic link at baselines/ or
/// baselines/<runner_id>/. Files not in `files` are left alone. Each file is
/// whole after a crash; the set is not one transaction (git is: commit it).
void write_baseline_files(const std::filesystem::path& repo_root, std::string_view runner_id,
                          const std::map<std::string, std::string>& files);

/// Commits exactly `paths` (files or directories, relative to the working
/// tree's root or absolute inside it) as they are in the working tree, on
/// top of HEAD, with `message` — like `git commit --only <paths>`: other
/// staged changes are neither committed nor lost. The index is written only
/// once the commit is made: a commit that fails leaves it as it was. A path that no longer
/// exists is committed as a deletion. The index is updated for those paths.
/// Works on an unborn HEAD (the first commit). Author and committer come from
/// user.name/user.email of the repository's configuration, or
/// "perfgate <perfgate@localhost>". Returns the new commit, or nullopt when
/// the paths already match HEAD (nothing is committed). Throws gate::Error.
std::optional<CommitInfo> commit_paths(const std::filesystem::path& repo_dir,
                                       const std::vector<std::filesystem::path>& paths, const std::string& message);

/// An exclusive lock on a repository's baselines, held while the object
/// lives: `gate baseline update --commit` and `gate calibrate --commit` take
/// it around writing the files and committing them, so that two updates at
/// once run one after the other instead of committing over each other and
/// leaving the index out of step with HEAD. A lock file in the repository's
/// git directory (perfgate-baselines.lock) holds the owner's process id; one
/// left by a process that no longer exists is taken over.
class BaselinesLock {
 public:
  /// Waits up to `wait` for the lock; throws gate::Error naming the lock
  /// file and its holder when it stays taken, or when it cannot be created.
  explicit BaselinesLock(const std::filesystem::path& repo_dir,
                         std::chrono::milliseconds wait = std::chrono::seconds(120));
  ~BaselinesLock();
  BaselinesLock(const BaselinesLock&) = delete;
  BaselinesLock& operator=(const BaselinesLock&) = delete;

 private:
  std::filesystem::path m_path;
};

/// The working tree's root of the repository containing `dir` (no trailing
/// slash). Throws gate::Error for a bare repository or none.
[[nodiscard]] std::filesystem::path repo_root(const std::filesystem::path& dir);

/// HEAD's commit, or nullopt on an unborn branch (a repository with no commit yet).
[[nodiscard]] std::optional<CommitInfo> head_commit(const std::filesystem::path& repo_dir);

/// The commit `ref` names (same resolution and messages as read_baselines_at).
[[nodiscard]] CommitInfo resolve_commit(const std::filesystem::path& repo_dir, std::string_view ref);

/// True when the repository is a shallow clone (.git/shallow exists).
[[nodiscard]] bool is_shallow_repository(const std::filesystem::path& repo_dir);

}  // namespace gate
