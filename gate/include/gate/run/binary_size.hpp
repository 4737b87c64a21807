// gate/include/gate/run/binary_size.hpp — the size of a binary on disk and by ELF
// section, and a hash of its code, read with libelf.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "gate/model/run_bundle.hpp"

namespace gate {

/// Measures an ELF file (executable, shared object or object file):
/// - BinarySize::path = `display_path` (the path as the policy wrote it),
///   or `path` when `display_path` is empty;
/// - file_size: bytes on disk;
/// - sections: every section of the section header table except the null
///   one, in file order, with its sh_size in bytes (for SHT_NOBITS sections
///   such as .bss that is memory, not file, size); sections that share a
///   name (possible in object files) are summed into the first one;
/// - text_hash: XXH3-64 of the .text section's bytes as 16 lowercase hex
///   digits, so equal hashes mean identical code (empty when there is no
///   .text or it has no bytes in the file).
/// Throws gate::Error "measuring binary size of '<path>': <cause>" when the
/// file is missing or unreadable, is not an ELF file, or its section headers
/// cannot be read.
[[nodiscard]] BinarySize measure_binary(const std::filesystem::path& path, const std::string& display_path = {});

/// The size of the section of that name in `size`, or 0 when there is none.
[[nodiscard]] std::uint64_t section_size(const BinarySize& size, std::string_view section);

}  // namespace gate
