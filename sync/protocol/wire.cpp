#include "sync/protocol/wire.h"

#include "sync/protocol/json_text.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/common/ids.h"

namespace signpost::protocol {

using nlohmann::json;

WireFormatError::WireFormatError(std::string field, const std::string& problem)
    : std::runtime_error(field.empty() ? problem : field + ": " + problem), m_field(std::move(field)) {}

namespace {

// Reads fields out of a JSON object, naming the full path of anything wrong.
class Reader {
public:
    Reader(const json& object, std::string path) : m_object(object), m_path(std::move(path)) {
        if (!m_object.is_object()) {
            throw WireFormatError(m_path, "expected an object");
        }
    }

    std::string field(const char* name) const {
        return m_path.empty() ? std::string(name) : m_path + "." + name;
    }

    const json* find(const char* name) const {
        auto it = m_object.find(name);
        return it == m_object.end() || it->is_null() ? nullptr : &*it;
    }

    const json& require(const char* name) const {
        const json* value = find(name);
        if (value == nullptr) {
            throw WireFormatError(field(name), "is required");
        }
        return *value;
    }

    std::string string(const char* name, std::size_t maxLength = 1024) const {
        const json& value = require(name);
        return checkString(name, value, maxLength);
    }

    std::string optionalString(const char* name, std::size_t maxLength = 1024) const {
        const json* value = find(name);
        return value == nullptr ? std::string() : checkString(name, *value, maxLength);
    }

    std::int64_t integer(const char* name) const {
        const json& value = require(name);
        if (!value.is_number_integer()) {
            throw WireFormatError(field(name), "expected an integer");
        }
        return value.get<std::int64_t>();
    }

    std::int64_t optionalInteger(const char* name, std::int64_t fallback) const {
        return find(name) == nullptr ? fallback : integer(name);
    }

    std::uint64_t optionalUnsigned(const char* name) const {
        const json* value = find(name);
        if (value == nullptr) {
            return 0;
        }
        if (!value->is_number_unsigned() && !(value->is_number_integer() && value->get<std::int64_t>() >= 0)) {
            throw WireFormatError(field(name), "expected a non-negative integer");
        }
        return value->get<std::uint64_t>();
    }

    bool boolean(const char* name, bool fallback) const {
        const json* value = find(name);
        if (value == nullptr) {
            return fallback;
        }
        if (!value->is_boolean()) {
            throw WireFormatError(field(name), "expected true or false");
        }
        return value->get<bool>();
    }

    std::vector<std::uint8_t> base64(const char* name, std::size_t minBytes, std::size_t maxBytes) const {
        const json& value = require(name);
        if (!value.is_string()) {
            throw WireFormatError(field(name), "expected base64 text");
        }
        const auto& text = value.get_ref<const std::string&>();
        if (text.size() > (maxBytes + 2) / 3 * 4 + 4) {
            throw WireFormatError(field(name), "is larger than " + std::to_string(maxBytes) + " bytes");
        }
        auto bytes = decodePublicBase64(text);  // every base64 field on the wire is public
        if (!bytes) {
            throw WireFormatError(field(name), "is not valid base64");
        }
        if (bytes->size() < minBytes || bytes->size() > maxBytes) {
            throw WireFormatError(field(name), minBytes == maxBytes
                                                   ? "must be " + std::to_string(minBytes) + " bytes"
                                                   : "must be " + std::to_string(minBytes) + " to " +
                                                         std::to_string(maxBytes) + " bytes");
        }
        return std::move(*bytes);
    }

    const json& array(const char* name) const {
        const json& value = require(name);
        if (!value.is_array()) {
            throw WireFormatError(field(name), "expected an array");
        }
        return value;
    }

private:
    std::string checkString(const char* name, const json& value, std::size_t maxLength) const {
        if (!value.is_string()) {
            throw WireFormatError(field(name), "expected a string");
        }
        const auto& text = value.get_ref<const std::string&>();
        if (text.size() > maxLength) {
            throw WireFormatError(field(name), "is longer than " + std::to_string(maxLength) + " bytes");
        }
        return text;
    }

