// ClientApp: one run of the `twostep` client: its server, profile and
// output mode, authenticated calls that refresh the access token on their
// own, and how errors are shown (one sentence plus the problem code; never a
// token or a secret).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include <boost/json/value.hpp>

#include "cli/api_client.h"
#include "cli/profile.h"

namespace twostep::cli {

// A failure to show the user; `exit_code` is the process status.
class CliError : public std::runtime_error {
 public:
  CliError(std::string message, int exit_code = 1)
      : std::runtime_error(std::move(message)), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

struct ClientOptions {
  std::string server = "http://127.0.0.1:8080";
  std::string profile = "default";
  std::string app = "kasa";
  bool json = false;
};

class ClientApp {
 public:
  explicit ClientApp(ClientOptions options);

  // Unauthenticated call.
  ApiResponse Call(const std::string& method, const std::string& target,
                   const std::optional<boost::json::value>& body = std::nullopt);
  // With the profile's access token; on 401 refreshes once and retries.
  // Throws CliError when signed out.
  ApiResponse Authed(const std::string& method, const std::string& target,
                     const std::optional<boost::json::value>& body = std::nullopt);
  // Throws CliError with the problem's detail and code unless `status` is
  // one of the expected ones.
  void Expect(const ApiResponse& r, std::initializer_list<int> ok) const;

  // The `device` object this client sends: host name, OS, --app.
  boost::json::value DeviceJson() const;
  // Stores the tokens (and device secret) of a `session` answer.
  void SaveSession(const boost::json::value& session);
  void ClearSession();

  // Prints a result: `json` as one line with --json, else `text`.
  void Print(const std::string& text, const boost::json::value& json) const;

  Profile& profile() { return profile_; }
  const ClientOptions& options() const { return options_; }
  ApiClient& api() { return api_; }
  void Save() { store_.Save(profile_); }

 private:
  ClientOptions options_;
  ApiClient api_;
  ProfileStore store_;
  Profile profile_;
};

// "Two-Step Verification is not available (forbidden)" from a problem body.
std::string ProblemText(const ApiResponse& r);

}  // namespace twostep::cli
