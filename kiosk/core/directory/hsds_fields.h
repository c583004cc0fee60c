// Signpost — reading the fields of one HSDS record (internal to the directory module).
//
// Fields names the record and the field in every error it throws ("services[3] (id \"x\"):
// schedules[0].opens_at: ..."). Problems that do not stop a record (a field that cannot be
// honoured) go to an ImportLog: collected in lenient imports, thrown at once in strict ones.
//
// Thread-safety: one Fields / ImportLog per import, on one thread.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory/directory_types.h"
#include "core/directory/hsds_import.h"

namespace signpost::hsds_detail {

using nlohmann::json;

// "\"text\"" cut to 60 characters, on one line: data quoted in messages.
std::string quotedValue(std::string_view text);
// "a string", "an array", ... for messages.
const char* typeName(const json& value);
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

class Fields {
public:
    Fields(const json& object, std::string record, std::string prefix = "",
           std::string recordId = "");

    [[noreturn]] void fail(std::string_view field, const std::string& problem) const;
    // A problem that leaves the record in: reported to `log` (which throws when strict).
    void soft(ImportLog& log, std::string_view field, const std::string& problem,
              ImportEffect effect) const;
    const std::string& record() const { return m_record; }
    const std::string& recordId() const { return m_recordId; }
    std::string path(std::string_view field) const { return m_prefix + std::string(field); }
    const json& object() const { return m_object; }

    // Absent and null both read as "not given".
    const json* find(const char* key) const;
    std::string text(const char* key, bool required = false) const;
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
    const json& m_object;
    std::string m_record;
    std::string m_prefix;
    std::string m_recordId;
};

}  // namespace signpost::hsds_detail
