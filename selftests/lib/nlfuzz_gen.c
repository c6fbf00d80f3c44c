// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the netlink request generator behind nlfuzz_test.
 *
 * A request is built top-down: datagram (one or more messages, maybe cut short), netlink
 * header (type, flags, a length that may lie), generic netlink header (command, version,
 * reserved bytes), then the attributes. Each layer is either well-formed or broken in one of
 * the ways the kernel must refuse. Attribute encodings follow the tables below, written from
 * the uapi header: every attribute has a kind (u8, u32, u64, string, binary, nest) and a size
 * taken from the header's constants, and a pool of values that reach past validation (names
 * of domains that exist, paths and cgroups the test made) or sit just beyond a limit.
 */
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <linux/bulkhead.h>
#include <linux/bulkhead_audit.h>

#include "nlfuzz_abi.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, pool) ((pool)[fuzz_below(r, ARRAY_SIZE(pool))])

/* Nests deeper than this only come from the deep-nesting mutation. */
#define MAX_DEPTH 3

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void fuzz_rng_init(struct fuzz_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);

	/* xorshift never leaves zero */
	r->state = splitmix64(&x) | 1;
}

uint64_t fuzz_rng_next(struct fuzz_rng *r)
{
	/* xorshift64*: small and fast; the point is reproducibility, not quality */
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dULL;
}

uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n)
{
	return (uint32_t)(((fuzz_rng_next(r) >> 32) * n) >> 32);
}

bool fuzz_chance(struct fuzz_rng *r, unsigned int pct)
{
	return fuzz_below(r, 100) < pct;
}

/* --- writing into the request ------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

/* Append @n zero bytes; NULL (and nothing written) when they do not fit. */
static uint8_t *wb_put(struct wbuf *w, size_t n)
{
	uint8_t *at;

	if (n > w->cap - w->len)
		return NULL;
	at = w->p + w->len;
	memset(at, 0, n);
	w->len += n;
	return at;
}

static void wb_random(struct fuzz_gen *g, struct wbuf *w, size_t n)
{
	uint8_t *at = wb_put(w, n);
	size_t i;

	for (i = 0; at && i < n; i++)
		at[i] = fuzz_rng_next(&g->rng);
}

static void wb_align(struct wbuf *w)
{
	wb_put(w, NLA_ALIGN(w->len) - w->len);
}

static void set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	memcpy(w->p + off, &v, sizeof(v));
}

/* Open an attribute of @type (flag bits included); close it with attr_end(). */
static size_t attr_begin(struct wbuf *w, uint16_t type)
{
	size_t off = w->len;

	if (!wb_put(w, NLA_HDRLEN))
		return SIZE_MAX;
	set_u16(w, off + 2, type);
	return off;
}

/*
 * Close the attribute opened at @off: its length covers what was written since. One that
 * outgrew the 16 bits of nla_len is dropped; lengths lie only where a mutation means them to.
 */
static void attr_end(struct wbuf *w, size_t off)
{
	if (off == SIZE_MAX)
		return;
	if (w->len - off > UINT16_MAX) {
		w->len = off;
		return;
	}
	set_u16(w, off, w->len - off);
	wb_align(w);
}

static void put_bytes(struct wbuf *w, uint16_t type, const void *data, size_t len)
{
	size_t off = attr_begin(w, type);
	uint8_t *at = off == SIZE_MAX ? NULL : wb_put(w, len);

	if (at)
		memcpy(at, data, len);
	attr_end(w, off);
}

/* @v in @size bytes (1, 2, 4 or 8), host byte order as netlink's integers are. */
static void put_int(struct wbuf *w, uint16_t type, uint64_t v, unsigned int size)
{
	uint8_t b8 = v;
	uint16_t b16 = v;
	uint32_t b32 = v;
	const void *p = size == 1 ? (void *)&b8 : size == 2 ? (void *)&b16 :
			size == 4 ? (void *)&b32 : (void *)&v;

	put_bytes(w, type, p, size);
}

