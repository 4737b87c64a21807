// gate/src/store/history.cpp — walking baselines/<runner>/ through the
// first-parent history with libgit2. The walk follows parents itself instead
// of using git_revwalk: libgit2 1.5 fails on any walk that reaches a shallow
// clone's boundary, and a walk of our own can see the boundary coming from
// the clone's list of shallow commits and say how to fetch past it.
#include "gate/store/history.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "gate/error.hpp"
#include "gate/model/names.hpp"
#include "gate/model/noise.hpp"
#include "gate/store/runner.hpp"
#include "store/git/handle.hpp"
#include "store/git/repository.hpp"

namespace gate {

struct BaselineHistory::State {
  git::Repository repo;
  std::string runner;
  std::vector<HistoryCommit> commits;
  mutable HistoryCounters counters;
};

namespace {

using git::check;

bool is_file_mode(git_filemode_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }

bool ends_with_json(std::string_view name) {
  return name.size() > 5 && name.substr(name.size() - 5) == ".json";
}

// The commits a shallow clone has without their parents (the lines of
// <git dir>/shallow). Empty for a complete clone.
std::unordered_set<std::string> shallow_boundary(git_repository* repo) {
  std::unordered_set<std::string> out;
  if (git_repository_is_shallow(repo) != 1) return out;
  // The list lives in the common directory, shared by linked worktrees.
  std::filesystem::path file = std::filesystem::path(git_repository_commondir(repo)) / "shallow";
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() == GIT_OID_HEXSZ) out.insert(line);
  }
  return out;
}

std::string short_sha(const std::string& sha) { return sha.substr(0, 12); }

// The day before `time` as YYYY-MM-DD (UTC): a --shallow-since date that
// keeps `time`'s commit whatever the time zone and clock of who fetches.
std::string day_before(std::int64_t time) {
  auto t = static_cast<std::time_t>(time - 24 * 60 * 60);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

[[noreturn]] void throw_shallow(git_repository* repo, std::string_view from, std::string_view to,
                                const CommitInfo& from_commit, const std::string& boundary) {
  throw Error(fmt::format(
      "walking the history of baselines from '{}' to '{}' in '{}': this clone is shallow and its history stops at "
      "{} before reaching '{}' — fetch the history: git fetch --unshallow (or only what the range needs: git fetch "
      "--shallow-since={})",
      from, to, git::display_path(repo), short_sha(boundary), from, day_before(from_commit.time)));
}

// The id of baselines/<runner>/'s tree in `commit`, or nullopt when it is
// absent (or not a directory).
std::optional<git_oid> runner_tree_id(const git_commit* commit, const std::string& dir) {
  git_tree* raw = nullptr;
  check(git_commit_tree(&raw, commit), fmt::format("reading the tree of commit {}", git::to_hex(*git_commit_id(commit))));
  git::Tree tree(raw);
  git_tree_entry* entry_raw = nullptr;
  int rc = git_tree_entry_bypath(&entry_raw, tree.get(), dir.c_str());
  git::TreeEntry entry(entry_raw);
  if (rc == GIT_ENOTFOUND) return std::nullopt;
  check(rc, fmt::format("looking up '{}' in commit {}", dir, git::to_hex(*git_commit_id(commit))));
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) return std::nullopt;
  return *git_tree_entry_id(entry.get());
}

std::vector<HistoryFile> list_files(git_repository* repo, const std::optional<git_oid>& tree_id, const std::string& dir) {
  std::vector<HistoryFile> files;
  if (!tree_id) return files;
  git_tree* raw = nullptr;
  check(git_tree_lookup(&raw, repo, &*tree_id), fmt::format("reading tree '{}'", dir));
  git::Tree tree(raw);
  for (std::size_t i = 0, n = git_tree_entrycount(tree.get()); i < n; ++i) {
    const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
    std::string name = git_tree_entry_name(e);
    // Symbolic links are skipped: their blob is a path, not a baseline.
    if (!is_file_mode(git_tree_entry_filemode(e)) || !ends_with_json(name)) continue;
    files.push_back(HistoryFile{std::move(name), git::to_hex(*git_tree_entry_id(e))});
  }
  // Git orders tree entries by name already; sorting keeps the contract if a
  // tree was written by something less careful.
  std::sort(files.begin(), files.end(), [](const HistoryFile& a, const HistoryFile& b) { return a.name < b.name; });
  return files;
}

bool oid_equal(const std::optional<git_oid>& a, const std::optional<git_oid>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || git_oid_equal(&*a, &*b) == 1;
}

// Whether `ancestor` is on the first-parent chain of `start`, as far as the
// clone holds it: for the "are the refs swapped?" hint only.
bool on_first_parent_chain(git_repository* repo, const git_oid& start, const git_oid& ancestor,
                           const std::unordered_set<std::string>& boundary) {
  git_oid cur = start;
  for (;;) {
    if (git_oid_equal(&cur, &ancestor) == 1) return true;
    if (boundary.count(git::to_hex(cur)) != 0) return false;
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo, &cur) < 0) return false;
    git::Commit c(raw);
    if (git_commit_parentcount(c.get()) == 0) return false;
    cur = *git_commit_parent_id(c.get(), 0);
  }
}

}  // namespace

bool is_suite_baseline_file(std::string_view name) { return suite_of_baseline_file(name).has_value(); }

BaselineHistory::BaselineHistory(std::unique_ptr<State> state) : m_state(std::move(state)) {}
BaselineHistory::BaselineHistory(BaselineHistory&&) noexcept = default;
BaselineHistory& BaselineHistory::operator=(BaselineHistory&&) noexcept = default;
BaselineHistory::~BaselineHistory() = default;

