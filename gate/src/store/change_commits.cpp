// gate/src/store/change_commits.cpp — a change's commits and their trailers.
// The walk is ours, not libgit2's revwalk: libgit2 1.5 refuses to walk a
// shallow clone past its boundary, and CI clones are shallow. Here a missing
// parent only ends one line of the walk.
#include "gate/store/change_commits.hpp"

#include <fmt/core.h>

#include <deque>
#include <set>

#include "gate/error.hpp"
#include "store/git/handle.hpp"
#include "store/git/repository.hpp"

namespace gate {
namespace {

using Oid = std::string;  // 40 hex digits: ordered and printable

// The commit `id`, or null when the clone does not hold it.
git::Commit find_commit(git_repository* repo, const git_oid& id) {
  git_commit* raw = nullptr;
  const int rc = git_commit_lookup(&raw, repo, &id);
  if (rc == GIT_ENOTFOUND) return nullptr;
  git::check(rc, fmt::format("reading commit {}", git::to_hex(id)));
  return git::Commit(raw);
}

std::vector<std::pair<std::string, std::string>> trailers_of(const char* message) {
  std::vector<std::pair<std::string, std::string>> out;
  if (message == nullptr) return out;
  git_message_trailer_array trailers{};
  if (git_message_trailers(&trailers, message) < 0) return out;
  for (std::size_t i = 0; i < trailers.count; ++i) out.emplace_back(trailers.trailers[i].key, trailers.trailers[i].value);
  git_message_trailer_array_free(&trailers);
  return out;
}

}  // namespace

ChangeCommits change_commits(const std::filesystem::path& repo_dir, std::string_view head, std::string_view base,
                             std::size_t limit) {
  git::Repository repo = git::open_repository(repo_dir);
  git::Commit head_commit = git::lookup_commit(repo.get(), head, "change head");
  git::Commit base_commit = git::lookup_commit(repo.get(), base, "base ref");

  // The base's ancestors, as far as the clone holds them. A clone deep enough
  // to hold the merge base is what makes the head's walk stop in time; the
  // bound keeps a deep history from costing more than the change's own.
  std::set<Oid> on_base;
  std::deque<const git_oid*> queue;
  std::vector<git::Commit> keep;
  const std::size_t base_limit = 20 * limit + 1000;
  auto visit_base = [&](git::Commit c) {
    on_base.insert(git::to_hex(*git_commit_id(c.get())));
    keep.push_back(std::move(c));
  };
  visit_base(git::Commit(base_commit.release()));
  for (std::size_t i = 0; i < keep.size() && on_base.size() < base_limit; ++i) {
    const git_commit* c = keep[i].get();
    for (unsigned p = 0; p < git_commit_parentcount(c); ++p) {
      const git_oid* id = git_commit_parent_id(c, p);
      if (on_base.contains(git::to_hex(*id))) continue;
      if (git::Commit parent = find_commit(repo.get(), *id)) visit_base(std::move(parent));
    }
  }
  keep.clear();

  ChangeCommits out;
  std::set<Oid> seen;
  std::deque<git::Commit> todo;
  todo.push_back(std::move(head_commit));
  while (!todo.empty()) {
    git::Commit c = std::move(todo.front());
    todo.pop_front();
    const Oid id = git::to_hex(*git_commit_id(c.get()));
    if (on_base.contains(id) || !seen.insert(id).second) continue;
    if (out.commits.size() == limit) {
      out.cut_by_limit = true;
      break;
    }
    ChangeCommit cc;
    cc.commit = git::commit_info(c.get());
    cc.trailers = trailers_of(git_commit_message(c.get()));
    out.commits.push_back(std::move(cc));
    for (unsigned p = 0; p < git_commit_parentcount(c.get()); ++p) {
      const git_oid* pid = git_commit_parent_id(c.get(), p);
      const Oid parent_id = git::to_hex(*pid);
      if (on_base.contains(parent_id) || seen.contains(parent_id)) continue;
      git::Commit parent = find_commit(repo.get(), *pid);
      if (!parent) {
        out.cut_by_shallow_clone = true;
        continue;
      }
      todo.push_back(std::move(parent));
    }
  }
  return out;
}

}  // namespace gate