static void put_string(struct wbuf *w, uint16_t type, const char *s)
{
	put_bytes(w, type, s, strlen(s) + 1);
}

/* --- well-formed attributes ------------------------------------------------------------ */

static void put_valid(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_attr_set *set,
		      unsigned int type, int depth);

static void put_binding_target(struct fuzz_gen *g, struct wbuf *w, uint64_t kind)
{
	static const enum fuzz_value_pool by_kind[] = {
		[BULKHEAD_BIND_CGROUP] = VP_CGROUP,
		[BULKHEAD_BIND_PATH] = VP_PATH,
		[BULKHEAD_BIND_NETDEV] = VP_IFNAME,
	};

	put_string(w, BULKHEAD_A_BINDING_TARGET,
		   fuzz_pick_string(g, kind < ARRAY_SIZE(by_kind) ? by_kind[kind] : VP_TARGET));
}

/* The attributes of one policy object, as TXN_ADD and TXN_DEL take them. */
static void put_object_members(struct fuzz_gen *g, struct wbuf *w, unsigned int obj)
{
	unsigned int i, n;
	uint64_t kind;

	switch (obj) {
	case BULKHEAD_A_OBJ_DOMAIN:
		put_string(w, BULKHEAD_A_OBJ_NAME, fuzz_pick_name(g));
		break;
	case BULKHEAD_A_OBJ_BINDING:
		kind = fuzz_pick_int(g, VP_KIND);
		put_string(w, BULKHEAD_A_BINDING_DOMAIN, fuzz_pick_name(g));
		put_int(w, BULKHEAD_A_BINDING_KIND, kind, 4);
		put_binding_target(g, w, kind);
		break;
	case BULKHEAD_A_OBJ_FLOW:
		put_string(w, BULKHEAD_A_FLOW_FROM, fuzz_pick_name(g));
		put_string(w, BULKHEAD_A_FLOW_TO, fuzz_pick_name(g));
		put_int(w, BULKHEAD_A_FLOW_CHANNELS, fuzz_pick_int(g, VP_CHANNELS), 4);
		if (fuzz_chance(&g->rng, 50))
			put_int(w, BULKHEAD_A_FLOW_FLAGS, fuzz_pick_int(g, VP_FLOW_FLAGS), 4);
		break;
	case BULKHEAD_A_OBJ_GRANT:
		/* Mostly grantable capabilities, now and then any bit. */
		put_string(w, BULKHEAD_A_GRANT_DOMAIN, fuzz_pick_name(g));
		put_int(w, BULKHEAD_A_GRANT_CAPS, fuzz_chance(&g->rng, 80) ?
			BULKHEAD_GRANTABLE_CAPS & (1ULL << fuzz_below(&g->rng, 64)) :
			1ULL << fuzz_below(&g->rng, 64), 8);
		if (fuzz_chance(&g->rng, 50))
			put_int(w, BULKHEAD_A_GRANT_FLAGS, fuzz_pick_int(g, VP_FLOW_FLAGS), 4);
		break;
	default:
		put_string(w, BULKHEAD_A_OBJ_NAME, fuzz_chance(&g->rng, 80) ?
			   (fuzz_chance(&g->rng, 50) ? "g0" : "g1") : fuzz_pick_name(g));
		n = g->tame ? 2 + fuzz_below(&g->rng, 2) : fuzz_below(&g->rng, 5);
		for (i = 0; i < n; i++)
			put_string(w, BULKHEAD_A_GROUP_MEMBER, fuzz_pick_name(g));
		break;
	}
}

static void put_objects(struct fuzz_gen *g, struct wbuf *w)
{
	static const unsigned int kinds[] = {
		BULKHEAD_A_OBJ_DOMAIN, BULKHEAD_A_OBJ_DOMAIN, BULKHEAD_A_OBJ_DOMAIN,
		BULKHEAD_A_OBJ_BINDING, BULKHEAD_A_OBJ_BINDING, BULKHEAD_A_OBJ_FLOW,
		BULKHEAD_A_OBJ_FLOW, BULKHEAD_A_OBJ_GROUP, BULKHEAD_A_OBJ_GRANT,
	};
	/* Now and then a batch big enough to fill a policy and its dump. */
	unsigned int n = !g->tame && fuzz_chance(&g->rng, 3) ? 50 + fuzz_below(&g->rng, 200) :
			 1 + fuzz_below(&g->rng, g->tame ? 3 : 5);
	unsigned int i;

	for (i = 0; i < n; i++)
		put_valid(g, w, &fuzz_top_set, PICK(&g->rng, kinds), 1);
}

