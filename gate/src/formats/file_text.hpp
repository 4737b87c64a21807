// gate/src/formats/file_text.hpp — a file read whole into memory of its own,
// the one way the readers of formats/ take a file from disk.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "gate/error.hpp"

namespace gate::detail {

/// A file's bytes in memory of its own. A results file runs to tens of
/// megabytes, and in 4 KiB pages its buffer cost more than its parse on a VM:
/// 100 ms for 29 MB, populated or faulted page by page, against 13 ms in
/// 2 MiB pages (bench_gate BM_Ingest). So the buffer is mapped anonymous,
/// asked for huge pages and populated in one call; where the kernel has no
/// huge pages or no MADV_POPULATE_WRITE (before Linux 5.14) the read faults
/// the pages in, as before. The file itself is read, never mapped, so that a
/// file truncated while it is read gives an error, not SIGBUS.
class FileText {
 public:
  /// `what` starts every error: "reading results" → "reading results 'x.json': no such file".
  FileText(const std::filesystem::path& path, std::string_view what) {
    const std::string shown = std::string(what) + " '" + path.string() + "'";
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw Error(shown + ": no such file");
    if (std::filesystem::is_directory(status)) throw Error(shown + ": is a directory, expected a file");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(shown + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
      // Not a regular file (a pipe, a device) or empty: read as it comes.
      read_stream(fd, shown);
      ::close(fd);
      return;
    }
    m_size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      throw Error(shown + ": " + std::strerror(errno));
    }
    m_map = static_cast<char*>(p);
    // Both are hints: failing, they leave ordinary pages that read() faults in.
#ifdef MADV_HUGEPAGE
    (void)::madvise(m_map, m_size, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
    (void)::madvise(m_map, m_size, MADV_POPULATE_WRITE);
#endif
    std::size_t got = 0;
    while (got < m_size) {
      const ssize_t n = ::read(fd, m_map + got, m_size - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int err = errno;
        ::close(fd);
        ::munmap(m_map, m_size);
        m_map = nullptr;
        throw Error(shown + ": " + (n < 0 ? std::strerror(err) : "the file got shorter while it was read"));
      }
      got += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText() {
    if (m_map != nullptr) ::munmap(m_map, m_size);
  }
  [[nodiscard]] std::string_view text() const {
    return m_map != nullptr ? std::string_view(m_map, m_size) : std::string_view(m_stream);
  }

 private:
  void read_stream(int fd, const std::string& shown) {
    char buf[65536];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        throw Error(shown + ": " + std::strerror(err));
      }
      if (n == 0) return;
      m_stream.append(buf, static_cast<std::size_t>(n));
    }
  }

  char* m_map = nullptr;
  std::size_t m_size = 0;
  std::string m_stream;
};

}  // namespace gate::detail
