// components/matcher/src/patterns.cpp — the patterns: which keywords a request
// needs for each, and how each builds its command from the request's slots.
#include <string>
#include <string_view>

#include "pattern_table.hpp"

namespace perfgate::matcher {
namespace {

using detail::Kw;
using detail::Query;
using Pattern = PatternTable::Pattern;

bool is_safe_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == '/' || c == ':' || c == '@' || c == '%' || c == '+' || c == '=' || c == ',';
}

// `s` in single quotes (a quote inside becomes '\''): nothing in it is expanded.
std::string single_quote(std::string_view s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

// A word from the request as one shell word: bare when it is plain, else
// single-quoted.
std::string quote(std::string_view s) {
  bool plain = !s.empty();
  for (const char c : s) {
    plain = plain && is_safe_char(c);
  }
  return plain ? std::string(s) : single_quote(s);
}

// Like quote(), but a leading "~" stays outside the quotes so the shell still
// expands it to the home directory.
std::string quote_path(std::string_view s) {
  if (s == "~") {
    return "~";
  }
  if (s.starts_with("~/")) {
    return "~/" + (s.size() > 2 ? quote(s.substr(2)) : std::string());
  }
  return quote(s);
}

std::string dir_of(const Query& q) { return q.directory.empty() ? "." : quote_path(q.directory); }

std::uint32_t limit_of(const Query& q, std::uint32_t fallback) {
  return q.limit ? *q.limit : q.number ? *q.number : fallback;
}

// find's tests for every slot a request can narrow a search with.
std::string find_tests(const Query& q) {
  std::string c;
  if (!q.name.empty()) {
    c += " -name " + quote(q.name);
  } else if (!q.extension.empty()) {
    c += " -name " + quote("*." + std::string(q.extension));
  }
  if (q.has(Kw::hidden)) {
    c += " -name '.*'";
  }
  if (q.has(Kw::empty)) {
    c += " -empty";
  }
  if (q.size) {
    c += " -size ";
    c += q.size->sign;
    c += std::to_string(q.size->amount);
    c += q.size->unit;
  } else if (q.has(Kw::large)) {
    c += " -size +100M";
  } else if (q.has(Kw::small)) {
    c += " -size -1k";
  }
  if (q.time) {
    c += q.time->minutes ? " -mmin " : " -mtime ";
    if (q.time->sign != ' ') {
      c += q.time->sign;
    }
    c += std::to_string(q.time->amount);
  }
  for (std::size_t i = 0; i < q.exclude_count; ++i) {
    c += " -not -path " + quote("*/" + std::string(q.excludes[i]) + "/*");
  }
  return c;
}

std::string find_command(const Query& q, char type) {
  std::string c = "find " + dir_of(q) + " -type ";
  c += type;
  c += find_tests(q);
  if (q.has(Kw::del)) {
    c += " -delete";
  }
  return c;
}

std::string target_or_name(const Query& q) { return std::string(q.target.empty() ? q.name : q.target); }

bool has_target(const Query& q) { return !q.target.empty() || !q.name.empty(); }

bool has_text(const Query& q) { return !q.text.empty(); }

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

std::string escape_sed(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '/' || c == '\\' || c == '&') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  return out;
}

// "replace foo with bar in config.txt": the words after "replace", "with" and "in".
std::string replace_command(const Query& q) {
  std::string_view from;
  std::string_view to;
  std::string_view file = q.target;
  for (std::size_t i = 0; i + 1 < q.words.size(); ++i) {
    const auto& w = q.words[i];
    if (w.keyword == Kw::replace && from.empty()) {
      from = q.words[i + 1].original;
    } else if (w.lower == "with" && !from.empty() && to.empty()) {
      to = q.words[i + 1].original;
    } else if ((w.lower == "in" || w.lower == "inside") && !to.empty() && file.empty()) {
      file = q.words[i + 1].original;
    }
  }
  return "sed -i " + single_quote("s/" + escape_sed(from) + "/" + escape_sed(to) + "/g") + " " +
         (file.empty() ? std::string("FILE") : quote_path(file));
}

bool replace_complete(const Query& q) {
  bool with = false;
  for (const auto& w : q.words) {
    with = with || w.lower == "with";
  }
  return with && !q.target.empty();
}

}  // namespace

