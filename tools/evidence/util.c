// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead evidence: allocation that cannot fail quietly, and errors that name file and line.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

static void *checked(void *p)
{
	if (!p) {
		fputs("bh-evidence: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size));
}

void *xrealloc_array(void *p, size_t n, size_t size)
{
	return checked(reallocarray(p, n, size));
}

char *xstrdup(const char *s)
{
	return checked(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
	return checked(strndup(s, n));
}

char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "%s:%d: ", file, line);
	else
		fprintf(stderr, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}
