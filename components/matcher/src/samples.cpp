// components/matcher/src/samples.cpp — the request corpus and its expected
// commands (written from what a person would type at a shell, not from the
// matcher's output).
#include "matcher/samples.hpp"

#include <array>

namespace perfgate::matcher {
namespace {

using enum QueryClass;

constexpr std::array corpus = {
    // Simple: one intent, no slots.
    SampleQuery{simple, "list files", "ls -la"},
    SampleQuery{simple, "show all files", "ls -la"},
    SampleQuery{simple, "list hidden files", "find . -type f -name '.*'"},
    SampleQuery{simple, "show disk usage", "df -h"},
    SampleQuery{simple, "how much disk space is left", "df -h"},
    SampleQuery{simple, "show free memory", "free -h"},
    SampleQuery{simple, "list running processes", "ps aux"},
    SampleQuery{simple, "show listening ports", "ss -tulpn"},
    SampleQuery{simple, "what is my ip address", "ip addr show"},
    SampleQuery{simple, "show my public ip address", "curl -s https://ifconfig.me"},
    SampleQuery{simple, "git status", "git status"},
    SampleQuery{simple, "show uncommitted changes", "git status"},
    SampleQuery{simple, "show git diff", "git diff"},
    SampleQuery{simple, "list branches", "git branch -a"},
    SampleQuery{simple, "what is the current branch", "git branch --show-current"},
    SampleQuery{simple, "undo last commit", "git reset --soft HEAD~1"},
    SampleQuery{simple, "where am i", "pwd"},
    SampleQuery{simple, "show current directory", "pwd"},
    SampleQuery{simple, "what time is it", "date"},
    SampleQuery{simple, "show uptime", "uptime"},
    SampleQuery{simple, "who am i logged in as", "whoami"},
    SampleQuery{simple, "show kernel version", "uname -r"},
    SampleQuery{simple, "which os release is this", "cat /etc/os-release"},
    SampleQuery{simple, "show hostname", "hostname"},
    SampleQuery{simple, "show environment variables", "env"},
    SampleQuery{simple, "print path", "echo \"$PATH\""},
    SampleQuery{simple, "show cpu info", "lscpu"},
    SampleQuery{simple, "list docker containers", "docker ps -a"},
    SampleQuery{simple, "show running containers", "docker ps"},
    SampleQuery{simple, "list docker images", "docker images"},
    SampleQuery{simple, "list services", "systemctl list-units --type=service"},
    SampleQuery{simple, "show command history", "history"},
    SampleQuery{simple, "find symlinks", "find . -type l"},

    // Filter: one intent narrowed by a slot or two.
    SampleQuery{filter, "files larger than 100MB", "find . -type f -size +100M"},
    SampleQuery{filter, "find files smaller than 10kb", "find . -type f -size -10k"},
    SampleQuery{filter, "find all log files", "find . -type f -name '*.log'"},
    SampleQuery{filter, "find *.tmp files", "find . -type f -name '*.tmp'"},
    SampleQuery{filter, "find python files in src/", "find src/ -type f -name '*.py'"},
    SampleQuery{filter, "files modified today", "find . -type f -mtime -1"},
    SampleQuery{filter, "files changed in the last 2 hours", "find . -type f -mmin -120"},
    SampleQuery{filter, "find empty directories", "find . -type d -empty"},
    SampleQuery{filter, "find empty files in /tmp", "find /tmp -type f -empty"},
    SampleQuery{filter, "find files named config.yaml", "find . -type f -name config.yaml"},
    SampleQuery{filter, "show large files", "find . -type f -size +100M"},
    SampleQuery{filter, "show the 5 largest files", "find . -type f -printf '%s\\t%p\\n' | sort -nr | head -n 5"},
    SampleQuery{filter, "biggest folders in /var", "du -h --max-depth=1 /var | sort -rh | head -n 10"},
    SampleQuery{filter, "show recently modified files", "ls -lt . | head -n 11"},
    SampleQuery{filter, "list files sorted by size", "ls -lhS"},
    SampleQuery{filter, "list files sorted by date", "ls -lt"},
    SampleQuery{filter, "size of the src folder", "du -sh src"},
    SampleQuery{filter, "count files in the current directory", "find . -type f | wc -l"},
    SampleQuery{filter, "count lines in main.cpp", "wc -l main.cpp"},
    SampleQuery{filter, "search for 'TODO' in the code", "grep -rn TODO ."},
    SampleQuery{filter, "files containing 'connection refused'", "grep -rl 'connection refused' ."},
    SampleQuery{filter, "show last 50 lines of app.log", "tail -n 50 app.log"},
    SampleQuery{filter, "show the first 20 lines of README.md", "head -n 20 README.md"},
    SampleQuery{filter, "follow server.log", "tail -f server.log"},
    SampleQuery{filter, "show last 5 commits", "git log --oneline -n 5"},
    SampleQuery{filter, "what is using port 8080", "lsof -i :8080"},
    SampleQuery{filter, "top 5 processes by memory", "ps aux --sort=-%mem | head -n 6"},
    SampleQuery{filter, "processes using the most cpu", "ps aux --sort=-%cpu | head -n 11"},
    SampleQuery{filter, "find process named nginx", "pgrep -af nginx"},
    SampleQuery{filter, "kill process named node", "pkill -f node"},
    SampleQuery{filter, "make deploy.sh executable", "chmod +x deploy.sh"},
    SampleQuery{filter, "create a directory called build", "mkdir -p build"},
    SampleQuery{filter, "create file notes.txt", "touch notes.txt"},
    SampleQuery{filter, "ping example.com", "ping -c 4 example.com"},
    SampleQuery{filter, "download https://example.com/file.tar.gz", "curl -LO https://example.com/file.tar.gz"},
    SampleQuery{filter, "extract backup.tar.gz", "tar -xzf backup.tar.gz"},
    SampleQuery{filter, "unzip photos.zip", "unzip photos.zip"},
    SampleQuery{filter, "compress the logs/ folder", "tar -czf logs.tar.gz logs"},
    SampleQuery{filter, "show unique lines in names.txt", "sort names.txt | uniq"},

    // Complex: several slots combined into one command.
    SampleQuery{complex, "find files modified today larger than 1GB excluding node_modules",
                "find . -type f -size +1G -mtime -1 -not -path '*/node_modules/*'"},
    SampleQuery{complex, "find log files older than 30 days in /var/log",
                "find /var/log -type f -name '*.log' -mtime +30"},
    SampleQuery{complex, "delete tmp files older than 7 days",
                "find . -type f -name '*.tmp' -mtime +7 -delete"},
    SampleQuery{complex, "find python files changed in the last 3 days excluding venv and .git",
                "find . -type f -name '*.py' -mtime -3 -not -path '*/venv/*' -not -path '*/.git/*'"},
    SampleQuery{complex, "find files larger than 1.5gb modified this week in ~/Downloads",
                "find ~/Downloads -type f -size +1536M -mtime -7"},
    SampleQuery{complex, "show the 3 largest log files in /var/log",
                "find /var/log -type f -name '*.log' -printf '%s\\t%p\\n' | sort -nr | head -n 3"},
    SampleQuery{complex, "search for 'FIXME' in python files",
                "grep -rn --include='*.py' FIXME ."},
    SampleQuery{complex, "count lines in all python files excluding tests",
                "find . -type f -name '*.py' -not -path '*/tests/*' -exec cat {} + | wc -l"},
    SampleQuery{complex, "show disk usage for all docker containers", "docker ps --all --size"},
    SampleQuery{complex, "replace localhost with 127.0.0.1 in config.ini",
                "sed -i 's/localhost/127.0.0.1/g' config.ini"},
    SampleQuery{complex, "find empty directories under build and delete them",
                "find build -type d -empty -delete"},

    // Requests the static matcher must leave to a model.
    SampleQuery{simple, "write a haiku about autumn", ""},
    SampleQuery{simple, "", ""},
};

}  // namespace

std::span<const SampleQuery> sample_queries() noexcept { return corpus; }

std::string_view to_string(QueryClass c) noexcept {
  switch (c) {
    case QueryClass::simple:
      return "simple";
    case QueryClass::filter:
      return "filter";
    case QueryClass::complex:
      return "complex";
  }
  return "unknown";
}

}  // namespace perfgate::matcher
