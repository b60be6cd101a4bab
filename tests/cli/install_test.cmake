# Installs amsim into a temporary prefix and runs the installed binary from another folder on
# a copy of the fixture scenario: it finds its rules profiles under the prefix, records the
# run in the per-user place (under a temporary HOME), and writes nothing into the source tree
# or the build tree's profiles. Variables: BUILD, SOURCE, TMP.
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}/elsewhere" "${TMP}/home")

# What the source tree holds (build directories aside), to compare after the run.
function(tree_listing out)
    file(GLOB top RELATIVE "${SOURCE}" "${SOURCE}/*")
    set(all "")
    foreach(entry ${top})
        if(entry MATCHES "^(build|\\.git$)")
            continue()
        endif()
        if(IS_DIRECTORY "${SOURCE}/${entry}")
            file(GLOB_RECURSE files "${SOURCE}/${entry}/*")
            list(APPEND all ${files})
        else()
            list(APPEND all "${SOURCE}/${entry}")
        endif()
    endforeach()
    list(SORT all)
    set(${out} "${all}" PARENT_SCOPE)
endfunction()
tree_listing(before)

execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD}" --prefix "${TMP}/prefix"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed:\n${out}${err}")
endif()
foreach(f bin/amsim share/amsim/profiles/vn-2025.toml share/amsim/profiles/vn-2026.toml)
    if(NOT EXISTS "${TMP}/prefix/${f}")
        message(FATAL_ERROR "not installed: ${f}")
    endif()
endforeach()

file(COPY "${SOURCE}/tests/fixtures/scenarios/four_communes" DESTINATION "${TMP}/copy/scenarios")
file(COPY "${SOURCE}/tests/fixtures/geo/four_communes.geojson" DESTINATION "${TMP}/copy/geo")
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env --unset=AMSIM_PROFILES_DIR --unset=AMSIM_RUNS_DB
            --unset=XDG_STATE_HOME "HOME=${TMP}/home"
            "${TMP}/prefix/bin/amsim" run ../copy/scenarios/four_communes -o runs
    WORKING_DIRECTORY "${TMP}/elsewhere"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the installed amsim run failed (${rc}):\n${out}${err}")
endif()
if(NOT out MATCHES "under rules 'vn-2025'.*4 old units -> 2 new units")
    message(FATAL_ERROR "unexpected output:\n${out}")
endif()
if(NOT EXISTS "${TMP}/elsewhere/runs/four_communes.gpkg")
    message(FATAL_ERROR "no run written in the working directory")
endif()
if(NOT EXISTS "${TMP}/home/.local/state/amsim/runs.sqlite")
    message(FATAL_ERROR "the run is not recorded in the per-user place")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env "HOME=${TMP}/home" --unset=AMSIM_RUNS_DB
                        --unset=XDG_STATE_HOME "${TMP}/prefix/bin/amsim" --version
                OUTPUT_VARIABLE version)
if(NOT version MATCHES "^amsim [0-9]+\\.[0-9]+\\.[0-9]+")
    message(FATAL_ERROR "--version printed '${version}'")
endif()

tree_listing(after)
if(NOT before STREQUAL after)
    list(REMOVE_ITEM after ${before})
    message(FATAL_ERROR "the installed binary wrote into the source tree: ${after}")
endif()
message(STATUS "installed under ${TMP}/prefix; run from ${TMP}/elsewhere: ok")
