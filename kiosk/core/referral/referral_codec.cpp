#include "core/referral/referral_codec.h"

#include <array>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/common/ids.h"
#include "core/common/json_fields.h"
#include "core/common/time_util.h"
#include "core/common/utf8.h"
#include "core/referral/reference_code.h"
#include "core/referral/validation.h"

namespace signpost {

namespace {

constexpr std::string_view kSchemaName = "signpost.referral";

// A minimal JSON writer that appends straight to a SecureBytes buffer, so resident text goes from
// the form into the (wiped-on-free) plaintext without passing through any std::string.
class JsonWriter {
public:
    explicit JsonWriter(SecureBytes& out) : m_out(out) {}

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    void key(std::string_view name) {
        separate();
        writeString(name);
        put(':');
        m_afterKey = true;
    }
    void string(std::string_view text) {
        separate();
        writeString(text);
    }
    void boolean(bool value) {
        separate();
        putRaw(value ? "true" : "false");
    }
    void integer(int value) {
        separate();
        std::array<char, 16> digits{};
        const int written = std::snprintf(digits.data(), digits.size(), "%d", value);
        putRaw(std::string_view(digits.data(), static_cast<std::size_t>(written)));
    }
    void null() {
        separate();
        putRaw("null");
    }

    // Convenience: "name": "text"
    void field(std::string_view name, std::string_view text) {
        key(name);
        string(text);
    }

private:
    static constexpr std::size_t kMaxDepth = 8;

    void put(char c) { m_out.push_back(static_cast<std::uint8_t>(c)); }
    void putRaw(std::string_view text) {
        for (char c : text) {
            put(c);
        }
    }

    void separate() {
        if (m_afterKey) {
            m_afterKey = false;
            return;
        }
        if (m_depth > 0) {
            if (m_hasMember[m_depth]) {
                put(',');
            }
            m_hasMember[m_depth] = true;
        }
    }
    void open(char bracket) {
        separate();
        put(bracket);
        ++m_depth;  // the codec's shape is fixed and shallow; kMaxDepth is never reached
        m_hasMember[m_depth] = false;
    }
    void close(char bracket) {
        --m_depth;
        put(bracket);
    }

    // Quotes and backslashes are escaped, control characters become \u00XX, valid UTF-8 passes
    // through unchanged, and an invalid byte becomes U+FFFD so the output is always valid JSON.
    void writeString(std::string_view text) {
        static constexpr char kHex[] = "0123456789abcdef";
        put('"');
        for (std::size_t pos = 0; pos < text.size();) {
            const utf8::Step step = utf8::decode(text, pos);
            if (!step.valid) {
                putRaw("\xEF\xBF\xBD");
            } else if (step.codePoint == '"') {
                putRaw("\\\"");
            } else if (step.codePoint == '\\') {
                putRaw("\\\\");
            } else if (step.codePoint < 0x20) {
                putRaw("\\u00");
                put(kHex[step.codePoint >> 4]);
                put(kHex[step.codePoint & 0xF]);
            } else {
                putRaw(text.substr(pos, step.length));
            }
            pos += step.length;
        }
        put('"');
    }

    SecureBytes& m_out;
    std::array<bool, kMaxDepth + 1> m_hasMember{};
    std::size_t m_depth = 0;
    bool m_afterKey = false;
};

const char* toWire(ContactTime time) {
    switch (time) {
        case ContactTime::Morning:
            return "morning";
        case ContactTime::Afternoon:
            return "afternoon";
        case ContactTime::Evening:
            return "evening";
        case ContactTime::NoPreference:
            break;
    }
    return "no_preference";
}

const char* toWire(Answer answer) {
    switch (answer) {
        case Answer::Yes:
            return "yes";
        case Answer::No:
            return "no";
        case Answer::NotAnswered:
            break;
    }
    return "not_answered";
}

// ---- parsing -------------------------------------------------------------------------------

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
    throw ReferralFormatError("referral field \"" + path + "\": " + problem);
}

DecodedReferral readReferral(const JsonFields& root) {
    if (root.string("schema") != kSchemaName) {
        root.fail("schema", "not a signpost referral (expected \"signpost.referral\")");
    }
    // Any whole number reads; a version newer than ours gets its own message below.
    const std::int64_t version = root.integer("schema_version");
    if (version > kReferralSchemaVersion) {
        root.fail("schema_version", "version " + std::to_string(version) +
                                        " is newer than this program understands (" +
                                        std::to_string(kReferralSchemaVersion) +
                                        "); update signpost");
    }
    if (version < 1) {
        root.fail("schema_version", "must be 1 or more");
    }

    DecodedReferral decoded;
    ReferralEnvelope& envelope = decoded.envelope;
    envelope.id = root.string("id");
    if (!isUuidV4(envelope.id)) {
        root.fail("id", "not a UUIDv4");
    }
    envelope.reference = root.string("reference");
    if (!isValidReferenceCode(envelope.reference)) {
        root.fail("reference", "not a reference code like MCR-4K7Q");
    }
    envelope.createdAt = root.string("created_at");
    if (!parseIsoUtc(envelope.createdAt)) {
        root.fail("created_at", "not a UTC ISO 8601 time");
    }
    envelope.formVersion = root.string("form_version");
    envelope.venue = root.string("venue");
    envelope.neighbourhood = root.string("neighbourhood");
    envelope.deviceId = root.string("device_id");
    envelope.test = root.boolean("test");

    decoded.kind = root.oneOf("kind", {"service", "general"});
    // "service" is an object for a service referral and null for a general one: both present.
    const json& service = root.member("service");
    if (decoded.kind == "service") {
        if (!service.is_object()) {
            root.fail("service", "expected an object for a service referral");
        }
        const JsonFields fields = root.nested("service");
        decoded.serviceId = fields.string("id");
        if (decoded.serviceId.empty()) {
            fields.fail("id", "empty");
        }
        decoded.serviceName = fields.string("name");
    } else if (!service.is_null()) {
        root.fail("service", "expected null for a general referral");
    }

    const json& needs = root.array("needs");
    for (std::size_t i = 0; i < needs.size(); ++i) {
        decoded.needs.push_back(root.stringElement(needs[i], "needs", i));
    }
    decoded.needsText = root.string("needs_text");

    const JsonFields contact = root.nested("contact");
    decoded.name = contact.string("name");
    decoded.phone = contact.string("phone");
    decoded.email = contact.string("email");
    decoded.bestTime =
        contact.oneOf("best_time", {"no_preference", "morning", "afternoon", "evening"});
    decoded.safeToLeaveMessage =
        contact.oneOf("safe_to_leave_message", {"yes", "no", "not_answered"});
    if (decoded.name.empty()) {
        contact.fail("name", "empty");
    }
    if (decoded.phone.empty() && decoded.email.empty()) {
        root.fail("contact", "neither a phone number nor an email address");
    }

    decoded.language = root.string("language");
    decoded.interpreterNeeded = root.boolean("interpreter_needed");
    decoded.accessNeeds = root.string("access_needs");

    const JsonFields consent = root.nested("consent");
    decoded.consentGiven = consent.boolean("given");
    if (!decoded.consentGiven) {
        consent.fail("given", "false: a referral is only ever sent with consent");
    }
    envelope.consentVersion = consent.string("wording_version");
    decoded.consentGivenAt = consent.string("given_at");
    if (!parseIsoUtc(decoded.consentGivenAt)) {
        consent.fail("given_at", "not a UTC ISO 8601 time");
    }
    return decoded;
}

}  // namespace

