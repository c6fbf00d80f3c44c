// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: assessment-results.json, the results as NIST OSCAL 1.0.0 Assessment
 * Results: one result per target (host, each kernel), one finding per requirement there
 * (satisfied only when it passed), one observation per requirement there naming its tests and
 * their outcomes. The UUIDs are derived from the generation time and what they name, so a
 * document is reproducible from its inputs and two runs never share one.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "json.h"

/* A version-4-shaped UUID from SHA-256 of @when and @what. */
static const char *uuid(char buf[37], const char *when, const char *what)
{
	unsigned char md[32];
	char in[512];
	unsigned int len;
	size_t n;

	n = (size_t)snprintf(in, sizeof(in), "bulkhead-evidence\n%s\n%s", when, what);
	EVP_Digest(in, n < sizeof(in) ? n : sizeof(in) - 1, md, &len, EVP_sha256(), NULL);
	md[6] = (md[6] & 0x0f) | 0x40;
	md[8] = (md[8] & 0x3f) | 0x80;
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8], md[9], md[10],
		 md[11], md[12], md[13], md[14], md[15]);
	return buf;
}

static void prop(struct json *j, const char *name, const char *value)
{
	json_object_begin(j, NULL);
	json_string(j, "name", name);
	json_string(j, "value", value);
	json_object_end(j);
}

/* What the observation of @r on @t says: each test and its outcome (and a skip's reason). */
static char *observed(const struct model *m, const struct req *r, const struct target *t)
{
	struct req_test *list;
	size_t n = req_tests(m, r, t, &list), len = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return xstrdup("(out of memory)");
	fprintf(f, "%s on %s: %zu test(s) mapped.", r->id, t->label, n);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, " %s: %s", list[i].test, outcome_name(list[i].outcome));
		if (list[i].outcome != OUT_PASS && list[i].reason)
			fprintf(f, " (%s)", list[i].reason);
		fputc(';', f);
	}
	fclose(f);
	free(list);
	return text;
}

static void result(const struct model *m, struct json *j, size_t t)
{
	const struct target *tg = &m->targets[t];
	const char *now = m->generated_at;
	char id[37], name[256], title[256];

	snprintf(name, sizeof(name), "result:%s", tg->label);
	json_object_begin(j, NULL);
	json_string(j, "uuid", uuid(id, now, name));
	snprintf(title, sizeof(title), "bulkhead tests on %s", tg->host ? "the host" : tg->label);
	json_string(j, "title", title);
	json_string(j, "description", tg->host ?
		    "Host unit tests, fuzzers and the host's checks of the build (make check)." :
		    "The VM selftests and scenarios on this target kernel (make check).");
	json_string(j, "start", now);
	json_string(j, "end", now);
	json_object_begin(j, "reviewed-controls");
	json_array_begin(j, "control-selections");
	json_object_begin(j, NULL);
	json_string(j, "description", "Every requirement of the catalogue.");
	json_object_begin(j, "include-all");
	json_object_end(j);
	json_object_end(j);
	json_array_end(j);
	json_object_end(j);
	json_array_begin(j, "observations");
	for (size_t r = 0; r < m->n_reqs; r++) {
		char *text;

		if (VERDICT(m, r, t) == V_NA || VERDICT(m, r, t) == V_UNTESTED)
			continue;
		snprintf(name, sizeof(name), "observation:%s:%s", tg->label, m->reqs[r].id);
		text = observed(m, &m->reqs[r], tg);
		json_object_begin(j, NULL);
		json_string(j, "uuid", uuid(id, now, name));
		json_string(j, "title", m->reqs[r].id);
		json_string(j, "description", text);
		json_array_begin(j, "methods");
		json_string(j, NULL, "TEST");
		json_array_end(j);
		json_string(j, "collected", now);
		json_object_end(j);
		free(text);
	}
	json_array_end(j);
	json_array_begin(j, "findings");
	for (size_t r = 0; r < m->n_reqs; r++) {
		enum verdict v = VERDICT(m, r, t);

		if (v == V_NA)
			continue;
		snprintf(name, sizeof(name), "finding:%s:%s", tg->label, m->reqs[r].id);
		snprintf(title, sizeof(title), "%s on %s", m->reqs[r].id, tg->label);
		json_object_begin(j, NULL);
		json_string(j, "uuid", uuid(id, now, name));
		json_string(j, "title", title);
		json_string(j, "description", m->reqs[r].text);
		json_array_begin(j, "props");
		prop(j, "result", verdict_name(v));
		prop(j, "cc-components", m->reqs[r].cc);
		json_array_end(j);
		json_object_begin(j, "target");
		json_string(j, "type", "objective-id");
		json_string(j, "target-id", m->reqs[r].id);
		json_object_begin(j, "status");
		json_string(j, "state", v == V_PASS ? "satisfied" : "not-satisfied");
		json_object_end(j);
		json_object_end(j);
		if (v != V_UNTESTED) {
			snprintf(name, sizeof(name), "observation:%s:%s", tg->label, m->reqs[r].id);
			json_array_begin(j, "related-observations");
			json_object_begin(j, NULL);
			json_string(j, "observation-uuid", uuid(id, now, name));
			json_object_end(j);
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

int out_oscal(const struct model *m, FILE *f)
{
	char id[37];
	struct json j;

	json_init(&j, f, JSON_PRETTY);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "assessment-results");
	json_string(&j, "uuid", uuid(id, m->generated_at, "document"));
	json_object_begin(&j, "metadata");
	json_string(&j, "title", "bulkhead certification evidence: assessment results");
	json_string(&j, "last-modified", m->generated_at);
	json_string(&j, "version", "1");
	json_string(&j, "oscal-version", "1.0.0");
	json_object_end(&j);
	json_object_begin(&j, "import-ap");
	json_string(&j, "href", "docs/security-target.md");
	json_string(&j, "remarks", "The plan is the security target and the requirement "
		    "catalogue (docs/requirements.md) with its test map.");
	json_object_end(&j);
	json_array_begin(&j, "results");
	for (size_t t = 0; t < m->n_targets; t++)
		result(m, &j, t);
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
