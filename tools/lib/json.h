/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the one JSON writer every read command prints with: -j one document, compact, on
 * one line; -p the same document indented. Streams (audit tail -f) print one compact document
 * per line (JSON lines).
 */
#ifndef BULKHEAD_JSON_H
#define BULKHEAD_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

/* What a read command prints: text (0, so that "if (style)" asks for JSON), or JSON. */
enum json_style { JSON_NONE, JSON_COMPACT, JSON_PRETTY };

struct json {
	FILE *out;
	int depth;
	bool pretty;
	bool need_comma[JSON_MAX_DEPTH];
};

/* Start a document on @out; JSON_PRETTY indents it by two spaces a level. */
void json_init(struct json *j, FILE *out, enum json_style style);

/* @key names the member inside an object and must be NULL inside an array. */
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *value);
void json_u64(struct json *j, const char *key, uint64_t value);
void json_bool(struct json *j, const char *key, bool value);

#endif /* BULKHEAD_JSON_H */
