// Signpost server — gzip (RFC 1952) in memory, via zlib. Directory responses are compressed once
// per version and served many times, so compression uses the best level.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace signpost::server {

// Throws std::runtime_error only if zlib fails to start (out of memory).
std::string gzipCompress(std::string_view data, int level = 9);
// nullopt for data that is not a complete gzip stream or inflates beyond maxOutput bytes.
std::optional<std::string> gzipDecompress(std::string_view data, std::size_t maxOutput = 256u << 20);

}  // namespace signpost::server
