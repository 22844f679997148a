/* SPDX-License-Identifier: MIT */
/*
 * The generic socket layer's objects, as in include/linux/net.h and
 * include/net/sock.h: struct socket (BSD side, sock->state = SS_*) owns a
 * struct sock (protocol side, sk->sk_state = TCP_*).  The layers talk only
 * through the const ops tables: struct proto_ops (per family/type) and
 * struct proto (per protocol).
 */
#ifndef MODELS_NET_SOCK_H
#define MODELS_NET_SOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linux/wait.h"
#include "net/ipv6.h"
#include "sim/sim.h"
#include "sim/time.h"

struct net;
struct task;
struct sock;
struct socket;
struct sk_buff;
struct msghdr_sim;

/* include/uapi/linux/net.h */
typedef enum {
	SS_FREE = 0,
	SS_UNCONNECTED,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DISCONNECTING,
} socket_state;

/* include/net/tcp_states.h (vsock reuses them too) */
enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT,
	TCP_SYN_RECV,
	TCP_FIN_WAIT1,
	TCP_FIN_WAIT2,
	TCP_TIME_WAIT,
	TCP_CLOSE,
	TCP_CLOSE_WAIT,
	TCP_LAST_ACK,
	TCP_LISTEN,
	TCP_CLOSING,
	TCP_NEW_SYN_RECV,
	TCP_MAX_STATES,
};

#define AF_UNSPEC	0
#define AF_INET		2
#define AF_VSOCK	40
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define IPPROTO_IP	0
/* include/linux/socket.h, include/uapi/linux/in.h: IP-level options */
#define SOL_IP			0
#define IP_TOS			1
#define IP_MTU_DISCOVER		10
#define IP_PMTUDISC_DONT	0	/* never send DF frames */
#define IP_PMTUDISC_WANT	1	/* use per-route hints (the default) */
#define IP_PMTUDISC_DO		2	/* always DF */
#define IP_PMTUDISC_PROBE	3	/* ignore dst pmtu */
#define IP_PMTUDISC_INTERFACE	4
#define IP_PMTUDISC_OMIT	5
#define IPPROTO_TCP	6

#define O_NONBLOCK	04000
/* The same values as the C library's, which some files also include. */
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif
#define SOCK_TYPE_MASK	0xf
#ifndef SOCK_NONBLOCK
#define SOCK_NONBLOCK	04000		/* O_NONBLOCK */
#define SOCK_CLOEXEC	02000000	/* O_CLOEXEC */
#endif
#ifndef MSG_EOR
#define MSG_EOR		0x80
#endif

/* include/uapi/asm-generic/ioctls.h, include/uapi/linux/sockios.h */
#define SIM_SIOCINQ	0x541B		/* FIONREAD */
#define SIM_SIOCOUTQ	0x5411		/* TIOCOUTQ */
#define SIM_SIOCOUTQNSQ	0x894B
#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTWAIT	0x40
#define MSG_MORE	0x8000
#define MSG_NOSIGNAL	0x4000

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLRDNORM	0x040
#define POLLWRNORM	0x100
#define POLLRDHUP	0x2000

#define SOCK_BINDADDR_LOCK	4
#define SOCK_BINDPORT_LOCK	8
#define SOCK_SNDBUF_LOCK	1
#define SOCK_RCVBUF_LOCK	2

#define MAX_SCHEDULE_TIMEOUT	SIM_TIME_MAX
#define SOCKADDR_STORAGE_SIZE	128

/* A user-space socket address as the scenario gives it. */
struct sockaddr_sim {
	int family;		/* AF_INET, AF_UNSPEC, or a bogus value */
	uint32_t addr;		/* host byte order */
	uint16_t port;
	int addrlen;		/* what the caller passes as addrlen */
	bool fault;		/* the user pointer is unreadable (EFAULT) */
	/* AF_INET6 (struct sockaddr_in6): family AF_INET6, port above */
	struct in6_addr_sim sin6_addr;
	/* AF_VSOCK (struct sockaddr_vm): family AF_VSOCK */
	uint32_t svm_cid;
	uint32_t svm_port;
	uint8_t svm_flags;
};