static void put_nest(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_attr_set *set,
		     unsigned int type, int depth)
{
	const struct fuzz_attr_set *inner = set->spec[type].nest;
	size_t off = attr_begin(w, type | NLA_F_NESTED);
	unsigned int i, n;

	if (set == &fuzz_top_set && type == BULKHEAD_A_OBJECTS)
		put_objects(g, w);
	else if (inner == &fuzz_obj_set)
		put_object_members(g, w, type);
	else if (depth < MAX_DEPTH)
		for (i = 0, n = fuzz_below(&g->rng, 4); i < n; i++)
			put_valid(g, w, inner, 1 + fuzz_below(&g->rng, inner->max), depth + 1);
	attr_end(w, off);
}

static void put_valid(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_attr_set *set,
		      unsigned int type, int depth)
{
	const struct fuzz_attr_spec *s = &set->spec[type];
	uint8_t *at;
	size_t off;

	switch (s->kind) {
	case AK_U8:
	case AK_U32:
	case AK_U64:
		put_int(w, type, fuzz_pick_int(g, s->pool), s->size);
		break;
	case AK_STRING:
		put_string(w, type, fuzz_pick_string(g, s->pool));
		break;
	case AK_BINARY:
		off = attr_begin(w, type);
		if (off != SIZE_MAX)
			wb_random(g, w, s->size);
		attr_end(w, off);
		break;
	case AK_NEST:
		put_nest(g, w, set, type, depth);
		break;
	default:
		/* no spec: an unknown type, with a little payload */
		off = attr_begin(w, type);
		at = off == SIZE_MAX ? NULL : wb_put(w, 4);
		if (at)
			memset(at, 0x5a, 4);
		attr_end(w, off);
		break;
	}
}

/* --- broken attributes ------------------------------------------------------------------ */

/* A type: mostly one the set defines, else 0 or one past the end. */
static unsigned int pick_type(struct fuzz_gen *g, const struct fuzz_attr_set *set)
{
	unsigned int r = fuzz_below(&g->rng, 100);

	if (r < 82)
		return 1 + fuzz_below(&g->rng, set->max);
	if (r < 88)
		return 0;
	if (r < 97)
		return set->max + 1 + fuzz_below(&g->rng, 16);
	return NLA_TYPE_MASK;
}

/* A string of @len bytes, NUL or not at the end. */
static void put_long_string(struct fuzz_gen *g, struct wbuf *w, uint16_t type, size_t len,
			    bool nul)
{
	size_t off = attr_begin(w, type);
	uint8_t *at = off == SIZE_MAX ? NULL : wb_put(w, len);

	if (at && len) {
		memset(at, 'a' + fuzz_below(&g->rng, 26), len);
		if (nul)
			at[len - 1] = '\0';
	}
	attr_end(w, off);
}

/* A payload length the kind never has. */
static size_t wrong_length(struct fuzz_gen *g, const struct fuzz_attr_spec *s)
{
	static const size_t lengths[] = { 0, 1, 2, 3, 5, 7, 8, 9, 16, 31, 33 };
	size_t len;

	do
		len = PICK(&g->rng, lengths);
	while (len == s->size && s->kind != AK_STRING);
	return len;
}

/* Oversized: just past the limit, far past it, or as far as a nla_len can say. */
static size_t oversize(struct fuzz_gen *g, const struct fuzz_attr_spec *s)
{
	unsigned int r = fuzz_below(&g->rng, 100);

	if (r < 70)
		return s->size + 1 + fuzz_below(&g->rng, 64);
	if (r < 97)
		return BULKHEAD_TARGET_LEN + fuzz_below(&g->rng, 8192);
	return UINT16_MAX - NLA_HDRLEN - fuzz_below(&g->rng, 4);
}

