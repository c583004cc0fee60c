// Signpost — internals shared by the wire format's sources (wire.cpp, wire_devices.cpp,
// wire_submissions.cpp); not an API, included by nothing else.
//
// Fields are read with the one JSON field reader (core/common/json_fields.h); readDocument()
// turns its JsonFieldError into the WireFormatError every caller of wire.h catches.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/json_fields.h"
#include "sync/protocol/wire.h"

namespace signpost::protocol::wire_detail {

using nlohmann::json;

// Deeper than any message of ours; nlohmann's parser itself is iterative, but a DOM this deep
// costs memory for nothing.
inline constexpr std::size_t kMaxDepth = 64;

// Parses a request or response body. Throws WireFormatError: not JSON, nested deeper than
// kMaxDepth, or a number JSON can write but we cannot hold (1e400, named by its field path).
json parseDocument(std::string_view text);

// Parses `text` and reads its top-level object with `read(const JsonFields&)`; a field error
// becomes WireFormatError(path, problem).
template <class Read>
auto readDocument(std::string_view text, Read&& read) {
    const json document = parseDocument(text);
    try {
        const JsonFields root(document);
        return read(root);
    } catch (const JsonFieldError& error) {
        throw WireFormatError(error.path(), error.problem());
    }
}

// An optional text field: "" when not given.
inline std::string optionalText(const JsonFields& fields, const char* name, std::size_t maxBytes) {
    return fields.optionalString(name, maxBytes).value_or(std::string());
}

// A required base64 field decoding to minBytes..maxBytes bytes (every base64 field on the wire
// holds public bytes: keys, signatures, sealed boxes).
std::vector<std::uint8_t> base64Field(const JsonFields& fields, const char* name,
                                      std::size_t minBytes, std::size_t maxBytes);

}  // namespace signpost::protocol::wire_detail
