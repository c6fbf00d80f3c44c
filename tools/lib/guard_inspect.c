// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's checks on a staged copy - size, type by content (libmagic),
 * deny patterns over the content, an external filter command with a timeout - and the rate
 * limit on pickup. Only the copy is looked at: the sender cannot change it any more.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <magic.h>

#include "guard_int.h"

int bh_guard_inspect_init(struct bh_guard *g)
{
	const struct bh_guard_config *cfg = g->cfg;
	char msg[256];
	unsigned int i;
	int err;

	if (cfg->n_types) {
		/* Types by content only: the name's extension never enters (no MAGIC_EXTENSION). */
		g->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
		if (!g->magic || magic_load(g->magic, NULL))
			return bh_guard_fail(g, "libmagic: cannot load its database: %s",
					     g->magic ? magic_error(g->magic) : strerror(errno));
	}
	for (i = 0; i < cfg->n_deny; i++) {
		err = regcomp(&g->deny[i], cfg->deny[i], REG_EXTENDED | REG_NOSUB);
		if (err) {
			regerror(err, &g->deny[i], msg, sizeof(msg));
			return bh_guard_fail(g, "deny pattern %u \"%s\": %s", i + 1, cfg->deny[i],
					     msg);
		}
		g->n_deny = i + 1;
		/* Without ERE syntax a pattern matches itself alone: memmem() finds it faster. */
		g->deny_literal[i] = !strpbrk(cfg->deny[i], "\\^$.[]|()*+?{}");
	}
	return 0;
}

void bh_guard_inspect_free(struct bh_guard *g)
{
	unsigned int i;

	bh_guard_inspector_stop(g);
	for (i = 0; i < g->n_deny; i++)
		regfree(&g->deny[i]);
	g->n_deny = 0;
	if (g->magic)
		magic_close(g->magic);
	g->magic = NULL;
}

int bh_guard_mime(void *magic, int fd, char *out, size_t len)
{
	const char *mime;
	int dup_fd = dup(fd);

	/* libmagic closes nothing but moves the offset: give it its own descriptor. */
	if (dup_fd < 0)
		return -1;
	mime = magic_descriptor(magic, dup_fd);
	close(dup_fd);
	if (!mime)
		return -1;
	snprintf(out, len, "%s", mime);
	return 0;
}

static bool type_allowed(const struct bh_guard_config *cfg, const char *mime)
{
	unsigned int i;
	size_t n;

	for (i = 0; i < cfg->n_types; i++) {
		n = strlen(cfg->types[i]);
		/* "text/" allows every text type; anything else must match whole. */
		if (n && cfg->types[i][n - 1] == '/' ? !strncmp(mime, cfg->types[i], n) :
		    !strcmp(mime, cfg->types[i]))
			return true;
	}
	return false;
}

/* The first deny pattern found in the content (1-based), 0 if none, -1 on error. */
static int deny_match(struct bh_guard *g, int fd, uint64_t size)
{
	regmatch_t m[1];
	unsigned int i;
	void *map;
	int found = 0;

	if (!g->n_deny)
		return 0;
	/* mmap() refuses an empty mapping: an empty file is an empty string. */
	map = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : "";
	if (map == MAP_FAILED)
		return -1;
	for (i = 0; i < g->n_deny && !found; i++) {
		if (g->deny_literal[i]) {
			if (memmem(map, size, g->cfg->deny[i], strlen(g->cfg->deny[i])))
				found = i + 1;
			continue;
		}
		/* REG_STARTEND: the whole content, NUL bytes included, not a C string. */
		m[0].rm_so = 0;
		m[0].rm_eo = size;
		if (!regexec(&g->deny[i], map, 1, m, REG_STARTEND))
			found = i + 1;
	}
	if (size)
		munmap(map, size);
	return found;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Wait for @pid at most until @deadline_ns; true if it ended (status in @status). */
static bool wait_until(pid_t pid, uint64_t deadline_ns, int *status)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	uint64_t now;

	for (;;) {
		if (waitpid(pid, status, WNOHANG) == pid)
			break;
		now = monotonic_ns();
		if (now >= deadline_ns)
			goto out;
		/* Without pidfds (old kernels) this polls every 10 ms instead. */
		if (pidfd < 0)
			usleep(10000);
		else
			poll(&p, 1, (deadline_ns - now) / 1000000 + 1);
	}
	if (pidfd >= 0)
		close(pidfd);
	return true;
out:
	if (pidfd >= 0)
		close(pidfd);
	return false;
}

