// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead fuzzer seed: writes a short sealed trail (load, decisions, a policy change,
 * unload) from the key audit_fuzz.c verifies with, so that the fuzzer starts from a trail
 * that verifies and mutates it, rather than from bytes that fail at the first header.
 * Usage: audit_seed FILE. Its output is the committed tools/fuzz/corpus/audit/trail.
 */
#include <stdint.h>
#include <stdio.h>

#include "audit_codec.h"
#include "audit_seal.h"

int main(int argc, char **argv)
{
	static const uint8_t key0[BULKHEAD_AUDIT_KEY_LEN] = { 0x42 };
	static const unsigned int types[] = {
		BULKHEAD_AUDIT_LOAD, BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_POLICY,
		BULKHEAD_AUDIT_DECISION, BULKHEAD_AUDIT_UNLOAD,
	};
	struct bh_audit_builder b;
	struct bh_audit_sealer s;
	FILE *out;
	size_t i, size;

	if (argc != 2 || !(out = fopen(argv[1], "w")))
		return 2;
	bh_audit_sealer_init(&s, key0);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct bulkhead_audit_hdr h = {
			.version = BULKHEAD_AUDIT_VERSION, .type = types[i],
			.decision = types[i] == BULKHEAD_AUDIT_DECISION ? BULKHEAD_AUDIT_DENIED :
									   BULKHEAD_AUDIT_NONE,
			.hook = types[i] == BULKHEAD_AUDIT_DECISION ? 0 : BULKHEAD_AUDIT_NO_HOOK,
			.realtime_ns = 1000000000ULL * (1800000000 + i), .boottime_ns = i * 1000,
			.generation = 1,
		};

		bh_audit_build_start(&b, &h);
		bh_audit_build_u32(&b, BULKHEAD_AUDIT_SUBJ_PID, 100 + i);
		bh_audit_build_string(&b, BULKHEAD_AUDIT_SUBJ_COMM, "seed");
		if (types[i] == BULKHEAD_AUDIT_DECISION)
			bh_audit_build_string(&b, BULKHEAD_AUDIT_OBJ_PATH, "/srv/high/secret");
		size = bh_audit_build_end(&b);
		if (bh_audit_sealer_seal(&s, b.data) || fwrite(b.data, 1, size, out) != size)
			return 1;
	}
	return fclose(out) ? 1 : 0;
}
