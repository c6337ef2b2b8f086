# redact_leak_check: the redaction stage's leak verifier (leak_check.hpp),
# included by plugins/redact/CMakeLists.txt. Its re-OCR uses the OCR stage's
# Tesseract engine (ocr_tesseract_engine), so both set Tesseract up alike.
pkg_check_modules(LEAK_POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp>=0.89)
pkg_check_modules(LEAK_LEPTONICA REQUIRED IMPORTED_TARGET lept)
find_package(ZLIB REQUIRED)

add_library(redact_leak_check STATIC ${CMAKE_CURRENT_LIST_DIR}/leak_check.cpp)
set_target_properties(redact_leak_check PROPERTIES
  POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_include_directories(redact_leak_check PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(redact_leak_check
  PUBLIC Saksi::sdk
  PRIVATE ocr_tesseract_engine PkgConfig::LEAK_POPPLER_CPP ZLIB::ZLIB)

if(SAKSI_TESTS)
  add_executable(redact_leak_check_test
    ${PROJECT_SOURCE_DIR}/tests/unit/plugins/redact_leak_check_test.cpp)
  target_link_libraries(redact_leak_check_test PRIVATE
    redact_leak_check PkgConfig::LEAK_LEPTONICA ZLIB::ZLIB GTest::gtest_main Threads::Threads)
  target_compile_definitions(redact_leak_check_test PRIVATE
    LEAK_CHECK_SAMPLES_DIR="${PROJECT_SOURCE_DIR}/samples")
  # One OpenMP thread for Tesseract, set for the process (see ocr_tesseract).
  gtest_discover_tests(redact_leak_check_test
    DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT OMP_THREAD_LIMIT=1 LABELS ocr)
endif()
