#include "core/directory/time_zone.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

#include "core/common/atomic_file.h"
#include "core/common/log.h"

namespace signpost {

namespace {

using std::chrono::days;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

constexpr std::string_view kLondon = "Europe/London";
constexpr std::string_view kLondonRule = "GMT0BST,M3.5.0/1,M10.5.0";
// Real zone files are a few kilobytes; anything this large is not one.
constexpr std::uintmax_t kMaxZoneFileBytes = 1u << 20;

struct LocalType {
    int utcOffset = 0;
    bool isDst = false;
    std::string abbreviation;
};

// When a POSIX rule switches: the date form and the local time of day (seconds, may be negative
// or above 24h in TZif v3 footers).
struct PosixDate {
    enum class Kind { JulianNoLeap, ZeroBased, MonthWeekDay } kind = Kind::MonthWeekDay;
    int day = 0;     // Jn: 1..365, n: 0..365
    int month = 0;   // Mm.w.d
    int week = 0;    // 1..5, 5 = last
    int weekday = 0; // 0 = Sunday
    long time = 7200;
};

struct PosixRule {
    LocalType standard;
    std::optional<LocalType> daylight;
    PosixDate start;
    PosixDate end;
};

// Parses "GMT0BST,M3.5.0/1,M10.5.0" and friends (POSIX.1-2017 TZ, with the TZif v3 extensions:
// hours up to 167 and negative transition times).
class PosixParser {
public:
    explicit PosixParser(std::string_view text) : m_text(text) {}

    PosixRule parse() {
        PosixRule rule;
        rule.standard.abbreviation = abbreviation();
        rule.standard.utcOffset = -offset();
        if (atEnd()) {
            return rule;
        }
        LocalType daylight;
        daylight.isDst = true;
        daylight.abbreviation = abbreviation();
        daylight.utcOffset = rule.standard.utcOffset + 3600;
        if (!atEnd() && peek() != ',') {
            daylight.utcOffset = -offset();
        }
        rule.daylight = daylight;
        if (atEnd()) {
            // No dates given: POSIX leaves it to the implementation; tzcode uses the US rules.
            rule.start = {PosixDate::Kind::MonthWeekDay, 0, 3, 2, 0, 7200};
            rule.end = {PosixDate::Kind::MonthWeekDay, 0, 11, 1, 0, 7200};
            return rule;
        }
        expect(',');
        rule.start = date();
        expect(',');
        rule.end = date();
        if (!atEnd()) {
            fail("unexpected text after the end date");
        }
        return rule;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    [[noreturn]] void fail(const std::string& why) const {
        throw TimeZoneError("bad POSIX TZ rule \"" + std::string(m_text) + "\": " + why);
    }
    void expect(char c) {
        if (peek() != c) {
            fail(std::string("expected '") + c + "' at position " + std::to_string(m_pos));
        }
        ++m_pos;
    }

    std::string abbreviation() {
        std::string name;
        if (peek() == '<') {
            ++m_pos;
            while (!atEnd() && peek() != '>') {
                char c = peek();
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '+' || c == '-';
                if (!ok) {
                    fail("bad character in a quoted zone abbreviation");
                }
                name += c;
                ++m_pos;
            }
            expect('>');
        } else {
            while ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z')) {
                name += peek();
                ++m_pos;
            }
        }
        if (name.size() < 3) {
            fail("a zone abbreviation needs at least 3 characters");
        }
        return name;
    }

    long number(long maxValue) {
        if (peek() < '0' || peek() > '9') {
            fail("expected a number at position " + std::to_string(m_pos));
        }
        long value = 0;
        while (peek() >= '0' && peek() <= '9') {
            value = value * 10 + (peek() - '0');
            if (value > maxValue) {
                fail("number out of range at position " + std::to_string(m_pos));
            }
            ++m_pos;
        }
        return value;
    }

    // [+-]hh[:mm[:ss]] in seconds; hours up to 167 (TZif v3 allows -167..167 for times).
    long hms(long maxHours) {
        long sign = 1;
        if (peek() == '+' || peek() == '-') {
            sign = peek() == '-' ? -1 : 1;
            ++m_pos;
        }
        long total = number(maxHours) * 3600;
        if (peek() == ':') {
            ++m_pos;
            total += number(59) * 60;
            if (peek() == ':') {
                ++m_pos;
                total += number(59);
            }
        }
        return sign * total;
    }

    long offset() { return hms(24); }