    const json& m_object;
    std::string m_path;
};

// Deeper than any message of ours; nlohmann's parser itself is iterative, but a DOM this deep
// costs memory for nothing.
constexpr std::size_t kMaxDepth = 64;

// Where the parser is, as a field path ("submissions[0].seq"), so that a value JSON can write
// but we cannot hold (1e400) is reported against its field like any other bad value.
class PathTracker {
public:
    bool onEvent(json::parse_event_t event, const json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                m_frames.push_back({event == json::parse_event_t::array_start, 0, {}});
                m_tooDeep = m_tooDeep || m_frames.size() > kMaxDepth;
                break;
            case json::parse_event_t::key:
                if (!m_frames.empty() && parsed.is_string()) {
                    m_frames.back().key = parsed.get<std::string>();
                }
                break;
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                if (!m_frames.empty()) {
                    m_frames.pop_back();
                }
                valueDone();
                break;
            case json::parse_event_t::value:
                valueDone();
                break;
        }
        return !m_tooDeep;
    }

    bool tooDeep() const noexcept { return m_tooDeep; }

    std::string path() const {
        std::string out;
        for (const Frame& frame : m_frames) {
            if (frame.array) {
                out += "[" + std::to_string(frame.index) + "]";
            } else if (!frame.key.empty()) {
                out += (out.empty() ? "" : ".") + frame.key;
            }
        }
        return out;
    }

private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;  // arrays: the element being read
        std::string key;        // objects: the member being read
    };
    void valueDone() {
        if (!m_frames.empty() && m_frames.back().array) {
            ++m_frames.back().index;
        }
    }
    std::vector<Frame> m_frames;
    bool m_tooDeep = false;
};

json parseDocument(std::string_view text) {
    PathTracker tracker;
    json document;
    try {
        document = json::parse(text, [&tracker](int, json::parse_event_t event, json& parsed) {
            return tracker.onEvent(event, parsed);
        });
    } catch (const json::out_of_range&) {
        // 1e400: valid JSON, but no number we could hold.
        const std::string field = tracker.path();
        throw WireFormatError(field, field.empty() ? "the body is a number too large to read"
                                                   : "is a number too large to read");
    } catch (const json::exception&) {
        throw WireFormatError("", "the body is not valid JSON");
    }
    if (tracker.tooDeep()) {
        throw WireFormatError(
            "", "the body nests deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    return document;
}

std::string indexed(const std::string& base, std::size_t index) {
    return base + "[" + std::to_string(index) + "]";
}

json submissionJson(const Submission& s) {
    return json{{"id", s.id},
                {"seq", s.seq},
                {"created_at", s.createdAt},
                {"form_version", s.formVersion},
                {"venue", s.venue},
                {"neighbourhood", s.neighbourhood},
                {"service_id", s.serviceId},
                {"test", s.test},
                {"sealed", toBase64(s.sealed)},
                {"signature", toBase64(s.signature)}};
}

Submission readSubmission(const json& value, const std::string& path) {
    Reader r(value, path);
    Submission s;
    s.id = r.string("id", 64);
    if (!isUuidV4(s.id)) {
        throw WireFormatError(r.field("id"), "must be a lower-case UUIDv4");
    }
    s.seq = r.integer("seq");
    if (s.seq < 1) {
        throw WireFormatError(r.field("seq"), "must be 1 or more");
    }
    s.createdAt = r.string("created_at", 64);
    s.formVersion = r.string("form_version", 64);
    s.venue = r.optionalString("venue", 200);
    s.neighbourhood = r.optionalString("neighbourhood", 200);
    s.serviceId = r.optionalString("service_id", 200);
    s.test = r.boolean("test", false);
    s.sealed = r.base64("sealed", 49, kMaxSealedBytes);  // crypto_box_SEALBYTES + 1 at least
    s.signature = r.base64("signature", 64, 64);
    return s;
}

json heartbeatJson(const Heartbeat& h) {
    json beat{{"app_version", h.appVersion},
              {"queue", {{"queued", h.queued}, {"sent", h.sent}, {"rejected", h.rejected}}},
              {"last_sync_at", h.lastSyncAt},
              {"last_error", h.lastError},
              {"free_disk_bytes", h.freeDiskBytes},
              {"directory_version", h.directoryVersion}};
    if (h.staff.reported) {
        beat["staff"] = {{"pin_set", h.staff.pinSet},
                         {"lockouts", h.staff.lockouts},
                         {"locked_until", h.staff.lockedUntil}};
    }
    return beat;
}

Heartbeat readHeartbeat(const json& value, const std::string& path) {
    Reader r(value, path);
    Heartbeat h;
    h.appVersion = r.string("app_version", 64);
    if (const json* queue = r.find("queue")) {
        Reader q(*queue, r.field("queue"));
        h.queued = static_cast<std::size_t>(q.optionalUnsigned("queued"));
        h.sent = static_cast<std::size_t>(q.optionalUnsigned("sent"));
        h.rejected = static_cast<std::size_t>(q.optionalUnsigned("rejected"));
    }
    h.lastSyncAt = r.optionalString("last_sync_at", 64);
    h.lastError = r.optionalString("last_error", 300);
    h.freeDiskBytes = r.optionalUnsigned("free_disk_bytes");
    h.directoryVersion = r.optionalInteger("directory_version", 0);
    if (const json* staff = r.find("staff")) {
        Reader st(*staff, r.field("staff"));
        h.staff.reported = true;
        h.staff.pinSet = st.boolean("pin_set", false);
        const std::int64_t lockouts = st.optionalInteger("lockouts", 0);
        if (lockouts < 0 || lockouts > 1000) {
            throw WireFormatError(st.field("lockouts"), "expected a whole number from 0 to 1000");
        }
        h.staff.lockouts = static_cast<int>(lockouts);
        h.staff.lockedUntil = st.optionalString("locked_until", 64);
    }
    return h;
}

}  // namespace

const char* toString(ItemStatus status) {
    switch (status) {
        case ItemStatus::Stored: return "stored";
        case ItemStatus::Duplicate: return "duplicate";
        case ItemStatus::Rejected: return "rejected";
    }
    return "rejected";
}

std::string toJson(const ApiError& error) {
    return json{{"error", {{"code", error.code}, {"message", error.message}}}}.dump();
}

std::optional<ApiError> parseApiError(std::string_view text) {
    json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return std::nullopt;
    }
    auto error = document.find("error");
    if (error == document.end() || !error->is_object()) {
        return std::nullopt;
    }
    ApiError result;
    result.code = error->value("code", std::string());
    result.message = error->value("message", std::string());
    if (result.code.empty()) {
        return std::nullopt;
    }
    return result;
}

