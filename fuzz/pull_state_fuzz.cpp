// Fuzz target: the state file of `signpost pull` (.signpost-pull.json, sync/tool/
// pull_directory.h), read through PullDirectory::loadState as the tool reads it. The file lives
// on a coordinator's disk, where anything may have damaged it. Only ToolError may escape.
#include <cstdint>
#include <fstream>

#include "fuzz_input.h"
#include "sync/tool/pull_directory.h"
#include "sync/tool/tool.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path dir = signpost::fuzz::scratchDirectory("pull-state");
    static signpost::tool::PullDirectory pull(dir);  // locked once, for the whole run
    {
        std::ofstream file(dir / signpost::tool::kPullStateFileName,
                           std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        pull.loadState();
    } catch (const signpost::tool::ToolError&) {
        // The documented refusal: "the pull state ... is damaged".
    }
    return 0;
}
