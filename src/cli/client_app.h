// ClientApp: one run of the `twostep` client: its server, profile and
// output mode, authenticated calls that refresh the access token on their
// own, the language it speaks (cli/texts.h), and how errors are shown (one
// sentence plus the problem code; never a token or a secret).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "cli/api_client.h"
#include "cli/profile.h"
#include "cli/texts.h"

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
  std::string lang;  // --lang: wins over the account's and the terminal's language
  bool json = false;
};

class ClientApp {
 public:
  explicit ClientApp(ClientOptions options);

  // Unauthenticated call.
  ApiResponse Call(const std::string& method, const std::string& target,
                   const std::optional<boost::json::value>& body = std::nullopt);
  // With the profile's access token; on 401 refreshes once and retries.
  // Refreshes are shared: threads of this process and other `twostep`
  // processes of the same profile that find the same token expired spend
  // the refresh token once (the profile lock, then a re-read of the
  // profile), since a second use of a refresh token revokes the session.
  // Throws CliError when signed out. Thread-safe.
  ApiResponse Authed(const std::string& method, const std::string& target,
                     const std::optional<boost::json::value>& body = std::nullopt);
  // Throws CliError with the problem's detail and code unless `status` is
  // one of the expected ones.
  void Expect(const ApiResponse& r, std::initializer_list<int> ok) const;

  // The `device` object this client sends: DeviceName(), OS, --app.
  boost::json::value DeviceJson() const;
  // The name the account's device lists show: the profile's device name
  // when one was chosen (login --device-name), else the profile name, or
  // the host name for the profile called "default".
  std::string DeviceName() const;
  // Stores the tokens (and device secret) of a `session` answer.
  void SaveSession(const boost::json::value& session);
  void ClearSession();
  // Changes the stored profile under its lock, starting from what is on
  // disk (so tokens another process refreshed meanwhile are kept), and
  // makes the result this run's profile.
  void UpdateProfile(const std::function<void(Profile&)>& change);

  // Prints a result: `json` as one line with --json, else `text`.
  void Print(const std::string& text, const boost::json::value& json) const;
  // Prints a list: with --json one line per element (an empty list prints
  // nothing), else `text`.
  void PrintList(const std::string& text, const boost::json::array& items) const;

  const Profile& profile() const { return profile_; }
  // The current access token (threads of `listen` read it while another
  // may be refreshing it).
  std::string AccessToken() const;
  const ClientOptions& options() const { return options_; }

  // The words of this run in its language and time zone: --lang, else the
  // account's (once known), else the terminal's. Thread-safe.
  Texts texts() const;
  // One message of the catalog in that language (texts()(key, args)).
  std::string Text(std::string_view key, const TextArgs& args = {}) const;
  // Keeps an `account` object (GET/PATCH /v1/account) in the profile: its
  // email, language and time zone, which this run speaks from now on.
  void LearnAccount(const boost::json::value& account);
  ApiClient& api() { return api_; }

 private:
  // Makes the access token that replaced `stale` this run's token, asking
  // the server only when nobody else did; false when the session is over.
  bool RefreshAfter(const std::string& stale);

  ClientOptions options_;
  ApiClient api_;
  ProfileStore store_;
  mutable std::mutex mutex_;  // guards profile_ between listen's threads
  Profile profile_;
  Texts texts_;  // follows profile_ (guarded by mutex_)
};

// "Two-Step Verification is not available (forbidden)" from a problem body:
// the catalog's sentence for the problem's code in the user's language (the
// server's English `detail` is added only where it names what to change:
// invalid_request, invalid_email, weak_password).
std::string ProblemText(const Texts& t, const ApiResponse& r);

// The Texts for a run with --lang `flag` and `profile` (its account's
// language and zone while signed in).
Texts TextsFor(const std::string& flag, const Profile& profile);

}  // namespace twostep::cli
