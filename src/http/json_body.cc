#include "http/json_body.h"

#include <boost/json.hpp>

namespace twostep::http {

namespace json = boost::json;

namespace {
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
  // Duplicate keys: boost keeps the last; a strict API refuses them.
  const auto& o = v.get_object();
  for (auto it = o.begin(); it != o.end(); ++it)
    for (auto jt = std::next(it); jt != o.end(); ++jt)
      if (it->key() == jt->key()) return Error::InvalidRequest("Duplicate field in the body.");
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
    auto v = OptionalString(d, name, 128);
    if (!v) return Bad("device." + std::string(name), "must be a string of at most 128 bytes");
    if (*v) *target = std::move(**v);
    for (unsigned char ch : *target)
      if (ch < 0x20 || ch == 0x7f) return Bad("device." + std::string(name), "has control characters");
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
