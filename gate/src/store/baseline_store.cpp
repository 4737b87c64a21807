// gate/src/store/baseline_store.cpp — baselines in git through libgit2: reading a
// ref's tree, diffing it against the working tree, writing and committing.
// Only ref → commit → tree → blob look-ups and tree diffs: libgit2 1.5 cannot
// walk history in a shallow clone, and CI checkouts are shallow.
#include "gate/store/baseline_store.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "gate/store/atomic_file.hpp"
#include "gate/error.hpp"
#include "gate/store/runner.hpp"
#include "store/git/handle.hpp"
#include "store/git/repository.hpp"

namespace gate {
namespace {

using git::check;

git::Tree commit_tree(const git_commit* commit) {
  git_tree* tree = nullptr;
  check(git_commit_tree(&tree, commit), fmt::format("reading the tree of commit {}", git::to_hex(*git_commit_id(commit))));
  return git::Tree(tree);
}

// The entry at `path` in `tree`, or null when there is none.
git::TreeEntry entry_at(const git_tree* tree, const std::string& path) {
  git_tree_entry* entry = nullptr;
  int rc = git_tree_entry_bypath(&entry, tree, path.c_str());
  if (rc == GIT_ENOTFOUND) return nullptr;
  check(rc, fmt::format("looking up '{}'", path));
  return git::TreeEntry(entry);
}

git::Tree subtree(git_repository* repo, const git_tree_entry* entry) {
  git_tree* tree = nullptr;
  check(git_tree_lookup(&tree, repo, git_tree_entry_id(entry)), fmt::format("reading tree '{}'", git_tree_entry_name(entry)));
  return git::Tree(tree);
}

std::string blob_content(git_repository* repo, const git_oid& id, std::string_view what) {
  git_blob* raw = nullptr;
  check(git_blob_lookup(&raw, repo, &id), fmt::format("reading '{}'", what));
  git::Blob blob(raw);
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

bool is_file_mode(git_filemode_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }

// A repository-relative path from the caller, checked: relative, no "..",
// not inside .git. Empty result means "the root".
std::string checked_tree_path(std::string_view path, std::string_view what) {
  std::filesystem::path p = std::filesystem::path(path).lexically_normal();
  std::string s = p.generic_string();
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (p.is_absolute() || s == ".." || s.rfind("../", 0) == 0 || s == ".git" || s.rfind(".git/", 0) == 0) {
    throw Error(fmt::format("{} '{}' is not a path inside the repository", what, path));
  }
  return s == "." ? std::string() : s;
}

bool under_prefix(const std::string& path, const std::string& prefix) {
  if (prefix.empty()) return true;
  if (prefix.back() == '/') return path.rfind(prefix, 0) == 0;
  return path == prefix || path.rfind(prefix + "/", 0) == 0;
}

git::Repository open_worktree(const std::filesystem::path& dir) {
  git::Repository repo = git::open_repository(dir);
  if (git_repository_is_bare(repo.get()) == 1) {
    throw Error(fmt::format("opening repository '{}': it is bare, a working tree is needed",
                            git::display_path(repo.get())));
  }
  return repo;
}

// Files under `dir` (relative to the work tree) that git would see: regular
// files and symbolic links, not .git, not ignored.
void list_worktree_files(git_repository* repo, const std::filesystem::path& workdir, const std::string& dir,
                         std::vector<std::string>& out) {
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(workdir / dir, ec);
  if (ec) throw Error(fmt::format("listing '{}': {}", (workdir / dir).string(), ec.message()));
  for (; it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw Error(fmt::format("listing '{}': {}", (workdir / dir).string(), ec.message()));
    const auto& entry = *it;
    std::string rel = entry.path().lexically_relative(workdir).generic_string();
    if (entry.path().filename() == ".git") {
      if (entry.is_directory()) it.disable_recursion_pending();
      continue;
    }
    int ignored = 0;
    check(git_ignore_path_is_ignored(&ignored, repo, rel.c_str()), fmt::format("checking whether '{}' is ignored", rel));
    if (ignored == 1) {
      if (entry.is_directory() && !entry.is_symlink()) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_symlink() || entry.is_regular_file()) out.push_back(rel);
  }
}

// Every blob path under `tree` (prefixed with `base`).
void list_tree_files(git_repository* repo, const git_tree* tree, const std::string& base,
                     std::vector<std::string>& out) {
  std::size_t n = git_tree_entrycount(tree);
  for (std::size_t i = 0; i < n; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    std::string path = base + "/" + git_tree_entry_name(entry);
    if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
      list_tree_files(repo, subtree(repo, entry).get(), path, out);
    } else {
      out.push_back(path);
    }
  }
}

}  // namespace

RefSnapshot read_baselines_at(const std::filesystem::path& repo_dir, std::string_view ref, std::string_view runner_id,
                              std::string_view policy_path) {
  std::string runner = sanitize_runner_id(runner_id);
  std::string policy = policy_path.empty() ? std::string() : checked_tree_path(policy_path, "policy path");
  git::Repository repo = git::open_repository(repo_dir);
  git::Commit commit = git::lookup_commit(repo.get(), ref, "base ref");
  git::Tree tree = commit_tree(commit.get());

  RefSnapshot snap;
  snap.ref = std::string(ref);
  snap.commit = git::commit_info(commit.get());
  auto where = [&](const std::string& path) { return fmt::format("{}:{}", ref, path); };

  if (auto all = entry_at(tree.get(), std::string(k_baselines_dir));
      all && git_tree_entry_type(all.get()) == GIT_OBJECT_TREE) {
    git::Tree dirs = subtree(repo.get(), all.get());
    for (std::size_t i = 0, n = git_tree_entrycount(dirs.get()); i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(dirs.get(), i);
      if (git_tree_entry_type(e) == GIT_OBJECT_TREE) snap.runners.emplace_back(git_tree_entry_name(e));
    }
    std::sort(snap.runners.begin(), snap.runners.end());
  }

  std::string dir = fmt::format("{}/{}", k_baselines_dir, runner);
  if (auto entry = entry_at(tree.get(), dir)) {
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
      throw Error(fmt::format("reading baselines '{}': not a directory", where(dir)));
    }
    snap.runner_dir_exists = true;
    git::Tree files = subtree(repo.get(), entry.get());
    for (std::size_t i = 0, n = git_tree_entrycount(files.get()); i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(files.get(), i);
      // Symbolic links are skipped: their blob is a path, not a baseline.
      if (!is_file_mode(git_tree_entry_filemode(e))) continue;
      std::string name = git_tree_entry_name(e);
      snap.files.emplace(name, blob_content(repo.get(), *git_tree_entry_id(e), where(dir + "/" + name)));
    }
  }

