#include "core/directory/hsds_fields.h"

namespace signpost::hsds_detail {

std::string quotedValue(std::string_view text) {
    // Error messages quote data; keep them one line and short.
    std::string result = "\"";
    for (char c : text.substr(0, 60)) {
        result += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    if (text.size() > 60) {
        result += "...";
    }
    return result + "\"";
}

std::string recordName(std::string_view collection, std::size_t index, const json& element) {
    std::string name = std::string(collection) + "[" + std::to_string(index) + "]";
    if (element.is_object() && element.contains("id")) {
        const json& id = element.at("id");
        if (id.is_string() && !id.get_ref<const std::string&>().empty()) {
            name += " (id " + quotedValue(id.get_ref<const std::string&>()) + ")";
        }
    }
    return name;
}

void ImportLog::report(const std::string& record, const std::string& recordId,
                       const std::string& field, const std::string& reason, ImportEffect effect) {
    if (m_strict) {
        throw ImportError(record, field.empty() ? reason : field + ": " + reason);
    }
    m_problems.push_back(ImportProblem{record, recordId, field, reason, effect});
}

void ImportLog::skipped(const ImportError& error, const std::string& recordId) {
    // what() is "record: field: reason"; split the field off when there is one.
    std::string rest = std::string(error.what()).substr(error.recordPath().size() + 2);
    std::string field;
    const std::size_t colon = rest.find(": ");
    if (colon != std::string::npos && rest.find(' ') > colon) {
        field = rest.substr(0, colon);
        rest = rest.substr(colon + 2);
    }
    m_problems.push_back(
        ImportProblem{error.recordPath(), recordId, field, rest, ImportEffect::RecordSkipped});
}

JsonFields Fields::makeFields(const json& object, const std::string& record, std::string path) {
    try {
        return JsonFields(object, std::move(path));
    } catch (const JsonFieldError& error) {
        throw ImportError(record, error.what());
    }
}

Fields::Fields(const json& object, std::string record, std::string prefix, std::string recordId)
    : Fields(object, std::move(record),
             prefix.ends_with('.') ? prefix.substr(0, prefix.size() - 1) : prefix,
             std::move(recordId), AtPath{}) {}

Fields::Fields(const json& object, std::string record, std::string path, std::string recordId,
               AtPath)
    : m_fields(makeFields(object, record, std::move(path))),
      m_record(std::move(record)),
      m_recordId(std::move(recordId)) {}

void Fields::fail(std::string_view field, const std::string& problem) const {
    throw ImportError(m_record, path(field) + ": " + problem);
}

void Fields::soft(ImportLog& log, std::string_view field, const std::string& problem,
                  ImportEffect effect) const {
    log.report(m_record, m_recordId, path(field), problem, effect);
}

std::string Fields::text(const char* key, bool required) const {
    if (!required) {
        return read([key](const JsonFields& f) { return f.optionalString(key).value_or(""); });
    }
    std::string result = read([key](const JsonFields& f) { return f.string(key); });
    if (result.find_first_not_of(" \t\r\n") == std::string::npos) {
        fail(key, "must not be empty");
    }
    return result;
}

const json& Fields::array(const char* key) const {
    static const json kEmpty = json::array();
    const json* value = read([key](const JsonFields& f) { return f.optionalArray(key); });
    return value == nullptr ? kEmpty : *value;
}

std::optional<double> Fields::number(const char* key) const {
    return read([key](const JsonFields& f) { return f.optionalNumber(key); });
}

std::optional<long long> Fields::integer(const char* key, long long minimum,
                                         long long maximum) const {
    const IntegerLimits limits{.min = minimum, .max = maximum, .acceptWholeFloats = true};
    const auto value = read([&](const JsonFields& f) { return f.optionalInteger(key, limits); });
    return value ? std::optional<long long>(*value) : std::nullopt;
}

std::optional<bool> Fields::boolean(const char* key) const {
    return read([key](const JsonFields& f) { return f.optionalBoolean(key); });
}

std::optional<CivilDate> Fields::date(const char* key) const {
    const std::string value = text(key);
    if (value.empty()) {
        return std::nullopt;
    }
    auto parsed = parseCivilDate(value);
    if (!parsed) {
        fail(key, "expected a date YYYY-MM-DD, got " + quotedValue(value));
    }
    return parsed;
}

std::string Fields::url(const char* key) const {
    std::string value = text(key);
    if (!value.empty() && value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) {
        fail(key,
             "expected a web address starting with https:// or http://, got " + quotedValue(value));
    }
    return value;
}

std::string Fields::email(const char* key) const {
    std::string value = text(key);
    if (value.empty()) {
        return value;
    }
    const std::size_t at = value.find('@');
    const bool ok = at != std::string::npos && at > 0 &&
                    value.find('@', at + 1) == std::string::npos &&
                    value.find('.', at) != std::string::npos && value.back() != '.' &&
                    value.find_first_of(" \t\r\n<>,;") == std::string::npos;
    if (!ok) {
        fail(key, "expected an email address, got " + quotedValue(value));
    }
    return value;
}

Fields Fields::child(const json& element, std::string_view arrayKey, std::size_t index) const {
    return Fields(element, m_record, jsonElementPath(path(arrayKey), index), m_recordId, AtPath{});
}

Fields Fields::nested(const json& element, std::string_view key) const {
    return Fields(element, m_record, path(key), m_recordId, AtPath{});
}

}  // namespace signpost::hsds_detail
