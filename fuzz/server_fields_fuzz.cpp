// Fuzz target: what the server reads from a request before any route runs — X-Forwarded-For
// (behind trusted proxies, sync/server/client_address.h), the rate-limit key of an address, and
// an enrollment nonce (sync/server/enrollment_nonce.h). None of these may throw. The first byte
// picks the reader.
#include <cstdint>

#include "fuzz_input.h"
#include "sync/server/client_address.h"
#include "sync/server/enrollment_nonce.h"

using namespace signpost::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    static const TrustedProxies proxies =
        TrustedProxies::parse({"127.0.0.1", "10.0.0.0/8", "fd00::/8", "::ffff:192.0.2.0/120"});
    static EnrollmentNonces nonces;
    const std::string_view text = signpost::fuzz::text(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0: {
            const std::string client = proxies.clientAddress("127.0.0.1", text);
            if (!IpAddress::parse(client)) {
                __builtin_trap();  // the client is always an address
            }
            break;
        }
        case 1:
            addressKey(text);
            if (auto address = IpAddress::parse(text)) {
                if (!IpAddress::parse(address->toString())) {
                    __builtin_trap();  // the canonical form reads back
                }
            }
            break;
        case 2:
            nonces.check(text, std::chrono::system_clock::now());
            break;
        case 3:
            try {
                TrustedProxies::parse({std::string(text)});
            } catch (const std::invalid_argument&) {
                // The documented refusal.
            }
            break;
    }
    return 0;
}