const std::string& BaselineHistory::runner() const { return m_state->runner; }
const std::vector<HistoryCommit>& BaselineHistory::commits() const { return m_state->commits; }
HistoryCounters BaselineHistory::counters() const { return m_state->counters; }

std::vector<std::size_t> BaselineHistory::updates_of(std::string_view file_name) const {
  std::vector<std::size_t> out;
  const std::string* previous = nullptr;
  for (std::size_t i = 0; i < m_state->commits.size(); ++i) {
    const auto& files = m_state->commits[i].files;
    auto it = std::find_if(files.begin(), files.end(), [&](const HistoryFile& f) { return f.name == file_name; });
    const std::string* blob = it == files.end() ? nullptr : &it->blob;
    if (blob != nullptr && (previous == nullptr || *blob != *previous)) out.push_back(i);
    previous = blob;
  }
  return out;
}

BaselineHistory BaselineHistory::walk(const std::filesystem::path& repo_dir, std::string_view from, std::string_view to,
                                      std::string_view runner_id) {
  auto state = std::make_unique<State>();
  state->runner = sanitize_runner_id(runner_id);
  state->repo = git::open_repository(repo_dir);
  git_repository* repo = state->repo.get();
  const std::string dir = fmt::format("{}/{}", k_baselines_dir, state->runner);

  git::Commit from_commit = git::lookup_commit(repo, from, "ref");
  git::Commit to_commit = git::lookup_commit(repo, to, "ref");
  const CommitInfo from_info = git::commit_info(from_commit.get());
  const git_oid from_id = *git_commit_id(from_commit.get());
  const git_oid to_id = *git_commit_id(to_commit.get());
  const std::unordered_set<std::string> boundary = shallow_boundary(repo);

  // Back from `to` along first parents to `from`, keeping each commit with
  // its runner tree id; commits are looked up one at a time and released.
  struct Step {
    CommitInfo info;
    std::optional<git_oid> tree;
  };
  std::vector<Step> chain;
  git::Commit cur = std::move(to_commit);
  while (git_oid_equal(git_commit_id(cur.get()), &from_id) != 1) {
    const std::string sha = git::to_hex(*git_commit_id(cur.get()));
    if (boundary.count(sha) != 0) throw_shallow(repo, from, to, from_info, sha);
    chain.push_back(Step{git::commit_info(cur.get()), runner_tree_id(cur.get(), dir)});
    if (git_commit_parentcount(cur.get()) == 0) {
      const bool reversed = on_first_parent_chain(repo, from_id, to_id, boundary);
      throw Error(fmt::format("walking the history of baselines from '{}' to '{}' in '{}': '{}' is not on the "
                              "first-parent history of '{}'{}",
                              from, to, git::display_path(repo), from, to,
                              reversed ? fmt::format(" — it is the other way round: '{}' comes before '{}'", to, from)
                                       : std::string()));
    }
    git_commit* parent = nullptr;
    int rc = git_commit_parent(&parent, cur.get(), 0);
    if (rc == GIT_ENOTFOUND && git_repository_is_shallow(repo) == 1) throw_shallow(repo, from, to, from_info, sha);
    check(rc, fmt::format("reading the parent of commit {}", sha));
    cur = git::Commit(parent);
  }

  std::optional<git_oid> previous = runner_tree_id(from_commit.get(), dir);
  state->commits.push_back(HistoryCommit{from_info, list_files(repo, previous, dir)});
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (oid_equal(it->tree, previous)) continue;
    state->commits.push_back(HistoryCommit{std::move(it->info), list_files(repo, it->tree, dir)});
    previous = it->tree;
  }
  return BaselineHistory(std::move(state));
}

void BaselineHistory::for_each_blob(const std::function<void(const HistoryFile&, std::string_view)>& visit,
                                    const std::function<bool(const HistoryFile&)>& filter) const {
  git_repository* repo = m_state->repo.get();
  std::unordered_set<std::string> seen;
  for (const auto& c : m_state->commits) {
    for (const auto& f : c.files) {
      if (filter && !filter(f)) continue;
      if (!seen.insert(f.blob).second) continue;
      git_oid id;
      check(git_oid_fromstr(&id, f.blob.c_str()), fmt::format("reading blob {}", f.blob));
      git_blob* raw = nullptr;
      check(git_blob_lookup(&raw, repo, &id),
            fmt::format("reading '{}:{}/{}/{}'", short_sha(c.commit.sha), k_baselines_dir, m_state->runner, f.name));
      git::Blob blob(raw);
      ++m_state->counters.blobs_read;
      const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
      visit(f, std::string_view(data, static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
    }
  }
}

void BaselineHistory::for_each_suite_baseline(
    const std::function<void(const HistoryFile&, const BaselineFile&)>& visit) const {
  // The commit a blob first appears in names it in messages.
  std::unordered_map<std::string, std::string> first_commit;
  for (const auto& c : m_state->commits) {
    for (const auto& f : c.files) first_commit.try_emplace(f.blob, c.commit.sha);
  }
  for_each_blob(
      [&](const HistoryFile& f, std::string_view text) {
        std::string source =
            fmt::format("{}:{}/{}/{}", short_sha(first_commit[f.blob]), k_baselines_dir, m_state->runner, f.name);
        BaselineFile parsed = parse_baseline(text, source);
        ++m_state->counters.files_parsed;
        visit(f, parsed);
      },
      [](const HistoryFile& f) { return is_suite_baseline_file(f.name); });
}

}  // namespace gate
