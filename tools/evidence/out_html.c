// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: report.html, one self-contained page (inline style and SVG, no script,
 * nothing fetched), the report a person opens first.
 */
#include <stdio.h>
#include <string.h>

#include "evidence.h"

/* One colour per verdict, the same in the tables and the charts. */
static const char *const colour[V_COUNT] = {
	[V_PASS] = "#2e7d32", [V_FAIL] = "#c62828", [V_INCOMPLETE] = "#f9a825",
	[V_NOT_RUN] = "#757575", [V_NA] = "#cfd8dc", [V_UNTESTED] = "#6a1b9a",
};

static void esc(FILE *f, const char *t)
{
	for (; *t; t++) {
		const char *ent = *t == '<' ? "&lt;" : *t == '>' ? "&gt;" : *t == '&' ? "&amp;" :
				  *t == '"' ? "&quot;" : NULL;

		if (ent)
			fputs(ent, f);
		else
			fputc(*t, f);
	}
}

static void begin(struct sink *s, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", s->f);
	esc(s->f, title);
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;max-width:90em}\n"
	      "table{border-collapse:collapse;margin-bottom:1em}\n"
	      "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}\n"
	      "th{background:#eee}\n", s->f);
	for (int v = 0; v < V_COUNT; v++) {
		char cls[32];

		snprintf(cls, sizeof(cls), "%s", verdict_name(v));
		for (char *p = cls; *p; p++)
			if (*p == ' ' || *p == '/')
				*p = '-';
		fprintf(s->f, "td.v-%s{background:%s;color:%s}\n", cls, colour[v],
			v == V_NA || v == V_INCOMPLETE ? "#000" : "#fff");
	}
	fputs("svg{display:block;margin-bottom:1em}\n</style></head><body>\n<h1>", s->f);
	esc(s->f, title);
	fputs("</h1>\n", s->f);
}

static void heading(struct sink *s, int level, const char *text)
{
	fprintf(s->f, "<h%d>", level);
	esc(s->f, text);
	fprintf(s->f, "</h%d>\n", level);
}

static void para(struct sink *s, const char *text)
{
	fputs("<p>", s->f);
	esc(s->f, text);
	fputs("</p>\n", s->f);
}

static void table(struct sink *s, size_t cols, const char *const *head)
{
	s->cols = cols;
	fputs("<table><tr>", s->f);
	for (size_t i = 0; i < cols; i++) {
		fputs("<th>", s->f);
		esc(s->f, head[i]);
		fputs("</th>", s->f);
	}
	fputs("</tr>\n", s->f);
}

/* A cell that is exactly a verdict's or an outcome's name is coloured as that verdict. */
static const char *cell_class(const char *text)
{
	static const struct { const char *text, *cls; } known[] = {
		{ "pass", "v-pass" }, { "fail", "v-fail" }, { "incomplete", "v-incomplete" },
		{ "not run", "v-not-run" }, { "n/a", "v-n-a" }, { "not yet tested", "v-not-yet-tested" },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(text, known[i].text))
			return known[i].cls;
	return NULL;
}

static void row(struct sink *s, const char *const *cells)
{
	fputs("<tr>", s->f);
	for (size_t i = 0; i < s->cols; i++) {
		const char *cls = cell_class(cells[i]);

		if (cls)
			fprintf(s->f, "<td class=\"%s\">", cls);
		else
			fputs("<td>", s->f);
		esc(s->f, cells[i]);
		fputs("</td>", s->f);
	}
	fputs("</tr>\n", s->f);
}

static void table_end(struct sink *s)
{
	fputs("</table>\n", s->f);
}

/* A stacked bar per target, as wide as the family has requirements, a legend under it. */
static void chart(struct sink *s, const char *family, const struct model *m,
		  const size_t (*counts)[V_COUNT])
{
	const int label_w = 60, unit = 24, bar_h = 16, gap = 4;
	size_t total = 0;
	int h = (int)m->n_targets * (bar_h + gap) + 30;

	for (int v = 0; v < V_COUNT; v++)
		total += counts[0][v];
	fprintf(s->f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"role=\"img\" aria-label=\"", label_w + (int)total * unit + 420, h);
	esc(s->f, family);
	fputs("\"><text x=\"0\" y=\"12\" font-size=\"12\" font-weight=\"bold\">", s->f);
	esc(s->f, family);
	fputs("</text>\n", s->f);
	for (size_t t = 0; t < m->n_targets; t++) {
		int y = 18 + (int)t * (bar_h + gap), x = label_w;

		fprintf(s->f, "<text x=\"0\" y=\"%d\" font-size=\"11\">", y + 12);
		esc(s->f, m->targets[t].label);
		fputs("</text>", s->f);
		for (int v = 0; v < V_COUNT; v++) {
			if (!counts[t][v])
				continue;
			fprintf(s->f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				"fill=\"%s\"><title>%s: %zu</title></rect>", x, y,
				(int)counts[t][v] * unit, bar_h, colour[v], verdict_name(v),
				counts[t][v]);
			x += (int)counts[t][v] * unit;
		}
		x += 8;
		for (int v = 0; v < V_COUNT; v++) {
			if (!counts[t][v])
				continue;
			fprintf(s->f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s %zu"
				"</text>", x, y + 12, v == V_NA ? "#607d8b" : colour[v],
				verdict_name(v), counts[t][v]);
			x += 12 + 7 * (int)strlen(verdict_name(v)) + 14;
		}
		fputc('\n', s->f);
	}
	fputs("</svg>\n", s->f);
}

static void end(struct sink *s)
{
	fputs("</body></html>\n", s->f);
}

void sink_html(struct sink *s, FILE *f)
{
	*s = (struct sink){ .f = f, .begin = begin, .heading = heading, .para = para,
			    .table = table, .row = row, .table_end = table_end, .chart = chart,
			    .end = end };
}
