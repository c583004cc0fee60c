#include "sync/tool/pull_format.h"

#include <cstdio>

namespace signpost::tool {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

void append(SecureString& out, std::string_view text) {
    out.append(text.data(), text.size());
}

void appendInteger(SecureString& out, std::int64_t value) {
    char digits[24];
    const int length = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(value));
    out.append(digits, static_cast<std::size_t>(length));
}

const char* yesNo(bool value) {
    return value ? "yes" : "no";
}

std::string_view safeToLeaveMessageText(const std::string& wire) {
    return wire == "not_answered" ? std::string_view("not answered") : std::string_view(wire);
}

std::string_view bestTimeText(const std::string& wire) {
    return wire == "no_preference" ? std::string_view("no preference") : std::string_view(wire);
}

template <class Strings>
void appendJoined(SecureString& out, const Strings& parts, std::string_view separator) {
    bool first = true;
    for (const auto& part : parts) {
        if (!first) {
            append(out, separator);
        }
        first = false;
        append(out, part);
    }
}

void appendCsvRow(const PulledRecord& record, SecureString& out) {
    const protocol::PulledSubmission& item = *record.item;
    const DecodedReferral& r = record.referral;
    SecureString needs;
    appendJoined(needs, r.needs, "; ");
    const std::string_view cells[] = {
        r.envelope.reference,
        item.receivedAt,
        r.envelope.venue,
        r.envelope.neighbourhood,
        r.serviceName,
        r.serviceId,
        view(needs),
        r.name,
        r.phone,
        r.email,
        bestTimeText(r.bestTime),
        safeToLeaveMessageText(r.safeToLeaveMessage),
        r.language,
        yesNo(r.interpreterNeeded),
        r.accessNeeds,
        r.needsText,
        r.envelope.consentVersion,
        r.consentGivenAt,
        item.submission.id,
        item.deviceName,
        item.deviceId,
        item.submission.createdAt,
        yesNo(record.test),
    };
    static_assert(std::size(cells) == kCsvColumns.size());
    bool first = true;
    for (std::string_view cell : cells) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        appendCsvCell(out, cell);
    }
    append(out, "\r\n");
    wipe(needs);
}

void jsonField(SecureString& out, std::string_view name, std::string_view value,
               bool first = false) {
    if (!first) {
        out.push_back(',');
    }
    appendJsonString(out, name);
    out.push_back(':');
    appendJsonString(out, value);
}

void jsonKey(SecureString& out, std::string_view name) {
    out.push_back(',');
    appendJsonString(out, name);
    out.push_back(':');
}

void appendJsonObject(const PulledRecord& record, SecureString& out) {
    const protocol::PulledSubmission& item = *record.item;
    const DecodedReferral& r = record.referral;
    out.push_back('{');
    jsonField(out, "reference", r.envelope.reference, true);
    jsonField(out, "received_at", item.receivedAt);
    jsonField(out, "venue", r.envelope.venue);
    jsonField(out, "neighbourhood", r.envelope.neighbourhood);
    jsonField(out, "service_name", r.serviceName);
    jsonField(out, "service_id", r.serviceId);
    jsonKey(out, "needs");
    out.push_back('[');
    for (std::size_t i = 0; i < r.needs.size(); ++i) {
        if (i > 0) {
            out.push_back(',');
        }
        appendJsonString(out, r.needs[i]);
    }
    out.push_back(']');
    jsonField(out, "name", r.name);
    jsonField(out, "phone", r.phone);
    jsonField(out, "email", r.email);
    jsonField(out, "best_time", r.bestTime);
    jsonField(out, "safe_to_leave_message", r.safeToLeaveMessage);
    jsonField(out, "language", r.language);
    jsonKey(out, "interpreter_needed");
    append(out, r.interpreterNeeded ? "true" : "false");
    jsonField(out, "access_needs", r.accessNeeds);
    jsonField(out, "notes", r.needsText);
    jsonField(out, "consent_version", r.envelope.consentVersion);
    jsonField(out, "consent_given_at", r.consentGivenAt);
    jsonField(out, "id", item.submission.id);
    jsonField(out, "device_name", item.deviceName);
    jsonField(out, "device_id", item.deviceId);
    jsonField(out, "created_at", item.submission.createdAt);
    jsonKey(out, "test");
    append(out, record.test ? "true" : "false");
    jsonKey(out, "cursor");
    appendInteger(out, item.cursor);
    out.push_back('}');
}

bool needsFormulaGuard(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    switch (text.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<PullFormat> parsePullFormat(std::string_view name) {
    if (name == "csv") {
        return PullFormat::Csv;
    }
    if (name == "json") {
        return PullFormat::Json;
    }
    if (name == "ndjson") {
        return PullFormat::Ndjson;
    }
    return std::nullopt;
}

const char* extensionOf(PullFormat format) {
    switch (format) {
        case PullFormat::Csv:
            return "csv";
        case PullFormat::Json:
            return "json";
        case PullFormat::Ndjson:
            return "ndjson";
    }
    return "csv";
}

void appendCsvCell(SecureString& out, std::string_view text) {
    const bool guard = needsFormulaGuard(text);
    const bool quote = guard || text.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) {
        out.push_back('"');
    }
    if (guard) {
        out.push_back('\'');
    }
    for (char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    if (quote) {
        out.push_back('"');
    }
}

std::string fileHeader(PullFormat format) {
    switch (format) {
        case PullFormat::Csv: {
            std::string header(kBom);
            for (std::size_t i = 0; i < kCsvColumns.size(); ++i) {
                header += i == 0 ? "" : ",";
                header += kCsvColumns[i];
            }
            return header + "\r\n";
        }
        case PullFormat::Json:
            return "[";
        case PullFormat::Ndjson:
            return "";
    }
    return "";
}

std::string fileFooter(PullFormat format, bool hasRecords) {
    if (format == PullFormat::Json) {
        return hasRecords ? "\n]\n" : "]\n";
    }
    return "";
}

std::string_view recordSeparator(PullFormat format, bool first) {
    if (format == PullFormat::Json) {
        return first ? "\n" : ",\n";
    }
    return "";
}

void appendRecord(PullFormat format, const PulledRecord& record, SecureString& out) {
    switch (format) {
        case PullFormat::Csv:
            appendCsvRow(record, out);
            return;
        case PullFormat::Json:
            appendJsonObject(record, out);
            return;
        case PullFormat::Ndjson:
            appendJsonObject(record, out);
            out.push_back('\n');
            return;
    }
}

std::string errorsCsv(const std::vector<PullFailure>& failures) {
    SecureString text(kBom);
    append(text, "Cursor,ID,Device,Device ID,Venue,Received at,Reason code,Reason\r\n");
    for (const PullFailure& f : failures) {
        SecureString cursor;
        appendInteger(cursor, f.cursor);
        const std::string_view cells[] = {view(cursor), f.id,         f.deviceName, f.deviceId,
                                          f.venue,      f.receivedAt, f.reasonCode, f.reason};
        bool first = true;
        for (std::string_view cell : cells) {
            if (!first) {
                text.push_back(',');
            }
            first = false;
            appendCsvCell(text, cell);
        }
        append(text, "\r\n");
    }
    return std::string(view(text));
}

}  // namespace signpost::tool
