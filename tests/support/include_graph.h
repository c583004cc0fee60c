// Signpost test helpers — the include graph between the repository's folders
// (tests/include_layers_test.cpp).
//
// A folder is a node; folder A depends on folder B when a file in A includes a file in B with
// `#include "…"`. The graph must have no cycles: a newcomer should be able to read the tree
// bottom-up (kiosk/core/common first, the UI and the server last), and a loop between two folders
// means neither can be understood, tested or moved without the other. The build refuses most
// upward includes by itself (each library's include path is its own folder); this graph also
// catches loops between folders of one library, which include paths cannot see.
//
// Thread-safety: pure functions over the file system; no shared state.
// Errors: unreadable files are skipped; includes that resolve to no file under `root` (system
// headers, generated files) are not edges.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace signpost::test {

// One include line that makes an edge: the including file (relative to the root), its line
// number and the file it reaches.
struct IncludeSite {
    std::string fromFile;
    int line = 0;
    std::string toFile;
};

// folder -> folder it depends on -> the first include line (in path order) that makes the edge.
// Folders are relative to the root with '/' separators ("kiosk/core/config").
using FolderGraph = std::map<std::string, std::map<std::string, IncludeSite>>;

// Reads every .h/.hpp/.cpp file under root/<each of `scanned`> and resolves its quoted includes
// the way the compiler does: first next to the including file, then under each of
// root/<includeRoots> in order. Includes within one folder are not edges.
FolderGraph buildFolderGraph(const std::filesystem::path& root,
                             const std::vector<std::string>& scanned,
                             const std::vector<std::string>& includeRoots);

// Every cycle of the graph, one per strongly connected component of two or more folders: the
// folders in order, the first repeated at the end ("a -> b -> a"). Empty when the graph is a DAG.
std::vector<std::vector<std::string>> folderCycles(const FolderGraph& graph);

// A cycle as text, one edge per line with the include line that makes it, for a failure message.
std::string describeCycle(const FolderGraph& graph, const std::vector<std::string>& cycle);

}  // namespace signpost::test
