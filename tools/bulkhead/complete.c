// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "--complete", what the bash completion asks. The candidates come from the
 * usage table help prints (main.c), so the completion knows every command, subcommand and
 * option the CLI has and never needs editing beside it: a word of a synopsis that starts with
 * '-' is an option, one in lower case a keyword, one in upper case a placeholder, and a
 * placeholder right after an option inside the same brackets is that option's argument.
 * Domain placeholders are completed with the domains of the policy in force when the module
 * answers; files and directories are left to bash ("@file", "@dir").
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy.h"

#define WORD_LEN 64

/* One synopsis word without its brackets and "...": "[--by" is "--by", "NAME]..." is "NAME". */
static void bare_word(const char *word, char *out)
{
	size_t len;

	word += strspn(word, "[");
	len = strcspn(word, "]");
	if (len >= WORD_LEN)
		len = WORD_LEN - 1;
	memcpy(out, word, len);
	out[len] = '\0';
	if (len > 3 && !strcmp(out + len - 3, "..."))
		out[len - 3] = '\0';
}

static bool is_keyword(const char *alt, size_t len)
{
	return len && strspn(alt, "abcdefghijklmnopqrstuvwxyz_-") >= len && alt[0] != '-';
}

/* The words the placeholder @alt (of length @len) stands for. */
static void print_placeholder(const char *alt, size_t len)
{
	static const char *const domain_words[] = { "DOMAIN", "FROM", "TO" };
	static const char *const file_words[] = { "FILE", "PATH", "OUTBOX", "TARGET" };
	static bool asked;
	struct bh_policy p;
	size_t i;

	for (i = 0; i < sizeof(file_words) / sizeof(file_words[0]); i++)
		if (strlen(file_words[i]) == len && !strncmp(alt, file_words[i], len))
			puts("@file");
	if (len == 3 && !strncmp(alt, "DIR", 3))
		puts("@dir");
	for (i = 0; i < sizeof(domain_words) / sizeof(domain_words[0]); i++) {
		if (strlen(domain_words[i]) != len || strncmp(alt, domain_words[i], len))
			continue;
		/* Once; cheap when the module answers, silent (stderr is the shell's) when not. */
		if (asked)
			return;
		asked = true;
		if (cli_read_policy(&p))
			return;
		for (i = 0; i < p.n_domains; i++)
			puts(p.domains[i].name);
		bh_policy_free(&p);
		return;
	}
}

/* Which alternatives of a synopsis word print_word() offers. */
enum offer { OFFER_ALL, OFFER_ARGUMENTS, OFFER_OPTIONS };

/*
 * Print the alternatives of synopsis word @word ("off|audit|enforce", "[-j|-p]") that @offer
 * asks for: options, keywords, and what placeholders stand for; @skip: the words of the
 * usage's own name, which the synopsis repeats before an alternative form ("| domain list").
 */
