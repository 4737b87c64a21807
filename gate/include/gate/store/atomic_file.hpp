// gate/include/gate/store/atomic_file.hpp — replacing a file so that a reader, a
// crash or a full disk never sees it half written.
#pragma once

#include <filesystem>
#include <string_view>

namespace gate {

/// Replaces (or creates) `path` with `content`: writes a temporary file in
/// the same directory, fsyncs it, renames it over `path`, then fsyncs the
/// directory. Afterwards `path` holds either its old content or the new one,
/// never a mix, even if the process dies or the disk fills up. A new file
/// gets mode 0666 minus the umask; an existing file keeps its mode. A
/// symbolic link at `path` is refused (gate::Error), neither followed nor
/// replaced. On failure throws
/// gate::Error naming the path and the system's reason, and removes the
/// temporary file; the directory must already exist.
///
/// Test hook: with GATE_TEST_ABORT_BEFORE_RENAME=1 in the environment the
/// process calls std::abort() after the temporary file is written and synced
/// and before the rename, to prove that an interrupted write loses nothing.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace gate
