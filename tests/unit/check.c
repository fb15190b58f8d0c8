/* check.c
 * The counters and failure reports behind check.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "check.h"

#include <stdio.h>

static unsigned passed, failed;
const char *check_test = "";

bool check_note(bool ok, const char *file, int line, const char *expr)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "FAIL %s:%d [%s] %s\n", file, line, check_test, expr);
    }
    return ok;
}

bool check_eq_u(unsigned long long got, unsigned long long want,
                const char *file, int line, const char *expr)
{
    bool ok = check_note(got == want, file, line, expr);
    if (!ok)
        fprintf(stderr, "     got %llu (0x%llx), want %llu (0x%llx)\n", got, got, want, want);
    return ok;
}

bool check_has(const char *hay, const char *needle, const char *file, int line,
               const char *expr)
{
    bool ok = check_note(hay && strstr(hay, needle) != NULL, file, line, expr);
    if (!ok)
        fprintf(stderr, "     \"%s\"\n     does not contain \"%s\"\n",
                hay ? hay : "(null)", needle);
    return ok;
}

int check_done(void)
{
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
