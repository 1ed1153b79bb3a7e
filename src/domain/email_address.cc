#include "domain/email_address.h"

#include <algorithm>

namespace twostep::domain {

namespace {
Error Invalid(std::string detail) { return {ErrorCode::kInvalidEmail, std::move(detail)}; }

bool ValidLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
}

bool ValidLocalChar(char ch) {
  if (ch <= 0x20 || ch >= 0x7f) return false;  // controls, space, DEL, non-ASCII
  return std::string_view("\"<>,;\\()[]:@").find(ch) == std::string_view::npos;
}
}  // namespace

Result<std::string> NormalizeEmail(std::string_view raw) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  if (raw.empty()) return Invalid("Enter an email address.");
  if (raw.size() > 254) return Invalid("The email address is too long.");
  std::string email(raw);
  for (char& ch : email) {
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f)
      return Invalid("The email address contains characters that are not allowed.");
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  auto at = email.find('@');
  if (at == std::string::npos || email.find('@', at + 1) != std::string::npos)
    return Invalid("The email address must contain exactly one @.");
  std::string_view local(email.data(), at);
  std::string_view domain(email.data() + at + 1, email.size() - at - 1);
  if (local.empty() || local.size() > 64 || !std::all_of(local.begin(), local.end(), ValidLocalChar) ||
      local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return Invalid("The part before @ is not a valid mailbox name.");
  int labels = 0;
  std::string_view last;
  for (size_t start = 0;;) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!ValidLabel(label)) return Invalid("The domain of the email address is not valid.");
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2 || std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return Invalid("The domain of the email address is not valid.");
  return email;
}

std::string MailboxOf(std::string_view email) {
  std::string box(email);
  for (char& ch : box)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  auto at = box.rfind('@');
  if (at == std::string::npos) return box;
  auto plus = box.find('+');
  if (plus == 0 || plus > at) return box;
  return box.erase(plus, at - plus);
}

std::string MaskEmail(std::string_view email) {
  auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(1, email[0]) + "***" + std::string(email.substr(at));
}

}  // namespace twostep::domain
