# Every build option in one table, printed at configure time (after Tracy's cmake/options.cmake).
# Each row: name, default, help. Change with -D<NAME>=ON|OFF or a preset in CMakePresets.json.
set(SIGNPOST_OPTIONS
    "SIGNPOST_BUILD_KIOSK\;ON\;Build the ImGui kiosk (needs GLFW, OpenGL, Dear ImGui)"
    "SIGNPOST_BUILD_TESTS\;ON\;Build the Catch2 test suite and register it with ctest"
    "SIGNPOST_BUILD_BENCH\;ON\;Build the benchmarks in bench/"
    "SIGNPOST_E2E_TESTS\;ON\;Register tests that start real processes under Xvfb"
    "SIGNPOST_STRICT_WARNINGS\;OFF\;Treat compiler warnings as errors (CI turns this on)"
    "SIGNPOST_SANITIZERS\;OFF\;Build with AddressSanitizer and UndefinedBehaviorSanitizer"
    "SIGNPOST_FUZZ\;OFF\;Build the libFuzzer targets in fuzz/ (clang only, fuzz/run.sh)"
)

foreach(row IN LISTS SIGNPOST_OPTIONS)
    list(GET row 0 name)
    list(GET row 1 default)
    list(GET row 2 help)
    option(${name} "${help}" ${default})
endforeach()

function(signpost_print_options)
    message(STATUS "Signpost build options:")
    foreach(row IN LISTS SIGNPOST_OPTIONS)
        list(GET row 0 name)
        list(GET row 2 help)
        string(LENGTH "${name}" len)
        math(EXPR pad "26 - ${len}")
        string(REPEAT " " ${pad} spaces)
        message(STATUS "  ${name}${spaces}${${name}}  ${help}")
    endforeach()
endfunction()