    PosixDate date() {
        PosixDate result;
        if (peek() == 'M') {
            ++m_pos;
            result.kind = PosixDate::Kind::MonthWeekDay;
            result.month = static_cast<int>(number(12));
            expect('.');
            result.week = static_cast<int>(number(5));
            expect('.');
            result.weekday = static_cast<int>(number(6));
            if (result.month < 1 || result.week < 1) {
                fail("month and week start at 1");
            }
        } else if (peek() == 'J') {
            ++m_pos;
            result.kind = PosixDate::Kind::JulianNoLeap;
            result.day = static_cast<int>(number(365));
            if (result.day < 1) {
                fail("Julian day starts at 1");
            }
        } else {
            result.kind = PosixDate::Kind::ZeroBased;
            result.day = static_cast<int>(number(365));
        }
        if (peek() == '/') {
            ++m_pos;
            result.time = hms(167);
        }
        return result;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

bool isLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Days since 1970-01-01 of the local date a POSIX date names in `year`.
long long ruleDay(const PosixDate& date, int year) {
    using namespace std::chrono;
    const sys_days jan1{std::chrono::year{year} / January / 1};
    switch (date.kind) {
        case PosixDate::Kind::JulianNoLeap: {
            // Jn counts 1..365 and never names 29 February.
            int day = date.day;
            if (isLeap(year) && day >= 60) {
                ++day;
            }
            return (jan1 + std::chrono::days{day - 1}).time_since_epoch().count();
        }
        case PosixDate::Kind::ZeroBased:
            return (jan1 + std::chrono::days{date.day}).time_since_epoch().count();
        case PosixDate::Kind::MonthWeekDay: {
            const auto month = std::chrono::month{static_cast<unsigned>(date.month)};
            const auto wd = std::chrono::weekday{static_cast<unsigned>(date.weekday)};
            sys_days day;
            if (date.week == 5) {
                day = sys_days{std::chrono::year{year} / month / wd[last]};
            } else {
                day = sys_days{std::chrono::year{year} / month / wd[static_cast<unsigned>(date.week)]};
            }
            return day.time_since_epoch().count();
        }
    }
    return 0;
}

const LocalType& ruleTypeAt(const PosixRule& rule, long long instant) {
    if (!rule.daylight) {
        return rule.standard;
    }
    // The year as seen on the standard-time wall clock; transitions sit well inside a year.
    const long long localStd = instant + rule.standard.utcOffset;
    const auto ymd = std::chrono::year_month_day{
        sys_days{days{(localStd >= 0 ? localStd : localStd - 86399) / 86400}}};
    const int year = static_cast<int>(ymd.year());
    // Start is given in standard local time, end in daylight local time.
    const long long start = ruleDay(rule.start, year) * 86400 + rule.start.time - rule.standard.utcOffset;
    const long long end = ruleDay(rule.end, year) * 86400 + rule.end.time - rule.daylight->utcOffset;
    bool inDst;
    if (start < end) {
        inDst = instant >= start && instant < end;
    } else {
        // Southern hemisphere: daylight time spans the new year.
        inDst = !(instant >= end && instant < start);
    }
    return inDst ? *rule.daylight : rule.standard;
}

// Reads big-endian integers from a byte buffer, refusing to run past its end.
class ByteReader {
public:
    ByteReader(const std::string& bytes, std::string_view what) : m_bytes(bytes), m_what(what) {}
    std::size_t position() const { return m_pos; }
    std::size_t remaining() const { return m_bytes.size() - m_pos; }
    void need(std::size_t count) const {
        if (count > remaining()) {
            throw TimeZoneError(std::string(m_what) + ": truncated TZif data");
        }
    }
    void skip(std::size_t count) {
        need(count);
        m_pos += count;
    }
    std::uint8_t u8() {
        need(1);
        return static_cast<std::uint8_t>(m_bytes[m_pos++]);
    }
    std::uint32_t u32() {
        need(4);
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            value = (value << 8) | static_cast<std::uint8_t>(m_bytes[m_pos++]);
        }
        return value;
    }
    std::int64_t i64() {
        need(8);
        std::uint64_t value = 0;
        for (int i = 0; i < 8; ++i) {
            value = (value << 8) | static_cast<std::uint8_t>(m_bytes[m_pos++]);
        }
        return static_cast<std::int64_t>(value);
    }
    std::string_view view(std::size_t count) {
        need(count);
        std::string_view result(m_bytes.data() + m_pos, count);
        m_pos += count;
        return result;
    }

private:
    const std::string& m_bytes;
    std::string_view m_what;
    std::size_t m_pos = 0;
};

struct TzifHeader {
    char version = 0;
    std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

TzifHeader readHeader(ByteReader& in, std::string_view what) {
    std::string_view magic = in.view(4);
    if (magic != "TZif") {
        throw TimeZoneError(std::string(what) + ": not a TZif file");
    }
    TzifHeader header;
    header.version = static_cast<char>(in.u8());
    in.skip(15);
    header.isutcnt = in.u32();
    header.isstdcnt = in.u32();
    header.leapcnt = in.u32();
    header.timecnt = in.u32();
    header.typecnt = in.u32();
    header.charcnt = in.u32();
    // RFC 8536 §3.1: typecnt is never zero; the indicator counts are zero or typecnt.
    if (header.typecnt == 0 || header.typecnt > 256 || header.charcnt == 0 ||
        (header.isutcnt != 0 && header.isutcnt != header.typecnt) ||
        (header.isstdcnt != 0 && header.isstdcnt != header.typecnt) || header.timecnt > 100000 ||
        header.leapcnt > 10000 || header.charcnt > 65536) {
        throw TimeZoneError(std::string(what) + ": inconsistent TZif header counts");
    }
    return header;
}

// The parsed zone: a transition table and, for instants after it, a POSIX rule.
struct ZoneTable {
    std::string name;
    std::vector<std::int64_t> transitions;  // UTC seconds, ascending
    std::vector<std::uint8_t> transitionTypes;
    std::vector<LocalType> types;
    std::optional<PosixRule> footer;  // for instants at or after the last transition

