// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: helpers shared by the suites.
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "genl.h"
#include "status.h"
#include "util.h"

/*
 * Run @cmd in the current (child) process: a plain list of words is run directly, anything
 * else through sh. A shell costs a tenth of a second per command under emulation, and the
 * suites run thousands of commands.
 */
static void exec_cmd(const char *cmd)
{
	char copy[1024], *argv[32], *save = NULL, *w;
	int argc = 0;

	/* Words separated by spaces, none of them shell syntax. */
	if (strlen(cmd) < sizeof(copy) && !strpbrk(cmd, "|&;<>()$`\\\"'\t*?[#~=%{}!\n")) {
		strcpy(copy, cmd);
		for (w = strtok_r(copy, " ", &save); w && argc < 31; w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		argv[argc] = NULL;
		/* Returns only when no such program exists: a builtin (cd, exit) or nothing. */
		if (argc > 0 && !w)
			execvp(argv[0], argv);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
}

/* Run @cmd in a child, as nobody when @nobody is set, collecting its output. */
static int run(char *out, size_t len, const char *cmd, bool nobody)
{
	size_t used = 0;
	int pipefd[2], st;
	ssize_t n;
	pid_t pid;
	char sink;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (nobody && become_nobody())
			_exit(126);
		exec_cmd(cmd);
		_exit(127);
	}
	close(pipefd[1]);
	while (used + 1 < len && (n = read(pipefd[0], out + used, len - 1 - used)) > 0)
		used += n;
	out[used] = '\0';
	/* Drain what did not fit so the command never blocks on a full pipe. */
	while (read(pipefd[0], &sink, 1) > 0)
		;
	close(pipefd[0]);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int run_cmd(char *out, size_t len, const char *cmd)
{
	return run(out, len, cmd, false);
}

int run_cmd_nobody(char *out, size_t len, const char *cmd)
{
	return run(out, len, cmd, true);
}

int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY_ID, NOBODY_ID, NOBODY_ID) ||
	    setresuid(NOBODY_ID, NOBODY_ID, NOBODY_ID))
		return -errno;
	return 0;
}

int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

int make_dirs(const char *const *paths)
{
	for (; *paths; paths++)
		if (mkdir(*paths, 0755) && errno != EEXIST)
			return -errno;
	return 0;
}

int copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out, err = 0;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	if (n < 0)
		err = -(errno ?: EIO);
	close(in);
	if (close(out) && !err)
		err = -errno;
	return err;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	remove(path);
	return 0;
}

void remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int sh(const char *fmt, ...)
{
	char cmd[1024], out[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return run_cmd(out, sizeof(out), cmd);
}

int reset_bulkhead(char *out, size_t len)
{
	int ret = run_cmd(out, len, "bulkhead load");

	if (!ret)
		ret = write_file("/tmp/bh-empty.bh", "") ? -1 :
		      run_cmd(out, len, "bulkhead mode off && bulkhead policy apply /tmp/bh-empty.bh");
	return ret;
}

int slow_factor(void)
{
	const char *s = getenv("BULKHEAD_SLOW");
	int n = s ? atoi(s) : 1;

	return n > 0 ? n : 1;
}

long long audit_stat(const char *name)
{
	char out[2048], key[64], *p;

	if (run_cmd(out, sizeof(out), "bulkhead audit stats -j"))
		return -1;
	snprintf(key, sizeof(key), "\"%s\":", name);
	p = strstr(out, key);
	return p ? atoll(p + strlen(key)) : -1;
}

int status_now(struct bh_status *st)
{
	struct bh_genl g;
	int err = bh_genl_open(&g);

	if (!err) {
		err = bh_status_get(&g, st);
		bh_genl_close(&g);
	}
	return err;
}

int pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}
