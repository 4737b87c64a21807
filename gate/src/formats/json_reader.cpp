// gate/src/formats/json_reader.cpp — the strict JSON pull reader (RFC 8259, UTF-8).
#include "formats/json_reader.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "gate/error.hpp"
#include "formats/block_scan.hpp"
#include "formats/text_location.hpp"

namespace gate::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// A byte as a message shows it: 'x' when printable, else its code.
std::string show_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u == 0) return "a NUL byte";
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  static constexpr char k_hex[] = "0123456789abcdef";
  return std::string("byte 0x") + k_hex[u >> 4] + k_hex[u & 0xF];
}

}  // namespace

std::string_view describe(JsonType type) {
  switch (type) {
    case JsonType::object: return "an object";
    case JsonType::array: return "an array";
    case JsonType::string: return "a string";
    case JsonType::number: return "a number";
    case JsonType::boolean: return "a boolean";
    case JsonType::null: return "null";
    case JsonType::non_finite: return "a non-finite number";
  }
  return "a value";
}

JsonReader::JsonReader(std::string_view text, std::string source, JsonReaderOptions options)
    : m_text(text), m_source(std::move(source)), m_options(options) {
  m_options.max_depth = std::min(m_options.max_depth, k_max_json_depth);
  m_levels.reserve(16);
  if (m_options.allow_byte_order_mark && m_text.starts_with("\xEF\xBB\xBF")) m_pos = 3;
}

void JsonReader::fail_at(std::size_t offset, std::string_view what) const {
  throw Error(escape_for_message(m_source + ":" + to_string(locate(m_text, offset)) + ": " + std::string(what)));
}

void JsonReader::fail_syntax(std::size_t offset, std::string_view what) const {
  if (m_options.error_label.empty()) fail_at(offset, what);
  fail_at(offset, std::string(m_options.error_label) + ": " + std::string(what));
}

void JsonReader::fail_end() const { fail_syntax(m_text.size(), "unexpected end of file (truncated json)"); }

void JsonReader::fail_unexpected(std::string_view expected) const {
  if (m_pos >= m_text.size()) fail_end();
  fail_syntax(m_pos, "expected " + std::string(expected) + ", found " + show_byte(m_text[m_pos]));
}

void JsonReader::fail_type(std::string_view wanted) {
  JsonType t = peek();
  fail_at(m_pos, "expected " + std::string(wanted) + ", found " + std::string(describe(t)));
}

void JsonReader::skip_ws_run() {
  const std::size_t n = m_text.size();
  const char* p = m_text.data();
  while (m_pos < n) {
    char c = p[m_pos];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++m_pos;
      // Indentation: runs of spaces, a block at a time.
      if constexpr (block_scan::k_blocks) {
        while (m_pos + block_scan::k_block <= n) {
          const std::size_t k = block_scan::leading_spaces(p + m_pos);
          m_pos += k;
          if (k < block_scan::k_block) break;
        }
      }
    } else if (c == '/' && m_options.allow_comments) {
      skip_comment();
    } else {
      return;
    }
  }
}

// A comment's text may be any UTF-8 but NUL: it is never shown, yet a NUL
// or a broken byte in it means the file is not the text it seems to be.
void JsonReader::skip_comment() {
  const std::size_t n = m_text.size();
  const std::size_t start = m_pos;
  if (m_pos + 1 >= n || (m_text[m_pos + 1] != '/' && m_text[m_pos + 1] != '*')) {
    fail_syntax(m_pos, "expected a comment ('//' or '/*') after '/'");
  }
  const bool line = m_text[m_pos + 1] == '/';
  m_pos += 2;
  while (m_pos < n) {
    auto c = static_cast<unsigned char>(m_text[m_pos]);
    if (line && (c == '\n' || c == '\r')) return;  // the line end is whitespace
    if (!line && c == '*' && m_pos + 1 < n && m_text[m_pos + 1] == '/') {
      m_pos += 2;
      return;
    }
    if (c == 0) fail_syntax(m_pos, "a NUL byte in a comment");
    if (c < 0x80) {
      ++m_pos;
      continue;
    }
    std::size_t length = utf8_length(m_text, m_pos);
    if (length == 0) fail_syntax(m_pos, "invalid utf-8 in comment");
    m_pos += length;
  }
  if (!line) {
    fail_syntax(n, "unterminated comment (opened at " + to_string(locate(m_text, start)) +
                       "): missing closing '*/'");
  }
}

