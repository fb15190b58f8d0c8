/* check.h
 * A tiny assertion helper for the unit tests: counts checks, reports each
 * failure with file, line and both values, and ends with exactly one
 * closing line "N passed, N failed" so ctest logs are easy to scan.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PMTUD_CHECK_H
#define PMTUD_CHECK_H

#include <stdbool.h>
#include <string.h>

extern const char *check_test;   /* name of the test now running */

bool check_note(bool ok, const char *file, int line, const char *expr);
bool check_eq_u(unsigned long long got, unsigned long long want,
                const char *file, int line, const char *expr);
bool check_has(const char *hay, const char *needle, const char *file, int line,
               const char *expr);
/* Prints the closing line; the return value is the process exit status. */
int check_done(void);

#define CHECK(cond) check_note((cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_EQ(got, want) \
    check_eq_u((unsigned long long)(got), (unsigned long long)(want), __FILE__, __LINE__, \
               #got " == " #want)
#define CHECK_HAS(hay, needle) \
    check_has((hay), (needle), __FILE__, __LINE__, #hay " contains " #needle)
#define CHECK_MEM(a, b, n) \
    check_note(memcmp((a), (b), (n)) == 0, __FILE__, __LINE__, "memcmp(" #a ", " #b ") == 0")

/* Runs one test function under its name (shown on failures). */
#define RUN(fn) (check_test = #fn, fn())

#endif /* PMTUD_CHECK_H */
