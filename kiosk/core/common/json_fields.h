// Signpost — one typed reader for the fields of a JSON object (over nlohmann::json).
//
// Every parser of outside JSON reads its fields through JsonFields: the HSDS import
// (core/directory/hsds_fields.h), the sync wire format (sync/protocol/wire.h) and the decrypted
// referral (core/referral/referral_codec.h). Each read checks the type and the limits asked for;
// a failure throws JsonFieldError naming the field's full path ("submissions[3].seq",
// "schedules[0].opens_at", "contact.name") and the problem, in the same words everywhere:
//   "required field is missing"          "expected a string, got a number"
//   "is longer than 64 bytes"            "expected a whole number, got a string"
//   "must be between 0 and 1000, got 5000" / "must be 1 or more, got 0"
//   "expected true or false, got null"   "expected one of yes, no"
// Messages never quote the value read (it may be personal data); ranges quote numbers only.
// Each parser turns JsonFieldError into its own exception at its boundary (WireFormatError,
// ImportError, ReferralFormatError), so its callers catch what they always caught.
//
// Absent and null both read as "not given" (find() and the optional readers); member() is for
// the rare field where null is itself a value (a general referral's "service": null).
//
// Parsing the text stays with each parser (their depth limits and messages differ); the JSON
// writers stay hand-written where speed or wiped buffers need them (sync/protocol/json_text.h,
// core/referral/referral_codec.cpp).
//
// This header needs only <nlohmann/json_fwd.hpp>; the .cpp files that read fields include
// nlohmann's full header themselves (nlohmann stays a private dependency of each library).
// Thread-safety: a JsonFields reads a document it does not own and must not outlive; use it on
// one thread. Reading does not modify the document.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace signpost {

// A field that is missing, of the wrong type or outside its limits. what() is
// "PATH: PROBLEM", or PROBLEM alone for the document itself (path "").
class JsonFieldError : public std::runtime_error {
public:
    JsonFieldError(std::string path, std::string problem);
    const std::string& path() const noexcept { return m_path; }
    const std::string& problem() const noexcept { return m_problem; }

private:
    std::string m_path;
    std::string m_problem;
};

// "null", "a boolean", "a number", "a string", "an array", "an object": for messages.
const char* jsonTypeName(const nlohmann::json& value);

// "base.name", or "name" when base is "".
std::string jsonFieldPath(std::string_view base, std::string_view name);
// "base[index]".
std::string jsonElementPath(std::string_view base, std::size_t index);

// Limits for a whole number. Out of range reads "must be between MIN and MAX, got N" when both
// are given, else "must be MIN or more, got N" / "must be at most MAX, got N". A number above
// 2^63-1 is out of range (it is never wrapped to a negative one).
struct IntegerLimits {
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
    // HSDS types ages and intervals as "number": accept 12.0 as 12 (below 1e15 in size). The
    // wire format and the referral accept JSON integers only.
    bool acceptWholeFloats = false;
};

inline constexpr std::size_t kNoLengthLimit = std::numeric_limits<std::size_t>::max();

class JsonFields {
public:
    // Reads the members of `object`, found at `path` ("" = the document). Throws JsonFieldError
    // at `path` ("expected an object, got an array") when it is not an object. `object` must
    // outlive this reader and every reader made from it.
    explicit JsonFields(const nlohmann::json& object, std::string path = {});

    const std::string& path() const noexcept { return m_path; }
    // The path of member `name` ("submissions[0].seq").
    std::string field(std::string_view name) const { return jsonFieldPath(m_path, name); }
    const nlohmann::json& object() const noexcept { return m_object; }
    // Throws JsonFieldError(field(name), problem): for checks the caller makes itself.
    [[noreturn]] void fail(std::string_view name, std::string problem) const;

    // --- presence ---
    // The member, or nullptr when absent or null.
    const nlohmann::json* find(const char* name) const;
    // The member; absent or null throws "required field is missing".
    const nlohmann::json& require(const char* name) const;
    // The member, which may be null; only absent throws "required field is missing".
    const nlohmann::json& member(const char* name) const;

    // --- text --- (`maxBytes` counts UTF-8 bytes: "is longer than N bytes")
    std::string string(const char* name, std::size_t maxBytes = kNoLengthLimit) const;
    std::optional<std::string> optionalString(const char* name,
                                              std::size_t maxBytes = kNoLengthLimit) const;
    // A required string that must be one of `allowed` ("expected one of a, b"; the value read is
    // not quoted).
    std::string oneOf(const char* name, std::initializer_list<std::string_view> allowed) const;

    // --- numbers ---
    std::int64_t integer(const char* name, IntegerLimits limits = {}) const;
    std::optional<std::int64_t> optionalInteger(const char* name, IntegerLimits limits = {}) const;
    // 0 to 2^64-1 (byte counts); a negative number reads "must be 0 or more, got N".
    std::optional<std::uint64_t> optionalUnsigned(const char* name) const;
    // Any finite JSON number.
    std::optional<double> optionalNumber(const char* name) const;

    // --- true/false ---
    bool boolean(const char* name) const;
    std::optional<bool> optionalBoolean(const char* name) const;

    // --- arrays and objects ---
    // A required array ("expected an array, got a string").
    const nlohmann::json& array(const char* name) const;
    // An array, or nullptr when not given.
    const nlohmann::json* optionalArray(const char* name) const;
    // A required nested object, read at field(name).
    JsonFields nested(const char* name) const;
    // A nested object, or nullopt when not given.
    std::optional<JsonFields> optionalNested(const char* name) const;
    // Element `index` of array member `arrayName`, which must be an object: read at
    // "arrayName[index]".
    JsonFields element(const nlohmann::json& value, std::string_view arrayName,
                       std::size_t index) const;
    // Element `index` of array member `arrayName`, which must be a string.
    std::string stringElement(const nlohmann::json& value, std::string_view arrayName,
                              std::size_t index, std::size_t maxBytes = kNoLengthLimit) const;

private:
    // "" when `value` is a string of at most maxBytes, else the problem. Paths are built only
    // on failure: reading is on the pull's and the ingest's hot paths.
    static std::string stringProblem(const nlohmann::json& value, std::size_t maxBytes);
    std::int64_t readInteger(const char* name, const nlohmann::json& value,
                             const IntegerLimits& limits) const;

    const nlohmann::json& m_object;
    std::string m_path;
};

}  // namespace signpost
