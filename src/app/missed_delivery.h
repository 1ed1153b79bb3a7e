// The PostgreSQL fan-out's catch-up (pg_fanout.h LocalDevices::catch_up):
// after this instance's listening connection came back, its connected
// devices get what the other instances published meanwhile
// (service/missed_notifications.h). The hub delivers codes and
// challenge_resolved only to connections that proved their trusted device,
// and the fan-out's sweep has already closed those whose session ended.
#pragma once

#include "base/time.h"
#include "http/ws_hub.h"
#include "service/missed_notifications.h"

namespace twostep::app {

// Throws StoreError when the store cannot be read.
void DeliverMissed(http::WsHub& hub, service::MissedNotifications& missed, Timestamp since);

}  // namespace twostep::app
