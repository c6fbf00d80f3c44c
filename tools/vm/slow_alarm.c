// SPDX-License-Identifier: GPL-2.0
/*
 * Preloaded into the selftests on the debug kernel (selftests/run.sh, bulkhead.slow=N): the
 * kselftest harness gives every test alarm(30), and under KASAN, lockdep and kmemleak in an
 * emulated VM a test takes several times longer, so alarm() here waits N times longer.
 */
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

unsigned int alarm(unsigned int seconds)
{
	const char *slow = getenv("BULKHEAD_SLOW");
	unsigned long n = slow ? strtoul(slow, NULL, 10) : 1;
	struct itimerval it = { .it_value.tv_sec = seconds * (n ? n : 1) };
	struct itimerval old;

	if (setitimer(ITIMER_REAL, &it, &old))
		return 0;
	/* What was left of an earlier alarm, in seconds rounded up: never 0 if some was left. */
	return old.it_value.tv_sec + (old.it_value.tv_usec > 0);
}
