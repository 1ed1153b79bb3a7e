// The use cases the public API calls, built once by the composition root
// (app/use_cases.h) and handed to the router. The router holds references:
// the use cases outlive it.
#pragma once

#include "service/account_settings.h"
#include "service/challenge_actions.h"
#include "service/challenge_status.h"
#include "service/devices.h"
#include "service/passwords.h"
#include "service/push_registrations.h"
#include "service/registration.h"
#include "service/rollouts.h"
#include "service/sessions.h"
#include "service/sign_in.h"
#include "service/two_step.h"
#include "service/verify_sign_in.h"

namespace twostep::http {

struct ApiUseCases {
  service::Registration& registration;
  service::SignIn& sign_in;
  service::VerifySignIn& verify_sign_in;
  service::Sessions& sessions;
  service::Passwords& passwords;
  service::TwoStep& two_step;
  service::ChallengeActions& challenges;
  service::Devices& devices;
  service::Rollouts& rollouts;
  service::PushRegistrations& push;
  service::ChallengeStatus& challenge_status;
  service::AccountSettings& account_settings;
};

}  // namespace twostep::http
