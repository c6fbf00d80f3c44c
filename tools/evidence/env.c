// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: the environment, as tools/vm/evidence.sh collected it: one fact a line,
 * "SECTION<TAB>KEY<TAB>VALUE", and "~SECTION" for facts of this run alone (times, sequence
 * numbers of the trail) that two runs of one commit may differ in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

int env_read(struct model *m, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, err = 0;

	if (!f)
		return fail_at(path, 0, "cannot read: %s", strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *key, *value, *sec = line;
		struct env_item *e;

		ln++;
		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		key = strchr(sec, '\t');
		value = key ? strchr(key + 1, '\t') : NULL;
		if (!value) {
			err = fail_at(path, ln, "want SECTION<TAB>KEY<TAB>VALUE");
			continue;
		}
		*key++ = '\0';
		*value++ = '\0';
		e = GROW(m->env, m->n_env);
		e->run_specific = sec[0] == '~';
		e->section = xstrdup(sec + e->run_specific);
		e->key = xstrdup(key);
		e->value = xstrdup(value);
	}
	free(line);
	fclose(f);
	return err;
}
