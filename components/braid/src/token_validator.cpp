// components/braid/src/token_validator.cpp — a streaming Python lexer that
// checks definitions, annotations, calls and imports against the IR's
// constraints while the text grows, and undoes a rejected token.
#include "braid/token_validator.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <functional>
#include <optional>
#include <type_traits>
#include <unordered_map>

namespace perfgate::braid {
namespace {

// ---------------------------------------------------------------------------
// The index: what the IR asks, keyed by what the lexer sees.

struct Choice {
  std::string text;
  std::uint32_t id = 0;
};
using Choices = std::vector<Choice>;

struct Prohibitions {
  Choices calls;                       // callee names: "eval", "pickle.loads"
  std::optional<std::uint32_t> shell;  // the keyword argument shell=True
};

struct ImportBans {
  std::optional<std::uint32_t> whole;  // "!import": the module itself
  Choices names;                       // "!import N": from M import N
};

struct Hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct Equal {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};
template <typename V>
using Index = std::unordered_map<std::string, V, Hash, Equal>;

template <typename V>
const V* lookup(const Index<V>& index, std::string_view key) {
  const auto it = index.find(key);
  return it == index.end() ? nullptr : &it->second;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Python's keywords (and the soft ones, and clew's "print"): a keyword
// followed by ':' ("else:", "try:") is not an annotated name.
bool is_keyword(std::string_view w) {
  static constexpr std::array<std::string_view, 39> k_keywords = {
      "False", "None",   "True",     "and",      "as",   "assert", "async",  "await", "break", "case",
      "class", "continue", "def",    "del",      "elif", "else",   "except", "finally", "for",  "from",
      "global", "if",    "import",   "in",       "is",   "lambda", "match",  "nonlocal", "not", "or",
      "pass",  "print",  "raise",    "return",   "try",  "type",   "while",  "with",   "yield"};
  return std::find(k_keywords.begin(), k_keywords.end(), w) != k_keywords.end();
}

// ---------------------------------------------------------------------------
// Which of up to 64 allowed strings the text fed so far is still a prefix of.
// Plain data, so that the whole lexer state can be saved by copying it.

struct PrefixMatch {
  const Choices* choices = nullptr;  // null: nothing to check
  std::uint64_t alive = 0;
  std::uint32_t length = 0;

  void start(const Choices* c) noexcept {
    choices = c;
    length = 0;
    alive = 0;
    if (c != nullptr) {
      const std::size_t n = std::min<std::size_t>(c->size(), 64);
      alive = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    }
  }
  [[nodiscard]] std::uint32_t first_alive_id() const noexcept {
    return (*choices)[static_cast<std::size_t>(std::countr_zero(alive))].id;
  }
  // False (and `blamed` set) when no allowed string continues with `c`.
  bool push(char c, std::uint32_t& blamed) noexcept {
    if (choices == nullptr) {
      return true;
    }
    std::uint64_t next = 0;
    for (std::uint64_t rest = alive; rest != 0; rest &= rest - 1) {
      const auto i = static_cast<std::size_t>(std::countr_zero(rest));
      const std::string& t = (*choices)[i].text;
      if (length < t.size() && t[length] == c) {
        next |= std::uint64_t{1} << i;
      }
    }
    if (next == 0) {
      blamed = first_alive_id();
      return false;
    }
    alive = next;
    ++length;
    return true;
  }
  // True when the text is one of the allowed strings (or nothing is checked).
  bool complete(std::uint32_t& blamed) const noexcept {
    if (choices == nullptr) {
      return true;
    }
    for (std::uint64_t rest = alive; rest != 0; rest &= rest - 1) {
      if ((*choices)[static_cast<std::size_t>(std::countr_zero(rest))].text.size() == length) {
        return true;
      }
    }
    blamed = first_alive_id();
    return false;
  }
};

enum class Mode : std::uint8_t { code, comment, string, quote2 };

// Where in a statement the lexer is.
enum class Stmt : std::uint8_t {
  start,           // before the statement's first word
  generic,         // any other statement, or the rest of one
  async_,          // after "async": "def" may follow
  def_name,        // after "def"
  def_open,        // after the name, before '('
  def_params,      // inside the parameter list
  def_after,       // after ')': "->" or ':'
  def_arrow,       // after '-'
  def_returns,     // the return annotation
  class_name,      // after "class"
  class_rest,      // bases, up to ':'
  import_modules,  // import a.b, c as d
  from_module,     // from a.b
  from_import,     // waiting for "import"
  from_names,      // from a import x, y as z
  annotation,      // name: <type> [= ...]
};

// Parts of one parameter, or of an annotated name.
enum class Part : std::uint8_t { none, name, annotation, rest };

struct State {
  Mode mode = Mode::code;
  char quote = 0;
  bool escape = false;
  bool triple = false;
  std::uint8_t quote_run = 0;
  std::uint32_t string_len = 0;

