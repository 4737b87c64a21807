// tests/programs/padded.cpp — the same small program built twice: plain, and
// with GATE_PAD_BYTES of initialised data (in .data), to see a binary grow in
// the right section.
#include <cstdio>

#ifndef GATE_PAD_BYTES
#define GATE_PAD_BYTES 1
#endif

// Initialised, so it lives in .data; external, so the compiler keeps all of
// it. The code below does not depend on its size: both builds have the same
// .text.
extern char g_pad[];
char g_pad[GATE_PAD_BYTES] = {1};

int main(int argc, char** /*argv*/) {
  g_pad[0] = static_cast<char>(argc);
  std::printf("%d\n", g_pad[0]);
  return 0;
}
