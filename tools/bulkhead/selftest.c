// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "selftest", the module's self-tests run again on request (FPT_TST.1).
 */
#include <stdio.h>

#include "cli.h"
#include "json.h"
#include "status.h"

/* Exits 0 when every test passed, 1 when one failed or the run could not be asked for. */
int cmd_selftest(int argc, char **argv)
{
	struct bh_selftest t;
	enum json_style json;
	struct bh_genl g;
	char text[128];
	int err;

	if (cli_read_options("selftest", argc, argv, 0, &json) < 0)
		return EXIT_USAGE;
	if (cli_connect(&g))
		return EXIT_FAIL;
	err = bh_selftest_run(&g, &t);
	if (err)
		cli_kernel_error(&g, err, "selftest");
	bh_genl_close(&g);
	if (err)
		return EXIT_FAIL;
	if (json) {
		struct json j;

		json_init(&j, stdout, json);
		bh_json_selftest(&j, NULL, &t);
	} else {
		bh_selftest_text(text, sizeof(text), &t);
		printf("self-test: %s\n", text);
	}
	/* The kernel log has each failed known answer or decision. */
	if (t.failed)
		cli_error("selftest: a self-test failed; the module's kernel log lines say which answer");
	return t.failed ? EXIT_FAIL : EXIT_OK;
}
