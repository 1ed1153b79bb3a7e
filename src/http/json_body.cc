#include "http/json_body.h"

#include <set>
#include <vector>

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include "domain/device_text.h"

namespace twostep::http {

namespace json = boost::json;

namespace {

// A SAX pass that only looks for an object with the same key twice: the
// DOM parser keeps the last one silently, and a strict API must not accept
// a body that two parsers could read differently.
struct DuplicateKeyFinder {
  constexpr static std::size_t max_object_size = std::size_t(-1);
  constexpr static std::size_t max_array_size = std::size_t(-1);
  constexpr static std::size_t max_key_size = std::size_t(-1);
  constexpr static std::size_t max_string_size = std::size_t(-1);
  std::vector<std::set<std::string>> objects;
  std::string key;
  bool duplicate = false;

  bool on_document_begin(std::error_code&) { return true; }
  bool on_document_end(std::error_code&) { return true; }
  bool on_object_begin(std::error_code&) { objects.emplace_back(); return true; }
  bool on_object_end(std::size_t, std::error_code&) { objects.pop_back(); return true; }
  bool on_array_begin(std::error_code&) { return true; }
  bool on_array_end(std::size_t, std::error_code&) { return true; }
  bool on_key_part(std::string_view s, std::size_t, std::error_code&) { key.append(s); return true; }
  bool on_key(std::string_view s, std::size_t, std::error_code&) {
    key.append(s);
    if (!objects.back().insert(key).second) duplicate = true;
    key.clear();
    return true;
  }
  bool on_string_part(std::string_view, std::size_t, std::error_code&) { return true; }
  bool on_string(std::string_view, std::size_t, std::error_code&) { return true; }
  bool on_number_part(std::string_view, std::error_code&) { return true; }
  bool on_int64(std::int64_t, std::string_view, std::error_code&) { return true; }
  bool on_uint64(std::uint64_t, std::string_view, std::error_code&) { return true; }
  bool on_double(double, std::string_view, std::error_code&) { return true; }
  bool on_bool(bool, std::error_code&) { return true; }
  bool on_null(std::error_code&) { return true; }
  bool on_comment_part(std::string_view, std::error_code&) { return true; }
  bool on_comment(std::string_view, std::error_code&) { return true; }
};

bool HasDuplicateKeys(std::string_view body, const json::parse_options& opt) {
  json::basic_parser<DuplicateKeyFinder> p(opt);
  std::error_code ec;
  p.write_some(false, body.data(), body.size(), ec);
  return !ec && p.handler().duplicate;
}

Error Bad(std::string_view key, std::string_view what) {
  return Error::InvalidRequest("Field '" + std::string(key) + "' " + std::string(what) + ".");
}
}  // namespace

Result<json::object> ParseObject(std::string_view body) {
  json::parse_options opt;
  opt.max_depth = 8;
  opt.allow_invalid_utf8 = false;
  opt.allow_comments = false;
  opt.allow_trailing_commas = false;
  std::error_code ec;
  json::value v = json::parse(body, ec, {}, opt);
  if (ec) return Error::InvalidRequest("The body is not valid JSON.");
  if (!v.is_object()) return Error::InvalidRequest("The body must be a JSON object.");
  if (HasDuplicateKeys(body, opt)) return Error::InvalidRequest("Duplicate field in the body.");
  return std::move(v.as_object());
}

Result<std::optional<std::string>> OptionalString(const json::object& o, std::string_view key,
                                                  size_t max_len) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string()) return Bad(key, "must be a string");
  const auto& s = it->value().get_string();
  if (s.size() > max_len) return Bad(key, "is too long");
  if (std::string_view(s).find('\0') != std::string_view::npos)
    return Bad(key, "must not contain NUL characters");
  return std::optional<std::string>(std::string(s));
}

Result<std::string> RequiredString(const json::object& o, std::string_view key, size_t max_len) {
  auto s = OptionalString(o, key, max_len);
  if (!s) return std::move(s).error();
  if (!s.value()) return Bad(key, "is required");
  return std::move(*s.value());
}

Result<bool> OptionalBool(const json::object& o, std::string_view key, bool fallback) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return fallback;
  if (!it->value().is_bool()) return Bad(key, "must be true or false");
  return it->value().get_bool();
}

Result<bool> RequiredBool(const json::object& o, std::string_view key) {
  if (!o.contains(key)) return Bad(key, "is required");
  return OptionalBool(o, key, false);
}

Result<std::optional<domain::DeviceDescription>> OptionalDevice(const json::object& o,
                                                                std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null())
    return std::optional<domain::DeviceDescription>();
  if (!it->value().is_object()) return Bad(key, "must be an object");
  const auto& d = it->value().get_object();
  domain::DeviceDescription out;
  std::pair<std::string_view, std::string*> fields[] = {
      {"name", &out.name}, {"model", &out.model}, {"os", &out.os},
      {"app", &out.app}, {"app_version", &out.app_version}};
  auto id = RequiredString(d, "id", 64);
  if (!id) return Bad("device.id", "is required and must be a string");
  out.id = std::move(*id);
  if (!domain::IsValidInstallId(out.id))
    return Bad("device.id", "must be 8-64 characters of A-Z, a-z, 0-9, _ or -");
  for (auto& [name, target] : fields) {
    // A field that is sent follows SPEC §2 Device descriptions; one left
    // out stays empty. The byte bound only cuts parsing short: 64
    // characters after NFC is the rule, checked by the domain.
    const std::string field = "device." + std::string(name);
    auto v = OptionalString(d, name, 1024);
    if (!v) return Bad(field, "must be a string of 1 to 64 characters");
    if (!*v) continue;
    auto text = domain::NormalizeDeviceText(field, **v);
    if (!text) return std::move(text).error();
    *target = std::move(*text);
  }
  return std::optional<domain::DeviceDescription>(std::move(out));
}

Result<domain::DeviceDescription> RequiredDevice(const json::object& o, std::string_view key) {
  auto d = OptionalDevice(o, key);
  if (!d) return std::move(d).error();
  if (!d.value()) return Bad(key, "is required");
  return std::move(*d.value());
}

}  // namespace twostep::http
