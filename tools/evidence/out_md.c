// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: report.md, the report in Markdown (GitHub's tables).
 */
#include <stdio.h>

#include "evidence.h"

/* A cell's text: '|' would end the cell, a newline the row. */
static void md_text(FILE *f, const char *t)
{
	for (; *t; t++) {
		if (*t == '|')
			fputs("\\|", f);
		else if (*t == '\n')
			fputc(' ', f);
		else
			fputc(*t, f);
	}
}

static void begin(struct sink *s, const char *title)
{
	fprintf(s->f, "# %s\n\n", title);
}

static void heading(struct sink *s, int level, const char *text)
{
	fprintf(s->f, "%.*s ", level, "######");
	md_text(s->f, text);
	fputs("\n\n", s->f);
}

static void para(struct sink *s, const char *text)
{
	md_text(s->f, text);
	fputs("\n\n", s->f);
}

static void table(struct sink *s, size_t cols, const char *const *head)
{
	s->cols = cols;
	for (size_t i = 0; i < cols; i++) {
		fputs("| ", s->f);
		md_text(s->f, head[i]);
		fputc(' ', s->f);
	}
	fputs("|\n", s->f);
	for (size_t i = 0; i < cols; i++)
		fputs("|---", s->f);
	fputs("|\n", s->f);
}

static void row(struct sink *s, const char *const *cells)
{
	for (size_t i = 0; i < s->cols; i++) {
		fputs("| ", s->f);
		md_text(s->f, cells[i]);
		fputc(' ', s->f);
	}
	fputs("|\n", s->f);
}

static void table_end(struct sink *s)
{
	fputc('\n', s->f);
}

static void end(struct sink *s)
{
}

void sink_md(struct sink *s, FILE *f)
{
	*s = (struct sink){ .f = f, .begin = begin, .heading = heading, .para = para,
			    .table = table, .row = row, .table_end = table_end, .end = end };
}
