// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead fuzzer: the policy language parser and validator, with one property besides "no
 * crash, no leak, no undefined behaviour": a policy that parses prints a canonical text that
 * parses again to the same canonical text (what "policy show" prints, "policy apply" reads).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "policy.h"

/* The canonical text of @p, malloc'd. */
static char *canonical(const struct bh_policy *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	bh_policy_write_canonical(f, p);
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *null = fopen("/dev/null", "w");
	struct bh_policy p, again;
	char *text, *first, *second;

	text = malloc(size + 1);
	if (!text || !null)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	bh_policy_init(&p);
	if (!bh_parse_text(&p, "fuzz.bh", text, null)) {
		first = canonical(&p);
		bh_policy_init(&again);
		if (bh_parse_text(&again, "canonical.bh", first, null))
			abort();	/* the canonical text of a valid policy must parse */
		second = canonical(&again);
		if (strcmp(first, second))
			abort();	/* and print itself again */
		bh_policy_free(&again);
		free(first);
		free(second);
	}
	bh_policy_free(&p);
	free(text);
	fclose(null);
	return 0;
}
