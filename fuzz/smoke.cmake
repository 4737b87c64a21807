# fuzz/smoke.cmake — CTest runs every fuzz target for a few seconds on its
# seed corpus, from the ordinary (gcc) build: when clang and libFuzzer are
# present, the fuzz targets are built with clang beside this build, in
# <build>/fuzz-build, as an external project that is part of `all`; when
# they are not, each test reports itself skipped and says why. Included from
# tests/CMakeLists.txt. docs/fuzzing.md describes the targets.
option(GATE_FUZZ_SMOKE "Build the fuzz targets with clang beside this build and run each for a few seconds under CTest" ON)
set(GATE_FUZZ_SMOKE_SECONDS 10 CACHE STRING "How long CTest runs each fuzz target")
# One per fuzz/<name>_fuzz.cpp.
set(gate_fuzz_names policy google_benchmark bundle noise report callgrind_profile)

set(skip_reason "")
if(NOT GATE_FUZZ_SMOKE)
  set(skip_reason "GATE_FUZZ_SMOKE is OFF")
else()
  find_program(GATE_FUZZ_CLANGXX NAMES clang++ clang++-14 clang++-15 clang++-16)
  if(NOT GATE_FUZZ_CLANGXX)
    set(skip_reason "clang++ not found (scripts/install-deps installs clang and libclang-rt-14-dev)")
  elseif(NOT DEFINED GATE_FUZZ_CLANG_WORKS OR NOT GATE_FUZZ_CLANG_WORKS_WITH STREQUAL GATE_FUZZ_CLANGXX)
    # Can clang link a libFuzzer target with the sanitizers? (The runtime
    # is a separate Debian package, libclang-rt-14-dev.)
    set(probe_dir ${CMAKE_BINARY_DIR}/CMakeFiles/fuzz-probe)
    file(WRITE ${probe_dir}/probe.cpp
         "#include <cstddef>\n#include <cstdint>\n"
         "extern \"C\" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }\n")
    execute_process(
      COMMAND ${GATE_FUZZ_CLANGXX} -fsanitize=fuzzer,address,undefined ${probe_dir}/probe.cpp -o ${probe_dir}/probe
      RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_VARIABLE probe_err)
    if(probe_rc EQUAL 0)
      set(GATE_FUZZ_CLANG_WORKS ON CACHE INTERNAL "")
    else()
      set(GATE_FUZZ_CLANG_WORKS OFF CACHE INTERNAL "")
    endif()
    set(GATE_FUZZ_CLANG_WORKS_WITH ${GATE_FUZZ_CLANGXX} CACHE INTERNAL "")
  endif()
  if(NOT skip_reason AND NOT GATE_FUZZ_CLANG_WORKS)
    set(skip_reason "${GATE_FUZZ_CLANGXX} cannot link a libFuzzer target (install libclang-rt-14-dev)")
  endif()
endif()

if(skip_reason)
  message(STATUS "Fuzz smoke tests skipped: ${skip_reason}")
  foreach(name IN LISTS gate_fuzz_names)
    add_test(NAME gate.fuzz.${name} COMMAND ${CMAKE_COMMAND} -E echo "skipped: ${skip_reason}")
    set_tests_properties(gate.fuzz.${name} PROPERTIES SKIP_REGULAR_EXPRESSION "skipped: ")
  endforeach()
  return()
endif()

include(ExternalProject)
set(fuzz_build ${CMAKE_BINARY_DIR}/fuzz-build)
ExternalProject_Add(gate_fuzz_build
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${fuzz_build}
  CMAKE_ARGS
    -DCMAKE_CXX_COMPILER=${GATE_FUZZ_CLANGXX}
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DGATE_FUZZ=ON
    -DGATE_BUILD_TESTS=OFF
    -DGATE_BUILD_BENCHSUITE=OFF
    -DGATE_WERROR=${GATE_WERROR}
    -DGATE_CCACHE=${GATE_CCACHE}
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target fuzzers
  INSTALL_COMMAND ""
  # The sub-build's own ninja decides what is out of date.
  BUILD_ALWAYS TRUE)

foreach(name IN LISTS gate_fuzz_names)
  add_test(NAME gate.fuzz.${name}
    COMMAND ${CMAKE_COMMAND} -DFUZZER=${fuzz_build}/fuzz/${name}_fuzz -DSEEDS=${fuzz_build}/fuzz/seeds/${name}
            -DDICT=${PROJECT_SOURCE_DIR}/fuzz/${name}.dict -DWORK=${CMAKE_BINARY_DIR}/fuzz-smoke/${name}
            -DSECONDS=${GATE_FUZZ_SMOKE_SECONDS} -P ${PROJECT_SOURCE_DIR}/fuzz/run_fuzzer.cmake)
  set_tests_properties(gate.fuzz.${name} PROPERTIES TIMEOUT 300)
endforeach()
