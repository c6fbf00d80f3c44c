/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead selftests: helpers shared by the suites.
 */
#ifndef BULKHEAD_SELFTEST_UTIL_H
#define BULKHEAD_SELFTEST_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#define NOBODY_ID 65534

/*
 * Run @cmd with /bin/sh, collecting stdout and stderr into @out (NUL-terminated, truncated to
 * @len). Returns the exit status, or -1 when the command could not run or was killed.
 */
int run_cmd(char *out, size_t len, const char *cmd);

/* run_cmd() as user nobody (see become_nobody()). */
int run_cmd_nobody(char *out, size_t len, const char *cmd);

/* Become uid/gid nobody with no supplementary groups and no capabilities. 0 or -errno. */
int become_nobody(void);

/* Read the first line of @path into @buf; 0 or -errno. */
int read_line(const char *path, char *buf, size_t len);

/* Write @text to @path (created or truncated); 0 or -errno. */
int write_file(const char *path, const char *text);

/* Make each directory of the NULL-terminated @paths, parents first; 0 or -errno. */
int make_dirs(const char *const *paths);

/* Copy @from to @to, made with @mode; 0 or -errno. */
int copy_file(const char *from, const char *to, mode_t mode);

/* Remove @path and everything below it, as rm -rf does, without following links. */
void remove_tree(const char *path);

/* Run a shell command built from @fmt, discarding its output; its exit status, or -1. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Make sure bulkhead is loaded, in mode off, with an empty policy: a clean start without
 * reloading (a load verifies every BPF program, slow under emulation). 0 or the failing
 * command's exit status, its output in @out.
 */
int reset_bulkhead(char *out, size_t len);

/*
 * How many times longer every wait must be on this kernel: BULKHEAD_SLOW from the kernel
 * command line (the debug kernel of "make check-debug"), else 1.
 */
int slow_factor(void);

/* One counter or setting of "bulkhead audit stats -j" (next_seq, lost, capacity, ...), or -1. */
long long audit_stat(const char *name);

/* The module's status (generation, hash, mode, hooks), on a netlink socket of its own. */
struct bh_status;
int status_now(struct bh_status *st);

/* Run the calling task on CPU @cpu only (benchmarks keep their measuring task alone). */
int pin_to(int cpu);

#endif /* BULKHEAD_SELFTEST_UTIL_H */
