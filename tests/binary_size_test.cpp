// tests/binary_size_test.cpp — ELF sizes by section and the code hash, checked
// against binutils' `size -A` and against binaries that differ in known ways.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "gate/run/binary_size.hpp"
#include "gate/error.hpp"
#include "test_programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::measure_binary;
using gate::section_size;

namespace {

constexpr std::uint64_t k_pad = 6 * 1024 * 1024;

/// Section sizes as binutils reports them (`size -A -d`), the reference the
/// libelf reading is checked against.
std::map<std::string, std::uint64_t> binutils_sections(const fs::path& file) {
  auto r = gate::test::run({"/usr/bin/size", "-A", "-d", file.string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  std::map<std::string, std::uint64_t> sizes;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    std::uint64_t size = 0;
    if (line.empty() || line[0] != '.' || !(words >> name >> size)) continue;
    sizes[name] += size;
  }
  return sizes;
}

std::string error_of(const fs::path& path) {
  try {
    (void)measure_binary(path);
  } catch (const gate::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(binary_size)

BOOST_AUTO_TEST_CASE(sizes_of_the_test_binary_itself_match_binutils) {
  const fs::path self = fs::read_symlink("/proc/self/exe");
  auto size = measure_binary(self, "tests/binary_size_test");
  BOOST_TEST(size.path == "tests/binary_size_test");
  BOOST_TEST(size.file_size == fs::file_size(self));
  BOOST_TEST(size.text_hash.size() == 16u);
  BOOST_TEST(size.text_hash.find_first_not_of("0123456789abcdef") == std::string::npos);

  auto reference = binutils_sections(self);
  BOOST_TEST_REQUIRE(reference.count(".text") == 1u);
  for (const auto& [name, bytes] : reference) {
    BOOST_TEST(section_size(size, name) == bytes, name);
  }
  // Allocated sections and their order: .text comes before .data in a
  // linked executable, and every section in the file is accounted for.
  BOOST_TEST(section_size(size, ".text") > 0u);
  BOOST_TEST(section_size(size, ".data") > 0u);
  BOOST_TEST(section_size(size, ".no_such_section") == 0u);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_elf_is_a_clear_error) {
  gate::test::TempDir dir;
  gate::test::write_file(dir / "script.sh", "#!/bin/sh\necho not a binary\n");
  std::string msg = error_of(dir / "script.sh");
  BOOST_TEST(msg.find("measuring binary size of '") == 0u, msg);
  BOOST_TEST(msg.find("script.sh': not an ELF file") != std::string::npos, msg);

  msg = error_of(dir / "missing");
  BOOST_TEST(msg.find("missing': no such file or directory") != std::string::npos, msg);

  msg = error_of(dir.path());
  BOOST_TEST(msg.find("it is a directory") != std::string::npos, msg);

  gate::test::write_file(dir / "empty", "");
  msg = error_of(dir / "empty");
  BOOST_TEST(msg.find("not an ELF file") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(six_megabytes_of_data_show_in_the_data_section) {
  auto small = measure_binary(gate::test::programs::small);
  auto padded = measure_binary(gate::test::programs::padded);
  const auto growth = section_size(padded, ".data") - section_size(small, ".data");
  BOOST_TEST(growth >= k_pad);
  BOOST_TEST(growth < k_pad + 4096);
  BOOST_TEST(padded.file_size - small.file_size >= k_pad);
  BOOST_TEST(section_size(padded, ".text") == section_size(small, ".text"));
  BOOST_TEST(section_size(padded, ".rodata") == section_size(small, ".rodata"));
  BOOST_TEST(section_size(padded, ".bss") < 4096u);
}

BOOST_AUTO_TEST_CASE(the_text_hash_follows_the_code_and_nothing_else) {
  gate::test::TempDir dir;
  const fs::path copy = dir / "copy";
  fs::copy_file(gate::test::programs::small, copy);
  auto original = measure_binary(gate::test::programs::small);
  BOOST_TEST(measure_binary(copy).text_hash == original.text_hash);

  // A section added after linking changes the file but not the code.
  gate::test::write_file(dir / "pad.bin", std::string(k_pad, '\x5a'));
  const fs::path grown = dir / "grown";
  auto r = gate::test::run({"/usr/bin/objcopy", "--add-section", ".gate_pad=" + (dir / "pad.bin").string(),
                            copy.string(), grown.string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto with_section = measure_binary(grown);
  BOOST_TEST(with_section.text_hash == original.text_hash);
  BOOST_TEST(section_size(with_section, ".gate_pad") == k_pad);
  BOOST_TEST(with_section.file_size >= original.file_size + k_pad);

  // Other code hashes differently.
  BOOST_TEST(measure_binary(gate::test::programs::good_bench).text_hash != original.text_hash);
}

BOOST_AUTO_TEST_SUITE_END()
