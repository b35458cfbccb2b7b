# Unit tests: every tests/unit/test_<module>.c is one executable linked with the
# static library (so it can reach internal functions), run by ctest with the
# fontconfig file that pins Debian's Liberation Serif 2.
file(GLOB VB_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/unit/test_*.c)
set(VB_TEST_ENV "FONTCONFIG_FILE=${CMAKE_SOURCE_DIR}/tests/fonts.conf;VB_SOURCE_DIR=${CMAKE_SOURCE_DIR};VB_BUILD_DIR=${CMAKE_BINARY_DIR}")
foreach(t ${VB_UNIT_TESTS})
  get_filename_component(name ${t} NAME_WE)
  add_executable(${name} ${t})
  target_include_directories(${name} PRIVATE ${VB_SRC_INCLUDES} ${CMAKE_SOURCE_DIR}/tests/unit ${HPDF_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE vanban_static)
  add_test(NAME unit.${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(unit.${name} PROPERTIES LABELS unit ENVIRONMENT "${VB_TEST_ENV}")
endforeach()

# Whole-program tests: scripts in tests/*.py / tests/*.sh, given the CLI path.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
file(GLOB VB_PY_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/test_*.py)
foreach(t ${VB_PY_TESTS})
  get_filename_component(name ${t} NAME_WE)
  add_test(NAME pdf.${name} COMMAND ${Python3_EXECUTABLE} ${t} $<TARGET_FILE:vanban_cli>
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(pdf.${name} PROPERTIES LABELS pdf ENVIRONMENT "${VB_TEST_ENV}")
endforeach()
include(${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz.cmake)

# Benchmarks built with the tests but never run by ctest (tests/bench/README.md).
add_executable(bench_warm ${CMAKE_SOURCE_DIR}/tests/bench/warm.c)
target_link_libraries(bench_warm PRIVATE vanban_static)

# The example programs (examples/): built against include/vanban.h only and the
# shared library (so they can reach nothing the library does not export), and
# run by ctest.
file(GLOB VB_EXAMPLES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.c)
foreach(x ${VB_EXAMPLES})
  get_filename_component(name ${x} NAME_WE)
  add_executable(example_${name} ${x})
  target_include_directories(example_${name} PRIVATE ${CMAKE_SOURCE_DIR}/include)
  target_link_libraries(example_${name} PRIVATE vanban)
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/example-out)
  add_test(NAME example.${name} COMMAND example_${name} ${CMAKE_SOURCE_DIR}/layouts ${CMAKE_BINARY_DIR}/example-out
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(example.${name} PROPERTIES LABELS example ENVIRONMENT "${VB_TEST_ENV}")
endforeach()
