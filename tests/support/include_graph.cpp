#include "support/include_graph.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <queue>
#include <regex>
#include <set>
#include <sstream>

namespace signpost::test {

namespace fs = std::filesystem;

namespace {

bool isSourceFile(const fs::path& path) {
    const auto extension = path.extension().string();
    return extension == ".h" || extension == ".hpp" || extension == ".cpp";
}

std::string folderOf(const std::string& relativeFile) {
    return fs::path(relativeFile).parent_path().generic_string();
}

// The file an `#include "name"` in `includer` reaches, relative to `root` (canonical); empty if
// none or outside the root.
std::string resolveInclude(const fs::path& root, const fs::path& includer, const std::string& name,
                           const std::vector<std::string>& includeRoots) {
    std::vector<fs::path> candidates{includer.parent_path() / name};
    for (const auto& includeRoot : includeRoots) {
        candidates.push_back(root / includeRoot / name);
    }
    std::error_code error;
    for (const auto& candidate : candidates) {
        if (fs::is_regular_file(candidate, error)) {
            const auto canonical = fs::weakly_canonical(candidate, error);
            const auto relative = canonical.lexically_relative(root);
            if (relative.empty() || *relative.begin() == "..") {
                return {};
            }
            return relative.generic_string();
        }
    }
    return {};
}

}  // namespace

FolderGraph buildFolderGraph(const fs::path& givenRoot, const std::vector<std::string>& scanned,
                             const std::vector<std::string>& includeRoots) {
    // Canonical once, so every resolved include can be made relative to it without asking again.
    const fs::path root = fs::weakly_canonical(givenRoot);
    // Path order, so the include line each edge reports is the same on every run.
    std::vector<fs::path> files;
    for (const auto& top : scanned) {
        std::error_code error;
        for (fs::recursive_directory_iterator it(root / top, error), end; !error && it != end;
             it.increment(error)) {
            if (it->is_regular_file(error) && isSourceFile(it->path())) {
                files.push_back(it->path());
            }
        }
    }
    std::sort(files.begin(), files.end());

    static const std::regex kQuotedInclude(R"re(^\s*#\s*include\s*"([^"]+)")re");
    FolderGraph graph;
    for (const auto& file : files) {
        std::ifstream in(file);
        const auto fromFile = file.lexically_relative(root).generic_string();
        const auto fromFolder = folderOf(fromFile);
        std::string text;
        int lineNumber = 0;
        while (std::getline(in, text)) {
            ++lineNumber;
            std::smatch match;
            if (!std::regex_search(text, match, kQuotedInclude)) {
                continue;
            }
            const auto toFile = resolveInclude(root, file, match[1].str(), includeRoots);
            if (toFile.empty() || folderOf(toFile) == fromFolder) {
                continue;
            }
            graph[fromFolder].try_emplace(folderOf(toFile),
                                          IncludeSite{fromFile, lineNumber, toFile});
        }
    }
    return graph;
}

std::vector<std::vector<std::string>> folderCycles(const FolderGraph& graph) {
    // Tarjan's strongly connected components over the folders.
    std::set<std::string> nodes;
    for (const auto& [from, targets] : graph) {
        nodes.insert(from);
        for (const auto& [to, site] : targets) {
            nodes.insert(to);
        }
    }
    std::map<std::string, int> index;
    std::map<std::string, int> lowLink;
    std::set<std::string> onStack;
    std::vector<std::string> stack;
    std::vector<std::vector<std::string>> components;
    int nextIndex = 0;
    const auto successors = [&](const std::string& node) {
        std::vector<std::string> result;
        if (const auto it = graph.find(node); it != graph.end()) {
            for (const auto& [to, site] : it->second) {
                result.push_back(to);
            }
        }
        return result;
    };
    std::function<void(const std::string&)> visit = [&](const std::string& node) {
        index[node] = lowLink[node] = nextIndex++;
        stack.push_back(node);
        onStack.insert(node);
        for (const auto& next : successors(node)) {
            if (!index.count(next)) {
                visit(next);
                lowLink[node] = std::min(lowLink[node], lowLink[next]);
            } else if (onStack.count(next)) {
                lowLink[node] = std::min(lowLink[node], index[next]);
            }
        }
        if (lowLink[node] == index[node]) {
            std::vector<std::string> component;
            std::string member;
            do {
                member = stack.back();
                stack.pop_back();
                onStack.erase(member);
                component.push_back(member);
            } while (member != node);
            if (component.size() > 1) {
                components.push_back(std::move(component));
            }
        }
    };
    for (const auto& node : nodes) {
        if (!index.count(node)) {
            visit(node);
        }
    }

    // One concrete loop per component: the shortest way from its first folder back to itself.
    std::vector<std::vector<std::string>> cycles;
    for (auto& component : components) {
        std::sort(component.begin(), component.end());
        const std::set<std::string> inComponent(component.begin(), component.end());
        const auto& start = component.front();
        std::map<std::string, std::string> cameFrom;
        std::queue<std::string> queue;
        queue.push(start);
        bool closed = false;
        std::string last;
        while (!queue.empty() && !closed) {
            const auto node = queue.front();
            queue.pop();
            for (const auto& next : successors(node)) {
                if (!inComponent.count(next)) {
                    continue;
                }
                if (next == start) {
                    closed = true;
                    last = node;
                    break;
                }
                if (!cameFrom.count(next)) {
                    cameFrom[next] = node;
                    queue.push(next);
                }
            }
        }
        std::vector<std::string> cycle{start};
        for (auto node = last; node != start; node = cameFrom.at(node)) {
            cycle.insert(cycle.begin() + 1, node);
        }
        cycle.push_back(start);
        cycles.push_back(std::move(cycle));
    }
    return cycles;
}

std::string describeCycle(const FolderGraph& graph, const std::vector<std::string>& cycle) {
    std::ostringstream out;
    for (std::size_t i = 0; i + 1 < cycle.size(); ++i) {
        const auto& site = graph.at(cycle[i]).at(cycle[i + 1]);
        out << cycle[i] << " -> " << cycle[i + 1] << "   (" << site.fromFile << ":" << site.line
            << " includes " << site.toFile << ")\n";
    }
    return out.str();
}

}  // namespace signpost::test
