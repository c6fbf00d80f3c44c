// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host unit tests: the evidence generator (build/tools/bh-evidence) as "make evidence"
 * runs it. The verdict rules on small TAP written here, and reproducibility on TAP captured
 * from a real check run (tools/tests/evidence/): two runs of the same results differ only in
 * their timestamps and the run-specific facts of the environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "run_cli.h"

#define FIX "tools/tests/evidence"

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The whole of @path, NUL-terminated, or NULL. */
static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r"), *m = open_memstream(&buf, &len);
	int c;

	if (!f || !m)
		return NULL;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* "bh-evidence ARGS" with its messages in @out; its exit status. */
static int run_gen(const char *args, char *out, size_t len)
{
	return run_tool("bh-evidence", args, out, len);
}

/* A catalogue of seven requirements, one untested, and a map of their tests. */
static const char catalogue[] =
	"| cat:XX | a category |\n"
	"| FAU_GEN.1 | Audit data generation |\n"
	"| BH-T-1 | all tests pass | FAU_GEN.1 | all | yes |\n"
	"| BH-T-2 | one test fails | FAU_GEN.1 | XX | yes |\n"
	"| BH-T-3 | skipped only | FAU_GEN.1 | all | yes |\n"
	"| BH-T-4 | one passed, one skipped | FAU_GEN.1 | all | yes |\n"
	"| BH-T-5 | nothing tests it | FAU_GEN.1 | all | not yet |\n"
	"| BH-T-6 | its suite died | FAU_GEN.1 | all | yes |\n"
	"| BH-T-7 | ran on one kernel only | FAU_GEN.1 | all | yes |\n";
static const char map[] =
	"a_test:global.one      BH-T-1 BH-T-4\n"
	"a_test:global.two      BH-T-1 BH-T-2\n"
	"a_test:global.bad      BH-T-2\n"
	"a_test:global.skipped  BH-T-3 BH-T-4\n"
	"b_test:*               BH-T-6\n"
	"c_test:global.only_k1  BH-T-7\n";
static const char tap_k1[] =
	"# suite: a_test\n1..4\n"
	"#  RUN           global.one ...\nok 1 global.one\n"
	"#  RUN           global.two ...\nok 2 global.two\n"
	"#  RUN           global.bad ...\nnot ok 3 global.bad\n"
	"#  RUN           global.skipped ...\nok 4 # SKIP no such device here\n"
	"# suite-exit: a_test 1\n# suite-seconds: a_test 7\n"
	"# suite: b_test\n1..3\nok 1 global.first\n"
	"# suite: c_test\n1..1\nok 1 global.only_k1\n# suite-exit: c_test 0\n";
static const char tap_k2[] =
	"# suite: a_test\n1..4\nok 1 global.one\nok 2 global.two\nok 3 global.bad\n"
	"#  RUN           global.skipped ...\nok 4 # SKIP no such device here\n"
	"# suite-exit: a_test 0\n"
	"# suite: b_test\n1..1\nok 1 global.first\n# suite-exit: b_test 0\n"
	"# suite: c_test\n1..0\n# suite-exit: c_test 0\n# all-suites-done\n";

FIXTURE(rules) {
	char dir[64], out[8192];
	char *md;
};

