// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests helper for the scenarios: send one packet on a ping socket or a raw UDP
 * socket with IP_RECVERR set, and report whether an ICMP error came back up its error queue.
 *
 *   icmp_probe ping ADDR          an echo request (a SOCK_DGRAM/IPPROTO_ICMP ping socket)
 *   icmp_probe raw-udp ADDR PORT  a UDP datagram written on a raw IPPROTO_UDP socket
 *
 * Prints "error TYPE CODE" for the first error queued within two seconds, or "no error";
 * exits 0 either way, and 1 when the probe could not be sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/ip_icmp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "icmp_probe: %s: %s\n", what, strerror(errno));
	return 1;
}

/* The first error on @fd's queue within two seconds, printed; "no error" otherwise. */
static int report_error(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };
	char data[512], control[512];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
			     .msg_controllen = sizeof(control) };
	struct cmsghdr *c;

	if (poll(&p, 1, 2000) <= 0 || !(p.revents & POLLERR) ||
	    recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
		puts("no error");
		return 0;
	}
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		struct sock_extended_err *ee = (struct sock_extended_err *)CMSG_DATA(c);

		if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) {
			printf("error %u %u\n", ee->ee_type, ee->ee_code);
			return 0;
		}
	}
	puts("error without details");
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	unsigned char packet[sizeof(struct udphdr) + 5] = { 0 };
	int one = 1, fd, raw;
	size_t len;

	if (argc < 3 || inet_pton(AF_INET, argv[2], &to.sin_addr) != 1 ||
	    (strcmp(argv[1], "ping") && (strcmp(argv[1], "raw-udp") || argc < 4))) {
		fprintf(stderr, "usage: icmp_probe ping ADDR | raw-udp ADDR PORT\n");
		return 2;
	}
	raw = !strcmp(argv[1], "raw-udp");
	fd = raw ? socket(AF_INET, SOCK_RAW, IPPROTO_UDP) :
		   socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	if (fd < 0)
		return fail("socket");
	if (setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one)))
		return fail("IP_RECVERR");
	if (raw) {
		struct udphdr *u = (struct udphdr *)packet;

		u->source = htons(40000);
		u->dest = htons(atoi(argv[3]));
		u->len = htons(sizeof(packet));
		memcpy(packet + sizeof(*u), "probe", 5);
		len = sizeof(packet);
	} else {
		struct icmphdr *h = (struct icmphdr *)packet;

		h->type = ICMP_ECHO;	/* the kernel fills in the identifier and checksum */
		h->un.echo.sequence = htons(1);
		len = sizeof(*h);
	}
	if (sendto(fd, packet, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return fail("sendto");
	return report_error(fd);
}
