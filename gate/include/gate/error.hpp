// gate/include/gate/error.hpp — the one exception type the gate library throws.
#pragma once

#include <stdexcept>

namespace gate {

/// Trouble of any kind: bad input, a missing baseline, a failed write. A
/// regression is not an Error: it is a verdict. The message is complete and
/// ready to print after "gate: error: " — what was being done, the subject in
/// quotes, the cause; lowercase, no trailing period.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gate
