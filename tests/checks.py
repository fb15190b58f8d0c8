# SPDX-License-Identifier: GPL-2.0-or-later
"""Counting assertions for the tshark-driven tests: every failure is printed
with what came and what was wanted, and the run ends with the closing line
`N passed, N failed`."""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def eq(self, what, got, want):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s\n  got:  %r\n  want: %r" % (what, got, want))

    def true(self, what, ok):
        self.eq(what, bool(ok), True)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0
