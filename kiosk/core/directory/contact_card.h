// Signpost — a service's details as a vCard 3.0 (RFC 2426), the text of the QR code on its page:
// a stock phone camera offers to save it as a contact, with no network needed. Name, organisation,
// phone numbers, e-mail, the first location's address and the web address.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "core/directory/directory_store.h"

namespace signpost {

std::string serviceVCard(const ServiceDetail& detail);
// A vCard text value with `\`, `,`, `;` and new lines escaped (RFC 2426 §4).
std::string vCardEscape(const std::string& value);

}  // namespace signpost
