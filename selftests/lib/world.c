// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: a two-domain world for enforcement tests.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "world.h"

int world_make(const char *flows, const char *mode, char *log, size_t len)
{
	return world_make_with("", "", flows, mode, log, len);
}

int world_make_with(const char *a_bindings, const char *b_bindings, const char *flows,
		    const char *mode, char *log, size_t len)
{
	char policy[2048], cmd[256];

	world_remove();
	/* Loaded once and kept (a load after a load only checks): loading verifies every BPF
	 * program, slow under emulation.
	 */
	if (run_cmd(log, len, "bulkhead load"))
		return -1;
	if (make_dirs((const char *const[]){ "/sys/fs/cgroup/bhe", "/sys/fs/cgroup/bhe/a",
					     "/sys/fs/cgroup/bhe/b", "/tmp/bhe", "/tmp/bhe/a",
					     "/tmp/bhe/b", "/tmp/bhe/b/d", NULL }) ||
	    write_file("/tmp/bhe/a/fa", "a\n") || write_file("/tmp/bhe/b/fb", "b\n") ||
	    copy_file("/bin/dash", "/tmp/bhe/b/prog", 0755)) {
		snprintf(log, len, "cannot make the world's files: %s", strerror(errno));
		return -1;
	}
	snprintf(policy, sizeof(policy),
		 "domain a {\n cgroup /bhe/a\n path /tmp/bhe/a\n %s\n}\n"
		 "domain b {\n cgroup /bhe/b\n path /tmp/bhe/b\n %s\n}\n"
		 /* Both may read and run the host's software, as real policies allow. */
		 "flow host -> a { file exec }\nflow host -> b { file exec }\n%s\n", a_bindings,
		 b_bindings, flows);
	if (write_file("/tmp/bhe-policy.bh", policy) ||
	    run_cmd(log, len, "bulkhead policy apply /tmp/bhe-policy.bh"))
		return -1;
	snprintf(cmd, sizeof(cmd), "bulkhead mode %s", mode);
	return run_cmd(log, len, cmd) ? -1 : 0;
}

void world_remove(void)
{
	char out[512];

	run_cmd(out, sizeof(out), "bulkhead mode off");
	remove_tree("/tmp/bhe");
	unlink("/tmp/bhe-policy.bh");
	rmdir("/sys/fs/cgroup/bhe/a");
	rmdir("/sys/fs/cgroup/bhe/b");
	rmdir("/sys/fs/cgroup/bhe");
}

static int join_cgroup(const char *cgroup)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", cgroup);
	return write_file(path, "0");
}

int run_in_cgroup(const char *cgroup, int (*op)(void *arg), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (join_cgroup(cgroup))
			_exit(255);
		_exit(op(arg) & 0xff);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) == 255)
		return -1;
	return WEXITSTATUS(status);
}

int measure_in_cgroup(const char *cgroup, int (*measure)(void *arg, double *out), void *arg,
		      double *out, size_t n)
{
	size_t size = n * sizeof(*out);
	int pipefd[2], status, ret = -1;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		double *mine = calloc(n, sizeof(*mine));

		close(pipefd[0]);
		if (!mine || join_cgroup(cgroup) || measure(arg, mine))
			_exit(1);
		_exit(write(pipefd[1], mine, size) == (ssize_t)size ? 0 : 1);
	}
	close(pipefd[1]);
	if (pid > 0 && read(pipefd[0], out, size) == (ssize_t)size)
		ret = 0;
	if (pid > 0 && (waitpid(pid, &status, 0) != pid || status))
		ret = -1;
	close(pipefd[0]);
	return ret;
}

pid_t sleeper_in_cgroup(const char *cgroup)
{
	int pipefd[2];
	pid_t pid;
	char c = 0;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		if (join_cgroup(cgroup))
			_exit(1);
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pipefd[1]);
	/* Return only once the sleeper is in its cgroup. */
	if (pid < 0 || read(pipefd[0], &c, 1) != 1) {
		if (pid > 0)
			kill(pid, SIGKILL);
		pid = -1;
	}
	close(pipefd[0]);
	return pid;
}
