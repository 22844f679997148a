/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: expectations on the wire (docs/scenario-language.md,
 * "Wire expectations").  A timed line
 *
 *   TIME wire HOST out|in FLAGS|OP [key=value ...]
 *
 * says that HOST sends (out) or receives (in) a packet at TIME (± tol=),
 * with the given TCP flags and fields or vsock op and header fields.  The
 * checker (scn_wire_check) turns it into a struct wire_exp; the runner
 * records every packet of the hosts named (scn_wire_rec_new, an observer
 * of net_xmit/net_rcv/vsock_pkt_xmit/vsock_pkt_rcv) and the evaluation
 * matches each host's packets in each direction, in order, one to one.
 */
#ifndef SIM_SCENARIO_WIRE_EXPECT_H
#define SIM_SCENARIO_WIRE_EXPECT_H

#include <glib.h>

#include "plan.h"
#include "trace/events.h"

/* wire_exp.ecn: either ECT codepoint (packetdrill's [ect01]) */
#define ECN_ECT01 4

/* Which fields a wire_exp checks. */
enum {
	WX_SEQ = 1 << 0, WX_ACK = 1 << 1, WX_LEN = 1 << 2, WX_WIN = 1 << 3,
	WX_MSS = 1 << 4, WX_WSCALE = 1 << 5, WX_SACKOK = 1 << 6, WX_TS = 1 << 7,
	WX_SACK = 1 << 8, WX_SPORT = 1 << 9, WX_DPORT = 1 << 10,
	WX_VFLAGS = 1 << 11, WX_BUF_ALLOC = 1 << 12, WX_FWD_CNT = 1 << 13,
	WX_OPTS = 1 << 14,	/* no option may appear that the line does not name */
	WX_ECN = 1 << 15,	/* the IP header's ECN field */
};

struct wire_exp {
	int line;
	char *text;		/* the line's canonical text, for reports */
	int host;
	bool out;		/* sent by HOST (else received) */
	bool vsock;
	sim_time_t time, tol;
	bool any_time;		/* tol=any */
	/* gso=1: whole TSO/GSO packets sent back to back add up to len;
	 * gso=sw: their segments do (the device segments, TSO off); 0: neither */
	enum { WX_GSO_NONE, WX_GSO_PACKETS, WX_GSO_SEGMENTS } gso;
	bool end;		/* "wire HOST out end": no more packets in this stream */
	unsigned int has;	/* WX_* */
	/* TCP: seq relative to the sender's ISN, ack and SACK to the receiver's */
	uint8_t flags;
	uint32_t seq, ack, len, win;
	uint16_t mss, sport, dport;
	uint8_t wscale;
	bool sackok, ts;
	int ecn;		/* INET_ECN_*, or ECN_ECT01: ECT(0) or ECT(1) */
	int nsacks;
	uint32_t sack[SKB_MAX_SACKS][2];
	/* vsock */
	int op;
	uint32_t vflags, buf_alloc, fwd_cnt;
};

struct scn_wire_plan {
	GPtrArray *exps;	/* struct wire_exp *, in file order */
};

struct checker;
struct scn_stmt;

/* "TIME wire ...": check it and add it to plan->wire. */
void scn_wire_check(struct checker *c, const struct scn_stmt *st);
/* The same from a front end that builds a wire_exp itself (the .pkt reader). */
void scn_wire_plan_add(struct scn_plan *plan, struct wire_exp *e);
void scn_wire_plan_free(struct scn_wire_plan *wp);

/* The runner's recorder. */
struct wire_rec;
struct world;
struct wire_rec *scn_wire_rec_new(const struct scn_plan *plan, struct world *w);
void scn_wire_rec_free(struct wire_rec *wr);

/*
 * Evaluate expectation @i of plan->wire: append the expected and actual
 * packets to @exp/@act and return whether it holds.  Call in file order,
 * @i = 0, 1, ...: matching consumes the packets of each stream in order.
 */
bool scn_wire_eval(struct wire_rec *wr, guint i, GString *exp, GString *act);

/*
 * For a runner that times expectations as the run goes (scenario/pkt_run.c):
 * @fn is called whenever a host a line names sends a TCP packet;
 * scn_wire_take() consumes, from *@cursor of expectation @i's stream, the
 * packets @i would match (one, or a GSO run) and gives the first one's time
 * (false: none sent yet); scn_wire_rec_set_time() replaces @i's time and
 * tolerance for the evaluation.
 */
void scn_wire_rec_notify(struct wire_rec *wr, void (*fn)(void *ctx), void *ctx);
bool scn_wire_take(struct wire_rec *wr, guint i, guint *cursor, sim_time_t *t);
void scn_wire_rec_set_time(struct wire_rec *wr, guint i, sim_time_t time, sim_time_t tol, bool any);

/*
 * dport=learn on an inject line: the local port of @to's latest socket
 * connected (or connecting) to @from_addr:@sport, as packetdrill learns it
 * from the SYN it sniffs; 0 if there is none.
 */
struct net;
uint16_t scn_inject_learned_port(const GPtrArray *all_socks, const struct net *to, uint32_t from_addr,
				 uint16_t sport);
/*
 * The same once the socket is gone (closed, port released): packetdrill keeps
 * the port and ISN it learned from the SYN it sniffed, so a segment scripted
 * after close() still reaches that port with acks relative to that ISN.  The
 * newest SYN or SYN-ACK @to_addr sent to @from_addr:@sport on the wire: its
 * source port and sequence number; false if none was seen (or @wr is NULL).
 */
bool scn_wire_rec_last_syn(struct wire_rec *wr, uint32_t to_addr, uint32_t from_addr, uint16_t sport,
			   uint16_t *port, uint32_t *isn);

/* "S.", "P.", ".", "F.", "R": tcpdump's notation of TCP flags. */
void scn_wire_flags_text(uint8_t flags, GString *s);

#endif
