/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: a two-domain world for enforcement tests.
 *
 *   domain a: cgroup /bhe/a, files /tmp/bhe/a/   (fa)
 *   domain b: cgroup /bhe/b, files /tmp/bhe/b/   (fb, prog: a copy of /bin/dash, d/)
 *   host: everything else, the test process included
 *
 * The world is made with the mode off (host may not write into b under enforce), then the
 * policy (the two domains, flows from host so both can run the host's programs, and the given
 * flow lines) is applied and the mode set. bulkhead stays loaded between worlds.
 */
#ifndef BULKHEAD_SELFTEST_WORLD_H
#define BULKHEAD_SELFTEST_WORLD_H

#include <sys/types.h>

/* Build the world with @flows (policy lines, may be "") and set @mode. 0 or -1, logged. */
int world_make(const char *flows, const char *mode, char *log, size_t len);

/* world_make() with more binding lines for a and for b ("netdev bha"). */
int world_make_with(const char *a_bindings, const char *b_bindings, const char *flows,
		    const char *mode, char *log, size_t len);

/* Mode off, then remove everything the world made (bulkhead stays loaded). */
void world_remove(void);

/*
 * Run @op in a child placed in cgroup @cgroup ("/bhe/a"); returns 0 when @op returned 0,
 * the errno it returned otherwise, or -1 when the child could not be set up.
 */
int run_in_cgroup(const char *cgroup, int (*op)(void *arg), void *arg);

/*
 * Run @measure in a child placed in cgroup @cgroup and hand its @n figures back in @out: a
 * benchmark's loop, timed where its decisions are made. Returns 0, or -1 when the child could
 * not be set up or @measure returned non-zero.
 */
int measure_in_cgroup(const char *cgroup, int (*measure)(void *arg, double *out), void *arg,
		      double *out, size_t n);

/* A child sleeping in cgroup @cgroup, for signal and ptrace tests; kill it when done. */
pid_t sleeper_in_cgroup(const char *cgroup);

#endif /* BULKHEAD_SELFTEST_WORLD_H */
