// Signpost server — the transport's connections: the per-address cap checked at accept (trusted
// proxies exempt), the bookkeeping of open connections, and the reaper that closes a connection
// whose request has outlived request_timeout however slowly its bytes trickle in.
#include "sync/server/http_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "sync/server/http_transport_internal.h"

namespace signpost::server {

using namespace http_detail;

namespace {

constexpr auto kReaperPeriod = std::chrono::milliseconds(250);

std::string addressText(const sockaddr* address) {
    if (address == nullptr) {
        return "";
    }
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text,
                    sizeof text);
    } else if (address->sa_family == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
                    sizeof text);
    } else {
        return "";
    }
    const auto parsed = IpAddress::parse(text);  // ::ffff:192.0.2.7 → 192.0.2.7
    return parsed ? parsed->toString() : std::string(text);
}

}  // namespace

// --- Connections ---

MHD_Result HttpTransport::Impl::onAccept(void* cls, const sockaddr* address, socklen_t) {
    auto& self = *static_cast<Impl*>(cls);
    const std::string peer = addressText(address);
    if (self.options.trustedProxies.contains(peer)) {
        return MHD_YES;
    }
    const std::string key = addressKey(peer);
    std::lock_guard lock(self.connectionsMutex);
    const auto it = self.perAddress.find(key);
    if (it != self.perAddress.end() && it->second >= self.options.maxConnectionsPerAddress) {
        ++self.cappedCount;
        return MHD_NO;
    }
    return MHD_YES;
}

void HttpTransport::Impl::onConnection(void* cls, MHD_Connection* mhd, void** socketContext,
                                       MHD_ConnectionNotificationCode code) {
    auto& self = *static_cast<Impl*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        auto connection = std::make_unique<Connection>();
        if (const auto* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CONNECTION_FD)) {
            connection->fd = info->connect_fd;
        }
        if (const auto* info = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) {
            connection->peer = addressText(info->client_addr);
        }
        if (!self.options.trustedProxies.contains(connection->peer)) {
            connection->key = addressKey(connection->peer);
        }
        connection->since = Clock::now();
        std::lock_guard lock(self.connectionsMutex);
        if (!connection->key.empty()) {
            ++self.perAddress[connection->key];
        }
        *socketContext = connection.get();
        self.connections.insert(connection.release());
        return;
    }
    // Closed: libmicrohttpd calls this before it closes the socket, so under the mutex the
    // reaper never shuts down a descriptor that was already reused.
    auto* connection = static_cast<Connection*>(*socketContext);
    if (connection == nullptr) {
        return;
    }
    {
        std::lock_guard lock(self.connectionsMutex);
        self.connections.erase(connection);
        if (!connection->key.empty()) {
            const auto it = self.perAddress.find(connection->key);
            if (it != self.perAddress.end() && --it->second == 0) {
                self.perAddress.erase(it);
            }
        }
    }
    delete connection;
    *socketContext = nullptr;
}

void HttpTransport::Impl::markBusy(Connection* connection, bool busy) {
    if (connection == nullptr) {
        return;
    }
    std::lock_guard lock(connectionsMutex);
    connection->busy = busy;  // back to false: the deadline counts on from `since`
}

// Closes connections whose request has taken longer than request_timeout in all, whatever
// trickle of bytes keeps libmicrohttpd's per-read timeout from firing.
void HttpTransport::Impl::reap() {
    std::unique_lock wait(reaperMutex);
    while (!reaperWake.wait_for(wait, kReaperPeriod, [this] { return reaperStop; })) {
        const auto now = Clock::now();
        std::lock_guard lock(connectionsMutex);
        for (Connection* connection : connections) {
            if (!connection->busy && !connection->cut &&
                now - connection->since > options.requestTimeout &&
                connection->fd != MHD_INVALID_SOCKET) {
                ::shutdown(connection->fd, SHUT_RDWR);  // the event loop sees it and closes
                connection->cut = true;
                ++deadlineCount;
            }
        }
    }
}

}  // namespace signpost::server
