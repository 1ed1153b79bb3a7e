// Reading what the user types: lines, and passwords without echo (termios
// on the controlling terminal; from standard input when it is not a terminal
// or with --password-stdin).
#pragma once

#include <optional>
#include <string>

namespace twostep::cli {

// Prints `prompt` (to stderr, so stdout stays clean for --json) and reads a
// line from stdin; nullopt at end of input.
std::optional<std::string> ReadLine(const std::string& prompt);

// Reads a password with echo off when stdin is a terminal.
std::optional<std::string> ReadPassword(const std::string& prompt);

bool StdinIsTerminal();

}  // namespace twostep::cli
