# SPDX-License-Identifier: GPL-2.0-or-later
# Warnings for pmtud's own code: strict, but only for our targets.
set(PMTUD_WARNINGS -Wall -Wextra -Wshadow -Wpointer-arith -Wwrite-strings
    -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 -Wno-unused-parameter)

function(pmtud_warnings target)
  target_compile_options(${target} PRIVATE ${PMTUD_WARNINGS})
endfunction()
