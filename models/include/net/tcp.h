/* SPDX-License-Identifier: MIT */
/*
 * TCP socket state: include/net/inet_connection_sock.h, include/linux/tcp.h,
 * include/net/request_sock.h and the constants of include/net/tcp.h.
 * Times the kernel keeps in jiffies are kept in ns here; HZ only matters in
 * timer-wheel mode (sim/timer.c).
 */
#ifndef MODELS_NET_TCP_H
#define MODELS_NET_TCP_H

#include <glib.h>

#include "net/sock.h"
#include "sim/timer.h"

#define TCP_TIMEOUT_INIT	SIM_SEC(1)	/* RFC 6298 initial RTO */
#define TCP_TIMEOUT_FALLBACK	SIM_SEC(3)
#define TCP_RTO_MAX		SIM_SEC(120)
#define TCP_RTO_MIN		SIM_MSEC(200)
#define TCP_DELACK_MAX		SIM_MSEC(200)
#define TCP_TIMEOUT_MIN_US	2000u	/* include/net/tcp.h (6.6+) */
#define TCP_DELACK_MIN		SIM_MSEC(40)	/* TCP_ATO_MIN at HZ >= 100 */
#define TCP_MAX_QUICKACKS	16
#define TCP_TIMEWAIT_LEN	SIM_SEC(60)
#define TCP_FIN_TIMEOUT_SEC	60		/* net.ipv4.tcp_fin_timeout default */
#define TCP_MAX_TW_BUCKETS_DEFAULT 131072	/* net.ipv4.tcp_max_tw_buckets (sysctl_net.c) */
#define TCP_RETR2		15
/*
 * What one skb of the write queue costs in sk_wmem_queued besides its
 * payload: the truesize net/ipv4/tcp.c:tcp_stream_alloc_skb() gives an empty
 * skb (SKB_TRUESIZE of the MAX_TCP_HEADER head: struct sk_buff,
 * skb_shared_info, header room).  832 on the 6.18 x86-64 test machine: a
 * corked 1-byte send shows w833 in `ss -tm` (tests/kernel/MEASURED.md).  The
 * payload sits in page fragments and is charged byte for byte.
 */
#define TCP_SKB_OVERHEAD	832
/* include/linux/netdevice.h: GSO_LEGACY_MAX_SIZE / GSO_MAX_SEGS, the device's
 * defaults (sk_gso_max_size, sk_gso_max_segs after sk_setup_caps). */
#define GSO_LEGACY_MAX_SIZE	65536u
#define GSO_MAX_SEGS		65535u
/* tcp_sndbuf_expand(): per-MSS cost, MAX_TCP_HEADER and shinfo included. */
#define MAX_TCP_HEADER		320
/* include/net/sock.h:sk_setup_caps(): sk_gso_max_size leaves room for the headers */
#define SK_GSO_MAX_SIZE		(GSO_LEGACY_MAX_SIZE - (MAX_TCP_HEADER + 1))
#define SKB_SHINFO_SIZE		320
#define SKB_STRUCT_SIZE		256
#define TCP_RESOURCE_PROBE_INTERVAL SIM_MSEC(500)
#define TCP_SYN_RETRIES		6
#define TCP_SYNACK_RETRIES	5
#define TCP_MSS_DEFAULT		536
#define TCP_MIN_MSS		88	/* include/net/tcp.h: minimal accepted MSS */
#define TCP_INIT_CWND		10
#define TCP_INFINITE_SSTHRESH	0x7fffffff
#define MAX_TCP_SYNCNT		127

/* socket options */
#define SOL_SOCKET		1
#define SO_REUSEADDR		2
#define SO_ERROR		4
#define SO_SNDBUF		7
#define SO_RCVBUF		8
#define SO_LINGER		13
#define SO_RCVLOWAT		18
#define SO_RCVTIMEO		20
#define SO_SNDTIMEO		21
#define SOL_TCP			6
#define TCP_NODELAY		1
#define TCP_MAXSEG		2
#define TCP_SYNCNT		7
#define TCP_CORK		3
#define TCP_INFO		11
#define TCP_CONGESTION		13
#define TCP_USER_TIMEOUT	18
#define TCP_NOTSENT_LOWAT	25
#define TCP_INQ			36	/* notify the bytes left to read (cmsg TCP_CM_INQ) */
#define TCP_CM_INQ		TCP_INQ
#define TCP_RTO_MAX_MS		44

