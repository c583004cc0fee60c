#include "core/directory/directory_types.h"

#include <array>
#include <cstdio>

namespace signpost {

namespace {

// Lower-cases ASCII and reads ' ' and '_' as '-', so "Drop in", "drop_in" and "drop-in" agree.
std::string normalised(std::string_view text, char space) {
    std::string result;
    result.reserve(text.size());
    for (char c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
        if (c == ' ' || c == '_' || c == '-') {
            c = space;
        }
        result += c;
    }
    return result;
}

}  // namespace

std::string_view toHsds(ServiceStatus status) {
    switch (status) {
        case ServiceStatus::Active:
            return "active";
        case ServiceStatus::Inactive:
            return "inactive";
        case ServiceStatus::Defunct:
            return "defunct";
        case ServiceStatus::TemporarilyClosed:
            return "temporarily closed";
    }
    return "inactive";
}

std::optional<ServiceStatus> parseServiceStatus(std::string_view text) {
    const std::string key = normalised(text, ' ');
    for (ServiceStatus status : {ServiceStatus::Active, ServiceStatus::Inactive,
                                 ServiceStatus::Defunct, ServiceStatus::TemporarilyClosed}) {
        if (key == toHsds(status)) {
            return status;
        }
    }
    return std::nullopt;
}

std::string_view toHsds(AttendingAccess access) {
    switch (access) {
        case AttendingAccess::DropIn:
            return "drop-in";
        case AttendingAccess::Appointment:
            return "appointment";
        case AttendingAccess::Referral:
            return "referral";
        case AttendingAccess::Membership:
            return "membership";
        case AttendingAccess::Unknown:
            return "";
    }
    return "";
}

std::optional<AttendingAccess> parseAttendingAccess(std::string_view text) {
    const std::string key = normalised(text, '-');
    for (AttendingAccess access : {AttendingAccess::DropIn, AttendingAccess::Appointment,
                                   AttendingAccess::Referral, AttendingAccess::Membership}) {
        if (key == toHsds(access)) {
            return access;
        }
    }
    return std::nullopt;
}

std::string_view attendingTypeName(unsigned flag) {
    switch (flag) {
        case kAttendVenue:
            return "venue";
        case kAttendPhone:
            return "phone";
        case kAttendOnline:
            return "online";
        case kAttendHomeVisit:
            return "home visit";
        default:
            return "";
    }
}

unsigned parseAttendingType(std::string_view text) {
    const std::string key = normalised(text, ' ');
    if (key == "in person") {
        return kAttendVenue;
    }
    for (unsigned flag : {kAttendVenue, kAttendPhone, kAttendOnline, kAttendHomeVisit}) {
        if (key == attendingTypeName(flag)) {
            return flag;
        }
    }
    return 0;
}

std::string formatCivilDate(const CivilDate& date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

std::optional<CivilDate> parseCivilDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto digits = [&](std::size_t from, std::size_t count) -> int {
        int value = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return -1;
            }
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const int y = digits(0, 4);
    const int m = digits(5, 2);
    const int d = digits(8, 2);
    if (y < 0 || m < 0 || d < 0) {
        return std::nullopt;
    }
    const CivilDate date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                         std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return date;
}

}  // namespace signpost
