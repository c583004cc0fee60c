#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/common/log.h"
#include "core/referral/referral_codec.h"
#include "core/referral/submit.h"
#include "support/fault_vfs.h"
#include "support/test_support.h"

using namespace signpost;

namespace {

// Distinctive resident data: any of these fragments in a log line is a leak.
const std::vector<std::string> kNeedles = {
    "Quillon",      "Zebedee",           "Marchbanks",  // name
    "900417",       "7700 900",          "7700900",     // phone, typed and normalised
    "quillon.zm",   "zm@example",                       // email
    "Fennimore",    "changed the locks",                // free text
    "Biscuitwafer",                                     // access needs
};

ReferralForm distinctiveForm() {
    ReferralForm form;
    form.kind = ReferralKind::Service;
    form.serviceId = "svc-0042";
    form.serviceName = "Housing advice drop-in";
    form.needCodes = {"housing"};
    form.needsText = "My landlord Fennimore changed the locks";
    form.name = "Quillon Zebedee-Marchbanks";
    form.phone = "+44 (0) 7700 900417";
    form.email = "quillon.zm@example.org";
    form.safeToLeaveMessage = Answer::No;
    form.accessNeeds = "I have a guide dog called Biscuitwafer";
    form.consentGiven = true;
    return form;
}

// Fails the test if `text` holds any needle.
void requireNoResidentData(const std::string& where, const std::string& text) {
    for (const std::string& needle : kNeedles) {
        INFO(where << ": " << text);
        CHECK(text.find(needle) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("no resident data reaches the log, on the happy path or any failure", "[log_privacy]") {
    setLogToStderr(false);
    setMinimumLogLevel(LogLevel::Debug);  // scan everything, debug lines included
    test::TempDir dir("privacy");
    const std::filesystem::path path = dir / "outbox.db";
    const CoordinatorKeyPair coordinators = CoordinatorKeyPair::generate();
    SubmitContext context;
    context.venue = "Chorlton Library";
    context.neighbourhood = "Chorlton";
    context.formVersion = "2026.11";
    context.consentVersion = "consent-2026-11-v1";
    context.deviceId = "9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a";
    context.coordinatorKey = coordinators.publicKey();
    const ReferralForm form = distinctiveForm();
    std::vector<std::string> errorMessages;  // what a shell might log or show staff

    test::FaultVfs::Scope faults;
    {
        OutboxOpenReport report;
        Outbox outbox = Outbox::openOrRecover(path, report, {.vfs = test::FaultVfs::kName});

        // Validation refuses an incomplete form.
        ReferralForm incomplete = form;
        incomplete.consentGiven = false;
        incomplete.phone = "+44 (0) 7700 9004171";
        try {
            submitReferral(incomplete, context, outbox);
        } catch (const ReferralInvalid& error) {
            errorMessages.emplace_back(error.what());
        }
        // A successful submit.
        const SubmitReceipt receipt = submitReferral(form, context, outbox);
        CHECK(receipt.seq == 1);
        // A full disk, and an I/O error.
        for (int code : {SQLITE_FULL, SQLITE_IOERR_WRITE}) {
            test::FaultVfs::instance().failWrites(code);
            try {
                submitReferral(form, context, outbox);
            } catch (const StorageError& error) {
                errorMessages.emplace_back(error.what());
            }
            test::FaultVfs::instance().clear();
        }
        // The coordinator's side: a payload that does not parse.
        const OutboxItem item = outbox.allItems().at(0);
        SecureBytes plaintext = coordinators.open(item.sealed);
        const std::size_t name = std::string(view(plaintext)).find("Quillon");
        REQUIRE(name != std::string::npos);
        // Break the JSON in the middle of the name: the parser must not quote it back.
        plaintext.insert(plaintext.begin() + static_cast<std::ptrdiff_t>(name) + 3, '"');
        try {
            parseReferral(view(plaintext));
        } catch (const ReferralFormatError& error) {
            errorMessages.emplace_back(error.what());
        }
    }
    // A damaged outbox moved aside at start-up.
    test::writeText(path, std::string(8192, 'x'));
    OutboxOpenReport report;
    Outbox::openOrRecover(path, report);
    CHECK(report.outcome == OutboxOpenReport::Outcome::RecoveredFromDamage);
    errorMessages.push_back(report.problem);

    const std::vector<LogLine> lines = recentLogLines(500);
    // The scan is only meaningful if the walk above really logged.
    bool sawQueued = false;
    bool sawFailure = false;
    bool sawRecovery = false;
    for (const LogLine& line : lines) {
        requireNoResidentData("log line", formatLogLine(line));
        sawQueued = sawQueued || line.message.find("queued referral") != std::string::npos;
        sawFailure = sawFailure || line.message.find("could not store") != std::string::npos;
        sawRecovery = sawRecovery || line.message.find("moved aside") != std::string::npos;
    }
    CHECK(sawQueued);
    CHECK(sawFailure);
    CHECK(sawRecovery);
    REQUIRE(errorMessages.size() == 5);
    for (const std::string& message : errorMessages) {
        requireNoResidentData("error message", message);
    }
    setMinimumLogLevel(LogLevel::Info);
}
