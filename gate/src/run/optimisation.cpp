// gate/src/run/optimisation.cpp — reading a binary's optimisation from its
// debug information and symbol table with libelf.
#include "gate/run/optimisation.hpp"

#include <gelf.h>

#include <array>
#include <optional>
#include <variant>
#include <vector>

#include <fmt/core.h>

#include "run/elf_file.hpp"

namespace gate {
namespace {

using detail::ElfFile;

constexpr std::size_t k_max_shown = 160;  // characters of a producer string in the evidence

std::string shorten(std::string_view s) {
  if (s.size() <= k_max_shown) return std::string(s);
  return std::string(s.substr(0, k_max_shown)) + "...";
}

// The optimisation level a GCC producer string names: its last -O switch, as
// GCC takes it; "" when there is none.
std::string last_o_switch(std::string_view producer) {
  std::string level;
  std::size_t pos = 0;
  while ((pos = producer.find(" -O", pos)) != std::string_view::npos) {
    std::size_t end = producer.find(' ', pos + 1);
    level = std::string(producer.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1));
    pos += 3;
  }
  return level;
}

// Section data, decompressed when the section is compressed; empty when it
// cannot be read.
std::string_view section_bytes(Elf_Scn* scn, const GElf_Shdr& header) {
  if ((header.sh_flags & SHF_COMPRESSED) != 0 && elf_compress(scn, 0, 0) < 0) return {};
  Elf_Data* data = elf_getdata(scn, nullptr);
  if (data == nullptr || data->d_buf == nullptr) return {};
  return {static_cast<const char*>(data->d_buf), data->d_size};
}

// Functions an optimised build always inlines: found out of line, the code
// around them was compiled without optimisation. Mangled name prefixes.
struct Telltale {
  std::string_view prefix;
  std::string_view shown;
};
constexpr std::array<Telltale, 3> k_telltales{{
    {"_ZN9benchmark8internal17FunctionBenchmarkC", "Google Benchmark's inline FunctionBenchmark constructor"},
    {"_ZSt4moveI", "std::move"},
    {"_ZSt7forwardI", "std::forward"},
}};

}  // namespace

std::string_view to_string(Optimisation level) {
  switch (level) {
    case Optimisation::optimised: return "optimised";
    case Optimisation::unoptimised: return "unoptimised";
    case Optimisation::unknown: break;
  }
  return "unknown";
}

OptimisationEvidence read_optimisation(const std::filesystem::path& binary) {
  OptimisationEvidence out;
  // ELF_C_READ (not MMAP): decompressing a section writes into its buffer.
  auto opened = ElfFile::open(binary, ELF_C_READ);
  std::size_t shstrndx = 0;
  if (const auto* why = std::get_if<std::string>(&opened)) {
    out.evidence = "the binary could not be read: " + *why;
    return out;
  }
  const ElfFile& elf = std::get<ElfFile>(opened);
  if (elf_getshdrstrndx(elf.get(), &shstrndx) != 0) {
    out.evidence = "not an ELF file the gate can read";
    return out;
  }

  std::optional<std::string> unoptimised_producer;
  std::optional<std::string> optimised_level;
  std::optional<std::string_view> telltale;
  bool have_symbols = false;
  for (Elf_Scn* scn = elf_nextscn(elf.get(), nullptr); scn != nullptr; scn = elf_nextscn(elf.get(), scn)) {
    GElf_Shdr header{};
    if (gelf_getshdr(scn, &header) == nullptr) continue;
    const char* name = elf_strptr(elf.get(), shstrndx, header.sh_name);
    if (name == nullptr) continue;
    if (std::string_view(name) == ".debug_str") {
      std::string_view bytes = section_bytes(scn, header);
      for (std::size_t at = 0; at < bytes.size();) {
        std::size_t end = bytes.find('\0', at);
        if (end == std::string_view::npos) end = bytes.size();
        std::string_view s = bytes.substr(at, end - at);
        at = end + 1;
        if (!s.starts_with("GNU C")) continue;
        std::string level = last_o_switch(s);
        if (level.empty() || level == "-O0" || level == "-Og") {
          if (!unoptimised_producer) unoptimised_producer = std::string(s);
        } else if (!optimised_level) {
          optimised_level = level;
        }
      }
    } else if (header.sh_type == SHT_SYMTAB && header.sh_entsize != 0) {
      have_symbols = true;
      Elf_Data* data = elf_getdata(scn, nullptr);
      if (data == nullptr) continue;
      const std::size_t count = header.sh_size / header.sh_entsize;
      for (std::size_t i = 0; i < count && !telltale; ++i) {
        GElf_Sym sym{};
        if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) continue;
        if (GELF_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF) continue;
        const char* symbol = elf_strptr(elf.get(), header.sh_link, sym.st_name);
        if (symbol == nullptr) continue;
        for (const auto& t : k_telltales) {
          if (std::string_view(symbol).starts_with(t.prefix)) telltale = t.shown;
        }
      }
    }
  }

  if (unoptimised_producer) {
    std::string level = last_o_switch(*unoptimised_producer);
    out.level = Optimisation::unoptimised;
    out.evidence = fmt::format("its debug information says it was compiled by '{}' ({})", shorten(*unoptimised_producer),
                               level.empty() ? std::string("no -O flag") : level);
  } else if (optimised_level) {
    out.level = Optimisation::optimised;
    out.evidence = fmt::format("its debug information says it was compiled with {}", *optimised_level);
  } else if (telltale) {
    out.level = Optimisation::unoptimised;
    out.evidence = fmt::format("{} is compiled out of line, which no optimising build does", *telltale);
  } else {
    out.evidence = have_symbols ? "no debug information names its -O flag, and no symbol shows it"
                                : "it is stripped: no debug information, no symbols";
  }
  return out;
}

std::optional<std::string> note_optimisation(Suite& suite, const std::filesystem::path& binary) {
  if (suite.context.contains("build_type")) return std::nullopt;
  const OptimisationEvidence found = read_optimisation(binary);
  suite.context[std::string(k_optimisation_context)] = fmt::format("{}: {}", to_string(found.level), found.evidence);
  switch (found.level) {
    case Optimisation::optimised:
      return std::nullopt;
    case Optimisation::unoptimised:
      return fmt::format("suite '{}' is an unoptimised build: {} — its results are refused as baselines unless "
                         "--allow-debug; build it with optimisation (-DCMAKE_BUILD_TYPE=Release)",
                         suite.name, found.evidence);
    case Optimisation::unknown:
      break;
  }
  return fmt::format("suite '{}': its build type cannot be known — a plain Google Benchmark binary records none, "
                     "and {}; recorded without one (link perfgate::benchmark_main to record it)",
                     suite.name, found.evidence);
}

std::optional<OptimisationEvidence> recorded_optimisation(const Suite& suite) {
  auto it = suite.context.find(std::string(k_optimisation_context));
  if (it == suite.context.end()) return std::nullopt;
  const std::string& text = it->second;
  const auto colon = text.find(": ");
  const std::string_view level = std::string_view(text).substr(0, colon);
  OptimisationEvidence out;
  out.evidence = colon == std::string::npos ? std::string() : text.substr(colon + 2);
  if (level == "optimised") out.level = Optimisation::optimised;
  else if (level == "unoptimised") out.level = Optimisation::unoptimised;
  return out;
}

}  // namespace gate
