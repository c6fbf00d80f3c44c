// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "audit record --dir DIR", the recorder. It drains /dev/bulkhead-audit into
 * append-only files DIR/trail-NNNNNN, makes what it wrote durable (fdatasync, after every
 * record or every batch), then acknowledges it to the module, which keeps every record until
 * then. A restarted recorder first reads back the last record on disk, so it neither loses
 * nor repeats a record. On a full disk it waits (and says so) or stops, as configured; the
 * module's failure mode then decides what happens to new records.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/bulkhead_audit.h>
#include "audit_read.h"
#include "cli.h"
#include "number.h"

#define TRAIL_PREFIX "trail-"

/*
 * A batch ("--fsync batch") is made durable and acknowledged when the device has nothing more
 * to read, and also once it holds BATCH_RECORDS or has waited BATCH_NS: a producer that keeps
 * the device busy must not keep the ring from being acknowledged (it would fill, and drop or
 * block records, with all of them read). 1,024 is a quarter of the default ring.
 */
#define BATCH_RECORDS	1024
#define BATCH_NS	10000000ULL

/*
 * Records are gathered in memory and written a bufferful at a time, always before the batch
 * they belong to is made durable: one write() for hundreds of records, not one each.
 */
#define BUFFER_BYTES	(256 * 1024)

/* What one read() may return: the device fills it with as many whole records as fit. */
#define READ_BYTES	(64 * 1024)

struct recorder {
	const char *dir;
	bool sync_each;		/* fdatasync after every record, not every batch */
	bool stop_on_full;	/* exit on ENOSPC rather than wait */
	off_t rotate_size;
	unsigned int file_no;	/* current file's number */
	int fd;			/* current file */
	off_t size;		/* of the current file, written */
	uint64_t last_seq;	/* last record read (on disk once flushed) */
	size_t used;		/* bytes of records in buf, not written yet */
	unsigned char buf[BUFFER_BYTES];
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = 1;
}

/* The highest trail-N in the directory, or 0 when there is none. */
static unsigned int last_file_no(const char *dir)
{
	unsigned int n, best = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)))
		if (sscanf(de->d_name, TRAIL_PREFIX "%u", &n) == 1 && n > best)
			best = n;
	if (d)
		closedir(d);
	return best;
}

