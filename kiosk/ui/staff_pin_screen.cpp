// Staff PIN: a big digit pad. With no PIN configured there is no pad at all: staff mode is not set
// up, and the screen says where to read how (issue 9: the first person to touch a fresh kiosk
// must not become its staff). "Change PIN" from the staff panel (after the current PIN) asks for
// a new one twice and saves it as an Argon2id hash in the config. Five wrong PINs lock staff mode
// for five minutes, each further lock twice as long up to a day (StaffAuth keeps the count on
// disk, so a restart does not clear it); the time left is shown and counts down.
#include <algorithm>
#include <cstdio>

#include "core/common/atomic_file.h"
#include "core/common/log.h"
#include "core/config/toml.h"
#include "ui/views.h"

namespace signpost::ui {

namespace {
// Set by the staff panel's "Change PIN" (UI thread only), taken by the PIN screen's next frame.
bool g_pinChangeRequested = false;
bool takePinChangeRequest() {
    return std::exchange(g_pinChangeRequested, false);
}
}  // namespace

void requestStaffPinChange() {
    g_pinChangeRequested = true;
}

namespace {

constexpr std::size_t kMaxPinDigits = 8;

class StaffPinView final : public View {
public:
    void resetVisit() override {
        wipe(m_digits);
        wipe(m_firstPin);
        m_started = false;
        m_messageKey.clear();
        m_message.clear();
        m_locked = false;
    }

    std::optional<SteadyClock::time_point> nextWakeUp(SteadyClock::time_point now) const override {
        if (m_locked) {
            return now + std::chrono::seconds(1);  // the lock countdown
        }
        return std::nullopt;
    }

