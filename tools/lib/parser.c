// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the policy language parser - a hand-written lexer and recursive-descent grammar:
 *
 *   policy    := statement*
 *   statement := "include" TARGET
 *              | "mode" ("off" | "audit" | "enforce")
 *              | "domain" NAME [ "{" (KIND TARGET)* "}" ]
 *              | "flow" NAME "->" NAME "{" CHANNEL+ "}" [ "audit" ]
 *              | "grant" NAME "{" CAPABILITY+ "}" [ "audit" ]
 *              | "exclusive" NAME "{" NAME+ "}"
 *              | "exchange" NAME "from" NAME "to" NAME "via" NAME "{" SETTING* "}"
 *   SETTING   := ("outbox" | "inbox" | "type" | "deny-pattern" | "filter") TARGET
 *              | ("max-size" | "filter-timeout" | "burst") NUMBER | "rate" NUMBER "/s"
 *              | "shared-guard"
 *
 * Comments run from '#' to the end of the line. After an error the parser skips to the next
 * statement keyword that begins a line, drops the statement it could not finish, and checks
 * what it did read as a whole: one run reports every problem.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "number.h"
#include "parser.h"

#define MAX_INCLUDE_DEPTH 8
/* The largest policy file read (docs/policy-language.md): far above any real policy. */
#define MAX_FILE_BYTES (64 << 20)

enum token_kind { T_EOF, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_ARROW, T_BAD };

struct token {
	enum token_kind kind;
	char *text;		/* T_WORD and T_STRING, owned by the lexer */
	struct bh_pos pos;
	bool first_on_line;	/* no token before it on its line: where recovery may resume */
};

/* The files being read, innermost first: an include of one of them is a cycle. */
struct chain {
	dev_t dev;
	ino_t ino;
	const char *name;
	const struct chain *outer;
};

struct lexer {
	const char *src;
	size_t at;
	int line;
	int col;
	const char *file;	/* owned by the policy's files list */
	struct token tok;	/* the current token */
	char *buf;
	size_t cap;
	int depth;		/* include depth */
	const struct chain *chain;	/* this file and those including it */
	int errors;
	FILE *err;
	struct bh_policy *policy;
};

static int parse_source(struct bh_policy *p, const char *file, const char *text, int depth,
			const struct chain *chain, FILE *err);

static bool word_char(char c)
{
	return bulkhead_target_byte_plain(c);
}

static char peek(const struct lexer *lx, size_t ahead)
{
	size_t i;

	for (i = 0; i < ahead; i++)
		if (!lx->src[lx->at + i])
			return '\0';
	return lx->src[lx->at + ahead];
}

