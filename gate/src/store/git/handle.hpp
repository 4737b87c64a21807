// gate/src/store/git/handle.hpp — owning handles for libgit2 objects, the one place
// libgit2's return codes become gate::Error, and its global initialisation.
// Private: public headers never mention libgit2.
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

namespace gate::git {

/// Frees a libgit2 object with its own free function.
template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using Repository = std::unique_ptr<git_repository, Deleter<git_repository_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree_free>>;
using TreeEntry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob_free>>;
using Index = std::unique_ptr<git_index, Deleter<git_index_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<git_diff_free>>;
using Signature = std::unique_ptr<git_signature, Deleter<git_signature_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference_free>>;
using Remote = std::unique_ptr<git_remote, Deleter<git_remote_free>>;

/// Initialises libgit2 once per process (git_libgit2_init) and shuts it down
/// at exit. Every function that opens a repository calls this first.
void ensure_initialized();

/// libgit2's message for the last failure on this thread, or "unknown error".
[[nodiscard]] std::string last_error_message();

/// rc < 0 → throws gate::Error "<doing>: <libgit2's message>".
void check(int rc, std::string_view doing);

/// The 40 hex digits of an object id.
[[nodiscard]] std::string to_hex(const git_oid& oid);

}  // namespace gate::git
