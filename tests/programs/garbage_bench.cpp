// tests/programs/garbage_bench.cpp — pretends to be a benchmark suite: lists
// one benchmark, then writes text that is not JSON where the results should
// be, and exits 0 as if all went well.
#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  std::string out_file;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--benchmark_list_tests=true") == 0) {
      std::puts("BM_Garbage");
      return 0;
    }
    if (std::strncmp(argv[i], "--benchmark_out=", 16) == 0) out_file = argv[i] + 16;
  }
  std::puts("{ this is not json");
  std::fputs("garbage_bench: writing garbage\n", stderr);
  if (!out_file.empty()) {
    if (std::FILE* f = std::fopen(out_file.c_str(), "w")) {
      std::fputs("{\"context\": {}, \"benchmarks\": [ garbage", f);
      std::fclose(f);
    }
  }
  return 0;
}
