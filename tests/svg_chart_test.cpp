// tests/svg_chart_test.cpp — the release report's SVG chart: well-formed
// XML whatever the names, hostile text escaped, ticks in the metric's unit,
// change points and the target drawn, nothing fetched.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gate/error.hpp"
#include "report/svg_chart.hpp"

using gate::report::escape_markup;
using gate::report::render_svg_chart;
using gate::report::SvgChart;

namespace {

// A small well-formedness check of XML 1.0, enough for what the chart
// writes: one root element, tags that nest and match, quoted attributes
// without '<' and without a repeated name, character and entity references
// that exist, characters XML allows in well-formed UTF-8, comments. Returns
// "" when well formed, else what is wrong and where.
class XmlCheck {
 public:
  explicit XmlCheck(std::string_view s) : m_s(s) {}

  std::string run() {
    if (std::string e = check_chars(); !e.empty()) return e;
    skip_space();
    if (m_s.substr(m_i, 5) == "<?xml") {
      std::size_t end = m_s.find("?>", m_i);
      if (end == std::string_view::npos) return fail("unterminated declaration");
      m_i = end + 2;
    }
    int roots = 0;
    while (m_i < m_s.size()) {
      if (m_s[m_i] == '<') {
        if (m_s.substr(m_i, 4) == "<!--") {
          std::size_t end = m_s.find("-->", m_i + 4);
          if (end == std::string_view::npos) return fail("unterminated comment");
          m_i = end + 3;
          continue;
        }
        if (m_s.substr(m_i, 2) == "</") {
          m_i += 2;
          std::string name = read_name();
          if (name.empty()) return fail("end tag without a name");
          skip_space();
          if (m_i >= m_s.size() || m_s[m_i] != '>') return fail("bad end tag");
          ++m_i;
          if (m_stack.empty() || m_stack.back() != name) return fail("end tag </" + name + "> does not match");
          m_stack.pop_back();
          continue;
        }
        if (m_stack.empty() && ++roots > 1) return fail("more than one root element");
        ++m_i;
        std::string name = read_name();
        if (name.empty()) return fail("start tag without a name");
        std::set<std::string> attributes;
        for (;;) {
          const bool spaced = skip_space();
          if (m_i >= m_s.size()) return fail("unterminated tag");
          if (m_s[m_i] == '>') {
            ++m_i;
            m_stack.push_back(name);
            break;
          }
          if (m_s.substr(m_i, 2) == "/>") {
            m_i += 2;
            break;
          }
          if (!spaced) return fail("attribute without space before it");
          std::string attr = read_name();
          if (attr.empty()) return fail("bad attribute in <" + name + ">");
          if (!attributes.insert(attr).second) return fail("attribute " + attr + " twice");
          skip_space();
          if (m_i >= m_s.size() || m_s[m_i] != '=') return fail("attribute " + attr + " without '='");
          ++m_i;
          skip_space();
          if (m_i >= m_s.size() || (m_s[m_i] != '"' && m_s[m_i] != '\'')) return fail("unquoted attribute " + attr);
          const char quote = m_s[m_i++];
          std::size_t end = m_s.find(quote, m_i);
          if (end == std::string_view::npos) return fail("unterminated attribute " + attr);
          std::string_view value = m_s.substr(m_i, end - m_i);
          if (value.find('<') != std::string_view::npos) return fail("'<' in attribute " + attr);
          if (std::string e = check_references(value); !e.empty()) return fail(e);
          m_i = end + 1;
        }
        continue;
      }
      std::size_t end = m_s.find('<', m_i);
      if (end == std::string_view::npos) end = m_s.size();
      std::string_view text = m_s.substr(m_i, end - m_i);
      if (m_stack.empty() && text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        return fail("text outside the root element");
      }
      if (text.find("]]>") != std::string_view::npos) return fail("']]>' in text");
      if (std::string e = check_references(text); !e.empty()) return fail(e);
      m_i = end;
    }
    if (!m_stack.empty()) return "unclosed <" + m_stack.back() + ">";
    if (roots != 1) return "no root element";
    return "";
  }

 private:
  std::string fail(const std::string& what) const { return what + " at byte " + std::to_string(m_i); }

  bool skip_space() {
    const std::size_t start = m_i;
    while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\n' || m_s[m_i] == '\t' || m_s[m_i] == '\r')) ++m_i;
    return m_i > start;
  }