SecureBytes serialiseReferral(const ReferralForm& form, const ReferralEnvelope& envelope) {
    SecureString phone;
    struct PhoneWipe {
        SecureString& text;
        ~PhoneWipe() { wipe(text); }
    } phoneWipe{phone};
    if (!form.phone.empty() && !normaliseUkPhoneInto(view(form.phone), phone)) {
        throw std::invalid_argument(
            "serialiseReferral: the phone number is not valid; "
            "validate the form before serialising it");
    }

    SecureBytes out;
    // Worst case every byte of resident text is escaped to six ("\u00XX"); reserving that up front
    // means the buffer never moves while it is filled.
    std::size_t textBytes =
        form.needsText.size() + form.name.size() + phone.size() + form.email.size() +
        form.accessNeeds.size() + form.serviceName.size() + form.serviceId.size() +
        form.preferredLanguage.size() + envelope.venue.size() + envelope.neighbourhood.size() +
        envelope.formVersion.size() + envelope.consentVersion.size() + envelope.deviceId.size() +
        envelope.reference.size() + envelope.id.size() + 2 * envelope.createdAt.size();
    for (const std::string& code : form.needCodes) {
        textBytes += code.size() + 3;
    }
    out.reserve(1024 + 6 * textBytes);

    JsonWriter w(out);
    w.beginObject();
    w.field("schema", kSchemaName);
    w.key("schema_version");
    w.integer(kReferralSchemaVersion);
    w.field("id", envelope.id);
    w.field("reference", envelope.reference);
    w.field("created_at", envelope.createdAt);
    w.field("form_version", envelope.formVersion);
    w.field("venue", envelope.venue);
    w.field("neighbourhood", envelope.neighbourhood);
    w.field("device_id", envelope.deviceId);
    w.key("test");
    w.boolean(envelope.test);
    w.field("kind", form.kind == ReferralKind::Service ? "service" : "general");
    w.key("service");
    if (form.kind == ReferralKind::Service) {
        w.beginObject();
        w.field("id", form.serviceId);
        w.field("name", form.serviceName);
        w.endObject();
    } else {
        w.null();
    }
    w.key("needs");
    w.beginArray();
    for (const std::string& code : form.needCodes) {
        w.string(code);
    }
    w.endArray();
    w.field("needs_text", view(form.needsText));
    w.key("contact");
    w.beginObject();
    w.field("name", view(form.name));
    w.field("phone", view(phone));
    w.field("email", view(form.email));
    w.field("best_time", toWire(form.bestTime));
    w.field("safe_to_leave_message", toWire(form.safeToLeaveMessage));
    w.endObject();
    w.field("language", form.preferredLanguage);
    w.key("interpreter_needed");
    w.boolean(form.interpreterNeeded);
    w.field("access_needs", view(form.accessNeeds));
    w.key("consent");
    w.beginObject();
    w.key("given");
    w.boolean(form.consentGiven);
    w.field("wording_version", envelope.consentVersion);
    w.field("given_at", envelope.createdAt);
    w.endObject();
    w.endObject();
    return out;
}

DecodedReferral parseReferral(std::string_view text) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& error) {
        // The parser's own message quotes the text near the error; that may be resident data.
        throw ReferralFormatError("referral is not valid JSON (at byte " +
                                  std::to_string(error.byte) + ")");
    } catch (const json::exception&) {
        // out_of_range: a number no double holds (1e400). Found by fuzz/referral_codec_fuzz.cpp.
        throw ReferralFormatError("referral holds a number too large to read");
    }
    if (!root.is_object()) {
        throw ReferralFormatError("referral is not a JSON object");
    }
    try {
        return readReferral(JsonFields(root));
    } catch (const JsonFieldError& error) {
        fail(error.path(), error.problem());
    }
}

}  // namespace signpost
