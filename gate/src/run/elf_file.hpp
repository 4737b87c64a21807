// gate/src/run/elf_file.hpp — a binary opened for libelf: the descriptor and
// the ELF handle, owned together, and why it could not be opened. Private to
// run/ (binary sizes, optimisation evidence).
#pragma once

#include <fcntl.h>
#include <libelf.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace gate::detail {

/// libelf's last error as text.
inline std::string libelf_error() {
  const char* msg = elf_errmsg(-1);
  return msg != nullptr ? msg : "unknown libelf error";
}

class ElfFile {
 public:
  /// Opens `path` read-only as an ELF file with `command` (ELF_C_READ_MMAP to
  /// read, ELF_C_READ when sections are to be decompressed in place). On
  /// failure, the reason in lower case ("no such file or directory", "not an
  /// ELF file", "it is an archive, not an ELF binary", ...).
  static std::variant<ElfFile, std::string> open(const std::filesystem::path& path, Elf_Cmd command) {
    // libelf must be told which ELF version the caller understands before any
    // other call; doing it every time is cheap and needs no global state.
    if (elf_version(EV_CURRENT) == EV_NONE) return "libelf is out of date: " + libelf_error();
    ElfFile file;
    file.m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (file.m_fd < 0) {
      std::string cause = std::strerror(errno);
      if (!cause.empty()) cause[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(cause[0])));
      return cause;
    }
    file.m_elf.reset(elf_begin(file.m_fd, command, nullptr));
    if (!file.m_elf) return libelf_error();
    if (elf_kind(file.m_elf.get()) != ELF_K_ELF) {
      return elf_kind(file.m_elf.get()) == ELF_K_AR ? "it is an archive, not an ELF binary" : "not an ELF file";
    }
    return file;
  }

  ElfFile(ElfFile&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)), m_elf(std::move(other.m_elf)) {}
  ElfFile& operator=(ElfFile&&) = delete;
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;
  ~ElfFile() {
    m_elf.reset();  // before the descriptor it reads from
    if (m_fd >= 0) ::close(m_fd);
  }

  [[nodiscard]] Elf* get() const { return m_elf.get(); }

 private:
  ElfFile() = default;
  struct Ender {
    void operator()(Elf* e) const noexcept { elf_end(e); }
  };
  int m_fd = -1;
  std::unique_ptr<Elf, Ender> m_elf;
};

}  // namespace gate::detail
