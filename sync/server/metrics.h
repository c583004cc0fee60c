// Signpost server — counters, gauges and latency histograms in the Prometheus text format
// (version 0.0.4), served at GET /metrics. Labels are route templates and status codes, never
// ids or anything a resident typed.
//
//   signpost_http_requests_total{method,route,status}           counter
//   signpost_http_request_duration_seconds{method,route,status} histogram
//   signpost_http_response_bytes_total{method,route}            counter
//   signpost_submissions_total{result="stored|duplicate|rejected"}
//   signpost_submission_rejections_total{reason="conflict|bad_signature|invalid"}
//   signpost_enrollments_total{result="enrolled|reissued|unknown_code|..."}
//   signpost_rate_limited_total{limit="enroll|bad_token"}
//   signpost_devices_seen                  distinct devices that called since the start
//   plus gauges read from the store at scrape time (ApiServer): signpost_submissions_held,
//   signpost_submissions_unacked, signpost_devices_active, signpost_devices_revoked,
//   signpost_directory_version; and from backup-status.json (backup_status.h), 0 while no backup
//   was recorded: signpost_last_backup_timestamp_seconds, signpost_last_backup_size_bytes,
//   signpost_last_backup_failure_timestamp_seconds, signpost_backup_last_attempt_succeeded,
//   signpost_backups_total, signpost_backup_failures_total.
//
// Thread-safety: every method is safe from any thread (one mutex; updates are a few map
// look-ups, far cheaper than the requests they count).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace signpost::server {

class Metrics {
public:
    static constexpr std::array<double, 14> kBuckets = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    void observeRequest(const std::string& method, const std::string& route, int status,
                        double seconds, std::uint64_t responseBytes);
    // Adds `count` to the counter `name` with one label (name="value").
    void increment(const std::string& name, const std::string& label, const std::string& value,
                   std::uint64_t count = 1);
    void deviceSeen(const std::string& deviceId);
    std::size_t devicesSeen() const;

    // Read back, for tests and /healthz.
    std::uint64_t requestCount(const std::string& method, const std::string& route,
                               int status) const;
    std::uint64_t counter(const std::string& name, const std::string& label,
                          const std::string& value) const;

    struct Gauge {
        std::string name;
        std::string help;
        double value = 0;
        const char* type = "gauge";  // or "counter" for a total read from elsewhere
    };
    // The whole exposition, with `gauges` (read elsewhere at scrape time) appended.
    std::string render(const std::vector<Gauge>& gauges) const;

private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};  // non-cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    using RequestKey = std::tuple<std::string, std::string, int>;  // method, route, status

    mutable std::mutex m_mutex;
    std::map<RequestKey, Histogram> m_requests;
    std::map<std::pair<std::string, std::string>, std::uint64_t> m_bytes;  // method, route
    std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> m_counters;
    std::set<std::string> m_devicesSeen;
};

}  // namespace signpost::server
