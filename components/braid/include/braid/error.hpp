// components/braid/include/braid/error.hpp — the one exception type braid
// throws (messages: what was being done, subject in quotes, cause).
#pragma once

#include <stdexcept>

namespace perfgate::braid {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace perfgate::braid
