#include "http/response_head.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>

namespace twostep::http {

namespace {
// Field names compare without case; most differ in length already.
bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && boost::beast::iequals(a, b);
}
}  // namespace

void ResponseHead::Set(std::string_view name, std::string_view value) {
  // A field that could end its line early would let a value split the
  // answer (header injection): it is left out. Every field the handlers
  // set today is a constant or a number; this guards the ones to come.
  if (name.empty() || name.find_first_of(":\r\n") != std::string_view::npos ||
      value.find_first_of("\r\n") != std::string_view::npos)
    return;
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& f) { return SameName(f.name, name); }),
                fields_.end());
  fields_.push_back({name, value});
}

void ResponseHead::Write(std::string& out, size_t content_length, bool keep_alive) const {
  namespace bhttp = boost::beast::http;
  // Beast writes the number as three digits and the reason of its table
  // ("<unknown-status>" for a number it does not know).
  const auto code = static_cast<unsigned>(status_);
  const char line[] = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ',
                       static_cast<char>('0' + code / 100 % 10),
                       static_cast<char>('0' + code / 10 % 10),
                       static_cast<char>('0' + code % 10), ' '};
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(code));
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, content_length);
  const std::string_view length(digits, static_cast<size_t>(end - digits));
  // Content-Length and Connection are the server's: Beast's content_length
  // and keep_alive replaced any set before (and put theirs last).
  auto written = [](const Field& f) {
    return !SameName(f.name, "Content-Length") && !SameName(f.name, "Connection");
  };
  // Measured first, then copied into place: one allocation at most (none
  // once the kept buffer has grown), no per-piece capacity checks.
  size_t size = sizeof line + reason.size() + 2 + 16 + length.size() + 2 + 2;
  for (const Field& f : fields_)
    if (written(f)) size += f.name.size() + 2 + f.value.size() + 2;
  if (!keep_alive) size += 19;
  out.resize(size);
  char* at = out.data();
  auto put = [&at](std::string_view s) {
    std::memcpy(at, s.data(), s.size());
    at += s.size();
  };
  put(std::string_view(line, sizeof line));
  put(std::string_view(reason.data(), reason.size()));
  put("\r\n");
  for (const Field& f : fields_) {
    if (!written(f)) continue;
    put(f.name);
    put(": ");
    put(f.value);
    put("\r\n");
  }
  put("Content-Length: ");
  put(length);
  put("\r\n");
  if (!keep_alive) put("Connection: close\r\n");
  put("\r\n");
}

}  // namespace twostep::http
