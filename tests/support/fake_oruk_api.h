// Test support for issue 11: a fake Open Referral UK 3.0 API on a real loopback port, for the
// feed tests and server_feed_bench. It serves `services` generated services (UUID ids, nested
// organization, locations, schedules, phones, cost, languages, taxonomy terms that the shipped
// needs mapping knows and one it does not) as ORUK pages of list items and /services/{id}
// records, with ETags (If-None-Match -> 304) and each record's last_modified.
//
// Knobs a test turns between runs: throttle the next requests with 429 + Retry-After, stall a
// path longer than the client waits, serve one page as broken JSON, change one service (new
// description and last_modified), list full records instead of list items.
//
// Thread-safety: knobs and counters are safe from any thread; the server runs its own.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace signpost::test {

class FakeOrukApi {
public:
    explicit FakeOrukApi(std::size_t services, std::size_t maxPerPage = 200);
    ~FakeOrukApi();
    FakeOrukApi(const FakeOrukApi&) = delete;
    FakeOrukApi& operator=(const FakeOrukApi&) = delete;

    std::string baseUrl() const;  // "http://127.0.0.1:PORT/oruk"
    static std::string serviceId(std::size_t index);

    void throttle(int requests, int retryAfterSeconds);  // the next `requests` answers are 429
    // The next `times` requests whose target starts with `prefix` wait `delay` before answering.
    void stall(const std::string& prefix, std::chrono::milliseconds delay, int times);
    void breakPage(std::size_t page);  // 0 = none
    void changeService(std::size_t index, const std::string& description);
    void listFullRecords(bool full);

    std::size_t requests() const;        // every request, answered or not
    std::size_t detailRequests() const;  // GET /services/{id}
    std::size_t notModified() const;     // 304s sent
    std::size_t throttled() const;       // 429s sent

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace signpost::test
