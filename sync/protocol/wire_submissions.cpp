// The wire format's submission messages: a kiosk's push and its per-item results, the
// coordinators' pull page (written directly: the pull's hot path) with its cursor, and acks
// (wire.h).

#include "sync/protocol/wire.h"

#include <algorithm>
#include <charconv>

#include "core/common/ids.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/wire_detail.h"

namespace signpost::protocol {

using nlohmann::json;
using wire_detail::base64Field;
using wire_detail::optionalText;
using wire_detail::readDocument;

namespace {

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

Submission readSubmission(const JsonFields& r) {
    Submission s;
    s.id = r.string("id", 64);
    if (!isUuidV4(s.id)) {
        r.fail("id", "must be a lower-case UUIDv4");
    }
    s.seq = r.integer("seq", IntegerLimits{.min = 1});
    s.createdAt = r.string("created_at", 64);
    s.formVersion = r.string("form_version", 64);
    s.venue = optionalText(r, "venue", 200);
    s.neighbourhood = optionalText(r, "neighbourhood", 200);
    s.serviceId = optionalText(r, "service_id", 200);
    s.test = r.optionalBoolean("test").value_or(false);
    s.sealed = base64Field(r, "sealed", 49, kMaxSealedBytes);  // crypto_box_SEALBYTES + 1 at least
    s.signature = base64Field(r, "signature", 64, 64);
    return s;
}

}  // namespace

std::string toJson(const SubmissionBatch& v) {
    json items = json::array();
    for (const Submission& s : v.submissions) {
        items.push_back(submissionJson(s));
    }
    return json{{"submissions", std::move(items)}}.dump();
}

SubmissionBatch parseSubmissionBatch(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) {
        const json& items = r.array("submissions");
        if (items.empty()) {
            r.fail("submissions", "must hold at least one submission");
        }
        if (items.size() > kMaxBatchItems) {
            r.fail("submissions", "holds " + std::to_string(items.size()) +
                                      " submissions; at most " + std::to_string(kMaxBatchItems) +
                                      " per request");
        }
        SubmissionBatch batch;
        batch.submissions.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            batch.submissions.push_back(readSubmission(r.element(items[i], "submissions", i)));
        }
        return batch;
    });
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
    return readDocument(text, [](const JsonFields& r) {
        const json& items = r.array("results");
        SubmissionResults results;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const JsonFields item = r.element(items[i], "results", i);
            ItemResult result;
            result.id = item.string("id", 64);
            const std::string status = item.string("status", 16);
            if (status == "stored") {
                result.status = ItemStatus::Stored;
            } else if (status == "duplicate") {
                result.status = ItemStatus::Duplicate;
            } else if (status == "rejected") {
                result.status = ItemStatus::Rejected;
            } else {
                item.fail("status", "must be stored, duplicate or rejected");
            }
            result.error = optionalText(item, "error", 300);
            results.results.push_back(std::move(result));
        }
        return results;
    });
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
    return readDocument(text, [](const JsonFields& r) {
        SubmissionPage page;
        const json& items = r.array("submissions");
        page.submissions.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            const JsonFields item = r.element(items[i], "submissions", i);
            PulledSubmission p;
            p.submission = readSubmission(item);
            p.cursor = item.integer("cursor");
            p.deviceId = item.string("device_id", 64);
            p.deviceName = optionalText(item, "device_name", 100);
            p.signingPublicKey = base64Field(item, "signing_public_key", 32, 32);
            p.receivedAt = item.string("received_at", 64);
            page.submissions.push_back(std::move(p));
        }
        page.nextCursor = r.integer("next_cursor");
        page.hasMore = r.optionalBoolean("has_more").value_or(false);
        page.generation = optionalText(r, "generation", 32);
        page.restarted = r.optionalBoolean("restarted").value_or(false);
        return page;
    });
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
            throw WireFormatError("after",
                                  "expected GENERATION:CURSOR with a generation of "
                                  "lower-case hex digits");
        }
        parsed.generation = std::string(generation);
        digits = text.substr(colon + 1);
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
        value < 0) {
        throw WireFormatError("after", "expected a cursor: a whole number, 0 or more");
    }
    parsed.cursor = value;
    return parsed;
}

std::string toJson(const AckRequest& v) {
    return json{{"ids", v.ids}}.dump();
}

AckRequest parseAckRequest(std::string_view text) {
    return readDocument(text, [](const JsonFields& r) {
        const json& ids = r.array("ids");
        if (ids.size() > kMaxPullPage) {
            r.fail("ids", "at most " + std::to_string(kMaxPullPage) + " ids per request");
        }
        AckRequest v;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (!ids[i].is_string() || !isUuidV4(ids[i].get_ref<const std::string&>())) {
                throw JsonFieldError(jsonElementPath("ids", i), "must be a submission id (UUIDv4)");
            }
            v.ids.push_back(ids[i].get<std::string>());
        }
        return v;
    });
}

}  // namespace signpost::protocol
