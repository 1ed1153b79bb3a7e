#include "http/response_head.h"

#include <algorithm>
#include <charconv>

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
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& f) { return SameName(f.name, name); }),
                fields_.end());
  fields_.push_back({name, value});
}

void ResponseHead::Write(std::string& out, size_t content_length, bool keep_alive) const {
  namespace bhttp = boost::beast::http;
  out.clear();
  // Beast writes the number as three digits and the reason of its table
  // ("<unknown-status>" for a number it does not know).
  const auto code = static_cast<unsigned>(status_);
  const char line[] = {'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ',
                       static_cast<char>('0' + code / 100 % 10),
                       static_cast<char>('0' + code / 10 % 10),
                       static_cast<char>('0' + code % 10), ' '};
  out.append(line, sizeof line);
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(code));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  auto append = [&out](std::string_view name, std::string_view value) {
    out.append(name);
    out += ": ";
    out.append(value);
    out += "\r\n";
  };
  // Content-Length and Connection are the server's: Beast's content_length
  // and keep_alive replaced any set before (and put theirs last).
  for (const Field& f : fields_)
    if (!SameName(f.name, "Content-Length") && !SameName(f.name, "Connection")) append(f.name, f.value);
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, content_length);
  append("Content-Length", std::string_view(digits, static_cast<size_t>(end - digits)));
  if (!keep_alive) append("Connection", "close");
  out += "\r\n";
}

}  // namespace twostep::http
