#include "sync/server/http_message.h"

#include <algorithm>

#include "sync/protocol/wire.h"

namespace signpost::server {

namespace {

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

const std::string* findValue(const HeaderList& list, std::string_view name) {
    for (const auto& [key, value] : list) {
        if (equalsIgnoreCase(key, name)) {
            return &value;
        }
    }
    return nullptr;
}

const std::string* findExact(const HeaderList& list, std::string_view name) {
    for (const auto& [key, value] : list) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

bool Request::has_header(std::string_view name) const {
    return findValue(headers, name) != nullptr;
}

std::string Request::get_header_value(std::string_view name) const {
    const std::string* value = findValue(headers, name);
    return value == nullptr ? std::string() : *value;
}

// Query parameter names are case-sensitive (unlike header names).
bool Request::has_param(std::string_view name) const {
    return findExact(params, name) != nullptr;
}

std::string Request::get_param_value(std::string_view name) const {
    const std::string* value = findExact(params, name);
    return value == nullptr ? std::string() : *value;
}

void Response::set_header(std::string_view name, std::string value) {
    std::erase_if(headers,
                  [name](const auto& header) { return equalsIgnoreCase(header.first, name); });
    headers.emplace_back(std::string(name), std::move(value));
}

std::string Response::get_header_value(std::string_view name) const {
    const std::string* value = findValue(headers, name);
    return value == nullptr ? std::string() : *value;
}

void Response::set_content(std::string text, std::string_view contentType) {
    sharedBody.reset();
    body = std::move(text);
    set_header("Content-Type", std::string(contentType));
}

void Response::set_shared_content(std::shared_ptr<const std::string> text,
                                  std::string_view contentType) {
    body.clear();
    sharedBody = std::move(text);
    set_header("Content-Type", std::string(contentType));
}

void setApiError(Response& res, int status, const std::string& code, const std::string& message) {
    res.status = status;
    res.set_content(protocol::toJson(protocol::ApiError{code, message}), "application/json");
}

}  // namespace signpost::server
