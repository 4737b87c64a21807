// gate/include/gate/store/history.hpp — the history of one runner's
// baselines between two refs, read through libgit2 for release reports:
// which commits changed baselines/<runner>/, what each held, and every
// distinct file read and parsed once.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gate/store/baseline_store.hpp"
#include "gate/formats/bundle.hpp"

namespace gate {

/// One file of baselines/<runner>/ at one commit.
struct HistoryFile {
  std::string name;  ///< "clew.json", "runner.json", "noise.json"
  std::string blob;  ///< the blob's object id, 40 hex digits: equal ids, equal bytes
};

/// One point of the history: a commit and what baselines/<runner>/ held there.
struct HistoryCommit {
  CommitInfo commit;
  /// Every regular file named *.json directly in baselines/<runner>/ at
  /// the commit, sorted by name; empty when the directory does not exist
  /// there. Subdirectories and symbolic links are not listed.
  std::vector<HistoryFile> files;
};

/// How many blobs a BaselineHistory has read and parsed so far — to see
/// that nothing is read twice.
struct HistoryCounters {
  std::size_t blobs_read = 0;
  std::size_t files_parsed = 0;
};

/// The baselines of one runner from ref `from` to ref `to`. Holds the
/// repository open (no working tree is read; the checkout may be anything)
/// and only names and object ids: contents are read when asked for.
class BaselineHistory {
 public:
  /// Walks the first-parent history from `to` back to `from` — what
  /// `git log --first-parent from..to` lists, the way main moved from one
  /// release to the next; a merge counts as one change against its first
  /// parent. commits() is `from`'s commit first (the starting point, whether
  /// or not it changed anything), then each commit after it up to and
  /// including `to` whose baselines/<runner_id>/ tree differs from its
  /// first parent's, oldest first. `from` equal to `to` gives the one point.
  /// Refs are anything git rev-parse takes for a commit.
  ///
  /// Throws gate::Error when the repository cannot be opened, a ref is not
  /// in the clone (with the fetch that brings it), the runner id is invalid,
  /// `from` is not on `to`'s first-parent history (the message says so and
  /// whether the refs look swapped), and — in a shallow clone whose history
  /// stops between the two refs — before asking libgit2 for any commit past
  /// the boundary, with the command that fetches what is missing:
  /// `git fetch --unshallow`, or `git fetch --shallow-since=<date>` with a
  /// date a day before `from`'s commit. A shallow clone that holds the whole
  /// range is walked.
  [[nodiscard]] static BaselineHistory walk(const std::filesystem::path& repo_dir, std::string_view from,
                                            std::string_view to, std::string_view runner_id);

  BaselineHistory(BaselineHistory&&) noexcept;
  BaselineHistory& operator=(BaselineHistory&&) noexcept;
  ~BaselineHistory();

  [[nodiscard]] const std::string& runner() const;
  [[nodiscard]] const std::vector<HistoryCommit>& commits() const;

  /// Calls `visit(file, text)` once for every distinct blob among the files
  /// of commits() that `filter` accepts (all when it is empty), in the
  /// order they first appear (oldest commit first, then by name), reading
  /// each blob from the object store once per call; the text is valid
  /// during the call only. Throws gate::Error when a blob cannot be read;
  /// whatever `visit` throws passes through.
  void for_each_blob(const std::function<void(const HistoryFile&, std::string_view text)>& visit,
                     const std::function<bool(const HistoryFile&)>& filter = {}) const;

  /// Calls `visit(file, baseline)` once for every distinct suite baseline
  /// (every file but runner.json and noise.json) of commits(), parsed with
  /// parse_baseline, in the order of for_each_blob: a file unchanged across
  /// commits keeps its blob id and is parsed once. Keep what you need from
  /// it keyed by HistoryFile::blob, and look it up for each commit's files.
  /// A file that does not parse throws gate::Error naming it as
  /// "<short sha>:baselines/<runner>/<name>" with line and column.
  void for_each_suite_baseline(const std::function<void(const HistoryFile&, const BaselineFile&)>& visit) const;

  /// The points of `file_name`'s series: the indices into commits() where
  /// the file exists with another blob than at the commit before (the first
  /// commit that has it included), in order. A commit that re-recorded other
  /// suites is no new measurement of this one, so it is not a point. A file
  /// deleted and added back starts again where it is back.
  [[nodiscard]] std::vector<std::size_t> updates_of(std::string_view file_name) const;

  /// What was read and parsed through this object so far.
  [[nodiscard]] HistoryCounters counters() const;

 private:
  struct State;
  explicit BaselineHistory(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

/// True for a file of baselines/<runner>/ that holds a suite's baseline:
/// "<suite>.json" for a valid suite name (model/names.hpp).
[[nodiscard]] bool is_suite_baseline_file(std::string_view name);

}  // namespace gate
