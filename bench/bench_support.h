// Signpost benchmark helpers: sample statistics and the one table format every benchmark prints.
//
// Report medians and tail percentiles, never single runs: the machines are noisy. Each table row
// is one figure with its target and whether it was met, so `installer/bench.sh` output can be
// pasted into an issue note as it is.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace signpost::bench {

class Samples {
public:
    void add(double value) { m_values.push_back(value); }
    std::size_t size() const noexcept { return m_values.size(); }
    // Nearest-rank percentile, p in [0, 100]. 0 for no samples.
    double percentile(double p) const;
    double median() const { return percentile(50); }
    double p99() const { return percentile(99); }
    double min() const;
    double max() const;

private:
    std::vector<double> m_values;
};

// Milliseconds since `start` on the steady clock.
double millisecondsSince(std::chrono::steady_clock::time_point start);

struct Row {
    std::string figure;    // "search-as-you-type p99, 10k services"
    std::string measured;  // "1.8 ms"
    std::string target;    // "<= 5 ms"
    bool met = true;
    std::string note;  // "median 0.9 ms, 4,200 queries"
};

// Prints a Markdown table (| figure | measured | target | met | note |) with a title line.
void printTable(const std::string& title, const std::vector<Row>& rows);
// "1.83 ms", "12.0 MB", "2,431 /s" helpers.
std::string formatNumber(double value, int decimals);
std::string withUnit(double value, int decimals, const std::string& unit);

}  // namespace signpost::bench
