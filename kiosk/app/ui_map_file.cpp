#include "app/ui_map_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "core/common/atomic_file.h"

namespace signpost::app {
namespace {

bool sameElements(const std::vector<ui::UiElement>& a, const std::vector<ui::UiElement>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& l = a[i];
        const auto& r = b[i];
        if (l.id != r.id || l.x != r.x || l.y != r.y || l.width != r.width ||
            l.height != r.height || l.enabled != r.enabled) {
            return false;
        }
    }
    return true;
}

void writeReplacing(const std::filesystem::path& path, const std::string& text) {
    const std::filesystem::path temporary = path.string() + ".tmp" + std::to_string(::getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw FileError(temporary, "cannot create", errno);
    }
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t wrote = ::write(fd, text.data() + done, text.size() - done);
        if (wrote < 0) {
            if (errno == EINTR) {
                continue;
            }
            const int error = errno;
            ::close(fd);
            ::unlink(temporary.c_str());
            throw FileError(temporary, "cannot write", error);
        }
        done += static_cast<std::size_t>(wrote);
    }
    ::close(fd);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        throw FileError(path, "cannot replace", error);
    }
}

}  // namespace

UiMapFile::UiMapFile(std::filesystem::path path) : m_path(std::move(path)) {}

std::string UiMapFile::render(const ui::UiMap& map, const WindowGeometry& window) {
    std::string json = map.toJson();
    const std::string geometry = "\"window\":{\"x\":" + std::to_string(window.x) +
                                 ",\"y\":" + std::to_string(window.y) +
                                 ",\"width\":" + std::to_string(window.width) +
                                 ",\"height\":" + std::to_string(window.height) + "}";
    const auto open = json.find('{');
    if (open == std::string::npos) {
        return "{" + geometry + "}";
    }
    const auto next = json.find_first_not_of(" \t\r\n", open + 1);
    const bool empty = next == std::string::npos || json[next] == '}';
    json.insert(open + 1, empty ? geometry : geometry + ",");
    return json;
}

bool UiMapFile::update(const ui::UiMap& map, const WindowGeometry& window) {
    if (m_written && map.frameNumber() == m_frame && map.screenId() == m_screen &&
        window == m_window && sameElements(map.elements(), m_elements)) {
        return false;
    }
    writeReplacing(m_path, render(map, window) + "\n");
    m_written = true;
    m_frame = map.frameNumber();
    m_screen = map.screenId();
    m_elements = map.elements();
    m_window = window;
    return true;
}

}  // namespace signpost::app
