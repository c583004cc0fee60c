// Fuzz target: the API v1 wire readers (sync/protocol/wire.h), which the server runs on every
// request body and the kiosk and the coordinator tool on every answer. The first byte picks the
// reader; the rest is the JSON. Only WireFormatError may escape. A value that parses must
// survive writing and reading again.
#include <cstdint>

#include "fuzz_input.h"
#include "sync/protocol/wire.h"

using namespace signpost;
using namespace signpost::protocol;

namespace {

// Parses (a WireFormatError here is the documented refusal), writes, reads again: what we wrote
// must read back, unchanged.
template <class T, class Parse>
void roundTrip(std::string_view json, Parse parse) {
    const T value = parse(json);
    const std::string again = toJson(value);
    try {
        if (toJson(parse(again)) != again) {
            __builtin_trap();  // writing and reading changed the value
        }
    } catch (const WireFormatError&) {
        __builtin_trap();  // we wrote something we refuse to read
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view json = fuzz::text(data + 1, size - 1);
    try {
        switch (data[0] % 11) {
            case 0:
                roundTrip<EnrollRequest>(json, parseEnrollRequest);
                break;
            case 1:
                roundTrip<EnrollResponse>(json, parseEnrollResponse);
                break;
            case 2:
                roundTrip<SubmissionBatch>(json, parseSubmissionBatch);
                break;
            case 3:
                roundTrip<SubmissionResults>(json, parseSubmissionResults);
                break;
            case 4:
                parseDirectoryUpdate(json);
                break;
            case 5:
                roundTrip<Heartbeat>(json, parseHeartbeat);
                break;
            case 6:
                roundTrip<SubmissionPage>(json, parseSubmissionPage);
                break;
            case 7:
                roundTrip<AckRequest>(json, parseAckRequest);
                break;
            case 8:
                parseDeviceList(json);
                break;
            case 9:
                roundTrip<EnrollNonce>(json, parseEnrollNonce);
                break;
            case 10:
                parseApiError(json);  // never throws: nullopt for anything else
                break;
        }
    } catch (const WireFormatError&) {
        // The documented refusal.
    }
    return 0;
}
