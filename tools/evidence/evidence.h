/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead evidence generator ("make evidence"): the requirement catalogue, the test map and
 * the TAP a check produced, turned into per-requirement, per-kernel results and the reports a
 * certification lab files. One model; every output format walks the same one.
 */
#ifndef BULKHEAD_EVIDENCE_H
#define BULKHEAD_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One test's result on one target, as its TAP says (MISSING: the TAP does not have it). */
enum outcome { OUT_PASS, OUT_FAIL, OUT_SKIP, OUT_MISSING };

/*
 * A requirement on one target: PASS when every mapped test ran and passed there, FAIL when any
 * failed, NOT_RUN when none ran (skipped or absent), INCOMPLETE when some passed and the rest
 * did not run, NA when none of its tests is of the target's kind (a host unit test on a
 * kernel), UNTESTED when no test is mapped to it at all.
 */
enum verdict { V_PASS, V_FAIL, V_INCOMPLETE, V_NOT_RUN, V_NA, V_UNTESTED, V_COUNT };

struct req {
	char *id, *text, *cc, *category;
	bool marked_untested;	/* the catalogue's "tested" column says "not yet" */
	int line;
};

/* A Common Criteria component the catalogue covers, or a product category (id: its code). */
struct group {
	char *id, *title;
	int line;
};

/* Does the requirement belong to the group named @id (supports the component, is in the
 * category)?
 */
typedef bool (*group_pick)(const struct req *r, const char *id);

struct map_row {
	char *pattern;
	char **ids;
	size_t n_ids;
	int line;
};

struct result {
	char *test;		/* suite:name, as selftests/requirements.map names it */
	enum outcome outcome;
	char *reason;		/* a skip's reason, else NULL */
};

struct suite_run {
	char *name;
	long seconds;		/* -1 when the TAP does not say */
	int exit_status;	/* -1 when the TAP does not say */
	long planned, reported;	/* its "1..N" plan and the numbered results it reported */
	bool failed;		/* a "not ok" of its own */
};

/* Did the suite end short: a crash, a non-zero exit without a failure, or tests never reported? */
bool suite_cut_short(const struct suite_run *s);

struct target {
	char *label;		/* "host", or a kernel id */
	bool host;		/* host unit tests and checks, not a VM */
	struct result *results;
	size_t n_results;
	struct suite_run *suites;
	size_t n_suites;
};

/* One fact of the environment; run_specific ones may differ between two runs of one commit. */
struct env_item {
	char *section, *key, *value;
	bool run_specific;
};

struct model {
	struct req *reqs;
	size_t n_reqs;
	struct group *ccs;
	size_t n_ccs;
	struct group *cats;
	size_t n_cats;
	struct map_row *map;
	size_t n_map;
	struct target *targets;
	size_t n_targets;
	struct env_item *env;
	size_t n_env;
	char *generated_at;	/* ISO 8601 UTC */
	enum verdict *matrix;	/* [req * n_targets + target], from model_verdicts() */
	char *catalogue_path, *map_path;
};

/* A requirement's test on one target. */
struct req_test {
	const char *test;
	enum outcome outcome;
	const char *reason;
};

/* util.c */
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *trim(char *s);
#define GROW(arr, n) ((arr) = xrealloc_array((arr), (n) + 1, sizeof(*(arr))), &(arr)[(n)++])
void *xrealloc_array(void *p, size_t n, size_t size);
int fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* catalogue.c */
int catalogue_read(struct model *m, const char *path);
int map_read(struct model *m, const char *path);
int catalogue_check(const struct model *m);
bool req_mapped(const struct model *m, const char *id);
bool req_supports(const struct req *r, const char *cc);
bool req_in_category(const struct req *r, const char *code);

/* tap.c */
int tap_read(struct target *t, const char *path);
int tap_parse(struct target *t, FILE *in, const char *path);

/* env.c */
int env_read(struct model *m, const char *path);

/* verdict.c */
enum verdict verdict_of(const enum outcome *o, size_t n);
const char *verdict_name(enum verdict v);
const char *outcome_name(enum outcome o);
size_t req_tests(const struct model *m, const struct req *r, const struct target *t,
		 struct req_test **out);
enum verdict req_verdict(const struct model *m, const struct req *r, const struct target *t);
void model_verdicts(struct model *m);
#define VERDICT(m, ri, ti) ((m)->matrix[(ri) * (m)->n_targets + (ti)])
void target_counts(const struct target *t, size_t counts[4]);
size_t test_reqs(const struct model *m, const char *test, const char **ids, size_t max);
const char *req_family(const struct req *r, char *buf, size_t len);
size_t all_tests(const struct model *m, const char ***out);
const struct result *result_of(const struct target *t, const char *test);

/*
 * The human-readable report is written once (out_doc.c) through a sink: Markdown (out_md.c)
 * and HTML (out_html.c) say the same things in their own markup; only HTML draws charts.
 */
struct sink {
	FILE *f;
	void (*begin)(struct sink *s, const char *title);
	void (*heading)(struct sink *s, int level, const char *text);
	void (*para)(struct sink *s, const char *text);
	void (*table)(struct sink *s, size_t cols, const char *const *head);
	void (*row)(struct sink *s, const char *const *cells);
	void (*table_end)(struct sink *s);
	/* one bar per target: how many of the family's requirements got each verdict there */
	void (*chart)(struct sink *s, const char *family, const struct model *m,
		      const size_t (*counts)[V_COUNT]);
	void (*end)(struct sink *s);
	size_t cols;
};

void report_doc(const struct model *m, struct sink *s);
void sink_md(struct sink *s, FILE *f);
void sink_html(struct sink *s, FILE *f);

/* out_*.c: each writes one file of DIR */
int out_json(const struct model *m, FILE *f);
int out_oscal(const struct model *m, FILE *f);

#endif /* BULKHEAD_EVIDENCE_H */