static void put_deep_nest(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_attr_set *set,
			  unsigned int type, unsigned int levels)
{
	size_t off = attr_begin(w, type | NLA_F_NESTED);

	if (levels)
		put_deep_nest(g, w, set, type, levels - 1);
	else
		put_valid(g, w, set, pick_type(g, set) % (set->max + 1), MAX_DEPTH);
	attr_end(w, off);
}

static void put_mutant(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_attr_set *set,
		       unsigned int type, int depth)
{
	const struct fuzz_attr_spec none = { AK_NONE }, *s = type <= set->max ? &set->spec[type] : &none;
	const struct fuzz_attr_set *foreign[] = { &fuzz_top_set, &fuzz_obj_set, &fuzz_hook_set };
	size_t off;

	switch (fuzz_below(&g->rng, 9)) {
	case 0:
		off = attr_begin(w, type);
		if (off != SIZE_MAX)
			wb_random(g, w, wrong_length(g, s));
		attr_end(w, off);
		break;
	case 1:
		put_long_string(g, w, type, oversize(g, s), fuzz_chance(&g->rng, 70));
		break;
	case 2:
		/* a string that does not end in NUL, or one with bytes after its NUL */
		if (fuzz_chance(&g->rng, 50))
			put_bytes(w, type, "d0", 2);
		else
			put_bytes(w, type, "d0\0junk", 8);
		break;
	case 3:
		/* the nested flag where it does not belong, or missing where it does */
		off = attr_begin(w, type ^ (s->kind == AK_NEST ? 0 : NLA_F_NESTED));
		if (off != SIZE_MAX)
			wb_random(g, w, s->size ? s->size : 4);
		attr_end(w, off);
		if (s->kind == AK_NEST) {
			off = attr_begin(w, type);
			put_valid(g, w, set, type, depth + 1);
			attr_end(w, off);
		}
		break;
	case 4:
		off = attr_begin(w, type | NLA_F_NET_BYTEORDER);
		if (off != SIZE_MAX)
			wb_random(g, w, s->size);
		attr_end(w, off);
		break;
	case 5:
		off = attr_begin(w, type | NLA_F_NESTED);
		if (off != SIZE_MAX)
			wb_random(g, w, fuzz_below(&g->rng, 64));
		attr_end(w, off);
		break;
	case 6: {
		/* members of another attribute space inside this nest */
		const struct fuzz_attr_set *other = PICK(&g->rng, foreign);
		unsigned int i, n = 1 + fuzz_below(&g->rng, 4);

		off = attr_begin(w, type | NLA_F_NESTED);
		for (i = 0; off != SIZE_MAX && i < n && depth < MAX_DEPTH; i++)
			put_valid(g, w, other, 1 + fuzz_below(&g->rng, other->max), depth + 1);
		attr_end(w, off);
		break;
	}
	case 7:
		put_deep_nest(g, w, set, type, 2 + fuzz_below(&g->rng, 40));
		break;
	default:
		put_bytes(w, type, "", 0);
		break;
	}
}

/* Any attribute of @set, valid or not. */
static void put_any(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_attr_set *set, int depth)
{
	unsigned int type = pick_type(g, set);

	if (type && type <= set->max && fuzz_chance(&g->rng, 60))
		put_valid(g, w, set, type, depth);
	else
		put_mutant(g, w, set, type, depth);
}

/* Attribute headers whose length is below the header's own size or past the message. */
static void put_broken_header(struct fuzz_gen *g, struct wbuf *w)
{
	uint8_t *at = wb_put(w, NLA_HDRLEN + 4);
	uint16_t len = fuzz_chance(&g->rng, 50) ? fuzz_below(&g->rng, NLA_HDRLEN) :
		       NLA_HDRLEN + 8 + fuzz_below(&g->rng, 4096);
	uint16_t type = fuzz_below(&g->rng, BULKHEAD_A_MAX + 2);

	if (!at)
		return;
	memcpy(at, &len, sizeof(len));
	memcpy(at + 2, &type, sizeof(type));
	memset(at + NLA_HDRLEN, 0x11, 4);
}

