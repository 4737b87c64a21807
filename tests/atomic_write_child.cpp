// tests/atomic_write_child.cpp — a process that writes one file with
// write_file_atomically, for the interruption test in atomic_file_test.cpp
// (with GATE_TEST_ABORT_BEFORE_RENAME=1 it dies before the rename).
// Usage: atomic_write_child PATH CONTENT
#include <sys/resource.h>

#include <cstdio>

#include "gate/store/atomic_file.hpp"
#include "gate/error.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: atomic_write_child PATH CONTENT\n", stderr);
    return 2;
  }
  // The abort is expected; a core file would only litter the test directory.
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  try {
    gate::write_file_atomically(argv[1], argv[2]);
  } catch (const gate::Error& e) {
    std::fprintf(stderr, "atomic_write_child: %s\n", e.what());
    return 2;
  }
  return 0;
}
