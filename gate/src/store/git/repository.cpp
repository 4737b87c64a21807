// gate/src/store/git/repository.cpp — opening repositories and resolving refs,
// with libgit2 1.5's failures turned into messages a person can act on.
#include "store/git/repository.hpp"

#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "gate/error.hpp"

namespace gate::git {
namespace {

// The working tree root above `dir` (the first directory holding .git), or
// `dir` itself when none is found — what safe.directory must name.
std::filesystem::path guess_worktree(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(std::filesystem::absolute(dir, ec), ec);
  if (ec) return dir;
  for (std::filesystem::path q = p; !q.empty(); q = q.parent_path()) {
    if (std::filesystem::exists(q / ".git", ec)) return q;
    if (q == q.parent_path()) break;
  }
  return p;
}

[[noreturn]] void throw_not_owned(const std::filesystem::path& dir) {
  std::filesystem::path top = guess_worktree(dir);
  struct stat st {};
  std::string owner = ::stat(top.c_str(), &st) == 0 ? fmt::format("uid {}", st.st_uid) : std::string("another user");
  // libgit2 1.5 honours an exact safe.directory path in the global config
  // ($HOME/.gitconfig), not git's '*' wildcard (checked against 1.5.1).
  throw Error(fmt::format("opening repository '{}': it is owned by another user ({}; this process runs as uid {}) "
                          "— if you trust it, allow it with: git config --global --add safe.directory {}",
                          top.string(), owner, ::geteuid(), top.string()));
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool remote_exists(git_repository* repo, const std::string& name) {
  git_remote* raw = nullptr;
  int rc = git_remote_lookup(&raw, repo, name.c_str());
  Remote remote(raw);
  return rc == 0;
}

// How to bring `ref` into this clone. --depth only when the clone is already
// shallow: on a full clone it would cut history off (git fetch --depth turns
// a full clone into a shallow one).
std::string fetch_hint(git_repository* repo, std::string_view ref) {
  std::string depth = git_repository_is_shallow(repo) == 1 ? "--depth=1 " : "";
  std::string r(ref);
  if (r.find_first_of("^~") != std::string::npos) {
    return fmt::format("this clone lacks that ancestor: check out with fetch-depth: 2 (actions/checkout), or fetch "
                       "the base branch (git fetch {}origin +refs/heads/<base>:refs/remotes/origin/<base>) and pass "
                       "origin/<base>",
                       depth);
  }
  if (r.size() >= 7 && r.size() <= 40 && is_hex(r)) {
    return fmt::format("fetch it: git fetch {}origin {} (or use fetch-depth: 2 and HEAD^1)", depth, r);
  }
  if (r.rfind("refs/tags/", 0) == 0) {
    return fmt::format("fetch it: git fetch {}origin +{}:{}", depth, r, r);
  }
  std::string remote = "origin";
  std::string branch = r;
  if (r.rfind("refs/remotes/", 0) == 0) {
    std::string rest = r.substr(13);
    auto slash = rest.find('/');
    if (slash != std::string::npos) {
      remote = rest.substr(0, slash);
      branch = rest.substr(slash + 1);
    }
  } else if (r.rfind("refs/heads/", 0) == 0) {
    branch = r.substr(11);
  } else if (auto slash = r.find('/'); slash != std::string::npos) {
    std::string first = r.substr(0, slash);
    if (first == "origin" || remote_exists(repo, first)) {
      remote = first;
      branch = r.substr(slash + 1);
    }
  }
  std::string tracking = remote + "/" + branch;
  std::string then = r == tracking || r == "refs/remotes/" + tracking ? "" : fmt::format(" and pass {}", tracking);
  return fmt::format("fetch it: git fetch {}{} +refs/heads/{}:refs/remotes/{}{} (or use fetch-depth: 2 and HEAD^1)",
                     depth, remote, branch, tracking, then);
}

}  // namespace

Repository open_repository(const std::filesystem::path& dir) {
  ensure_initialized();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw Error(fmt::format("opening repository '{}': no such directory", dir.string()));
  }
  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, dir.c_str(), 0, nullptr);
  Repository repo(raw);
  if (rc == 0) return repo;
  std::string message = last_error_message();
  // libgit2 1.5 reports another user's repository as GIT_EOWNER when
  // safe.directory has entries, and as "config value 'safe.directory' was
  // not found" (GIT_ENOTFOUND) when it has none.
  if (rc == GIT_EOWNER || message.find("safe.directory") != std::string::npos) throw_not_owned(dir);
  if (rc == GIT_ENOTFOUND) {
    throw Error(fmt::format("opening repository '{}': not a git repository (nor is any parent directory)",
                            dir.string()));
  }
  throw Error(fmt::format("opening repository '{}': {}", dir.string(), message));
}

std::string display_path(git_repository* repo) {
  const char* workdir = git_repository_workdir(repo);
  std::string p = workdir != nullptr ? workdir : git_repository_path(repo);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

Commit lookup_commit(git_repository* repo, std::string_view ref, std::string_view noun) {
  std::string spec(ref);
  if (spec.empty()) throw Error(fmt::format("{} is empty", noun));
  git_object* raw = nullptr;
  int rc = git_revparse_single(&raw, repo, spec.c_str());
  Object object(raw);
  if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
    if (git_repository_head_unborn(repo) == 1 && spec.rfind("HEAD", 0) == 0) {
      throw Error(fmt::format("{} '{}' not found in '{}': the repository has no commits yet", noun, spec,
                              display_path(repo)));
    }
    throw Error(fmt::format("{} '{}' not found in '{}' — {}", noun, spec, display_path(repo), fetch_hint(repo, spec)));
  }
  if (rc == GIT_EINVALIDSPEC) {
    throw Error(fmt::format("{} '{}' is not a valid revision: {}", noun, spec, last_error_message()));
  }
  check(rc, fmt::format("resolving {} '{}' in '{}'", noun, spec, display_path(repo)));

  git_object* peeled = nullptr;
  rc = git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT);
  Object commit_object(peeled);
  if (rc < 0) throw Error(fmt::format("{} '{}' does not name a commit", noun, spec));
  git_commit* commit = nullptr;
  check(git_commit_lookup(&commit, repo, git_object_id(commit_object.get())),
        fmt::format("reading commit of {} '{}'", noun, spec));
  return Commit(commit);
}

CommitInfo commit_info(const git_commit* commit) {
  CommitInfo info;
  info.sha = to_hex(*git_commit_id(commit));
  // git_commit_summary takes a non-const pointer because it caches the summary.
  const char* summary = git_commit_summary(const_cast<git_commit*>(commit));
  info.subject = summary != nullptr ? summary : "";
  info.time = static_cast<std::int64_t>(git_commit_time(commit));
  return info;
}

}  // namespace gate::git
