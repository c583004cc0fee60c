// Signpost server — server.toml's key table (server_config_keys.cpp), declared with the config
// key engine (core/config/config_keys.h), for server_config.cpp. Other code uses
// server_config.h.
//
// Thread-safety: the table is built on first use and then only read.
#pragma once

#include "core/config/config_keys.h"
#include "sync/server/server_config.h"

namespace signpost::server {

const KeyTable<ServerConfig>& serverKeyTable();

}  // namespace signpost::server
