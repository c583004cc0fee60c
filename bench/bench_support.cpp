#include "bench_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace signpost::bench {

double Samples::percentile(double p) const {
    if (m_values.empty()) {
        return 0;
    }
    std::vector<double> sorted = m_values;
    std::sort(sorted.begin(), sorted.end());
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

double Samples::min() const {
    return m_values.empty() ? 0 : *std::min_element(m_values.begin(), m_values.end());
}
double Samples::max() const {
    return m_values.empty() ? 0 : *std::max_element(m_values.begin(), m_values.end());
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

std::string formatNumber(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    const std::string text = buffer;
    // Thousands separators on the integer part, for readability.
    std::size_t sign = text[0] == '-' ? 1 : 0;
    std::size_t dot = text.find('.');
    std::size_t integerEnd = dot == std::string::npos ? text.size() : dot;
    std::string out = text.substr(0, sign);
    for (std::size_t i = sign; i < integerEnd; ++i) {
        out += text[i];
        std::size_t remaining = integerEnd - i - 1;
        if (remaining > 0 && remaining % 3 == 0) {
            out += ',';
        }
    }
    out += text.substr(integerEnd);
    return out;
}

std::string withUnit(double value, int decimals, const std::string& unit) {
    return formatNumber(value, decimals) + " " + unit;
}

void printTable(const std::string& title, const std::vector<Row>& rows) {
    std::cout << "\n### " << title << "\n\n";
    std::cout << "| figure | measured | target | met | note |\n";
    std::cout << "|---|---|---|---|---|\n";
    for (const Row& row : rows) {
        std::cout << "| " << row.figure << " | " << row.measured << " | " << row.target << " | "
                  << (row.met ? "yes" : "**no**") << " | " << row.note << " |\n";
    }
    std::cout << std::flush;
}

}  // namespace signpost::bench
