# Flags live in INTERFACE targets linked PRIVATE, never in CMAKE_CXX_FLAGS.
add_library(amsim_settings INTERFACE)
target_compile_features(amsim_settings INTERFACE cxx_std_20)
# Identical input gives identical geometry everywhere: no fused multiply-add contraction.
target_compile_options(amsim_settings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-ffp-contract=off>)

add_library(amsim_warnings INTERFACE)
target_compile_options(amsim_warnings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
        -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wconversion -Wno-sign-conversion>
    # GCC 12 reports false -Wrestrict positives inside libstdc++ string code (GCC PR 105329).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
    $<$<BOOL:${AMSIM_WERROR}>:-Werror>)
target_link_libraries(amsim_settings INTERFACE amsim_warnings)

# Sanitizers (CI's second build, with clang): AddressSanitizer and UndefinedBehaviorSanitizer,
# float-to-integer overflows included; any finding stops the program.
option(AMSIM_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(AMSIM_SANITIZE)
    target_compile_options(amsim_settings INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(amsim_settings INTERFACE -fsanitize=address,undefined)
endif()
# libFuzzer targets for every parser of planners' files (tests/fuzz; clang only). The
# libraries get libFuzzer's coverage instrumentation; the targets link its driver.
option(AMSIM_FUZZ "Build the libFuzzer targets under tests/fuzz (clang)" OFF)
if(AMSIM_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "AMSIM_FUZZ needs clang (libFuzzer): use the sanitize preset")
    endif()
    target_compile_options(amsim_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
