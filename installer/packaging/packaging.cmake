# Packaging: install rules, CPack DEB (three packages from one build) and the package tests.
# Included once from the top-level CMakeLists.txt, before the targets exist: the hardening flags
# must reach every target, so they are set here at once; the install rules need the targets, so
# they run at the end of the top-level directory (cmake_language(DEFER)).
#
#   cmake --preset release && cmake --build --preset release
#   (cd build-release && cpack -G DEB)        -> signpost-kiosk_0.1.0-1_amd64.deb, ...
#
# Packages (installer/README.md says what each holds):
#   signpost-kiosk   the touchscreen app, its assets, unit, X session files, polkit rule,
#                    signpost-setup-kiosk (installer/setup-kiosk.sh)
#   signpost-server  the central server, its unit, the daily backup timer, server.toml and
#                    needs-mapping.toml (conffiles), signpost-setup-server (installer/setup-server.sh)
#   signpost-tools   `signpost`, the coordinators' tool

include(GNUInstallDirs)

# --- Hardening: what Debian's dpkg-buildflags give every package (lintian checks the binaries).
# Not for Debug/sanitizer builds: _FORTIFY_SOURCE needs optimisation, and glibc's #warning
# about it would be an error under -Werror.
if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug" AND NOT SIGNPOST_SANITIZERS)
    add_compile_options(-fstack-protector-strong)
    add_compile_definitions(_FORTIFY_SOURCE=2)
    add_link_options(LINKER:-z,relro LINKER:-z,now)
endif()

