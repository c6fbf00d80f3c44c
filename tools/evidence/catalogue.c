// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: the requirement catalogue (docs/requirements.md) and the test map
 * (selftests/requirements.map). The catalogue's tables are the only source: rows of fixed
 * columns, told apart by their first cell.
 *   | BH-...    | statement | CC components | categories | tested |   a requirement
 *   | FAU_GEN.1 | title |                                             a CC component to cover
 *   | cat:NS    | name |                                              a product category
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

/* Split a table row into at most @max cells (the last keeps any further '|'); returns count. */
static size_t cells(char *line, char **cell, size_t max)
{
	char *p = line + 1, *end = line + strlen(line);
	size_t n = 0;

	while (end > p && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '|'))
		*--end = '\0';
	while (n < max && p <= end) {
		char *bar = n + 1 < max ? strchr(p, '|') : NULL;

		if (bar)
			*bar = '\0';
		cell[n++] = trim(p);
		if (!bar)
			break;
		p = bar + 1;
	}
	return n;
}

/* A requirement's row: the statement may hold '|' (in code spans), the other cells never. */
static int req_row(struct model *m, char *line, const char *path, int ln)
{
	char *c[3], *rest, *bar;
	struct req *r;
	int i;

	/* The last three cells, from the right: tested, categories, CC components. */
	rest = line + strlen(line);
	while (rest > line && (rest[-1] == '\n' || rest[-1] == ' ' || rest[-1] == '|'))
		*--rest = '\0';
	for (i = 2; i >= 0; i--) {
		bar = strrchr(line, '|');
		if (!bar || bar == line)
			return fail_at(path, ln, "a requirement row needs 5 cells: "
				       "ID | statement | CC components | categories | tested");
		*bar = '\0';
		c[i] = trim(bar + 1);
	}
	rest = trim(line + 1);
	bar = strchr(rest, '|');
	if (!bar)
		return fail_at(path, ln, "a requirement row needs 5 cells");
	*bar = '\0';
	r = GROW(m->reqs, m->n_reqs);
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(trim(rest));
	r->text = xstrdup(trim(bar + 1));
	r->cc = xstrdup(c[0]);
	r->category = xstrdup(c[1]);
	r->line = ln;
	if (!strcmp(c[2], "not yet"))
		r->marked_untested = true;
	else if (strcmp(c[2], "yes"))
		return fail_at(path, ln, "%s: the tested column says \"yes\" or \"not yet\", not \"%s\"",
			       r->id, c[2]);
	if (!*r->text || !*r->cc || !*r->category)
		return fail_at(path, ln, "%s: statement, CC components and categories are required",
			       r->id);
	return 0;
}

static bool is_cc_id(const char *s)
{
	/* FAU_GEN.1: class, family, a dot and the component's number */
	return strlen(s) >= 9 && isupper((unsigned char)s[0]) && s[3] == '_' && s[7] == '.' &&
	       isdigit((unsigned char)s[8]);
}

int catalogue_read(struct model *m, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *c[3];
	size_t cap = 0;
	int ln = 0, err = 0;

	if (!f)
		return fail_at(path, 0, "cannot read: %s", strerror(errno));
	m->catalogue_path = xstrdup(path);
	while (getline(&line, &cap, f) > 0) {
		ln++;
		if (!strncmp(line, "| BH-", 5)) {
			err |= req_row(m, line, path, ln);
		} else if (!strncmp(line, "| cat:", 6)) {
			struct group *k;

			if (cells(line, c, 2) != 2)
				err |= fail_at(path, ln, "a category row is | cat:CODE | name |");
			k = GROW(m->cats, m->n_cats);
			k->id = xstrdup(c[0] + 4);
			k->title = xstrdup(c[1]);
			k->line = ln;
		} else if (line[0] == '|' && line[1] == ' ' && line[2] == 'F') {
			struct group *k;

			if (cells(line, c, 2) != 2 || !is_cc_id(c[0])) {
				err |= fail_at(path, ln, "a component row is | FXX_XXX.N | title |");
				continue;
			}
			k = GROW(m->ccs, m->n_ccs);
			k->id = xstrdup(c[0]);
			k->title = xstrdup(c[1]);
			k->line = ln;
		}
	}
	free(line);
	fclose(f);
	if (!err && !m->n_reqs)
		err = fail_at(path, 0, "no requirement rows (| BH-... |)");
	return err ? -1 : 0;
}