struct proto_ops {
	int family;
	const char *name;
	int (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, const struct sockaddr_sim *addr);
	int (*connect)(struct socket *sock, const struct sockaddr_sim *addr, int flags);
	int (*accept)(struct socket *sock, struct socket *newsock, int flags);
	unsigned int (*poll)(struct socket *sock);
	int (*listen)(struct socket *sock, int backlog);
	int (*shutdown)(struct socket *sock, int how);
	int (*sendmsg)(struct socket *sock, struct msghdr_sim *msg, size_t len);
	int (*recvmsg)(struct socket *sock, struct msghdr_sim *msg, size_t len, int flags);
	int (*setsockopt)(struct socket *sock, int level, int optname, int64_t val);
	int (*getsockopt)(struct socket *sock, int level, int optname, int64_t *val);
	int (*set_rcvlowat)(struct sock *sk, int val);	/* NULL: store sk_rcvlowat */
	int (*ioctl)(struct socket *sock, unsigned int cmd, int *karg);	/* NULL: ENOTTY */
	/* getsockname (peer 0) / getpeername (peer 1): the address length, or
	 * -errno; NULL: EOPNOTSUPP (net/core/sock.c:sock_no_getname) */
	int (*getname)(struct socket *sock, struct sockaddr_sim *addr, int peer);
};

struct proto {
	const char *name;
	int (*init)(struct sock *sk);
	void (*close)(struct sock *sk, sim_time_t timeout);
	int (*pre_connect)(struct sock *sk, const struct sockaddr_sim *addr);
	int (*connect)(struct sock *sk, const struct sockaddr_sim *addr);
	int (*disconnect)(struct sock *sk, int flags);
	struct sock *(*accept)(struct sock *sk, int flags, int *err);
	void (*destroy)(struct sock *sk);
	/* sk->sk_destruct (inet_sock_destruct): what the protocol gives back
	 * when the last reference goes; NULL: the socket's memory stays the
	 * simulation's until it ends (sock_put frees nothing) */
	void (*sk_destruct)(struct sock *sk);
	void (*shutdown)(struct sock *sk, int how);
	int (*setsockopt)(struct sock *sk, int level, int optname, int64_t val);
	int (*getsockopt)(struct sock *sk, int level, int optname, int64_t *val);
	int (*sendmsg)(struct sock *sk, struct msghdr_sim *msg, size_t len);
	int (*recvmsg)(struct sock *sk, struct msghdr_sim *msg, size_t len, int flags);
	int (*backlog_rcv)(struct sock *sk, struct sk_buff *skb);
	int (*ioctl)(struct sock *sk, int cmd, int *karg);
	unsigned int obj_size;
	bool no_autobind;
};

/*
 * A process blocked on a socket.  The kernel sleeps in the middle of a
 * function; the model splits the function at the sleep and resumes it in
 * the continuation @resume (see models/kernel/wait.c).
 */
struct sk_waiter;

struct socket {
	socket_state state;
	short type;
	unsigned int file_flags;	/* O_NONBLOCK from fcntl */
	const struct proto_ops *ops;
	struct sock *sk;
};

