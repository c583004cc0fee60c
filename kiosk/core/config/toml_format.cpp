// formatTomlValue(): values written the way the example configs and the README's generated
// tables show them (["en", "pl"], shortest round-trip floats, "quoted" strings). toml++'s own
// formatter writes 'literal' strings, padded brackets and 17-digit floats, so staff saves and
// the docs would not match what people wrote; see toml.h.
#include <charconv>
#include <cmath>
#include <system_error>

#include "core/config/toml.h"

namespace signpost {

namespace {

void appendEscaped(std::string& out, std::string_view text) {
    static const char digits[] = "0123456789ABCDEF";
    out += '"';
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (u < 0x20 || u == 0x7F) {
                    out += "\\u00";
                    out += digits[u >> 4];
                    out += digits[u & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

}  // namespace

std::string formatTomlValue(const TomlValue& value) {
    struct Formatter {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const {
            if (std::isnan(d)) {
                return "nan";
            }
            if (std::isinf(d)) {
                return d < 0 ? "-inf" : "inf";
            }
            char buffer[64];
            const auto [ptr, error] = std::to_chars(buffer, buffer + sizeof buffer, d);
            std::string out(buffer, error == std::errc() ? ptr : buffer);
            // Shortest form may be "1" or "1e+20": TOML needs ".0" or an exponent with digits.
            if (out.find_first_of(".e") == std::string::npos) {
                out += ".0";
            }
            return out;
        }
        std::string operator()(const std::string& s) const {
            std::string out;
            appendEscaped(out, s);
            return out;
        }
        std::string operator()(const TomlArray& items) const {
            std::string out = "[";
            for (std::size_t i = 0; i < items.size(); ++i) {
                out += (i > 0 ? ", " : "") + std::visit(*this, items[i]);
            }
            return out + "]";
        }
        std::string operator()(const TomlTableValue& table) const {
            if (table.items.empty()) {
                return "{}";
            }
            std::string out = "{ ";
            for (std::size_t i = 0; i < table.items.size(); ++i) {
                const std::string& key = table.items[i].key;
                std::string written = key;
                if (!isBareTomlKey(key)) {
                    written.clear();
                    appendEscaped(written, key);
                }
                out +=
                    (i > 0 ? ", " : "") + written + " = " + std::visit(*this, table.items[i].value);
            }
            return out + " }";
        }
        std::string operator()(const TomlDateTime& when) const { return when.text; }
    };
    return std::visit(Formatter{}, value);
}

}  // namespace signpost