bool JsonReader::non_finite_token(std::size_t& length) const {
  if (!m_options.allow_non_finite) return false;
  std::string_view rest = m_text.substr(m_pos);
  for (std::string_view token : {"NaN", "Infinity", "-Infinity"}) {
    if (rest.substr(0, token.size()) == token) {
      length = token.size();
      return true;
    }
  }
  return false;
}

JsonType JsonReader::peek() {
  skip_ws();
  if (m_pos >= m_text.size()) fail_end();
  std::size_t length = 0;
  switch (m_text[m_pos]) {
    case '{': return JsonType::object;
    case '[': return JsonType::array;
    case '"': return JsonType::string;
    case 't':
    case 'f': return JsonType::boolean;
    case 'n': return JsonType::null;
    case 'N':
    case 'I':
    case '-':
      if (non_finite_token(length)) return JsonType::non_finite;
      if (m_text[m_pos] == '-') return JsonType::number;
      break;
    default:
      if (is_digit(m_text[m_pos])) return JsonType::number;
      break;
  }
  fail_unexpected("a json value");
}

std::size_t JsonReader::value_offset() {
  skip_ws();
  return m_pos;
}

bool JsonReader::at_end() {
  skip_ws();
  return m_pos >= m_text.size();
}

void JsonReader::push(bool object) {
  if (m_levels.size() >= m_options.max_depth) {
    fail_syntax(m_pos, "json nested deeper than " + std::to_string(m_options.max_depth) + " levels");
  }
  m_levels.push_back(static_cast<char>(k_first | (object ? k_object : 0)));
}

void JsonReader::begin_object() {
  if (peek() != JsonType::object) fail_type("an object");
  push(true);
  ++m_pos;
}

bool JsonReader::next_member() {
  skip_ws();
  if (m_pos >= m_text.size()) fail_end();
  if (m_text[m_pos] == '}') {
    ++m_pos;
    m_levels.pop_back();
    return false;
  }
  if ((m_levels.back() & k_first) == 0) {
    if (m_text[m_pos] != ',') fail_unexpected("',' or '}'");
    ++m_pos;
    skip_ws();
  }
  m_levels.back() = static_cast<char>(m_levels.back() & ~k_first);
  if (m_pos >= m_text.size()) fail_end();
  if (m_text[m_pos] != '"') fail_unexpected("a key in double quotes");
  m_key_offset = m_pos;
  m_key = scan_string(m_key_buffer);
  skip_ws();
  if (m_pos >= m_text.size()) fail_end();
  if (m_text[m_pos] != ':') fail_unexpected("':'");
  ++m_pos;
  return true;
}

void JsonReader::begin_array() {
  if (peek() != JsonType::array) fail_type("an array");
  push(false);
  ++m_pos;
}

bool JsonReader::next_element() {
  skip_ws();
  if (m_pos >= m_text.size()) fail_end();
  if (m_text[m_pos] == ']') {
    ++m_pos;
    m_levels.pop_back();
    return false;
  }
  if ((m_levels.back() & k_first) == 0) {
    if (m_text[m_pos] != ',') fail_unexpected("',' or ']'");
    ++m_pos;
  }
  m_levels.back() = static_cast<char>(m_levels.back() & ~k_first);
  return true;
}

