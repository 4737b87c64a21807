// components/safety/src/validator.cpp — the rules, and the walk over a lexed
// command line that applies them.
#include "safety/validator.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "lexer.hpp"
#include "paths.hpp"

namespace perfgate::safety {

std::string_view to_string(Risk risk) noexcept {
  switch (risk) {
    case Risk::safe:
      return "safe";
    case Risk::caution:
      return "caution";
    case Risk::dangerous:
      return "dangerous";
    case Risk::critical:
      return "critical";
  }
  return "unknown";
}

namespace detail {

struct RedirectTarget {
  Redirect kind;
  std::string_view target;  // empty for dup
};

/// One simple command after prefixes (sudo, env, …) were stripped.
struct SimpleCommand {
  std::string_view program;              // base name: "/bin/rm" → "rm"
  std::span<const std::string_view> args;  // args[0] is the program word as written
  std::span<const RedirectTarget> redirects;
};

}  // namespace detail

namespace {

using detail::classify_path;
using detail::is_block_device;
using detail::is_critical_file;
using detail::PathClass;
using detail::Redirect;
using detail::RedirectTarget;
using detail::SimpleCommand;

constexpr int max_depth = 8;

// Every verdict the rules can give, in one place.
constexpr Verdict safe_verdict{};
constexpr Verdict rm_recursive_root{Risk::critical, "rm-recursive-root",
                                    "recursive delete of the root, a system directory or a home directory"};
constexpr Verdict rm_no_preserve_root{Risk::critical, "rm-no-preserve-root", "rm told to delete the root directory"};
constexpr Verdict rm_recursive_cwd{Risk::dangerous, "rm-recursive-cwd", "recursive delete of everything in the working directory"};
constexpr Verdict rm_root_glob{Risk::dangerous, "rm-root-glob", "delete of everything at the top of the file system"};
constexpr Verdict rm_recursive{Risk::caution, "rm-recursive", "recursive delete"};
constexpr Verdict remove_system_file{Risk::critical, "remove-system-file", "delete of a file the system cannot run without"};
constexpr Verdict fork_bomb{Risk::critical, "fork-bomb", "a function that pipes into itself in the background: a fork bomb"};
constexpr Verdict fork_loop{Risk::dangerous, "fork-loop", "forking in a loop exhausts the process table"};
constexpr Verdict dd_to_block_device{Risk::critical, "dd-to-block-device", "dd writing straight onto a disk"};
constexpr Verdict write_to_block_device{Risk::critical, "write-to-block-device", "writing straight onto a disk"};
constexpr Verdict format_filesystem{Risk::critical, "format-filesystem", "creating a file system erases what was there"};
constexpr Verdict partition_table{Risk::dangerous, "partition-table", "editing a disk's partition table"};
constexpr Verdict shred_device{Risk::critical, "shred-device", "shredding a whole disk"};
constexpr Verdict chmod_recursive_root{Risk::critical, "chmod-recursive-root",
                                       "changing permissions of the root, a system or a home directory"};
constexpr Verdict chmod_world_writable{Risk::caution, "chmod-world-writable", "making a tree writable by everyone"};
constexpr Verdict chown_recursive_root{Risk::critical, "chown-recursive-root",
                                       "changing ownership of the root, a system or a home directory"};
constexpr Verdict overwrite_system_file{Risk::critical, "overwrite-system-file",
                                        "overwriting a file the system cannot run without"};
constexpr Verdict append_system_file{Risk::dangerous, "append-system-file", "appending to accounts, sudoers or boot files"};
constexpr Verdict move_root{Risk::critical, "move-root", "moving the root, a system or a home directory away"};
constexpr Verdict find_delete_root{Risk::critical, "find-delete-root",
                                   "find deleting from the root, a system or a home directory"};
constexpr Verdict pipe_to_shell{Risk::dangerous, "pipe-to-shell", "running a script straight from the network"};
constexpr Verdict kill_all{Risk::dangerous, "kill-all", "signalling every process"};
constexpr Verdict crontab_remove{Risk::dangerous, "crontab-remove", "deleting the whole crontab without a prompt"};
constexpr Verdict sysrq_trigger{Risk::critical, "sysrq-trigger", "writing to the kernel's sysrq trigger"};
constexpr Verdict power_state{Risk::caution, "power-state", "shutting down or rebooting the machine"};
constexpr Verdict nesting_too_deep{Risk::caution, "nesting-too-deep", "commands nested too deep to check"};

bool starts_with(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }

bool contains(std::string_view s, std::string_view p) noexcept { return s.find(p) != std::string_view::npos; }

std::string_view basename(std::string_view word) noexcept {
  const std::size_t slash = word.rfind('/');
  return slash == std::string_view::npos ? word : word.substr(slash + 1);
}

bool is_option(std::string_view a) noexcept { return a.size() > 1 && a.front() == '-'; }

// Short options "-rf", "-Rv": whether the cluster holds `flag`.
bool short_flag(std::string_view a, char flag) noexcept {
  return a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find(flag, 1) != std::string_view::npos;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> set) noexcept {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool is_shell(std::string_view program) noexcept {
  return one_of(program, {"sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "csh", "tcsh", "ash", "busybox"});
}

bool is_interpreter(std::string_view program) noexcept {
  return is_shell(program) ||
         one_of(program, {"python", "python3", "python2", "perl", "ruby", "node", "php", "source", "."});
}

bool is_downloader(std::string_view program) noexcept { return one_of(program, {"curl", "wget", "fetch", "aria2c"}); }

// "$(curl …)", "<(wget …)", "`curl …`": a substitution whose command downloads.
bool is_download_substitution(std::string_view word) noexcept {
  std::string_view inner;
  if (starts_with(word, "$(") || starts_with(word, "<(")) {
    inner = word.substr(2);
  } else if (starts_with(word, "`")) {
    inner = word.substr(1);
  } else {
    return false;
  }
  const std::size_t b = inner.find_first_not_of(" \t");
  if (b == std::string_view::npos) {
    return false;
  }
  inner = inner.substr(b);
  const std::size_t e = inner.find_first_of(" \t)`");
  return is_downloader(basename(inner.substr(0, e)));
}

bool is_assignment(std::string_view w) noexcept {
  const std::size_t eq = w.find('=');
  if (eq == 0 || eq == std::string_view::npos) {
    return false;
  }
  for (std::size_t i = 0; i < eq; ++i) {
    const char c = w[i];
    const bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) {
      return false;
    }
  }
  return true;
}

// Skips the options of a prefix command; `with_value` lists the options that
// take the next word as their value.
std::size_t skip_options(std::span<const std::string_view> a, std::size_t i,
                         std::initializer_list<std::string_view> with_value) noexcept {
  while (i < a.size() && is_option(a[i])) {
    if (a[i] == "--") {
      return i + 1;
    }
    const bool takes_value = one_of(a[i], with_value);
    i += takes_value ? 2 : 1;
  }
  return i;
}

// The index of the word that is the real program: past assignments, shell
// keywords and commands that run the rest of the line (sudo, env, nice …).
std::size_t program_index(std::span<const std::string_view> a) noexcept {
  std::size_t i = 0;
  while (i < a.size()) {
    const std::string_view w = a[i];
    const std::string_view b = basename(w);
    if (is_assignment(w)) {
      ++i;
    } else if (one_of(w, {"!", "{", "}", "then", "do", "else", "elif", "if", "while", "until", "coproc"})) {
      ++i;
    } else if (one_of(b, {"time", "nohup", "builtin"})) {
      i = skip_options(a, i + 1, {});
    } else if (one_of(b, {"command", "exec"})) {
      i = skip_options(a, i + 1, {"-a"});
    } else if (one_of(b, {"sudo", "doas"})) {
      i = skip_options(a, i + 1, {"-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-T", "-D", "-R"});
    } else if (b == "env") {
      i = skip_options(a, i + 1, {"-u", "-C", "-S", "--unset", "--chdir"});
      while (i < a.size() && is_assignment(a[i])) {
        ++i;
      }
    } else if (one_of(b, {"nice", "ionice"})) {
      i = skip_options(a, i + 1, {"-n", "-c", "-p", "-P", "-u"});
    } else if (b == "timeout") {
      i = skip_options(a, i + 1, {"-s", "-k", "--signal", "--kill-after"});
      ++i;  // the duration
    } else if (b == "stdbuf") {
      i = skip_options(a, i + 1, {"-i", "-o", "-e"});
    } else if (b == "xargs") {
      i = skip_options(a, i + 1, {"-I", "-n", "-P", "-d", "-L", "-E", "-s", "-a"});
    } else if (b == "watch") {
      i = skip_options(a, i + 1, {"-n", "-d"});
    } else {
      break;
    }
  }
  return i;
}

// The operands of a command: its words after the program that are not options
// (everything after "--" is an operand).
template <typename Fn>
void for_each_operand(const SimpleCommand& c, Fn&& fn) {
  bool options_done = false;
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    const std::string_view a = c.args[i];
    if (!options_done && a == "--") {
      options_done = true;
    } else if (options_done || !is_option(a)) {
      fn(a);
    }
  }
}

bool has_option(const SimpleCommand& c, char short_name, std::string_view long_name) {
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    const std::string_view a = c.args[i];
    if (a == "--") {
      return false;
    }
    if (a == long_name || (short_name != '\0' && short_flag(a, short_name))) {
      return true;
    }
  }
  return false;
}

// The worst class among a command's operands.
PathClass worst_operand(const SimpleCommand& c) {
  PathClass worst = PathClass::other;
  for_each_operand(c, [&](std::string_view a) { worst = std::max(worst, classify_path(a)); });
  return worst;
}

bool reaches_system(PathClass p) noexcept { return p >= PathClass::home; }

Verdict check_rm(const SimpleCommand& c) {
  if (has_option(c, '\0', "--no-preserve-root")) {
    return rm_no_preserve_root;
  }
  const bool recursive = has_option(c, 'r', "--recursive") || has_option(c, 'R', "--recursive");
  const PathClass worst = worst_operand(c);
  bool system_file = false;
  for_each_operand(c, [&](std::string_view a) { system_file = system_file || is_critical_file(a); });
  if (recursive) {
    if (reaches_system(worst)) {
      return rm_recursive_root;
    }
    if (worst == PathClass::cwd_all) {
      return rm_recursive_cwd;
    }
  }
  if (system_file) {
    return remove_system_file;
  }
  if (recursive) {
    return rm_recursive;
  }
  return worst == PathClass::root ? rm_root_glob : safe_verdict;
}

Verdict check_dd(const SimpleCommand& c) {
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    if (starts_with(c.args[i], "of=")) {
      const std::string_view target = c.args[i].substr(3);
      if (is_block_device(target)) {
        return dd_to_block_device;
      }
      if (is_critical_file(target)) {
        return overwrite_system_file;
      }
    }
  }
  return safe_verdict;
}

Verdict check_partition(const SimpleCommand& c) {
  if (has_option(c, 'l', "--list") || has_option(c, '\0', "print")) {
    return safe_verdict;
  }
  bool device = false;
  for_each_operand(c, [&](std::string_view a) { device = device || is_block_device(a); });
  return device ? partition_table : safe_verdict;
}

Verdict check_shred(const SimpleCommand& c) {
  bool device = false;
  for_each_operand(c, [&](std::string_view a) { device = device || is_block_device(a); });
  return device ? shred_device : safe_verdict;
}

// 777, 0777, 1777, a+w, o+rwx, +w, a=rwx …: writable by others.
bool world_writable(std::string_view mode) noexcept {
  if (!mode.empty() && std::all_of(mode.begin(), mode.end(), [](char ch) { return ch >= '0' && ch <= '7'; })) {
    const int others = mode.back() - '0';
    return (others & 2) != 0;
  }
  std::size_t clause = 0;
  while (clause <= mode.size()) {
    const std::size_t comma = std::min(mode.find(',', clause), mode.size());
    const std::string_view part = mode.substr(clause, comma - clause);
    const std::size_t op = part.find_first_of("+=");
    if (op != std::string_view::npos) {
      const std::string_view who = part.substr(0, op);
      const bool for_others = who.empty() || contains(who, "a") || contains(who, "o");
      if (for_others && contains(part.substr(op), "w")) {
        return true;
      }
    }
    clause = comma + 1;
  }
  return false;
}

Verdict check_chmod(const SimpleCommand& c) {
  const bool recursive = has_option(c, 'R', "--recursive");
  std::string_view mode;
  PathClass worst = PathClass::other;
  bool first = true;
  for_each_operand(c, [&](std::string_view a) {
    if (first) {
      mode = a;
      first = false;
    } else {
      worst = std::max(worst, classify_path(a));
    }
  });
  const bool open = world_writable(mode);
  if (reaches_system(worst) && (recursive || open)) {
    return chmod_recursive_root;
  }
  return recursive && open ? chmod_world_writable : safe_verdict;
}

Verdict check_chown(const SimpleCommand& c) {
  if (!has_option(c, 'R', "--recursive")) {
    return safe_verdict;
  }
  PathClass worst = PathClass::other;
  bool first = true;
  for_each_operand(c, [&](std::string_view a) {
    if (!first) {
      worst = std::max(worst, classify_path(a));
    }
    first = false;
  });
  return reaches_system(worst) ? chown_recursive_root : safe_verdict;
}

// cp and mv: the last operand is the destination.
Verdict check_copy_or_move(const SimpleCommand& c, bool move) {
  std::string_view last;
  PathClass worst_source = PathClass::other;
  std::size_t operands = 0;
  for_each_operand(c, [&](std::string_view a) {
    if (operands > 0) {
      worst_source = std::max(worst_source, classify_path(last));
    }
    last = a;
    ++operands;
  });
  if (operands < 2) {
    return safe_verdict;
  }
  if (move && reaches_system(worst_source)) {
    return move_root;
  }
  if (is_block_device(last)) {
    return write_to_block_device;
  }
  return is_critical_file(last) ? overwrite_system_file : safe_verdict;
}

Verdict check_cp(const SimpleCommand& c) { return check_copy_or_move(c, false); }

Verdict check_mv(const SimpleCommand& c) { return check_copy_or_move(c, true); }

Verdict check_tee(const SimpleCommand& c) {
  const bool append = has_option(c, 'a', "--append");
  Verdict v = safe_verdict;
  for_each_operand(c, [&](std::string_view a) {
    if (is_block_device(a)) {
      v = write_to_block_device;
    } else if (is_critical_file(a) && v.risk != Risk::critical) {
      v = append ? append_system_file : overwrite_system_file;
    } else if (a == "/proc/sysrq-trigger") {
      v = sysrq_trigger;
    }
  });
  return v;
}

Verdict check_find(const SimpleCommand& c) {
  PathClass start = PathClass::other;
  bool deletes = false;
  bool in_paths = true;
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    const std::string_view a = c.args[i];
    if (in_paths && (starts_with(a, "-") || a == "(" || a == "!")) {
      in_paths = false;
    }
    if (in_paths) {
      start = std::max(start, classify_path(a));
    } else if (a == "-delete") {
      deletes = true;
    } else if ((a == "-exec" || a == "-execdir" || a == "-ok" || a == "-okdir") && i + 1 < c.args.size()) {
      deletes = deletes || one_of(basename(c.args[i + 1]), {"rm", "shred", "unlink"});
    }
  }
  return deletes && reaches_system(start) ? find_delete_root : safe_verdict;
}