/* One to three of: a duplicate, a stray attribute, a broken one, junk after the last. */
static void mutate_list(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_cmd_spec *c)
{
	unsigned int i, n = 1 + fuzz_below(&g->rng, 3), r;

	for (i = 0; i < n; i++) {
		r = fuzz_below(&g->rng, 100);
		if (r < 30 && c && c->n_attrs)
			put_valid(g, w, &fuzz_top_set, c->attrs[fuzz_below(&g->rng, c->n_attrs)], 0);
		else if (r < 60)
			put_any(g, w, &fuzz_top_set, 0);
		else if (r < 75 && c && c->n_attrs)
			put_mutant(g, w, &fuzz_top_set, c->attrs[fuzz_below(&g->rng, c->n_attrs)], 0);
		else if (r < 85)
			wb_random(g, w, 1 + fuzz_below(&g->rng, 3));
		else
			put_broken_header(g, w);
	}
}

/* The attributes @c takes, by its rule: all of them, some of them, or exactly one. */
static void put_cmd_attrs(struct fuzz_gen *g, struct wbuf *w, const struct fuzz_cmd_spec *c)
{
	unsigned int i;

	if (c->take == TAKE_ONE && c->n_attrs) {
		put_valid(g, w, &fuzz_top_set, c->attrs[fuzz_below(&g->rng, c->n_attrs)], 0);
		return;
	}
	for (i = 0; i < c->n_attrs; i++) {
		/* a tame commit does not guess the generation it expects */
		if (g->tame && c->attrs[i] == BULKHEAD_A_GENERATION)
			continue;
		if (c->take == TAKE_ALL || fuzz_chance(&g->rng, 50))
			put_valid(g, w, &fuzz_top_set, c->attrs[i], 0);
	}
}

/* A soup of attributes of any type, some of them huge: the oversized request. */
static void put_soup(struct fuzz_gen *g, struct wbuf *w)
{
	unsigned int i, n = fuzz_below(&g->rng, 7);

	if (fuzz_chance(&g->rng, 5)) {
		for (i = 0, n = 8 + fuzz_below(&g->rng, 16); i < n; i++)
			put_long_string(g, w, pick_type(g, &fuzz_top_set), BULKHEAD_TARGET_LEN, true);
		return;
	}
	for (i = 0; i < n; i++)
		put_any(g, w, &fuzz_top_set, 0);
}

/* --- messages and datagrams ------------------------------------------------------------ */

static uint16_t pick_msg_type(struct fuzz_gen *g)
{
	unsigned int r = fuzz_below(&g->rng, 100);

	if (r < 92)
		return g->family;
	if (r < 95)
		return GENL_ID_CTRL;
	if (r < 98)
		return fuzz_below(&g->rng, NLMSG_MIN_TYPE);
	/* ids no family holds: generic netlink hands them out from the bottom */
	return 0xff00 + fuzz_below(&g->rng, 0x100);
}

static uint8_t pick_cmd(struct fuzz_gen *g)
{
	unsigned int r = fuzz_below(&g->rng, 100);

	if (r < 85)
		return 1 + fuzz_below(&g->rng, BULKHEAD_CMD_MAX);
	if (r < 91)
		return fuzz_chance(&g->rng, 25) ? 0 : BULKHEAD_CMD_MAX + 1 + fuzz_below(&g->rng, 3);
	return fuzz_below(&g->rng, 256);
}