struct sock {
	/*
	 * include/net/sock.h: struct sock_common first, as in the kernel: what
	 * an ehash lookup compares (the addresses and ports, the state) and
	 * the chain link share the socket's first cache line, so that a step
	 * down a chain past a socket that does not match reads one line, and
	 * inet_lookup_prefetch() can tell the socket a packet is for from the
	 * line it loaded (kernel_zalloc starts a socket on a cache line).
	 * The addresses and ports are include/net/inet_sock.h's struct
	 * inet_sock names (inet_daddr is skc_daddr, inet_num skc_num).
	 */
	int sk_family;
	volatile unsigned char sk_state;
	unsigned char sk_shutdown;
	unsigned char sk_userlocks;
	unsigned char sk_reuse;		/* SO_REUSEADDR: SK_NO_REUSE 0, SK_CAN_REUSE 1 */
	uint32_t inet_saddr;
	uint32_t inet_rcv_saddr;
	uint32_t inet_daddr;
	uint16_t inet_sport;
	uint16_t inet_dport;
	uint16_t inet_num;
	uint8_t inet_tos;		/* inet->tos: IP_TOS */
	uint8_t inet_pmtudisc;		/* inet->pmtudisc: IP_MTU_DISCOVER */
	bool hashed;			/* in the host's established/listening tables */
	bool in_lhash;			/* hashed as a listener (else established) */
	uint32_t sk_hash;		/* its hash in ehash/lhash, kept for unhashing */
	struct sock *sk_node_next;	/* chain of ehash or lhash */
	struct sock **sk_node_pprev;
	int sk_err;
	int sk_err_soft;
	uint32_t sk_dst_mtu;	/* dst_mtu(__sk_dst_get(sk)): the route's MTU, set by connect / syn_recv_sock */
	int sk_sndbuf;
	int sk_rcvbuf;
	sim_time_t sk_sndtimeo;		/* MAX_SCHEDULE_TIMEOUT = infinite */
	sim_time_t sk_rcvtimeo;
	int sk_rcvlowat;		/* SO_RCVLOWAT, at least 1 */
	unsigned int sk_ack_backlog;
	unsigned int sk_max_ack_backlog;
	int sk_disconnects;
	int sk_wmem_queued;
	int sk_rcv_queued;		/* bytes waiting in the receive queue */
	int sk_rmem_alloc;		/* truesize of the receive and out-of-order queues' skbs */
	bool sock_dead;			/* SOCK_DEAD: orphaned by close() */
	bool sock_done;			/* SOCK_DONE: a FIN ended the receive side (tcp_fin) */
	bool sock_linger;		/* SOCK_LINGER with sk_lingertime 0 (SO_LINGER {1, 0}): close() aborts */
	int sk_write_pending;
	bool sk_nospace;		/* SOCK_NOSPACE: a writer found the buffer full */
	/* sk_lock.owned: a send() holds the socket (lock_sock); packets for it
	 * wait in sk_backlog (struct sk_buff *) until release_sock() */
	bool sk_owned;
	GQueue sk_backlog;
	const struct proto *sk_prot;
	struct socket *sk_socket;
	struct net *sk_net;		/* sock_net() */
	uint32_t id;			/* sk#N in traces, creation order per world */
	int refcnt;			/* sk_refcnt: 0 frees the socket (sock_put) */
	struct sim_rcu_head sk_rcu;	/* sk_free() after the current event */
	struct wait_queue_head sk_wq;	/* sk_sleep(sk): sleeping tasks, poll tables, epoll items */

	uint64_t sk_bind_seq;		/* order of taking the local port: lookup ties */
	struct sock *sk_bind_next;	/* chain of bhash (a listener's port: every child too) */
	struct sock **sk_bind_pprev;
	/* include/net/sock.h (skc_v6_*) and include/linux/ipv6.h: AF_INET6 sockets */
	struct in6_addr_sim sk_v6_daddr;
	struct in6_addr_sim sk_v6_rcv_saddr;
	bool sk_ipv6only;		/* IPV6_V6ONLY */
	/* not kernel code: the destination whose port bitmap holds inet_num, if
	 * inet_hash_connect() picked the port (models/net/ipv4/inet_hashtables.c) */
	struct inet_connect_dest *sk_connect_dest;
	/* not kernel code: counted in hashinfo.port_other (it took its port
	 * otherwise than by inet_hash_connect(): bind(), listen(), a child) */
	bool sk_port_other;
};

/* include/net/sock.h: the namespace the socket lives in. */
static inline struct net *sock_net(const struct sock *sk)
{
	return sk->sk_net;
}

static inline bool sock_flag_dead(const struct sock *sk)
{
	return sk->sock_dead;
}

/* "sk#3" into a buffer owned by the caller (net/core/sock.c). */
void sock_label(const struct sock *sk, char *buf, size_t len);

/* Name of a TCP state: "TCP_SYN_SENT". */
const char *tcp_state_name(int state);
int tcp_state_from_name(const char *name);
const char *socket_state_name(socket_state s);
int socket_state_from_name(const char *name);

#endif
