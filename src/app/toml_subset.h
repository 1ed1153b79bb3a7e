// The part of TOML a twostepd configuration may use, checked before toml++
// parses it.
//
// Why: Debian's toml++ 3.3 reaches undefined behaviour on malformed input
// (TOML_UNREACHABLE and failed TOML_ASSERT_ASSUMEs: assertions in debug
// builds, optimiser assumptions under NDEBUG), e.g. control characters, "pЛ",
// 0"Л", "[`x]" or "[[}": found by fuzz/fuzz_config.cc, regression seeds
// fuzz/corpus/config/regression-*. So a configuration is first checked
// against the small part of TOML it needs, and toml++ only ever sees text of
// that shape: comments; [table] headers; key = value with bare, quoted or
// dotted keys; values that are strings (all four kinds), decimal integers,
// booleans or one-line or multi-line arrays of those. Non-ASCII text is
// allowed in strings and comments only; no inline tables, arrays of tables,
// floats or dates (no key takes them). `where` names the file or variable,
// never the value.
#pragma once

#include <string>
#include <string_view>

namespace twostep::app {

// Returns when `text` is in the subset; otherwise throws ConfigError
// (app/config.h) naming `where` and the line, never the text. Thread-safe.
void CheckTomlSubset(const std::string& where, std::string_view text);

}  // namespace twostep::app