// Strings without escapes (nearly all of them) are returned as views into the
// text; only escapes make a copy into `buffer`.
std::string_view JsonReader::scan_string(std::string& buffer) {
  const std::size_t n = m_text.size();
  const char* p = m_text.data();
  ++m_pos;  // opening quote
  std::size_t segment = m_pos;
  bool copying = false;
  for (;;) {
    // The fast path: plain ASCII, a block at a time while a block remains.
    if constexpr (block_scan::k_blocks) {
      while (m_pos + block_scan::k_block <= n) {
        const std::size_t k = block_scan::plain_string_bytes(p + m_pos);
        m_pos += k;
        if (k < block_scan::k_block) break;
      }
    }
    while (m_pos < n) {
      auto c = static_cast<unsigned char>(p[m_pos]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++m_pos;
    }
    if (m_pos >= n) fail_end();
    auto c = static_cast<unsigned char>(p[m_pos]);
    if (c == '"') {
      std::string_view tail(p + segment, m_pos - segment);
      ++m_pos;
      if (!copying) return tail;
      buffer.append(tail);
      return buffer;
    }
    if (c >= 0x80) {
      std::size_t length = utf8_length(m_text, m_pos);
      if (length == 0) fail_syntax(m_pos, "invalid utf-8 in string");
      m_pos += length;
      continue;
    }
    if (c < 0x20) fail_syntax(m_pos, "control character in string (must be escaped)");
    // An escape.
    if (!copying) {
      buffer.clear();
      copying = true;
    }
    buffer.append(p + segment, m_pos - segment);
    std::size_t escape_at = m_pos;
    if (m_pos + 1 >= n) fail_end();
    char e = p[m_pos + 1];
    m_pos += 2;
    switch (e) {
      case '"': buffer += '"'; break;
      case '\\': buffer += '\\'; break;
      case '/': buffer += '/'; break;
      case 'b': buffer += '\b'; break;
      case 'f': buffer += '\f'; break;
      case 'n': buffer += '\n'; break;
      case 'r': buffer += '\r'; break;
      case 't': buffer += '\t'; break;
      case 'u': {
        auto hex4 = [&](std::size_t at) -> std::uint32_t {
          if (at + 4 > n) fail_end();
          std::uint32_t v = 0;
          for (std::size_t k = 0; k < 4; ++k) {
            int h = hex_value(p[at + k]);
            if (h < 0) fail_syntax(at - 2, "invalid \\u escape (want four hex digits)");
            v = v * 16 + static_cast<std::uint32_t>(h);
          }
          return v;
        };
        std::uint32_t cp = hex4(m_pos);
        m_pos += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) fail_syntax(escape_at, "invalid \\u escape (lone low surrogate)");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (m_pos + 2 > n) fail_end();
          if (p[m_pos] != '\\' || p[m_pos + 1] != 'u') fail_syntax(escape_at, "invalid \\u escape (lone high surrogate)");
          std::uint32_t low = hex4(m_pos + 2);
          if (low < 0xDC00 || low > 0xDFFF) fail_syntax(escape_at, "invalid \\u escape (lone high surrogate)");
          m_pos += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(buffer, cp);
        break;
      }
      default:
        if (e > 0x20 && e < 0x7F) fail_syntax(escape_at, "invalid escape '\\" + std::string(1, e) + "' in string");
        fail_syntax(escape_at, "invalid escape: '\\' followed by " + show_byte(e) + " in string");
    }
    segment = m_pos;
  }
}

std::string_view JsonReader::read_string() {
  if (peek() != JsonType::string) fail_type("a string");
  return scan_string(m_string_buffer);
}

// Checks the number grammar of RFC 8259 from m_pos; returns where it ends.
std::size_t JsonReader::scan_number() {
  const std::size_t n = m_text.size();
  const char* p = m_text.data();
  std::size_t i = m_pos;
  auto digits = [&](std::string_view after) {
    if (i >= n) fail_end();
    if (!is_digit(p[i])) fail_syntax(i, "expected a digit " + std::string(after) + " in number");
    while (i < n && is_digit(p[i])) ++i;
  };
  if (p[i] == '-') ++i;
  if (i < n && p[i] == '0') {
    ++i;
    if (i < n && is_digit(p[i])) fail_syntax(m_pos, "number with a leading zero");
  } else {
    digits("at the start");
  }
  if (i < n && p[i] == '.') {
    ++i;
    digits("after '.'");
  }
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    ++i;
    if (i < n && (p[i] == '+' || p[i] == '-')) ++i;
    digits("in the exponent");
  }
  return i;
}