  bool at_line_start = true;
  bool backslash = false;
  std::uint32_t indent = 0;
  int depth = 0;
  Stmt stmt = Stmt::start;

  bool in_word = false;
  bool word_is_name = false;
  std::uint32_t word_start = 0;

  // The last dotted name (a.b.c): a call of it when '(' follows.
  std::uint32_t chain_start = 0;
  std::uint32_t chain_end = 0;
  bool chain_valid = false;      // a name, not a member of some other expression, nor a name being defined
  bool after_chain = false;      // only blanks since the chain's last word
  bool chain_continues = false;  // a '.' followed the chain
  bool member_next = false;      // a '.' followed something else
  bool shell_eq = false;         // "shell=" seen where shell=True is prohibited
  std::uint32_t shell_id = 0;
  bool skip_alias = false;       // the next word is an alias after "as"

  // Headers and annotations.
  int header_depth = 0;
  bool param_empty = true;
  std::uint32_t param_count = 0;
  Part part = Part::none;
  std::uint32_t name_start = 0;
  std::uint32_t name_end = 0;
  bool annot_started = false;
  bool ws_pending = false;
  bool ws_newline = false;
  std::uint32_t ws_start = 0;
  std::uint32_t header_begin = 0;
  PrefixMatch sig;
  PrefixMatch annot;
};
static_assert(std::is_trivially_copyable_v<State>);

constexpr std::string_view k_module_owner = "<module>";

}  // namespace

// ---------------------------------------------------------------------------

struct TokenValidator::Impl {
  struct Scope {
    std::uint32_t indent = 0;
    std::string name;  // qualified: "C.f"
    bool in_function = false;
    const Prohibitions* calls = nullptr;  // what statements in this scope may not call
  };

  explicit Impl(const Ir& ir);
  TokenVerdict feed(std::string_view token);
  void reset() noexcept;

  // --- the lexer ---
  bool step(char c);
  bool code_char(char c);
  bool string_char(char c);
  bool punct(char c);
  bool on_word(std::uint32_t begin, std::uint32_t end, char next);
  bool header_char(char c, bool code);
  bool params_char(char c, bool code, bool blank);
  bool returns_char(char c, bool code, bool blank);
  bool annotation_char(char c, bool code, bool blank);
  bool end_param();
  bool end_def_header();
  bool end_class_header();
  bool end_statement();
  void start_statement();
  bool check_call();
  [[nodiscard]] const std::uint32_t* module_ban(std::string_view module) const;

  // --- output of the lexer ---
  bool sig_push(char c) {
    std::uint32_t blamed = 0;
    return m_state.sig.push(c, blamed) || reject(blamed, "signature differs");
  }
  bool annot_push(char c) {
    std::uint32_t blamed = 0;
    return m_state.annot.push(c, blamed) || reject(blamed, "annotation differs");
  }
  bool annot_complete() {
    std::uint32_t blamed = 0;
    return m_state.annot.complete(blamed) || reject(blamed, "annotation differs");
  }
  // Pending blanks inside a header: one space where they held a line break
  // (clew joins continued lines with one), else themselves.
  bool flush_ws(bool to_sig, bool to_annot);
  bool reject(std::uint32_t id, std::string_view reason) {
    m_violation = {false, id, reason};
    return false;
  }

