// components/matcher/src/query.cpp — analysing a request: words, keywords and
// slots in one pass over the text plus one over the words.
#include "query.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace perfgate::matcher::detail {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool one_of(std::string_view s, std::initializer_list<std::string_view> set) noexcept {
  return std::find(set.begin(), set.end(), s) != set.end();
}

std::optional<std::uint32_t> parse_count(std::string_view s) noexcept {
  static constexpr std::array<std::string_view, 11> words = {"zero", "one", "two",   "three", "four", "five",
                                                             "six",  "seven", "eight", "nine", "ten"};
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (s == words[i]) {
      return static_cast<std::uint32_t>(i);
    }
  }
  std::uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

// "100mb", "1.5gb", "500k": amount and unit as find -size wants them.
std::optional<SizeFilter> parse_size(std::string_view number, std::string_view unit) noexcept {
  std::size_t digits = 0;
  while (digits < number.size() && (is_digit(number[digits]) || number[digits] == '.')) {
    ++digits;
  }
  if (digits == 0) {
    return std::nullopt;
  }
  if (unit.empty()) {
    unit = number.substr(digits);
  } else if (digits != number.size()) {
    return std::nullopt;
  }
  char u = 0;
  if (one_of(unit, {"k", "kb", "kib", "kilobytes"})) {
    u = 'k';
  } else if (one_of(unit, {"m", "mb", "mib", "megabytes", "megs"})) {
    u = 'M';
  } else if (one_of(unit, {"g", "gb", "gib", "gigabytes", "gigs"})) {
    u = 'G';
  } else {
    return std::nullopt;
  }
  // find -size takes whole units: 1.5G becomes 1536M.
  const std::string_view digits_part = number.substr(0, digits);
  const std::size_t dot = digits_part.find('.');
  std::uint64_t whole = 0;
  std::from_chars(digits_part.data(), digits_part.data() + (dot == std::string_view::npos ? digits : dot), whole);
  SizeFilter f;
  f.unit = u;
  f.amount = whole;
  if (dot != std::string_view::npos && dot + 1 < digits_part.size() && u != 'k') {
    const std::uint64_t tenth = static_cast<std::uint64_t>(digits_part[dot + 1] - '0');
    f.amount = whole * 1024 + tenth * 1024 / 10;
    f.unit = u == 'G' ? 'M' : 'k';
  }
  return f;
}

// Words that name file types, and the extension each stands for.
std::string_view extension_of(std::string_view w) noexcept {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 40> table = {{
      {"log", "log"},       {"logs", "log"},   {"txt", "txt"},       {"text", "txt"},   {"python", "py"},
      {"py", "py"},         {"javascript", "js"}, {"js", "js"},      {"typescript", "ts"}, {"ts", "ts"},
      {"json", "json"},     {"markdown", "md"}, {"md", "md"},        {"csv", "csv"},    {"yaml", "yaml"},
      {"yml", "yml"},       {"xml", "xml"},    {"html", "html"},     {"css", "css"},    {"pdf", "pdf"},
      {"jpg", "jpg"},       {"jpeg", "jpeg"},  {"png", "png"},       {"gif", "gif"},    {"cpp", "cpp"},
      {"c++", "cpp"},       {"header", "h"},   {"rust", "rs"},       {"go", "go"},      {"java", "java"},
      {"shell", "sh"},      {"sh", "sh"},      {"zip", "zip"},       {"mp3", "mp3"},    {"mp4", "mp4"},
      {"sql", "sql"},       {"tmp", "tmp"},    {"temporary", "tmp"}, {"backup", "bak"}, {"bak", "bak"},
  }};
  for (const auto& [word, ext] : table) {
    if (word == w) {
      return ext;
    }
  }
  return {};
}

bool is_time_unit(std::string_view w) noexcept {
  return one_of(w, {"day", "days", "hour", "hours", "minute", "minutes", "min", "mins", "week", "weeks", "month",
                    "months"});
}