static uint16_t pick_flags(struct fuzz_gen *g, uint8_t cmd)
{
	uint16_t flags = 0;
	unsigned int dump_pct = cmd == BULKHEAD_CMD_POLICY_GET ? 90 : 8;

	if (fuzz_chance(&g->rng, 97))
		flags |= NLM_F_REQUEST;
	if (fuzz_chance(&g->rng, 85))
		flags |= NLM_F_ACK;
	if (fuzz_chance(&g->rng, dump_pct)) {
		/* half a dump flag now and then: generic netlink wants both bits */
		flags |= fuzz_chance(&g->rng, 80) ? NLM_F_DUMP :
			 fuzz_chance(&g->rng, 50) ? NLM_F_ROOT : NLM_F_MATCH;
	}
	if (fuzz_chance(&g->rng, 3))
		flags |= NLM_F_ECHO;
	if (fuzz_chance(&g->rng, 3))
		flags |= fuzz_rng_next(&g->rng) & 0xff00;
	return flags;
}

static uint32_t next_seq(struct fuzz_gen *g, uint16_t type, uint8_t cmd)
{
	uint32_t seq = ++g->counter << 9;

	return type == g->family ? seq | FUZZ_SEQ_BULKHEAD | cmd : seq;
}

/* A length that lies: short of the message (it then ends early), past it, or tiny. */
static uint32_t lying_length(struct fuzz_gen *g, uint32_t real)
{
	switch (fuzz_below(&g->rng, 4)) {
	case 0:
		return fuzz_below(&g->rng, real);
	case 1:
		return NLMSG_HDRLEN + fuzz_below(&g->rng, GENL_HDRLEN);
	case 2:
		return real + 1 + fuzz_below(&g->rng, 256);
	default:
		return UINT32_MAX;
	}
}

/* One message; @broken allows every layer of it to be wrong. */
static void put_message(struct fuzz_gen *g, struct wbuf *w, bool broken, uint8_t cmd,
			uint16_t flags)
{
	const struct fuzz_cmd_spec none = { false };
	const struct fuzz_cmd_spec *c = cmd <= BULKHEAD_CMD_MAX ? &fuzz_cmds[cmd] : &none;
	size_t start = w->len;
	struct nlmsghdr nlh = { .nlmsg_flags = flags };
	struct genlmsghdr gh = { .cmd = cmd, .version = BULKHEAD_GENL_VERSION };
	uint8_t *hdrs = wb_put(w, NLMSG_HDRLEN + GENL_HDRLEN);

	if (!hdrs)
		return;
	nlh.nlmsg_type = broken ? pick_msg_type(g) : g->family;
	nlh.nlmsg_seq = next_seq(g, nlh.nlmsg_type, cmd);
	if (broken && fuzz_chance(&g->rng, 4))
		gh.version = fuzz_rng_next(&g->rng);
	if (broken && fuzz_chance(&g->rng, 4))
		gh.reserved = 1 + fuzz_below(&g->rng, UINT16_MAX);
	if (broken && fuzz_chance(&g->rng, 20))
		put_soup(g, w);
	else
		put_cmd_attrs(g, w, c);
	if (broken && fuzz_chance(&g->rng, 40))
		mutate_list(g, w, c);
	nlh.nlmsg_len = w->len - start;
	if (broken && fuzz_chance(&g->rng, 6))
		nlh.nlmsg_len = lying_length(g, nlh.nlmsg_len);
	memcpy(hdrs, &nlh, sizeof(nlh));
	memcpy(hdrs + NLMSG_HDRLEN, &gh, sizeof(gh));
	/* the next message starts aligned, as the kernel looks for it */
	wb_align(w);
}

static size_t build_any(struct fuzz_gen *g, struct wbuf *w, uint8_t cmd, uint16_t flags)
{
	unsigned int i, n = fuzz_chance(&g->rng, 10) ? 2 + fuzz_below(&g->rng, 3) : 1;

	for (i = 0; i < n; i++) {
		cmd = pick_cmd(g);
		put_message(g, w, true, cmd, pick_flags(g, cmd));
	}
	/* a datagram cut short: the kernel must not read past what arrived */
	if (w->len && fuzz_chance(&g->rng, 3))
		w->len = 1 + fuzz_below(&g->rng, w->len);
	return w->len;
}

static size_t build_wellformed(struct fuzz_gen *g, struct wbuf *w, uint8_t cmd, uint16_t flags)
{
	put_message(g, w, false, cmd, NLM_F_REQUEST | flags);
	return w->len;
}

