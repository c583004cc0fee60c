#include "core/directory/contact_card.h"

namespace signpost {

std::string vCardEscape(const std::string& value) {
    std::string out;
    for (char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ',':
                out += "\\,";
                break;
            case ';':
                out += "\\;";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string serviceVCard(const ServiceDetail& detail) {
    const Service& s = detail.service;
    // CRLF line ends, as the standard says and every camera app accepts.
    std::string card = "BEGIN:VCARD\r\nVERSION:3.0\r\n";
    card += "N:" + vCardEscape(s.name) + ";;;;\r\n";
    card += "FN:" + vCardEscape(s.name) + "\r\n";
    if (!detail.organisation.name.empty() && detail.organisation.name != s.name) {
        card += "ORG:" + vCardEscape(detail.organisation.name) + "\r\n";
    }
    for (const Phone& phone : s.phones) {
        if (!phone.number.empty()) {
            card += "TEL;TYPE=VOICE:" + vCardEscape(phone.number) + "\r\n";
        }
    }
    if (!s.email.empty()) {
        card += "EMAIL;TYPE=INTERNET:" + vCardEscape(s.email) + "\r\n";
    }
    for (const Location& location : detail.locations) {
        const Address& a = location.address;
        if (a.line1.empty() && a.postcode.empty()) {
            continue;
        }
        std::string street = a.line1;
        if (!a.line2.empty()) {
            street += ", " + a.line2;
        }
        // ADR: post office box; extended; street; locality; region; postcode; country.
        card += "ADR;TYPE=WORK:;;" + vCardEscape(street) + ";" + vCardEscape(a.city) + ";;" +
                vCardEscape(a.postcode) + ";United Kingdom\r\n";
        break;
    }
    if (!s.url.empty()) {
        card += "URL:" + vCardEscape(s.url) + "\r\n";
    }
    card += "END:VCARD\r\n";
    return card;
}

}  // namespace signpost