/* tcp header flags */
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10
#define TCPHDR_URG 0x20
#define TCPHDR_ECE 0x40	/* ECN-Echo (RFC 3168) */
#define TCPHDR_CWR 0x80	/* Congestion Window Reduced (RFC 3168) */

/* tp->ecn_flags (include/net/tcp.h): the RFC 3168 state of a connection */
#define TCP_ECN_OK		1	/* negotiated in the handshake */
#define TCP_ECN_QUEUE_CWR	2	/* set CWR on the next new data segment */
#define TCP_ECN_DEMAND_CWR	4	/* CE seen: ECE on every ACK until the peer's CWR */
#define TCP_ECN_SEEN		8	/* an ECT or CE segment arrived */

/* include/net/inet_connection_sock.h; 4 (EARLY_RETRANS) is gone, 6 (REO_TIMEOUT)
 * is RACK's own timer here (tcp_recovery.c) */
/* icsk_ack.pending (include/net/inet_connection_sock.h): tp->ack_pending
 * is ICSK_ACK_SCHED (1), and this: a one-time immediate ACK */
#define ICSK_ACK_NOW 16
enum { ICSK_TIME_RETRANS = 1, ICSK_TIME_DACK = 2, ICSK_TIME_PROBE0 = 3, ICSK_TIME_LOSS_PROBE = 5 };

struct request_sock;

/* include/net/inet_connection_sock.h */
struct inet_connection_sock {
	struct sock sk;
	struct sim_timer icsk_retransmit_timer;	/* RTO, probe0, loss probe */
	uint8_t icsk_pending;
	uint8_t icsk_ca_state;
	uint8_t icsk_retransmits;
	uint8_t icsk_backoff;
	uint8_t icsk_syn_retries;	/* TCP_SYNCNT; 0 = sysctl */
	sim_time_t icsk_rto;
	sim_time_t icsk_rto_min;
	sim_time_t icsk_rto_max;
	uint32_t icsk_user_timeout;	/* TCP_USER_TIMEOUT, ms */
	/* icsk_accept_queue: the SYN queue (requests) and the accept queue */
	struct request_sock *syn_queue;		/* doubly linked, creation order */
	struct request_sock *syn_queue_tail;
	unsigned int syn_qlen;
	struct request_sock *accept_head, *accept_tail;
	struct sock *listener;			/* for children: the parent */
};

/*
 * One MSS-sized piece of an skb on sk_write_queue / tcp_rtx_queue, with its
 * TCP_SKB_CB() fields.  Payload is a byte count; a piece never exceeds the
 * MSS.  A kernel skb (a GSO/TSO packet of up to the size goal) is a run of
 * pieces: the first has gso_head set and carries the skb's overhead in its
 * truesize; only the last piece of an skb is ever shorter than the MSS.
 */
struct tcp_qskb {
	uint32_t seq, end_seq;		/* end_seq covers a FIN too */
	uint32_t len;			/* payload bytes */
	uint8_t tcp_flags;		/* TCPHDR_FIN | TCPHDR_PSH */
	uint8_t sacked;			/* TCPCB_* below */
	bool eor;			/* MSG_EOR: nothing more is appended to it */
	bool gso_head;			/* first piece of a kernel skb */
	uint32_t truesize;		/* what sk_wmem_queued is charged */
	sim_time_t first_tx;		/* first transmission (retrans_stamp source) */
	sim_time_t tx_time;		/* skb_mstamp: latest transmission */
	/* its node on tcp_sock.write_queue (data: the piece itself), in the
	 * piece's own cache line: no node allocated per piece, and a walk of
	 * the queue reads one line per piece, as the kernel's skb list does */
	GList link;
};

#define TCPCB_SACKED_ACKED	0x01
#define TCPCB_SACKED_RETRANS	0x02	/* retransmitted, not yet acked */
#define TCPCB_LOST		0x04
#define TCPCB_EVER_RETRANS	0x80

/* tp->nonagle */
#define TCP_NAGLE_OFF		1	/* TCP_NODELAY */
#define TCP_NAGLE_CORK		2	/* TCP_CORK or MSG_MORE */
#define TCP_NAGLE_PUSH		4	/* push now, whatever Nagle says */

/* icsk->icsk_ca_state (include/net/inet_connection_sock.h / tcp.h) */
enum tcp_ca_state { TCP_CA_Open, TCP_CA_Disorder, TCP_CA_CWR, TCP_CA_Recovery, TCP_CA_Loss };

struct tcp_congestion_ops;