Verdict check_kill(const SimpleCommand& c) {
  std::size_t i = 1;
  if (i < c.args.size() && one_of(c.args[i], {"-s", "-n", "--signal"})) {
    i += 2;
  } else if (i < c.args.size() && is_option(c.args[i]) && c.args[i] != "--") {
    ++i;  // the signal: -9, -KILL
  }
  for (; i < c.args.size(); ++i) {
    if (c.args[i] == "-1") {
      return kill_all;
    }
  }
  return safe_verdict;
}

Verdict check_killall5(const SimpleCommand&) { return kill_all; }

Verdict check_crontab(const SimpleCommand& c) { return has_option(c, 'r', "--remove") ? crontab_remove : safe_verdict; }

Verdict check_power(const SimpleCommand&) { return power_state; }

// Making a file system or swap, or wiping signatures, erases whatever the
// target held; there is no harmless use worth the risk of a wrong device.
Verdict check_format(const SimpleCommand&) { return format_filesystem; }

Verdict check_init(const SimpleCommand& c) {
  return c.args.size() > 1 && (c.args[1] == "0" || c.args[1] == "6") ? power_state : safe_verdict;
}

Verdict check_systemctl(const SimpleCommand& c) {
  for (std::size_t i = 1; i < c.args.size(); ++i) {
    if (one_of(c.args[i], {"poweroff", "reboot", "halt", "kexec", "emergency", "rescue"})) {
      return power_state;
    }
  }
  return safe_verdict;
}

