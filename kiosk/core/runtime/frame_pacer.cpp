#include "core/runtime/frame_pacer.h"

#include <algorithm>

namespace signpost {

FramePacer::FramePacer(int extraFramesAfterInput, Clock::duration minFrameInterval)
    : m_extra(std::max(0, extraFramesAfterInput)), m_minInterval(minFrameInterval) {}

void FramePacer::noteInput() {
    m_pending = std::max(m_pending, 1 + m_extra);
}

void FramePacer::requestFrames(int count) {
    m_pending = std::max(m_pending, count);
}

std::optional<FramePacer::Clock::time_point> FramePacer::earliestDeadline(
    const Hints& hints) const {
    std::optional<Clock::time_point> earliest;
    const auto consider = [&](const std::optional<Clock::time_point>& deadline) {
        if (!deadline) {
            return;
        }
        // Served already: the frame that started at or after it has seen it.
        if (m_lastFrame && *deadline <= *m_lastFrame) {
            return;
        }
        if (!earliest || *deadline < *earliest) {
            earliest = deadline;
        }
    };
    consider(hints.appWakeUp);
    consider(hints.watchdogDue);
    return earliest;
}

std::optional<FramePacer::Clock::duration> FramePacer::sleepBudget(Clock::time_point now,
                                                                   const Hints& hints) const {
    if (m_pending > 0) {
        return Clock::duration::zero();
    }
    std::optional<Clock::duration> budget;
    if (hints.animating) {
        budget = m_lastFrame ? std::max(Clock::duration::zero(), *m_lastFrame + m_minInterval - now)
                             : Clock::duration::zero();
    }
    if (auto deadline = earliestDeadline(hints)) {
        const auto untilDeadline = std::max(Clock::duration::zero(), *deadline - now);
        budget = budget ? std::min(*budget, untilDeadline) : untilDeadline;
    }
    return budget;
}

bool FramePacer::frameDue(Clock::time_point now, const Hints& hints) const {
    if (m_pending > 0) {
        return true;
    }
    if (hints.animating && (!m_lastFrame || now - *m_lastFrame >= m_minInterval)) {
        return true;
    }
    const auto deadline = earliestDeadline(hints);
    return deadline && *deadline <= now;
}

void FramePacer::frameDrawn(Clock::time_point frameStart) {
    if (m_pending > 0) {
        --m_pending;
    }
    m_lastFrame = frameStart;
}

}  // namespace signpost