bool looks_like_path(std::string_view w) noexcept {
  return w.find('/') != std::string_view::npos || w.starts_with("./") || w.starts_with("~") || w == "." ||
         w == "..";
}

// "notes.txt", "archive.tar.gz", "example.com", "https://…": a thing a command acts on.
bool looks_like_target(std::string_view w) noexcept {
  if (looks_like_path(w) || w.starts_with("http://") || w.starts_with("https://")) {
    return true;
  }
  const std::size_t dot = w.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < w.size() && !is_digit(w[0]);
}

}  // namespace

KeywordMap make_keyword_map() {
  KeywordMap map;
  // One call per keyword: each list of surface words lives for its call (a
  // table of nested initializer_lists would leave the inner arrays dangling).
  const auto add = [&map](Kw kw, std::initializer_list<std::string_view> words) {
    for (const std::string_view w : words) {
      map.emplace(w, kw);
    }
  };
  add(Kw::list, {"list", "show", "display", "ls", "print", "view", "see", "get", "what", "which"});
  add(Kw::file, {"file", "files", "document", "documents"});
  add(Kw::dir, {"directory", "directories", "folder", "folders", "dir", "dirs"});
  add(Kw::find, {"find", "search", "locate", "look", "where"});
  add(Kw::del, {"delete", "remove", "erase", "rm", "clean", "cleanup", "purge"});
  add(Kw::larger, {"larger", "bigger", "greater", "over", "above", "more", "exceeding"});
  add(Kw::smaller, {"smaller", "less", "below", "tinier"});
  add(Kw::large, {"large", "big", "huge"});
  add(Kw::small, {"small", "tiny"});
  add(Kw::largest, {"largest", "biggest", "heaviest"});
  add(Kw::modified, {"modified", "changed", "edited", "updated", "touched", "created"});
  add(Kw::recent, {"recent", "recently", "newest", "latest"});
  add(Kw::old, {"old", "older", "oldest", "stale"});
  add(Kw::count, {"count", "number", "many"});
  add(Kw::line, {"line", "lines"});
  add(Kw::disk, {"disk", "disks", "drive", "drives", "filesystem"});
  add(Kw::usage, {"usage", "used", "use", "consumption", "taken", "consuming", "using"});
  add(Kw::space, {"space", "storage", "room"});
  add(Kw::free, {"free", "available", "left", "remaining"});
  add(Kw::memory, {"memory", "ram", "mem"});
  add(Kw::cpu, {"cpu", "processor", "cores"});
  add(Kw::process, {"process", "processes", "task", "tasks", "pid"});
  add(Kw::running, {"running", "active", "alive"});
  add(Kw::kill, {"kill", "terminate", "stop"});
  add(Kw::port, {"port", "ports", "listening"});
  add(Kw::network, {"ip", "address", "interface", "interfaces", "network"});
  add(Kw::git, {"git", "repo", "repository"});
  add(Kw::commit, {"commit", "commits"});
  add(Kw::branch, {"branch", "branches"});
  add(Kw::status, {"status", "uncommitted", "staged", "unstaged"});
  add(Kw::diff, {"diff", "difference", "differences"});
  add(Kw::undo, {"undo", "revert"});
  add(Kw::compress, {"compress", "archive", "tar", "pack", "tarball"});
  add(Kw::extract, {"extract", "unzip", "unpack", "decompress", "untar"});
  add(Kw::hidden, {"hidden", "dotfiles"});
  add(Kw::sort, {"sort", "sorted", "order", "ordered"});
  add(Kw::size, {"size", "sizes", "sized"});
  add(Kw::date, {"date", "time", "clock"});
  add(Kw::docker, {"docker", "container", "containers"});
  add(Kw::image, {"image", "images"});
  add(Kw::service, {"service", "services", "daemon", "daemons"});
  add(Kw::contain, {"containing", "contains", "contain", "mention", "mentioning", "mentions"});
  add(Kw::text, {"text", "string", "word", "phrase", "pattern", "grep"});
  add(Kw::empty, {"empty"});
  add(Kw::symlink, {"symlink", "symlinks", "symbolic"});
  add(Kw::executable, {"executable", "runnable"});
  add(Kw::create, {"create", "make", "new", "mkdir", "touch"});
  add(Kw::kernel, {"kernel"});
  add(Kw::os, {"os", "distro", "distribution", "release"});
  add(Kw::user, {"user", "whoami", "username", "logged"});
  add(Kw::host, {"hostname", "host", "computer", "machine"});
  add(Kw::uptime, {"uptime"});
  add(Kw::current, {"current", "present", "working", "am"});
  add(Kw::env, {"environment", "env", "variables"});
  add(Kw::path, {"path"});
  add(Kw::ping, {"ping", "reachable"});
  add(Kw::download, {"download", "fetch", "wget", "curl"});
  add(Kw::head, {"first", "top", "beginning", "head"});
  add(Kw::tail, {"last", "end", "tail", "bottom"});
  add(Kw::follow, {"follow", "watch", "live", "stream"});
  add(Kw::replace, {"replace", "substitute"});
  add(Kw::unique, {"unique", "distinct", "deduplicate", "duplicates"});
  add(Kw::home, {"home"});
  add(Kw::all, {"all", "every", "everything"});
  add(Kw::history, {"history"});
  add(Kw::public_, {"public", "external"});
  return map;
}

