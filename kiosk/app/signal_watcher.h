// Signpost — SIGTERM/SIGINT handled without async-signal-unsafe calls.
//
// The frame loop sleeps in glfwWaitEvents(); a stop request must wake it. Calling
// glfwPostEmptyEvent() from a signal handler is not async-signal-safe, so instead the signals are
// blocked in every thread (blockTerminationSignals() runs first thing in main, before GLFW, Mesa
// or anything else starts a thread, so all threads inherit the mask) and read from a signalfd by
// one small thread. That thread records the request and calls the wake callback (the shell sets
// it to glfwPostEmptyEvent, which GLFW documents as callable from any thread).
//
// Thread-safety: stopRequested() and signalNumber() from any thread; setWakeCallback() from the
// owner's thread (it waits for a callback in progress to finish).
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

namespace signpost::app {

class SignalWatcher {
public:
    // Blocks SIGTERM and SIGINT in the calling thread. Call before any other thread exists.
    static void blockTerminationSignals();

    // Opens the signalfd and starts the watching thread. Throws std::system_error.
    SignalWatcher();
    ~SignalWatcher();  // stops and joins the thread
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    bool stopRequested() const noexcept { return m_signal.load() != 0; }
    int signalNumber() const noexcept { return m_signal.load(); }  // 0 = none yet

    // Called on the watcher thread after a stop request is recorded; nullptr = none. Set it to
    // nullptr before the thing it wakes goes away (glfwTerminate).
    void setWakeCallback(std::function<void()> callback);

private:
    void watch();
    int m_signalFd = -1;
    int m_stopFd = -1;  // eventfd: tells the thread to end
    std::atomic<int> m_signal{0};
    std::mutex m_callbackMutex;
    std::function<void()> m_callback;
    std::thread m_thread;
};

}  // namespace signpost::app
