#include "core/common/json_fields.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace signpost {

using nlohmann::json;

namespace {

// `tooHigh`: the value is above limits.max (else below limits.min). Both bounds are named when
// both were given; otherwise the one that was broken.
std::string rangeProblem(const IntegerLimits& limits, bool tooHigh, const std::string& got) {
    constexpr IntegerLimits kOpen{};
    if (limits.min != kOpen.min && limits.max != kOpen.max) {
        return "must be between " + std::to_string(limits.min) + " and " +
               std::to_string(limits.max) + ", got " + got;
    }
    return tooHigh ? "must be at most " + std::to_string(limits.max) + ", got " + got
                   : "must be " + std::to_string(limits.min) + " or more, got " + got;
}

}  // namespace

JsonFieldError::JsonFieldError(std::string path, std::string problem)
    : std::runtime_error(path.empty() ? problem : path + ": " + problem),
      m_path(std::move(path)),
      m_problem(std::move(problem)) {}

const char* jsonTypeName(const json& value) {
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

std::string jsonFieldPath(std::string_view base, std::string_view name) {
    std::string path;
    path.reserve(base.size() + name.size() + 1);
    path.append(base);
    if (!base.empty()) {
        path.push_back('.');
    }
    path.append(name);
    return path;
}

std::string jsonElementPath(std::string_view base, std::size_t index) {
    return std::string(base) + "[" + std::to_string(index) + "]";
}

JsonFields::JsonFields(const json& object, std::string path)
    : m_object(object), m_path(std::move(path)) {
    if (!m_object.is_object()) {
        throw JsonFieldError(m_path,
                             std::string("expected an object, got ") + jsonTypeName(object));
    }
}

void JsonFields::fail(std::string_view name, std::string problem) const {
    throw JsonFieldError(field(name), std::move(problem));
}

const json* JsonFields::find(const char* name) const {
    const auto it = m_object.find(name);
    return it == m_object.end() || it->is_null() ? nullptr : &*it;
}

const json& JsonFields::require(const char* name) const {
    const json* value = find(name);
    if (value == nullptr) {
        fail(name, "required field is missing");
    }
    return *value;
}

const json& JsonFields::member(const char* name) const {
    const auto it = m_object.find(name);
    if (it == m_object.end()) {
        fail(name, "required field is missing");
    }
    return *it;
}

std::string JsonFields::stringProblem(const json& value, std::size_t maxBytes) {
    if (!value.is_string()) {
        return std::string("expected a string, got ") + jsonTypeName(value);
    }
    if (value.get_ref<const std::string&>().size() > maxBytes) {
        return "is longer than " + std::to_string(maxBytes) + " bytes";
    }
    return {};
}

std::string JsonFields::string(const char* name, std::size_t maxBytes) const {
    const json& value = require(name);
    if (std::string problem = stringProblem(value, maxBytes); !problem.empty()) {
        fail(name, std::move(problem));
    }
    return value.get_ref<const std::string&>();
}

std::optional<std::string> JsonFields::optionalString(const char* name,
                                                      std::size_t maxBytes) const {
    if (find(name) == nullptr) {
        return std::nullopt;
    }
    return string(name, maxBytes);
}

std::string JsonFields::oneOf(const char* name,
                              std::initializer_list<std::string_view> allowed) const {
    std::string value = string(name);
    std::string list;
    for (std::string_view each : allowed) {
        if (value == each) {
            return value;
        }
        list += list.empty() ? "" : ", ";
        list += each;
    }
    fail(name, "expected one of " + list);
}

std::int64_t JsonFields::readInteger(const char* name, const json& value,
                                     const IntegerLimits& limits) const {
    std::int64_t result = 0;
    if (value.is_number_unsigned()) {
        // Above INT64_MAX nothing signed holds it: out of any range we can be asked for.
        const auto big = value.get<std::uint64_t>();
        if (big > static_cast<std::uint64_t>(limits.max)) {
            fail(name, rangeProblem(limits, true, std::to_string(big)));
        }
        result = static_cast<std::int64_t>(big);
    } else if (value.is_number_integer()) {
        result = value.get<std::int64_t>();
    } else if (limits.acceptWholeFloats && value.is_number_float() &&
               std::isfinite(value.get<double>()) &&
               value.get<double>() == std::floor(value.get<double>()) &&
               std::abs(value.get<double>()) < 1e15) {
        result = static_cast<std::int64_t>(value.get<double>());
    } else {
        fail(name, std::string("expected a whole number, got ") + jsonTypeName(value));
    }
    if (result < limits.min || result > limits.max) {
        fail(name, rangeProblem(limits, result > limits.max, std::to_string(result)));
    }
    return result;
}

std::int64_t JsonFields::integer(const char* name, IntegerLimits limits) const {
    return readInteger(name, require(name), limits);
}

std::optional<std::int64_t> JsonFields::optionalInteger(const char* name,
                                                        IntegerLimits limits) const {
    const json* value = find(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    return readInteger(name, *value, limits);
}

std::optional<std::uint64_t> JsonFields::optionalUnsigned(const char* name) const {
    const json* value = find(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (value->is_number_unsigned()) {
        return value->get<std::uint64_t>();
    }
    return static_cast<std::uint64_t>(readInteger(name, *value, IntegerLimits{.min = 0}));
}

std::optional<double> JsonFields::optionalNumber(const char* name) const {
    const json* value = find(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    if (!value->is_number()) {
        fail(name, std::string("expected a number, got ") + jsonTypeName(*value));
    }
    const double result = value->get<double>();
    if (!std::isfinite(result)) {
        fail(name, "expected a finite number");
    }
    return result;
}

bool JsonFields::boolean(const char* name) const {
    const json& value = require(name);
    if (!value.is_boolean()) {
        fail(name, std::string("expected true or false, got ") + jsonTypeName(value));
    }
    return value.get<bool>();
}

std::optional<bool> JsonFields::optionalBoolean(const char* name) const {
    if (find(name) == nullptr) {
        return std::nullopt;
    }
    return boolean(name);
}

const json& JsonFields::array(const char* name) const {
    const json& value = require(name);
    if (!value.is_array()) {
        fail(name, std::string("expected an array, got ") + jsonTypeName(value));
    }
    return value;
}

const json* JsonFields::optionalArray(const char* name) const {
    return find(name) == nullptr ? nullptr : &array(name);
}

JsonFields JsonFields::nested(const char* name) const {
    return JsonFields(require(name), field(name));
}

std::optional<JsonFields> JsonFields::optionalNested(const char* name) const {
    const json* value = find(name);
    if (value == nullptr) {
        return std::nullopt;
    }
    return JsonFields(*value, field(name));
}

JsonFields JsonFields::element(const json& value, std::string_view arrayName,
                               std::size_t index) const {
    return JsonFields(value, jsonElementPath(field(arrayName), index));
}

std::string JsonFields::stringElement(const json& value, std::string_view arrayName,
                                      std::size_t index, std::size_t maxBytes) const {
    if (std::string problem = stringProblem(value, maxBytes); !problem.empty()) {
        throw JsonFieldError(jsonElementPath(field(arrayName), index), std::move(problem));
    }
    return value.get_ref<const std::string&>();
}

}  // namespace signpost
