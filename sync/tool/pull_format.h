// Signpost — `signpost pull` output formats: CSV, JSON and NDJSON records for pulled referrals,
// and the errors CSV for items that could not be read.
//
// CSV (RFC 4180): UTF-8 with a byte-order mark (so Excel reads Polish and other non-ASCII text
// correctly), CRLF line ends, every cell that holds a comma, quote, CR or LF quoted with inner
// quotes doubled. Formula-injection safe: a cell whose text starts with '=', '+', '-', '@', TAB
// or CR gets a leading apostrophe, so a spreadsheet shows the text instead of running it
// (OWASP "CSV Injection"). Columns, in order (kCsvColumns): Reference, Received at, Venue,
// Neighbourhood, Service, Service ID, Needs, Name, Phone, Email, Best time, Safe to leave a
// message, Language, Interpreter, Access needs, Notes, Consent version, Consent time, ID, Device,
// Device ID, Created at (device clock), Test.
//
// JSON: one array of objects; NDJSON: one object per line. The objects carry the same facts as
// the CSV row with snake_case keys and typed values (needs is an array, booleans are booleans),
// plus the server's cursor. Text is written unchanged (no apostrophes: JSON is not a formula
// language).
//
// Every buffer that holds resident data is a SecureString (wiped when freed).
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/secure_buffer.h"
#include "core/referral/referral_codec.h"
#include "sync/protocol/json_text.h"
#include "sync/protocol/wire.h"

namespace signpost::tool {

enum class PullFormat { Csv, Json, Ndjson };

// "csv" | "json" | "ndjson" → the format; nullopt for anything else.
std::optional<PullFormat> parsePullFormat(std::string_view name);
// The file extension without the dot ("csv", "json", "ndjson").
const char* extensionOf(PullFormat format);

inline constexpr std::array<const char*, 23> kCsvColumns = {"Reference",
                                                            "Received at",
                                                            "Venue",
                                                            "Neighbourhood",
                                                            "Service",
                                                            "Service ID",
                                                            "Needs",
                                                            "Name",
                                                            "Phone",
                                                            "Email",
                                                            "Best time",
                                                            "Safe to leave a message",
                                                            "Language",
                                                            "Interpreter",
                                                            "Access needs",
                                                            "Notes",
                                                            "Consent version",
                                                            "Consent time",
                                                            "ID",
                                                            "Device",
                                                            "Device ID",
                                                            "Created at (device clock)",
                                                            "Test"};

// One readable item: what the server said about it and what the sealed referral holds.
struct PulledRecord {
    const protocol::PulledSubmission* item = nullptr;  // server facts (cursor, device, received at)
    DecodedReferral referral;                          // the opened, parsed referral
    bool test = false;  // either the envelope or the referral says so
};

// Appends one CSV cell (quoted when needed, with the formula guard) — no separator.
void appendCsvCell(SecureString& out, std::string_view text);
// Appends a JSON string literal (protocol/json_text.h): quotes, backslashes and control
// characters escaped; the text is valid UTF-8 (it came out of a JSON parser).
using protocol::appendJsonString;

// What a file of `format` starts with: CSV the BOM and the header row, JSON "[", NDJSON nothing.
std::string fileHeader(PullFormat format);
// What it ends with: JSON "]\n" (after a newline when it has records), others nothing.
std::string fileFooter(PullFormat format, bool hasRecords);
// Separator written before every record but the first (JSON ",\n", JSON's first "\n").
std::string_view recordSeparator(PullFormat format, bool first);

// Appends one record: a CSV row ending in CRLF, a JSON object (no separator), or an NDJSON line.
void appendRecord(PullFormat format, const PulledRecord& record, SecureString& out);

// An item that could not be read, for the errors file. Holds no resident data.
struct PullFailure {
    std::int64_t cursor = 0;
    std::string id;
    std::string deviceName;
    std::string deviceId;
    std::string venue;  // as the (signed, but perhaps altered) envelope says
    std::string receivedAt;
    std::string reasonCode;  // "bad_signature" | "not_sealed_to_this_key" | "not_a_referral" |
                             // "id_mismatch"
    std::string reason;      // one line for people
};

// The errors CSV (same BOM, quoting and formula guard): Cursor, ID, Device, Device ID, Venue,
// Received at, Reason code, Reason.
std::string errorsCsv(const std::vector<PullFailure>& failures);

}  // namespace signpost::tool
