/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead host tests: one exchange in a private temporary directory - outbox, inbox, staging
 * and quarantine - with its records kept in memory, for the guard's test files.
 */
#ifndef BULKHEAD_GUARD_FIXTURE_H
#define BULKHEAD_GUARD_FIXTURE_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guard.h"

struct exchange {
	char root[64];
	char outbox[96], inbox[96], staging[96], quarantine[96];
	struct bh_guard_config cfg;
	char *records;			/* every JSON line the sink got */
	size_t records_len;
	FILE *records_out;
	struct bh_guard_sink sink;	/* JSON lines into records */
	struct bh_guard_sink *sinks;	/* where records go: &sink unless a test chains */
};

static inline void exchange_setup(struct exchange *x)
{
	memset(x, 0, sizeof(*x));
	snprintf(x->root, sizeof(x->root), "/tmp/bh-guard-XXXXXX");
	if (!mkdtemp(x->root))
		abort();
	snprintf(x->outbox, sizeof(x->outbox), "%s/outbox", x->root);
	snprintf(x->inbox, sizeof(x->inbox), "%s/inbox", x->root);
	snprintf(x->staging, sizeof(x->staging), "%s/staging", x->root);
	snprintf(x->quarantine, sizeof(x->quarantine), "%s/quarantine", x->root);
	mkdir(x->outbox, 0755);
	mkdir(x->inbox, 0755);
	x->cfg.name = "test";
	x->cfg.outbox = x->outbox;
	x->cfg.inbox = x->inbox;
	x->cfg.staging = x->staging;
	x->cfg.quarantine = x->quarantine;
	x->cfg.filter_timeout_ms = 2000;
	x->records_out = open_memstream(&x->records, &x->records_len);
	bh_guard_sink_json(&x->sink, x->records_out);
	x->sinks = &x->sink;
}

static inline void exchange_teardown(struct exchange *x)
{
	char cmd[128];

	fclose(x->records_out);
	free(x->records);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", x->root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", x->root);
}

/* Open the exchange, run it once, close it; the number of files finished, or -1. */
static inline int exchange_run(struct exchange *x, void (*hook)(enum bh_guard_step))
{
	char err[512];
	struct bh_guard *g = bh_guard_open(&x->cfg, x->sinks, err, sizeof(err));
	int n;

	if (!g) {
		fprintf(stderr, "bh_guard_open: %s\n", err);
		return -1;
	}
	bh_guard_set_hook(g, hook);
	n = bh_guard_run_once(g);
	if (n < 0)
		fprintf(stderr, "bh_guard_run_once: %s\n", bh_guard_error(g));
	bh_guard_close(g);
	fflush(x->records_out);
	return n;
}

/* Write @len bytes of @data as DIR/NAME, as a sender following the protocol would. */
static inline int put_file(const char *dir, const char *name, const void *data, size_t len)
{
	char tmp[512], final[512];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s/.%s.part", dir, name);
	snprintf(final, sizeof(final), "%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd))
		return -1;
	return rename(tmp, final);
}

/* DIR/NAME's content into @buf (NUL-terminated); its length, or -1. */
static inline ssize_t get_file(const char *dir, const char *name, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Entries in @dir (dot names too when @all), "." and ".." never. */
static inline int count_files(const char *dir, int all)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    (all || d->d_name[0] != '.'))
			n++;
	closedir(dp);
	return n;
}

/* How many records contain @text. */
static inline int records_with(struct exchange *x, const char *text)
{
	const char *p = x->records;
	int n = 0;

	fflush(x->records_out);
	while (p && (p = strstr(p, text))) {
		n++;
		p += strlen(text);
	}
	return n;
}

/* A kselftest fixture @name holding one exchange, set up and removed around each test. */
#define EXCHANGE_FIXTURE(name)				\
	FIXTURE(name) {					\
		struct exchange x;			\
	};						\
	FIXTURE_SETUP(name)				\
	{						\
		exchange_setup(&self->x);		\
	}						\
	FIXTURE_TEARDOWN(name)				\
	{						\
		exchange_teardown(&self->x);		\
	}

#endif /* BULKHEAD_GUARD_FIXTURE_H */
