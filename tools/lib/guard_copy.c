// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's byte moving - a sender's file into the staging area, the
 * SHA-256 of a staged copy, and a copy with its hash where a file cannot be linked. The
 * pickup lets the kernel copy (copy_file_range: one pass, no trip through user memory, a
 * shared extent where the file system can) while a thread hashes the staged copy itself,
 * mapped, as far as it is complete: the hash is of the very bytes that are inspected and
 * delivered, and a large file's copy and hash take the time of the longer of the two, not of
 * both.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "guard_int.h"

#define COPY_CHUNK (256 * 1024)
/* copy_file_range's length per call: what the hasher may take at a time. */
#define KERNEL_CHUNK (8ULL << 20)

static char buf[COPY_CHUNK];

static void hex(const unsigned char md[32], char sha256[BH_GUARD_SHA256_HEX + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		sha256[2 * i] = digits[md[i] >> 4];
		sha256[2 * i + 1] = digits[md[i] & 15];
	}
	sha256[BH_GUARD_SHA256_HEX] = '\0';
}

/* @n bytes of @p to @out, whatever write() takes at a time. 0 or a negative errno. */
static int write_all(int out, const char *p, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(out, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		n -= k;
	}
	return 0;
}

int64_t bh_guard_copy(int in, int out, uint64_t limit, char sha256[BH_GUARD_SHA256_HEX + 1])
{
	unsigned char md[32];
	uint64_t total = 0;
	EVP_MD_CTX *ctx;
	int64_t ret;
	ssize_t n;
	size_t want;

	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return -EIO;
	}
	for (;;) {
		want = sizeof(buf);
		if (limit && limit - total < want)
			want = limit - total;
		if (!want)
			break;
		n = pread(in, buf, want, total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (!n)
			break;
		ret = write_all(out, buf, n);
		if (ret)
			goto out;
		if (!EVP_DigestUpdate(ctx, buf, n)) {
			ret = -EIO;
			goto out;
		}
		total += n;
	}
	if (!EVP_DigestFinal_ex(ctx, md, NULL)) {
		ret = -EIO;
		goto out;
	}
	hex(md, sha256);
	ret = total;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* What copy_file_range() cannot do here (another file system, an old kernel): copied by hand. */
static bool kernel_copy_unsupported(int err)
{
	return err == EXDEV || err == EINVAL || err == ENOSYS || err == EOPNOTSUPP ||
	       err == EBADF;
}

int64_t bh_guard_copy_in(int in, int out, uint64_t limit, struct bh_guard_hasher *h)
{
	uint64_t total = 0, want;
	loff_t off_in = 0;
	ssize_t n;
	int err;

	for (;;) {
		want = limit ? limit - total : KERNEL_CHUNK;
		if (want > KERNEL_CHUNK)
			want = KERNEL_CHUNK;
		if (!want)
			return total;
		n = copy_file_range(in, &off_in, out, NULL, want, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (!n)
			return total;
		total += n;
		bh_guard_hasher_advance(h, total);
	}
	if (total || !kernel_copy_unsupported(errno))
		return -errno;
	/* Nothing written yet: the same copy through user memory. */
	for (;;) {
		want = limit ? limit - total : sizeof(buf);
		if (want > sizeof(buf))
			want = sizeof(buf);
		if (!want)
			return total;
		n = pread(in, buf, want, total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : (int64_t)total;
		err = write_all(out, buf, n);
		if (err)
			return err;
		total += n;
		bh_guard_hasher_advance(h, total);
	}
}

/* Hash bytes @from..@to of @fd into @ctx, mapped (populated at once: no fault per page). */
static int hash_range(EVP_MD_CTX *ctx, int fd, uint64_t from, uint64_t to, char *scratch)
{
	uint64_t start = from & ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
	void *map = MAP_FAILED;
	ssize_t n;
	int ret = 0;

	if (to - from > COPY_CHUNK)
		map = mmap(NULL, to - start, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, start);
	if (map != MAP_FAILED) {
		ret = EVP_DigestUpdate(ctx, (char *)map + (from - start), to - from) ? 0 : -EIO;
		munmap(map, to - start);
		return ret;
	}
	while (from < to) {
		n = pread(fd, scratch, to - from < COPY_CHUNK ? to - from : COPY_CHUNK, from);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;	/* shorter than it was: not the copy made */
		if (!EVP_DigestUpdate(ctx, scratch, n))
			return -EIO;
		from += n;
	}
	return 0;
}

/* The hasher's thread: hash what is complete as it grows, until told it is final. */
static void *hasher_run(void *arg)
{
	struct bh_guard_hasher *h = arg;
	bool last, cancel;
	uint64_t upto;

	for (;;) {
		pthread_mutex_lock(&h->lock);
		while (h->copied == h->hashed && !h->final && !h->cancel)
			pthread_cond_wait(&h->moved, &h->lock);
		upto = h->copied;
		last = h->final;
		cancel = h->cancel;
		pthread_mutex_unlock(&h->lock);
		if (cancel)
			break;
		if (upto > h->hashed) {
			h->err = hash_range(h->ctx, h->fd, h->hashed, upto, h->scratch);
			if (h->err)
				break;
			h->hashed = upto;
		} else if (last) {
			break;
		}
	}
	return NULL;
}

int bh_guard_hasher_start(struct bh_guard_hasher *h, int fd)
{
	memset(h, 0, sizeof(*h));
	h->fd = fd;
	h->ctx = EVP_MD_CTX_new();
	h->scratch = malloc(COPY_CHUNK);
	if (!h->ctx || !h->scratch || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(h->ctx);
		free(h->scratch);
		return -ENOMEM;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->moved, NULL);
	/* Without a thread the hash is taken at the end, in one pass. */
	h->threaded = !pthread_create(&h->thread, NULL, hasher_run, h);
	return 0;
}

void bh_guard_hasher_advance(struct bh_guard_hasher *h, uint64_t copied)
{
	if (!h || !h->threaded)
		return;
	pthread_mutex_lock(&h->lock);
	h->copied = copied;
	pthread_cond_signal(&h->moved);
	pthread_mutex_unlock(&h->lock);
}

/* Stop the thread (@cancel: whatever it was doing) and free what the hasher holds. */
static void hasher_end(struct bh_guard_hasher *h, uint64_t size, bool cancel)
{
	if (h->threaded) {
		pthread_mutex_lock(&h->lock);
		h->copied = size;
		h->final = true;
		h->cancel = cancel;
		pthread_cond_signal(&h->moved);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->thread, NULL);
	}
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->moved);
	free(h->scratch);
	h->scratch = NULL;
}

int bh_guard_hasher_finish(struct bh_guard_hasher *h, uint64_t size,
			   char sha256[BH_GUARD_SHA256_HEX + 1])
{
	unsigned char md[32];
	int err;

	hasher_end(h, size, false);
	err = h->err;
	if (!err && h->hashed < size)
		err = hash_range(h->ctx, h->fd, h->hashed, size, buf);
	if (!err && !EVP_DigestFinal_ex(h->ctx, md, NULL))
		err = -EIO;
	if (!err)
		hex(md, sha256);
	EVP_MD_CTX_free(h->ctx);
	return err;
}

void bh_guard_hasher_cancel(struct bh_guard_hasher *h)
{
	hasher_end(h, h->copied, true);
	EVP_MD_CTX_free(h->ctx);
}

int bh_guard_sha256_fd(int fd, uint64_t size, char sha256[BH_GUARD_SHA256_HEX + 1])
{
	unsigned char md[32];
	EVP_MD_CTX *ctx;
	int ret = -EIO;

	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		ret = hash_range(ctx, fd, 0, size, buf);
		if (!ret && !EVP_DigestFinal_ex(ctx, md, NULL))
			ret = -EIO;
	}
	if (!ret)
		hex(md, sha256);
	EVP_MD_CTX_free(ctx);
	return ret;
}
