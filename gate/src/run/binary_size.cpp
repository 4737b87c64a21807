// gate/src/run/binary_size.cpp — ELF section sizes and the code hash with libelf
// and xxHash. libelf's error codes are translated here, where they enter.
#include "gate/run/binary_size.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include <fmt/core.h>

#include "gate/error.hpp"

namespace gate {
namespace {

struct ElfDeleter {
  void operator()(Elf* e) const noexcept { elf_end(e); }
};
using ElfHandle = std::unique_ptr<Elf, ElfDeleter>;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  ~FileDescriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  [[nodiscard]] int get() const { return m_fd; }

 private:
  int m_fd;
};

std::string libelf_error() {
  const char* msg = elf_errmsg(-1);
  return msg != nullptr ? msg : "unknown libelf error";
}

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& cause) {
  throw Error(fmt::format("measuring binary size of '{}': {}", path.string(), cause));
}

}  // namespace

BinarySize measure_binary(const std::filesystem::path& path, const std::string& display_path) {
  // libelf must be told which ELF version the caller understands before any
  // other call; doing it every time is cheap and needs no global state.
  if (elf_version(EV_CURRENT) == EV_NONE) fail(path, "libelf is out of date: " + libelf_error());

  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "it is a directory");
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    std::string cause = std::strerror(errno);
    if (!cause.empty()) cause[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(cause[0])));
    fail(path, cause);
  }

  BinarySize size;
  size.path = display_path.empty() ? path.string() : display_path;
  auto file_size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, ec.message());
  size.file_size = file_size;

  ElfHandle elf(elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr));
  if (!elf) fail(path, libelf_error());
  if (elf_kind(elf.get()) != ELF_K_ELF) {
    fail(path, elf_kind(elf.get()) == ELF_K_AR ? "it is an archive, not an ELF binary" : "not an ELF file");
  }

  std::size_t names_index = 0;
  if (elf_getshdrstrndx(elf.get(), &names_index) != 0) fail(path, "no section name table: " + libelf_error());

  Elf_Scn* section = nullptr;
  while ((section = elf_nextscn(elf.get(), section)) != nullptr) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr) fail(path, "bad section header: " + libelf_error());
    const char* raw_name = elf_strptr(elf.get(), names_index, header.sh_name);
    if (raw_name == nullptr) fail(path, "bad section name: " + libelf_error());
    std::string name = raw_name;

    auto existing = std::find_if(size.sections.begin(), size.sections.end(),
                                 [&](const SectionSize& s) { return s.name == name; });
    if (existing != size.sections.end()) {
      existing->size += header.sh_size;
    } else {
      size.sections.push_back({name, header.sh_size});
    }

    if (name == ".text" && header.sh_type != SHT_NOBITS && size.text_hash.empty()) {
      // The raw bytes as they are in the file: what the code is, whatever
      // the host's byte order.
      XXH3_state_t* state = XXH3_createState();
      if (state == nullptr) fail(path, "out of memory");
      XXH3_64bits_reset(state);
      bool any = false;
      Elf_Data* data = nullptr;
      while ((data = elf_rawdata(section, data)) != nullptr) {
        if (data->d_buf != nullptr && data->d_size > 0) {
          XXH3_64bits_update(state, data->d_buf, data->d_size);
          any = true;
        }
      }
      XXH64_hash_t hash = XXH3_64bits_digest(state);
      XXH3_freeState(state);
      if (any) size.text_hash = fmt::format("{:016x}", hash);
    }
  }
  return size;
}

std::uint64_t section_size(const BinarySize& size, std::string_view section) {
  for (const auto& s : size.sections) {
    if (s.name == section) return s.size;
  }
  return 0;
}

}  // namespace gate
