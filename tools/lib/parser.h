/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the policy language parser (docs/policy-language.md).
 */
#ifndef BULKHEAD_PARSER_H
#define BULKHEAD_PARSER_H

#include <stdio.h>

#include "policy.h"

/*
 * Parse the file at @path, and every file it includes, into @p. Each problem is printed to
 * @err as "file:line:col: message". Returns the number of problems (0: success).
 */
int bh_parse_file(struct bh_policy *p, const char *path, FILE *err);

/* The same for @text, reported as coming from a file called @name (includes resolve in ".") */
int bh_parse_text(struct bh_policy *p, const char *name, const char *text, FILE *err);

#endif /* BULKHEAD_PARSER_H */
