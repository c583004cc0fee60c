# Each library's public include path holds its own folder and nothing else, so an upward include
# (kiosk/core including "sync/…" or "ui/…", the server including the kiosk's sync engine) does
# not compile, instead of quietly knotting the layers (issue 12; tests/include_layers_test.cpp
# checks the folders inside one library, which include paths cannot see).
#
# Includes keep their readable prefix ("core/common/log.h", "sync/protocol/wire.h"): the folder is
# reached through a symbolic link in the build tree, <build>/include/<target>/<prefix> -> <folder>,
# and that directory is the target's include path. A target sees its own root and the roots of
# the libraries it links (CMake propagates PUBLIC include directories), nothing more.
function(signpost_include_root target prefix folder)
    set(root ${CMAKE_BINARY_DIR}/include/${target})
    get_filename_component(parent ${root}/${prefix} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(IS_SYMLINK ${root}/${prefix})
        file(REMOVE ${root}/${prefix})
    endif()
    file(CREATE_LINK ${folder} ${root}/${prefix} SYMBOLIC)
    target_include_directories(${target} PUBLIC ${root})
endfunction()
