# Every third-party dependency is found here and nowhere else. All of them are
# Debian 12 packages; scripts/install-deps installs them.
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
# zlib: the callgrind profiles `gate run --instrument` keeps are gzip-compressed.
find_package(ZLIB REQUIRED)
# Debian's libgit2, libelf and libxxhash ship no CMake package files.
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
if(GATE_BUILD_HARNESS OR GATE_BUILD_BENCHSUITE OR GATE_BUILD_TESTS)
  find_package(benchmark REQUIRED)
endif()
if(GATE_BUILD_TESTS)
  find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)
endif()
