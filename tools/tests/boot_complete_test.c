// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead host tests: what the packages' glue asks of the CLI without a kernel. "bulkhead
 * boot --config FILE" refuses a bad configuration naming file and line before it loads
 * anything (bulkhead.service's reason in the journal), and "bulkhead --complete WORD..."
 * offers what the usage table says may follow (the bash completion's only source).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "run_cli.h"

FIXTURE(boot_config) {
	char file[64];
	char out[4096];
};

FIXTURE_VARIANT(boot_config) {
	const char *text;
	const char *says;
};

FIXTURE_SETUP(boot_config)
{
	int fd;

	snprintf(self->file, sizeof(self->file), "/tmp/boot_config_XXXXXX");
	fd = mkstemp(self->file);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(variant->text), write(fd, variant->text, strlen(variant->text)));
	close(fd);
}

FIXTURE_TEARDOWN(boot_config)
{
	unlink(self->file);
}

#define CONF(name, t, s) FIXTURE_VARIANT_ADD(boot_config, name) { .text = t, .says = s }

CONF(unknown_key, "# comment\n\nmode=enforce\nmodes=audit\n", ":4: unknown key 'modes'");
CONF(no_equals, "lock yes\n", ":1: expected KEY=VALUE");
CONF(bad_mode, "mode = strict\n", "mode 'strict': expected off, audit or enforce");
CONF(bad_lock, "lock=maybe\n", "lock 'maybe': expected yes or no");

/* Each is refused with exit 2 and the reason, before anything is loaded. */
TEST_F(boot_config, refused)
{
	char args[128];

	snprintf(args, sizeof(args), "boot --config %s", self->file);
	EXPECT_EQ(2, run_cli(args, self->out, sizeof(self->out))) {
		TH_LOG("%s", self->out);
	}
	EXPECT_NE(NULL, strstr(self->out, variant->says)) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(NULL, strstr(self->out, "load:")) {
		TH_LOG("%s", self->out);
	}
}

FIXTURE(complete) {
	char out[8192];
};

FIXTURE_VARIANT(complete) {
	const char *words;
	const char *offers;	/* one candidate line */
	const char *never;	/* a line that must not be offered, or NULL */
};

FIXTURE_SETUP(complete)
{
}

FIXTURE_TEARDOWN(complete)
{
}

#define COMPLETE(name, w, o, n) \
	FIXTURE_VARIANT_ADD(complete, name) { .words = w, .offers = o, .never = n }

COMPLETE(commands, "", "\nboot\n", NULL);
COMPLETE(subcommands, "audit", "\nverify\n", "\n--dir\n");
COMPLETE(options, "audit record", "\n--disk-full\n", "\n@dir\n");
COMPLETE(option_choices, "audit record --fsync", "\nbatch\n", "\n--dir\n");
COMPLETE(option_file, "audit verify --key-file", "\n@file\n", "\n--last\n");
COMPLETE(keywords, "mode", "\nenforce\n", NULL);
COMPLETE(help_subcommands, "help policy", "\napply\n", NULL);
COMPLETE(guard_forms, "guard run", "\n--deny-pattern\n", NULL);

TEST_F(complete, offers)
{
	char args[128];

	snprintf(args, sizeof(args), "--complete %s", variant->words);
	/* A leading newline, so that every candidate is matched as a whole line. */
	self->out[0] = '\n';
	EXPECT_EQ(0, run_cli(args, self->out + 1, sizeof(self->out) - 1));
	EXPECT_NE(NULL, strstr(self->out, variant->offers)) {
		TH_LOG("%s: %s", variant->words, self->out);
	}
	if (variant->never)
		EXPECT_EQ(NULL, strstr(self->out, variant->never)) {
			TH_LOG("%s: %s", variant->words, self->out);
		}
}

TEST_HARNESS_MAIN