std::vector<Pattern> make_patterns() {
  std::vector<Pattern> p;
  const auto add = [&p](std::string_view id, std::vector<std::vector<Kw>> all_of, std::vector<Kw> none_of,
                        bool (*when)(const Query&), std::string (*build)(const Query&)) {
    p.push_back({id, std::move(all_of), std::move(none_of), when, build, 0});
  };
  // A quoted text in a search request is something to grep for, not a file test.
  const auto any_filter = [](const Query& q) { return (q.has_file_filter() || q.has(Kw::find)) && q.text.empty(); };

  // Files and directories.
  add("find-files", {{Kw::file}}, {Kw::count, Kw::largest, Kw::contain, Kw::line, Kw::create}, any_filter,
      [](const Query& q) { return find_command(q, 'f'); });
  add("find-dirs", {{Kw::dir}}, {Kw::count, Kw::largest, Kw::usage, Kw::size, Kw::space, Kw::create, Kw::current},
      any_filter, [](const Query& q) { return find_command(q, 'd'); });
  add("find-by-type", {{Kw::find}}, {Kw::contain, Kw::process, Kw::text},
      [](const Query& q) { return (!q.extension.empty() || !q.name.empty()) && q.text.empty(); },
      [](const Query& q) { return find_command(q, 'f'); });
  add("list-files", {{Kw::list}, {Kw::file, Kw::dir, Kw::hidden, Kw::all}},       {Kw::disk, Kw::process, Kw::docker, Kw::current, Kw::largest, Kw::recent}, nullptr, [](const Query& q) {
        const std::string where = q.directory.empty() ? "" : " " + quote_path(q.directory);
        if (q.has(Kw::sort) && q.has(Kw::size)) {
          return "ls -lhS" + where;
        }
        if (q.has(Kw::sort) && q.has_any({Kw::date, Kw::modified, Kw::recent})) {
          return "ls -lt" + where;
        }
        return "ls -la" + where;
      });
  add("largest-files", {{Kw::largest}, {Kw::file}}, {}, nullptr, [](const Query& q) {
    return "find " + dir_of(q) + " -type f" + find_tests(q) + " -printf '%s\\t%p\\n' | sort -nr | head -n " +
           std::to_string(limit_of(q, 10));
  });
  add("largest-dirs", {{Kw::largest}, {Kw::dir}}, {}, nullptr, [](const Query& q) {
    return "du -h --max-depth=1 " + dir_of(q) + " | sort -rh | head -n " + std::to_string(limit_of(q, 10));
  });
  add("recent-files", {{Kw::recent}, {Kw::file, Kw::modified}}, {Kw::largest, Kw::commit}, nullptr,
      [](const Query& q) {
        return "ls -lt " + dir_of(q) + " | head -n " + std::to_string(limit_of(q, 10) + 1);
      });
  add("count-files", {{Kw::count}, {Kw::file}}, {Kw::line}, nullptr,
      [](const Query& q) { return "find " + dir_of(q) + " -type f" + find_tests(q) + " | wc -l"; });
  add("count-lines", {{Kw::count}, {Kw::line}}, {}, nullptr, [](const Query& q) {
    if (!q.target.empty()) {
      return "wc -l " + quote_path(q.target);
    }
    return "find " + dir_of(q) + " -type f" + find_tests(q) + " -exec cat {} + | wc -l";
  });
  add("grep-files", {{Kw::file}, {Kw::contain}}, {Kw::count}, has_text, [](const Query& q) {
    std::string c = "grep -rl";
    if (!q.extension.empty()) {
      c += " --include=" + quote("*." + std::string(q.extension));
    }
    return c + " " + quote(q.text) + " " + dir_of(q);
  });
  add("grep-text", {{Kw::find, Kw::contain, Kw::text, Kw::list}}, {Kw::process}, has_text,
      [](const Query& q) {
        std::string c = "grep -rn";
        if (!q.extension.empty()) {
          c += " --include=" + quote("*." + std::string(q.extension));
        }
        return c + " " + quote(q.text) + " " + (q.target.empty() ? dir_of(q) : quote_path(q.target));
      });
  add("symlinks", {{Kw::symlink}}, {}, nullptr, [](const Query& q) { return "find " + dir_of(q) + " -type l"; });
  add("make-dir", {{Kw::create}, {Kw::dir}}, {}, has_target,
      [](const Query& q) { return "mkdir -p " + quote_path(target_or_name(q)); });
  add("make-file", {{Kw::create}, {Kw::file}}, {}, has_target,
      [](const Query& q) { return "touch " + quote_path(target_or_name(q)); });
  add("make-executable", {{Kw::executable}}, {}, has_target,
      [](const Query& q) { return "chmod +x " + quote_path(target_or_name(q)); });
  add("head-file", {{Kw::head}}, {Kw::process, Kw::largest}, has_target, [](const Query& q) {
    return "head -n " + std::to_string(limit_of(q, 10)) + " " + quote_path(target_or_name(q));
  });
  add("follow-file", {{Kw::follow}}, {}, has_target,
      [](const Query& q) { return "tail -f " + quote_path(target_or_name(q)); });
  add("tail-file", {{Kw::tail}}, {Kw::commit, Kw::follow}, has_target, [](const Query& q) {
    return "tail -n " + std::to_string(limit_of(q, 10)) + " " + quote_path(target_or_name(q));
  });
  add("unique-lines", {{Kw::unique}}, {}, has_target,
      [](const Query& q) { return "sort " + quote_path(target_or_name(q)) + " | uniq"; });
  add("sort-file", {{Kw::sort}, {Kw::line}}, {}, has_target,
      [](const Query& q) { return "sort " + quote_path(target_or_name(q)); });
  add("replace-text", {{Kw::replace}}, {}, replace_complete, replace_command);
  add("compress", {{Kw::compress}}, {Kw::extract}, [](const Query& q) { return has_target(q) || !q.directory.empty(); },
      [](const Query& q) {
        std::string what(q.target.empty() ? (q.name.empty() ? q.directory : q.name) : q.target);
        while (what.size() > 1 && what.back() == '/') {
          what.pop_back();
        }
        return "tar -czf " + quote_path(what + ".tar.gz") + " " + quote_path(what);
      });
  add("extract", {{Kw::extract}}, {}, has_target, [](const Query& q) {
    const std::string t = target_or_name(q);
    if (ends_with(t, ".zip")) {
      return "unzip " + quote_path(t);
    }
    if (ends_with(t, ".tar.bz2") || ends_with(t, ".tbz2")) {
      return "tar -xjf " + quote_path(t);
    }
    if (ends_with(t, ".tar")) {
      return "tar -xf " + quote_path(t);
    }
    return "tar -xzf " + quote_path(t);
  });

  // Disks and memory.
  add("docker-disk", {{Kw::docker}, {Kw::disk, Kw::usage, Kw::size, Kw::space}}, {}, nullptr,
      [](const Query&) { return std::string("docker ps --all --size"); });
  add("dir-size", {{Kw::size, Kw::usage, Kw::space}}, {Kw::largest, Kw::docker, Kw::file},
      [](const Query& q) { return q.has(Kw::dir) || !q.directory.empty(); },
      [](const Query& q) { return "du -sh " + dir_of(q); });
  add("disk-free", {{Kw::disk, Kw::space}}, {Kw::docker, Kw::largest, Kw::memory}, nullptr,
      [](const Query&) { return std::string("df -h"); });
  add("memory", {{Kw::memory}}, {Kw::process}, nullptr, [](const Query&) { return std::string("free -h"); });

  // Processes, ports, network.
  add("top-memory", {{Kw::process}, {Kw::memory}}, {}, nullptr, [](const Query& q) {
    return "ps aux --sort=-%mem | head -n " + std::to_string(limit_of(q, 10) + 1);
  });
  add("top-cpu", {{Kw::process}, {Kw::cpu}}, {}, nullptr, [](const Query& q) {
    return "ps aux --sort=-%cpu | head -n " + std::to_string(limit_of(q, 10) + 1);
  });
  add("cpu-info", {{Kw::cpu}}, {Kw::process}, nullptr, [](const Query&) { return std::string("lscpu"); });
  add("kill-process", {{Kw::kill}, {Kw::process}}, {Kw::docker},
      [](const Query& q) { return !q.name.empty() || !q.text.empty(); },
      [](const Query& q) { return "pkill -f " + quote(q.name.empty() ? q.text : q.name); });
  add("find-process", {{Kw::process, Kw::find}}, {Kw::kill, Kw::file},
      [](const Query& q) { return !q.name.empty(); },
      [](const Query& q) { return "pgrep -af " + quote(q.name); });
  add("list-processes", {{Kw::process}}, {}, nullptr, [](const Query&) { return std::string("ps aux"); });
  add("port-user", {{Kw::port}}, {}, [](const Query& q) { return q.number.has_value(); },
      [](const Query& q) { return "lsof -i :" + std::to_string(*q.number); });
  add("listening-ports", {{Kw::port}}, {}, nullptr, [](const Query&) { return std::string("ss -tulpn"); });
  add("public-ip", {{Kw::public_}, {Kw::network}}, {}, nullptr,
      [](const Query&) { return std::string("curl -s https://ifconfig.me"); });
  add("ip-address", {{Kw::network}}, {Kw::port}, nullptr, [](const Query&) { return std::string("ip addr show"); });
  add("ping", {{Kw::ping}}, {}, has_target, [](const Query& q) {
    return "ping -c " + std::to_string(q.number.value_or(4)) + " " + quote(target_or_name(q));
  });
  add("download", {{Kw::download}}, {}, [](const Query& q) { return q.target.starts_with("http"); },
      [](const Query& q) { return "curl -LO " + quote(q.target); });

  // Git.
  add("git-undo", {{Kw::undo}, {Kw::commit}}, {}, nullptr,
      [](const Query&) { return std::string("git reset --soft HEAD~1"); });
  add("git-log", {{Kw::commit}}, {Kw::undo}, nullptr,
      [](const Query& q) {
        // "the last commit": one; "commits": ten unless a count is given.
        bool singular = false;
        for (const auto& w : q.words) {
          singular = singular || w.lower == "commit";
        }
        return "git log --oneline -n " + std::to_string(limit_of(q, singular && q.has(Kw::tail) ? 1 : 10));
      });
  add("git-current-branch", {{Kw::branch}, {Kw::current}}, {}, nullptr,
      [](const Query&) { return std::string("git branch --show-current"); });
  add("git-branches", {{Kw::branch}}, {}, nullptr, [](const Query&) { return std::string("git branch -a"); });
  add("git-diff", {{Kw::diff}}, {}, nullptr, [](const Query&) { return std::string("git diff"); });
  add("git-status", {{Kw::status}}, {}, nullptr, [](const Query&) { return std::string("git status"); });
  add("git-status-changes", {{Kw::git}, {Kw::modified, Kw::list}}, {Kw::commit, Kw::branch, Kw::diff}, nullptr,
      [](const Query&) { return std::string("git status"); });

  // Containers and services.
  add("docker-images", {{Kw::docker, Kw::image}, {Kw::image}}, {}, nullptr,
      [](const Query&) { return std::string("docker images"); });
  add("docker-stop-all", {{Kw::docker}, {Kw::kill}}, {}, nullptr,
      [](const Query&) { return std::string("docker stop $(docker ps -q)"); });
  add("docker-running", {{Kw::docker}, {Kw::running}}, {}, nullptr,
      [](const Query&) { return std::string("docker ps"); });
  add("docker-all", {{Kw::docker}}, {}, nullptr, [](const Query&) { return std::string("docker ps -a"); });
  add("running-services", {{Kw::service}, {Kw::running}}, {}, nullptr, [](const Query&) {
    return std::string("systemctl list-units --type=service --state=running");
  });
  add("services", {{Kw::service}}, {}, nullptr,
      [](const Query&) { return std::string("systemctl list-units --type=service"); });

  // The system.
  add("current-dir", {{Kw::current}, {Kw::dir}}, {Kw::size, Kw::usage, Kw::file}, nullptr,
      [](const Query&) { return std::string("pwd"); });
  add("where-am-i", {{Kw::find}, {Kw::current}}, {Kw::file}, nullptr,
      [](const Query&) { return std::string("pwd"); });
  add("date", {{Kw::date}}, {Kw::file, Kw::sort, Kw::modified}, nullptr,
      [](const Query&) { return std::string("date"); });
  add("uptime", {{Kw::uptime}}, {}, nullptr, [](const Query&) { return std::string("uptime"); });
  add("whoami", {{Kw::user}}, {}, nullptr, [](const Query&) { return std::string("whoami"); });
  add("kernel", {{Kw::kernel}}, {}, nullptr, [](const Query&) { return std::string("uname -r"); });
  add("os-release", {{Kw::os}}, {}, nullptr, [](const Query&) { return std::string("cat /etc/os-release"); });
  add("hostname", {{Kw::host}}, {}, nullptr, [](const Query&) { return std::string("hostname"); });
  add("path-variable", {{Kw::path}}, {Kw::file, Kw::dir}, nullptr,
      [](const Query&) { return std::string("echo \"$PATH\""); });
  add("environment", {{Kw::env}}, {}, nullptr, [](const Query&) { return std::string("env"); });
  add("history", {{Kw::history}}, {Kw::commit, Kw::git}, nullptr,
      [](const Query&) { return std::string("history"); });
  return p;
}

}  // namespace perfgate::matcher
