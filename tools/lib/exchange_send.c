// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the sender's side of an exchange (docs/exchange.md, "The sender's protocol").
 *
 * The sender's domain may write its outbox but not read it: no listing, no stat, not even of
 * what it wrote (an outbox is a domain of its own, and nothing flows back from it). So the
 * usual tools fail there - cp and mv stat their destination - and this one touches the outbox
 * only by writing: a ".NAME.part" file created, filled, flushed and closed, then renamed to
 * NAME without replacing anything. The guard never takes a dot name, so it sees the whole file
 * or nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exchange_send.h"
#include "guard.h"
#include "guard_int.h"

/* The part file's name for @name, or -ENAMETOOLONG. */
static int part_name(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, ".%s.part", name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int copy_all(int src, int dst, uint64_t *bytes)
{
	char buf[128 * 1024];
	ssize_t n, w, off;

	for (;;) {
		n = read(src, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		for (off = 0; off < n; off += w) {
			w = write(dst, buf + off, n - off);
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0)
				return -errno;
		}
		*bytes += n;
	}
}

/* NAME appears whole or not at all, and never over a file of that name still waiting. */
static int publish(int dirfd, const char *part, const char *name)
{
	if (!renameat2(dirfd, part, dirfd, name, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL)
		return -errno;
	/* A file system without RENAME_NOREPLACE: link refuses an existing name too. */
	if (linkat(dirfd, part, dirfd, name, 0))
		return -errno;
	unlinkat(dirfd, part, 0);
	return 0;
}

int bh_exchange_send(int dirfd, const char *name, int src, uint64_t *bytes, const char **why)
{
	char part[BH_GUARD_NAME_MAX + 8];
	int fd, err;

	*bytes = 0;
	/* A dot name is a transfer in progress to the guard: it would never take it. */
	*why = name[0] == '.' ? "dot-name" : bh_guard_name_refusal(name);
	if (*why)
		return -EINVAL;
	if (part_name(part, sizeof(part), name)) {
		*why = "name-too-long";
		return -ENAMETOOLONG;
	}
	*why = NULL;
	/*
	 * A part file left by an interrupted send is reused (truncated): the sender cannot see
	 * whether one is there, and only it and the guard, which ignores it, can write there.
	 */
	fd = openat(dirfd, part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	err = copy_all(src, fd, bytes);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err)
		err = publish(dirfd, part, name);
	if (err)
		unlinkat(dirfd, part, 0);
	return err;
}
