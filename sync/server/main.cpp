// signpost-server: the central server's executable. All logic lives in signpost_server
// (server_cli.h documents the commands and exit codes).
#include <iostream>
#include <string>
#include <vector>

#include "sync/server/server_cli.h"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return signpost::server::runServerCli(args, std::cout, std::cerr);
}