int map_read(struct model *m, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *tok, *save;
	size_t cap = 0;
	int ln = 0, err = 0;

	if (!f)
		return fail_at(path, 0, "cannot read: %s", strerror(errno));
	m->map_path = xstrdup(path);
	while (getline(&line, &cap, f) > 0) {
		struct map_row *row;

		ln++;
		tok = strtok_r(line, " \t\n", &save);
		if (!tok || tok[0] == '#')
			continue;
		row = GROW(m->map, m->n_map);
		memset(row, 0, sizeof(*row));
		row->pattern = xstrdup(tok);
		row->line = ln;
		while ((tok = strtok_r(NULL, " \t\n", &save)))
			*GROW(row->ids, row->n_ids) = xstrdup(tok);
		if (!row->n_ids)
			err = fail_at(path, ln, "%s maps to no requirement", row->pattern);
	}
	free(line);
	fclose(f);
	return err;
}

static const struct req *req_by_id(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->n_reqs; i++)
		if (!strcmp(m->reqs[i].id, id))
			return &m->reqs[i];
	return NULL;
}

bool req_mapped(const struct model *m, const char *id)
{
	for (size_t i = 0; i < m->n_map; i++)
		for (size_t k = 0; k < m->map[i].n_ids; k++)
			if (!strcmp(m->map[i].ids[k], id))
				return true;
	return false;
}

/* Is @word a whole word of @list (separated by anything but letters, digits, '_' and '.')? */
static bool names(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word)) {
		bool left = p == list || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool right = !(isalnum((unsigned char)p[n]) || p[n] == '_' ||
			       (p[n] == '.' && isdigit((unsigned char)p[n + 1])));

		if (left && right)
			return true;
	}
	return false;
}

bool req_supports(const struct req *r, const char *cc)
{
	return names(r->cc, cc);
}

bool req_in_category(const struct req *r, const char *code)
{
	return !strcmp(r->category, "all") || names(r->category, code);
}

/* Every group has a requirement in it; else an error per empty one, in @fmt. */
static int groups_used(const struct model *m, const struct group *g, size_t n, group_pick pick,
		       const char *fmt)
{
	int err = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < m->n_reqs && !pick(&m->reqs[k], g[i].id); k++)
			;
		if (k == m->n_reqs)
			err = fail_at(m->catalogue_path, g[i].line, fmt, g[i].id);
	}
	return err;
}

/*
 * The catalogue agrees with itself and with the map: IDs unique, every ID the map uses
 * defined, the tested column true to the map, every listed CC component and product category
 * supported by some requirement, every category a requirement names defined.
 */
int catalogue_check(const struct model *m)
{
	const char *cat = m->catalogue_path;
	int err = 0;

	for (size_t i = 0; i < m->n_reqs; i++) {
		const struct req *r = &m->reqs[i];

		if (req_by_id(m, r->id) != r)
			err = fail_at(cat, r->line, "%s is defined twice", r->id);
		if (r->marked_untested && req_mapped(m, r->id))
			err = fail_at(cat, r->line, "%s says \"not yet\" tested, but %s maps tests to it",
				      r->id, m->map_path);
		if (!r->marked_untested && !req_mapped(m, r->id))
			err = fail_at(cat, r->line, "%s says tested, but no line of %s maps to it "
				      "(write \"not yet\")", r->id, m->map_path);
		if (strcmp(r->category, "all")) {
			char buf[256], *tok, *save;

			snprintf(buf, sizeof(buf), "%s", r->category);
			for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
				size_t k;

				for (k = 0; k < m->n_cats && strcmp(m->cats[k].id, tok); k++)
					;
				if (k == m->n_cats)
					err = fail_at(cat, r->line, "%s: unknown product category %s",
						      r->id, tok);
			}
		}
	}
	for (size_t i = 0; i < m->n_map; i++)
		for (size_t k = 0; k < m->map[i].n_ids; k++)
			if (!req_by_id(m, m->map[i].ids[k]))
				err = fail_at(m->map_path, m->map[i].line,
					      "requirement %s is not defined in %s", m->map[i].ids[k],
					      cat);
	err |= groups_used(m, m->ccs, m->n_ccs, req_supports, "no requirement supports %s");
	err |= groups_used(m, m->cats, m->n_cats, req_in_category,
			   "no requirement is in category %s");
	return err;
}