FIXTURE_SETUP(rules)
{
	char path[128], args[1024];

	snprintf(self->dir, sizeof(self->dir), "/tmp/bh-evidence-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(path, sizeof(path), "%s/req.md", self->dir);
	ASSERT_EQ(0, write_text(path, catalogue));
	snprintf(path, sizeof(path), "%s/map", self->dir);
	ASSERT_EQ(0, write_text(path, map));
	snprintf(path, sizeof(path), "%s/k1.tap", self->dir);
	ASSERT_EQ(0, write_text(path, tap_k1));
	snprintf(path, sizeof(path), "%s/k2.tap", self->dir);
	ASSERT_EQ(0, write_text(path, tap_k2));
	snprintf(args, sizeof(args), "--catalogue %1$s/req.md --map %1$s/map --kernel k1=%1$s/k1.tap "
		 "--kernel k2=%1$s/k2.tap --now 2026-01-01T00:00:00Z --out %1$s/out", self->dir);
	ASSERT_EQ(0, run_gen(args, self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	snprintf(path, sizeof(path), "%s/out/report.md", self->dir);
	self->md = slurp(path);
	ASSERT_NE(NULL, self->md);
}

FIXTURE_TEARDOWN(rules)
{
	char cmd[128];

	free(self->md);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	system(cmd);
}

/* The requirement's row of the results table says @k1 and @k2. */
static int row_says(const char *md, const char *id, const char *k1, const char *k2)
{
	char row[256];

	snprintf(row, sizeof(row), "| %s | FAU_GEN.1 | %s | %s | %s |\n", id,
		 strcmp(id, "BH-T-2") ? "all" : "XX", k1, k2);
	return strstr(md, row) != NULL;
}

TEST_F(rules, pass_only_when_every_test_ran_and_passed)
{
	EXPECT_TRUE(row_says(self->md, "BH-T-1", "pass", "pass")) TH_LOG("%s", self->md);
}

TEST_F(rules, fail_when_any_test_failed)
{
	EXPECT_TRUE(row_says(self->md, "BH-T-2", "fail", "pass"));
}

TEST_F(rules, not_run_when_every_test_was_skipped)
{
	EXPECT_TRUE(row_says(self->md, "BH-T-3", "not run", "not run"));
}

TEST_F(rules, incomplete_when_some_did_not_run)
{
	EXPECT_TRUE(row_says(self->md, "BH-T-4", "incomplete", "incomplete"));
}

TEST_F(rules, untested_requirement_listed)
{
	EXPECT_TRUE(row_says(self->md, "BH-T-5", "not yet tested", "not yet tested"));
	EXPECT_NE(NULL, strstr(self->md, "| BH-T-5 | FAU_GEN.1 | nothing tests it |"));
}

TEST_F(rules, suite_cut_short_passes_nothing)
{
	/* k1's b_test planned 3 and never said how it ended */
	EXPECT_TRUE(row_says(self->md, "BH-T-6", "incomplete", "pass"));
	EXPECT_NE(NULL, strstr(self->md, "Suite b_test on k1 ended short"));
}

TEST_F(rules, absent_on_one_kernel_is_not_run_there)
{
	EXPECT_TRUE(row_says(self->md, "BH-T-7", "pass", "not run"));
}

TEST_F(rules, skip_reason_reported)
{
	EXPECT_NE(NULL, strstr(self->md, "| k1 | a_test:global.skipped | no such device here |"));
}

TEST_F(rules, both_directions_traced)
{
	EXPECT_NE(NULL, strstr(self->md, "| a_test:global.two | BH-T-1 BH-T-2 | pass | pass |"));
	EXPECT_NE(NULL, strstr(self->md, "### BH-T-2 (FAU_GEN.1)"));
}

TEST_F(rules, html_self_contained)
{
	char path[128], *html;

	snprintf(path, sizeof(path), "%s/out/report.html", self->dir);
	html = slurp(path);
	ASSERT_NE(NULL, html);
	EXPECT_NE(NULL, strstr(html, "<svg "));
	/* nothing fetched: no script, stylesheet or image from anywhere */
	EXPECT_EQ(NULL, strstr(html, "<script"));
	EXPECT_EQ(NULL, strstr(html, "<link"));
	EXPECT_EQ(NULL, strstr(html, "src="));
	free(html);
}

TEST(catalogue_errors_named)
{
	char out[4096];

	ASSERT_EQ(0, write_text("/tmp/bh-evidence-bad.md",
				"| BH-X-1 | a | FAU_GEN.1 | all | yes |\n"
				"| BH-X-2 | b | FAU_GEN.1 | all | maybe |\n"
				"| FAU_SAR.2 | Restricted audit review |\n"));
	ASSERT_EQ(0, write_text("/tmp/bh-evidence-bad.map", "t:x BH-X-9\n"));
	EXPECT_EQ(1, run_gen("--catalogue /tmp/bh-evidence-bad.md --map /tmp/bh-evidence-bad.map "
			     "--check", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "bh-evidence-bad.md:2: BH-X-2: the tested column says"));
	EXPECT_NE(NULL, strstr(out, "bh-evidence-bad.md:1: BH-X-1 says tested, but no line"));
	EXPECT_NE(NULL, strstr(out, "bh-evidence-bad.map:1: requirement BH-X-9 is not defined"));
	EXPECT_NE(NULL, strstr(out, "bh-evidence-bad.md:3: no requirement supports FAU_SAR.2"));
	unlink("/tmp/bh-evidence-bad.md");
	unlink("/tmp/bh-evidence-bad.map");
}

/* The repository's own catalogue agrees with itself and with the map. */
TEST(project_catalogue_consistent)
{
	char out[4096];

	EXPECT_EQ(0, run_gen("--catalogue docs/requirements.md --map selftests/requirements.map "
			     "--check", out, sizeof(out))) TH_LOG("%s", out);
}

/*
 * Mask what may differ between two runs of one commit: the generation time and what is
 * derived from it (OSCAL's UUIDs and times), and the values of run-specific facts.
 */
static void mask(char *json)
{
	static const char *const keys[] = { "\"generated_at\"", "\"uuid\"", "\"observation-uuid\"",
		"\"last-modified\"", "\"start\"", "\"end\"", "\"collected\"" };
	char *line = json;

	while (line && *line) {
		char *next = strchr(line, '\n'), *colon = strstr(line, "\": ");
		bool hide = false;

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			hide |= !strncmp(line + strspn(line, " "), keys[i], strlen(keys[i]));
		/* an environment item: "value" is followed by its "run_specific" */
		if (next && !strncmp(line + strspn(line, " "), "\"value\"", 7) &&
		    !strncmp(next + 1 + strspn(next + 1, " "), "\"run_specific\": true", 20))
			hide = true;
		if (hide && colon && (!next || colon < next))
			for (char *p = colon + 3; p < (next ? next : line + strlen(line)); p++)
				*p = '#';
		line = next ? next + 1 : NULL;
	}
}

static int generate(const char *dir, const char *now, const char *env, const char *k1)
{
	char args[2048], out[4096], path[256];

	snprintf(path, sizeof(path), "%s.env", dir);
	if (write_text(path, env))
		return -1;
	snprintf(args, sizeof(args), "--catalogue docs/requirements.md "
		 "--map selftests/requirements.map --host " FIX "/host.tap --host " FIX "/hooks.tap "
		 "--host " FIX "/map.tap --kernel 6.1=%s --kernel 6.12=" FIX "/6.12.tap "
		 "--env %s --now %s --out %s", k1, path, now, dir);
	return run_gen(args, out, sizeof(out));
}

/* Two runs: the same TAP, another time and other trail sequence numbers. */
TEST(reproducible_but_for_time_and_sequence)
{
	static const char *const files[] = { "report.json", "assessment-results.json" };
	const char *env1 = "build\tgit commit\t0123abcd\n~trail sequence\t6.1 seg-001\t"
			   "verified: 200 records, seq 1..200\n";
	const char *env2 = "build\tgit commit\t0123abcd\n~trail sequence\t6.1 seg-001\t"
			   "verified: 251 records, seq 1..251\n";
	char a[256], b[256];

	ASSERT_EQ(0, generate("/tmp/bh-evidence-r1", "2026-01-01T00:00:00Z", env1,
			      FIX "/6.1.tap"));
	ASSERT_EQ(0, generate("/tmp/bh-evidence-r2", "2026-02-02T12:34:56Z", env2,
			      FIX "/6.1.tap"));
	for (size_t i = 0; i < 2; i++) {
		char *x, *y;

		snprintf(a, sizeof(a), "/tmp/bh-evidence-r1/%s", files[i]);
		snprintf(b, sizeof(b), "/tmp/bh-evidence-r2/%s", files[i]);
		x = slurp(a);
		y = slurp(b);
		ASSERT_NE(NULL, x);
		ASSERT_NE(NULL, y);
		EXPECT_NE(0, strcmp(x, y)) TH_LOG("%s: the runs should differ before masking",
						  files[i]);
		mask(x);
		mask(y);
		EXPECT_EQ(0, strcmp(x, y)) TH_LOG("%s differs beyond time and sequence", files[i]);
		free(x);
		free(y);
	}
	system("rm -rf /tmp/bh-evidence-r1 /tmp/bh-evidence-r2 /tmp/bh-evidence-r*.env");
}

/* @tap with its first "ok 1 NAME" turned into "not ok 1 NAME", written to @path. */
static int with_failure(const char *tap, const char *name, const char *path)
{
	char want[256];
	const char *p;
	FILE *f;

	snprintf(want, sizeof(want), "\nok 1 %s\n", name);
	p = strstr(tap, want);
	f = p ? fopen(path, "w") : NULL;
	if (!f)
		return -1;
	fprintf(f, "%.*s\nnot ok 1 %s\n%s", (int)(p - tap), tap, name, p + strlen(want));
	return fclose(f);
}

/* The mask hides no result: a test that failed instead shows through it. */
TEST(mask_keeps_results)
{
	char *x, *y, *tap = slurp(FIX "/6.1.tap");

	ASSERT_NE(NULL, tap);
	ASSERT_EQ(0, with_failure(tap, "global.lock_needs_both_capabilities",
				  "/tmp/bh-evidence-changed.tap"));
	ASSERT_EQ(0, generate("/tmp/bh-evidence-r1", "2026-01-01T00:00:00Z", "", FIX "/6.1.tap"));
	ASSERT_EQ(0, generate("/tmp/bh-evidence-r2", "2026-01-01T00:00:00Z", "",
			      "/tmp/bh-evidence-changed.tap"));
	x = slurp("/tmp/bh-evidence-r1/report.json");
	y = slurp("/tmp/bh-evidence-r2/report.json");
	ASSERT_NE(NULL, x);
	ASSERT_NE(NULL, y);
	mask(x);
	mask(y);
	EXPECT_NE(0, strcmp(x, y));
	free(x);
	free(y);
	free(tap);
	system("rm -rf /tmp/bh-evidence-r1 /tmp/bh-evidence-r2 /tmp/bh-evidence-r*.env "
	       "/tmp/bh-evidence-changed.tap");
}

/* NIST's schema beside the repository (as make evidence finds it), checked by Debian's
 * python3-jsonschema, on the document made from the captured TAP.
 */
#define OSCAL_SCHEMA "../shared/oscal/oscal_assessment-results_schema-1.0.0.json"

TEST(oscal_document_validates)
{
	char out[4096];
	FILE *p;
	size_t n;

	if (access(OSCAL_SCHEMA, R_OK))
		SKIP(return, "no OSCAL schema at %s", OSCAL_SCHEMA);
	ASSERT_EQ(0, generate("/tmp/bh-evidence-r1", "2026-01-01T00:00:00Z", "", FIX "/6.1.tap"));
	p = popen("/usr/bin/python3 -c 'import json, sys, jsonschema\n"
		  "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' "
		  OSCAL_SCHEMA " /tmp/bh-evidence-r1/assessment-results.json 2>&1", "r");
	ASSERT_NE(NULL, p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	EXPECT_EQ(0, WEXITSTATUS(pclose(p))) TH_LOG("%s", out);
	system("rm -rf /tmp/bh-evidence-r1 /tmp/bh-evidence-r1.env");
}

TEST_HARNESS_MAIN