static void put_domain(struct wbuf *w, const char *name)
{
	size_t obj = attr_begin(w, BULKHEAD_A_OBJ_DOMAIN | NLA_F_NESTED);

	put_string(w, BULKHEAD_A_OBJ_NAME, name);
	attr_end(w, obj);
}

static void put_binding(struct wbuf *w, const char *domain, uint32_t kind, const char *target)
{
	size_t obj = attr_begin(w, BULKHEAD_A_OBJ_BINDING | NLA_F_NESTED);

	put_string(w, BULKHEAD_A_BINDING_DOMAIN, domain);
	put_int(w, BULKHEAD_A_BINDING_KIND, kind, 4);
	put_string(w, BULKHEAD_A_BINDING_TARGET, target);
	attr_end(w, obj);
}

static void put_flow(struct wbuf *w, const char *from, const char *to)
{
	size_t obj = attr_begin(w, BULKHEAD_A_OBJ_FLOW | NLA_F_NESTED);

	put_string(w, BULKHEAD_A_FLOW_FROM, from);
	put_string(w, BULKHEAD_A_FLOW_TO, to);
	put_int(w, BULKHEAD_A_FLOW_CHANNELS, BULKHEAD_CHAN_FILE, 4);
	attr_end(w, obj);
}

static void put_group(struct wbuf *w, const char *name, const char *a, const char *b)
{
	size_t obj = attr_begin(w, BULKHEAD_A_OBJ_GROUP | NLA_F_NESTED);

	put_string(w, BULKHEAD_A_OBJ_NAME, name);
	put_string(w, BULKHEAD_A_GROUP_MEMBER, a);
	put_string(w, BULKHEAD_A_GROUP_MEMBER, b);
	attr_end(w, obj);
}

static size_t build_seed_add(struct fuzz_gen *g, struct wbuf *w, uint8_t cmd, uint16_t flags)
{
	char names[FUZZ_SEED_DOMAINS][8];
	size_t start = w->len, objs;
	struct genlmsghdr gh = { .cmd = BULKHEAD_CMD_TXN_ADD, .version = BULKHEAD_GENL_VERSION };
	struct nlmsghdr nlh = {
		.nlmsg_type = g->family,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = next_seq(g, g->family, BULKHEAD_CMD_TXN_ADD),
	};
	uint8_t *hdrs = wb_put(w, NLMSG_HDRLEN + GENL_HDRLEN);
	unsigned int i, j;

	if (!hdrs)
		return 0;
	objs = attr_begin(w, BULKHEAD_A_OBJECTS | NLA_F_NESTED);
	for (i = 0; i < FUZZ_SEED_DOMAINS; i++) {
		snprintf(names[i], sizeof(names[i]), "d%u", i);
		put_domain(w, names[i]);
	}
	put_binding(w, "d0", BULKHEAD_BIND_PATH, FUZZ_DIR "/a");
	put_binding(w, "d1", BULKHEAD_BIND_CGROUP, FUZZ_CGROUP "/a");
	put_binding(w, "d2", BULKHEAD_BIND_NETDEV, "lo");
	put_binding(w, "d3", BULKHEAD_BIND_PATH, FUZZ_DIR "/b");
	/* the domains the name pool knows send to every other: a dump of some 25 KiB */
	for (i = 0; i < 8; i++)
		for (j = 0; j < FUZZ_SEED_DOMAINS; j++)
			if (i != j)
				put_flow(w, names[i], names[j]);
	put_group(w, "g0", "d6", "d7");
	put_group(w, "g1", "d4", "d5");
	attr_end(w, objs);
	nlh.nlmsg_len = w->len - start;
	memcpy(hdrs, &nlh, sizeof(nlh));
	memcpy(hdrs + NLMSG_HDRLEN, &gh, sizeof(gh));
	return w->len;
}

