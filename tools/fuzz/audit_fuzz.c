// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead fuzzer: the audit trail reader - the record parser and both printers for every
 * record the input frames, and the sealed-trail verifier over the whole input, which must
 * reach a verdict without crashing whatever the bytes (a tampered or unverifiable trail).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_codec.h"
#include "audit_verify.h"

/* Parse and print each record @data frames, as "audit tail" would. */
static void read_records(const uint8_t *data, size_t size, FILE *null)
{
	struct bh_audit_record r;
	size_t at = 0;
	int n;

	while (at < size) {
		n = bh_audit_record_parse(&r, data + at, size - at, NULL, 0);
		if (n <= 0)
			return;
		bh_audit_print_text(null, &r);
		bh_audit_print_json(null, &r);
		at += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN] = { 0x42 };
	FILE *null = fopen("/dev/null", "w");
	struct bh_audit_verifier *v = malloc(sizeof(*v));
	size_t half = size / 2;

	if (!null || !v)
		abort();
	read_records(data, size, null);
	/* Fed in two pieces, as a reader that gets a record cut across reads would. */
	bh_audit_verifier_init(v, key0, 0);
	bh_audit_verifier_begin_file(v, "fuzz");
	bh_audit_verifier_feed(v, data, half);
	bh_audit_verifier_feed(v, data + half, size - half);
	bh_audit_verifier_end_file(v);
	bh_audit_report_print(null, bh_audit_verifier_finish(v), true);
	free(v);
	fclose(null);
	return 0;
}