  // --- scopes (saved before the first change in a token) ---
  void save_slow() {
    if (m_slow_saved) {
      return;
    }
    m_slow_saved = true;
    m_backup_count = m_scope_count;
    if (m_backup_scopes.size() < m_scope_count) {
      m_backup_scopes.resize(m_scope_count);
    }
    for (std::size_t i = 0; i < m_scope_count; ++i) {
      m_backup_scopes[i] = m_scopes[i];
    }
    m_backup_subject = m_subject;
  }
  void restore_slow() {
    for (std::size_t i = 0; i < m_backup_count; ++i) {
      m_scopes[i] = m_backup_scopes[i];
    }
    m_scope_count = m_backup_count;
    m_subject = m_backup_subject;
  }
  void push_scope(bool function) {
    save_slow();
    const Scope* parent = m_scope_count == 0 ? nullptr : &m_scopes[m_scope_count - 1];
    if (m_scope_count == m_scopes.size()) {
      m_scopes.emplace_back();
      parent = m_scope_count == 0 ? nullptr : &m_scopes[m_scope_count - 1];
    }
    Scope& s = m_scopes[m_scope_count];
    s.indent = m_stmt_indent;
    s.name = m_subject;
    s.in_function = function || (parent != nullptr && parent->in_function);
    s.calls = function ? lookup(m_calls, m_subject) : (parent != nullptr ? parent->calls : m_module_calls);
    ++m_scope_count;
  }
  [[nodiscard]] const Prohibitions* calls_here() const {
    return m_scope_count == 0 ? m_module_calls : m_scopes[m_scope_count - 1].calls;
  }
  [[nodiscard]] bool in_function() const { return m_scope_count != 0 && m_scopes[m_scope_count - 1].in_function; }
  // m_subject = the enclosing scope's name + "." + word.
  void set_subject(std::string_view word) {
    save_slow();
    m_subject.clear();
    if (m_scope_count != 0) {
      m_subject.append(m_scopes[m_scope_count - 1].name).push_back('.');
    }
    m_subject.append(word);
  }
  std::string_view view(std::uint32_t begin, std::uint32_t end) const {
    return std::string_view(m_text).substr(begin, end - begin);
  }
  std::uint32_t pos() const { return static_cast<std::uint32_t>(m_text.size() - 1); }

  // The index.
  Index<Choices> m_signatures;  // function → allowed signatures
  Index<Choices> m_types;       // "f.x", "f.return", "name" → allowed annotations
  Index<Prohibitions> m_calls;  // function or "<module>" → prohibited calls
  Index<ImportBans> m_imports;  // module → what may not be imported from it
  Index<Choices> m_bases;       // class → required bases
  const Prohibitions* m_module_calls = nullptr;
  std::size_t m_checked = 0;

  // The stream.
  State m_state;
  std::string m_text;  // everything accepted so far
  std::vector<Scope> m_scopes;  // [0, m_scope_count) live; the rest kept for their storage
  std::size_t m_scope_count = 0;
  std::uint32_t m_stmt_indent = 0;
  std::string m_subject;  // the function, class or module a header names
  std::string m_scratch;
  TokenVerdict m_violation;

