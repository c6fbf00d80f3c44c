/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead CLI: which records "audit tail" and "audit report" read - the filters both take and
 * the sources (the module's ring, or recorded trail files).
 */
#ifndef BULKHEAD_AUDIT_SELECT_H
#define BULKHEAD_AUDIT_SELECT_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/bulkhead.h>
#include "audit_codec.h"

/* The filters, as the help and the man page list them (audit_select.c reads the same). */
#define CLI_AUDIT_FILTERS "[--domain D] [--from D] [--to D] [--subject D] [--exchange X] " \
	"[--type T] [--decision D] " \
	"[--hook H] [--channel C] [--path PREFIX] [--pid P] [--uid U] [--auid U] " \
	"[--since-seq N] [--until-seq N] [--since WHEN] [--until WHEN]"

/* How many long options of its own a selecting command may have. */
#define CLI_AUDIT_MAX_OWN	8

/* A number filter that selects every value (none is larger than 32 bits). */
#define CLI_AUDIT_ANY		UINT64_MAX

struct cli_audit_filter {
	const char *domain;	/* from or to */
	const char *from, *to;	/* the flow's source, its destination */
	const char *subject;	/* the acting task's own domain */
	const char *exchange;	/* a transfer's exchange */
	int type, decision, hook;	/* -1: any */
	unsigned int channel;	/* a BULKHEAD_CHAN_* bit; 0: any */
	const char *path;	/* a prefix of the object's path */
	uint64_t pid, uid, auid;	/* CLI_AUDIT_ANY: any */
	uint64_t since_seq, until_seq;
	uint64_t since_ns, until_ns;	/* realtime */
};

/* One reading of the trail: what it selects, and who is handed each record selected. */
struct cli_audit_select {
	const char *cmd;	/* "audit tail", for messages */
	bool follow;		/* keep reading the ring (-f) */
	struct cli_audit_filter f;
	void (*each)(void *ctx, const struct bh_audit_record *r);
	void *ctx;
	/* The domains and exchanges the records read name: what a filter could have named. */
	struct cli_audit_names {
		char (*name)[BULKHEAD_NAME_LEN];
		size_t n;
	} domains, exchanges;
};

/* Start @s for command @cmd with no filter; @each gets every record selected. */
void cli_audit_select_init(struct cli_audit_select *s, const char *cmd,
			   void (*each)(void *ctx, const struct bh_audit_record *r), void *ctx);

/*
 * Read the options in @argv: the command's own (@own, NULL-terminated, at most
 * CLI_AUDIT_MAX_OWN; @shortopts their short forms) go to @take(@ctx, c, optarg), which returns
 * an exit status; the filters go into @s. Returns an exit status (EXIT_USAGE after a usage
 * error: a value that names nothing, listing those that would, or an option neither takes);
 * optind is then the first file.
 */
int cli_audit_options(struct cli_audit_select *s, int argc, char **argv, const char *shortopts,
		      const struct option *own, int (*take)(void *ctx, int c, const char *arg),
		      void *ctx);

/*
 * Read the @n_files files named (or the ring when there are none, following it when
 * s->follow) and hand each selected record to s->each. An exit status: a domain filter naming
 * a domain no record read names is a usage error naming those they do.
 */
int cli_audit_read(struct cli_audit_select *s, char **files, int n_files);

/* Release what @s collected. */
void cli_audit_select_free(struct cli_audit_select *s);

#endif /* BULKHEAD_AUDIT_SELECT_H */
