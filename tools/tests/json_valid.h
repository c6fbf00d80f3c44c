/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead host tests: is a command's JSON output exactly one document? Python's json module
 * (the build already runs /usr/bin/python3) decides, not a second hand-written parser.
 */
#ifndef BULKHEAD_JSON_VALID_H
#define BULKHEAD_JSON_VALID_H

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

/* 1 when @text parses as one JSON document and nothing follows it but white space. */
static inline int json_one_document(const char *text)
{
	FILE *p = popen("/usr/bin/python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null",
			"w");

	if (!p)
		return 0;
	fwrite(text, 1, strlen(text), p);
	return WEXITSTATUS(pclose(p)) == 0;
}

#endif /* BULKHEAD_JSON_VALID_H */
