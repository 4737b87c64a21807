// tests/atomic_file_test.cpp — write_file_atomically: replaces whole files,
// keeps the old one whole when interrupted, cleans up after failures.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gate/store/atomic_file.hpp"
#include "gate/error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::Error;
using gate::test::read_file;
using gate::test::TempDir;
using gate::test::write_file;

namespace {

// Every name in `dir`, sorted: the target and any leftover of a write.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string error_of(const fs::path& path, std::string_view content) {
  try {
    gate::write_file_atomically(path, content);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_file)

BOOST_AUTO_TEST_CASE(creates_and_replaces_leaving_nothing_else) {
  TempDir dir;
  gate::write_file_atomically(dir / "x.json", "first");
  BOOST_TEST(read_file(dir / "x.json") == "first");
  gate::write_file_atomically(dir / "x.json", std::string(100000, 'z'));
  BOOST_TEST(read_file(dir / "x.json") == std::string(100000, 'z'));
  gate::write_file_atomically(dir / "x.json", "");
  BOOST_TEST(read_file(dir / "x.json").empty());
  BOOST_TEST(entries(dir.path()) == std::vector<std::string>{"x.json"});
}

BOOST_AUTO_TEST_CASE(keeps_the_mode_of_the_replaced_file) {
  TempDir dir;
  write_file(dir / "x.json", "old");
  fs::permissions(dir / "x.json", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  gate::write_file_atomically(dir / "x.json", "new");
  BOOST_TEST(read_file(dir / "x.json") == "new");
  BOOST_TEST((fs::status(dir / "x.json").permissions() ==
              (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read)));
}

BOOST_AUTO_TEST_CASE(refuses_a_symbolic_link_neither_following_nor_replacing_it) {
  TempDir dir;
  write_file(dir / "elsewhere.txt", "keep me");
  fs::create_symlink(dir / "elsewhere.txt", dir / "x.json");
  std::string m = "no error";
  try {
    gate::write_file_atomically(dir / "x.json", "new");
  } catch (const gate::Error& e) {
    m = e.what();
  }
  BOOST_TEST(m.find("it is a symbolic link — refusing to write through it") != std::string::npos, m);
  BOOST_TEST(fs::is_symlink(dir / "x.json"));
  BOOST_TEST(read_file(dir / "elsewhere.txt") == "keep me");
  // Nothing left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  BOOST_TEST(files == 2u);
}

BOOST_AUTO_TEST_CASE(missing_directory_is_an_error_naming_path_and_cause) {
  TempDir dir;
  std::string m = error_of(dir / "nope" / "x.json", "data");
  BOOST_TEST(m.find("writing '" + (dir / "nope" / "x.json").string() + "': ") == 0, m);
  BOOST_TEST(m.find("No such file or directory") != std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(failed_rename_keeps_the_target_and_removes_the_temporary) {
  TempDir dir;
  // rename(2) cannot replace a non-empty directory: the failure comes after
  // the temporary file was written.
  write_file(dir / "x.json" / "inside", "keep");
  std::string m = error_of(dir / "x.json", "data");
  BOOST_TEST(m.find("writing '" + (dir / "x.json").string() + "': replacing it: ") == 0, m);
  BOOST_TEST(read_file(dir / "x.json" / "inside") == "keep");
  BOOST_TEST(entries(dir.path()) == std::vector<std::string>{"x.json"});
}

BOOST_AUTO_TEST_CASE(interrupted_write_leaves_the_old_file_whole) {
  TempDir dir;
  std::string old_content = "{\"old\": true}\n";
  write_file(dir / "x.json", old_content);
  auto crashed = gate::test::run({GATE_ATOMIC_WRITE_CHILD, (dir / "x.json").string(), "{\"new\": true}\n"},
                                 dir.path(), {"GATE_TEST_ABORT_BEFORE_RENAME=1"});
  BOOST_TEST(crashed.exit_code == 128 + 6, "expected SIGABRT, got " << crashed.exit_code << ": " << crashed.err);
  BOOST_TEST(read_file(dir / "x.json") == old_content);
  // The child got as far as a complete temporary file: the abort really came
  // between writing and renaming.
  auto names = entries(dir.path());
  BOOST_REQUIRE_EQUAL(names.size(), 2U);
  BOOST_TEST(names[0].rfind(".x.json.gate-tmp-", 0) == 0, names[0]);
  BOOST_TEST(read_file(dir / names[0]) == "{\"new\": true}\n");

  auto normal = gate::test::run({GATE_ATOMIC_WRITE_CHILD, (dir / "x.json").string(), "{\"new\": true}\n"},
                                dir.path(), {"GATE_TEST_ABORT_BEFORE_RENAME=0"});
  BOOST_TEST(normal.exit_code == 0, normal.err);
  BOOST_TEST(read_file(dir / "x.json") == "{\"new\": true}\n");
}

BOOST_AUTO_TEST_SUITE_END()
