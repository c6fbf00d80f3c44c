// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: signs of a kernel in trouble - complaints in its log, slab that grows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel_health.h"
#include "util.h"

int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* What tools/vm/kernel-log-check.sh fails a run on, and anything at KERN_ERR or above. */
static bool kmsg_complaint(int level, const char *text)
{
	static const char *const words[] = {
		"WARNING:", "BUG:", "Oops", "KASAN", "UBSAN", "general protection", "Call Trace:",
		"possible circular locking", "lockdep", "INFO: rcu", "stall on CPU",
		"Kernel panic", "refcount_t:", "list_add corruption", "list_del corruption",
		"blocked for more than",
	};
	size_t i;

	if (level <= 3)
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(text, words[i]))
			return true;
	return false;
}

int kmsg_complaints(int fd, char *out, size_t len)
{
	char rec[1024];
	size_t used = 0;
	int found = 0;
	ssize_t n;

	out[0] = '\0';
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* records overwritten before we read them */
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		rec[strcspn(rec, "\n")] = '\0';
		if (!kmsg_complaint(atoi(rec) & 7, strchr(rec, ';') ? strchr(rec, ';') + 1 : rec))
			continue;
		if (!found++ || used + 2 < len)
			used += snprintf(out + used, len - used, "%s | ", rec);
		if (used > len)
			used = len;
	}
	return found;
}

static long meminfo_kb(const char *field)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)) && line[strlen(field)] == ':')
			kb = strtol(line + strlen(field) + 1, NULL, 10);
	fclose(f);
	return kb;
}

long settled_slab_kb(void)
{
	sync();
	write_file("/proc/sys/vm/drop_caches", "3");
	sleep(2);
	return meminfo_kb("SUnreclaim");
}