static void advance(struct lexer *lx)
{
	if (lx->src[lx->at] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->at++;
}

static void buf_put(struct lexer *lx, size_t *len, char c)
{
	if (*len + 2 > lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 256;
		lx->buf = realloc(lx->buf, lx->cap);
		if (!lx->buf)
			abort();
	}
	lx->buf[(*len)++] = c;
	lx->buf[*len] = '\0';
}

static void error_at(struct lexer *lx, const struct bh_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(struct lexer *lx, const struct bh_pos *pos, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bh_pos_error(lx->err, pos, "%s", msg);
	lx->errors++;
}

static int hex_value(char c)
{
	if (isdigit((unsigned char)c))
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A quoted string, the opening quote already consumed; escapes \" \\ \n \t \xHH. */
static enum token_kind lex_string(struct lexer *lx, size_t *len)
{
	for (;;) {
		char c = peek(lx, 0);
		int hi, lo;

		if (!c || c == '\n') {
			error_at(lx, &lx->tok.pos, "unterminated string");
			return T_BAD;
		}
		advance(lx);
		if (c == '"')
			return T_STRING;
		if (c != '\\') {
			buf_put(lx, len, c);
			continue;
		}
		c = peek(lx, 0);
		if (c == '"' || c == '\\') {
			buf_put(lx, len, c);
		} else if (c == 'n' || c == 't') {
			buf_put(lx, len, c == 'n' ? '\n' : '\t');
		} else if (c == 'x' && (hi = hex_value(peek(lx, 1))) >= 0 &&
			   (lo = hex_value(peek(lx, 2))) >= 0 && (hi || lo)) {
			buf_put(lx, len, (char)(hi * 16 + lo));
			advance(lx);
			advance(lx);
		} else {
			struct bh_pos pos = { lx->file, lx->line, lx->col - 1 };

			error_at(lx, &pos, "unknown escape in string (use \\\" \\\\ \\n \\t or \\xHH)");
			return T_BAD;
		}
		advance(lx);
	}
}

static void next(struct lexer *lx)
{
	int line = lx->line;	/* where the previous token ended */
	size_t len = 0;
	char c;

	for (;;) {
		c = peek(lx, 0);
		if (c == '#') {
			while (peek(lx, 0) && peek(lx, 0) != '\n')
				advance(lx);
		} else if (c && isspace((unsigned char)c)) {
			advance(lx);
		} else {
			break;
		}
	}
	lx->tok.first_on_line = lx->line != line || !lx->tok.pos.line;
	lx->tok.pos = (struct bh_pos){ lx->file, lx->line, lx->col };
	lx->tok.text = "";
	if (lx->buf)
		lx->buf[0] = '\0';
	if (!c) {
		lx->tok.kind = T_EOF;
		return;
	}
	if (c == '{' || c == '}') {
		advance(lx);
		lx->tok.kind = c == '{' ? T_LBRACE : T_RBRACE;
		return;
	}
	if (c == '-' && peek(lx, 1) == '>') {
		advance(lx);
		advance(lx);
		lx->tok.kind = T_ARROW;
		return;
	}
	if (c == '"') {
		advance(lx);
		buf_put(lx, &len, '\0');
		len = 0;
		lx->tok.kind = lex_string(lx, &len);
		lx->tok.text = lx->buf;
		return;
	}
	if (!word_char(c)) {
		error_at(lx, &lx->tok.pos, "unexpected character '%c'", c);
		advance(lx);
		lx->tok.kind = T_BAD;
		return;
	}
	/* A word ends where "->" begins, so "low->high" reads as three tokens. */
	while (word_char(peek(lx, 0)) && !(peek(lx, 0) == '-' && peek(lx, 1) == '>')) {
		buf_put(lx, &len, peek(lx, 0));
		advance(lx);
	}
	lx->tok.kind = T_WORD;
	lx->tok.text = lx->buf;
}

static const char *describe(const struct token *t)
{
	static char quoted[80];

	switch (t->kind) {
	case T_EOF:
		return "end of file";
	case T_LBRACE:
		return "'{'";
	case T_RBRACE:
		return "'}'";
	case T_ARROW:
		return "'->'";
	default:
		snprintf(quoted, sizeof(quoted), "'%.64s'", t->text);
		return quoted;
	}
}

static bool is_word(const struct lexer *lx, const char *w)
{
	return lx->tok.kind == T_WORD && !strcmp(lx->tok.text, w);
}

/* Where parsing resumes after an error: a statement keyword first on its line, or the end. */
static bool is_statement_start(const struct lexer *lx)
{
	static const char *const keywords[] = { "include", "mode", "domain", "flow", "grant",
						"exclusive", "exchange" };
	size_t i;

	if (lx->tok.kind == T_EOF)
		return true;
	/* Not mid-line: a domain may be called "mode", and a name is never a resume point. */
	if (!lx->tok.first_on_line)
		return false;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (is_word(lx, keywords[i]))
			return true;
	return false;
}

/* Consume a token of @kind; on anything else report "expected @what" and return false. */
static bool expect(struct lexer *lx, enum token_kind kind, const char *what, char *copy,
		   size_t len)
{
	if (lx->tok.kind != kind) {
		if (lx->tok.kind != T_BAD)
			error_at(lx, &lx->tok.pos, "expected %s, found %s", what, describe(&lx->tok));
		return false;
	}
	if (copy)
		snprintf(copy, len, "%s", lx->tok.text);
	next(lx);
	return true;
}

/* A name into @name, a buffer of @size: a domain's, a group's or an exchange's. */
static bool expect_name(struct lexer *lx, const char *what, char *name, size_t size)
{
	if (lx->tok.kind == T_WORD && strlen(lx->tok.text) >= size) {
		error_at(lx, &lx->tok.pos, "%s '%s' is longer than %zu characters", what,
			 lx->tok.text, size - 1);
		return false;
	}
	return expect(lx, T_WORD, what, name, size);
}

/* The keyword @word, which joins the parts of a statement ("from", "to", "via"). */
static bool expect_keyword(struct lexer *lx, const char *word)
{
	if (is_word(lx, word)) {
		next(lx);
		return true;
	}
	if (lx->tok.kind != T_BAD)
		error_at(lx, &lx->tok.pos, "expected '%s', found %s", word, describe(&lx->tok));
	return false;
}

static bool parse_mode(struct lexer *lx)
{
	struct bh_pos pos = lx->tok.pos;
	char word[16];
	int mode;

	if (!expect(lx, T_WORD, "a mode (off, audit or enforce)", word, sizeof(word)))
		return false;
	if (!strcmp(word, "off"))
		mode = BULKHEAD_MODE_OFF;
	else if (!strcmp(word, "audit"))
		mode = BULKHEAD_MODE_AUDIT;
	else if (!strcmp(word, "enforce"))
		mode = BULKHEAD_MODE_ENFORCE;
	else {
		error_at(lx, &pos, "unknown mode '%s' (expected off, audit or enforce)", word);
		return false;
	}
	if (lx->policy->mode >= 0) {
		error_at(lx, &pos, "mode is set twice");
		return false;
	}
	lx->policy->mode = mode;
	return true;
}

static bool parse_domain(struct lexer *lx, const struct bh_pos *pos)
{
	char name[BULKHEAD_NAME_LEN];
	struct bh_domain *d;
	struct bh_binding *b;
	struct bh_pos bpos;
	int kind;

	if (!expect_name(lx, "a domain name", name, sizeof(name)))
		return false;
	d = bh_policy_add_domain(lx->policy, name);
	if (!d)
		abort();
	d->pos = *pos;
	if (lx->tok.kind != T_LBRACE)
		return true;
	next(lx);
	while (lx->tok.kind != T_RBRACE) {
		bpos = lx->tok.pos;
		if (lx->tok.kind != T_WORD || (kind = bh_binding_kind_parse(lx->tok.text)) < 0) {
			error_at(lx, &bpos, "expected a binding (cgroup, path or netdev) or '}', found %s",
				 describe(&lx->tok));
			return false;
		}
		next(lx);
		if (lx->tok.kind != T_WORD && lx->tok.kind != T_STRING) {
			error_at(lx, &lx->tok.pos, "expected what to bind after '%s', found %s",
				 bh_binding_kind_name(kind), describe(&lx->tok));
			return false;
		}
		if (strlen(lx->tok.text) >= BULKHEAD_TARGET_LEN) {
			error_at(lx, &lx->tok.pos, "binding target is longer than %d bytes",
				 BULKHEAD_TARGET_LEN - 1);
			return false;
		}
		if (kind == BULKHEAD_BIND_NETDEV && strlen(lx->tok.text) >= 16) {
			error_at(lx, &lx->tok.pos, "interface name '%s' is longer than 15 characters",
				 lx->tok.text);
			return false;
		}
		b = bh_domain_add_binding(d, kind, lx->tok.text);
		if (!b)
			abort();
		b->pos = bpos;
		next(lx);
	}
	next(lx);
	return true;
}

/* What a "{ WORD... } [audit]" set is made of: its words' bit numbers and its names. */
struct word_set {
	int (*bit_of)(const char *word);	/* the word's bit number, or -1 */
	const char *expected;			/* "a channel (file exec ...)" */
	const char *noun;			/* "channel" */
};

static int channel_bit(const char *word)
{
	int mask = bh_channel_parse(word);

	return mask < 0 ? -1 : __builtin_ctz(mask);
}

static const struct word_set channels = {
	channel_bit, "a channel (file exec signal ptrace unix ipc net)", "channel",
};
static const struct word_set capabilities = {
	bh_cap_parse, "a grantable capability (as 'bulkhead grant' lists them)", "capability",
};

/*
 * The words up to '}' (the '{' read already), each at most once, into @set, then an optional
 * "audit" after the '}'.
 */
static bool parse_word_set(struct lexer *lx, const struct word_set *ws, uint64_t *set,
			   bool *audit)
{
	int bit;

	while (lx->tok.kind != T_RBRACE) {
		if (lx->tok.kind != T_WORD || (bit = ws->bit_of(lx->tok.text)) < 0) {
			error_at(lx, &lx->tok.pos, "expected %s or '}', found %s", ws->expected,
				 describe(&lx->tok));
			return false;
		}
		if (*set & (1ULL << bit)) {
			error_at(lx, &lx->tok.pos, "%s '%s' listed twice", ws->noun, lx->tok.text);
			return false;
		}
		*set |= 1ULL << bit;
		next(lx);
	}
	next(lx);
	*audit = is_word(lx, "audit");
	if (*audit)
		next(lx);
	return true;
}

static bool parse_flow(struct lexer *lx, const struct bh_pos *pos)
{
	char from[BULKHEAD_NAME_LEN], to[BULKHEAD_NAME_LEN];
	struct bh_flow *f;
	uint64_t set = 0;
	bool audit = false, ok;

	if (!expect_name(lx, "the source domain", from, sizeof(from)) ||
	    !expect(lx, T_ARROW, "'->'", NULL, 0) ||
	    !expect_name(lx, "the destination domain", to, sizeof(to)) ||
	    !expect(lx, T_LBRACE, "'{' and channels", NULL, 0))
		return false;
	f = bh_policy_add_flow(lx->policy, from, to);
	if (!f)
		abort();
	f->pos = *pos;
	ok = parse_word_set(lx, &channels, &set, &audit);
	f->channels = set;
	f->flags = audit ? BULKHEAD_FLOW_F_AUDIT : 0;
	/* Half a flow would draw "needs a channel" on top of the error already reported. */
	if (!ok)
		lx->policy->n_flows--;
	return ok;
}

static bool parse_grant(struct lexer *lx, const struct bh_pos *pos)
{
	char domain[BULKHEAD_NAME_LEN];
	struct bh_grant *g;
	bool audit = false, ok;

	if (!expect_name(lx, "the domain", domain, sizeof(domain)) ||
	    !expect(lx, T_LBRACE, "'{' and capabilities", NULL, 0))
		return false;
	g = bh_policy_add_grant(lx->policy, domain);
	if (!g)
		abort();
	g->pos = *pos;
	ok = parse_word_set(lx, &capabilities, &g->caps, &audit);
	g->flags = audit ? BULKHEAD_GRANT_F_AUDIT : 0;
	if (!ok)
		lx->policy->n_grants--;
	return ok;
}

static bool parse_exclusive(struct lexer *lx, const struct bh_pos *pos)
{
	char name[BULKHEAD_NAME_LEN];
	struct bh_group *g;
	bool ok;

	if (!expect_name(lx, "a group name", name, sizeof(name)) ||
	    !expect(lx, T_LBRACE, "'{' and member domains", NULL, 0))
		return false;
	g = bh_policy_add_group(lx->policy, name);
	if (!g)
		abort();
	g->pos = *pos;
	while (lx->tok.kind != T_RBRACE) {
		/* A keyword opening a line is the next statement: this one lacks its '}'. */
		if (is_statement_start(lx)) {
			error_at(lx, &lx->tok.pos, "expected a member domain or '}', found %s",
				 describe(&lx->tok));
			ok = false;
		} else {
			ok = expect_name(lx, "a member domain or '}'", name, sizeof(name));
		}
		if (!ok) {
			/* Half a group would draw "needs two members" besides the real error. */
			free(g->members);
			lx->policy->n_groups--;
			return false;
		}
		if (bh_group_add_member(g, name))
			abort();
	}
	next(lx);
	return true;
}

/* How an exchange's setting is read, and where in struct bh_exchange it goes. */
enum setting_kind {
	SET_TEXT,	/* one string (char *) */
	SET_LIST,	/* a string each time it is given (char **, with a size_t count) */
	SET_U64,	/* a number (uint64_t) */
	SET_U32,	/* a number (uint32_t) */
	SET_RATE,	/* a number written N/s (uint32_t) */
	SET_FLAG,	/* a word alone: a BULKHEAD_EXCHANGE_F_* bit of flags */
};

struct exchange_setting {
	const char *key;
	enum setting_kind kind;
	size_t field;		/* offsetof(struct bh_exchange, ...) */
	size_t count;		/* SET_LIST: the offset of its count */
	uint64_t max;		/* the longest string in bytes, the largest number, or the flag */
	const char *unit;	/* numbers: what they count */
};

#define EXCHANGE_FIELD(f) offsetof(struct bh_exchange, f)

/* In canonical order; every number is at least 1, so that 0 can mean "not set". */
static const struct exchange_setting exchange_settings[] = {
	{ .key = "outbox", .kind = SET_TEXT, .field = EXCHANGE_FIELD(outbox),
	  .max = BULKHEAD_TARGET_LEN - 1 },
	{ .key = "inbox", .kind = SET_TEXT, .field = EXCHANGE_FIELD(inbox),
	  .max = BULKHEAD_TARGET_LEN - 1 },
	{ .key = "max-size", .kind = SET_U64, .field = EXCHANGE_FIELD(max_size),
	  .max = UINT64_MAX, .unit = "bytes" },
	{ .key = "type", .kind = SET_LIST, .field = EXCHANGE_FIELD(types),
	  .count = EXCHANGE_FIELD(n_types), .max = BH_EXCHANGE_TYPE_LEN - 1 },
	{ .key = "deny-pattern", .kind = SET_LIST, .field = EXCHANGE_FIELD(deny),
	  .count = EXCHANGE_FIELD(n_deny), .max = BH_EXCHANGE_PATTERN_LEN - 1 },
	{ .key = "filter", .kind = SET_TEXT, .field = EXCHANGE_FIELD(filter),
	  .max = BH_EXCHANGE_FILTER_LEN - 1 },
	{ .key = "filter-timeout", .kind = SET_U32, .field = EXCHANGE_FIELD(filter_timeout),
	  .max = BH_EXCHANGE_MAX_FILTER_TIMEOUT, .unit = "seconds" },
	{ .key = "rate", .kind = SET_RATE, .field = EXCHANGE_FIELD(rate),
	  .max = BH_EXCHANGE_MAX_RATE, .unit = "files a second" },
	{ .key = "burst", .kind = SET_U32, .field = EXCHANGE_FIELD(burst),
	  .max = BH_EXCHANGE_MAX_RATE, .unit = "files" },
	{ .key = "shared-guard", .kind = SET_FLAG, .field = EXCHANGE_FIELD(flags),
	  .max = BULKHEAD_EXCHANGE_F_SHARED_GUARD },
};

#define N_EXCHANGE_SETTINGS (sizeof(exchange_settings) / sizeof(exchange_settings[0]))

/* The setting the current token names, or NULL. */
static const struct exchange_setting *exchange_setting(const struct lexer *lx)
{
	size_t i;

	for (i = 0; i < N_EXCHANGE_SETTINGS; i++)
		if (is_word(lx, exchange_settings[i].key))
			return &exchange_settings[i];
	return NULL;
}

/* Whether @s is set in @e already: a list may be given again, anything else once. */
static bool setting_given(const struct bh_exchange *e, const struct exchange_setting *s)
{
	const void *field = (const char *)e + s->field;

	switch (s->kind) {
	case SET_TEXT:
		return *(char *const *)field;
	case SET_U64:
		return *(const uint64_t *)field;
	case SET_U32:
	case SET_RATE:
		return *(const uint32_t *)field;
	case SET_FLAG:
		return *(const uint32_t *)field & s->max;
	default:
		return false;
	}
}

/* A string setting's value: a target, neither empty nor longer than @s->max. */
static bool read_text(struct lexer *lx, const struct exchange_setting *s)
{
	/* A keyword opening a line is the next statement: this one lacks its value. */
	if ((lx->tok.kind != T_WORD && lx->tok.kind != T_STRING) || is_statement_start(lx)) {
		if (lx->tok.kind != T_BAD)
			error_at(lx, &lx->tok.pos, "expected a value after '%s', found %s", s->key,
				 describe(&lx->tok));
		return false;
	}
	if (!lx->tok.text[0] || strlen(lx->tok.text) > s->max) {
		error_at(lx, &lx->tok.pos, "%s takes 1 to %" PRIu64 " bytes, found %s", s->key,
			 s->max, describe(&lx->tok));
		return false;
	}
	return true;
}

/* A number setting's value, in 1..@s->max, followed by "/s" for a rate. */
static bool read_number(struct lexer *lx, const struct exchange_setting *s, uint64_t *n)
{
	const char *text = lx->tok.text;
	size_t len = strlen(text);
	char digits[24];

	if (s->kind == SET_RATE)
		len = len > 2 && !strcmp(text + len - 2, "/s") ? len - 2 : sizeof(digits);
	if (lx->tok.kind == T_WORD && len < sizeof(digits)) {
		memcpy(digits, text, len);
		digits[len] = '\0';
		if (!bh_parse_uint(digits, 1, s->max, n))
			return true;
	}
	if (lx->tok.kind != T_BAD)
		error_at(lx, &lx->tok.pos, "%s takes 1 to %" PRIu64 " %s%s, found %s", s->key,
			 s->max, s->unit, s->kind == SET_RATE ? " (written N/s)" : "",
			 describe(&lx->tok));
	return false;
}

/* One setting of an exchange's block, into @e. */
static bool parse_setting(struct lexer *lx, struct bh_exchange *e)
{
	const struct exchange_setting *s = exchange_setting(lx);
	void *field = s ? (char *)e + s->field : NULL;
	uint64_t n;

	/* A keyword opening a line is the next statement: this one lacks its '}'. */
	if (!s || is_statement_start(lx)) {
		error_at(lx, &lx->tok.pos,
			 "expected an exchange setting (outbox inbox max-size type deny-pattern filter filter-timeout rate burst shared-guard) or '}', found %s",
			 describe(&lx->tok));
		return false;
	}
	if (setting_given(e, s)) {
		error_at(lx, &lx->tok.pos, "%s is given twice", s->key);
		return false;
	}
	next(lx);
	switch (s->kind) {
	case SET_FLAG:
		*(uint32_t *)field |= s->max;
		return true;
	case SET_TEXT:
		if (!read_text(lx, s))
			return false;
		*(char **)field = strdup(lx->tok.text);
		if (!*(char **)field)
			abort();
		break;
	case SET_LIST:
		if (!read_text(lx, s))
			return false;
		if (bh_strings_add(field, (size_t *)((char *)e + s->count), lx->tok.text))
			abort();
		break;
	case SET_U64:
	case SET_U32:
	case SET_RATE:
		if (!read_number(lx, s, &n))
			return false;
		if (s->kind == SET_U64)
			*(uint64_t *)field = n;
		else
			*(uint32_t *)field = n;
		break;
	}
	next(lx);
	return true;
}

static bool parse_exchange(struct lexer *lx, const struct bh_pos *pos)
{
	char name[BULKHEAD_EXCHANGE_NAME_LEN], from[BULKHEAD_NAME_LEN], to[BULKHEAD_NAME_LEN];
	char guard[BULKHEAD_NAME_LEN];
	struct bh_exchange *e;

	if (!expect_name(lx, "an exchange name", name, sizeof(name)) ||
	    !expect_keyword(lx, "from") ||
	    !expect_name(lx, "the source domain", from, sizeof(from)) ||
	    !expect_keyword(lx, "to") ||
	    !expect_name(lx, "the destination domain", to, sizeof(to)) ||
	    !expect_keyword(lx, "via") ||
	    !expect_name(lx, "the guard domain", guard, sizeof(guard)) ||
	    !expect(lx, T_LBRACE, "'{' and the exchange's settings", NULL, 0))
		return false;
	e = bh_policy_add_exchange(lx->policy, name);
	if (!e)
		abort();
	memcpy(e->from, from, sizeof(from));
	memcpy(e->to, to, sizeof(to));
	memcpy(e->guard, guard, sizeof(guard));
	e->pos = *pos;
	while (lx->tok.kind != T_RBRACE) {
		if (!parse_setting(lx, e)) {
			/* Half an exchange would draw "needs an outbox" besides the real error. */
			bh_exchange_free(e);
			lx->policy->n_exchanges--;
			return false;
		}
	}
	next(lx);
	return true;
}

/*
 * Read the policy file @path into a string; on failure return NULL and set @why. Only regular
 * files of at most MAX_FILE_BYTES are read: a FIFO would block, a device could be endless.
 * @link is set to the file's identity, for cycle detection.
 */
static char *read_file(const char *path, struct chain *link, const char **why)
{
	char *text = NULL;
	struct stat st;
	ssize_t n = 0;
	size_t len = 0;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st)) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE_BYTES) {
		*why = S_ISDIR(st.st_mode) ? "a directory, not a policy file" :
		       !S_ISREG(st.st_mode) ? "not a regular file" :
		       "larger than the 64 MiB a policy file may have";
		close(fd);
		return NULL;
	}
	link->dev = st.st_dev;
	link->ino = st.st_ino;
	text = malloc(st.st_size + 1);
	if (!text)
		abort();
	/* The size is rechecked as it is read: the file may grow meanwhile. */
	while (len <= (size_t)st.st_size &&
	       (n = read(fd, text + len, st.st_size + 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0 || len > (size_t)st.st_size || memchr(text, '\0', len)) {
		*why = n < 0 ? strerror(errno) : len > (size_t)st.st_size ?
		       "changed while being read" : "not a text file";
		free(text);
		return NULL;
	}
	text[len] = '\0';
	return text;
}

/* Report the include cycle that reading @link again would make: "a.bh -> b.bh -> a.bh". */
static void report_cycle(struct lexer *lx, const struct bh_pos *pos, const struct chain *link)
{
	const struct chain *files[MAX_INCLUDE_DEPTH + 1], *c;
	char trail[2048] = "";
	size_t at = 0;
	int n = 0;

	for (c = lx->chain; c && n < MAX_INCLUDE_DEPTH + 1; c = c->outer) {
		files[n++] = c;
		if (c->dev == link->dev && c->ino == link->ino)
			break;
	}
	while (n-- > 0 && at < sizeof(trail)) {
		snprintf(trail + at, sizeof(trail) - at, "%s -> ", files[n]->name);
		at = strlen(trail);
	}
	error_at(lx, pos, "include cycle: %s%s", trail, link->name);
}

static bool parse_include(struct lexer *lx, const struct bh_pos *pos)
{
	struct chain link = { .outer = lx->chain };
	const struct chain *c;
	const char *why;
	char *dir, *path, *text;

	if (lx->tok.kind != T_WORD && lx->tok.kind != T_STRING) {
		error_at(lx, &lx->tok.pos, "expected a file name after include, found %s",
			 describe(&lx->tok));
		return false;
	}
	if (lx->depth >= MAX_INCLUDE_DEPTH) {
		error_at(lx, pos, "includes nest deeper than %d", MAX_INCLUDE_DEPTH);
		return false;
	}
	/* Relative names are relative to the including file, as in C. */
	dir = strdup(lx->file);
	if (!dir)
		abort();
	if (lx->tok.text[0] == '/')
		path = strdup(lx->tok.text);
	else if (asprintf(&path, "%s/%s", dirname(dir), lx->tok.text) < 0)
		path = NULL;
	free(dir);
	if (!path)
		abort();
	text = read_file(path, &link, &why);
	if (!text) {
		error_at(lx, &lx->tok.pos, "cannot read included file %s: %s", path, why);
		free(path);
		return false;
	}
	link.name = path;
	for (c = lx->chain; c; c = c->outer) {
		if (c->dev == link.dev && c->ino == link.ino) {
			report_cycle(lx, &lx->tok.pos, &link);
			free(path);
			free(text);
			return false;
		}
	}
	next(lx);
	lx->errors += parse_source(lx->policy, path, text, lx->depth + 1, &link, lx->err);
	free(path);
	free(text);
	return true;
}

static void parse_statement(struct lexer *lx)
{
	struct bh_pos pos = lx->tok.pos;
	bool ok;

	if (is_word(lx, "include")) {
		next(lx);
		ok = parse_include(lx, &pos);
	} else if (is_word(lx, "mode")) {
		next(lx);
		ok = parse_mode(lx);
	} else if (is_word(lx, "domain")) {
		next(lx);
		ok = parse_domain(lx, &pos);
	} else if (is_word(lx, "flow")) {
		next(lx);
		ok = parse_flow(lx, &pos);
	} else if (is_word(lx, "grant")) {
		next(lx);
		ok = parse_grant(lx, &pos);
	} else if (is_word(lx, "exclusive")) {
		next(lx);
		ok = parse_exclusive(lx, &pos);
	} else if (is_word(lx, "exchange")) {
		next(lx);
		ok = parse_exchange(lx, &pos);
	} else {
		if (lx->tok.kind != T_BAD)
			error_at(lx, &pos, "expected a statement (domain, flow, grant, exclusive, exchange, mode or include), found %s",
				 describe(&lx->tok));
		ok = false;
	}
	/*
	 * Recover at the next statement; the token that broke this one may be it (a '}'
	 * forgotten before the next line's "domain"), and is then not skipped.
	 */
	while (!ok && !is_statement_start(lx))
		next(lx);
}

/* Keep @file's name for the life of the policy: positions point at it. */
static const char *remember_file(struct bh_policy *p, const char *file)
{
	char **files = realloc(p->files, (p->n_files + 1) * sizeof(*files));

	if (!files)
		abort();
	p->files = files;
	files[p->n_files] = strdup(file);
	if (!files[p->n_files])
		abort();
	return files[p->n_files++];
}

static int parse_source(struct bh_policy *p, const char *file, const char *text, int depth,
			const struct chain *chain, FILE *err)
{
	struct lexer lx = {
		.src = text, .line = 1, .col = 1, .depth = depth, .err = err, .policy = p,
		.chain = chain,
	};

	lx.file = remember_file(p, file);
	next(&lx);
	while (lx.tok.kind != T_EOF)
		parse_statement(&lx);
	free(lx.buf);
	return lx.errors;
}

/*
 * What the statements read say as a whole (unknown domains, duplicates, limits) is checked
 * even after syntax errors, so that fixing those does not uncover more.
 */
int bh_parse_text(struct bh_policy *p, const char *name, const char *text, FILE *err)
{
	return parse_source(p, name, text, 0, NULL, err) + bh_policy_validate(p, err);
}

int bh_parse_file(struct bh_policy *p, const char *path, FILE *err)
{
	struct chain top = { .name = path };
	const char *why;
	char *text;
	int errors;

	text = read_file(path, &top, &why);
	if (!text) {
		fprintf(err, "%s: %s\n", path, why);
		return 1;
	}
	errors = parse_source(p, path, text, 0, &top, err) + bh_policy_validate(p, err);
	free(text);
	return errors;
}
