# fuzz/run_fuzzer.cmake — runs one fuzz target for SECONDS on its seed corpus
# and fails, naming the saved input, if it finds anything. The corpus it
# grows and any crashing input stay in WORK.
#
#   cmake -DFUZZER=<binary> -DSEEDS=<dir> -DDICT=<file> -DWORK=<dir> -DSECONDS=<n> -P run_fuzzer.cmake
cmake_minimum_required(VERSION 3.25)
foreach(var FUZZER SEEDS DICT WORK SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D${var}=... is missing")
  endif()
endforeach()
if(NOT EXISTS ${FUZZER})
  message(FATAL_ERROR "${FUZZER} is not built: build the project (it builds the fuzz targets in fuzz-build/)")
endif()
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/artifacts)
# New inputs go to the first directory; the seeds are only read.
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
          -dict=${DICT} -artifact_prefix=${WORK}/artifacts/ ${WORK}/corpus ${SEEDS}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a failing input (exit ${rc}); it is in ${WORK}/artifacts/ — replay it with "
                      "'${FUZZER} <file>' and add it to the reader's tests")
endif()
