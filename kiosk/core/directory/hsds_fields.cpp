#include "core/directory/hsds_fields.h"

#include <cmath>

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

const char* typeName(const json& value) {
    switch (value.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return "a number";
        case json::value_t::string:
            return "a string";
        case json::value_t::array:
            return "an array";
        case json::value_t::object:
            return "an object";
        default:
            return "something else";
    }
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

Fields::Fields(const json& object, std::string record, std::string prefix, std::string recordId)
    : m_object(object),
      m_record(std::move(record)),
      m_prefix(std::move(prefix)),
      m_recordId(std::move(recordId)) {}

void Fields::fail(std::string_view field, const std::string& problem) const {
    throw ImportError(m_record, m_prefix + std::string(field) + ": " + problem);
}

void Fields::soft(ImportLog& log, std::string_view field, const std::string& problem,
                  ImportEffect effect) const {
    log.report(m_record, m_recordId, m_prefix + std::string(field), problem, effect);
}

const json* Fields::find(const char* key) const {
    auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::string Fields::text(const char* key, bool required) const {
    const json* value = find(key);
    if (value == nullptr) {
        if (required) {
            fail(key, "required field is missing");
        }
        return {};
    }
    if (!value->is_string()) {
        fail(key, std::string("expected a string, got ") + typeName(*value));
    }
    std::string result = value->get<std::string>();
    if (required && result.find_first_not_of(" \t\r\n") == std::string::npos) {
        fail(key, "must not be empty");
    }
    return result;
}

const json& Fields::array(const char* key) const {
    static const json kEmpty = json::array();
    const json* value = find(key);
    if (value == nullptr) {
        return kEmpty;
    }
    if (!value->is_array()) {
        fail(key, std::string("expected an array, got ") + typeName(*value));
    }
    return *value;
}

std::optional<double> Fields::number(const char* key) const {
    const json* value = find(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        fail(key, std::string("expected a number, got ") + typeName(*value));
    }
    const double result = value->get<double>();
    if (!std::isfinite(result)) {
        fail(key, "expected a finite number");
    }
    return result;
}

std::optional<long long> Fields::integer(const char* key, long long minimum,
                                         long long maximum) const {
    const json* value = find(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    long long result = 0;
    if (value->is_number_integer()) {
        result = value->get<long long>();
    } else if (value->is_number_float() && std::isfinite(value->get<double>()) &&
               value->get<double>() == std::floor(value->get<double>()) &&
               std::abs(value->get<double>()) < 1e15) {
        result = static_cast<long long>(value->get<double>());
    } else {
        fail(key, std::string("expected a whole number, got ") + typeName(*value));
    }
    if (result < minimum || result > maximum) {
        fail(key, "must be between " + std::to_string(minimum) + " and " + std::to_string(maximum) +
                      ", got " + std::to_string(result));
    }
    return result;
}

std::optional<bool> Fields::boolean(const char* key) const {
    const json* value = find(key);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_boolean()) {
        fail(key, std::string("expected true or false, got ") + typeName(*value));
    }
    return value->get<bool>();
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
    const std::string childPrefix =
        m_prefix + std::string(arrayKey) + "[" + std::to_string(index) + "]";
    if (!element.is_object()) {
        throw ImportError(m_record, childPrefix + ": expected an object, got " + typeName(element));
    }
    return Fields(element, m_record, childPrefix + ".", m_recordId);
}

Fields Fields::nested(const json& element, std::string_view key) const {
    if (!element.is_object()) {
        fail(key, std::string("expected an object, got ") + typeName(element));
    }
    return Fields(element, m_record, m_prefix + std::string(key) + ".", m_recordId);
}

}  // namespace signpost::hsds_detail
