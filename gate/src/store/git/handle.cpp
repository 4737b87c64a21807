// gate/src/store/git/handle.cpp — libgit2's initialisation and error translation.
#include "store/git/handle.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "gate/error.hpp"

namespace gate::git {
namespace {

// git_libgit2_init and _shutdown are reference counted; one static object
// keeps the count at one for the life of the process.
struct Library {
  Library() {
    git_libgit2_init();
    // libgit2 re-hashes every object it reads (SHA-1 with collision
    // detection): a third of the time of reading a runner's baselines. The
    // check guards against a corrupt object store, not against an attacker —
    // whoever can write .git/objects controls the checkout anyway — and a
    // corrupt baseline still fails to parse, naming the file.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
  ~Library() { git_libgit2_shutdown(); }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

}  // namespace

void ensure_initialized() { static const Library library; }

std::string last_error_message() {
  const git_error* e = git_error_last();
  // Some failures (a full disk under a write) reach us with no libgit2
  // error set: the system's reason is then the only one there is.
  const int system_error = errno;
  std::string message = e != nullptr && e->message != nullptr ? std::string(e->message)
                         : system_error != 0                  ? std::string(std::strerror(system_error))
                                                              : "unknown error";
  // The house style ends messages without a period; libgit2's sometimes have one.
  while (!message.empty() && (message.back() == '.' || message.back() == '\n')) message.pop_back();
  return message;
}

void check(int rc, std::string_view doing) {
  if (rc < 0) throw Error(fmt::format("{}: {}", doing, last_error_message()));
  errno = 0;  // so that a later failure without a libgit2 error is not blamed on a stale one
}

std::string to_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

}  // namespace gate::git