    const LocalType& typeAt(std::int64_t instant) const {
        if (transitions.empty() || instant < transitions.front()) {
            if (transitions.empty() && footer) {
                return ruleTypeAt(*footer, instant);
            }
            // RFC 8536 §3.2: before the first transition, local time type 0 applies.
            return types.front();
        }
        if (footer && instant >= transitions.back()) {
            return ruleTypeAt(*footer, instant);
        }
        auto it = std::upper_bound(transitions.begin(), transitions.end(), instant);
        const auto index = static_cast<std::size_t>(std::distance(transitions.begin(), it) - 1);
        return types[transitionTypes[index]];
    }
};

ZoneTable parseTzif(std::string_view name, const std::string& bytes) {
    ByteReader in(bytes, name);
    TzifHeader v1 = readHeader(in, name);
    if (v1.version < '2') {
        throw TimeZoneError(std::string(name) + ": TZif version 1 has no 64-bit data");
    }
    // Skip the 32-bit (v1) data block; the 64-bit block after the second header is authoritative.
    in.skip(std::size_t{v1.timecnt} * 5 + std::size_t{v1.typecnt} * 6 + v1.charcnt +
            std::size_t{v1.leapcnt} * 8 + v1.isstdcnt + v1.isutcnt);
    TzifHeader h = readHeader(in, name);
    ZoneTable table;
    ZoneTable* data = &table;
    data->name = std::string(name);
    data->transitions.reserve(h.timecnt);
    for (std::uint32_t i = 0; i < h.timecnt; ++i) {
        std::int64_t at = in.i64();
        if (!data->transitions.empty() && at <= data->transitions.back()) {
            throw TimeZoneError(std::string(name) + ": transition times are not ascending");
        }
        data->transitions.push_back(at);
    }
    for (std::uint32_t i = 0; i < h.timecnt; ++i) {
        std::uint8_t type = in.u8();
        if (type >= h.typecnt) {
            throw TimeZoneError(std::string(name) + ": transition names a missing local time type");
        }
        data->transitionTypes.push_back(type);
    }
    std::vector<std::pair<std::int32_t, std::uint8_t>> rawTypes;  // offset, abbreviation index
    for (std::uint32_t i = 0; i < h.typecnt; ++i) {
        auto offset = static_cast<std::int32_t>(in.u32());
        std::uint8_t dst = in.u8();
        std::uint8_t abbreviationIndex = in.u8();
        // RFC 8536: utoff must not be -2^31 and should be within a day either way.
        if (offset <= -89999 || offset >= 93600 || dst > 1 || abbreviationIndex >= h.charcnt) {
            throw TimeZoneError(std::string(name) + ": bad local time type record");
        }
        data->types.push_back({offset, dst == 1, {}});
        rawTypes.emplace_back(offset, abbreviationIndex);
    }
    std::string_view chars = in.view(h.charcnt);
    if (chars.back() != '\0') {
        throw TimeZoneError(std::string(name) + ": abbreviations are not NUL-terminated");
    }
    for (std::size_t i = 0; i < rawTypes.size(); ++i) {
        std::string_view rest = chars.substr(rawTypes[i].second);
        data->types[i].abbreviation = std::string(rest.substr(0, rest.find('\0')));
    }
    // Leap-second records and the indicator arrays do not change civil time here.
    in.skip(std::size_t{h.leapcnt} * 12 + h.isstdcnt + h.isutcnt);
    // Footer: "\n<POSIX TZ>\n"; an empty rule means "no rule" (the table covers all time).
    if (in.remaining() < 2 || in.u8() != '\n') {
        throw TimeZoneError(std::string(name) + ": missing TZif footer");
    }
    std::string_view rest = in.view(in.remaining());
    const std::size_t newline = rest.find('\n');
    if (newline == std::string_view::npos) {
        throw TimeZoneError(std::string(name) + ": unterminated TZif footer");
    }
    std::string_view footer = rest.substr(0, newline);
    if (!footer.empty()) {
        data->footer = PosixParser(footer).parse();
    }
    if (data->transitions.empty() && !data->footer && data->types.size() > 1) {
        throw TimeZoneError(std::string(name) + ": several local time types but no transitions");
    }
    return table;
}

ZoneTable dataFromRule(std::string_view name, std::string_view rule) {
    ZoneTable table;
    ZoneTable* data = &table;
    data->name = std::string(name);
    data->footer = PosixParser(rule).parse();
    data->types.push_back(data->footer->standard);
    return table;
}

void validateName(std::string_view name) {
    auto bad = [&](const std::string& why) {
        throw TimeZoneError("bad time zone name \"" + std::string(name) + "\": " + why);
    };
    if (name.empty() || name.size() > 255) {
        bad("empty or too long");
    }
    if (name.front() == '/' || name.back() == '/') {
        bad("must be relative, like Europe/London");
    }
    if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) {
        bad("must not contain \"..\" or empty parts");
    }
    for (char c : name) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == '_' || c == '-' || c == '+' || c == '.';
        if (!ok) {
            bad("unexpected character");
        }
    }
}

std::string readZoneFile(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
        throw TimeZoneError(path.string() + ": no such zone file");
    }
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error || size > kMaxZoneFileBytes) {
        throw TimeZoneError(path.string() + ": unreadable or implausibly large");
    }
    try {
        return readFile(path);
    } catch (const FileError& failure) {
        throw TimeZoneError(path.string() + ": " + failure.what());
    }
}

}  // namespace