/* Receiver SACK blocks (tp->selective_acks), newest first. */
#define TCP_NUM_SACKS 4
/* include/net/tcp.h: TCP option space and the sizes the model charges */
#define MAX_TCP_OPTION_SPACE		40
#define TCPOLEN_TSTAMP_ALIGNED		12
#define TCPOLEN_SACK_BASE_ALIGNED	4
#define TCPOLEN_SACK_PERBLOCK		8
struct tcp_sack_block {
	uint32_t start_seq, end_seq;
};

/* The out-of-order queue: received ranges above rcv_nxt, sorted. */
struct tcp_ofo_range {
	uint32_t seq, end_seq;
	bool fin;
};

/*
 * A received skb as the receive and out-of-order queues charge it to
 * sk_rmem_alloc (skb_set_owner_r): its sequence range, its truesize, the
 * room left after its data (skb_tailroom), into which
 * net/core/skbuff.c:skb_try_coalesce copies a later segment, and whether
 * its payload is in page fragments (which skb_try_coalesce moves over).
 */
struct tcp_rskb {
	uint32_t seq, end_seq;
	uint32_t truesize;
	uint32_t tailroom;
	bool frags;		/* payload in page fragments (skb_headlen 0 once the headers are pulled) */
	uint32_t clone_end;	/* looped back (frags): end_seq of the sender's skb it is a clone of */
};

/* include/net/tcp.h: window <-> buffer space at a len/truesize ratio in 1/256 */
#define TCP_RMEM_TO_WIN_SCALE		8
#define TCP_DEFAULT_SCALING_RATIO	(1 << (TCP_RMEM_TO_WIN_SCALE - 1))
/* include/net/sock.h: SOCK_MIN_RCVBUF, TCP_SKB_MIN_TRUESIZE (2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff))) */
#define SOCK_MIN_RCVBUF_TCP		2304

/* Per-connection samples for the results (not kernel state). */

