// Signpost — reading the fields of one HSDS record (internal to the directory module).
//
// Fields names the record and the field in every error it throws ("services[3] (id \"x\"):
// schedules[0].opens_at: ..."). It reads through the one JSON field reader
// (core/common/json_fields.h), adding what HSDS needs on top: the record in each ImportError,
// required text that is not blank, dates, web and email addresses. Problems that do not stop a
// record (a field that cannot be honoured) go to an ImportLog: collected in lenient imports,
// thrown at once in strict ones.
//
// Thread-safety: one Fields / ImportLog per import, on one thread.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/json_fields.h"
#include "core/directory/directory_types.h"
#include "core/directory/hsds_import.h"

namespace signpost::hsds_detail {

using nlohmann::json;

// "\"text\"" cut to 60 characters, on one line: data quoted in messages.
std::string quotedValue(std::string_view text);
// "a string", "an array", ... for messages (jsonTypeName).
inline const char* typeName(const json& value) {
    return jsonTypeName(value);
}
// "services[41] (id "svc-food-042")", or without the id when it is unusable.
std::string recordName(std::string_view collection, std::size_t index, const json& element);

class ImportLog {
public:
    explicit ImportLog(bool strict) : m_strict(strict) {}
    bool strict() const noexcept { return m_strict; }
    // Strict: throws ImportError(record, field + ": " + reason). Lenient: records the problem.
    void report(const std::string& record, const std::string& recordId, const std::string& field,
                const std::string& reason, ImportEffect effect);
    void skipped(const ImportError& error, const std::string& recordId);
    std::vector<ImportProblem>& problems() noexcept { return m_problems; }

private:
    bool m_strict;
    std::vector<ImportProblem> m_problems;
};

// Every read throws ImportError(record, "PATH: PROBLEM"); the problems are json_fields.h's.
class Fields {
public:
    // `object` (which must be a JSON object, else ImportError) is read at `prefix` ("" or
    // "schedules[0]."); it must outlive this Fields and the Fields made from it.
    Fields(const json& object, std::string record, std::string prefix = "",
           std::string recordId = "");

    [[noreturn]] void fail(std::string_view field, const std::string& problem) const;
    // A problem that leaves the record in: reported to `log` (which throws when strict).
    void soft(ImportLog& log, std::string_view field, const std::string& problem,
              ImportEffect effect) const;
    const std::string& record() const { return m_record; }
    const std::string& recordId() const { return m_recordId; }
    std::string path(std::string_view field) const { return m_fields.field(field); }
    const json& object() const { return m_fields.object(); }

    // Absent and null both read as "not given".
    const json* find(const char* key) const { return m_fields.find(key); }
    // Required: missing, null or blank throws. Optional: "" when not given.
    std::string text(const char* key, bool required = false) const;
    // An empty array when not given.
    const json& array(const char* key) const;
    std::optional<double> number(const char* key) const;
    // Whole numbers; 12.0 is accepted as 12 (HSDS types ages and intervals as "number").
    std::optional<long long> integer(const char* key, long long minimum, long long maximum) const;
    std::optional<bool> boolean(const char* key) const;
    std::optional<CivilDate> date(const char* key) const;
    std::string url(const char* key) const;
    std::string email(const char* key) const;
    // An element of an array field must be an object; returns a Fields for it.
    Fields child(const json& element, std::string_view arrayKey, std::size_t index) const;
    // A nested object field ("organization", "location").
    Fields nested(const json& element, std::string_view key) const;

private:
    struct AtPath {};
    Fields(const json& object, std::string record, std::string path, std::string recordId, AtPath);
    // Runs a JsonFields read, turning its JsonFieldError into this record's ImportError.
    template <class Read>
    auto read(Read&& read) const {
        try {
            return read(m_fields);
        } catch (const JsonFieldError& error) {
            throw ImportError(m_record, error.what());
        }
    }
    static JsonFields makeFields(const json& object, const std::string& record, std::string path);

    JsonFields m_fields;
    std::string m_record;
    std::string m_recordId;
};

}  // namespace signpost::hsds_detail
