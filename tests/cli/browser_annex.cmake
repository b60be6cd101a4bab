# The annex of a merger proposal printed to PDF by headless Chromium: a PDF whose pages are the
# title page, the summary, the new units, the units below standard and the two maps, and
# nothing left behind when the output exists already. Args: AMSIM, CHROMIUM, SCENARIO, WORK.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
if(NOT CHROMIUM)
    message(FATAL_ERROR "chromium not found: bash scripts/setup.sh installs it (Debian package chromium)")
endif()
execute_process(COMMAND ${AMSIM} -q run ${SCENARIO} -o ${WORK}/run.gpkg --overwrite
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "amsim run failed (${rc}):\n${out}${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env AMSIM_CHROMIUM=${CHROMIUM}
                        ${AMSIM} report ${WORK}/run.gpkg -o ${WORK}/annex.pdf --date 01/12/2026
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 170)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "amsim report -o annex.pdf failed (${rc}):\n${out}${err}")
endif()
file(READ ${WORK}/annex.pdf head LIMIT 8)
string(FIND "${head}" "%PDF-" at)
if(NOT at EQUAL 0)
    message(FATAL_ERROR "annex.pdf is not a PDF: '${head}'")
endif()
# Pages: the title, I, II, III, and each map on its own (2) = 6 for the fixture.
file(STRINGS ${WORK}/annex.pdf pages REGEX "/Type */Page($|[^s])")
list(LENGTH pages n)
message(STATUS "annex.pdf: ${n} page objects")
if(n LESS 6)
    message(FATAL_ERROR "annex.pdf has ${n} pages, 6 expected")
endif()
# An existing annex is not replaced without --overwrite, and stays as it was.
file(SIZE ${WORK}/annex.pdf before)
execute_process(COMMAND ${AMSIM} report ${WORK}/run.gpkg -o ${WORK}/annex.pdf
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(SIZE ${WORK}/annex.pdf after)
if(rc EQUAL 0 OR NOT before EQUAL after)
    message(FATAL_ERROR "an existing annex was replaced without --overwrite (${rc}): ${err}")
endif()
