// gate/src/store/atomic_file.cpp — temporary file, fsync, rename, fsync directory.
#include "gate/store/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "gate/error.hpp"

namespace gate {
namespace {

std::uint32_t random_suffix() {
  thread_local std::mt19937 engine{std::random_device{}() ^ static_cast<std::uint32_t>(getpid())};
  return static_cast<std::uint32_t>(engine());
}

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view step, int error) {
  throw Error(fmt::format("writing '{}': {}{}{}", path.string(), step, step.empty() ? "" : ": ",
                          std::strerror(error)));
}

// The temporary file until it has been renamed: closed and removed when the
// write fails half way, so a failure leaves nothing behind but the old file.
class Temporary {
 public:
  Temporary(std::filesystem::path path, int fd) : m_path(std::move(path)), m_fd(fd) {}
  ~Temporary() {
    if (m_fd >= 0) ::close(m_fd);
    if (!m_renamed) ::unlink(m_path.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  [[nodiscard]] int fd() const { return m_fd; }
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  /// Closes the descriptor; returns errno, or 0.
  int close() {
    int rc = ::close(m_fd);
    m_fd = -1;
    return rc == 0 ? 0 : errno;
  }
  void renamed() { m_renamed = true; }

 private:
  std::filesystem::path m_path;
  int m_fd;
  bool m_renamed = false;
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::string name = path.filename().string();
  if (name.empty() || name == "." || name == "..") {
    throw Error(fmt::format("writing '{}': not a file name", path.string()));
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  // A link where a report or a baseline goes is refused, not followed and
  // not replaced: a path someone else controls (a pull request's tree)
  // could point it at .git/hooks or at a file of the user's.
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0 && S_ISLNK(existing.st_mode)) {
    throw Error(fmt::format("writing '{}': it is a symbolic link — refusing to write through it or replace it; "
                            "remove it or write elsewhere",
                            path.string()));
  }

  // Same directory, so that the rename stays within one file system and is
  // atomic. A leading dot keeps the leftover of a crash out of globs; the
  // name is cut so that the temporary name fits where the real one fits.
  int fd = -1;
  std::filesystem::path temp;
  for (int attempt = 0; attempt < 16; ++attempt) {
    temp = dir / fmt::format(".{}.gate-tmp-{:08x}", name.substr(0, 200), random_suffix());
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) break;
  }
  if (fd < 0) fail(path, fmt::format("creating a temporary file in '{}'", dir.string()), errno);
  Temporary tmp(temp, fd);

  // Keep the mode of the file being replaced (O_CREAT applied the umask).
  struct stat old {};
  if (::lstat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
    if (::fchmod(tmp.fd(), old.st_mode & 07777) != 0) fail(path, "setting the mode", errno);
  }

  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(tmp.fd(), data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "", errno);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  // Without this fsync a crash after the rename can leave an empty file
  // under the new name on file systems that delay allocation (ext4, xfs).
  if (::fsync(tmp.fd()) != 0) fail(path, "syncing", errno);
  if (int error = tmp.close(); error != 0) fail(path, "closing", error);

  if (const char* hook = std::getenv("GATE_TEST_ABORT_BEFORE_RENAME"); hook != nullptr && std::string(hook) == "1") {
    std::abort();
  }

  if (::rename(tmp.path().c_str(), path.c_str()) != 0) fail(path, "replacing it", errno);
  tmp.renamed();

  // The rename is durable only once the directory entry is on disk. Some file
  // systems cannot fsync a directory (EINVAL); the data is then as safe as
  // that file system makes it.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) fail(path, fmt::format("opening directory '{}' to sync it", dir.string()), errno);
  int rc = ::fsync(dir_fd);
  int error = errno;
  ::close(dir_fd);
  if (rc != 0 && error != EINVAL) fail(path, fmt::format("syncing directory '{}'", dir.string()), error);
}

}  // namespace gate