bool bh_guard_filter(const char *cmd, const char *path, unsigned int timeout_ms,
		     char *out, size_t len)
{
	char script[4096];
	int status, null;
	pid_t pid;

	/* The path goes in as "$1", never through the shell's parser. */
	snprintf(script, sizeof(script), "%s \"$1\"", cmd);
	pid = fork();
	if (pid < 0) {
		snprintf(out, len, "error");
		return false;
	}
	if (!pid) {
		/* Its own process group, so a timeout kills whatever it started too. */
		setpgid(0, 0);
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		execl("/bin/sh", "sh", "-c", script, "bulkhead-filter", path, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	if (!wait_until(pid, monotonic_ns() + (uint64_t)timeout_ms * 1000000, &status)) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(out, len, "timeout");
		return false;
	}
	/* What it left running in the background dies with it. */
	kill(-pid, SIGKILL);
	if (WIFEXITED(status)) {
		if (!WEXITSTATUS(status)) {
			snprintf(out, len, "clean");
			return true;
		}
		snprintf(out, len, "exit-%d", WEXITSTATUS(status));
	} else {
		snprintf(out, len, "signal-%d", WTERMSIG(status));
	}
	return false;
}

static int reject(struct bh_guard_entry *e, const char *fmt, const char *arg)
{
	e->verdict = BH_GUARD_REJECTED;
	snprintf(e->reason, sizeof(e->reason), fmt, arg);
	return 0;
}

/* The checks that parse what the sender wrote: in the inspector (guard_inspector.c). */
int bh_guard_check_content(struct bh_guard *g, int fd, uint64_t size, char *out, size_t len)
{
	char mime[96];
	int found;

	out[0] = '\0';
	if (g->magic) {
		if (bh_guard_mime(g->magic, fd, mime, sizeof(mime))) {
			snprintf(out, len, "libmagic: %s", magic_error(g->magic));
			return -1;
		}
		if (!type_allowed(g->cfg, mime)) {
			snprintf(out, len, "type:%s", mime);
			return 0;
		}
	}
	found = deny_match(g, fd, size);
	if (found < 0) {
		snprintf(out, len, "cannot map it: %s", strerror(errno));
		return -1;
	}
	if (found)
		snprintf(out, len, "deny-pattern:%d", found);
	return 0;
}

int bh_guard_inspect(struct bh_guard *g, struct bh_guard_entry *e)
{
	const struct bh_guard_config *cfg = g->cfg;
	char data[32], path[4200];
	int fd;

	bh_guard_data_name(data, sizeof(data), e->id);
	snprintf(path, sizeof(path), "%s/%s", cfg->staging, data);
	e->verdict = BH_GUARD_PASS;
	e->reason[0] = '\0';
	snprintf(e->filter, sizeof(e->filter), "none");
	if (cfg->max_size && e->size > cfg->max_size)
		return reject(e, "too-large%s", "");
	if ((g->magic || g->n_deny) && bh_guard_inspector_end(g, e))
		return -1;
	if (e->verdict != BH_GUARD_PASS)
		return 0;
	/* The filter gets the copy's path: the copy must be there (the inspector says when not). */
	fd = cfg->filter ? bh_guard_open_staged(g, e) : -1;
	if (fd < 0)
		return fd == -ENOENT || !cfg->filter ? 0 : -1;
	close(fd);
	if (cfg->filter && !bh_guard_filter(cfg->filter, path, cfg->filter_timeout_ms,
					    e->filter, sizeof(e->filter)))
		reject(e, "filter:%s", e->filter);
	return 0;
}

uint64_t bh_guard_rate_take(struct bh_guard *g, uint64_t now_ns)
{
	double burst = g->cfg->burst ? g->cfg->burst : g->cfg->rate;

	if (!g->cfg->rate)
		return 0;
	g->tokens += (double)(now_ns - g->refilled_ns) * g->cfg->rate / 1e9;
	if (g->tokens > burst)
		g->tokens = burst;
	g->refilled_ns = now_ns;
	if (g->tokens >= 1) {
		g->tokens -= 1;
		return 0;
	}
	return (uint64_t)((1 - g->tokens) * 1e9 / g->cfg->rate) + 1;
}
