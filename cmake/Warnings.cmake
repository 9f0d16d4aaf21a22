add_library(llmux_warnings INTERFACE)
# -Wno-mismatched-new-delete: g++ 12 false positive on Asio 1.74 coroutine frames
# (awaitable_frame_base has a matching class-level operator new/delete pair).
target_compile_options(llmux_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
  -Wno-mismatched-new-delete)
if(LLMUX_WERROR)
  target_compile_options(llmux_warnings INTERFACE -Werror)
endif()

# llmux_module(NAME SOURCES ... DEPS ...): one library per part of DESIGN.md.
function(llmux_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(llmux_${name} STATIC ${M_SOURCES})
  target_include_directories(llmux_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(llmux_${name} PUBLIC ${M_DEPS} PRIVATE llmux_warnings ${M_PRIVATE_DEPS})
endfunction()