set(SIGNPOST_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(SIGNPOST_INSTALLER_DIR ${CMAKE_CURRENT_LIST_DIR}/..)

function(signpost_packaging_finish)
    set(pkg ${SIGNPOST_PACKAGING_DIR})
    set(inst ${SIGNPOST_INSTALLER_DIR})
    set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
        OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    # Debian 12 keeps units in /lib/systemd/system (its systemd.pc says so).
    pkg_get_variable(unit_dir systemd systemdsystemunitdir)
    if(NOT unit_dir)
        set(unit_dir /lib/systemd/system)
    endif()
    set(doc_kiosk share/doc/signpost-kiosk)
    set(doc_server share/doc/signpost-server)
    set(doc_tools share/doc/signpost-tools)

    # Debian's changelog and copyright for each package (lintian wants both, gzip -9n).
    set(gen ${CMAKE_BINARY_DIR}/packaging)
    file(MAKE_DIRECTORY ${gen})
    execute_process(COMMAND gzip -9nc ${pkg}/changelog OUTPUT_FILE ${gen}/changelog.Debian.gz
                    COMMAND_ERROR_IS_FATAL ANY)
    foreach(page signpost-kiosk.1 signpost-server.1 signpost.1 signpost-setup-kiosk.8
                 signpost-setup-server.8)
        execute_process(COMMAND gzip -9nc ${pkg}/man/${page} OUTPUT_FILE ${gen}/${page}.gz
                        COMMAND_ERROR_IS_FATAL ANY)
    endforeach()

    # --- signpost-kiosk
    if(TARGET signpost-kiosk)
        install(TARGETS signpost-kiosk RUNTIME DESTINATION bin COMPONENT kiosk)
        install(FILES ${SIGNPOST_ASSETS_DIR}/fonts.json DESTINATION share/signpost COMPONENT kiosk)
        install(FILES ${SIGNPOST_ASSETS_DIR}/directory/manchester-demo.json
                DESTINATION share/signpost/directory COMPONENT kiosk)
        install(DIRECTORY ${SIGNPOST_ASSETS_DIR}/i18n/ DESTINATION share/signpost/i18n
                COMPONENT kiosk FILES_MATCHING PATTERN "*.json")
        # The default config, copied to /etc/signpost/kiosk.toml by postinst (see there why).
        install(FILES ${SIGNPOST_SOURCE_DIR}/config/kiosk.toml DESTINATION share/signpost
                COMPONENT kiosk)
        install(FILES ${inst}/kiosk-session/10-signpost-kiosk.conf ${inst}/kiosk-session/kiosk-profile
                DESTINATION share/signpost/kiosk-session COMPONENT kiosk)
        install(PROGRAMS ${inst}/kiosk-session/xinitrc
                DESTINATION share/signpost/kiosk-session COMPONENT kiosk)
        # The README's steps need nothing but the package: the setup script comes with it.
        install(PROGRAMS ${inst}/setup-kiosk.sh RENAME signpost-setup-kiosk
                DESTINATION sbin COMPONENT kiosk)
        install(FILES ${gen}/signpost-setup-kiosk.8.gz DESTINATION share/man/man8 COMPONENT kiosk)
        install(FILES ${inst}/systemd/signpost-kiosk.service DESTINATION ${unit_dir} COMPONENT kiosk)
        install(FILES ${inst}/polkit/49-signpost-kiosk-reboot.rules
                DESTINATION share/polkit-1/rules.d COMPONENT kiosk)
        install(FILES ${inst}/README.md ${pkg}/copyright ${gen}/changelog.Debian.gz
                DESTINATION ${doc_kiosk} COMPONENT kiosk)
        install(FILES ${gen}/signpost-kiosk.1.gz DESTINATION share/man/man1 COMPONENT kiosk)
        install(FILES ${pkg}/kiosk/lintian-overrides RENAME signpost-kiosk
                DESTINATION share/lintian/overrides COMPONENT kiosk)
    endif()

    # --- signpost-server
    install(TARGETS signpost-server RUNTIME DESTINATION bin COMPONENT server)
    install(FILES ${SIGNPOST_SOURCE_DIR}/config/server.toml ${SIGNPOST_SOURCE_DIR}/config/needs-mapping.toml
            DESTINATION /etc/signpost COMPONENT server)
    install(FILES ${inst}/systemd/signpost-server.service ${inst}/systemd/signpost-server-backup.service
                  ${inst}/systemd/signpost-server-backup.timer
            DESTINATION ${unit_dir} COMPONENT server)
    install(PROGRAMS ${inst}/setup-server.sh RENAME signpost-setup-server DESTINATION sbin
            COMPONENT server)
    install(FILES ${gen}/signpost-setup-server.8.gz DESTINATION share/man/man8 COMPONENT server)
    install(FILES ${inst}/README.md ${pkg}/copyright ${gen}/changelog.Debian.gz
            DESTINATION ${doc_server} COMPONENT server)
    install(FILES ${gen}/signpost-server.1.gz DESTINATION share/man/man1 COMPONENT server)
    install(FILES ${pkg}/server/lintian-overrides RENAME signpost-server
            DESTINATION share/lintian/overrides COMPONENT server)

    # --- signpost-tools
    install(TARGETS signpost RUNTIME DESTINATION bin COMPONENT tools)
    install(FILES ${pkg}/copyright ${gen}/changelog.Debian.gz DESTINATION ${doc_tools}
            COMPONENT tools)
    install(FILES ${gen}/signpost.1.gz DESTINATION share/man/man1 COMPONENT tools)
    install(FILES ${pkg}/tools/lintian-overrides RENAME signpost-tools
            DESTINATION share/lintian/overrides COMPONENT tools)

    # --- CPack
    set(CPACK_GENERATOR DEB)
    set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
    set(CPACK_PACKAGE_NAME signpost)
    set(CPACK_PACKAGE_VENDOR "Signpost project")
    set(CPACK_PACKAGE_CONTACT "Signpost maintainers <signpost@example.org>")
    set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
    set(CPACK_STRIP_FILES TRUE)
    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_COMPONENTS_ALL kiosk server tools)
    if(NOT TARGET signpost-kiosk)
        set(CPACK_COMPONENTS_ALL server tools)
    endif()
    set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SECTION misc)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/signpost")
    # Library dependencies from the binaries themselves (dpkg-shlibdeps).
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

    set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME signpost-kiosk)
    set(CPACK_DEBIAN_SERVER_PACKAGE_NAME signpost-server)
    set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME signpost-tools)
    set(CPACK_DEBIAN_KIOSK_PACKAGE_SECTION misc)
    set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
    set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)

    # Besides the libraries: fonts (Noto for every script the kiosk shows, CJK included: its
    # glyphs are rasterised on demand), espeak-ng's voices and ALSA for read-aloud (libasound2
    # is also found by dpkg-shlibdeps; named here because it is the audio path we chose), time
    # zones for "open now", the X session (xinit, Xorg, xset/xhost), software OpenGL for
    # GPU-less mini-PCs, polkitd for the reboot rule, adduser and systemd helpers for postinst,
    # and the CA certificates libcurl verifies the sync server's certificate with (libcurl only
    # recommends them, and a kiosk installed without Recommends could reach no real server).
    set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
        "adduser, init-system-helpers (>= 1.52), ca-certificates, fonts-noto-core, fonts-noto-cjk, espeak-ng-data, libasound2, tzdata, xinit, xserver-xorg-core, xserver-xorg-input-libinput, x11-xserver-utils, libgl1-mesa-dri, polkitd")
    # Purge counts unsent referrals with signpost-kiosk --count-unsent itself (prerm), not sqlite3.
    set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "xserver-xorg-video-all")
    set(CPACK_DEBIAN_KIOSK_PACKAGE_SUGGESTS "signpost-tools")
    set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.52)")
    # `signpost pull` talks HTTPS to the server: the same CA certificates as the kiosk.
    set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "ca-certificates")
    set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "sqlite3")

    # Extended descriptions: lintian wants lines of at most 80 characters.
    set(CPACK_COMPONENT_KIOSK_DESCRIPTION [=[Signpost community-support kiosk (touchscreen app)
An offline-first touchscreen kiosk for libraries and community centres:
residents browse local support and ask a link worker to get in touch.
Referrals are sealed to the coordinators' key at submit, so the device
holds nothing readable.
.
This package holds the app, its systemd unit, signpost-setup-kiosk (which
turns a fresh Debian into a kiosk, and --undo reverses it), the X11
session files it uses and the polkit rule that lets the app reboot the
device.]=])
    set(CPACK_COMPONENT_SERVER_DESCRIPTION [=[Signpost central server (kiosk sync and coordinator pulls)
The server that Signpost kiosks push their sealed referrals to and that
coordinators pull them from; it also publishes the service directory to
the kiosks.
.
This package holds signpost-server, its hardened systemd unit, a daily
backup timer, signpost-setup-server (TLS, address and port in one step)
and /etc/signpost/server.toml.]=])
    set(CPACK_COMPONENT_TOOLS_DESCRIPTION [=[Signpost coordinator tool
The `signpost` command: makes the coordinators' key pair, pulls and opens
sealed referrals from the Signpost server, lists the kiosk fleet.]=])

    set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
        "${pkg}/kiosk/postinst;${pkg}/kiosk/prerm;${pkg}/kiosk/postrm")
    set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
        "${pkg}/server/conffiles;${pkg}/server/postinst;${pkg}/server/prerm;${pkg}/server/postrm")

    set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/packages)
    include(CPack)
endfunction()

cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL signpost_packaging_finish)

# --- Tests (installer/packaging/tests/*.sh; each says what it checks). Registered only if the
# tools exist, so a developer machine without them still configures; CI installs them.
if(SIGNPOST_BUILD_TESTS)
    enable_testing()
    set(tests ${CMAKE_CURRENT_LIST_DIR}/tests)
    add_test(NAME "packaging: build the three .deb packages"
             COMMAND ${tests}/build_packages.sh ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/packaging-test)
    set_tests_properties("packaging: build the three .deb packages" PROPERTIES
        FIXTURES_SETUP signpost_debs TIMEOUT 600 RUN_SERIAL TRUE)
    foreach(check units contents install)
        add_test(NAME "packaging: ${check}"
                 COMMAND ${tests}/check_${check}.sh ${CMAKE_BINARY_DIR}/packaging-test)
        set_tests_properties("packaging: ${check}" PROPERTIES
            FIXTURES_REQUIRED signpost_debs TIMEOUT 900 SKIP_RETURN_CODE 77)
    endforeach()
endif()
