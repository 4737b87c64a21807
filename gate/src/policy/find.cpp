// gate/src/policy/find.cpp — which policy a command uses: the file it names,
// else gate.json where it runs (or at the ref it compares against), else the
// built-in defaults or an error. Written once, so that every command finds
// the same policy the same way.
#include <system_error>

#include <fmt/format.h>

#include "gate/error.hpp"
#include "gate/policy/policy.hpp"
#include "formats/text_location.hpp"

namespace gate {

Policy find_policy(const std::optional<std::filesystem::path>& explicit_path, PolicyFallback fallback,
                   const std::filesystem::path& directory) {
  if (explicit_path) return load_policy(*explicit_path);
  // The current directory's file is named as users write it ("gate.json"),
  // which is what reports show as the policy used.
  const std::filesystem::path file =
      directory.empty() || directory == "." ? std::filesystem::path(k_policy_file) : directory / k_policy_file;
  std::error_code ec;
  // symlink_status: a dangling link is "there" too, and load_policy says why
  // it cannot be read rather than the command silently using the defaults.
  if (std::filesystem::symlink_status(file, ec).type() != std::filesystem::file_type::not_found && !ec) {
    return load_policy(file);
  }
  if (fallback == PolicyFallback::built_in) return default_policy();
  std::string where = directory.empty() || directory == "." ? std::string("here") : "in " + directory.string();
  throw Error(detail::escape_for_message(
      fmt::format("no policy — there is no {} {}; pass --policy FILE naming the suites to run", k_policy_file, where)));
}

Policy find_policy_at_ref(const std::optional<std::filesystem::path>& explicit_path,
                          const std::optional<std::string>& text_at_ref, std::string_view ref) {
  if (explicit_path) return load_policy(*explicit_path);
  if (text_at_ref) return parse_policy(*text_at_ref, fmt::format("{}:{}", ref, k_policy_file));
  Policy policy = default_policy();
  policy.source = fmt::format("built-in defaults ({} has no {})", ref, k_policy_file);
  return policy;
}

}  // namespace gate
