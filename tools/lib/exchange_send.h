/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bulkhead: the sender's side of an exchange - putting a file into an outbox that the sender
 * may write but never read.
 */
#ifndef BULKHEAD_EXCHANGE_SEND_H
#define BULKHEAD_EXCHANGE_SEND_H

#include <stdint.h>

/*
 * Copy @src (read to its end) into outbox @dirfd as @name: written as ".@name.part", flushed,
 * then renamed to @name, never replacing a file of that name. Returns 0, -EEXIST when @name is
 * still waiting in the outbox, -EINVAL with *@why set (the guard's reason, e.g. "dot-name")
 * for a name the guard would refuse, or another -errno. *@bytes is what was copied.
 */
int bh_exchange_send(int dirfd, const char *name, int src, uint64_t *bytes, const char **why);

#endif /* BULKHEAD_EXCHANGE_SEND_H */
