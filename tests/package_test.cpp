// tests/package_test.cpp — the Debian package: `cpack -G DEB` on this build
// makes perfgate_<version>_<arch>.deb whose control fields name Debian 12's
// packages, whose contents are the gate and the harness's CMake package, whose
// gate runs once extracted, and whose dependencies apt can resolve here.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using gate::test::RunResult;
using gate::test::TempDir;

namespace {

std::string shown(const RunResult& r) { return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err; }

// Printed for CTest: the test is reported as skipped (SKIP_REGULAR_EXPRESSION).
void report_skip(const std::string& why) { std::cout << "perfgate-test-skipped: " << why << "\n"; }

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

/// One control field of a .deb, as dpkg-deb prints it.
std::string field(const fs::path& deb, const std::string& name) {
  auto r = gate::test::run({GATE_DPKG_DEB, "--field", deb.string(), name});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "dpkg-deb --field " << name << ": " << shown(r));
  return trimmed(r.out);
}

/// The package names of a Depends-style field: "a (>= 1), b | c" → a, b, c.
std::set<std::string> package_names(const std::string& relation) {
  std::set<std::string> names;
  std::string token;
  std::istringstream in(relation);
  while (std::getline(in, token, ',')) {
    std::istringstream alternatives(token);
    std::string alternative;
    while (std::getline(alternatives, alternative, '|')) {
      std::istringstream words(alternative);
      std::string name;
      words >> name;
      if (!name.empty()) names.insert(name);
    }
  }
  return names;
}

/// The package built once per process into a temporary directory.
struct Built {
  TempDir dir;
  fs::path deb;
};

const Built& built() {
  static const std::unique_ptr<Built> once = [] {
    auto b = std::make_unique<Built>();
    // -B keeps CPack's staging out of the build tree, so that two runs of
    // this test cannot collide.
    auto r = gate::test::run({GATE_CPACK, "-G", "DEB", "--config", GATE_BUILD_DIR "/CPackConfig.cmake", "-B",
                              b->dir.path().string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "cpack -G DEB failed: " << shown(r));
    for (const auto& entry : fs::directory_iterator(b->dir.path())) {
      if (entry.path().extension() == ".deb") b->deb = entry.path();
    }
    BOOST_REQUIRE_MESSAGE(!b->deb.empty(), "cpack made no .deb: " << shown(r));
    return b;
  }();
  return *once;
}

bool have_dpkg_deb() {
  if (std::string(GATE_DPKG_DEB).empty()) {
    report_skip("dpkg-deb not found (Debian package dpkg): the Debian package cannot be inspected here");
    return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(package)

BOOST_AUTO_TEST_CASE(cpack_makes_a_deb_with_debian_12_dependencies) {
  if (!have_dpkg_deb()) return;
  const Built& b = built();
  BOOST_TEST(b.deb.filename().string() == "perfgate_" GATE_VERSION "_" + field(b.deb, "Architecture") + ".deb");
  BOOST_TEST(field(b.deb, "Package") == "perfgate");
  BOOST_TEST(field(b.deb, "Version") == GATE_VERSION);
  BOOST_TEST(field(b.deb, "Architecture") == GATE_DEB_ARCH);
  BOOST_TEST(!field(b.deb, "Maintainer").empty());

  // The libraries the gate links dynamically, as Debian 12 names their
  // packages (found by dpkg-shlibdeps).
  const auto depends = package_names(field(b.deb, "Depends"));
  for (const char* needed : {"libc6", "libstdc++6", "libgcc-s1", "libgit2-1.5", "libelf1", "libfmt9", "libxxhash0"}) {
    BOOST_TEST(depends.count(needed) == 1, needed << " is not in Depends: " << field(b.deb, "Depends"));
  }
  // Nothing a runner that only runs the gate does not need.
  for (const char* not_needed : {"libbenchmark-dev", "valgrind", "libboost-test1.74.0", "libcli11-dev"}) {
    BOOST_TEST(depends.count(not_needed) == 0, not_needed << " is in Depends: " << field(b.deb, "Depends"));
  }
  const auto recommends = package_names(field(b.deb, "Recommends"));
  BOOST_TEST(recommends.count("valgrind") == 1);
  BOOST_TEST(recommends.count("libbenchmark-dev") == 1);
}

BOOST_AUTO_TEST_CASE(the_deb_holds_the_gate_and_the_cmake_package_and_its_gate_runs) {
  if (!have_dpkg_deb()) return;
  const Built& b = built();
  auto contents = gate::test::run({GATE_DPKG_DEB, "--contents", b.deb.string()});
  BOOST_TEST_REQUIRE(contents.exit_code == 0, shown(contents));
  for (const char* file : {"./usr/bin/gate", "./usr/lib/libperfgate_harness.a", "./usr/include/perfgate/harness.hpp",
                           "./usr/share/perfgate/benchmark_main.cpp", "./usr/lib/cmake/perfgate/perfgateConfig.cmake",
                           "./usr/lib/cmake/perfgate/perfgateConfigVersion.cmake"}) {
    BOOST_TEST(contents.out.find(std::string(file) + "\n") != std::string::npos, file << " is not in the package");
  }

  TempDir root;
  auto extract = gate::test::run({GATE_DPKG_DEB, "-x", b.deb.string(), root.path().string()});
  BOOST_TEST_REQUIRE(extract.exit_code == 0, shown(extract));
  auto version = gate::test::run({(root / "usr/bin/gate").string(), "--version"});
  BOOST_TEST(version.exit_code == 0, shown(version));
  BOOST_TEST(version.out.find(GATE_VERSION) != std::string::npos, version.out);
}

BOOST_AUTO_TEST_CASE(apt_resolves_its_dependencies) {
  if (!have_dpkg_deb()) return;
  if (std::string(GATE_APT_GET).empty()) {
    report_skip("apt-get not found: the package's dependencies cannot be resolved here");
    return;
  }
  const Built& b = built();
  // A simulation: nothing is installed; apt resolves Depends and Recommends
  // against this machine's Debian archive and installed packages.
  // --reinstall: the same when this version is already installed.
  auto r = gate::test::run({GATE_APT_GET, "install", "--simulate", "--reinstall", "--yes", b.deb.string()}, {},
                           {"DEBIAN_FRONTEND=noninteractive"});
  BOOST_TEST(r.exit_code == 0, shown(r));
  BOOST_TEST(r.out.find("Inst perfgate ") != std::string::npos, shown(r));
}

BOOST_AUTO_TEST_SUITE_END()
