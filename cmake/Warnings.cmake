# Warnings and sanitizers live on interface targets that only our own targets
# link, so that third-party headers and consumers are not affected.
add_library(gate_warnings INTERFACE)
add_library(gate::warnings ALIAS gate_warnings)
target_compile_options(gate_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wimplicit-fallthrough
  $<$<BOOL:${GATE_WERROR}>:-Werror>
  # GCC 12 at -O3 reports -Wrestrict falsely inside libstdc++'s
  # std::string operator+ (GCC bug 105329); fixed in GCC 13. For the same
  # reason -Wnull-dereference is not used: at -O3 it flags libstdc++ itself.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)

add_library(gate_sanitizers INTERFACE)
add_library(gate::sanitizers ALIAS gate_sanitizers)
if(GATE_SANITIZE)
  target_compile_options(gate_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(gate_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# Our own targets link this one interface target for both.
add_library(gate_project_options INTERFACE)
target_link_libraries(gate_project_options INTERFACE gate_warnings gate_sanitizers)
