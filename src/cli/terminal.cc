#include "cli/terminal.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace twostep::cli {

bool StdinIsTerminal() { return ::isatty(STDIN_FILENO) == 1; }

std::optional<std::string> ReadLine(const std::string& prompt) {
  if (!prompt.empty()) std::cerr << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> ReadPassword(const std::string& prompt) {
  if (!StdinIsTerminal()) return ReadLine("");
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  auto line = ReadLine(prompt);
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  return line;
}

}  // namespace twostep::cli
