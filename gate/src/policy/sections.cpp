// gate/src/policy/sections.cpp — what each top-level section of gate.json
// means: version, metric overrides, defaults, suites, product binaries, rules
// and size budgets, each value checked where its meaning is known.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gate/error.hpp"
#include "gate/model/names.hpp"
#include "policy/reader.hpp"
#include "policy/fit.hpp"
#include "policy/suggest.hpp"
#include "policy/text.hpp"

namespace gate::detail {
namespace {

// The keys each object of gate.json may hold; anything else is refused.
constexpr std::string_view k_metric_keys[] = {"direction", "kind", "unit"};
constexpr std::string_view k_defaults_keys[] = {"primary_metric", "threshold", "alpha",       "min_repetitions",
                                                "repetitions",    "limits",    "size_growth", "timing",
                                                "unconfirmed",    "no_baseline", "noise_k",   "noise_ceiling"};
constexpr std::string_view k_suite_keys[] = {"name", "binary", "args", "timeout"};
constexpr std::string_view k_binary_keys[] = {"name", "binary"};
constexpr std::string_view k_command_keys[] = {"name",        "run",   "runs",      "warmup",
                                               "timeout",     "stdin", "stdin_file", "expect_exit"};
constexpr std::string_view k_derived_keys[] = {"name", "suite", "metric", "ratio", "of"};
constexpr std::string_view k_size_keys[] = {"max", "growth", "sections"};
constexpr std::string_view k_section_keys[] = {"max", "growth"};
constexpr std::string_view k_ab_keys[] = {"rounds", "pair", "cpu", "min_time"};

bool is_statistic(std::string_view s) { return parse_target_statistic(s).has_value(); }

bool is_target_text(std::string_view text) {
  text = trim(text);
  return !text.empty() && (text.front() == '<' || text.front() == '>');
}

constexpr std::string_view k_rule_keys[] = {"match", "suite", "primary_metric", "threshold"};

}  // namespace

std::span<const PolicyReader::Section> PolicyReader::sections() {
  static constexpr Section table[] = {
      {"version", &PolicyReader::read_version}, {"metrics", &PolicyReader::read_metrics},
      {"defaults", &PolicyReader::read_defaults}, {"suites", &PolicyReader::read_suites},
      {"rules", &PolicyReader::read_rules},       {"size", &PolicyReader::read_size},
      {"binaries", &PolicyReader::read_binaries}, {"derived", &PolicyReader::read_derived},
      {"commands", &PolicyReader::read_commands}, {"ab", &PolicyReader::read_ab},
  };
  return table;
}

void PolicyReader::read_version(const PolicyNode& n) {
  if (!n.json->is(JsonType::number)) {
    fail_value(n, fmt::format("expected the number 1, found {}", detail::describe(n.json->type)));
  }
  if (n.json->text != "1") {
    fail_value(n, fmt::format("unsupported version {} — this gate reads version 1", n.json->text));
  }
}

void PolicyReader::read_metrics(const PolicyNode& n) {
  expect_object(n);
  for (const JsonMember& member : n.json->members) {
    PolicyNode m = n.member(member);
    const std::string& name = member.key;
    if (name.empty() || name.find('.') != std::string::npos) {
      fail_key(m, "a metric name must be non-empty and without '.' (the dot separates a statistic: \"real_time.p95\")");
    }
    expect_object(m);
    check_keys(m, k_metric_keys);
    MetricOverride o;
    if (m.has("direction")) {
      PolicyNode d = m.child("direction");
      std::string v = string_of(d, "\"lower\" or \"higher\"");
      if (v == "lower")
        o.direction = Direction::lower_is_better;
      else if (v == "higher")
        o.direction = Direction::higher_is_better;
      else
        fail_value(d, fmt::format("unknown direction '{}' — expected \"lower\" or \"higher\" (which is better)", v));
    }
    if (m.has("kind")) {
      PolicyNode k = m.child("kind");
      std::string v = string_of(k, "\"noisy\" or \"deterministic\"");
      if (v == "noisy")
        o.kind = MetricKind::noisy;
      else if (v == "deterministic")
        o.kind = MetricKind::deterministic;
      else
        fail_value(k, fmt::format("unknown kind '{}' — expected \"noisy\" or \"deterministic\"", v));
    }
    if (m.has("unit")) {
      PolicyNode u = m.child("unit");
      std::string v = string_of(u, "\"ns\"");
      if (v != "ns" && v != "B" && v != "1/s" && !v.empty()) {
        fail_value(u, fmt::format("unknown unit '{}' — expected \"ns\", \"B\", \"1/s\" or \"\" (a plain count)", v));
      }
      o.unit = v;
    }
    m_policy.metrics[name] = o;
  }
}

void PolicyReader::read_defaults(const PolicyNode& n) {
  expect_object(n);
  check_keys(n, k_defaults_keys);
  Defaults& d = m_policy.defaults;
  if (n.has("primary_metric")) {
    PolicyNode p = n.child("primary_metric");
    d.primary_metric = string_of(p, "\"cpu_time\"");
    check_metric(p, d.primary_metric, false);
  }
  if (n.has("threshold")) {
    d.threshold = metric_limit_at(n.child("threshold"), d.primary_metric);
  } else if (auto why = limit_misfit(d.threshold, d.primary_metric, describe(d.primary_metric)); !why.empty()) {
    fail_value(n.has("primary_metric") ? n.child("primary_metric") : n, "the built-in threshold does not fit it: " + why);
  }
  if (n.has("alpha")) {
    PolicyNode a = n.child("alpha");
    d.alpha = number_of(a, "0.05");
    if (!(d.alpha > 0 && d.alpha < 1)) {
      fail_value(a, fmt::format("{} is out of range — alpha must lie between 0 and 1 (0.05 is usual)", a.json->text));
    }
  }
  if (n.has("min_repetitions")) {
    // Mann–Whitney needs two samples a side to say anything at all.
    d.min_repetitions = static_cast<int>(integer_of(n.child("min_repetitions"), 2, 100'000));
  }
  if (n.has("repetitions")) {
    // With this machine's noise (10–16% coefficient of variation) fewer
    // than 9 repetitions leave a 10% change of the median unresolvable.
    d.repetitions = static_cast<int>(integer_of(n.child("repetitions"), 9, 100'000));
  }
  if (d.repetitions < d.min_repetitions) {
    PolicyNode at = n.has("repetitions") ? n.child("repetitions") : n.child("min_repetitions");
    fail_value(at, fmt::format("repetitions ({}) is below min_repetitions ({}) — every comparison would go unjudged",
                               d.repetitions, d.min_repetitions));
  }
  if (n.has("limits")) {
    PolicyNode l = n.child("limits");
    expect_object(l);
    for (const JsonMember& member : l.json->members) {
      PolicyNode m = l.member(member);
      check_metric(m, member.key, true);
      if (m.json->is(JsonType::null)) {
        d.limits.erase(member.key);
        continue;
      }
      if (m.json->is(JsonType::string) && is_target_text(m.json->text)) {
        fail_value(m, "defaults.limits holds limits (changes such as '+5%'); put targets in a rule with \"match\": \"*\"");
      }
      d.limits.insert_or_assign(member.key, metric_limit_at(m, member.key));
    }
  }
  if (n.has("size_growth")) {
    PolicyNode g = n.child("size_growth");
    if (g.json->is(JsonType::null))
      d.size_growth.reset();
    else
      d.size_growth = size_limit_at(g);
  }
  if (n.has("timing")) {
    PolicyNode t = n.child("timing");
    std::string v = string_of(t, "\"confirm\"");
    if (v == "judge") {
      d.timing = TimingMode::judge;
    } else if (v == "confirm") {
      d.timing = TimingMode::confirm;
    } else {
      fail_value(t, fmt::format("unknown timing '{}' — expected \"judge\" (a timing regression against a stored "
                                "baseline fails) or \"confirm\" (it fails once a same-job re-run confirms it)",
                                v));
    }
  }
  if (n.has("unconfirmed")) {
    PolicyNode u = n.child("unconfirmed");
    std::string v = string_of(u, "\"fail\"");
    if (v == "fail") {
      d.unconfirmed = Unconfirmed::fail;
    } else if (v == "pass") {
      d.unconfirmed = Unconfirmed::pass;
    } else {
      fail_value(u, fmt::format("unknown unconfirmed '{}' — expected \"fail\" (a suspect no same-job re-run has "
                                "seen fails the gate) or \"pass\" (it passes, and the headline says so)",
                                v));
    }
  }
  if (n.has("no_baseline")) {
    PolicyNode b = n.child("no_baseline");
    std::string v = string_of(b, "\"pass\"");
    if (v == "pass") {
      d.no_baseline = NoBaseline::pass;
    } else if (v == "fail") {
      d.no_baseline = NoBaseline::fail;
    } else {
      fail_value(b, fmt::format("unknown no_baseline '{}' — expected \"pass\" (a runner without baselines passes, "
                                "and the headline says so) or \"fail\" (it cannot be judged: exit 2)",
                                v));
    }
  }
  if (n.has("noise_k")) {
    PolicyNode k = n.child("noise_k");
    d.noise_k = number_of(k, "3");
    if (!(d.noise_k > 0 && d.noise_k <= 100)) {
      fail_value(k, fmt::format("{} is out of range — noise_k must be above 0 and at most 100 (3 is usual)",
                                k.json->text));
    }
  }
  if (n.has("noise_ceiling")) {
    PolicyNode c = n.child("noise_ceiling");
    std::string text = string_of(c, "\"50%\"");
    std::string why;
    auto q = try_parse_quantity(text, why);
    if (!q) fail_value(c, fmt::format("bad noise_ceiling '{}': {}", text, why));
    if (q->dim != Dimension::percent || !(q->value > 0)) {
      fail_value(c, fmt::format("bad noise_ceiling '{}': expected a positive percentage such as \"50%\"", text));
    }
    d.noise_ceiling = q->value;
  }
}

void PolicyReader::read_suites(const PolicyNode& n) {
  expect_array(n);
  for (std::size_t i = 0; i < n.json->elements.size(); ++i) {
    PolicyNode s = n.element(i);
    expect_object(s);
    check_keys(s, k_suite_keys);
    SuiteSpec spec;
    spec.name = baseline_name(s, "suite", "\"bench_clew\"");
    spec.binary = binary_path(s, "suite", "\"benchsuite/bench_clew\"");
    if (s.has("args")) {
      PolicyNode args = s.child("args");
      expect_array(args);
      for (std::size_t a = 0; a < args.json->elements.size(); ++a) {
        spec.args.push_back(string_of(args.element(a), "\"--benchmark_filter=BM_\""));
      }
    }
    if (s.has("timeout")) spec.timeout = timeout_at(s.child("timeout"), "600s");
    m_policy.suites.push_back(std::move(spec));
  }
}

void PolicyReader::read_ab(const PolicyNode& n) {
  expect_object(n);
  check_keys(n, k_ab_keys);
  AbSettings& ab = m_policy.ab;
  // 15: with fewer pairs the signed-rank test cannot show a lone regression
  // among a few dozen tests (docs/ab.md, "With 10 A/B rounds nothing is caught").
  if (n.has("rounds")) ab.rounds = static_cast<int>(integer_of(n.child("rounds"), 15, 10'000));
  if (n.has("pair")) {
    PolicyNode p = n.child("pair");
    std::string v = string_of(p, "\"benchmark\"");
    if (v == "benchmark") {
      ab.pairing = AbPairing::benchmark;
    } else if (v == "suite") {
      ab.pairing = AbPairing::suite;
    } else {
      fail_value(p, fmt::format("unknown pair '{}' — expected \"suite\" (each build runs the whole suite back to "
                                "back) or \"benchmark\" (each benchmark)",
                                v));
    }
  }
  // Which CPUs exist is the runner's to say: `gate run --ab` refuses one it may not use.
  if (n.has("cpu")) {
    PolicyNode c = n.child("cpu");
    if (c.json->is(JsonType::string)) {
      if (c.json->text != "last") {
        fail_value(c, fmt::format("unknown cpu '{}' — expected a CPU number such as 1, or \"last\" (the "
                                  "highest-numbered CPU the gate may use)",
                                  c.json->text));
      }
      ab.cpu = k_last_cpu;
    } else {
      ab.cpu = static_cast<int>(integer_of(c, 0, 1023));
    }
  }
  if (n.has("min_time")) {
    PolicyNode t = n.child("min_time");
    std::string text = string_of(t, "\"20ms\"");
    std::string why;
    auto q = try_parse_quantity(text, why);
    if (!q) fail_value(t, fmt::format("bad min_time '{}': {}", text, why));
    if (q->dim != Dimension::time || !(q->value > 0) || q->value > 60e9) {
      fail_value(t, fmt::format("bad min_time '{}': expected a time above 0 and at most 60s, such as \"20ms\"", text));
    }
    ab.min_time = q->value / 1e9;
  }
}

std::chrono::nanoseconds PolicyReader::timeout_at(const PolicyNode& t, std::string_view example) const {
  std::string text = string_of(t, fmt::format("\"{}\"", example));
  std::string why;
  auto q = try_parse_quantity(text, why);
  if (!q) fail_value(t, fmt::format("bad timeout '{}': {}", text, why));
  if (q->dim != Dimension::time) fail_value(t, fmt::format("bad timeout '{}': expected a time such as '{}'", text, example));
  if (!(q->value > 0)) fail_value(t, fmt::format("bad timeout '{}': must be positive", text));
  if (q->value > 1e18) fail_value(t, fmt::format("bad timeout '{}': too long", text));
  return std::chrono::nanoseconds(static_cast<long long>(std::llround(q->value)));
}

void PolicyReader::read_commands(const PolicyNode& n) {
  expect_array(n);
  for (std::size_t i = 0; i < n.json->elements.size(); ++i) {
    PolicyNode c = n.element(i);
    expect_object(c);
    check_keys(c, k_command_keys);
    CommandSpec spec;
    spec.origin = origin(c);
    spec.name = baseline_name(c, "command", "\"caro_cli\"");
    if (!c.has("run")) {
      fail_value(c, "a command needs \"run\": its program and arguments, such as [\"gate/gate\", \"--version\"]");
    }
    PolicyNode run = c.child("run");
    expect_array(run);
    if (run.json->elements.empty()) fail_value(run, "an empty command — give at least the program");
    for (std::size_t a = 0; a < run.json->elements.size(); ++a) {
      spec.run.push_back(string_of(run.element(a), a == 0 ? "\"gate/gate\"" : "\"--version\""));
    }
    if (spec.run.front().empty()) fail_value(run.element(0), "empty program path");
    if (c.has("runs")) spec.runs = static_cast<int>(integer_of(c.child("runs"), 1, 10'000));
    if (c.has("warmup")) spec.warmup = static_cast<int>(integer_of(c.child("warmup"), 0, 1'000));
    if (c.has("timeout")) spec.timeout = timeout_at(c.child("timeout"), "60s");
    // An exit status is 0 to 255: the low byte of what the program returns.
    if (c.has("expect_exit")) spec.expect_exit = static_cast<int>(integer_of(c.child("expect_exit"), 0, 255));
    if (c.has("stdin") && c.has("stdin_file")) {
      fail_key(c.child("stdin_file"), "give \"stdin\" (the text) or \"stdin_file\" (a file), not both");
    }
    if (c.has("stdin")) {
      // gate.json holds no control characters, so the text is given as
      // lines: one string, or a list of them, each followed by a newline.
      PolicyNode in = c.child("stdin");
      std::string text;
      if (in.json->is(JsonType::array)) {
        for (std::size_t l = 0; l < in.json->elements.size(); ++l) text += string_of(in.element(l), "\"list files\"") + "\n";
      } else {
        text = string_of(in, "\"list files\" (a line) or a list of lines") + "\n";
      }
      spec.stdin_text = std::move(text);
    }
    if (c.has("stdin_file")) {
      spec.stdin_file = string_of(c.child("stdin_file"), "\"tests/data/request.txt\"");
      if (spec.stdin_file->empty()) fail_value(c.child("stdin_file"), "empty path");
    }
    m_policy.commands.push_back(std::move(spec));
  }
}

std::string PolicyReader::baseline_name(const PolicyNode& entry, std::string_view what, std::string_view example) {
  if (!entry.has("name")) fail_value(entry, fmt::format("a {} needs a \"name\"", what));
  PolicyNode name = entry.child("name");
  std::string text = string_of(name, example);
  if (auto why = suite_name_problem(text)) {
    fail_value(name, fmt::format("bad {} name '{}': {} — it names the baseline file: use 1 to {} characters from "
                                 "A-Z a-z 0-9 . _ -, starting with a letter or digit",
                                 what, text, *why, k_max_suite_name));
  }
  if (m_policy.find_suite(text) != nullptr) fail_value(name, fmt::format("duplicate name '{}': a suite has it", text));
  if (m_policy.find_binary(text) != nullptr) {
    fail_value(name, fmt::format("duplicate name '{}': a product binary has it", text));
  }
  if (m_policy.find_command(text) != nullptr) fail_value(name, fmt::format("duplicate name '{}': a command has it", text));
  return text;
}

std::string PolicyReader::binary_path(const PolicyNode& entry, std::string_view what, std::string_view example) {
  if (!entry.has("binary")) {
    fail_value(entry,
               fmt::format("a {} needs a \"binary\" (its path, relative to the build directory or absolute)", what));
  }
  PolicyNode binary = entry.child("binary");
  std::string path = string_of(binary, example);
  if (path.empty()) fail_value(binary, "empty path");
  return path;
}

void PolicyReader::read_binaries(const PolicyNode& n) {
  expect_array(n);
  for (std::size_t i = 0; i < n.json->elements.size(); ++i) {
    PolicyNode b = n.element(i);
    expect_object(b);
    check_keys(b, k_binary_keys);
    BinarySpec spec;
    spec.name = baseline_name(b, "product binary", "\"gate\"");
    spec.binary = binary_path(b, "product binary", "\"gate/gate\"");
    m_policy.binaries.push_back(std::move(spec));
  }
}

void PolicyReader::read_derived(const PolicyNode& n) {
  expect_array(n);
  for (std::size_t i = 0; i < n.json->elements.size(); ++i) {
    PolicyNode d = n.element(i);
    expect_object(d);
    check_keys(d, k_derived_keys);
    DerivedSpec spec;
    spec.origin = origin(d);
    for (const char* key : {"name", "suite", "metric", "ratio"}) {
      if (!d.has(key)) {
        fail_value(d, fmt::format("a derived metric needs \"{}\" — e.g. {{\"name\": \"BM_CacheSpeedup\", "
                                  "\"suite\": \"bench_clew\", \"metric\": \"speedup\", \"ratio\": [\"BM_Miss\", "
                                  "\"BM_Hit\"], \"of\": \"cpu_time\"}}",
                                  key));
      }
    }
    spec.name = string_of(d.child("name"), "\"BM_CacheSpeedup\"");
    if (spec.name.empty()) fail_value(d.child("name"), "empty name");
    spec.suite = string_of(d.child("suite"), "\"bench_clew\"");
    if (auto why = suite_name_problem(spec.suite)) fail_value(d.child("suite"), "bad suite name: " + *why);
    spec.metric = string_of(d.child("metric"), "\"speedup\"");
    check_metric(d.child("metric"), spec.metric, false);
    PolicyNode ratio = d.child("ratio");
    expect_array(ratio);
    if (ratio.json->elements.size() != 2) {
      fail_value(ratio, "expected two benchmark names: [numerator, denominator]");
    }
    spec.numerator = string_of(ratio.element(0), "\"BM_Miss\"");
    spec.denominator = string_of(ratio.element(1), "\"BM_Hit\"");
    if (spec.numerator.empty() || spec.denominator.empty() || spec.numerator == spec.denominator) {
      fail_value(ratio, "expected two different, non-empty benchmark names");
    }
    if (d.has("of")) {
      spec.of = string_of(d.child("of"), "\"cpu_time\"");
      check_metric(d.child("of"), spec.of, false);
    }
    for (const auto& other : m_policy.derived) {
      if (other.name == spec.name && other.suite == spec.suite) {
        fail_value(d.child("name"), fmt::format("duplicate derived metric '{}' in suite '{}'", spec.name, spec.suite));
      }
    }
    m_policy.derived.push_back(std::move(spec));
  }
}

void PolicyReader::read_rules(const PolicyNode& n) {
  expect_array(n);
  for (std::size_t i = 0; i < n.json->elements.size(); ++i) m_compiled->rules.push_back(read_rule(n.element(i)));
}

CompiledRule PolicyReader::read_rule(const PolicyNode& r) {
  expect_object(r);
  CompiledRule rule;
  rule.path = r.display;
  if (!r.has("match")) fail_value(r, "a rule needs \"match\": a benchmark name pattern such as \"BM_Sort*\"");
  PolicyNode match = r.child("match");
  if (match.json->is(JsonType::array)) {
    if (match.json->elements.empty()) fail_value(match, "an empty list matches nothing — give at least one pattern");
    for (std::size_t i = 0; i < match.json->elements.size(); ++i) {
      rule.match.push_back(glob_at(match.element(i), "\"BM_Sort*\""));
    }
  } else {
    rule.match.push_back(glob_at(match, "\"BM_Sort*\" (or a list of them)"));
  }
  if (r.has("suite")) rule.suite = glob_at(r.child("suite"), "\"bench_*\"");

  // The primary metric this rule's own keys are checked against: its own,
  // else the defaults'. Another rule may change it for some benchmarks;
  // rules_for checks the combination again.
  std::string primary = m_policy.defaults.primary_metric;
  if (r.has("primary_metric")) {
    PolicyNode p = r.child("primary_metric");
    primary = string_of(p, "\"real_time\"");
    check_metric(p, primary, false);
    rule.primary_metric = primary;
    if (!r.has("threshold")) {
      if (auto why = limit_misfit(m_policy.defaults.threshold, primary, describe(primary)); !why.empty()) {
        fail_value(p, fmt::format("the default threshold does not fit this primary metric: {} — give the rule a "
                                  "\"threshold\" of its own",
                                  why));
      }
    }
  }
  if (r.has("threshold")) rule.threshold = metric_limit_at(r.child("threshold"), primary);
  for (const JsonMember& member : r.json->members) {
    if (std::find(std::begin(k_rule_keys), std::end(k_rule_keys), member.key) != std::end(k_rule_keys)) continue;
    read_rule_key(r.member(member), member.key, primary, rule);
  }
  return rule;
}

// A key of a rule other than its own four: a limit ("cpu_time": "+5%") or a
// target ("p95": "< 10ms", "real_time.p99": "< 1ms", "items_per_second": "> 1M").
void PolicyReader::read_rule_key(const PolicyNode& k, const std::string& key, const std::string& primary,
                                 CompiledRule& rule) {
  // A near miss of a rule key is a typo, not a metric.
  if (auto hint = did_you_mean(key, k_rule_keys); !hint.empty() && !known_metric(key) && !is_statistic(key)) {
    fail_key(k, fmt::format("unknown key{}", hint));
  }
  std::string metric = key;
  std::string statistic;
  if (is_statistic(key)) {
    metric.clear();
    statistic = key;
  } else if (auto dot = key.rfind('.'); dot != std::string::npos) {
    metric = key.substr(0, dot);
    statistic = key.substr(dot + 1);
    if (!is_statistic(statistic)) {
      fail_key(k, fmt::format("unknown statistic '{}'{} (expected one of: median, mean, min, max, p50, p90, p95, p99)",
                              statistic, did_you_mean(statistic, k_target_statistics)));
    }
  }
  if (statistic.empty() && !known_metric(metric)) {
    if (auto hint = did_you_mean(key, k_target_statistics); !hint.empty()) {
      fail_key(k, fmt::format("unknown key{}", hint));
    }
  }
  if (!metric.empty()) check_metric(k, metric, true);
  std::string value = string_of(k, statistic.empty() ? "'+5%' or '< 10ms'" : "'< 10ms'");
  const std::string& judged = metric.empty() ? primary : metric;
  if (is_target_text(value)) {
    Target t;
    try {
      t = parse_target(key, value);
    } catch (const Error& e) {
      fail_value(k, e.what());
    }
    t.origin = origin(k);
    if (auto why = target_misfit(t, judged, describe(judged)); !why.empty()) fail_value(k, why);
    rule.targets.push_back({std::move(t), k.display});
  } else {
    if (!statistic.empty()) {
      fail_value(k, fmt::format("'{}' takes a target — a bound such as '< 10ms'; limits (changes such as '{}') "
                                "apply to a metric's median",
                                key, value));
    }
    rule.limits.push_back({metric, metric_limit_at(k, metric)});
  }
}

double PolicyReader::size_max_at(const PolicyNode& n, std::string& text) const {
  text = string_of(n, "\"50MB\"");
  std::string_view bound = trim(text);
  // "max" is a bound already; "< 50MB" is accepted too, as rules write targets.
  if (bound.starts_with("<="))
    bound.remove_prefix(2);
  else if (bound.starts_with("<"))
    bound.remove_prefix(1);
  std::string why;
  auto q = try_parse_quantity(bound, why);
  if (!q) fail_value(n, fmt::format("bad size '{}': {}", text, why));
  if (q->dim != Dimension::bytes && q->dim != Dimension::count) {
    fail_value(n, fmt::format("bad size '{}': expected bytes such as '50MB' or '64KiB'", text));
  }
  if (q->value < 0) fail_value(n, fmt::format("bad size '{}': must not be negative", text));
  text = std::string(trim(text));
  return q->value;
}

SectionBudget PolicyReader::section_budget_at(const PolicyNode& s) const {
  SectionBudget budget;
  if (s.json->is(JsonType::string)) {
    budget.growth = size_limit_at(s);
  } else if (s.json->is(JsonType::object)) {
    check_keys(s, k_section_keys);
    if (s.has("max")) budget.max = size_max_at(s.child("max"), budget.max_text);
    if (s.has("growth")) budget.growth = size_limit_at(s.child("growth"));
  } else {
    fail_value(s, fmt::format("expected a growth limit such as \"+10%\" or an object with \"max\" and \"growth\", "
                              "found {}",
                              detail::describe(s.json->type)));
  }
  return budget;
}

void PolicyReader::read_size(const PolicyNode& n) {
  expect_object(n);
  for (const JsonMember& member : n.json->members) {
    PolicyNode e = n.member(member);
    Glob glob = [&] {
      try {
        return Glob(member.key);
      } catch (const Error& err) {
        fail_key(e, fmt::format("bad pattern '{}': {}", member.key, err.what()));
      }
    }();
    expect_object(e);
    check_keys(e, k_size_keys);
    SizeEntry entry{std::move(glob), {}, {}, {}, {}};
    if (e.has("max")) entry.max = size_max_at(e.child("max"), entry.max_text);
    if (e.has("growth")) entry.growth = size_limit_at(e.child("growth"));
    if (e.has("sections")) {
      PolicyNode secs = e.child("sections");
      expect_object(secs);
      for (const JsonMember& sec : secs.json->members) entry.sections[sec.key] = section_budget_at(secs.member(sec));
    }
    m_compiled->size.push_back(std::move(entry));
  }
}

}  // namespace gate::detail
