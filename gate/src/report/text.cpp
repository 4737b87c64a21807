// gate/src/report/text.cpp — untrusted text made visible, never obeyed.
#include "report/text.hpp"

#include <fmt/core.h>

#include <cctype>
#include <cstdint>

namespace gate::detail {
namespace {

// The length of the UTF-8 sequence at `s[i]` and its code point, or 0 when
// the bytes there are not a valid, shortest-form sequence.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if ((b0 & 0xe0) == 0xc0) {
    len = 2;
    cp = b0 & 0x1fU;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3;
    cp = b0 & 0x0fU;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4;
    cp = b0 & 0x07U;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3fU);
  }
  const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

bool hidden(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

}  // namespace

std::string visible(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t len = decode(text, i, cp);
    if (len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (!hidden(cp)) {
      out.append(text.substr(i, len));
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp < 0x80) {
      out += fmt::format("\\x{:02x}", cp);
    } else {
      out += fmt::format("\\u{:04x}", cp);
    }
    i += len;
  }
  return out;
}

std::string markdown_text(std::string_view raw) {
  const std::string text = visible(raw);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    // GitHub links what looks like a reference or an address in rendered
    // text, escapes or not: "GH-12" to an issue, "https://x" and "www.x" to a
    // site. A zero-width space breaks the pattern and shows nothing.
    const std::string_view rest(text.data() + i, text.size() - i);
    if ((rest.starts_with("GH-") || rest.starts_with("gh-")) && i + 3 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + 3])) != 0) {
      out += ch;
      out += text[i + 1];
      out += "\u200b";
      ++i;
      continue;
    }
    if (rest.starts_with("://") || rest.starts_with("www.")) {
      out += ch;
      out += "\u200b";
      continue;
    }
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '|': out += "\\|"; break;
      // GitHub finds mentions in the rendered text, so an entity would still
      // notify: a zero-width space after '@' breaks the mention.
      case '@': out += "@\u200b"; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '#': case '!': case '~':
        out += '\\';
        out += ch;
        break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace gate::detail