    void draw(ScreenContext& c, const Rect& area) override {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const Palette& p = ui.palette();
        StaffAuth* staff = c.runtime.staff.get();
        if (takePinChangeRequest()) {
            resetVisit();
            m_started = true;
            m_mode = Mode::SetNew;
        }
        if (!m_started) {
            m_started = true;
            m_mode = Mode::Enter;
        }
        if (m_mode != Mode::SetNew && m_mode != Mode::ConfirmNew &&
            (staff == nullptr || !staff->hasPin())) {
            drawNotSetUp(c, area);
            return;
        }
        PinCheck status;
        if (staff != nullptr) {
            status = staff->status(c.wallNow);
        }
        m_locked = status.outcome == PinCheck::Outcome::LockedOut;

        TouchScroll& scroll = c.scrolls["staff.pin.scroll"];
        ScrollArea scrollArea(ui, scroll, "staff.pin.scroll", area);
        const float width = std::min(area.width() - l.margin * 2,
                                     std::max(l.target * 3 * 2.2f, 640.0f * l.scale * l.textScale));
        Flow flow(area.centreX() - width * 0.5f, width);
        flow.gap(l.margin);

        const char* titleKey = m_mode == Mode::Enter    ? textKey("staff.pin.title")
                               : m_mode == Mode::SetNew ? textKey("staff.pin.set_title")
                                                        : textKey("staff.pin.confirm_title");
        flowText(ui, flow, TextStyle::Heading, p.text, ui.tr(titleKey));
        flow.gap(l.smallGap);
        if (m_mode != Mode::Enter) {
            flowText(ui, flow, TextStyle::Body, p.textMuted, ui.tr("staff.pin.set_hint"));
            flow.gap(l.smallGap);
        }
        flow.gap(l.gap);

        // The digits so far, as dots.
        const float dot = l.bodySize * 0.7f;
        const Rect dots = flow.take(std::max(dot * 2, l.target * 0.75f));
        ImDrawList* dl = ui.drawList();
        const float pitch = dot * 1.8f;
        const float start = dots.centreX() - pitch * (static_cast<float>(kMaxPinDigits) - 1) * 0.5f;
        for (std::size_t i = 0; i < kMaxPinDigits; ++i) {
            const ImVec2 centre(start + pitch * static_cast<float>(i), dots.centreY());
            if (i < m_digits.size()) {
                dl->AddCircleFilled(centre, dot * 0.5f, p.text, 24);
            } else {
                dl->AddCircle(centre, dot * 0.5f, p.border, 24, l.border);
            }
        }
        ui.registerElement("staff.pin.display", dots);
        flow.gap(l.gap);

        if (m_locked) {
            const long long left = status.lockRemaining.count();
            char clock[48];
            std::snprintf(clock, sizeof clock, "%lld:%02lld", left / 60, left % 60);
            flowError(ui, flow, textKey("staff.pin.locked"));
            flow.gap(l.smallGap);
            flowText(ui, flow, TextStyle::Heading, p.error,
                     ui.format("staff.pin.locked_time", {{"time", clock}}));
            ui.registerElement("staff.pin.locked", Rect{flow.left(), flow.y() - l.target,
                                                        flow.left() + width, flow.y()});
        } else if (!m_message.empty()) {
            flowText(ui, flow, TextStyle::Bold, p.error, m_message);
        } else if (!m_messageKey.empty()) {
            flowText(ui, flow, TextStyle::Bold, p.error, ui.tr(m_messageKey));
        }
        flow.gap(l.gap);

        // The pad: 1–9, then backspace, 0, OK.
        const float keyHeight = std::max(l.target * 1.25f, l.headingSize * 1.6f);
        const float keyWidth = (width - l.gap * 2) / 3;
        const char* labels[4][3] = {
            {"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {nullptr, "0", nullptr}};
        for (int row = 0; row < 4; ++row) {
            const Rect line = flow.take(keyHeight);
            for (int column = 0; column < 3; ++column) {
                const float x = line.x0 + static_cast<float>(column) * (keyWidth + l.gap);
                const Rect key{x, line.y0, x + keyWidth, line.y1};
                const char* digit = labels[row][column];
                if (digit != nullptr) {
                    const ButtonStyle style{ButtonKind::Secondary, Icon::None, false, !m_locked,
                                            TextStyle::Heading};
                    if (button(ui, std::string("staff.pin.key.") + digit, key, digit, style)) {
                        ui.defer([this, d = *digit] {
                            if (m_digits.size() < kMaxPinDigits) {
                                m_digits.push_back(d);
                            }
                            m_messageKey.clear();
                            m_message.clear();
                        });
                    }
                } else if (column == 0) {
                    const ButtonStyle style{ButtonKind::Secondary, Icon::Backspace, false,
                                            !m_locked};
                    if (button(ui, "staff.pin.backspace", key, ui.tr("staff.pin.backspace"),
                               style)) {
                        ui.defer([this] {
                            if (!m_digits.empty()) {
                                m_digits.back() = '\0';
                                m_digits.pop_back();
                            }
                        });
                    }
                } else {
                    const ButtonStyle style{ButtonKind::Primary, Icon::None, false,
                                            !m_locked && !m_digits.empty(), TextStyle::Heading};
                    if (button(ui, "staff.pin.ok", key, ui.tr("staff.pin.ok"), style)) {
                        KioskRuntime& runtime = c.runtime;
                        KioskSession& session = c.session;
                        const auto wallNow = c.wallNow;
                        ui.defer([this, &runtime, &session, wallNow] {
                            submit(runtime, session, wallNow);
                        });
                    }
                }
            }
            flow.gap(l.gap);
        }
        flow.gap(l.gap);
        const char* cancel = ui.tr("staff.pin.cancel");
        if (button(ui, "staff.pin.cancel", flow.take(l.target), cancel,
                   ButtonStyle{ButtonKind::Secondary, Icon::Cross})) {
            KioskSession& session = c.session;
            ui.defer([this, &session] {
                resetVisit();
                session.back();
            });
        }
        flow.gap(l.margin);
    }

private:
    enum class Mode { Enter, SetNew, ConfirmNew };

    // No PIN on this kiosk: a message and a way back, nothing to type into.
    void drawNotSetUp(ScreenContext& c, const Rect& area) {
        Ui& ui = c.ui;
        const Layout& l = ui.layout();
        const float width = std::min(area.width() - l.margin * 2, 900.0f * l.scale * l.textScale);
        Flow flow(area.centreX() - width * 0.5f, width);
        flow.gap(l.margin * 2);
        const float top = flow.y();
        flowText(ui, flow, TextStyle::Heading, ui.palette().text, ui.tr("staff.pin.not_set_up"));
        flow.gap(l.smallGap);
        flowText(ui, flow, TextStyle::Body, ui.palette().textMuted,
                 ui.tr("staff.pin.not_set_up_hint"));
        ui.registerElement("staff.pin.not_set_up",
                           Rect{flow.left(), top, flow.left() + width, flow.y()});
        flow.gap(l.gap * 2);
        const char* back = ui.tr("staff.pin.cancel");
        if (button(ui, "staff.pin.cancel", flow.take(l.target), back,
                   ButtonStyle{ButtonKind::Primary, Icon::Cross})) {
            KioskSession& session = c.session;
            ui.defer([this, &session] {
                resetVisit();
                session.back();
            });
        }
    }

    void submit(KioskRuntime& runtime, KioskSession& session,
                std::chrono::system_clock::time_point now) {
        StaffAuth* staff = runtime.staff.get();
        m_messageKey.clear();
        m_message.clear();
        if (staff == nullptr) {
            m_messageKey = textKey("staff.pin.error");
            return;
        }
        const std::string_view typed = view(m_digits);
        switch (m_mode) {
            case Mode::Enter: {
                PinCheck result;
                try {
                    result = staff->check(typed, now);
                } catch (const std::exception& error) {
                    logError("staff", std::string("PIN state could not be saved: ") + error.what());
                    m_messageKey = textKey("staff.pin.error");
                    wipe(m_digits);
                    return;
                }
                wipe(m_digits);
                switch (result.outcome) {
                    case PinCheck::Outcome::Accepted:
                        logInfo("staff", "staff mode opened");
                        resetVisit();
                        session.navigate(Screen::StaffPanel);
                        return;
                    case PinCheck::Outcome::Wrong:
                        m_message = runtime.i18n.format(
                            "staff.pin.wrong", {{"left", std::to_string(result.attemptsLeft)}});
                        return;
                    case PinCheck::Outcome::LockedOut:
                        return;  // the lock is shown from status()
                    case PinCheck::Outcome::NoPinSet:
                        return;  // shown as "not set up"
                    case PinCheck::Outcome::Ready:
                        return;  // status() only; never from check()
                }
                return;
            }
            case Mode::SetNew:
                if (!StaffAuth::isAcceptableNewPin(typed)) {
                    m_messageKey = textKey("staff.pin.too_easy");
                    wipe(m_digits);
                    return;
                }
                wipe(m_firstPin);
                m_firstPin.assign(typed.data(), typed.size());
                wipe(m_digits);
                m_mode = Mode::ConfirmNew;
                return;
            case Mode::ConfirmNew: {
                if (view(m_firstPin) != typed) {
                    m_messageKey = textKey("staff.pin.mismatch");
                    wipe(m_digits);
                    wipe(m_firstPin);
                    m_mode = Mode::SetNew;
                    return;
                }
                try {
                    const std::string hash = StaffAuth::hashPin(typed);
                    savePinHash(runtime.configFile, hash);
                    staff->adoptNewPin(hash);
                    runtime.config.pinHash = hash;
                } catch (const std::exception& error) {
                    logError("staff", std::string("new PIN not saved: ") + error.what());
                    m_messageKey = textKey("staff.pin.save_failed");
                    wipe(m_digits);
                    wipe(m_firstPin);
                    m_mode = Mode::SetNew;
                    return;
                }
                logInfo("staff", "staff PIN set");
                resetVisit();
                session.navigate(Screen::StaffPanel);
                return;
            }
        }
    }

    Mode m_mode = Mode::Enter;
    bool m_started = false;
    bool m_locked = false;
    SecureString m_digits;
    SecureString m_firstPin;
    std::string m_messageKey;
    std::string m_message;
};

}  // namespace

std::unique_ptr<View> makeStaffPinView() {
    return std::make_unique<StaffPinView>();
}

}  // namespace signpost::ui
