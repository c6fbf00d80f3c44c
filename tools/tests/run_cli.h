/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead host tests: run the CLI as a user would, on the host (no module needed for what
 * these tests ask), and keep what it printed.
 */
#ifndef BULKHEAD_RUN_CLI_H
#define BULKHEAD_RUN_CLI_H

#include <stdio.h>
#include <sys/wait.h>

/* "build/tools/TOOL ARGS" with stderr joined to stdout into @out; its exit status, -1 if not
 * run.
 */
static inline int run_tool(const char *tool, const char *args, char *out, size_t len)
{
	char cmd[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "build/tools/%s %s 2>&1", tool, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	return WEXITSTATUS(pclose(p));
}

/* "bulkhead ARGS", as run_tool(). */
static inline int run_cli(const char *args, char *out, size_t len)
{
	return run_tool("bulkhead", args, out, len);
}

#endif /* BULKHEAD_RUN_CLI_H */