std::string toJson(const EnrollNonce& v) {
    return json{{"nonce", v.nonce}, {"expires_in", v.expiresIn}}.dump();
}

EnrollNonce parseEnrollNonce(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    EnrollNonce v;
    v.nonce = r.string("nonce", 128);
    if (v.nonce.empty()) {
        throw WireFormatError("nonce", "must not be empty");
    }
    v.expiresIn = r.optionalInteger("expires_in", 0);
    return v;
}

std::string toJson(const EnrollRequest& v) {
    return json{{"enrollment_code", v.enrollmentCode},
                {"device_name", v.deviceName},
                {"venue", v.venue},
                {"signing_public_key", toBase64(v.signingPublicKey)},
                {"nonce", v.nonce},
                {"signature", toBase64(v.signature)}}
        .dump();
}

EnrollRequest parseEnrollRequest(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    EnrollRequest v;
    v.enrollmentCode = r.string("enrollment_code", 64);
    v.deviceName = r.string("device_name", 100);
    v.venue = r.string("venue", 200);
    v.signingPublicKey = r.base64("signing_public_key", 32, 32);
    if (v.enrollmentCode.empty()) {
        throw WireFormatError("enrollment_code", "must not be empty");
    }
    v.nonce = r.string("nonce", 128);
    if (v.nonce.empty()) {
        throw WireFormatError("nonce", "must not be empty");
    }
    v.signature = r.base64("signature", 64, 64);
    return v;
}

std::string toJson(const EnrollResponse& v) {
    return json{{"device_id", v.deviceId}, {"device_token", v.deviceToken}}.dump();
}

EnrollResponse parseEnrollResponse(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    return {r.string("device_id", 64), r.string("device_token", 128)};
}

std::string toJson(const SubmissionBatch& v) {
    json items = json::array();
    for (const Submission& s : v.submissions) {
        items.push_back(submissionJson(s));
    }
    return json{{"submissions", std::move(items)}}.dump();
}

SubmissionBatch parseSubmissionBatch(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    const json& items = r.array("submissions");
    if (items.empty()) {
        throw WireFormatError("submissions", "must hold at least one submission");
    }
    if (items.size() > kMaxBatchItems) {
        throw WireFormatError("submissions", "holds " + std::to_string(items.size()) +
                                                 " submissions; at most " +
                                                 std::to_string(kMaxBatchItems) + " per request");
    }
    SubmissionBatch batch;
    batch.submissions.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        batch.submissions.push_back(readSubmission(items[i], indexed("submissions", i)));
    }
    return batch;
}