/* include/linux/tcp.h */
struct tcp_sock {
	struct inet_connection_sock icsk;
	/* sequence space */
	uint32_t snd_isn;		/* our initial sequence number */
	uint32_t write_seq;		/* tail of the write queue */
	uint32_t pushed_seq;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_sml;		/* end of the last small segment sent (Nagle) */
	uint32_t snd_wnd;		/* peer's window, in bytes */
	uint32_t max_window;
	uint32_t snd_wl1;		/* seq of the segment that last updated snd_wnd */
	uint8_t snd_wscale, rcv_wscale;
	bool sack_ok;
	uint8_t ecn_flags;		/* TCP_ECN_* */
	bool tstamp_ok;			/* rx_opt.tstamp_ok: both ends do timestamps (12 option bytes) */
	uint32_t rcv_nxt;
	uint32_t rcv_wup;		/* rcv_nxt when the last window was advertised */
	uint32_t rcv_wnd;		/* window advertised at rcv_wup */
	uint32_t copied_seq;		/* next byte the application reads */
	uint32_t window_clamp;
	uint32_t rcv_ssthresh;		/* the window's slow-start bound (tcp_grow_window) */
	uint8_t scaling_ratio;		/* measured skb len/truesize, in 1/256 (tcp_measure_rcv_mss) */
	uint32_t mss_cache;
	uint16_t gso_segs;		/* tcp_xmit_size_goal()'s cached segment count */
	uint64_t pacing_rate;		/* sk->sk_pacing_rate, bytes/s (~0: not set yet) */
	sim_time_t tcp_wstamp_ns;	/* departure time of the last skb sent */
	uint32_t notsent_lowat;		/* TCP_NOTSENT_LOWAT; 0 = the sysctl */
	bool recvmsg_inq;		/* TCP_INQ: recvmsg() reports the bytes left to read */
	uint16_t advmss;
	uint16_t rx_opt_mss_clamp;
	uint16_t user_mss;		/* TCP_MAXSEG */
	uint8_t nonagle;		/* TCP_NAGLE_* */
	/* queues */
	GQueue write_queue;		/* struct tcp_qskb *, seq order, sent then unsent */
	GList *send_head;		/* first unsent, or NULL */
	GArray *ofo;			/* struct tcp_ofo_range, receiver side */
	GArray *rcv_skbs;		/* struct tcp_rskb: sk_receive_queue, seq order */
	GArray *ofo_skbs;		/* struct tcp_rskb: out_of_order_queue, seq order */
	struct tcp_sack_block selective_acks[TCP_NUM_SACKS];
	int num_sacks;
	/* D-SACK (RFC 2883): a duplicate to report in the first SACK block
	 * of the next segment (tp->rx_opt.dsack, tp->duplicate_sack[0]) */
	bool dsack;
	struct tcp_sack_block duplicate_sack;
	uint32_t dsack_dups;		/* sender: segments the peer reported twice */
	/* congestion control */
	uint32_t snd_cwnd;
	uint32_t snd_cwnd_cnt;
	uint32_t snd_ssthresh;
	uint32_t prior_ssthresh;
	uint32_t prior_cwnd;
	uint32_t prr_delivered, prr_out;
	uint32_t high_seq;		/* snd_nxt when recovery / loss began */
	uint32_t reordering;
	uint32_t reord_seen;		/* reordering events (tcp_check_sack_reordering) */
	uint32_t packets_out, sacked_out, lost_out, retrans_out;
	uint32_t max_packets_out;
	uint32_t cwnd_usage_seq;
	bool is_cwnd_limited;
	const struct tcp_congestion_ops *ca_ops;
	uint32_t ca_lsndtime;		/* jiffies of the last data sent (tp->lsndtime) */
	uint64_t ca_priv[12];		/* inet_csk_ca(): the CC module's state */
	/* RACK */
	sim_time_t rack_mstamp;		/* tx time of the newest (s)acked segment */
	uint32_t rack_rtt_us;
	uint32_t rack_end_seq;
	bool rack_advanced;		/* a sample since the last loss scan (tcp_rack_mark_lost) */
	/* TLP (tcp_send_loss_probe) */
	uint32_t tlp_high_seq;		/* snd_nxt at the probe; 0 = no episode */
	bool tlp_retrans;		/* the probe was a retransmission (5.9+) */
	/* RTT and RTO */
	uint32_t srtt_us;		/* <<3, as the kernel stores it */
	uint32_t mdev_us;		/* <<2 */
	uint32_t mdev_max_us;
	uint32_t rttvar_us;
	uint32_t rtt_seq;
	uint32_t min_rtt_us;
	uint32_t retrans_stamp;		/* tcp_time_stamp_ms() of the first
					 * (re)transmission; 0 = none */
	sim_time_t syn_sent_at;		/* for the handshake RTT sample (Karn) */
	/* counters (tcp_info) */
	uint32_t total_retrans;
	uint32_t total_rto;
	uint64_t bytes_acked;
	uint64_t bytes_received;
	uint64_t bytes_sent;
	uint64_t bytes_retrans;
	uint32_t segs_out, segs_in, data_segs_out, data_segs_in;
	uint32_t delivered;
	/* delayed ACK (icsk_ack) */
	struct sim_timer delack_timer;
	uint8_t ack_pending;		/* icsk_ack.pending: ICSK_ACK_SCHED (1), ICSK_ACK_NOW */
	uint8_t ack_quick;
	bool pingpong;			/* icsk_ack.pingpong: interactive, delay ACKs */
	uint16_t rcv_mss;
	sim_time_t ato;
	uint8_t icsk_probes_out;
	uint32_t probes_tstamp;		/* icsk_probes_tstamp: tcp_jiffies32 of the first probe of this
					 * closed window (0: none) */
	struct sim_timer keepalive_timer;	/* sk_timer: an orphan's FIN_WAIT2 (tcp_keepalive_timer) */
	struct sim_timer rack_timer;	/* RACK reordering timer */
	struct {			/* rcvq_space: receive-buffer autotuning */
		uint32_t space;
		uint32_t seq;
		sim_time_t time;
	} rcvq_space;
	sim_time_t lsndtime_ns;		/* last data transmission */
	sim_time_t lrcvtime;		/* icsk_ack.lrcvtime: last data received */
	/* tp->chrono_*: time busy / rwnd- / sndbuf-limited (tcp_chrono_start/stop) */
	uint8_t chrono_type;		/* enum tcp_chrono */
	uint32_t chrono_start;		/* tcp_jiffies32 */
	uint32_t chrono_stat[3];	/* jiffies, indexed by enum tcp_chrono - 1 */
};

/* include/linux/tcp.h:enum tcp_chrono — a higher value takes precedence */
enum tcp_chrono {
	TCP_CHRONO_UNSPEC,
	TCP_CHRONO_BUSY,		/* actively sending data (non-empty write queue) */
	TCP_CHRONO_RWND_LIMITED,	/* stalled by insufficient receive window */
	TCP_CHRONO_SNDBUF_LIMITED,	/* stalled by insufficient send buffer */
	__TCP_CHRONO_MAX,
};