Verdict check_redirects(std::span<const RedirectTarget> redirects) {
  Verdict v = safe_verdict;
  for (const RedirectTarget& r : redirects) {
    if (r.kind != Redirect::write && r.kind != Redirect::append) {
      continue;
    }
    if (is_block_device(r.target)) {
      return write_to_block_device;
    }
    if (r.target == "/proc/sysrq-trigger") {
      return sysrq_trigger;
    }
    if (is_critical_file(r.target)) {
      if (r.kind == Redirect::write) {
        return overwrite_system_file;
      }
      v = append_system_file;
    }
  }
  return v;
}

// ":(){ :|:& };:" and "bomb() { bomb | bomb & }; bomb": a function whose body
// pipes it into itself. Checked on the text with blanks removed, since the
// lexer splits such a line into pieces that no longer show it.
bool has_fork_bomb(std::string_view line) {
  if (!contains(line, "(") || !contains(line, "{")) {
    return false;
  }
  thread_local std::string squeezed;
  squeezed.clear();
  for (const char ch : line) {
    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
      squeezed.push_back(ch);
    }
  }
  const std::string_view s = squeezed;
  for (std::size_t at = s.find("(){"); at != std::string_view::npos; at = s.find("(){", at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && !contains(";&|(){}", s.substr(begin - 1, 1))) {
      --begin;
    }
    std::string_view name = s.substr(begin, at - begin);
    if (starts_with(name, "function")) {
      name.remove_prefix(8);
    }
    const std::size_t close = s.find('}', at + 3);
    const std::string_view body = s.substr(at + 3, (close == std::string_view::npos ? s.size() : close) - at - 3);
    if (name.empty()) {
      continue;
    }
    for (std::size_t p = body.find(name); p != std::string_view::npos; p = body.find(name, p + 1)) {
      const std::string_view rest = body.substr(p + name.size());
      if (starts_with(rest, "|") && starts_with(rest.substr(1), name)) {
        return true;
      }
    }
  }
  return false;
}