void analyse(std::string_view request, const KeywordMap& keywords, Query& q) {
  q.words.clear();
  q.keywords.reset();
  q.size.reset();
  q.time.reset();
  q.extension = {};
  q.exclude_count = 0;
  q.directory = {};
  q.name = {};
  q.text = {};
  q.target = {};
  q.limit.reset();
  q.number.reset();
  q.lowered.assign(request.size(), '\0');
  std::transform(request.begin(), request.end(), q.lowered.begin(), to_lower);
  const std::string_view lower = q.lowered;

  // Pass 1: words. Quotes group words; trailing punctuation is not part of a word.
  std::size_t i = 0;
  while (i < request.size()) {
    const char c = request[i];
    if (is_space(c) || c == ',' || c == ';' || c == '?' || c == '!' || c == '(' || c == ')') {
      ++i;
      continue;
    }
    Word w;
    std::size_t begin = i;
    std::size_t end = 0;
    if (c == '\'' || c == '"' || c == '`') {
      const std::size_t close = request.find(c, i + 1);
      begin = i + 1;
      end = close == std::string_view::npos ? request.size() : close;
      i = end + 1;
      w.quoted = true;
    } else {
      while (i < request.size() && !is_space(request[i]) && request[i] != ',' && request[i] != ';' &&
             request[i] != '?' && request[i] != '!' && request[i] != '(' && request[i] != ')') {
        ++i;
      }
      end = i;
      while (end > begin + 1 && (request[end - 1] == '.' || request[end - 1] == ':')) {
        --end;
      }
    }
    w.lower = lower.substr(begin, end - begin);
    w.original = request.substr(begin, end - begin);
    if (!w.quoted) {
      auto it = keywords.find(w.lower);
      // A light stemmer: "logs" → "log", "matches" → "match", when only the stem is known.
      if (it == keywords.end() && w.lower.size() > 3 && w.lower.back() == 's') {
        it = keywords.find(w.lower.substr(0, w.lower.size() - 1));
      }
      if (it != keywords.end()) {
        w.keyword = it->second;
        q.keywords.set(static_cast<std::size_t>(it->second));
      }
    }
    q.words.push_back(w);
  }

  // Pass 2: slots, reading each word with its neighbours.
  auto& ws = q.words;
  const std::size_t n = ws.size();
  const auto word = [&](std::size_t k) -> std::string_view { return k < n ? ws[k].lower : std::string_view{}; };
  const auto is_kw = [&](std::size_t k, Kw kw) { return k < n && ws[k].keyword == kw; };
  const auto skip_article = [&](std::size_t k) {
    return k < n && !ws[k].quoted && one_of(ws[k].lower, {"the", "a", "an", "my", "all"}) ? k + 1 : k;
  };
  for (std::size_t k = 0; k < n; ++k) {
    Word& w = ws[k];
    if (w.used) {
      continue;
    }
    const std::string_view lw = w.lower;
    if (w.quoted) {
      if (q.text.empty()) {
        q.text = w.original;
        w.used = true;
      }
      continue;
    }
    // Sizes: "100mb", "100 mb", with the comparison a few words before.
    if (!lw.empty() && is_digit(lw[0])) {
      auto size = parse_size(lw, {});
      std::size_t last = k;
      if (!size && k + 1 < n) {
        size = parse_size(lw, word(k + 1));
        last = k + 1;
      }
      if (size) {
        for (std::size_t b = k; b-- > 0 && b + 4 > k;) {
          if (ws[b].keyword == Kw::smaller || (ws[b].lower == "most" && b > 0 && ws[b - 1].lower == "at")) {
            size->sign = '-';
            break;
          }
          if (ws[b].keyword == Kw::larger) {
            break;
          }
        }
        q.size = size;
        for (std::size_t u = k; u <= last; ++u) {
          ws[u].used = true;
        }
        continue;
      }
    }
    // Times: today, yesterday, this/last/past week|month, last N days|hours|minutes, older than N days.
    if (lw == "today") {
      q.time = TimeFilter{false, '-', 1};
      w.used = true;
      continue;
    }
    if (lw == "yesterday") {
      q.time = TimeFilter{false, ' ', 1};
      w.used = true;
      continue;
    }
    if ((lw == "this" || lw == "last" || lw == "past") && (word(k + 1) == "week" || word(k + 1) == "month")) {
      q.time = TimeFilter{false, '-', word(k + 1) == "week" ? 7U : 30U};
      w.used = ws[k + 1].used = true;
      continue;
    }
    if (const auto count = parse_count(lw); count && is_time_unit(word(k + 1))) {
      const std::string_view unit = word(k + 1);
      TimeFilter t{false, '-', *count};
      if (unit.starts_with("hour")) {
        t = {true, '-', *count * 60};
      } else if (unit.starts_with("min")) {
        t = {true, '-', *count};
      } else if (unit.starts_with("week")) {
        t.amount = *count * 7;
      } else if (unit.starts_with("month")) {
        t.amount = *count * 30;
      }
      // "older than 30 days", "30 days old", "more than 30 days ago" look back.
      for (std::size_t b = k; b-- > 0 && b + 3 > k;) {
        if (ws[b].keyword == Kw::old || ws[b].lower == "before") {
          t.sign = '+';
        }
      }
      if (word(k + 2) == "old" || word(k + 2) == "ago") {
        t.sign = word(k + 2) == "ago" && !(k > 0 && ws[k - 1].lower == "than") ? '-' : '+';
        if (k + 2 < n) {
          ws[k + 2].used = true;
        }
      }
      q.time = t;
      w.used = ws[k + 1].used = true;
      if (k > 0 && (ws[k - 1].lower == "last" || ws[k - 1].lower == "past")) {
        ws[k - 1].used = true;
      }
      continue;
    }
    // Limits: "top 5", "first 20 lines", "last 50", "10 largest".
    if ((w.keyword == Kw::head || w.keyword == Kw::tail) && k + 1 < n) {
      if (const auto count = parse_count(word(k + 1)); count && !is_time_unit(word(k + 2))) {
        q.limit = *count;
        ws[k + 1].used = true;
        continue;
      }
    }
    if (const auto count = parse_count(lw);
        count && k + 1 < n && (is_kw(k + 1, Kw::largest) || is_kw(k + 1, Kw::recent) || word(k + 1) == "most")) {
      q.limit = *count;
      w.used = true;
      continue;
    }
    // Extensions: "*.log", ".py", "log files", "python files".
    if (lw.starts_with("*.") && lw.size() > 2) {
      q.extension = w.original.substr(2);
      w.used = true;
      continue;
    }
    if (lw.size() > 1 && lw[0] == '.' && lw.find('/') == std::string_view::npos && lw != "..") {
      q.extension = w.original.substr(1);
      w.used = true;
      continue;
    }
    if (const std::string_view ext = extension_of(lw); !ext.empty() && is_kw(k + 1, Kw::file)) {
      q.extension = ext;
      w.used = true;
      continue;
    }
    // Exclusions: "excluding node_modules", "except .git and dist".
    if (one_of(lw, {"excluding", "except", "exclude", "without", "ignoring", "ignore", "skipping", "skip"})) {
      std::size_t e = skip_article(k + 1);
      while (e < n && q.exclude_count < q.excludes.size()) {
        q.excludes[q.exclude_count++] = ws[e].original;
        ws[e].used = true;
        if (word(e + 1) == "and" || word(e + 1) == "or") {
          e += 2;
        } else {
          break;
        }
      }
      w.used = true;
      continue;
    }
    // Names: "named notes.txt", "called build".
    if ((lw == "named" || lw == "called") && k + 1 < n) {
      q.name = ws[k + 1].original;
      w.used = ws[k + 1].used = true;
      continue;
    }
    // Text: "containing TODO".
    if (w.keyword == Kw::contain && k + 1 < n && q.text.empty()) {
      const std::size_t t = skip_article(k + 1);
      if (t < n && (ws[t].quoted || (!ws[t].keyword && extension_of(ws[t].lower).empty()))) {
        q.text = ws[t].original;
        ws[t].used = true;
      }
      continue;
    }
    // Directories: "in /var/log", "under build", "in the src folder", "in the
    // current directory". After "in", "from" and "of" a bare word is only a
    // directory when a directory word follows ("in the last 7 days" is not);
    // after "under", "inside" and "within" it always is.
    if (one_of(lw, {"in", "under", "inside", "within", "from", "of"}) && k + 1 < n) {
      const bool strong = one_of(lw, {"under", "inside", "within"});
      const std::size_t d = skip_article(k + 1);
      if (d < n && (is_kw(d, Kw::current) || word(d) == "this") && is_kw(d + 1, Kw::dir)) {
        q.directory = ".";
        ws[d].used = ws[d + 1].used = true;
      } else if (d < n && is_kw(d, Kw::home) && (is_kw(d + 1, Kw::dir) || d + 1 == n)) {
        q.directory = "~";
        ws[d].used = true;
        if (d + 1 < n) {
          ws[d + 1].used = true;
        }
      } else if (d < n && !ws[d].keyword && !ws[d].quoted &&
                 (looks_like_path(ws[d].lower) || is_kw(d + 1, Kw::dir) || strong) &&
                 !looks_like_target(ws[d].lower.substr(ws[d].lower.rfind('/') + 1))) {
        q.directory = ws[d].original;
        ws[d].used = true;
        if (is_kw(d + 1, Kw::dir)) {
          ws[d + 1].used = true;
        }
      }
      continue;
    }
  }
  // A word a slot took no longer counts as a keyword: "current" in "in the
  // current directory" is a place, not a request for the current directory.
  q.keywords.reset();
  for (const Word& w : ws) {
    if (w.keyword && !w.used) {
      q.keywords.set(static_cast<std::size_t>(*w.keyword));
    }
  }
  // Leftovers: the first file-like word is the target, the first bare number a number.
  for (Word& w : ws) {
    if (w.used || w.keyword) {
      continue;
    }
    if (q.target.empty() && (looks_like_target(w.lower) || w.quoted)) {
      q.target = w.original;
      w.used = true;
    } else if (!q.number) {
      if (const auto v = parse_count(w.lower); v && !w.lower.empty() && is_digit(w.lower[0])) {
        q.number = v;
        w.used = true;
      }
    }
  }
}

}  // namespace perfgate::matcher::detail
