// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead send OUTBOX FILE...: a sender's files into its exchange's outbox, each under its
 * own name (tools/lib/exchange_send.c says how, and why cp and mv will not do there).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exchange_send.h"

static int send_one(int dirfd, const char *outbox, const char *file)
{
	char copy[4096];
	const char *why, *name;
	uint64_t bytes;
	int src, err;

	if (snprintf(copy, sizeof(copy), "%s", file) >= (int)sizeof(copy)) {
		cli_error("send: %s: name too long", file);
		return EXIT_FAIL;
	}
	name = basename(copy);
	src = open(file, O_RDONLY | O_CLOEXEC);
	if (src < 0) {
		cli_error("send: %s: %s", file, strerror(errno));
		return EXIT_FAIL;
	}
	err = bh_exchange_send(dirfd, name, src, &bytes, &why);
	close(src);
	if (err == -EEXIST) {
		cli_error("send: %s: %s is still waiting in %s for the guard; send it later or under another name",
			  file, name, outbox);
		return EXIT_FAIL;
	}
	if (err == -EINVAL && why) {
		cli_error("send: %s: the guard refuses this name (%s): a plain file name, not beginning with '.'",
			  file, why);
		return EXIT_FAIL;
	}
	if (err) {
		cli_error("send: %s: into %s: %s", file, outbox, strerror(-err));
		return EXIT_FAIL;
	}
	if (!cli_quiet)
		printf("sent %s (%llu bytes) to %s\n", name, (unsigned long long)bytes, outbox);
	return EXIT_OK;
}

int cmd_send(int argc, char **argv)
{
	int dirfd, i, status = EXIT_OK;

	if (argc < 3)
		return cli_usage("send", "expected an outbox and at least one file");
	/* O_PATH: the outbox is only written, never opened for reading (no listing either). */
	dirfd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		cli_error("send: %s: %s", argv[1], strerror(errno));
		return EXIT_FAIL;
	}
	for (i = 2; i < argc; i++)
		if (send_one(dirfd, argv[1], argv[i]) != EXIT_OK)
			status = EXIT_FAIL;
	close(dirfd);
	return status;
}
