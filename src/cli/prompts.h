// The questions the client asks and the answers it reads: passwords, and
// codes that are asked again (instead of ending the command) when they are
// malformed or wrong. Each prompt goes to stderr, so stdout stays clean for
// --json.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "cli/client_app.h"

namespace twostep::cli {

// A member of a JSON object as text ("" when absent; numbers and booleans
// spelled out).
std::string Str(const boost::json::value& v, const char* key);

// A password from the terminal without echo, or the next line of stdin with
// --password-stdin. Throws CliError when none is given.
std::string AskPassword(const ClientApp& app, bool from_stdin, const std::string& prompt);

// The hint for a forgotten password (after a wrong one).
std::string ForgotPasswordHint(const ClientApp& app, const std::string& email);

// Submits codes until the server accepts one: `first` (e.g. a code given on
// the command line) and then what the user types at `prompt`. A line that is
// not a code is refused here without asking the server; a wrong code (400
// invalid_code) is told with its attempts left and asked again, on the same
// challenge (no new mail). Returns the accepted answer. Throws CliError at the
// end of input, when the attempts are used up, or on any other refusal.
ApiResponse EnterCode(ClientApp& app, const std::string& prompt, std::optional<std::string> first,
                      const std::function<ApiResponse(const std::string& code)>& submit);

// Reports a wrong code (text, or the --json line {"status":"invalid_code"}).
void TellWrongCode(ClientApp& app, const ApiResponse& r);

}  // namespace twostep::cli
