// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead selftests: the network between domains. Each domain owns one veth end in the
 * initial namespace; the other end sits in a namespace standing for that domain's outside
 * network:
 *
 *   netns bhn-a                 initial netns                    netns bhn-b
 *   bha-p 10.77.1.2  <--->  bha 10.77.1.1 (a)   bhb 10.77.2.1 (b)  <--->  bhb-p 10.77.2.2
 *                           tasks of a and b run here, in their cgroups
 *
 * A task in a sends to, connects to and receives from b's network; a's network sends through
 * the host's forwarding to b's network. Every case runs under every mode with no flow, the flow
 * it needs and the reverse flow; an inactive exclusive member's device drops everything.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "util.h"
#include "world.h"

#define A_NET_PEER	"10.77.1.2"
#define B_NET_HOST	"10.77.2.1"
#define B_NET_PEER	"10.77.2.2"
#define PORT_TO_HOST	5555	/* b's network -> a task in the initial namespace */
#define PORT_FORWARD	6666	/* a's network -> b's network */

static struct sockaddr_in addr(const char *ip, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static int enter_netns(const char *name)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	err = setns(fd, CLONE_NEWNET);
	close(fd);
	return err;
}

/* A UDP socket bound to @port that gives up waiting after two seconds. */
static int udp_receiver(int port)
{
	struct sockaddr_in any = addr("0.0.0.0", port);
	struct timeval tv = { .tv_sec = 2 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&any, sizeof(any)))
		return -1;
	return fd;
}

