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
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel_health.h"
#include "util.h"

/* What tools/vm/kernel-log-check.sh fails a run on, and anything at KERN_ERR or above. */
static bool complaint(int level, const char *text)
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

/* Written to the log by kmsg_watch_stop(): the watcher has read everything before it. */
#define WATCH_END "bulkhead selftests: kernel log watch ends"

/*
 * The watcher: read records as they come (a long run logs more than the ring keeps), pass
 * the complaints on through @out, stop at the end marker.
 */
static void __attribute__((noreturn)) watch(int kmsg, int out)
{
	char rec[1024];
	const char *text;
	ssize_t n;

	for (;;) {
		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten before we could read them */
			continue;
		if (n <= 0)
			_exit(1);
		rec[n] = '\0';
		rec[strcspn(rec, "\n")] = '\0';
		text = strchr(rec, ';') ? strchr(rec, ';') + 1 : rec;
		if (strstr(text, WATCH_END))
			_exit(0);
		if (complaint(atoi(rec) & 7, text) && dprintf(out, "%s\n", text) < 0)
			_exit(1);
	}
}

int kmsg_watch_start(struct kmsg_watch *w)
{
	int pipefd[2], kmsg, err;

	kmsg = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	if (kmsg < 0)
		return -errno;
	if (lseek(kmsg, 0, SEEK_END) < 0 || pipe(pipefd)) {
		err = -errno;
		close(kmsg);
		return err;
	}
	w->pid = fork();
	if (!w->pid) {
		/* a test that fails half way never stops its watcher: go with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pipefd[0]);
		watch(kmsg, pipefd[1]);
	}
	err = w->pid < 0 ? -errno : 0;
	close(kmsg);
	close(pipefd[1]);
	w->fd = pipefd[0];
	return err;
}

int kmsg_watch_stop(struct kmsg_watch *w, char *out, size_t len)
{
	char line[1024];
	size_t used = 0;
	int found = 0, i;
	FILE *f;

	/* Mark the end, and give the watcher 10 s to read up to it. */
	write_file("/dev/kmsg", WATCH_END "\n");
	for (i = 0; i < 100 && waitpid(w->pid, NULL, WNOHANG) == 0; i++)
		usleep(100 * 1000);
	if (i == 100) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
	}
	out[0] = '\0';
	f = fdopen(w->fd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!found++ || used + 4 < len)
			used += snprintf(out + used, len - used, "%s%s", used ? " | " : "", line);
		if (used > len)
			used = len;
	}
	if (f)
		fclose(f);
	else
		close(w->fd);
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
