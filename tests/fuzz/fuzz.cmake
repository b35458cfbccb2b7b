# The fuzz harnesses (tests/fuzz/README.md). In every build each harness is
# also linked with replay.c as regress_<harness>, and ctest replays the
# inputs that once crashed it (tests/regress/<harness>/) -- so they run in the
# normal and the sanitizer builds alike. With -DVB_FUZZ=ON (clang only; the
# library is then built with -fsanitize=fuzzer-no-link,address,undefined) the
# libFuzzer executables <harness> are built too.
set(VB_FUZZ_HARNESSES fuzz_source fuzz_table fuzz_profile fuzz_render fuzz_font fuzz_png fuzz_data)
foreach(h ${VB_FUZZ_HARNESSES})
  add_executable(regress_${h} ${CMAKE_SOURCE_DIR}/tests/fuzz/${h}.c ${CMAKE_SOURCE_DIR}/tests/fuzz/replay.c)
  target_include_directories(regress_${h} PRIVATE ${VB_SRC_INCLUDES} ${CMAKE_SOURCE_DIR}/tests/fuzz ${HPDF_INCLUDE_DIR})
  target_compile_definitions(regress_${h} PRIVATE VB_FUZZ_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  target_link_libraries(regress_${h} PRIVATE vanban_static)
  add_test(NAME regress.${h} COMMAND regress_${h} ${CMAKE_SOURCE_DIR}/tests/regress/${h}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(regress.${h} PROPERTIES LABELS regress ENVIRONMENT "${VB_TEST_ENV}")
  if(VB_FUZZ)
    add_executable(${h} ${CMAKE_SOURCE_DIR}/tests/fuzz/${h}.c)
    target_include_directories(${h} PRIVATE ${VB_SRC_INCLUDES} ${CMAKE_SOURCE_DIR}/tests/fuzz ${HPDF_INCLUDE_DIR})
    target_compile_definitions(${h} PRIVATE VB_FUZZ_SOURCE_DIR="${CMAKE_SOURCE_DIR}" VB_FUZZ_LIBFUZZER=1)
    target_link_libraries(${h} PRIVATE vanban_static)
    target_link_options(${h} PRIVATE -fsanitize=fuzzer)
  endif()
endforeach()
