#include "core/common/secure_buffer.h"

#include <sodium.h>

namespace signpost {

void secureWipe(void* data, std::size_t size) noexcept {
    if (data != nullptr && size > 0) {
        sodium_memzero(data, size);
    }
}

void wipe(SecureString& text) noexcept {
    // Wipe the full capacity: characters past size() may still hold an earlier, longer value.
    secureWipe(text.data(), text.capacity());
    text.clear();
}

void wipe(SecureBytes& bytes) noexcept {
    secureWipe(bytes.data(), bytes.capacity());
    bytes.clear();
}

}  // namespace signpost