std::string toJson(const SubmissionResults& v) {
    json items = json::array();
    for (const ItemResult& item : v.results) {
        json entry{{"id", item.id}, {"status", toString(item.status)}};
        if (!item.error.empty()) {
            entry["error"] = item.error;
        }
        items.push_back(std::move(entry));
    }
    return json{{"results", std::move(items)}}.dump();
}

SubmissionResults parseSubmissionResults(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    const json& items = r.array("results");
    SubmissionResults results;
    for (std::size_t i = 0; i < items.size(); ++i) {
        Reader item(items[i], indexed("results", i));
        ItemResult result;
        result.id = item.string("id", 64);
        std::string status = item.string("status", 16);
        if (status == "stored") {
            result.status = ItemStatus::Stored;
        } else if (status == "duplicate") {
            result.status = ItemStatus::Duplicate;
        } else if (status == "rejected") {
            result.status = ItemStatus::Rejected;
        } else {
            throw WireFormatError(item.field("status"), "must be stored, duplicate or rejected");
        }
        result.error = item.optionalString("error", 300);
        results.results.push_back(std::move(result));
    }
    return results;
}

std::string toJson(const DirectoryUpdate& v) {
    json directory = v.directoryJson.empty() ? json(nullptr) : json::parse(v.directoryJson);
    return json{{"version", v.version},
                {"since", v.since},
                {"full", v.full},
                {"directory", std::move(directory)},
                {"deleted_service_ids", v.deletedServiceIds}}
        .dump();
}

DirectoryUpdate parseDirectoryUpdate(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    DirectoryUpdate v;
    v.version = r.integer("version");
    v.since = r.optionalInteger("since", 0);
    v.full = r.boolean("full", false);
    if (const json* directory = r.find("directory")) {
        if (!directory->is_object()) {
            throw WireFormatError("directory", "expected an object");
        }
        v.directoryJson = directory->dump();
    }
    if (const json* deleted = r.find("deleted_service_ids")) {
        if (!deleted->is_array()) {
            throw WireFormatError("deleted_service_ids", "expected an array");
        }
        for (std::size_t i = 0; i < deleted->size(); ++i) {
            if (!(*deleted)[i].is_string()) {
                throw WireFormatError(indexed("deleted_service_ids", i), "expected a string");
            }
            v.deletedServiceIds.push_back((*deleted)[i].get<std::string>());
        }
    }
    return v;
}

std::string toJson(const Heartbeat& v) { return heartbeatJson(v).dump(); }

Heartbeat parseHeartbeat(std::string_view text) {
    json document = parseDocument(text);
    return readHeartbeat(document, "");
}

// Written directly, not through a DOM: this is the pull's hot path (see json_text.h). Keys come
// in the order nlohmann's std::map-backed objects use (sorted), so the text is the same as every
// other response's style.
std::string toJson(const SubmissionPage& v) {
    std::string out;
    std::size_t estimate = 64;
    for (const PulledSubmission& p : v.submissions) {
        estimate += 400 + p.submission.sealed.size() * 4 / 3 + p.submission.venue.size() +
                    p.submission.neighbourhood.size() + p.deviceName.size();
    }
    out.reserve(estimate);
    // Each writes `,"name":value`; the first field of an object drops its comma.
    const auto name = [&out](std::string_view field) {
        if (out.back() != '{') {
            out.push_back(',');
        }
        out.push_back('"');
        out.append(field);
        out.append("\":", 2);
    };
    const auto text = [&](std::string_view field, std::string_view value) {
        name(field);
        appendJsonString(out, value);
    };
    const auto number = [&](std::string_view field, std::int64_t value) {
        name(field);
        out.append(std::to_string(value));
    };
    const auto boolean = [&](std::string_view field, bool value) {
        name(field);
        out.append(value ? "true" : "false");
    };
    const auto bytes = [&](std::string_view field, std::span<const std::uint8_t> value) {
        name(field);
        appendPublicBase64String(out, value);
    };
    out.push_back('{');
    if (!v.generation.empty()) {
        text("generation", v.generation);
    }
    boolean("has_more", v.hasMore);
    number("next_cursor", v.nextCursor);
    if (v.restarted) {
        boolean("restarted", true);
    }
    name("submissions");
    out.push_back('[');
    for (const PulledSubmission& p : v.submissions) {
        const Submission& s = p.submission;
        if (out.back() != '[') {
            out.push_back(',');
        }
        out.push_back('{');
        text("created_at", s.createdAt);
        number("cursor", p.cursor);
        text("device_id", p.deviceId);
        text("device_name", p.deviceName);
        text("form_version", s.formVersion);
        text("id", s.id);
        text("neighbourhood", s.neighbourhood);
        text("received_at", p.receivedAt);
        bytes("sealed", s.sealed);
        number("seq", s.seq);
        text("service_id", s.serviceId);
        bytes("signature", s.signature);
        bytes("signing_public_key", p.signingPublicKey);
        boolean("test", s.test);
        text("venue", s.venue);
        out.push_back('}');
    }
    out.append("]}");
    return out;
}

