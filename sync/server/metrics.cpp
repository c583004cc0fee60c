#include "sync/server/metrics.h"

#include <cmath>
#include <cstdio>

namespace signpost::server {

namespace {

// Label values here are route templates, methods and fixed words, but escape anyway: the format
// breaks on a stray quote or backslash.
std::string escapeLabel(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

// Whole numbers in full (a Unix time in %.9g would lose its last digits: 1.7961706e+09),
// everything else to nine significant digits.
std::string number(double value) {
    char buffer[32];
    if (std::floor(value) == value && std::fabs(value) < 1e15) {
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.9g", value);
    }
    return buffer;
}

const char* helpFor(const std::string& name) {
    if (name == "signpost_submissions_total") {
        return "Pushed submissions by outcome.";
    }
    if (name == "signpost_submission_rejections_total") {
        return "Rejected submissions by reason.";
    }
    if (name == "signpost_enrollments_total") {
        return "Enrollment attempts by outcome.";
    }
    if (name == "signpost_rate_limited_total") {
        return "Requests answered 429, by limit.";
    }
    return "Signpost counter.";
}

}  // namespace

void Metrics::observeRequest(const std::string& method, const std::string& route, int status,
                             double seconds, std::uint64_t responseBytes) {
    std::lock_guard lock(m_mutex);
    Histogram& h = m_requests[RequestKey{method, route, status}];
    std::size_t bucket = 0;
    while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) {
        ++bucket;
    }
    if (bucket < kBuckets.size()) {
        ++h.buckets[bucket];
    }
    ++h.count;
    h.sum += seconds;
    m_bytes[{method, route}] += responseBytes;
}

void Metrics::increment(const std::string& name, const std::string& label, const std::string& value,
                        std::uint64_t count) {
    std::lock_guard lock(m_mutex);
    m_counters[{name, label, value}] += count;
}

void Metrics::deviceSeen(const std::string& deviceId) {
    std::lock_guard lock(m_mutex);
    m_devicesSeen.insert(deviceId);
}

std::size_t Metrics::devicesSeen() const {
    std::lock_guard lock(m_mutex);
    return m_devicesSeen.size();
}

std::uint64_t Metrics::requestCount(const std::string& method, const std::string& route,
                                    int status) const {
    std::lock_guard lock(m_mutex);
    auto it = m_requests.find(RequestKey{method, route, status});
    return it == m_requests.end() ? 0 : it->second.count;
}

std::uint64_t Metrics::counter(const std::string& name, const std::string& label,
                               const std::string& value) const {
    std::lock_guard lock(m_mutex);
    auto it = m_counters.find({name, label, value});
    return it == m_counters.end() ? 0 : it->second;
}

std::string Metrics::render(const std::vector<Gauge>& gauges) const {
    std::lock_guard lock(m_mutex);
    std::string out;
    out +=
        "# HELP signpost_http_requests_total HTTP requests by method, route template and status.\n";
    out += "# TYPE signpost_http_requests_total counter\n";
    for (const auto& [key, h] : m_requests) {
        const auto& [method, route, status] = key;
        out += "signpost_http_requests_total{method=\"" + escapeLabel(method) + "\",route=\"" +
               escapeLabel(route) + "\",status=\"" + std::to_string(status) + "\"} " +
               std::to_string(h.count) + "\n";
    }
    out += "# HELP signpost_http_request_duration_seconds Time from routing to the response.\n";
    out += "# TYPE signpost_http_request_duration_seconds histogram\n";
    for (const auto& [key, h] : m_requests) {
        const auto& [method, route, status] = key;
        const std::string labels = "method=\"" + escapeLabel(method) + "\",route=\"" +
                                   escapeLabel(route) + "\",status=\"" + std::to_string(status) +
                                   "\"";
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += h.buckets[i];
            out += "signpost_http_request_duration_seconds_bucket{" + labels + ",le=\"" +
                   number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        out += "signpost_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
               std::to_string(h.count) + "\n";
        out += "signpost_http_request_duration_seconds_sum{" + labels + "} " + number(h.sum) + "\n";
        out += "signpost_http_request_duration_seconds_count{" + labels + "} " +
               std::to_string(h.count) + "\n";
    }
    out += "# HELP signpost_http_response_bytes_total Response body bytes by method and route.\n";
    out += "# TYPE signpost_http_response_bytes_total counter\n";
    for (const auto& [key, bytes] : m_bytes) {
        out += "signpost_http_response_bytes_total{method=\"" + escapeLabel(key.first) +
               "\",route=\"" + escapeLabel(key.second) + "\"} " + std::to_string(bytes) + "\n";
    }
    std::string lastName;
    for (const auto& [key, value] : m_counters) {
        const auto& [name, label, labelValue] = key;
        if (name != lastName) {
            out += "# HELP " + name + " " + helpFor(name) + "\n";
            out += "# TYPE " + name + " counter\n";
            lastName = name;
        }
        out += name + "{" + label + "=\"" + escapeLabel(labelValue) + "\"} " +
               std::to_string(value) + "\n";
    }
    out +=
        "# HELP signpost_devices_seen Distinct devices that made an authenticated request since "
        "the server started.\n";
    out += "# TYPE signpost_devices_seen gauge\n";
    out += "signpost_devices_seen " + std::to_string(m_devicesSeen.size()) + "\n";
    for (const Gauge& gauge : gauges) {
        out += "# HELP " + gauge.name + " " + gauge.help + "\n";
        out += "# TYPE " + gauge.name + " " + gauge.type + "\n";
        out += gauge.name + " " + number(gauge.value) + "\n";
    }
    return out;
}

}  // namespace signpost::server