bool has_fork_loop(std::string_view line) noexcept {
  const std::size_t fork = line.find("fork");
  return fork != std::string_view::npos && (contains(line, "while") || contains(line, "for(;;)") || contains(line, "loop"));
}

// Keeps the worse of two verdicts (the earlier one on a tie).
void keep_worst(Verdict& worst, const Verdict& v) noexcept {
  if (v.risk > worst.risk) {
    worst = v;
  }
}

// Per nesting level, so that a nested validation does not clobber the
// buffers of the level that called it; thread_local, so validate() is
// thread-safe and stops allocating once the buffers have grown.
struct Scratch {
  detail::Lexed lexed;
  std::vector<std::string_view> words;
  std::vector<RedirectTarget> redirects;
  std::string joined;
};

thread_local std::array<Scratch, max_depth + 1> t_scratch;

}  // namespace

Validator::Validator() {
  const auto add = [this](std::initializer_list<std::string_view> names, Check check) {
    for (const auto n : names) {
      m_checks.emplace(n, check);
    }
  };
  add({"rm", "unlink"}, &check_rm);
  add({"dd"}, &check_dd);
  add({"fdisk", "sfdisk", "gdisk", "sgdisk", "cfdisk", "parted"}, &check_partition);
  add({"shred"}, &check_shred);
  add({"mkfs", "mke2fs", "mkswap", "wipefs", "mkdosfs", "mkntfs"}, &check_format);
  add({"chmod"}, &check_chmod);
  add({"chown", "chgrp"}, &check_chown);
  add({"cp", "install"}, &check_cp);
  add({"mv"}, &check_mv);
  add({"tee"}, &check_tee);
  add({"find"}, &check_find);
  add({"kill"}, &check_kill);
  add({"killall5"}, &check_killall5);
  add({"crontab"}, &check_crontab);
  add({"shutdown", "reboot", "halt", "poweroff"}, &check_power);
  add({"init", "telinit"}, &check_init);
  add({"systemctl"}, &check_systemctl);
}

