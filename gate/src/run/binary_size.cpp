// gate/src/run/binary_size.cpp — ELF section sizes and the code hash with libelf
// and xxHash. libelf's error codes are translated here, where they enter.
#include "gate/run/binary_size.hpp"

#include <gelf.h>
#include <xxhash.h>

#include <algorithm>
#include <system_error>
#include <variant>

#include <fmt/core.h>

#include "gate/error.hpp"
#include "run/elf_file.hpp"

namespace gate {
namespace {

using detail::ElfFile;
using detail::libelf_error;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& cause) {
  throw Error(fmt::format("measuring binary size of '{}': {}", path.string(), cause));
}

}  // namespace

BinarySize measure_binary(const std::filesystem::path& path, const std::string& display_path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "it is a directory");
  auto opened = ElfFile::open(path, ELF_C_READ_MMAP);
  if (const auto* why = std::get_if<std::string>(&opened)) fail(path, *why);
  const ElfFile& elf = std::get<ElfFile>(opened);

  BinarySize size;
  size.path = display_path.empty() ? path.string() : display_path;
  auto file_size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, ec.message());
  size.file_size = file_size;

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
