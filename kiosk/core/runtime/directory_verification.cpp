#include "core/runtime/directory_verification.h"

#include <chrono>

#include "core/directory/directory_store.h"

namespace signpost {

DirectoryVerification::DirectoryVerification(std::filesystem::path path,
                                             std::function<void()> onDone)
    : m_result(std::async(std::launch::async, [path = std::move(path), onDone = std::move(onDone)] {
          std::string problem = DirectoryStore::verify(path);  // never throws
          if (onDone) {
              onDone();
          }
          return problem;
      })) {}

DirectoryVerification::~DirectoryVerification() {
    if (m_result.valid()) {
        m_result.wait();
    }
}

std::optional<std::string> DirectoryVerification::takeResult() {
    if (!m_result.valid() ||
        m_result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        return std::nullopt;
    }
    return m_result.get();
}

std::string DirectoryVerification::wait() {
    return m_result.valid() ? m_result.get() : std::string();
}

}  // namespace signpost
