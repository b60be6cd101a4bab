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