double JsonReader::read_double() {
  JsonType t = peek();
  if (t == JsonType::non_finite) {
    std::size_t length = 0;
    (void)non_finite_token(length);
    char c = m_text[m_pos];
    m_pos += length;
    if (c == 'N') return std::numeric_limits<double>::quiet_NaN();
    return c == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (t != JsonType::number) fail_type("a number");
  std::size_t start = m_pos;
  std::size_t end = scan_number();
  double v = 0;
  auto [ptr, ec] = std::from_chars(m_text.data() + start, m_text.data() + end, v);
  if (ec != std::errc() || ptr != m_text.data() + end) fail_syntax(start, "number out of range");
  m_pos = end;
  return v;
}

std::string_view JsonReader::number_token() {
  std::size_t start = m_pos;
  std::size_t end = scan_number();
  std::string_view token = m_text.substr(start, end - start);
  // An integer of up to 300 digits is within a double's range, so the
  // common case needs no conversion; anything longer, or with a fraction or
  // an exponent, is converted once to see that a double holds it.
  if (token.size() > 300 || token.find_first_of(".eE") != std::string_view::npos) {
    double v = 0;
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
    if (ec != std::errc() || ptr != token.data() + token.size()) fail_syntax(start, "number out of range");
  }
  m_pos = end;
  return token;
}

// One pass over the digits: scan_number() has checked the grammar, so what
// follows the digits, if anything, is a fraction or an exponent.
std::int64_t JsonReader::read_int64() {
  if (peek() != JsonType::number) fail_type("an integer");
  const std::size_t end = scan_number();
  const std::string_view digits = m_text.substr(m_pos, end - m_pos);
  const bool negative = digits.front() == '-';
  std::uint64_t magnitude = 0;
  bool too_large = false;
  std::size_t i = negative ? 1 : 0;
  for (; i < digits.size() && is_digit(digits[i]); ++i) {
    const auto d = static_cast<std::uint64_t>(digits[i] - '0');
    if (magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / 10) {
      too_large = true;
    } else {
      magnitude = magnitude * 10 + d;
    }
  }
  if (i < digits.size()) fail_at(m_pos, "expected an integer, found " + std::string(digits));
  const auto most = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (too_large || magnitude > most) fail_syntax(m_pos, "integer out of range");
  m_pos = end;
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

std::uint64_t JsonReader::read_uint64() {
  if (peek() != JsonType::number) fail_type("a non-negative integer");
  std::size_t end = scan_number();
  std::string_view digits = m_text.substr(m_pos, end - m_pos);
  if (digits.find_first_of(".eE-") != std::string_view::npos) {
    fail_at(m_pos, "expected a non-negative integer, found " + std::string(digits));
  }
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) fail_syntax(m_pos, "integer out of range");
  m_pos = end;
  return v;
}

std::string_view JsonReader::read_number_text() {
  JsonType t = peek();
  std::size_t start = m_pos;
  if (t == JsonType::non_finite) {
    std::size_t length = 0;
    (void)non_finite_token(length);
    m_pos += length;
  } else if (t == JsonType::number) {
    return number_token();
  } else {
    fail_type("a number");
  }
  return m_text.substr(start, m_pos - start);
}

bool JsonReader::read_bool() {
  if (peek() != JsonType::boolean) fail_type("true or false");
  std::string_view rest = m_text.substr(m_pos);
  if (rest.substr(0, 4) == "true") {
    m_pos += 4;
    return true;
  }
  if (rest.substr(0, 5) == "false") {
    m_pos += 5;
    return false;
  }
  fail_unexpected("true or false");
}

void JsonReader::read_null() {
  if (peek() != JsonType::null) fail_type("null");
  if (m_text.substr(m_pos, 4) != "null") fail_unexpected("null");
  m_pos += 4;
}

// Without recursion: the levels opened here are the top of m_levels, and the
// walk ends when the stack is back to where it started.
void JsonReader::skip_value() {
  const std::size_t base = m_levels.size();
  for (;;) {
    switch (peek()) {
      case JsonType::object: begin_object(); break;
      case JsonType::array: begin_array(); break;
      case JsonType::string: (void)scan_string(m_string_buffer); break;
      case JsonType::number:
      case JsonType::non_finite: (void)read_number_text(); break;
      case JsonType::boolean: (void)read_bool(); break;
      case JsonType::null: read_null(); break;
    }
    // Close every level that has ended; stop when the value is done or the
    // next member or element is due. The object or array a level belongs to
    // is told by what closes it.
    for (;;) {
      if (m_levels.size() == base) return;
      if ((m_levels.back() & k_object) != 0 ? next_member() : next_element()) break;
    }
  }
}

void JsonReader::expect_end() {
  skip_ws();
  if (m_pos < m_text.size()) fail_syntax(m_pos, "unexpected text after the json value: " + show_byte(m_text[m_pos]));
}

void expect_object_document(JsonReader& reader, std::string_view wanted, std::string_view hint) {
  if (reader.at_end()) reader.fail_at(reader.text().size(), "empty file (expected " + std::string(wanted) + ")");
  std::size_t top = reader.value_offset();
  char first = reader.text()[top];
  if (first == '{') return;
  // Only a document that parses as JSON is "JSON of another shape"; anything
  // else is reported as not JSON at all, showing what it starts with.
  bool json = false;
  try {
    JsonReader probe(reader.text(), reader.source(), reader.options());
    probe.skip_value();
    probe.expect_end();
    json = true;
  } catch (const Error&) {
  }
  if (!json) reader.fail_at(top, "not json: expected '{' at the start, found " + show_byte(first));
  reader.fail_at(top, "not " + std::string(wanted) + ": the top level is " + std::string(describe(reader.peek())) +
                          ", expected an object" + std::string(hint));
}

}  // namespace gate::detail