  bool m_slow_saved = false;
  std::vector<Scope> m_backup_scopes;
  std::size_t m_backup_count = 0;
  std::string m_backup_subject;
  std::vector<std::string_view> m_bases_scratch;
};

TokenValidator::Impl::Impl(const Ir& ir) {
  for (const Constraint& c : ir.constraints) {
    const std::string_view value = c.value;
    switch (c.kind) {
      case ConstraintKind::syntactic:
        m_signatures[c.subject].push_back({c.value, c.id});
        ++m_checked;
        break;
      case ConstraintKind::type_safety:
        m_types[c.subject].push_back({c.value, c.id});
        ++m_checked;
        break;
      case ConstraintKind::security:
        if (value == "!shell") {
          m_calls[c.subject].shell = c.id;
        } else if (value == "!pickle") {
          m_calls[c.subject].calls.push_back({"pickle.loads", c.id});
        } else if (value.starts_with('!') && value.size() > 1) {
          m_calls[c.subject].calls.push_back({std::string(value.substr(1)), c.id});
        } else {
          break;
        }
        ++m_checked;
        break;
      case ConstraintKind::architectural: {
        const std::string_view subject = c.subject;
        if (subject.starts_with("module:") && value == "!import") {
          m_imports[std::string(subject.substr(7))].whole = c.id;
        } else if (subject.starts_with("module:") && value.starts_with("!import ")) {
          m_imports[std::string(subject.substr(7))].names.push_back({std::string(trim(value.substr(8))), c.id});
        } else if (subject.starts_with("class:") && value.starts_with("extends ")) {
          m_bases[std::string(subject.substr(6))].push_back({std::string(trim(value.substr(8))), c.id});
        } else {
          break;
        }
        ++m_checked;
        break;
      }
      case ConstraintKind::semantic:
      case ConstraintKind::operational:
        break;
    }
  }
  m_module_calls = lookup(m_calls, k_module_owner);
}

void TokenValidator::Impl::reset() noexcept {
  m_state = State{};
  m_text.clear();
  m_scope_count = 0;
  m_stmt_indent = 0;
  m_subject.clear();
}

TokenVerdict TokenValidator::Impl::feed(std::string_view token) {
  const State saved = m_state;
  const std::size_t saved_size = m_text.size();
  const std::uint32_t saved_indent = m_stmt_indent;
  m_slow_saved = false;
  for (const char c : token) {
    m_text.push_back(c);
    if (!step(c)) {
      m_state = saved;
      m_text.resize(saved_size);
      m_stmt_indent = saved_indent;
      if (m_slow_saved) {
        restore_slow();
      }
      return m_violation;
    }
  }
  return {};
}

bool TokenValidator::Impl::step(char c) {
  State& s = m_state;
  switch (s.mode) {
    case Mode::comment:
      if (c != '\n') {
        return true;
      }
      s.mode = Mode::code;
      return code_char(c);
    case Mode::string:
      return string_char(c);
    case Mode::quote2:
      if (c == s.quote) {
        // A third quote: a triple-quoted string opens.
        s.mode = Mode::string;
        s.triple = true;
        s.quote_run = 0;
        s.string_len = 0;
        return header_char(c, false);
      }
      // "" was an empty string; this character is code again.
      s.mode = Mode::code;
      return code_char(c);
    case Mode::code:
      return code_char(c);
  }
  return true;
}

bool TokenValidator::Impl::string_char(char c) {
  State& s = m_state;
  if (s.escape) {
    s.escape = false;
  } else if (c == '\\') {
    s.escape = true;
  } else if (s.triple) {
    s.quote_run = c == s.quote ? static_cast<std::uint8_t>(s.quote_run + 1) : 0;
    if (s.quote_run == 3) {
      s.mode = Mode::code;
    }
  } else if (c == s.quote) {
    if (s.string_len == 0) {
      s.mode = Mode::quote2;  // "" — empty, or the start of """
      return header_char(c, false);
    }
    s.mode = Mode::code;
  } else if (c == '\n') {
    // An unterminated string ends with its line.
    s.mode = Mode::code;
    return code_char(c);
  }
  ++s.string_len;
  return header_char(c, false);
}

bool TokenValidator::Impl::code_char(char c) {
  State& s = m_state;
  if (s.at_line_start) {
    if (c == ' ' || c == '\t') {
      ++s.indent;
      return true;
    }
    if (c == '\n' || c == '\r' || c == '\f') {
      s.indent = 0;
      return true;
    }
    if (c == '#') {
      s.mode = Mode::comment;
      return true;
    }
    s.at_line_start = false;
    start_statement();
  }
  if (is_word_char(c)) {
    if (!s.in_word) {
      s.in_word = true;
      s.word_start = pos();
      s.word_is_name = !is_digit(c);
      if (s.stmt == Stmt::start && !s.word_is_name) {
        s.stmt = Stmt::generic;
      }
    }
    return header_char(c, true);
  }
  if (s.in_word) {
    s.in_word = false;
    if (s.word_is_name && !on_word(s.word_start, pos(), c)) {
      return false;
    }
  }
  return punct(c);
}

void TokenValidator::Impl::start_statement() {
  State& s = m_state;
  // Scopes end where a statement is indented no deeper than their header.
  if (m_scope_count != 0 && m_scopes[m_scope_count - 1].indent >= s.indent) {
    save_slow();
    while (m_scope_count != 0 && m_scopes[m_scope_count - 1].indent >= s.indent) {
      --m_scope_count;
    }
  }
  m_stmt_indent = s.indent;
  s.stmt = Stmt::start;
  s.depth = 0;
}

bool TokenValidator::Impl::punct(char c) {
  State& s = m_state;
  if (c == '#') {
    s.mode = Mode::comment;
    return true;
  }
  const bool continued = s.backslash;
  s.backslash = c == '\\';
  const bool newline = c == '\n';
  if (newline && s.depth == 0 && !continued) {
    if (!end_statement()) {
      return false;
    }
    s.at_line_start = true;
    s.indent = 0;
    return true;
  }
  if (c == ';' && s.depth == 0) {
    if (!end_statement()) {
      return false;
    }
    s.stmt = Stmt::start;
    return true;
  }
  const bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\\' || newline;
  if (!blank) {
    if (c == '(' && s.after_chain && s.chain_valid && !check_call()) {
      return false;
    }
    if (c == '=') {
      if (s.shell_eq) {
        s.shell_eq = false;  // "==": a comparison
      } else if (s.after_chain && s.chain_valid && view(s.chain_start, s.chain_end) == "shell") {
        const Prohibitions* p = calls_here();
        if (p != nullptr && p->shell) {
          s.shell_eq = true;
          s.shell_id = *p->shell;
        }
      }
    } else {
      s.shell_eq = false;
    }
    if (c == '.') {
      if (s.after_chain) {
        s.chain_continues = true;
      } else {
        s.member_next = true;
      }
    } else {
      s.member_next = false;
      s.chain_continues = false;
    }
    s.after_chain = false;
    if (s.stmt == Stmt::start) {
      s.stmt = Stmt::generic;
    }
  }
  if (c == '"' || c == '\'') {
    s.mode = Mode::string;
    s.quote = c;
    s.triple = false;
    s.escape = false;
    s.string_len = 0;
    return header_char(c, true);
  }
  if (!header_char(c, true)) {
    return false;
  }
  if (c == '(' || c == '[' || c == '{') {
    ++s.depth;
  } else if ((c == ')' || c == ']' || c == '}') && s.depth > 0) {
    --s.depth;
  }
  return true;
}

bool TokenValidator::Impl::on_word(std::uint32_t begin, std::uint32_t end, char next) {
  State& s = m_state;
  const std::string_view word = view(begin, end);
  if (s.shell_eq) {
    s.shell_eq = false;
    if (word == "True") {
      return reject(s.shell_id, "prohibited call");
    }
  }
  if (s.chain_continues) {
    s.chain_end = end;
    s.chain_continues = false;
  } else {
    s.chain_start = begin;
    s.chain_end = end;
    s.chain_valid = !s.member_next;
  }
  s.member_next = false;
  s.after_chain = true;

  switch (s.stmt) {
    case Stmt::start:
      if (word == "def") {
        s.stmt = Stmt::def_name;
      } else if (word == "async") {
        s.stmt = Stmt::async_;
      } else if (word == "class") {
        s.stmt = Stmt::class_name;
      } else if (word == "import") {
        s.stmt = Stmt::import_modules;
        s.skip_alias = false;
      } else if (word == "from") {
        s.stmt = Stmt::from_module;
      } else if (next == ':' && !is_keyword(word) && !in_function()) {
        set_subject(word);
        s.stmt = Stmt::annotation;
        s.part = Part::name;
        s.annot.start(lookup(m_types, m_subject));
      } else {
        s.stmt = Stmt::generic;
      }
      break;
    case Stmt::async_:
      s.stmt = word == "def" ? Stmt::def_name : Stmt::generic;
      break;
    case Stmt::def_name:
      s.chain_valid = false;  // a name being defined is not a call
      set_subject(word);
      s.sig.start(lookup(m_signatures, m_subject));
      s.stmt = Stmt::def_open;
      break;
    case Stmt::class_name:
      s.chain_valid = false;
      set_subject(word);
      s.header_begin = end;
      s.stmt = Stmt::class_rest;
      break;
    case Stmt::import_modules:
      if (s.skip_alias) {
        s.skip_alias = false;
      } else if (word == "as") {
        s.skip_alias = true;
      } else if (next != '.') {
        if (const std::uint32_t* ban = module_ban(view(s.chain_start, s.chain_end))) {
          return reject(*ban, "prohibited import");
        }
      }
      break;
    case Stmt::from_module:
      if (next != '.') {
        const std::string_view module = view(s.chain_start, s.chain_end);
        if (const std::uint32_t* ban = module_ban(module)) {
          return reject(*ban, "prohibited import");
        }
        save_slow();
        m_subject.assign(module);
        s.stmt = Stmt::from_import;
      }
      break;
    case Stmt::from_import:
      s.stmt = word == "import" ? Stmt::from_names : Stmt::generic;
      s.skip_alias = false;
      break;
    case Stmt::from_names:
      if (s.skip_alias) {
        s.skip_alias = false;
      } else if (word == "as") {
        s.skip_alias = true;
      } else if (const ImportBans* bans = lookup(m_imports, m_subject); bans != nullptr) {
        for (const Choice& banned : bans->names) {
          if (banned.text == word) {
            return reject(banned.id, "prohibited import");
          }
        }
      }
      break;
    default:
      break;
  }
  return true;
}

// The ban on importing `module` or a package it belongs to: a ban on "os"
// covers "os.path", since importing a submodule imports its package.
const std::uint32_t* TokenValidator::Impl::module_ban(std::string_view module) const {
  for (std::size_t dot = module.find('.');; dot = module.find('.', dot + 1)) {
    const std::string_view prefix = dot == std::string_view::npos ? module : module.substr(0, dot);
    if (const ImportBans* bans = lookup(m_imports, prefix); bans != nullptr && bans->whole) {
      return &*bans->whole;
    }
    if (dot == std::string_view::npos) {
      return nullptr;
    }
  }
}

bool TokenValidator::Impl::check_call() {
  const Prohibitions* p = calls_here();
  if (p == nullptr) {
    return true;
  }
  const std::string_view callee = view(m_state.chain_start, m_state.chain_end);
  for (const Choice& banned : p->calls) {
    if (banned.text == callee) {
      return reject(banned.id, "prohibited call");
    }
  }
  return true;
}

bool TokenValidator::Impl::header_char(char c, bool code) {
  State& s = m_state;
  const bool blank = code && (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\n' || c == '\\');
  switch (s.stmt) {
    case Stmt::def_open:
      if (blank) {
        return true;
      }
      if (code && c == '(') {
        s.header_depth = s.depth + 1;
        s.param_empty = true;
        s.param_count = 0;
        s.part = Part::none;
        s.ws_pending = false;
        s.stmt = Stmt::def_params;
        return sig_push('(');
      }
      s.stmt = Stmt::generic;
      return true;
    case Stmt::def_params:
      return params_char(c, code, blank);
    case Stmt::def_after:
      if (blank) {
        return true;
      }
      if (code && c == '-') {
        s.stmt = Stmt::def_arrow;
        return true;
      }
      if (code && c == ':' && s.depth == 0) {
        return end_def_header();
      }
      s.stmt = Stmt::generic;
      return true;
    case Stmt::def_arrow:
      if (code && c == '>') {
        s.stmt = Stmt::def_returns;
        m_scratch.assign(m_subject).append(".return");
        s.annot.start(lookup(m_types, m_scratch));
        s.annot_started = false;
        s.ws_pending = false;
        return sig_push(' ') && sig_push('-') && sig_push('>') && sig_push(' ');
      }
      s.stmt = Stmt::generic;
      return true;
    case Stmt::def_returns:
      return returns_char(c, code, blank);
    case Stmt::class_rest:
      if (code && c == ':' && s.depth == 0) {
        return end_class_header();
      }
      return true;
    case Stmt::annotation:
      return annotation_char(c, code, blank);
    default:
      return true;
  }
}

bool TokenValidator::Impl::flush_ws(bool to_sig, bool to_annot) {
  State& s = m_state;
  if (!s.ws_pending) {
    return true;
  }
  s.ws_pending = false;
  // The annotation first, as for every other character: its constraint is
  // the more specific one to blame.
  if (s.ws_newline) {
    return (!to_annot || annot_push(' ')) && (!to_sig || sig_push(' '));
  }
  for (std::uint32_t i = s.ws_start; i < pos(); ++i) {
    if ((to_annot && !annot_push(m_text[i])) || (to_sig && !sig_push(m_text[i]))) {
      return false;
    }
  }
  return true;
}

// One character inside a def's parentheses. Builds the signature the way
// clew normalises it: each parameter trimmed, ", " between them, blanks
// inside a parameter kept, a line break inside one read as a space.
bool TokenValidator::Impl::params_char(char c, bool code, bool blank) {
  State& s = m_state;
  const bool top = code && s.depth == s.header_depth;
  if (blank) {
    if (!s.param_empty) {
      if (!s.ws_pending) {
        s.ws_pending = true;
        s.ws_newline = false;
        s.ws_start = pos();
      }
      s.ws_newline = s.ws_newline || c == '\n' || c == '\\';
    }
    return true;
  }
  if (top && c == ',') {
    if (!end_param()) {
      return false;
    }
    s.param_empty = true;
    s.ws_pending = false;
    return true;
  }
  if (top && c == ')') {
    if (!end_param()) {
      return false;
    }
    s.stmt = Stmt::def_after;
    return sig_push(')');
  }
  if (s.param_empty) {
    if (s.param_count > 0 && !(sig_push(',') && sig_push(' '))) {
      return false;
    }
    s.param_empty = false;
    ++s.param_count;
    s.part = Part::name;
    s.name_start = pos();
    s.name_end = pos();
  }
  switch (s.part) {
    case Part::name:
      if (top && c == ':') {
        std::string_view name = view(s.name_start, s.name_end);
        while (name.starts_with('*')) {
          name.remove_prefix(1);
        }
        m_scratch.assign(m_subject).push_back('.');
        m_scratch.append(name);
        s.annot.start(lookup(m_types, m_scratch));
        s.annot_started = false;
        s.part = Part::annotation;
        return flush_ws(true, false) && sig_push(':');
      }
      if (top && c == '=') {
        s.part = Part::rest;
      }
      if (!flush_ws(true, false)) {
        return false;
      }
      s.name_end = pos() + 1;
      return sig_push(c);
    case Part::annotation:
      if (top && c == '=') {
        s.part = Part::rest;
        return annot_complete() && flush_ws(true, false) && sig_push('=');
      }
      if (!flush_ws(true, s.annot_started)) {
        return false;
      }
      s.annot_started = true;
      return annot_push(c) && sig_push(c);
    case Part::rest:
    case Part::none:
      return flush_ws(true, false) && sig_push(c);
  }
  return true;
}

bool TokenValidator::Impl::end_param() {
  State& s = m_state;
  const bool ok = s.part != Part::annotation || annot_complete();
  s.part = Part::none;
  return ok;
}

bool TokenValidator::Impl::returns_char(char c, bool code, bool blank) {
  State& s = m_state;
  if (code && c == ':' && s.depth == 0) {
    return annot_complete() && end_def_header();
  }
  if (blank) {
    if (s.annot_started) {
      if (!s.ws_pending) {
        s.ws_pending = true;
        s.ws_newline = false;
        s.ws_start = pos();
      }
      s.ws_newline = s.ws_newline || c == '\n' || c == '\\';
    }
    return true;
  }
  if (!flush_ws(true, true)) {
    return false;
  }
  s.annot_started = true;
  return annot_push(c) && sig_push(c);
}

bool TokenValidator::Impl::annotation_char(char c, bool code, bool blank) {
  State& s = m_state;
  if (s.part == Part::name) {
    if (code && c == ':') {
      s.part = Part::annotation;
      s.annot_started = false;
      s.ws_pending = false;
    }
    return true;
  }
  if (s.part != Part::annotation) {
    return true;
  }
  if (code && s.depth == 0 && c == '=') {
    s.part = Part::rest;
    s.stmt = Stmt::generic;
    return annot_complete();
  }
  if (blank) {
    if (s.annot_started) {
      if (!s.ws_pending) {
        s.ws_pending = true;
        s.ws_newline = false;
        s.ws_start = pos();
      }
      s.ws_newline = s.ws_newline || c == '\n' || c == '\\';
    }
    return true;
  }
  if (!flush_ws(false, true)) {
    return false;
  }
  s.annot_started = true;
  return annot_push(c);
}

bool TokenValidator::Impl::end_def_header() {
  State& s = m_state;
  std::uint32_t blamed = 0;
  if (!s.sig.complete(blamed)) {
    return reject(blamed, "signature differs");
  }
  push_scope(true);
  s.stmt = Stmt::generic;
  return true;
}

bool TokenValidator::Impl::end_class_header() {
  State& s = m_state;
  if (const Choices* required = lookup(m_bases, m_subject); required != nullptr) {
    // The bases: the top-level, comma-separated parts between the header's
    // first '(' and its match; keyword arguments (metaclass=...) are not bases.
    const std::string_view header = view(s.header_begin, pos());
    std::vector<std::string_view>& bases = m_bases_scratch;
    bases.clear();
    if (const auto open = header.find('('); open != std::string_view::npos) {
      int depth = 0;
      std::size_t start = open + 1;
      for (std::size_t i = open; i < header.size(); ++i) {
        const char c = header[i];
        if (c == '(' || c == '[' || c == '{') {
          ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
          if (--depth == 0) {
            bases.push_back(trim(header.substr(start, i - start)));
            break;
          }
        } else if (c == ',' && depth == 1) {
          bases.push_back(trim(header.substr(start, i - start)));
          start = i + 1;
        }
      }
    }
    for (const Choice& base : *required) {
      const bool listed = std::any_of(bases.begin(), bases.end(), [&](std::string_view b) {
        return b == base.text && b.find('=') == std::string_view::npos;
      });
      if (!listed) {
        return reject(base.id, "base class missing");
      }
    }
  }
  push_scope(false);
  s.stmt = Stmt::generic;
  return true;
}

// The end of a simple statement (a line break or ';' outside brackets).
bool TokenValidator::Impl::end_statement() {
  State& s = m_state;
  const bool ok = s.stmt != Stmt::annotation || s.part != Part::annotation || annot_complete();
  s.stmt = Stmt::start;
  s.part = Part::none;
  s.after_chain = false;
  s.chain_continues = false;
  s.member_next = false;
  s.shell_eq = false;
  s.depth = 0;
  return ok;
}

// ---------------------------------------------------------------------------

TokenValidator::TokenValidator(const Ir& ir) : m_impl(std::make_unique<Impl>(ir)) {}
TokenValidator::~TokenValidator() = default;
TokenValidator::TokenValidator(TokenValidator&&) noexcept = default;
TokenValidator& TokenValidator::operator=(TokenValidator&&) noexcept = default;

TokenVerdict TokenValidator::feed(std::string_view token) { return m_impl->feed(token); }
void TokenValidator::reset() noexcept { m_impl->reset(); }
std::size_t TokenValidator::checked_constraints() const noexcept { return m_impl->m_checked; }

}  // namespace perfgate::braid
