#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/common/atomic_file.h"
#include "core/referral/sealing.h"
#include "sync/tool/tool.h"

namespace signpost::tool {

namespace {

// The terminal state to put back if a signal arrives while echo is off; a person pressing
// Ctrl-C at the prompt must not be left with a terminal that shows nothing they type.
int g_ttyFd = -1;
struct termios g_savedTty {};

void restoreTtyAndReraise(int signal) {
    if (g_ttyFd >= 0) {
        ::tcsetattr(g_ttyFd, TCSAFLUSH, &g_savedTty);  // async-signal-safe
    }
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

class Terminal {
public:
    Terminal() : m_fd(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
    ~Terminal() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    bool available() const { return m_fd >= 0; }

    SecureString ask(const std::string& prompt) {
        struct termios saved {};
        if (::tcgetattr(m_fd, &saved) != 0) {
            throw ToolError(std::string("cannot use the terminal: ") + std::strerror(errno));
        }
        struct termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= static_cast<tcflag_t>(ECHONL);  // still show the newline after Enter

        g_ttyFd = m_fd;
        g_savedTty = saved;
        struct sigaction action {};
        action.sa_handler = restoreTtyAndReraise;
        sigemptyset(&action.sa_mask);
        struct sigaction previous[3]{};
        const int signals[3] = {SIGINT, SIGTERM, SIGHUP};
        for (int i = 0; i < 3; ++i) {
            ::sigaction(signals[i], &action, &previous[i]);
        }
        if (::tcsetattr(m_fd, TCSAFLUSH, &quiet) != 0) {
            throw ToolError(std::string("cannot turn off echo: ") + std::strerror(errno));
        }

        SecureString line;
        line.reserve(1024);
        bool ended = false;
        writeAll(prompt);
        while (!ended) {
            char c = 0;
            const ssize_t n = ::read(m_fd, &c, 1);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0 || c == '\n' || c == '\r') {
                ended = true;
            } else if (line.size() < 1024) {
                line.push_back(c);
            }
        }
        ::tcsetattr(m_fd, TCSAFLUSH, &saved);
        for (int i = 0; i < 3; ++i) {
            ::sigaction(signals[i], &previous[i], nullptr);
        }
        g_ttyFd = -1;
        return line;
    }

private:
    void writeAll(std::string_view text) {
        while (!text.empty()) {
            const ssize_t n = ::write(m_fd, text.data(), text.size());
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return;
            }
            text.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    int m_fd;
};

}  // namespace

SecureString readPassphrase(const std::optional<std::filesystem::path>& passphraseFile,
                            const std::string& prompt, const char* confirmPrompt) {
    SecureString passphrase;
    if (passphraseFile) {
        std::string text;
        try {
            text = readFile(*passphraseFile);
        } catch (const FileError& error) {
            throw ToolError(std::string("cannot read the passphrase file: ") + error.what());
        }
        const std::size_t end = text.find_first_of("\r\n");
        passphrase.assign(text, 0, end);
        secureWipe(text.data(), text.size());
        if (passphrase.empty()) {
            throw ToolError("the passphrase file " + passphraseFile->string() +
                            " is empty (its first line is the passphrase)");
        }
        return passphrase;
    }
    if (const char* fromEnvironment = std::getenv(kPassphraseEnv);
        fromEnvironment != nullptr && fromEnvironment[0] != '\0') {
        passphrase.assign(fromEnvironment);
        return passphrase;
    }
    Terminal terminal;
    if (!terminal.available()) {
        throw ToolError(std::string("no passphrase: run this in a terminal, or give "
                                    "--passphrase-file FILE or set ") +
                        kPassphraseEnv);
    }
    passphrase = terminal.ask(prompt);
    if (passphrase.empty()) {
        throw ToolError("no passphrase was entered");
    }
    if (confirmPrompt != nullptr) {
        SecureString again = terminal.ask(confirmPrompt);
        const bool same = again == passphrase;
        wipe(again);
        if (!same) {
            wipe(passphrase);
            throw ToolError("the two passphrases do not match; nothing was written");
        }
    }
    return passphrase;
}

CoordinatorKeyPair loadCoordinatorKey(const std::filesystem::path& keyFile,
                                      const std::optional<std::filesystem::path>& passphraseFile,
                                      std::string_view wrongNote) {
    SecureString passphrase =
        readPassphrase(passphraseFile, "Passphrase for " + keyFile.string() + ": ");
    const WipeOnExit guard([&] { wipe(passphrase); });
    try {
        return CoordinatorKeyPair::loadEncrypted(keyFile, view(passphrase));
    } catch (const KeyFileError& failure) {
        if (failure.reason() == KeyFileError::Reason::WrongPassphrase) {
            throw ToolError("wrong passphrase for " + keyFile.string() + std::string(wrongNote));
        }
        throw ToolError(failure.what());
    }
}

}  // namespace signpost::tool
