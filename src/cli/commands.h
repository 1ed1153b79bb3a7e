// The `twostep` commands: each a function of the client and its arguments;
// returns the exit status. Errors are thrown as CliError.
#pragma once

#include <string>
#include <vector>

#include "cli/client_app.h"

namespace twostep::cli {

struct LoginArgs {
  std::string email;
  bool password_stdin = false;
  bool no_trust = false;
  std::string device_name;  // when set: the name this device goes by from now on
};

int Register(ClientApp& app, const std::string& email, bool password_stdin);
int VerifyEmail(ClientApp& app, const std::string& challenge_id, const std::string& code);
int Login(ClientApp& app, const LoginArgs& args);
int Logout(ClientApp& app);
int WhoAmI(ClientApp& app);
// PATCH /v1/account: the account's language and/or time zone (empty = left
// as it is); this client speaks the new language at once.
int AccountSet(ClientApp& app, const std::string& locale, const std::string& time_zone);
int Security(ClientApp& app);
int TwoStepSwitch(ClientApp& app, bool on, bool password_stdin);
int Devices(ClientApp& app);
int RemoveDevice(ClientApp& app, const std::string& id);
int Activity(ClientApp& app, int limit, long long before);
int Deny(ClientApp& app, const std::string& challenge_id);
int Listen(ClientApp& app, bool once);
int PasswordForgot(ClientApp& app, const std::string& email, bool password_stdin);
int PasswordChange(ClientApp& app, bool password_stdin, bool sign_out_others);
int PasswordStrength(ClientApp& app, const std::string& password, const std::string& email);
int PasswordGenerate(ClientApp& app, int length, bool symbols);
int RolloutGet(ClientApp& app, const std::string& feature, const std::string& app_id);
int RolloutSet(ClientApp& app, const std::string& feature, const std::string& app_id, int percent,
               const std::vector<std::string>& allow);

}  // namespace twostep::cli
