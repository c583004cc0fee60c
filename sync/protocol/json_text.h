// Signpost — writing JSON text directly, for the few hot paths where building a nlohmann DOM and
// dumping it costs more than the work itself (a page of 1,000 pulled submissions is ~2 MB of
// JSON; through the DOM the server spent most of each page's time in the serializer), and
// table-driven base64 for the public bytes on the wire (libsodium's constant-time codec, right
// for secrets, was the next largest cost on both sides of a pull).
//
// `String` is any std::basic_string<char, …> (std::string, SecureString).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace signpost::protocol {

// Appends `text` as a JSON string literal: quotes, backslashes and control characters escaped
// (\n, \r, \t, else \u00XX); everything else, UTF-8 included, copied as it is, in runs. Callers
// pass text that came out of a JSON parser or our own validation, so it is valid UTF-8.
template <class String>
void appendJsonString(String& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') {
            continue;
        }
        out.append(text.data() + runStart, i - runStart);
        runStart = i + 1;
        switch (byte) {
            case '"':
                out.append("\\\"", 2);
                break;
            case '\\':
                out.append("\\\\", 2);
                break;
            case '\n':
                out.append("\\n", 2);
                break;
            case '\r':
                out.append("\\r", 2);
                break;
            case '\t':
                out.append("\\t", 2);
                break;
            default: {
                const char escaped[6] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
                out.append(escaped, 6);
            }
        }
    }
    out.append(text.data() + runStart, text.size() - runStart);
    out.push_back('"');
}

// Appends `bytes` as a quoted standard-base64 JSON string. Table-driven, so its timing depends on
// the data: use it for public bytes only (ciphertext, signatures, public keys), never for
// secrets (ids.h toBase64 is libsodium's constant-time encoder).
template <class String>
void appendPublicBase64String(String& out, std::span<const std::uint8_t> bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::size_t start = out.size();
    out.resize(start + 2 + (bytes.size() + 2) / 3 * 4);
    char* p = out.data() + start;
    *p++ = '"';
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v =
            (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        *p++ = kAlphabet[(v >> 18) & 63];
        *p++ = kAlphabet[(v >> 12) & 63];
        *p++ = kAlphabet[(v >> 6) & 63];
        *p++ = kAlphabet[v & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        const std::uint32_t v =
            (std::uint32_t{bytes[i]} << 16) | (rest == 2 ? std::uint32_t{bytes[i + 1]} << 8 : 0);
        *p++ = kAlphabet[(v >> 18) & 63];
        *p++ = kAlphabet[(v >> 12) & 63];
        *p++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    *p = '"';
}

// Decodes standard base64 with padding, strictly: length a multiple of 4, '=' only at the end,
// unused bits zero (as libsodium's decoder); nullopt for anything else. Public bytes only: its
// timing depends on the data.
std::optional<std::vector<std::uint8_t>> decodePublicBase64(std::string_view text);

}  // namespace signpost::protocol
