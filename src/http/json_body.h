// Decoding request bodies: strict JSON objects with limits, and typed field
// access that answers a clear 400 naming the field (never echoing a value).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "domain/device.h"

namespace twostep::http {

// Parses `body` as one JSON object: depth ≤ 8, no duplicate keys, valid
// UTF-8, no trailing data. 400 invalid_request otherwise.
Result<boost::json::object> ParseObject(std::string_view body);

// Field readers: 400 when missing (Required*) or of the wrong type. Strings
// are limited to `max_len` bytes and may not contain NUL.
Result<std::string> RequiredString(const boost::json::object& o, std::string_view key,
                                   size_t max_len = 1024);
Result<std::optional<std::string>> OptionalString(const boost::json::object& o,
                                                  std::string_view key, size_t max_len = 1024);
Result<bool> RequiredBool(const boost::json::object& o, std::string_view key);
Result<bool> OptionalBool(const boost::json::object& o, std::string_view key, bool fallback);
Result<domain::DeviceDescription> RequiredDevice(const boost::json::object& o,
                                                 std::string_view key);
Result<std::optional<domain::DeviceDescription>> OptionalDevice(const boost::json::object& o,
                                                                std::string_view key);

}  // namespace twostep::http
