// Signpost — Result<T>: an outcome that is either a value or an error, never an exception.
//
// Network and other expected failures are values (STYLE.md §4): a server that is down is a normal
// outcome the caller must handle. Storage and file boundaries throw typed exceptions instead.
// Thread-safety: a plain value type.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace signpost {

struct Error {
    std::string code;     // machine-readable, stable: "timeout", "http_503", "captive_portal", ...
    std::string message;  // one line for logs and the staff panel; never holds resident data
};

template <class T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const noexcept { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const noexcept { return ok(); }
    const T& value() const& {
        return std::get<T>(m_state);
    }  // throws std::bad_variant_access if !ok()
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const Error& error() const& { return std::get<Error>(m_state); }  // throws if ok()

private:
    std::variant<T, Error> m_state;
};

struct Unit {};  // Result<Unit> for operations with no value.

}  // namespace signpost