/* A process in namespace @netns sending a datagram to @ip:@port every 100 ms until killed. */
static pid_t udp_sender(const char *netns, const char *ip, int port)
{
	struct sockaddr_in to = addr(ip, port);
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	if (enter_netns(netns))
		_exit(1);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	for (;;) {
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
		usleep(100000);
	}
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* A UDP datagram to b's network: decided when it leaves (EPERM from the packet filter). */
static int op_udp_send(void *arg)
{
	struct sockaddr_in to = addr(B_NET_PEER, 9);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	return sendto(fd, "a", 1, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? errno : 0;
}

/*
 * A TCP connection to b's network, decided at connect() both ways. Nothing listens there:
 * reaching b's network is the reset, ECONNREFUSED.
 */
static int op_tcp_connect(void *arg)
{
	struct sockaddr_in to = addr(B_NET_PEER, 7);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (!connect(fd, (struct sockaddr *)&to, sizeof(to)))
		return 0;
	return errno == ECONNREFUSED ? 0 : errno;
}

/*
 * A datagram from b's network (the fixture's sender) to a task of a: a refused one is
 * dropped, so recv times out.
 */
static int op_udp_receive(void *arg)
{
	int fd = udp_receiver(PORT_TO_HOST);
	char c;

	if (fd < 0)
		return errno;
	return recv(fd, &c, 1, 0) == 1 ? 0 : errno;
}

/* a's network to b's network, through the host's forwarding (run by host). */
static int op_forward(void *arg)
{
	pid_t sender;
	char c;
	int fd, err;

	if (enter_netns("bhn-b"))
		return errno;
	fd = udp_receiver(PORT_FORWARD);
	if (fd < 0)
		return errno;
	sender = udp_sender("bhn-a", B_NET_PEER, PORT_FORWARD);
	err = recv(fd, &c, 1, 0) == 1 ? 0 : errno;
	stop(sender);
	return err;
}

FIXTURE(net) {
	char log[4096];
	pid_t sender;	/* from b's network to the initial namespace; a host process */
};

FIXTURE_VARIANT(net) {
	int (*op)(void *arg);
	const char *cgroup;	/* where the operation runs */
	const char *flows;
	const char *mode;
	int expect;
};

static void remove_network(void)
{
	sh("ip link del bha; ip link del bhb; ip netns del bhn-a; ip netns del bhn-b");
}

FIXTURE_SETUP(net)
{
	remove_network();
	ASSERT_EQ(0, sh("modprobe veth && echo 1 > /proc/sys/net/ipv4/ip_forward && "
			"ip netns add bhn-a && ip netns add bhn-b && "
			"ip link add bha type veth peer name bha-p netns bhn-a && "
			"ip link add bhb type veth peer name bhb-p netns bhn-b && "
			"ip addr add 10.77.1.1/24 dev bha && ip link set bha up && "
			"ip addr add 10.77.2.1/24 dev bhb && ip link set bhb up && "
			"ip -n bhn-a addr add 10.77.1.2/24 dev bha-p && "
			"ip -n bhn-a link set bha-p up && "
			"ip -n bhn-a route add default via 10.77.1.1 && "
			"ip -n bhn-b addr add 10.77.2.2/24 dev bhb-p && "
			"ip -n bhn-b link set bhb-p up && "
			"ip -n bhn-b route add default via 10.77.2.1"));
	ASSERT_EQ(0, world_make_with("netdev bha", "netdev bhb", variant->flows, variant->mode,
				     self->log, sizeof(self->log))) {
		TH_LOG("%s", self->log);
	}
	/* Let the links come up and neighbours be found with the mode off. */
	sh("bulkhead mode off; ping -c1 -W2 10.77.1.2; ping -c1 -W2 10.77.2.2; "
	   "bulkhead mode %s", variant->mode);
	self->sender = udp_sender("bhn-b", B_NET_HOST, PORT_TO_HOST);
	ASSERT_LT(0, self->sender);
}

FIXTURE_TEARDOWN(net)
{
	if (self->sender > 0)
		stop(self->sender);
	world_remove();
	remove_network();
}

#define A_TO_B "flow a -> b { net }"
#define B_TO_A "flow b -> a { net }"
#define BOTH A_TO_B "\n" B_TO_A

#define NET_OP(name, fn, where, needed, reverse, denied)			\
	FIXTURE_VARIANT_ADD(net, name##_enforce_no_flow) {			\
		.op = fn, .cgroup = where, .flows = "", .mode = "enforce",	\
		.expect = denied };						\
	FIXTURE_VARIANT_ADD(net, name##_enforce_flow) {				\
		.op = fn, .cgroup = where, .flows = needed, .mode = "enforce",	\
		.expect = 0 };							\
	FIXTURE_VARIANT_ADD(net, name##_enforce_reverse_flow) {			\
		.op = fn, .cgroup = where, .flows = reverse, .mode = "enforce",	\
		.expect = denied };						\
	FIXTURE_VARIANT_ADD(net, name##_audit_no_flow) {			\
		.op = fn, .cgroup = where, .flows = "", .mode = "audit",	\
		.expect = 0 };							\
	FIXTURE_VARIANT_ADD(net, name##_off_no_flow) {				\
		.op = fn, .cgroup = where, .flows = "", .mode = "off",		\
		.expect = 0 }

NET_OP(udp_send, op_udp_send, "/bhe/a", A_TO_B, B_TO_A, EPERM);
/* A stream carries data both ways: one direction alone is not enough. */
NET_OP(tcp_connect, op_tcp_connect, "/bhe/a", BOTH, A_TO_B, EACCES);
NET_OP(udp_receive, op_udp_receive, "/bhe/a", B_TO_A, A_TO_B, EAGAIN);
NET_OP(forward, op_forward, "/", A_TO_B, B_TO_A, EAGAIN);

/* An inactive exclusive member's device drops everything, whatever the flows say. */
FIXTURE_VARIANT_ADD(net, udp_send_to_inactive_member) {
	.op = op_udp_send, .cgroup = "/bhe/a", .flows = BOTH "\nexclusive sel { a b }",
	.mode = "enforce", .expect = EPERM };
FIXTURE_VARIANT_ADD(net, forward_to_inactive_member) {
	.op = op_forward, .cgroup = "/", .flows = BOTH "\nexclusive sel { a b }",
	.mode = "enforce", .expect = EAGAIN };
FIXTURE_VARIANT_ADD(net, forward_from_inactive_member) {
	.op = op_forward, .cgroup = "/", .flows = BOTH "\nexclusive sel { b a }",
	.mode = "enforce", .expect = EAGAIN };

/* BH-ENF-5, BH-ENF-2: the traffic is decided by the policy under the mode. */
TEST_F(net, decided)
{
	EXPECT_EQ(variant->expect, run_in_cgroup(variant->cgroup, variant->op, NULL));
}

TEST_HARNESS_MAIN
