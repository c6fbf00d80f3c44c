// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: "policy check --live" finds, without the kernel and without applying,
 * every binding the kernel would refuse on this host - a path that does not resolve, a cgroup
 * that does not exist (a plain directory is none), an interface that does not exist, one
 * object bound twice under two names - all in one run, beside the file's own errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "parser.h"
#include "policy_live.h"
#include "run_cli.h"

/* A scratch tree: cg/ a stand-in cgroup v2 root, data/ a directory, link a link to it. */
FIXTURE(live) {
	char dir[64];
	char cgroup_root[96];
};

static void touch(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

FIXTURE_SETUP(live)
{
	char path[256];

	strcpy(self->dir, "/tmp/bh-live-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->cgroup_root, sizeof(self->cgroup_root), "%s/cg", self->dir);
	ASSERT_EQ(0, mkdir(self->cgroup_root, 0755));
	touch(self->cgroup_root, "cgroup.procs");
	snprintf(path, sizeof(path), "%s/low", self->cgroup_root);
	ASSERT_EQ(0, mkdir(path, 0755));
	touch(path, "cgroup.procs");
	snprintf(path, sizeof(path), "%s/plain", self->cgroup_root);
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/data", self->dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/link", self->dir);
	ASSERT_EQ(0, symlink("data", path));
}

FIXTURE_TEARDOWN(live)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Parse @text (every %s the scratch directory) and check it live; the problems printed. */
static int check(const char *dir, const char *cgroup_root, const char *text, char **report)
{
	char policy[1024];
	struct bh_policy p;
	size_t len;
	FILE *err = open_memstream(report, &len);
	int problems;

	snprintf(policy, sizeof(policy), text, dir, dir, dir, dir);
	bh_policy_init(&p);
	problems = bh_parse_text(&p, "t.bh", policy, err);
	problems += bh_policy_check_live(&p, cgroup_root, err);
	bh_policy_free(&p);
	fclose(err);
	return problems;
}

/* BH-POL-11: what resolves passes. */
TEST_F(live, resolving_policy_passes)
{
	char *report = NULL;

	EXPECT_EQ(0, check(self->dir, self->cgroup_root,
			   "domain low { cgroup /low path %s/data netdev lo }\n"
			   "domain high { cgroup / path %s }\n", &report)) {
		TH_LOG("%s", report);
	}
	free(report);
}

/* BH-POL-11, BH-POL-2: every binding the kernel would refuse, each at its place, in one run. */
TEST_F(live, every_refusal_reported)
{
	static const char *const says[] = {
		"t.bh:2:15: no cgroup /plain under /tmp/bh-live-",
		"t.bh:2:29: no cgroup /missing under /tmp/bh-live-",
		"t.bh:3:12: path /tmp/bh-live-",	/* .../none does not resolve */
		"/none does not resolve: No such file or directory\n",
		"t.bh:3:42: no network interface bh-none0 in this network namespace\n",
		"t.bh:4:12: path /tmp/bh-live-",	/* .../link is .../data */
		"/link is /tmp/bh-live-",
		"/data, bound already at t.bh:1\n",
		"t.bh:5:12: expected a binding",	/* the file's own error, still */
	};
	char *report = NULL;
	unsigned int i;

	EXPECT_EQ(6, check(self->dir, self->cgroup_root,
			   "domain low { cgroup /low path %s/data netdev lo }\n"
			   "domain high { cgroup /plain cgroup /missing }\n"
			   "domain b { path %s/none netdev bh-none0 }\n"
			   "domain c { path %s/link }\n"
			   "domain d { 42 }\n", &report)) {
		TH_LOG("%s", report);
	}
	for (i = 0; i < ARRAY_SIZE(says); i++)
		EXPECT_NE(NULL, strstr(report, says[i])) TH_LOG("line %u missing: %s", i, report);
	free(report);
}

/* BH-POL-11: a host without a cgroup v2 hierarchy there is named as such. */
TEST_F(live, no_cgroup_hierarchy)
{
	char *report = NULL;

	EXPECT_EQ(1, check(self->dir, self->dir, "domain low { cgroup /low }\n", &report));
	EXPECT_NE(NULL, strstr(report, "cgroup /low: no cgroup v2 hierarchy is mounted at /tmp/bh-live-")) {
		TH_LOG("%s", report);
	}
	free(report);
}

/* BH-POL-11, BH-CLI-1: the CLI's --live, with no module loaded: problems counted, exit 2. */
TEST_F(live, cli_reports_all)
{
	char file[128], args[256], out[4096];
	FILE *f;

	snprintf(file, sizeof(file), "%s/p.bh", self->dir);
	f = fopen(file, "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "domain a { path %s/none netdev bh-none0 }\ndomain b { path %s/link netdev lo }\n",
		self->dir, self->dir);
	ASSERT_EQ(0, fclose(f));
	snprintf(args, sizeof(args), "policy check --live %s", file);
	EXPECT_EQ(2, run_cli(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "/none does not resolve")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "no network interface bh-none0")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "p.bh: 2 problems\n")) TH_LOG("%s", out);
	/* Without --live the file alone is checked, and it is well formed. */
	snprintf(args, sizeof(args), "policy check %s", file);
	EXPECT_EQ(0, run_cli(args, out, sizeof(out))) TH_LOG("%s", out);
	snprintf(args, sizeof(args), "policy check --liev %s", file);
	EXPECT_EQ(2, run_cli(args, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "unknown option '--liev'")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