static int open_file(struct recorder *r, unsigned int no)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/" TRAIL_PREFIX "%06u", r->dir, no);
	r->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (r->fd < 0 || fstat(r->fd, &st)) {
		cli_error("audit record: cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	r->file_no = no;
	r->size = st.st_size;
	return 0;
}

/*
 * Scan file @no: its last complete record's seq into r->last_seq, and its valid length. Read
 * a bufferful at a time (r->buf, free before recording starts): a 64 MiB file holds some
 * 250,000 records, and a restarted recorder should not take seconds to start.
 */
static int scan_file(struct recorder *r, unsigned int no, off_t *valid)
{
	struct bulkhead_audit_hdr hdr;
	size_t have = 0, off;
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/" TRAIL_PREFIX "%06u", r->dir, no);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_error("audit record: cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	*valid = 0;
	while ((n = read(fd, r->buf + have, sizeof(r->buf) - have)) > 0) {
		have += n;
		for (off = 0; have - off >= sizeof(hdr); off += hdr.size) {
			memcpy(&hdr, r->buf + off, sizeof(hdr));
			if (hdr.size < sizeof(hdr) || hdr.size > BULKHEAD_AUDIT_MAX_RECORD)
				goto done;	/* not a record: the valid part ends here */
			if (hdr.size > have - off)
				break;		/* the rest of it is in the next read */
			r->last_seq = hdr.seq;
			*valid += hdr.size;
		}
		memmove(r->buf, r->buf + off, have - off);
		have -= off;
	}
done:
	close(fd);
	return 0;
}

/*
 * Where a restart resumes: after the last complete record on disk (the newest file may be
 * empty after a rotation, so older files are looked at too). A partial record at the end (a
 * crash mid-write) is cut off; it was never acknowledged, so the ring still has it.
 */
static int resume(struct recorder *r)
{
	unsigned int newest = last_file_no(r->dir), no;
	char path[4096];
	off_t valid;

	if (!newest)
		return open_file(r, 1);
	for (no = newest; no && !r->last_seq; no--) {
		if (scan_file(r, no, &valid))
			return -1;
		if (no != newest)
			continue;
		snprintf(path, sizeof(path), "%s/" TRAIL_PREFIX "%06u", r->dir, no);
		if (truncate(path, valid)) {
			cli_error("audit record: cannot cut the partial record off %s: %s", path,
				  strerror(errno));
			return -1;
		}
	}
	return open_file(r, newest);
}

/* Write the buffered records whole, or none of them. */
static int flush(struct recorder *r)
{
	ssize_t n;

	while (r->used) {
		n = write(r->fd, r->buf, r->used);
		if (n == (ssize_t)r->used) {
			r->size += n;
			r->used = 0;
			return 0;
		}
		if (n >= 0 || errno == ENOSPC) {
			/* Keep the file a sequence of whole records. */
			if (ftruncate(r->fd, r->size))
				return -1;
			cli_error("audit record: disk full in %s%s", r->dir,
				  r->stop_on_full ? ", stopping" : ", waiting for room");
			if (r->stop_on_full || stopping)
				return -1;
			sleep(1);
			continue;
		}
		cli_error("audit record: cannot write in %s: %s", r->dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Add one record to the buffer, after the records before it are written if it is full. */
static int append(struct recorder *r, const void *rec, size_t len)
{
	if (r->size + (off_t)r->used >= r->rotate_size) {
		if (flush(r) || fdatasync(r->fd) || close(r->fd) ||
		    open_file(r, r->file_no + 1))
			return -1;
	}
	if (r->used + len > sizeof(r->buf) && flush(r))
		return -1;
	memcpy(r->buf + r->used, rec, len);
	r->used += len;
	return 0;
}

static int ack(int dev, uint64_t seq)
{
	if (write(dev, &seq, sizeof(seq)) != sizeof(seq)) {
		cli_error("audit record: cannot acknowledge record %llu: %s",
			  (unsigned long long)seq, strerror(errno));
		return -1;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Make the records written so far durable and acknowledge up to @last (0: none written). */
static int commit(struct recorder *r, int dev, uint64_t last)
{
	if (!last)
		return 0;
	if (flush(r))
		return -1;
	if (fdatasync(r->fd)) {
		cli_error("audit record: cannot sync %s: %s", r->dir, strerror(errno));
		return -1;
	}
	return ack(dev, last);
}

/* Write what the device has now, make it durable, acknowledge it; -1 on a fatal error. */
static int drain(struct recorder *r, int dev)
{
	static unsigned char buf[READ_BYTES];
	const struct bulkhead_audit_hdr *hdr;
	uint64_t last = 0, since = 0;
	unsigned int batch = 0;
	ssize_t n, off;

	while ((n = read(dev, buf, sizeof(buf))) > 0 || (n < 0 && errno == EPIPE)) {
		if (n < 0) {
			/* Only records nobody acknowledged are kept: this cannot lose ours. */
			cli_error("audit record: the reader fell behind (EPIPE)");
			continue;
		}
		for (off = 0; off < n; off += hdr->size) {
			hdr = (const void *)(buf + off);
			if (n - off < (ssize_t)sizeof(*hdr) || hdr->size < sizeof(*hdr) ||
			    hdr->size > n - off) {
				cli_error("audit record: %s returned a partial record",
					  BULKHEAD_AUDIT_DEVICE);
				return -1;
			}
			if (hdr->seq <= r->last_seq)
				continue;	/* on disk before a restart */
			if (append(r, hdr, hdr->size))
				return -1;
			r->last_seq = last = hdr->seq;
			if (r->sync_each) {
				if (commit(r, dev, last))
					return -1;
				last = 0;
				continue;
			}
			if (!batch++)
				since = now_ns();
			if (batch >= BATCH_RECORDS || now_ns() - since >= BATCH_NS) {
				if (commit(r, dev, last))
					return -1;
				last = 0;
				batch = 0;
			}
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		cli_error("audit record: cannot read %s: %s", BULKHEAD_AUDIT_DEVICE,
			  strerror(errno));
		return -1;
	}
	return commit(r, dev, last);
}

static int record_loop(struct recorder *r)
{
	struct pollfd pfd = { .events = POLLIN };
	int ret = 0;

	pfd.fd = open(BULKHEAD_AUDIT_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (pfd.fd < 0) {
		cli_error("audit record: cannot open %s: %s%s", BULKHEAD_AUDIT_DEVICE,
			  strerror(errno), errno == EPERM || errno == EACCES ?
			  " (recording needs root's CAP_AUDIT_READ and CAP_AUDIT_CONTROL)" : "");
		return EXIT_FAIL;
	}
	/*
	 * Records on disk from before a restart are durable: acknowledge them now, and read on
	 * after them rather than again from the oldest the ring holds. A trail ending past the
	 * module's next record is an earlier load's: appending this one's would splice two.
	 */
	if (r->last_seq) {
		if (lseek(pfd.fd, r->last_seq + 1, SEEK_SET) < 0) {
			cli_error("audit record: %s holds records up to %llu, past what the module has made: it is the trail of an earlier load; record into a new directory",
				  r->dir, (unsigned long long)r->last_seq);
			close(pfd.fd);
			return EXIT_FAIL;
		}
		ack(pfd.fd, r->last_seq);
	}
	while (!stopping && !ret) {
		ret = drain(r, pfd.fd);
		if (!ret && poll(&pfd, 1, 1000) < 0 && errno != EINTR)
			ret = -1;
	}
	if (!ret)
		ret = drain(r, pfd.fd);
	close(pfd.fd);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cli_audit_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "fsync", required_argument, NULL, 's' },
		{ "rotate-size", required_argument, NULL, 'r' },
		{ "disk-full", required_argument, NULL, 'f' },
		{}
	};
	static struct recorder r = { .rotate_size = 64 << 20, .fd = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t size;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			r.dir = optarg;
			break;
		case 's':
			if (strcmp(optarg, "record") && strcmp(optarg, "batch"))
				return cli_usage("audit record", "--fsync record|batch, not '%s'",
						 optarg);
			r.sync_each = !strcmp(optarg, "record");
			break;
		case 'r':
			if (bh_parse_uint(optarg, BULKHEAD_AUDIT_MAX_RECORD, INT64_MAX, &size))
				return cli_usage("audit record",
						 "--rotate-size takes %d..%lld bytes, not '%s'",
						 BULKHEAD_AUDIT_MAX_RECORD, (long long)INT64_MAX, optarg);
			r.rotate_size = size;
			break;
		case 'f':
			if (strcmp(optarg, "wait") && strcmp(optarg, "stop"))
				return cli_usage("audit record", "--disk-full wait|stop, not '%s'",
						 optarg);
			r.stop_on_full = !strcmp(optarg, "stop");
			break;
		default:
			return cli_usage("audit record", "unknown option");
		}
	}
	if (!r.dir || optind != argc)
		return cli_usage("audit record", "expected --dir DIR and no other argument");
	if (mkdir(r.dir, 0700) && errno != EEXIST) {
		cli_error("audit record: cannot make %s: %s", r.dir, strerror(errno));
		return EXIT_FAIL;
	}
	if (resume(&r))
		return EXIT_FAIL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	ret = record_loop(&r);
	if (r.fd >= 0 && (fdatasync(r.fd) || close(r.fd)))
		ret = EXIT_FAIL;
	return ret;
}
