// components/safety/include/safety/validator.hpp — the command safety
// validator: parses a shell command line the way a shell would split it and
// checks each simple command against rules for destructive operations.
#pragma once

#include <string_view>
#include <unordered_map>

#include "safety/verdict.hpp"

namespace perfgate::safety {

namespace detail {
struct SimpleCommand;
}

/// Validates shell command lines. Built once (the rule index is a hash map
/// from program name to its checks); validate() is const, allocation-free
/// after a thread's first few calls, and safe to call from many threads.
///
/// What it understands: quoting ('…', "…", backslashes), ; && || | & and
/// newlines, redirections (> >> &> 2> >| < …), comments, prefixes that run
/// another command (sudo with its options, doas, env, nohup, nice, timeout,
/// time, command, exec, xargs, shell keywords such as then/do/!), paths to
/// programs (/bin/rm, \rm), and commands nested in sh -c '…', eval, $(…),
/// `…` and <(…), up to 8 levels deep.
///
/// Rules (ids): rm-recursive-root, rm-recursive-cwd, rm-recursive, rm-root-glob,
/// rm-no-preserve-root, remove-system-file, fork-bomb, fork-loop, dd-to-block-device,
/// write-to-block-device, format-filesystem, partition-table, shred-device,
/// chmod-recursive-root, chmod-world-writable, chown-recursive-root,
/// overwrite-system-file, append-system-file, move-root, find-delete-root,
/// pipe-to-shell, kill-all, crontab-remove, sysrq-trigger, power-state,
/// nesting-too-deep.
class Validator {
 public:
  Validator();

  /// Judges `command`. Returns the worst verdict over all its simple commands,
  /// and returns at the first critical one without looking further. An empty
  /// or blank command is safe. Throws nothing but std::bad_alloc, whatever the input.
  [[nodiscard]] Verdict validate(std::string_view command) const;

 private:
  using Check = Verdict (*)(const detail::SimpleCommand&);
  Verdict validate_at(std::string_view command, int depth) const;

  std::unordered_map<std::string_view, Check> m_checks;
};

}  // namespace perfgate::safety