static size_t build_plain(struct fuzz_gen *g, struct wbuf *w, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN),
		.nlmsg_type = g->family,
		.nlmsg_flags = NLM_F_REQUEST | flags,
		.nlmsg_seq = next_seq(g, g->family, cmd),
	};
	struct genlmsghdr gh = { .cmd = cmd, .version = BULKHEAD_GENL_VERSION };
	uint8_t *hdrs = wb_put(w, NLMSG_HDRLEN + GENL_HDRLEN);

	if (hdrs) {
		memcpy(hdrs, &nlh, sizeof(nlh));
		memcpy(hdrs + NLMSG_HDRLEN, &gh, sizeof(gh));
	}
	return w->len;
}

static size_t build_tame(struct fuzz_gen *g, struct wbuf *w, uint8_t cmd, uint16_t flags)
{
	g->tame = true;
	put_message(g, w, false, cmd, NLM_F_REQUEST | flags);
	g->tame = false;
	return w->len;
}

typedef size_t (*build_fn)(struct fuzz_gen *g, struct wbuf *w, uint8_t cmd, uint16_t flags);

/* Build with @build; for root, again until root may send it, and a status query at worst. */
static size_t build_for_sender(struct fuzz_gen *g, uint8_t *buf, size_t cap, build_fn build,
			       uint8_t cmd, uint16_t flags)
{
	struct wbuf w = { .p = buf, .cap = cap < FUZZ_MAX_REQUEST ? cap : FUZZ_MAX_REQUEST };
	int tries;

	for (tries = 0; tries < 16; tries++) {
		w.len = 0;
		build(g, &w, cmd, flags);
		if (!g->root || fuzz_root_safe(buf, w.len, g->family))
			return w.len;
		g->filtered++;
	}
	w.len = 0;
	return build_wellformed(g, &w, BULKHEAD_CMD_STATUS_GET, NLM_F_ACK);
}

size_t fuzz_request(struct fuzz_gen *g, uint8_t *buf, size_t cap)
{
	return build_for_sender(g, buf, cap, build_any, 0, 0);
}

size_t fuzz_wellformed(struct fuzz_gen *g, uint8_t cmd, uint16_t flags, uint8_t *buf,
		       size_t cap)
{
	return build_for_sender(g, buf, cap, build_wellformed, cmd, flags);
}

size_t fuzz_tame(struct fuzz_gen *g, uint8_t cmd, uint16_t flags, uint8_t *buf, size_t cap)
{
	return build_for_sender(g, buf, cap, build_tame, cmd, flags);
}

size_t fuzz_plain(struct fuzz_gen *g, uint8_t cmd, uint16_t flags, uint8_t *buf, size_t cap)
{
	return build_for_sender(g, buf, cap, build_plain, cmd, flags);
}

size_t fuzz_seed_add(struct fuzz_gen *g, uint8_t *buf, size_t cap)
{
	return build_for_sender(g, buf, cap, build_seed_add, 0, 0);
}

size_t fuzz_ctrl_policy_dump(struct fuzz_gen *g, uint8_t *buf, size_t cap)
{
	struct wbuf w = { .p = buf, .cap = cap };
	struct genlmsghdr gh = { .cmd = CTRL_CMD_GETPOLICY, .version = 1 };
	struct nlmsghdr nlh = {
		.nlmsg_type = GENL_ID_CTRL,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.nlmsg_seq = next_seq(g, GENL_ID_CTRL, 0),
	};
	uint8_t *hdrs = wb_put(&w, NLMSG_HDRLEN + GENL_HDRLEN);

	if (!hdrs)
		return 0;
	put_int(&w, CTRL_ATTR_FAMILY_ID, g->family, sizeof(uint16_t));
	/* one command's policy, or any number the controller must refuse, or all of them */
	if (fuzz_chance(&g->rng, 60))
		put_int(&w, CTRL_ATTR_OP, fuzz_below(&g->rng, BULKHEAD_CMD_MAX + 3), 4);
	nlh.nlmsg_len = w.len;
	memcpy(hdrs, &nlh, sizeof(nlh));
	memcpy(hdrs + NLMSG_HDRLEN, &gh, sizeof(gh));
	return w.len;
}