static void print_word(const char *word, const char *skip, enum offer offer)
{
	char bare[WORD_LEN], *alt, *save = NULL;

	bare_word(word, bare);
	for (alt = strtok_r(bare, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
		size_t len = strcspn(alt, ",=[");

		if (alt[0] == '-') {
			if (offer != OFFER_ARGUMENTS)
				puts(alt);
		} else if (offer == OFFER_OPTIONS) {
			continue;
		} else if (!is_keyword(alt, len)) {
			print_placeholder(alt, len);
		} else if (!strstr(skip, alt)) {
			printf("%.*s\n", (int)len, alt);
		}
	}
}

/* Whether synopsis word @word has @option among its alternatives. */
static bool word_names(const char *word, const char *option)
{
	char bare[WORD_LEN], *alt, *save = NULL;

	bare_word(word, bare);
	for (alt = strtok_r(bare, "|", &save); alt; alt = strtok_r(NULL, "|", &save))
		if (!strcmp(alt, option))
			return true;
	return false;
}

/* The synopsis of @u split into words, in a buffer the caller frees; how many. */
static size_t synopsis_words(const struct cli_usage_entry *u, char **words, size_t max,
			     char **buf)
{
	char *w, *save = NULL;
	size_t n = 0;

	*buf = strdup(u->synopsis);
	if (!*buf)
		abort();
	for (w = strtok_r(*buf, " ", &save); w && n < max; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	return n;
}

/*
 * Whether synopsis word @i ends with an option that takes the next word as its argument: the
 * next word is not an option and the option's own word does not close its brackets ("[--fsync
 * record|batch]", "--key HEX|--key-file FILE").
 */
static bool takes_argument(char **words, size_t n, size_t i)
{
	/* The option is the word's last alternative: "HEX|--key-file" ends with one. */
	const char *last = strrchr(words[i], '|');

	last = last ? last + 1 : words[i] + strspn(words[i], "[");
	return i + 1 < n && last[0] == '-' && !strchr(words[i], ']') &&
	       !strchr("[-|", words[i + 1][0]);
}

/* When @prev is an option of @u that takes an argument, print what it may be; whether so. */
static bool complete_argument(const struct cli_usage_entry *u, const char *prev)
{
	char *words[128], *buf;
	bool takes = false;
	size_t n, i;

	n = synopsis_words(u, words, 128, &buf);
	for (i = 0; i + 1 < n && prev[0] == '-'; i++) {
		if (!word_names(words[i], prev))
			continue;
		takes = takes_argument(words, n, i);
		if (takes)
			print_word(words[i + 1], "", OFFER_ARGUMENTS);
		break;
	}
	free(buf);
	return takes;
}

/* Every option and keyword of @u, and what its positional placeholders stand for. */
static void complete_usage(const struct cli_usage_entry *u)
{
	char *words[128], *buf;
	size_t n, i;

	n = synopsis_words(u, words, 128, &buf);
	/* An option's argument is offered after the option only. */
	for (i = 0; i < n; i++)
		print_word(words[i], u->name,
			   i && takes_argument(words, n, i - 1) ? OFFER_OPTIONS : OFFER_ALL);
	free(buf);
}

/* The second words of @cmd's two-word usages ("tail", "record", ... of "audit"). */
static void print_subcommands(const char *cmd)
{
	unsigned int i;

	for (i = 0; i < cli_n_usages; i++)
		if (cli_usage_of(&cli_usages[i], cmd) && strchr(cli_usages[i].name, ' '))
			puts(strchr(cli_usages[i].name, ' ') + 1);
}

int cli_complete(int argc, char **argv)
{
	const struct cli_usage_entry *only = NULL;
	bool subcommands = false, answered = false;
	unsigned int i;
	char both[64];

	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "help"))) {
		for (i = 0; i < cli_n_commands; i++)
			puts(cli_commands[i].name);
		if (argc == 0)
			puts("help\n--help\n--version\n--quiet");
		return EXIT_OK;
	}
	if (!strcmp(argv[0], "help")) {
		if (argc == 2)
			print_subcommands(argv[1]);
		return EXIT_OK;
	}
	snprintf(both, sizeof(both), "%s %s", argv[0], argc > 1 ? argv[1] : "");
	for (i = 0; i < cli_n_usages; i++) {
		if (!cli_usage_of(&cli_usages[i], argv[0]))
			continue;
		if (!strcmp(cli_usages[i].name, both))
			only = &cli_usages[i];
		subcommands |= !!strchr(cli_usages[i].name, ' ');
	}
	if (subcommands && !only) {
		if (argc == 1)
			print_subcommands(argv[0]);
		return EXIT_OK;
	}
	for (i = 0; i < cli_n_usages && argc > 1; i++)
		if (only ? &cli_usages[i] == only : cli_usage_of(&cli_usages[i], argv[0]))
			answered |= complete_argument(&cli_usages[i], argv[argc - 1]);
	if (answered)
		return EXIT_OK;
	for (i = 0; i < cli_n_usages; i++)
		if (only ? &cli_usages[i] == only : cli_usage_of(&cli_usages[i], argv[0]))
			complete_usage(&cli_usages[i]);
	puts("--help");
	return EXIT_OK;
}