  if (!policy.empty()) {
    if (auto entry = entry_at(tree.get(), policy)) {
      if (!is_file_mode(git_tree_entry_filemode(entry.get()))) {
        throw Error(fmt::format("reading policy '{}': not a regular file", where(policy)));
      }
      snap.policy = blob_content(repo.get(), *git_tree_entry_id(entry.get()), where(policy));
    }
  }
  return snap;
}

std::vector<std::string> tampered_paths(const std::filesystem::path& repo_dir, std::string_view ref,
                                        const std::vector<std::string>& prefixes) {
  git::Repository repo = open_worktree(repo_dir);
  git::Commit commit = git::lookup_commit(repo.get(), ref, "base ref");
  git::Tree tree = commit_tree(commit.get());

  std::vector<std::string> checked;
  for (const auto& prefix : prefixes) {
    std::string p = checked_tree_path(prefix, "path prefix");
    if (!p.empty() && !prefix.empty() && prefix.back() == '/') p += '/';
    checked.push_back(p);
  }
  if (checked.empty()) return {};

  // Tree to working directory, ignoring the index: what the PR's checkout
  // holds against what the ref holds. Ignored files are included so that a
  // .gitignore cannot hide a change; literal paths, no globbing.
  git_diff_options options;
  check(git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION), "initialising diff options");
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_INCLUDE_IGNORED |
                  GIT_DIFF_RECURSE_IGNORED_DIRS | GIT_DIFF_INCLUDE_TYPECHANGE | GIT_DIFF_DISABLE_PATHSPEC_MATCH;
  std::vector<char*> specs;
  bool everything = std::any_of(checked.begin(), checked.end(), [](const std::string& p) { return p.empty(); });
  if (!everything) {
    for (auto& p : checked) specs.push_back(p.data());
    options.pathspec.strings = specs.data();
    options.pathspec.count = specs.size();
  }
  git_diff* raw = nullptr;
  check(git_diff_tree_to_workdir(&raw, repo.get(), tree.get(), &options),
        fmt::format("comparing the working tree with '{}'", ref));
  git::Diff diff(raw);

  std::vector<std::string> out;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    if (delta->status == GIT_DELTA_UNMODIFIED) continue;
    for (const char* path : {delta->old_file.path, delta->new_file.path}) {
      if (path == nullptr) continue;
      std::string s = path;
      // The pathspec already filters; this keeps the contract if libgit2's
      // literal matching ever differs from a plain prefix.
      if (std::any_of(checked.begin(), checked.end(), [&](const std::string& p) { return under_prefix(s, p); })) {
        out.push_back(s);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::filesystem::path baseline_dir(const std::filesystem::path& repo_root, std::string_view runner_id) {
  return repo_root / k_baselines_dir / sanitize_runner_id(runner_id);
}

void write_baseline_files(const std::filesystem::path& repo_root, std::string_view runner_id,
                          const std::map<std::string, std::string>& files) {
  std::filesystem::path dir = baseline_dir(repo_root, runner_id);
  for (const auto& [name, content] : files) {
    if (!is_valid_baseline_file_name(name)) {
      throw Error(fmt::format("writing baseline '{}': the file name is not allowed (use [a-z0-9][a-z0-9._-]*.json, "
                              "at most 128 characters)",
                              (dir / name).string()));
    }
  }
  // A symbolic link committed at baselines/ or baselines/<runner>/ would send
  // the write somewhere else on the machine of whoever runs the update.
  for (const auto& d : {dir.parent_path(), dir}) {
    std::error_code ec;
    auto status = std::filesystem::symlink_status(d, ec);
    if (status.type() == std::filesystem::file_type::symlink) {
      throw Error(fmt::format("writing baselines to '{}': it is a symbolic link — refusing to write through it",
                              d.string()));
    }
    if (status.type() != std::filesystem::file_type::not_found &&
        status.type() != std::filesystem::file_type::directory && !ec) {
      throw Error(fmt::format("writing baselines to '{}': it exists and is not a directory", d.string()));
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("creating directory '{}': {}", dir.string(), ec.message()));
  for (const auto& [name, content] : files) write_file_atomically(dir / name, content);
}

std::optional<CommitInfo> commit_paths(const std::filesystem::path& repo_dir,
                                       const std::vector<std::filesystem::path>& paths, const std::string& message) {
  if (message.empty()) throw Error("committing baselines: the commit message is empty");
  git::Repository repo = open_worktree(repo_dir);
  std::filesystem::path workdir = git::display_path(repo.get());

  git_reference* head_raw = nullptr;
  int rc = git_repository_head(&head_raw, repo.get());
  git::Reference head(head_raw);
  git::Commit parent;
  if (rc != GIT_EUNBORNBRANCH && rc != GIT_ENOTFOUND) {
    check(rc, fmt::format("reading HEAD of '{}'", workdir.string()));
    git_object* peeled = nullptr;
    check(git_reference_peel(&peeled, head.get(), GIT_OBJECT_COMMIT), "reading HEAD's commit");
    git::Object object(peeled);
    git_commit* c = nullptr;
    check(git_commit_lookup(&c, repo.get(), git_object_id(object.get())), "reading HEAD's commit");
    parent.reset(c);
  }
  git::Tree base;
  if (parent) {
    base = commit_tree(parent.get());
  } else {
    // The first commit: start from the empty tree.
    git_treebuilder* builder = nullptr;
    check(git_treebuilder_new(&builder, repo.get(), nullptr), "creating an empty tree");
    std::unique_ptr<git_treebuilder, git::Deleter<git_treebuilder_free>> owned(builder);
    git_oid empty{};
    check(git_treebuilder_write(&empty, builder), "creating an empty tree");
    git_tree* t = nullptr;
    check(git_tree_lookup(&t, repo.get(), &empty), "reading the empty tree");
    base.reset(t);
  }

  // Every path becomes file-level upserts and removals, so that no update
  // touches a directory entry and a file inside it at once.
  std::vector<std::string> present;
  std::vector<std::string> gone;
  for (const auto& given : paths) {
    std::filesystem::path absolute = (given.is_absolute() ? given : workdir / given).lexically_normal();
    // libgit2 reports the working tree with symbolic links resolved; resolve
    // the directories of the given path the same way, but not its last
    // component, which may itself be a link to commit.
    if (given.is_absolute() && absolute.has_parent_path()) {
      std::error_code ec;
      auto resolved = std::filesystem::weakly_canonical(absolute.parent_path(), ec);
      if (!ec) absolute = resolved / absolute.filename();
    }
    std::filesystem::path relative = absolute.lexically_relative(workdir);
    std::string rel = relative.generic_string();
    while (!rel.empty() && rel.back() == '/') rel.pop_back();
    if (relative.empty() || rel == "." || rel == ".." || rel.rfind("../", 0) == 0 || rel == ".git" ||
        rel.rfind(".git/", 0) == 0) {
      throw Error(fmt::format("committing '{}': not a path inside the working tree '{}'", given.string(),
                              workdir.string()));
    }
    std::error_code ec;
    auto status = std::filesystem::symlink_status(workdir / rel, ec);
    if (status.type() == std::filesystem::file_type::directory) {
      list_worktree_files(repo.get(), workdir, rel, present);
    } else if (status.type() == std::filesystem::file_type::regular ||
               status.type() == std::filesystem::file_type::symlink) {
      present.push_back(rel);
    } else if (status.type() != std::filesystem::file_type::not_found) {
      throw Error(fmt::format("committing '{}': not a regular file, link or directory", (workdir / rel).string()));
    }
    // What the tree has there and the working tree no longer has is removed.
    if (auto entry = entry_at(base.get(), rel)) {
      std::vector<std::string> in_tree;
      if (git_tree_entry_type(entry.get()) == GIT_OBJECT_TREE) {
        list_tree_files(repo.get(), subtree(repo.get(), entry.get()).get(), rel, in_tree);
      } else {
        in_tree.push_back(rel);
      }
      for (auto& p : in_tree) {
        if (!std::filesystem::exists(std::filesystem::symlink_status(workdir / p, ec))) gone.push_back(std::move(p));
      }
    }
  }
  std::sort(present.begin(), present.end());
  present.erase(std::unique(present.begin(), present.end()), present.end());
  std::sort(gone.begin(), gone.end());
  gone.erase(std::unique(gone.begin(), gone.end()), gone.end());

  std::vector<git_tree_update> updates;
  for (const auto& rel : present) {
    git_tree_update u{};
    u.action = GIT_TREE_UPDATE_UPSERT;
    // Applies the repository's filters (core.autocrlf, .gitattributes) as git add does.
    check(git_blob_create_from_workdir(&u.id, repo.get(), rel.c_str()), fmt::format("adding '{}'", rel));
    std::error_code ec;
    auto status = std::filesystem::symlink_status(workdir / rel, ec);
    auto perms = status.permissions();
    u.filemode = status.type() == std::filesystem::file_type::symlink ? GIT_FILEMODE_LINK
                 : (perms & std::filesystem::perms::owner_exec) != std::filesystem::perms::none
                     ? GIT_FILEMODE_BLOB_EXECUTABLE
                     : GIT_FILEMODE_BLOB;
    u.path = rel.c_str();
    updates.push_back(u);
  }
  for (const auto& rel : gone) {
    git_tree_update u{};
    u.action = GIT_TREE_UPDATE_REMOVE;
    u.path = rel.c_str();
    updates.push_back(u);
  }

  git_oid tree_id{};
  check(git_tree_create_updated(&tree_id, repo.get(), base.get(), updates.size(), updates.data()),
        "building the tree to commit");
  if (parent && git_oid_equal(&tree_id, git_tree_id(base.get())) == 1) return std::nullopt;
  git_tree* tree_raw = nullptr;
  check(git_tree_lookup(&tree_raw, repo.get(), &tree_id), "reading the tree to commit");
  git::Tree tree(tree_raw);

  git_signature* sig_raw = nullptr;
  if (git_signature_default(&sig_raw, repo.get()) < 0) {
    check(git_signature_now(&sig_raw, "perfgate", "perfgate@localhost"), "making a commit signature");
  }
  git::Signature signature(sig_raw);
  std::string text = message.back() == '\n' ? message : message + "\n";
  const git_commit* parents[1] = {parent.get()};
  git_oid commit_id{};
  // Updating "HEAD" makes libgit2 check that HEAD still points at `parent`,
  // so a commit that raced with ours is not overwritten.
  check(git_commit_create(&commit_id, repo.get(), "HEAD", signature.get(), signature.get(), nullptr, text.c_str(),
                          tree.get(), parent ? 1 : 0, parents),
        fmt::format("committing in '{}'", workdir.string()));

  // Then the index, so that git status shows these paths clean; other
  // staged changes stay staged. After the commit, not before: a commit that
  // failed must not leave the index ahead of HEAD.
  git_index* index_raw = nullptr;
  check(git_repository_index(&index_raw, repo.get()), "opening the index");
  git::Index index(index_raw);
  for (const auto& rel : present) check(git_index_add_bypath(index.get(), rel.c_str()), fmt::format("staging '{}'", rel));
  for (const auto& rel : gone) {
    check(git_index_remove_bypath(index.get(), rel.c_str()), fmt::format("staging the removal of '{}'", rel));
  }
  check(git_index_write(index.get()), "writing the index");

  git_commit* made = nullptr;
  check(git_commit_lookup(&made, repo.get(), &commit_id), "reading the new commit");
  git::Commit new_commit(made);
  return git::commit_info(new_commit.get());
}

BaselinesLock::BaselinesLock(const std::filesystem::path& repo_dir, std::chrono::milliseconds wait) {
  git::Repository repo = open_worktree(repo_dir);
  m_path = std::filesystem::path(git_repository_path(repo.get())) / "perfgate-baselines.lock";
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      const ssize_t written = ::write(fd, pid.data(), pid.size());
      ::close(fd);
      if (written != static_cast<ssize_t>(pid.size())) {
        ::unlink(m_path.c_str());
        throw Error(fmt::format("locking the baselines: writing '{}': {}", m_path.string(), std::strerror(errno)));
      }
      return;
    }
    if (errno != EEXIST) {
      throw Error(fmt::format("locking the baselines: creating '{}': {}", m_path.string(), std::strerror(errno)));
    }
    // Taken. A holder that no longer runs left it behind (killed): take it over.
    std::ifstream in(m_path);
    long holder = 0;
    in >> holder;
    if (holder > 0 && ::kill(static_cast<pid_t>(holder), 0) != 0 && errno == ESRCH) {
      ::unlink(m_path.c_str());
      continue;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw Error(fmt::format("locking the baselines: '{}' is held by process {} — another baseline update is "
                              "running; wait for it, or remove the file if no such process exists",
                              m_path.string(), holder));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

BaselinesLock::~BaselinesLock() { ::unlink(m_path.c_str()); }

std::filesystem::path repo_root(const std::filesystem::path& dir) {
  git::Repository repo = open_worktree(dir);
  return git::display_path(repo.get());
}

std::optional<CommitInfo> head_commit(const std::filesystem::path& repo_dir) {
  git::Repository repo = git::open_repository(repo_dir);
  if (git_repository_head_unborn(repo.get()) == 1) return std::nullopt;
  git::Commit commit = git::lookup_commit(repo.get(), "HEAD", "ref");
  return git::commit_info(commit.get());
}

CommitInfo resolve_commit(const std::filesystem::path& repo_dir, std::string_view ref) {
  git::Repository repo = git::open_repository(repo_dir);
  git::Commit commit = git::lookup_commit(repo.get(), ref, "ref");
  return git::commit_info(commit.get());
}

bool is_shallow_repository(const std::filesystem::path& repo_dir) {
  git::Repository repo = git::open_repository(repo_dir);
  return git_repository_is_shallow(repo.get()) == 1;
}

}  // namespace gate
