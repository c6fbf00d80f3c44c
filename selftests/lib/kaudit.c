// SPDX-License-Identifier: GPL-2.0
/* The Linux audit subsystem, driven over its netlink socket (see kaudit.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "kaudit.h"

/* auditd's usual "-b 8192": the kernel's default of 64 queued records is for boot. */
#define BACKLOG_LIMIT	8192
/* The kernel's MAX_AUDIT_MESSAGE_LENGTH (kernel/audit.h), which no uapi header gives. */
#define MAX_MESSAGE	8970
#define BUF_BYTES	(MAX_MESSAGE + NLMSG_HDRLEN)

static int send_msg(int fd, __u16 type, __u16 flags, const void *data, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	static __u32 seq;
	char buf[BUF_BYTES];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	if (NLMSG_SPACE(len) > sizeof(buf))
		return -EINVAL;
	memset(buf, 0, NLMSG_SPACE(len));
	h->nlmsg_len = NLMSG_LENGTH(len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(h), data, len);
	return sendto(fd, buf, h->nlmsg_len, 0, (struct sockaddr *)&kernel,
		      sizeof(kernel)) < 0 ? -errno : 0;
}

/*
 * Wait for the answer to a request: the ack (@type 0), or a message of @type, whose payload
 * goes to @reply. Records arriving meanwhile (on the daemon's socket) are passed over.
 */
static int wait_for(int fd, __u16 type, void *reply, size_t reply_len)
{
	char buf[BUF_BYTES];
	struct nlmsghdr *h;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			size_t len = h->nlmsg_len - NLMSG_HDRLEN;

			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error || !type)
					return e->error;
			} else if (type && h->nlmsg_type == type) {
				memcpy(reply, NLMSG_DATA(h), len < reply_len ? len : reply_len);
				return 0;
			}
		}
	}
}

/* A request the kernel acknowledges. */
static int request(int fd, __u16 type, const void *data, size_t len)
{
	int err = send_msg(fd, type, NLM_F_ACK, data, len);

	return err ?: wait_for(fd, 0, NULL, 0);
}

int kaudit_status(struct kaudit *k, struct audit_status *st)
{
	/* No ack asked: the kernel sends the status from a thread of its own, in any order. */
	int err = send_msg(k->fd, AUDIT_GET, 0, NULL, 0);

	memset(st, 0, sizeof(*st));
	return err ?: wait_for(k->fd, AUDIT_GET, st, sizeof(*st));
}

static int set_status(int fd, __u32 mask, __u32 pid, __u32 backlog_limit)
{
	struct audit_status s = {
		.mask = mask, .pid = pid, .backlog_limit = backlog_limit, .enabled = 1,
	};

	return request(fd, AUDIT_SET, &s, sizeof(s));
}

static volatile sig_atomic_t reader_stopping;

static void on_term(int sig)
{
	reader_stopping = 1;
}

/* The daemon: registered as the one task records go to, each written out as a line. */
static int reader(const char *log, int ready)
{
	struct sigaction sa = { .sa_handler = on_term };	/* no SA_RESTART: recv stops */
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	static char out[256 * 1024];
	char buf[BUF_BYTES];
	struct nlmsghdr *h;
	struct timeval tick = { .tv_usec = 200000 };
	int err, size = 8 << 20;
	FILE *f;
	ssize_t n;

	sigaction(SIGTERM, &sa, NULL);
	f = fopen(log, "w");
	if (fd < 0 || !f)
		err = -errno;
	else
		err = set_status(fd, AUDIT_STATUS_PID, getpid(), 0);
	if (write(ready, &err, sizeof(err)) != sizeof(err) || err)
		return 1;
	setvbuf(f, out, _IOFBF, sizeof(out));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	/* A SIGTERM just before recv() is seen within the timeout. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
	while (!reader_stopping) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			continue;
		/*
		 * One record a datagram, whose nlmsg_len the kernel sets to the text's length
		 * alone, without its header (as libaudit knows): the datagram's size is taken.
		 */
		h = (struct nlmsghdr *)buf;
		if (n > NLMSG_HDRLEN && h->nlmsg_type != NLMSG_ERROR)
			fprintf(f, "type=%u %.*s\n", h->nlmsg_type,
				(int)strnlen(NLMSG_DATA(h), n - NLMSG_HDRLEN),
				(const char *)NLMSG_DATA(h));
	}
	fclose(f);
	set_status(fd, AUDIT_STATUS_PID, 0, 0);
	return 0;
}

int kaudit_start(struct kaudit *k, const char *log)
{
	struct audit_status st;
	int pipefd[2], err;

	k->reader = -1;
	k->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (k->fd < 0)
		return -errno;
	err = kaudit_status(k, &st);
	if (err)
		return err;
	k->old_backlog_limit = st.backlog_limit;
	err = set_status(k->fd, AUDIT_STATUS_BACKLOG_LIMIT | AUDIT_STATUS_ENABLED, 0,
			 BACKLOG_LIMIT);
	if (err || pipe(pipefd))
		return err ?: -errno;
	k->reader = fork();
	if (!k->reader) {
		close(pipefd[0]);
		_exit(reader(log, pipefd[1]));
	}
	close(pipefd[1]);
	if (k->reader < 0 || read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = -EIO;
	close(pipefd[0]);
	return err;
}

int kaudit_rule(struct kaudit *k, bool add, gid_t gid, const int *syscalls, int n)
{
	struct audit_rule_data r = {
		.flags = AUDIT_FILTER_EXIT, .action = AUDIT_ALWAYS, .field_count = 2,
		.fields = { AUDIT_ARCH, AUDIT_GID },
		.values = { AUDIT_ARCH_X86_64, gid },
		.fieldflags = { AUDIT_EQUAL, AUDIT_EQUAL },
	};
	int i;

	for (i = 0; i < n; i++)
		r.mask[syscalls[i] / 32] |= 1U << (syscalls[i] % 32);
	return request(k->fd, add ? AUDIT_ADD_RULE : AUDIT_DEL_RULE, &r, sizeof(r));
}

void kaudit_stop(struct kaudit *k)
{
	if (k->reader > 0) {
		kill(k->reader, SIGTERM);
		waitpid(k->reader, NULL, 0);
	}
	if (k->fd >= 0) {
		set_status(k->fd, AUDIT_STATUS_BACKLOG_LIMIT, 0, k->old_backlog_limit);
		close(k->fd);
	}
}

long long kaudit_count(const char *log, unsigned int type)
{
	char line[BUF_BYTES + 32], prefix[32];
	long long count = 0;
	FILE *f = fopen(log, "r");

	if (!f)
		return -1;
	snprintf(prefix, sizeof(prefix), "type=%u ", type);
	while (fgets(line, sizeof(line), f))
		count += !strncmp(line, prefix, strlen(prefix));
	fclose(f);
	return count;
}