Verdict Validator::validate(std::string_view command) const { return validate_at(command, 0); }

Verdict Validator::validate_at(std::string_view command, int depth) const {
  if (depth > max_depth) {
    return nesting_too_deep;
  }
  if (has_fork_bomb(command)) {
    return fork_bomb;
  }
  Verdict worst = has_fork_loop(command) ? fork_loop : safe_verdict;

  Scratch& s = t_scratch[static_cast<std::size_t>(depth)];
  detail::lex(command, s.lexed);
  s.words.clear();
  s.redirects.clear();
  bool pending_redirect = false;
  Redirect pending_kind = Redirect::write;
  bool download_upstream = false;  // an earlier command of this pipeline downloads

  // Judges the simple command gathered in s.words / s.redirects; returns true
  // when it is critical (the caller stops there: early exit).
  const auto judge = [&]() -> bool {
    const std::span<const std::string_view> all(s.words);
    const std::size_t at = program_index(all);
    SimpleCommand c;
    c.redirects = s.redirects;
    if (at < all.size()) {
      c.args = all.subspan(at);
      c.program = basename(c.args[0]);
    }
    keep_worst(worst, check_redirects(c.redirects));
    if (!c.program.empty()) {
      if (download_upstream && is_interpreter(c.program)) {
        keep_worst(worst, pipe_to_shell);
      }
      if (is_download_substitution(c.args[0])) {
        keep_worst(worst, pipe_to_shell);
      }
      if (is_interpreter(c.program)) {
        for (std::size_t i = 1; i < c.args.size(); ++i) {
          if (is_download_substitution(c.args[i])) {
            keep_worst(worst, pipe_to_shell);
          }
        }
      }
      if (const auto it = m_checks.find(c.program); it != m_checks.end()) {
        keep_worst(worst, it->second(c));
      } else if (starts_with(c.program, "mkfs.")) {  // mkfs.ext4, mkfs.xfs, … one entry for all
        keep_worst(worst, check_format(c));
      }
      // Commands that run a command given as a string.
      if ((is_shell(c.program) || c.program == "su") && worst.risk != Risk::critical) {
        for (std::size_t i = 1; i + 1 < c.args.size(); ++i) {
          if (short_flag(c.args[i], 'c') || c.args[i] == "--command") {
            keep_worst(worst, validate_at(c.args[i + 1], depth + 1));
            break;
          }
        }
      } else if (c.program == "eval" && c.args.size() > 1) {
        std::string& joined = s.joined;
        joined.clear();
        for (std::size_t i = 1; i < c.args.size(); ++i) {
          joined.append(c.args[i]);
          joined.push_back(' ');
        }
        keep_worst(worst, validate_at(joined, depth + 1));
      }
      download_upstream = download_upstream || is_downloader(c.program);
    }
    s.words.clear();
    s.redirects.clear();
    return worst.risk == Risk::critical;
  };

  for (const detail::Token& t : s.lexed.tokens) {
    switch (t.kind) {
      case detail::TokenKind::word:
        if (pending_redirect) {
          s.redirects.push_back({pending_kind, t.text});
          pending_redirect = false;
        } else {
          s.words.push_back(t.text);
        }
        break;
      case detail::TokenKind::redirect:
        if (t.redirect == Redirect::dup) {
          s.redirects.push_back({Redirect::dup, {}});
        } else {
          pending_redirect = true;
          pending_kind = t.redirect;
        }
        break;
      case detail::TokenKind::separator:
        pending_redirect = false;
        if (judge()) {
          return worst;
        }
        if (t.separator != detail::Separator::pipe && t.separator != detail::Separator::open_group &&
            t.separator != detail::Separator::close_group) {
          download_upstream = false;
        }
        break;
    }
  }
  if (judge()) {
    return worst;
  }
  // Commands inside $(…), `…` and <(…) run too. Their views point into
  // `command` and a nested validation uses the next level's scratch, so this
  // level's list stays valid while we walk it.
  for (const std::string_view inner : s.lexed.nested) {
    keep_worst(worst, validate_at(inner, depth + 1));
    if (worst.risk == Risk::critical) {
      break;
    }
  }
  return worst;
}

}  // namespace perfgate::safety