struct TimeZone::Data {
    ZoneTable table;
};

TimeZone TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfoRoot) {
    validateName(name);
    try {
        return TimeZone(std::make_shared<const Data>(
            Data{parseTzif(name, readZoneFile(zoneinfoRoot / std::string(name)))}));
    } catch (const TimeZoneError& error) {
        if (name != kLondon) {
            throw;
        }
        logWarning("timezone", std::string("using the built-in rule for Europe/London (") +
                                   error.what() + ")");
        return fromPosixRule(kLondon, kLondonRule);
    }
}

TimeZone TimeZone::fromPosixRule(std::string_view name, std::string_view rule) {
    return TimeZone(std::make_shared<const Data>(Data{dataFromRule(name, rule)}));
}

LocalTime TimeZone::toLocal(std::chrono::sys_seconds instant) const {
    const std::int64_t utc = instant.time_since_epoch().count();
    const LocalType& type = m_data->table.typeAt(utc);
    const std::int64_t local = utc + type.utcOffset;
    // Floor division so instants before 1970 land on the right day.
    std::int64_t dayNumber = local / 86400;
    std::int64_t secondOfDay = local % 86400;
    if (secondOfDay < 0) {
        secondOfDay += 86400;
        --dayNumber;
    }
    const sys_days day{days{dayNumber}};
    LocalTime result;
    result.date = std::chrono::year_month_day{day};
    result.weekday = std::chrono::weekday{day}.iso_encoding();
    result.minutesOfDay = static_cast<int>(secondOfDay / 60);
    result.secondsOfMinute = static_cast<int>(secondOfDay % 60);
    result.utcOffsetSeconds = type.utcOffset;
    result.abbreviation = type.abbreviation;
    return result;
}

const std::string& TimeZone::name() const noexcept { return m_data->table.name; }

TimeZone::TimeZone(std::shared_ptr<const Data> data) : m_data(std::move(data)) {}
TimeZone::~TimeZone() = default;
TimeZone::TimeZone(const TimeZone&) = default;
TimeZone& TimeZone::operator=(const TimeZone&) = default;
TimeZone::TimeZone(TimeZone&&) noexcept = default;
TimeZone& TimeZone::operator=(TimeZone&&) noexcept = default;

}  // namespace signpost