SubmissionPage parseSubmissionPage(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    SubmissionPage page;
    const json& items = r.array("submissions");
    page.submissions.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = indexed("submissions", i);
        Reader item(items[i], path);
        PulledSubmission p;
        p.submission = readSubmission(items[i], path);
        p.cursor = item.integer("cursor");
        p.deviceId = item.string("device_id", 64);
        p.deviceName = item.optionalString("device_name", 100);
        p.signingPublicKey = item.base64("signing_public_key", 32, 32);
        p.receivedAt = item.string("received_at", 64);
        page.submissions.push_back(std::move(p));
    }
    page.nextCursor = r.integer("next_cursor");
    page.hasMore = r.boolean("has_more", false);
    page.generation = r.optionalString("generation", 32);
    page.restarted = r.boolean("restarted", false);
    return page;
}

std::string formatPullCursor(const std::string& generation, std::int64_t cursor) {
    return generation.empty() ? std::to_string(cursor) : generation + ":" + std::to_string(cursor);
}

PullCursor parsePullCursor(std::string_view text) {
    PullCursor parsed;
    const std::size_t colon = text.find(':');
    std::string_view digits = text;
    if (colon != std::string_view::npos) {
        const std::string_view generation = text.substr(0, colon);
        const bool hex = !generation.empty() && generation.size() <= 32 &&
                         std::all_of(generation.begin(), generation.end(), [](char c) {
                             return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                         });
        if (!hex) {
            throw WireFormatError("after", "expected GENERATION:CURSOR with a generation of "
                                           "lower-case hex digits");
        }
        parsed.generation = std::string(generation);
        digits = text.substr(colon + 1);
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || value < 0) {
        throw WireFormatError("after", "expected a cursor: a whole number, 0 or more");
    }
    parsed.cursor = value;
    return parsed;
}

std::string toJson(const AckRequest& v) { return json{{"ids", v.ids}}.dump(); }

AckRequest parseAckRequest(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    const json& ids = r.array("ids");
    if (ids.size() > kMaxPullPage) {
        throw WireFormatError("ids", "at most " + std::to_string(kMaxPullPage) + " ids per request");
    }
    AckRequest v;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (!ids[i].is_string() || !isUuidV4(ids[i].get_ref<const std::string&>())) {
            throw WireFormatError(indexed("ids", i), "must be a submission id (UUIDv4)");
        }
        v.ids.push_back(ids[i].get<std::string>());
    }
    return v;
}

std::string toJson(const DeviceList& v) {
    json items = json::array();
    for (const DeviceInfo& d : v.devices) {
        items.push_back(json{{"device_id", d.deviceId},
                             {"name", d.name},
                             {"venue", d.venue},
                             {"enrolled_at", d.enrolledAt},
                             {"last_seen_at", d.lastSeenAt},
                             {"revoked", d.revoked},
                             {"last_heartbeat", heartbeatJson(d.lastHeartbeat)}});
    }
    return json{{"devices", std::move(items)}}.dump();
}

DeviceList parseDeviceList(std::string_view text) {
    json document = parseDocument(text);
    Reader r(document, "");
    const json& items = r.array("devices");
    DeviceList list;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = indexed("devices", i);
        Reader item(items[i], path);
        DeviceInfo d;
        d.deviceId = item.string("device_id", 64);
        d.name = item.optionalString("name", 100);
        d.venue = item.optionalString("venue", 200);
        d.enrolledAt = item.optionalString("enrolled_at", 64);
        d.lastSeenAt = item.optionalString("last_seen_at", 64);
        d.revoked = item.boolean("revoked", false);
        if (const json* heartbeat = item.find("last_heartbeat")) {
            d.lastHeartbeat = readHeartbeat(*heartbeat, item.field("last_heartbeat"));
        }
        list.devices.push_back(std::move(d));
    }
    return list;
}

}  // namespace signpost::protocol
