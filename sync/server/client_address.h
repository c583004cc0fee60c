// Signpost server — who the client is: the TCP peer, or, when the peer is a trusted reverse
// proxy ([server] trusted_proxies), the client that proxy names in X-Forwarded-For.
//
// X-Forwarded-For is a list each proxy appends the address it saw to; only the entries our own
// proxies appended can be believed (anything to their left was sent by the client and may be
// forged). So the list is read from the right, skipping trusted proxies, and the first address
// that is not one is the client. From a peer that is not trusted the header is ignored.
//
// Rate limits and the per-address connection cap key on addressKey(): an IPv4 address as is, an
// IPv6 address by its /64, because one IPv6 host usually holds a whole /64.
//
// Thread-safety: TrustedProxies is immutable after parse(); functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::server {

// An IP address as 16 bytes (IPv4 as ::ffff:a.b.c.d).
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool v4 = false;

    // "192.0.2.7", "2001:db8::1", "::ffff:192.0.2.7"; nullopt for anything else.
    static std::optional<IpAddress> parse(std::string_view text);
    // Canonical text: dotted IPv4 (also for IPv4-mapped IPv6), RFC 5952 IPv6.
    std::string toString() const;
};

class TrustedProxies {
public:
    TrustedProxies() = default;  // trusts nobody

    // Entries like "127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32". Throws
    // std::invalid_argument naming the first entry that is not an address or network.
    static TrustedProxies parse(const std::vector<std::string>& entries);

    bool empty() const noexcept { return m_networks.empty(); }
    bool contains(const IpAddress& address) const noexcept;
    bool contains(std::string_view address) const;

    // The client's address (canonical text) for a connection from `peer` carrying
    // `forwardedFor` (every X-Forwarded-For header's value joined with ","; "" when none).
    // `peer` itself when it is not trusted, when the header is absent, or when the entry where
    // the walk stops is malformed (then the last trusted hop is the best we know).
    std::string clientAddress(std::string_view peer, std::string_view forwardedFor) const;

private:
    struct Network {
        IpAddress base;
        int prefix = 128;  // bits, over the 16-byte form
    };
    std::vector<Network> m_networks;
};

// The key rate limits and connection caps count per: IPv4 as is, IPv6 by its /64
// ("2001:db8:1:2::/64"). Text that is not an address is its own key.
std::string addressKey(std::string_view address);

}  // namespace signpost::server
