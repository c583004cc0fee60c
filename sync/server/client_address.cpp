#include "sync/server/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/common/text_util.h"

namespace signpost::server {

namespace {

constexpr std::size_t kMaxForwardedHops = 64;  // entries examined; a longer list is forged

// One X-Forwarded-For entry: "192.0.2.7", "192.0.2.7:5678", "2001:db8::1", "[2001:db8::1]" or
// "[2001:db8::1]:443" (some proxies add ports).
std::optional<IpAddress> parseHop(std::string_view entry) {
    entry = trim(entry);
    if (!entry.empty() && entry.front() == '[') {
        const auto close = entry.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        const std::string_view rest = entry.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') {
            return std::nullopt;
        }
        return IpAddress::parse(entry.substr(1, close - 1));
    }
    if (auto address = IpAddress::parse(entry)) {
        return address;
    }
    // "a.b.c.d:port": exactly one colon, so not IPv6.
    const auto colon = entry.find(':');
    if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
        auto address = IpAddress::parse(entry.substr(0, colon));
        if (address && address->v4) {
            return address;
        }
    }
    return std::nullopt;
}

bool inNetwork(const IpAddress& address, const IpAddress& base, int prefix) noexcept {
    const int whole = prefix / 8;
    if (std::memcmp(address.bytes.data(), base.bytes.data(), static_cast<std::size_t>(whole)) !=
        0) {
        return false;
    }
    const int bits = prefix % 8;
    if (bits == 0) {
        return true;
    }
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - bits));
    return (address.bytes[static_cast<std::size_t>(whole)] & mask) ==
           (base.bytes[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > 45) {  // INET6_ADDRSTRLEN - 1
        return std::nullopt;
    }
    const std::string copy(text);  // inet_pton needs a terminated string
    IpAddress address;
    in_addr v4{};
    if (::inet_pton(AF_INET, copy.c_str(), &v4) == 1) {
        address.v4 = true;
        address.bytes[10] = 0xFF;
        address.bytes[11] = 0xFF;
        std::memcpy(address.bytes.data() + 12, &v4, 4);
        return address;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, copy.c_str(), &v6) == 1) {
        std::memcpy(address.bytes.data(), &v6, 16);
        static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
        address.v4 = std::memcmp(address.bytes.data(), kMapped, 12) == 0;
        return address;
    }
    return std::nullopt;
}

std::string IpAddress::toString() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (v4) {
        ::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
    } else {
        ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
    }
    return text;
}

TrustedProxies TrustedProxies::parse(const std::vector<std::string>& entries) {
    TrustedProxies proxies;
    for (const std::string& entry : entries) {
        const std::string_view text = trim(entry);
        const auto slash = text.find('/');
        const auto address = IpAddress::parse(text.substr(0, slash));
        if (!address) {
            throw std::invalid_argument("\"" + entry + "\" is not an IP address or network");
        }
        Network network{*address, 128};
        if (slash != std::string_view::npos) {
            const std::string_view bits = text.substr(slash + 1);
            int prefix = -1;
            const auto [end, error] =
                std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
            // The prefix counts bits of the address as written: "::ffff:192.0.2.0/120" is an
            // IPv6 prefix even though it names IPv4 addresses.
            const bool writtenV4 = text.substr(0, slash).find(':') == std::string_view::npos;
            const int most = writtenV4 ? 32 : 128;
            if (error != std::errc() || end != bits.data() + bits.size() || bits.empty() ||
                prefix < 0 || prefix > most) {
                throw std::invalid_argument("\"" + entry + "\": the prefix length must be 0 to " +
                                            std::to_string(most));
            }
            network.prefix = writtenV4 ? prefix + 96 : prefix;
        }
        proxies.m_networks.push_back(network);
    }
    return proxies;
}

bool TrustedProxies::contains(const IpAddress& address) const noexcept {
    for (const Network& network : m_networks) {
        if (inNetwork(address, network.base, network.prefix)) {
            return true;
        }
    }
    return false;
}

bool TrustedProxies::contains(std::string_view address) const {
    const auto parsed = IpAddress::parse(address);
    return parsed && contains(*parsed);
}

std::string TrustedProxies::clientAddress(std::string_view peer,
                                          std::string_view forwardedFor) const {
    const auto peerAddress = IpAddress::parse(peer);
    if (!peerAddress) {
        return std::string(peer);
    }
    IpAddress client = *peerAddress;
    if (!contains(client) || trim(forwardedFor).empty()) {
        return client.toString();
    }
    std::string_view rest = forwardedFor;
    for (std::size_t hops = 0; hops < kMaxForwardedHops && !rest.empty(); ++hops) {
        const auto comma = rest.rfind(',');
        const std::string_view entry =
            comma == std::string_view::npos ? rest : rest.substr(comma + 1);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
        const auto hop = parseHop(entry);
        if (!hop) {
            break;  // forged or broken: keep the last hop we could trust
        }
        client = *hop;
        if (!contains(client)) {
            break;  // the first address our proxies did not add: the client
        }
    }
    return client.toString();
}

std::string addressKey(std::string_view address) {
    const auto parsed = IpAddress::parse(address);
    if (!parsed) {
        return std::string(address);
    }
    if (parsed->v4) {
        return parsed->toString();
    }
    IpAddress network = *parsed;
    std::fill(network.bytes.begin() + 8, network.bytes.end(), std::uint8_t{0});
    return network.toString() + "/64";
}

}  // namespace signpost::server
