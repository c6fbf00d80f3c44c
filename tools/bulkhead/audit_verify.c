// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "audit verify" - check trail files against the initial key K[0].
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "audit_cli.h"
#include "audit_seal.h"
#include "audit_verify.h"
#include "cli.h"
#include "number.h"

#define CMD "audit verify"

enum { OPT_KEY = 256, OPT_KEY_FILE, OPT_LAST };

struct verify_args {
	const char *key;		/* --key HEX */
	const char *key_file;
	uint64_t last;			/* --last, 0 when not given */
	enum json_style json;
	int first_file;			/* index in argv */
};

static int parse_seq(const char *text, uint64_t *seq)
{
	return bh_parse_uint(text, 1, UINT64_MAX, seq);
}

static int parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ "last", required_argument, NULL, OPT_LAST },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jp", opts, NULL)) != -1) {
		switch (c) {
		case OPT_KEY:
			a->key = optarg;
			break;
		case OPT_KEY_FILE:
			a->key_file = optarg;
			break;
		case OPT_LAST:
			if (parse_seq(optarg, &a->last))
				return cli_usage(CMD, "--last: '%s' is not a record number", optarg);
			break;
		case 'j':
		case 'p':
			cli_json_option(c, &a->json);
			break;
		case ':':
			return cli_usage(CMD, "option '%s' needs an argument", argv[optind - 1]);
		default:
			return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!a->key == !a->key_file)
		return cli_usage(CMD, "give the key with one of --key and --key-file");
	if (optind == argc)
		return cli_usage(CMD, "no trail file given");
	a->first_file = optind;
	return EXIT_OK;
}

/* A key file holds the 64 hex digits "audit keygen" printed, and perhaps a newline. */
static int read_key_file(const char *path, char *text, size_t size, char *why, size_t why_len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, size - 1, f);
	text[n] = '\0';
	if (ferror(f)) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* K[0] from --key or --key-file; otherwise why not, in @why. */
static int load_key(const struct verify_args *a, uint8_t key[BULKHEAD_AUDIT_KEY_LEN], char *why,
		    size_t why_len)
{
	char text[256];
	int err = 0;

	if (a->key_file)
		err = read_key_file(a->key_file, text, sizeof(text), why, why_len);
	else
		snprintf(text, sizeof(text), "%s", a->key);
	if (!err && bh_audit_key_parse(key, text)) {
		snprintf(why, why_len, "%s: not a key: 64 hex digits expected",
			 a->key_file ? a->key_file : "--key");
		err = -1;
	}
	OPENSSL_cleanse(text, sizeof(text));
	return err;
}

static int exit_status(enum bh_audit_result result)
{
	switch (result) {
	case BH_AUDIT_VERIFIED:
		return EXIT_OK;
	case BH_AUDIT_TAMPERED:
		return EXIT_FAIL;
	default:
		return EXIT_USAGE;
	}
}

int cli_audit_verify(int argc, char **argv)
{
	struct bh_audit_report no_key = { .result = BH_AUDIT_UNVERIFIABLE };
	uint8_t key[BULKHEAD_AUDIT_KEY_LEN];
	const struct bh_audit_report *r;
	struct verify_args a = { 0 };
	struct bh_audit_verifier v;
	int i, ret;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret;
	if (load_key(&a, key, no_key.detail, sizeof(no_key.detail))) {
		bh_audit_report_print(stdout, &no_key, a.json);
		return EXIT_USAGE;
	}
	bh_audit_verifier_init(&v, key, a.last);
	OPENSSL_cleanse(key, sizeof(key));
	/* Once the verdict is reached, later files cannot change it. */
	for (i = a.first_file; i < argc && !bh_audit_verifier_done(&v); i++)
		bh_audit_verify_file(&v, argv[i]);
	r = bh_audit_verifier_finish(&v);
	bh_audit_report_print(stdout, r, a.json);
	return exit_status(r->result);
}