/* include/net/request_sock.h: a connection in SYN_RECV on a listener */
struct request_sock {
	struct request_sock *dl_next;
	struct request_sock *dl_prev;	/* on the SYN queue */
	bool in_syn_queue;
	struct request_sock *rh_next;	/* chain of the namespace's request hash */
	struct request_sock **rh_pprev;
	uint32_t rh_hash;
	struct sock *rsk_listener;
	struct sock *child;		/* set once the final ACK created it */
	struct sim_timer rsk_timer;
	uint32_t rmt_addr, loc_addr;
	uint16_t rmt_port, loc_port;
	uint8_t family;			/* AF_INET6: an IPv6 SYN (tcp_v6_init_req) */
	struct in6_addr_sim ir_v6_rmt_addr, ir_v6_loc_addr;
	uint32_t rcv_isn, snt_isn;
	uint16_t mss;
	uint8_t snd_wscale;		/* the peer's window scale; 0xff: none */
	uint8_t rcv_wscale;		/* ours, as announced in the SYN-ACK */
	uint32_t window_clamp;		/* rsk_window_clamp: the child's clamp */
	uint32_t rcv_wnd;		/* rsk_rcv_wnd: the SYN-ACK's window, the child's rcv_wnd */
	bool sack_ok;
	bool ecn_ok;			/* inet_rsk(req)->ecn_ok: ECN agreed (tcp_ecn_create_request) */
	bool ts_ok;			/* both ends do timestamps: 12 option bytes per segment */
	uint8_t num_timeout;
	uint8_t num_retrans;
	bool acked;			/* final ACK seen but accept queue full */
	bool cookie;			/* SYN cookie: no timer, no SYN-queue slot */
	sim_time_t timeout;
	sim_time_t snt_synack;
	sim_time_t last_oow_ack_time;	/* tcp_oow_rate_limited() */
	uint32_t id;
	struct sim_rcu_head rsk_rcu;	/* reqsk_free() after the current event */
};

static inline struct inet_connection_sock *inet_csk(struct sock *sk)
{
	return (struct inet_connection_sock *)sk;
}

static inline struct tcp_sock *tcp_sk(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

/*
 * Models: include/net/tcp.h:tcp_time_stamp_ms() — TCP's millisecond clock.
 * It starts at 1 ms, not 0, so that a stamp of 0 keeps the kernel's meaning
 * "not set" even for a SYN sent at t = 0.
 */
static inline uint32_t tcp_time_stamp_ms(sim_time_t now)
{
	return (uint32_t)(now / 1000000u) + 1;
}

/*
 * getsockopt(TCP_INFO): the fields socksim fills, as in
 * include/uapi/linux/tcp.h:struct tcp_info (times in microseconds).
 */
#define TCP_INFO_FIELDS(X) \
	X(state) X(ca_state) X(retransmits) X(probes) X(backoff) X(rto) X(ato) \
	X(snd_mss) X(rcv_mss) X(unacked) X(sacked) X(lost) X(retrans) X(rtt) \
	X(rttvar) X(snd_ssthresh) X(snd_cwnd) X(advmss) X(reordering) \
	X(total_retrans) X(bytes_acked) X(bytes_received) X(segs_out) X(segs_in) \
	X(data_segs_out) X(data_segs_in) X(delivered) X(snd_wnd) X(rcv_wnd) \
	X(rcv_ssthresh) X(rcv_space) \
	X(min_rtt) X(bytes_sent) X(bytes_retrans) X(notsent_bytes) \
	X(snd_wscale) X(rcv_wscale) X(last_data_sent) X(last_data_recv) \
	X(busy_time) X(rwnd_limited) X(sndbuf_limited)

enum tcp_info_field {
#define TCPI_ENUM(n) TCPI_##n,
	TCP_INFO_FIELDS(TCPI_ENUM)
#undef TCPI_ENUM
	TCPI_MAX,
};

struct tcp_info_sim {
	uint64_t v[TCPI_MAX];
};

extern const char *const tcp_info_field_names[TCPI_MAX];
void tcp_get_info(struct sock *sk, struct tcp_info_sim *info);

/* Sequence number comparisons, modulo 2^32. */
static inline bool before(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool after(uint32_t a, uint32_t b) { return before(b, a); }

#endif
