# cmake/Packaging.cmake — what `cmake --install` puts into a prefix beyond
# the targets' own install rules, and the Debian package `cpack -G DEB` makes
# of it. docs/adopt.md shows both from a user's side.
#
#   bin/gate
#   include/perfgate/harness.hpp, include/perfgate/harness/*.hpp
#   lib/libperfgate_harness.a
#   share/perfgate/benchmark_main.cpp       (compiled into each suite)
#   lib/cmake/perfgate/perfgateConfig.cmake, perfgateConfigVersion.cmake,
#                      perfgateTargets*.cmake
include(CMakePackageConfigHelpers)

set(PERFGATE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/perfgate)
install(EXPORT perfgateTargets NAMESPACE perfgate:: DESTINATION ${PERFGATE_CMAKE_DIR})
configure_package_config_file(cmake/perfgateConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/perfgateConfig.cmake
  INSTALL_DESTINATION ${PERFGATE_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR)
# 0.x: a new minor version may break the harness's interface.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/perfgateConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/perfgateConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/perfgateConfigVersion.cmake
  DESTINATION ${PERFGATE_CMAKE_DIR})

# The Debian package: perfgate_<version>_<arch>.deb, for Debian 12. Its
# Depends come from the libraries the gate links (dpkg-shlibdeps: libgit2,
# libelf, libfmt, libxxhash, libstdc++, libc). valgrind (for --instrument) and
# libbenchmark-dev (for suites built on the harness) are recommended: a
# runner that only judges result files needs neither.
set(GATE_PACKAGE_MAINTAINER "perfgate maintainers <perfgate@invalid>" CACHE STRING
    "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_NAME perfgate)
set(CPACK_PACKAGE_VENDOR perfgate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "performance gate for Google Benchmark suites, with baselines in git")
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "perfgate stops performance regressions before they merge. The gate tool"
  "runs Google Benchmark binaries, compares their results with baselines"
  "tracked in git per hardware runner, and fails the check with a report a"
  "person can act on."
  "The package also holds the benchmark harness (allocation counting,"
  "callgrind dumps per benchmark, hardware counters) as a CMake package:"
  "find_package(perfgate).")
set(CPACK_PACKAGE_CONTACT "${GATE_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES bin/gate)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(GATE_BUILD_HARNESS)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "valgrind, libbenchmark-dev (>= ${benchmark_VERSION})")
else()
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "valgrind")
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
