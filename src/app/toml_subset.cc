#include "app/toml_subset.h"

#include <cctype>
#include <cstring>

#include "app/config.h"

namespace twostep::app {

namespace {

// A recursive-descent reader of the subset, one character at a time; it
// only accepts or refuses, toml++ builds the values afterwards.
class TomlSubsetChecker {
 public:
  TomlSubsetChecker(const std::string& where, std::string_view text) : where_(where), t_(text) {}

  void Document() {
    while (i_ < t_.size()) {
      Blank();
      if (Peek() == '[') {
        ++i_;
        Blank();
        Key();
        Blank();
        Expect(']', "a table header must be [name]");
      } else if (Peek() != '#' && !AtLineEnd()) {
        Key();
        Blank();
        Expect('=', "expected key = value");
        Blank();
        Value(true);
      }
      Blank();
      Comment();
      LineEnd();
    }
  }

 private:
  [[noreturn]] void Fail(const char* what) {
    throw ConfigError(where_ + ": not valid here (" + what + ") at line " + std::to_string(line_));
  }
  char Peek(size_t ahead = 0) const { return i_ + ahead < t_.size() ? t_[i_ + ahead] : '\0'; }
  bool StartsWith(std::string_view s) const { return t_.substr(i_, s.size()) == s; }
  void Expect(char ch, const char* what) {
    if (Peek() != ch) Fail(what);
    ++i_;
  }
  void Blank() {
    while (Peek() == ' ' || Peek() == '\t') ++i_;
  }
  bool AtLineEnd() const { return i_ >= t_.size() || Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n'); }
  void Comment() {
    if (Peek() != '#') return;
    while (!AtLineEnd()) Char(true);
  }
  void LineEnd() {
    if (i_ >= t_.size()) return;
    if (Peek() == '\r') ++i_;
    Expect('\n', "expected the end of the line");
    ++line_;
  }
  // One character of a string or comment: no control characters (tab is fine).
  void Char(bool non_ascii_ok) {
    unsigned char ch = static_cast<unsigned char>(Peek());
    if ((ch < 0x20 && ch != '\t') || ch == 0x7f) Fail("control character");
    if (ch >= 0x80 && !non_ascii_ok) Fail("non-ASCII character outside a string or comment");
    ++i_;
  }
  static bool Bare(char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
  }
  void Key() {
    for (;;) {
      if (Peek() == '"') {
        BasicString();
      } else if (Peek() == '\'') {
        LiteralString();
      } else {
        if (!Bare(Peek())) Fail("expected a key");
        while (Bare(Peek())) ++i_;
      }
      Blank();
      if (Peek() != '.') return;
      ++i_;
      Blank();
    }
  }
  void Escape() {
    ++i_;  // the backslash
    char e = Peek();
    if (std::strchr("btnfr\"\\", e) != nullptr && e != '\0') {
      ++i_;
      return;
    }
    int hex = e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (!hex) Fail("unknown escape");
    ++i_;
    for (int k = 0; k < hex; ++k) {
      if (!std::isxdigit(static_cast<unsigned char>(Peek()))) Fail("bad \\u escape");
      ++i_;
    }
  }
  void BasicString() {
    ++i_;
    while (Peek() != '"') {
      if (AtLineEnd()) Fail("unterminated string");
      if (Peek() == '\\') Escape(); else Char(true);
    }
    ++i_;
  }
  void LiteralString() {
    ++i_;
    while (Peek() != '\'') {
      if (AtLineEnd()) Fail("unterminated string");
      Char(true);
    }
    ++i_;
  }
  void MultiLine(std::string_view quotes, bool escapes) {
    i_ += 3;
    for (;;) {
      if (i_ >= t_.size()) Fail("unterminated string");
      if (StartsWith(quotes)) {
        i_ += 3;
        for (int k = 0; k < 2 && StartsWith(quotes.substr(0, 1)); ++k) ++i_;  // "" before the end
        return;
      }
      if (Peek() == '\r' && Peek(1) == '\n') {
        i_ += 2;
        ++line_;
      } else if (Peek() == '\n') {
        ++i_;
        ++line_;
      } else if (escapes && Peek() == '\\') {
        size_t j = i_ + 1;
        while (j < t_.size() && (t_[j] == ' ' || t_[j] == '\t' || t_[j] == '\r')) ++j;
        if (j < t_.size() && t_[j] == '\n') {
          // A line-ending backslash: toml++ trims the whitespace after it and
          // must then find an ASCII character (it reaches UB on others).
          i_ = j;
          while (Peek() == ' ' || Peek() == '\t' || Peek() == '\r' || Peek() == '\n') {
            if (Peek() == '\n') ++line_;
            ++i_;
          }
          if (static_cast<unsigned char>(Peek()) >= 0x80) Fail("non-ASCII character after a line-ending backslash");
        } else {
          Escape();
        }
      } else {
        Char(true);
      }
    }
  }
  void Value(bool array_ok) {
    char ch = Peek();
    if (StartsWith("\"\"\"")) return MultiLine("\"\"\"", true);
    if (StartsWith("'''")) return MultiLine("'''", false);
    if (ch == '"') return BasicString();
    if (ch == '\'') return LiteralString();
    if (StartsWith("true")) { i_ += 4; return AfterScalar(); }
    if (StartsWith("false")) { i_ += 5; return AfterScalar(); }
    if (ch == '[' && array_ok) return Array();
    if (ch == '+' || ch == '-') ++i_;
    if (!std::isdigit(static_cast<unsigned char>(Peek()))) Fail("expected a string, integer, boolean or array");
    while (std::isdigit(static_cast<unsigned char>(Peek())) ||
           (Peek() == '_' && std::isdigit(static_cast<unsigned char>(Peek(1)))))
      ++i_;
    AfterScalar();
  }
  void AfterScalar() {
    char ch = Peek();
    if (!(ch == '\0' || ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '#' ||
          ch == ',' || ch == ']'))
      Fail("expected a string, integer, boolean or array");
  }
  // Blanks, comments and line ends inside an array.
  void ArraySpace() {
    for (;;) {
      Blank();
      Comment();
      if (i_ < t_.size() && AtLineEnd()) LineEnd(); else return;
    }
  }
  void Array() {
    ++i_;
    ArraySpace();
    while (Peek() != ']') {
      Value(false);
      ArraySpace();
      if (Peek() == ',') {
        ++i_;
        ArraySpace();
      } else if (Peek() != ']') {
        Fail("expected , or ] in an array");
      }
    }
    ++i_;
  }

  const std::string& where_;
  std::string_view t_;
  size_t i_ = 0;
  int line_ = 1;
};

}  // namespace

void CheckTomlSubset(const std::string& where, std::string_view text) {
  TomlSubsetChecker(where, text).Document();
}

}  // namespace twostep::app
