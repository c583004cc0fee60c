// Signpost — buffers for resident data that are wiped when freed.
//
// Everything a resident types (names, phone numbers, free text) and every plaintext referral lives
// in these types. The allocator calls sodium_memzero() on every block it frees, so growing a
// string or destroying it leaves no copy behind in freed heap memory.
//
// Thread-safety: same as std::basic_string / std::vector (no shared state).
// Throws: std::bad_alloc like the standard containers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signpost {

// Zeroes memory in a way the optimiser may not remove (wraps sodium_memzero).
void secureWipe(void* data, std::size_t size) noexcept;

template <class T>
struct ZeroingAllocator {
    using value_type = T;
    ZeroingAllocator() noexcept = default;
    template <class U>
    ZeroingAllocator(const ZeroingAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
    T* allocate(std::size_t count) { return static_cast<T*>(::operator new(count * sizeof(T))); }
    void deallocate(T* pointer, std::size_t count) noexcept {
        secureWipe(pointer, count * sizeof(T));
        ::operator delete(pointer);
    }
    template <class U>
    bool operator==(const ZeroingAllocator<U>&) const noexcept {
        return true;
    }
};

// A std::string whose storage is wiped on free. Note: std::string's small-string buffer lives
// inside the object; wipe() clears it too, so call wipe() on form fields at session reset.
using SecureString = std::basic_string<char, std::char_traits<char>, ZeroingAllocator<char>>;
// Raw bytes (plaintext referral JSON, secret keys) wiped on free.
using SecureBytes = std::vector<std::uint8_t, ZeroingAllocator<std::uint8_t>>;

// Overwrites the whole capacity (including the small-string buffer) and empties the string.
void wipe(SecureString& text) noexcept;
void wipe(SecureBytes& bytes) noexcept;

// Runs `cleanup` when the scope ends, normally or by an exception, so what a function decrypted,
// was typed or cleaned is wiped however it leaves:
//   SecureBytes plaintext = open(...);
//   const WipeOnExit guard([&] { wipe(plaintext); });
// The one guard for the whole tree; `cleanup` must not throw.
template <class Cleanup>
class [[nodiscard]] WipeOnExit {
public:
    explicit WipeOnExit(Cleanup cleanup) noexcept : m_cleanup(std::move(cleanup)) {}
    ~WipeOnExit() { m_cleanup(); }
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;

private:
    Cleanup m_cleanup;
};

inline std::string_view view(const SecureString& text) noexcept {
    return {text.data(), text.size()};
}
inline std::string_view view(const SecureBytes& bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace signpost
