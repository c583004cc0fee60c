# ctest check: the libraries and programs we ship hold none of the test-only code (issue 12):
# tests/fixtures (signpost_test_fixtures) and tests/ui_testing (signpost_ui_testing) are linked by
# tests and benchmarks only. Reads each file's printable strings (symbol names included) without
# any tool beyond CMake itself.
#   cmake "-DFILES=a|b|c" -P no_test_code_shipped.cmake
set(test_only_names generateSyntheticDirectory SyntheticDirectoryOptions UiDriver TestKiosk
    SoftwareRenderer MemoryGlyphTexture)
list(JOIN test_only_names "|" pattern)
string(REPLACE "|" ";" FILES "${FILES}")
set(found "")
foreach(file IN LISTS FILES)
    if(NOT EXISTS "${file}")
        message(FATAL_ERROR "not built: ${file}")
    endif()
    file(STRINGS "${file}" hits REGEX "(${pattern})")
    if(hits)
        list(GET hits 0 first)
        string(REGEX MATCH "(${pattern})" name "${first}")
        string(APPEND found "\n  ${file}: ${name}")
    endif()
endforeach()
if(found)
    message(FATAL_ERROR "test-only code in what we ship:${found}")
endif()
list(LENGTH FILES count)
message(STATUS "${count} shipped files hold no test-only code")
