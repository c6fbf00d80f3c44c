// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead: the exchange guard's byte moving - a sender's file into the staging area, the
 * SHA-256 of a staged copy, and a copy with its hash where a file cannot be linked. The
 * pickup lets the kernel copy (copy_file_range: one pass, no trip through user memory, a
 * shared extent where the file system can) and then hashes the staged copy itself, mapped:
 * the hash is of the very bytes that are inspected and delivered.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "guard_int.h"

#define COPY_CHUNK (256 * 1024)
/* copy_file_range's length per call: large, so a big file takes few calls. */
#define KERNEL_CHUNK (1ULL << 30)

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

int64_t bh_guard_copy_in(int in, int out, uint64_t limit)
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
	}
}

int bh_guard_sha256_fd(int fd, uint64_t size, char sha256[BH_GUARD_SHA256_HEX + 1])
{
	unsigned char md[32];
	uint64_t done = 0;
	EVP_MD_CTX *ctx;
	void *map = NULL;
	ssize_t n;
	int ret = -EIO;

	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	/* Mapped, the page cache is hashed in place; a small file is one read. */
	if (size > sizeof(buf)) {
		map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			map = NULL;
		else
			madvise(map, size, MADV_SEQUENTIAL);
	}
	if (map) {
		if (!EVP_DigestUpdate(ctx, map, size))
			goto out;
		done = size;
	}
	while (done < size) {
		n = pread(fd, buf, size - done < sizeof(buf) ? size - done : sizeof(buf), done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? -errno : -EIO;	/* shorter than it was: not the copy made */
			goto out;
		}
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto out;
		done += n;
	}
	if (!EVP_DigestFinal_ex(ctx, md, NULL))
		goto out;
	hex(md, sha256);
	ret = 0;
out:
	if (map)
		munmap(map, size);
	EVP_MD_CTX_free(ctx);
	return ret;
}