  std::string read_name() {
    const std::size_t start = m_i;
    auto ok = [&](char c, bool first) {
      return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
             (!first && (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'));
    };
    while (m_i < m_s.size() && ok(m_s[m_i], m_i == start)) ++m_i;
    return std::string(m_s.substr(start, m_i - start));
  }

  static std::string check_references(std::string_view text) {
    for (std::size_t i = text.find('&'); i != std::string_view::npos; i = text.find('&', i + 1)) {
      std::size_t end = text.find(';', i);
      if (end == std::string_view::npos) return "'&' without ';'";
      std::string_view ref = text.substr(i + 1, end - i - 1);
      static const std::set<std::string_view> named = {"amp", "lt", "gt", "quot", "apos"};
      if (named.count(ref) != 0) continue;
      if (ref.size() >= 2 && ref[0] == '#') {
        const bool hex = ref[1] == 'x';
        std::string digits(ref.substr(hex ? 2 : 1));
        if (digits.empty() || digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos) {
          return "bad character reference &" + std::string(ref) + ";";
        }
        const unsigned long cp = std::stoul(digits, nullptr, hex ? 16 : 10);
        if ((cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
            cp == 0xFFFF || cp > 0x10FFFF) {
          return "reference to a character XML does not allow: &" + std::string(ref) + ";";
        }
        continue;
      }
      return "unknown entity &" + std::string(ref) + ";";
    }
    return "";
  }

  // Well-formed UTF-8 of characters XML 1.0 allows.
  std::string check_chars() const {
    for (std::size_t i = 0; i < m_s.size();) {
      const auto b = static_cast<unsigned char>(m_s[i]);
      std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
      if (len == 0 || i + len > m_s.size()) return "bad UTF-8 at byte " + std::to_string(i);
      std::uint32_t cp = len == 1 ? b : b & (0xFF >> (len + 1));
      for (std::size_t k = 1; k < len; ++k) {
        const auto c = static_cast<unsigned char>(m_s[i + k]);
        if ((c >> 6) != 0x2) return "bad UTF-8 at byte " + std::to_string(i);
        cp = (cp << 6) | (c & 0x3F);
      }
      if ((cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
          cp == 0xFFFF) {
        return "character U+" + std::to_string(cp) + " XML does not allow at byte " + std::to_string(i);
      }
      i += len;
    }
    return "";
  }

  std::string_view m_s;
  std::size_t m_i = 0;
  std::vector<std::string> m_stack;
};

std::string well_formed(const std::string& svg) { return XmlCheck(svg).run(); }

std::size_t count(const std::string& s, std::string_view part) {
  std::size_t n = 0;
  for (std::size_t i = s.find(part); i != std::string::npos; i = s.find(part, i + 1)) ++n;
  return n;
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

SvgChart sample_chart() {
  SvgChart c;
  c.title = "bench_clew BM_ClewExtract/large cpu_time";
  c.unit = "ns";
  for (int i = 0; i < 30; ++i) {
    const double level = i >= 12 ? 1200.0 : 1000.0;
    c.points.push_back({level * (1 + 0.01 * std::sin(i)), "commit " + std::to_string(i)});
  }
  c.change_points.push_back({12, "+20% at commit 12"});
  c.target = 1300;
  c.target_label = "target p95 < 1.3 µs";
  return c;
}

// The hostile text of a benchmark name or commit subject.
const std::string k_hostile =
    "BM_<script>alert(\"x\")</script>&amp;'q' \x01\x08\x1b\x7f tab\there \xE2\x80\xAE"
    "evil\xE2\x81\xA6 \xC2\x85 \xEF\xBF\xBE bad\xFF\xE2\x82 end";

}  // namespace

BOOST_AUTO_TEST_SUITE(svg_chart)

BOOST_AUTO_TEST_CASE(the_checker_rejects_what_is_not_well_formed) {
  // The check must be able to fail, or "well formed" below means nothing.
  BOOST_TEST(well_formed("<svg><g></g></svg>") == "");
  BOOST_TEST(well_formed("<svg><g></svg>") != "");
  BOOST_TEST(well_formed("<svg a=\"1\" a=\"2\"/>") != "");
  BOOST_TEST(well_formed("<svg a=\"<\"/>") != "");
  BOOST_TEST(well_formed("<svg>&nbsp;</svg>") != "");
  BOOST_TEST(well_formed("<svg>a & b</svg>") != "");
  BOOST_TEST(well_formed("<svg>\x01</svg>") != "");
  BOOST_TEST(well_formed("<svg>\xFF</svg>") != "");
  BOOST_TEST(well_formed("<svg>&#1;</svg>") != "");
  BOOST_TEST(well_formed("<svg/><svg/>") != "");
  BOOST_TEST(well_formed("<svg a=1/>") != "");
}

BOOST_AUTO_TEST_CASE(a_chart_is_well_formed_and_draws_what_it_is_given) {
  const std::string svg = render_svg_chart(sample_chart());
  BOOST_TEST(well_formed(svg) == "");
  BOOST_TEST(svg.rfind("<svg ", 0) == 0u);
  BOOST_TEST(count(svg, "<circle ") == 30u);
  BOOST_TEST(count(svg, "<title>commit 12: ") == 1u);
  BOOST_TEST(contains(svg, "<title>+20% at commit 12</title>"));
  BOOST_TEST(count(svg, "stroke-dasharray=\"4 3\"") == 1u);  // one change-point marker
  BOOST_TEST(contains(svg, "target p95 &lt; 1.3 µs"));
  BOOST_TEST(count(svg, "stroke-dasharray=\"6 4\"") == 1u);  // the target line
  BOOST_TEST(count(svg, "<path class=\"line\" d=\"M") == 1u);  // one unbroken line
  // The same chart, the same bytes.
  BOOST_TEST(render_svg_chart(sample_chart()) == svg);
}

// Ticks read in the metric's unit, at round values.
BOOST_AUTO_TEST_CASE(ticks_are_in_the_metric_unit) {
  SvgChart c = sample_chart();
  c.target.reset();
  std::string svg = render_svg_chart(c);
  BOOST_TEST(contains(svg, ">1 µs</text>"), svg);
  BOOST_TEST(contains(svg, ">1.2 µs</text>"), svg);

  c.unit = "B";
  for (auto& p : c.points) p.value *= 1000;  // about 1 MB
  svg = render_svg_chart(c);
  BOOST_TEST(contains(svg, ">1 MB</text>"), svg);

  c.unit = "1/s";
  svg = render_svg_chart(c);
  BOOST_TEST(contains(svg, "M/s</text>"), svg);

  // A flat series of large counts: the unit's three digits would print every
  // tick alike, so the ticks print more digits instead.
  SvgChart flat;
  flat.title = "instructions";
  flat.unit = "";
  for (int i = 0; i < 10; ++i) flat.points.push_back({123456789.0 + (i % 2), ""});
  svg = render_svg_chart(flat);
  BOOST_TEST(well_formed(svg) == "");
  std::set<std::string> labels;
  for (std::size_t at = svg.find("dy=\"4\">"); at != std::string::npos; at = svg.find("dy=\"4\">", at + 1)) {
    const std::size_t begin = at + 7;
    labels.insert(svg.substr(begin, svg.find('<', begin) - begin));
  }
  BOOST_TEST(labels.size() >= 3u);
}

BOOST_AUTO_TEST_CASE(hostile_names_come_out_escaped) {
  SvgChart c = sample_chart();
  c.title = k_hostile;
  c.target_label = k_hostile;
  for (auto& p : c.points) p.label = k_hostile;
  c.change_points = {{12, k_hostile}};
  const std::string svg = render_svg_chart(c);
  BOOST_TEST(well_formed(svg) == "");
  BOOST_TEST(!contains(svg, "<script"));
  BOOST_TEST(contains(svg, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;&#39;q&#39;"));
  BOOST_TEST(!contains(svg, "\xE2\x80\xAE"));  // U+202E RIGHT-TO-LEFT OVERRIDE
  BOOST_TEST(!contains(svg, "\xE2\x81\xA6"));  // U+2066 LEFT-TO-RIGHT ISOLATE
  BOOST_TEST(!contains(svg, "\xC2\x85"));      // U+0085, a C1 control
  BOOST_TEST(!contains(svg, "\xEF\xBF\xBE"));  // U+FFFE, not a character
  for (char ch : svg) {
    const auto b = static_cast<unsigned char>(ch);
    BOOST_TEST_REQUIRE((b >= 0x20 || b == '\n' || b == '\t'), "control byte " << int(b) << " in the output");
    BOOST_TEST_REQUIRE(b != 0x7F);
  }
  // Every copy of the text (title, aria-label, heading, tooltips, marker,
  // target) went through the same escaping.
  const std::string escaped = escape_markup(k_hostile);
  BOOST_TEST(count(svg, escaped) >= 30u + 5u);
}

BOOST_AUTO_TEST_CASE(escape_markup_replaces_what_must_not_pass) {
  BOOST_TEST(escape_markup("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
  BOOST_TEST(escape_markup("tab\tnew\nline") == "tab\tnew\nline");
  BOOST_TEST(escape_markup("\x01x\x1b\x7f") == "\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST(escape_markup("r\xE2\x80\xAEl") == "r\xEF\xBF\xBDl");
  BOOST_TEST(escape_markup("\xC3\xA9t\xC3\xA9 1.2 \xC2\xB5s \xF0\x9F\x93\x88") ==
             "\xC3\xA9t\xC3\xA9 1.2 \xC2\xB5s \xF0\x9F\x93\x88");  // é, µ, an emoji pass
  BOOST_TEST(escape_markup("\xFF") == "\xEF\xBF\xBD");
  BOOST_TEST(escape_markup("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  BOOST_TEST(escape_markup("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong '/'
  BOOST_TEST(escape_markup("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  BOOST_TEST(escape_markup("") == "");
}

BOOST_AUTO_TEST_CASE(missing_points_break_the_line) {
  SvgChart c = sample_chart();
  c.points[5].value = std::numeric_limits<double>::quiet_NaN();
  c.points[6].value = std::numeric_limits<double>::quiet_NaN();
  const std::string svg = render_svg_chart(c);
  BOOST_TEST(well_formed(svg) == "");
  BOOST_TEST(count(svg, "<circle ") == 28u);
  const std::size_t path = svg.find("<path class=\"line\" d=\"M");
  BOOST_TEST_REQUIRE(path != std::string::npos);
  const std::size_t begin = path + 22;
  const std::string d = svg.substr(begin, svg.find('"', begin) - begin);
  BOOST_TEST(count(d, "M") == 2u, d);
}

BOOST_AUTO_TEST_CASE(a_far_target_keeps_the_data_scale_and_says_where_it_is) {
  SvgChart c = sample_chart();
  c.target = 10'000'000;  // 10 ms against about 1 µs
  c.target_label = "target p95 < 10 ms";
  std::string svg = render_svg_chart(c);
  BOOST_TEST(well_formed(svg) == "");
  BOOST_TEST(contains(svg, "\xE2\x86\x91 target p95 &lt; 10 ms (off the chart)"), svg);
  BOOST_TEST(!contains(svg, "stroke-dasharray=\"6 4\""));
  BOOST_TEST(!contains(svg, ">10 ms</text>"));

  c.target = 800;
  c.target_label.clear();
  svg = render_svg_chart(c);
  BOOST_TEST(contains(svg, "target 800 ns"), svg);
  BOOST_TEST(contains(svg, "stroke-dasharray=\"6 4\""));  // near enough: drawn
}

BOOST_AUTO_TEST_CASE(nothing_is_fetched_and_standalone_declares_its_namespace) {
  SvgChart c = sample_chart();
  std::string svg = render_svg_chart(c);
  BOOST_TEST(!contains(svg, "http"));
  BOOST_TEST(!contains(svg, "href"));
  BOOST_TEST(!contains(svg, "<script"));
  BOOST_TEST(!contains(svg, "<style"));
  c.standalone = true;
  svg = render_svg_chart(c);
  BOOST_TEST(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" ", 0) == 0u);
  BOOST_TEST(well_formed(svg) == "");
}

BOOST_AUTO_TEST_CASE(empty_and_odd_charts_still_draw) {
  SvgChart empty;
  empty.title = "nothing";
  std::string svg = render_svg_chart(empty);
  BOOST_TEST(well_formed(svg) == "");
  BOOST_TEST(contains(svg, ">no data</text>"));

  SvgChart one = sample_chart();
  one.points.resize(1);
  one.change_points = {{0, "first"}, {5, "beyond the last point"}};
  svg = render_svg_chart(one);
  BOOST_TEST(well_formed(svg) == "");
  BOOST_TEST(count(svg, "<circle ") == 1u);
  BOOST_TEST(!contains(svg, "beyond the last point"));

  SvgChart negative;
  negative.title = "delta";
  negative.unit = "";
  for (int i = 0; i < 5; ++i) negative.points.push_back({-3.0 + i, ""});
  BOOST_TEST(well_formed(render_svg_chart(negative)) == "");
}

BOOST_AUTO_TEST_CASE(bad_sizes_and_targets_are_errors) {
  SvgChart c = sample_chart();
  c.width = 100;
  BOOST_CHECK_THROW((void)render_svg_chart(c), gate::Error);
  c = sample_chart();
  c.target = std::numeric_limits<double>::infinity();
  BOOST_CHECK_THROW((void)render_svg_chart(c), gate::Error);
}

BOOST_AUTO_TEST_SUITE_END()
