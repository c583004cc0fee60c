#include "sync/protocol/wire.h"

#include "sync/protocol/json_text.h"
#include "sync/protocol/wire_detail.h"

// The wire format: its error, parsing a body, API errors and the directory update. Devices
// (enrollment, heartbeat, the fleet list) are in wire_devices.cpp, submissions (push, results,
// pull pages, acks) in wire_submissions.cpp.

namespace signpost::protocol {

using nlohmann::json;

WireFormatError::WireFormatError(std::string field, const std::string& problem)
    : std::runtime_error(field.empty() ? problem : field + ": " + problem),
      m_field(std::move(field)) {}

namespace wire_detail {

namespace {

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

}  // namespace

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

std::vector<std::uint8_t> base64Field(const JsonFields& fields, const char* name,
                                      std::size_t minBytes, std::size_t maxBytes) {
    const json& value = fields.require(name);
    if (!value.is_string()) {
        fields.fail(name, std::string("expected base64 text, got ") + jsonTypeName(value));
    }
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() > (maxBytes + 2) / 3 * 4 + 4) {
        fields.fail(name, "is larger than " + std::to_string(maxBytes) + " bytes");
    }
    auto bytes = decodePublicBase64(text);  // every base64 field on the wire is public
    if (!bytes) {
        fields.fail(name, "is not valid base64");
    }
    if (bytes->size() < minBytes || bytes->size() > maxBytes) {
        fields.fail(name, minBytes == maxBytes ? "must be " + std::to_string(minBytes) + " bytes"
                                               : "must be " + std::to_string(minBytes) + " to " +
                                                     std::to_string(maxBytes) + " bytes");
    }
    return std::move(*bytes);
}

}  // namespace wire_detail

using wire_detail::readDocument;

const char* toString(ItemStatus status) {
    switch (status) {
        case ItemStatus::Stored:
            return "stored";
        case ItemStatus::Duplicate:
            return "duplicate";
        case ItemStatus::Rejected:
            return "rejected";
    }
    return "rejected";
}

std::string toJson(const ApiError& error) {
    return json{{"error", {{"code", error.code}, {"message", error.message}}}}.dump();
}

std::optional<ApiError> parseApiError(std::string_view text) {
    const json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return std::nullopt;
    }
    // Lenient by design: anything that is not an error body is "not one", never an exception
    // (the kiosk reads every odd answer with it, a captive portal's included).
    try {
        const auto error = JsonFields(document).optionalNested("error");
        if (!error) {
            return std::nullopt;
        }
        ApiError result{error->optionalString("code").value_or(""),
                        error->optionalString("message").value_or("")};
        if (result.code.empty()) {
            return std::nullopt;
        }
        return result;
    } catch (const JsonFieldError&) {
        return std::nullopt;
    }
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
    return readDocument(text, [](const JsonFields& r) {
        DirectoryUpdate v;
        v.version = r.integer("version");
        v.since = r.optionalInteger("since").value_or(0);
        v.full = r.optionalBoolean("full").value_or(false);
        if (auto directory = r.optionalNested("directory")) {
            v.directoryJson = directory->object().dump();
        }
        if (const json* deleted = r.optionalArray("deleted_service_ids")) {
            for (std::size_t i = 0; i < deleted->size(); ++i) {
                v.deletedServiceIds.push_back(
                    r.stringElement((*deleted)[i], "deleted_service_ids", i));
            }
        }
        return v;
    });
}

}  // namespace signpost::protocol
