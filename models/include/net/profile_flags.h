/* SPDX-License-Identifier: MIT */
/*
 * The profile-flag registry: one row per kernel behaviour that changed
 * between the kernels socksim models.  Every profile is derived from it by
 * its version (models/profile.c); `socksim list-profiles` prints it;
 * docs/kernel-versions.md has the evidence behind each row.
 *
 * A row is
 *
 *   PF(A, field, kind, before, after, first, backports, override_in, override,
 *      confidence, source, doc)
 *
 *   field       the member of struct kernel_profile (KERNEL_PROFILE_FLAGS) or
 *               struct vsock_profile (VSOCK_PROFILE_FLAGS) the models read
 *   kind        how list-profiles prints the value (enum profile_flag_kind)
 *   before      the value of kernels older than `first`
 *   after       the value from `first` on (the linux-6.18 behaviour)
 *   first       the first mainline release with `after`: KV(major, minor)
 *   backports   the stable branches (LTS_* bits) whose latest release (.y)
 *               has `after` although the branch is older than `first`
 *   override_in the branches that have neither value, and
 *   override    the value they have instead (a middle form), else 0
 *   confidence  SOURCED (release, commit and file seen in sources) or
 *               ASSUMED (could not be dated from sources; the doc says why)
 *   source      the kernel commit (12-character mainline hash) and file
 *   doc         one line: what the flag changes
 *
 * A profile of version V on branch B has, for each row:
 *   override            if B is in override_in,
 *   after               else if V >= first or B is in backports,
 *   before              otherwise.
 * (PF_VALUE below; A is the profile, passed through by the X-macro.)
 *
 * Adding a behaviour difference: a member in net/profile.h or
 * net/vsock_profile.h, one row here, the model code reading it, a scenario
 * under scenarios/profiles/ showing both sides.
 */
#ifndef MODELS_NET_PROFILE_FLAGS_H
#define MODELS_NET_PROFILE_FLAGS_H

/* A kernel release as a number: 6.18 -> 6018. */
#define KV(major, minor) ((major) * 1000 + (minor))

/* The stable branches a profile models (its latest .y release). */
#define LTS_5_10 (1u << 0)
#define LTS_5_15 (1u << 1)
#define LTS_6_1 (1u << 2)
#define LTS_6_6 (1u << 3)
#define LTS_6_12 (1u << 4)
#define LTS_6_18 (1u << 5)
/* every LTS branch older than 6.18 */
#define LTS_ALL_OLDER (LTS_5_10 | LTS_5_15 | LTS_6_1 | LTS_6_6 | LTS_6_12)

/* The value of a row in the profile of version @v on branch bit(s) @b. */
#define PF_VALUE(v, b, before, after, first, backports, override_in, override) \
	(((override_in) & (b)) ? (override) : \
	 ((v) >= (first) || ((backports) & (b))) ? (after) : (before))

/* struct kernel_profile: the socket layer, TCP and the sysctl defaults. */
#define KERNEL_PROFILE_FLAGS(PF, A) \
	PF(A, connect_addr_first, PF_BOOL, false, true, KV(5, 5), 0, 0, 0, SOURCED, \
	   "(hash not seen) \"io_uring: ensure async punted connect requests copy data\"; net/socket.c __sys_connect", \
	   "connect() copies the address before looking up the socket (EFAULT before EBADF)") \
	PF(A, syn_expiry_time_based, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, SOURCED, \
	   "a41e8a88b06e; net/ipv4/tcp_timer.c tcp_write_timeout", \
	   "SYN_SENT expiry is time-based and honours TCP_USER_TIMEOUT, not a count") \
	PF(A, syn_linear_timeouts, PF_BOOL, false, true, KV(6, 5), 0, 0, 0, SOURCED, \
	   "ccce324dabfe; net/ipv4/tcp_timer.c, net/ipv4/tcp_ipv4.c tcp_sk_init", \
	   "net.ipv4.tcp_syn_linear_timeouts exists (default 4): the first SYN backoffs are linear") \
	PF(A, disconnect_while_waiting, PF_DISCONNECT, TCP_DISCONNECT_PROCEEDS, TCP_DISCONNECT_EPIPE, \
	   KV(6, 6), LTS_6_1, LTS_5_10 | LTS_5_15, TCP_DISCONNECT_EBUSY, SOURCED, \
	   "419ce133ab92 (6.1.60+; EBUSY: 6.4-6.5, 5.10.y, 5.15.y assumed); net/ipv4/tcp.c tcp_disconnect, net/ipv4/af_inet.c", \
	   "connect(AF_UNSPEC) while a thread waits: proceeds / EBUSY / the waiter gets EPIPE") \
	PF(A, synsent_bad_ack_rearm, PF_BOOL, false, true, KV(5, 6), 0, 0, 0, SOURCED, \
	   "9603d47bad46; net/ipv4/tcp_input.c tcp_rcv_synsent_state_process", \
	   "an RST for a bad SYN_SENT ACK re-arms the SYN timer to TCP_TIMEOUT_MIN") \
	PF(A, recovery_retrans_stamp_cleanup, PF_BOOL, false, true, KV(6, 12), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "b41b4cbd9655 (stable to every LTS); net/ipv4/tcp_input.c tcp_enter_recovery", \
	   "tcp_enter_recovery clears retrans_stamp when nothing retransmitted is out") \
	PF(A, synq_full_strictly_greater, PF_BOOL, false, true, KV(6, 13), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "3479c7549fb1 (stable to every LTS); include/net/inet_connection_sock.h inet_csk_reqsk_queue_is_full", \
	   "the SYN queue is full when qlen > backlog (was >=)") \
	PF(A, port_perturb_table, PF_BOOL, false, true, KV(5, 18), LTS_5_10 | LTS_5_15, 0, 0, SOURCED, \
	   "4c2c8f03a5ab (table 5.12; 5.10.125+); net/ipv4/inet_hashtables.c __inet_hash_connect", \
	   "ephemeral ports: RFC 6056 alg. 4 perturbation table (else a single hint)") \
	PF(A, rto_min_tunable, PF_BOOL, false, true, KV(6, 11), 0, 0, 0, SOURCED, \
	   "f086edef71be; net/ipv4/sysctl_net_ipv4.c, net/ipv4/tcp.c tcp_init_sock", \
	   "net.ipv4.tcp_rto_min_us exists") \
	PF(A, rto_max_tunable, PF_BOOL, false, true, KV(6, 15), 0, 0, 0, SOURCED, \
	   "54a378f43425, 1280c26228bd; net/ipv4/tcp.c do_tcp_setsockopt, net/ipv4/tcp_timer.c", \
	   "net.ipv4.tcp_rto_max_ms and TCP_RTO_MAX_MS exist") \
	PF(A, tlp_one_per_flight, PF_BOOL, false, true, KV(5, 9), 0, 0, 0, SOURCED, \
	   "76be93fc0702; net/ipv4/tcp_output.c tcp_send_loss_probe", \
	   "at most one tail loss probe per flight, new data included (tlp_high_seq)") \
	PF(A, timeout_min_us, PF_BOOL, false, true, KV(6, 6), 0, 0, 0, ASSUMED, \
	   "(hash not seen) \"tcp: fix excessive TLP and RACK timeouts from HZ rounding\"; net/ipv4/tcp_output.c tcp_schedule_loss_probe, net/ipv4/tcp_recovery.c; stable backports not checked", \
	   "TLP and RACK timeouts add 2 ms (TCP_TIMEOUT_MIN_US) before rounding to jiffies, not 2 jiffies") \
	PF(A, rcv_wnd_init_uncapped, PF_BOOL, false, true, KV(6, 11), 0, 0, 0, ASSUMED, \
	   "(hash not seen) \"tcp: remove 64 KByte limit for initial tp->rcv_wnd value\"; net/ipv4/tcp_output.c tcp_select_initial_window; stable backports not checked; 6.18.44 measured uncapped (packetdrill: window 1050 x 256 with no data received)", \
	   "the first receive window (and rcv_ssthresh) is not capped at 65535; a SYN's field still is") \
	PF(A, rcv_scaling_ratio, PF_BOOL, false, true, KV(6, 6), 0, 0, 0, ASSUMED, \
	   "(hash not seen) \"tcp: get rid of sysctl_tcp_adv_win_scale\"; include/net/tcp.h tcp_win_from_space, net/ipv4/tcp_input.c tcp_measure_rcv_mss; 6.18.44 measured (ss: rcv_ssthresh after one segment)", \
	   "window <-> buffer space at the measured skb len/truesize ratio, not a fixed half (tcp_adv_win_scale 1)") \
	PF(A, ofo_measure_rcv_mss, PF_BOOL, false, true, KV(6, 17), 0, 0, 0, ASSUMED, \
	   "(hash not seen) \"tcp: call tcp_measure_rcv_mss() for ooo packets\"; net/ipv4/tcp_input.c tcp_data_queue_ofo; 6.18.44 measured (tcpi_rcv_ssthresh after out-of-order segments, tests/packetdrill/rwin-ofo-clamp.pkt)", \
	   "an out-of-order segment also measures rcv_mss and the scaling ratio (tcp_measure_rcv_mss)") \
	PF(A, xmit_timer_after_recovery, PF_BOOL, false, true, KV(5, 18), 0, 0, 0, ASSUMED, \
	   "(hash not seen) \"tcp: fix TLP timer not set when CA_STATE changes from DISORDER to OPEN\"; net/ipv4/tcp_input.c tcp_ack; stable backports not checked", \
	   "tcp_ack arms the TLP/RTO timer after the recovery state machine ran") \
	PF(A, cwnd_test_strict_fin, PF_BOOL, false, true, KV(6, 10), 0, 0, 0, SOURCED, \
	   "(hash not seen) \"tcp: remove dubious FIN exception from tcp_cwnd_test()\" (net-next 2024-04, v6.10; not a fix, no stable backport); net/ipv4/tcp_output.c tcp_cwnd_test", \
	   "a one-segment FIN waits for cwnd like any segment (5.0-6.9: it goes out regardless)") \
	PF(A, tcp_grow_skb, PF_BOOL, false, true, KV(6, 10), 0, 0, 0, SOURCED, \
	   "(hash not seen) \"tcp: try to send bigger TSO packets\" (net-next 2024-04, v6.10; a feature, no stable backport); net/ipv4/tcp_output.c tcp_grow_skb, tcp_write_xmit", \
	   "tcp_write_xmit moves payload of the next unsent skb into a send head smaller than the cwnd quota (tcp_grow_skb), freeing an emptied skb") \
	PF(A, prr_ssrb_on_una_advance, PF_BOOL, false, true, KV(5, 12), 0, 0, 0, ASSUMED, \
	   "7e901ee7b6ab \"tcp: avoid slow start during fast recovery on new losses\" (hash from packetdrill pull request #77, release from its early-2021 date; stable backports not checked); net/ipv4/tcp_input.c tcp_cwnd_reduction", \
	   "PRR below ssthresh uses the slow-start bound when snd_una advanced and nothing was newly lost (else only when retransmitted data was acked)") \
	PF(A, prr_banked_crb, PF_BOOL, false, true, KV(5, 19), 0, 0, 0, SOURCED, \
	   "9ad084d66619 \"tcp: improve PRR loss recovery\"; net/ipv4/tcp_input.c tcp_cwnd_reduction", \
	   "PRR below ssthresh may send what was banked (prr_delivered - prr_out), plus one when snd_una advanced and nothing was newly lost") \
	PF(A, somaxconn_default, PF_INT, 128, 4096, KV(5, 4), 0, 0, 0, SOURCED, \
	   "19f92a030ca6; include/linux/socket.h SOMAXCONN", \
	   "net.core.somaxconn default") \
	PF(A, tcp_rmem_max_default, PF_INT, 6291456, 33554432, KV(6, 16), 0, 0, 0, SOURCED, \
	   "572be9bf9d0d; net/ipv4/tcp.c tcp_init", \
	   "net.ipv4.tcp_rmem[2] default") \
	PF(A, wmem_max_default, PF_INT, 212992, 4194304, KV(6, 18), 0, 0, 0, SOURCED, \
	   "a6d4f25888b8; net/core/sock.c, include/net/sock.h", \
	   "net.core.wmem_max and rmem_max default")

/* struct vsock_profile: AF_VSOCK, the virtio transport, vhost-vsock. */
#define VSOCK_PROFILE_FLAGS(PF, A) \
	PF(A, multi_transport, PF_BOOL, false, true, KV(5, 5), 0, 0, 0, SOURCED, \
	   "c0cfa2d8a788; net/vmw_vsock/af_vsock.c vsock_assign_transport", \
	   "per-socket transport chosen by CID at connect (h2g/g2h)") \
	PF(A, max_pkt_payload, PF_INT, 4096, 65536, KV(5, 4), 0, 0, 0, ASSUMED, \
	   "July 2019 throughput series, patch not seen; virtio_transport_common.c send_pkt_info", \
	   "payload bytes per packet") \
	PF(A, send_pkt_loop, PF_BOOL, false, true, KV(6, 4), 0, 0, 0, SOURCED, \
	   "b68ffb1b3bee; virtio_transport_common.c virtio_transport_send_pkt_info", \
	   "one enqueue loops over several packets (else one packet per call)") \
	PF(A, rx_credit_check, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, SOURCED, \
	   "ae6fcfbf5f03; virtio_transport_common.c virtio_transport_inc_rx_pkt", \
	   "a received RW beyond buf_alloc is dropped") \
	PF(A, rx_buf_used, PF_BOOL, false, true, KV(6, 16), LTS_6_6 | LTS_6_12, 0, 0, SOURCED, \
	   "45ca7e9f0730 (.y branches assumed); virtio_transport_common.c inc_rx_pkt/dec_rx_pkt", \
	   "rx admission counts buf_used (whole packets until read) instead of rx_bytes") \
	PF(A, tx_cap_own_buf_alloc, PF_BOOL, false, true, KV(6, 19), LTS_6_1 | LTS_6_18, 0, 0, SOURCED, \
	   "(stable c0e42fb0e054) \"cap TX credit to local buffer size\"; virtio_transport_common.c get_credit", \
	   "TX space is capped by our own buf_alloc too") \
	PF(A, credit_s64, PF_BOOL, false, true, KV(6, 19), LTS_6_1 | LTS_6_18, 0, 0, SOURCED, \
	   "(mainline hash not seen) \"fix potential underflow in get_credit()\"; virtio_transport_common.c", \
	   "credit arithmetic in signed 64 bits, floored at 0 (else u32 wrap)") \
	PF(A, credit_update, PF_CREDIT_UPDATE, VSOCK_CREDIT_UPDATE_EVERY_DEQUEUE, \
	   VSOCK_CREDIT_UPDATE_DELTA_LOW_FREE_RCVLOWAT, KV(6, 8), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "93b808876682 (low-free 5.4-6.7.0, b89d882dc9fc); virtio_transport_common.c stream_do_dequeue", \
	   "when a dequeue sends CREDIT_UPDATE") \
	PF(A, stream_msg_peek, PF_BOOL, false, true, KV(5, 6), 0, 0, 0, ASSUMED, \
	   "recalled as \"vsock/virtio: add support for MSG_PEEK\" (net-next Dec 2019), not seen; virtio_transport_common.c", \
	   "recv(MSG_PEEK) on a virtio stream socket (else EOPNOTSUPP)") \
	PF(A, rcvlowat_target, PF_BOOL, false, true, KV(6, 1), 0, 0, 0, ASSUMED, \
	   "recalled as the Aug 2022 \"vsock: updates for SO_RCVLOWAT processing\" series, not seen; af_vsock.c vsock_set_rcvlowat", \
	   "SO_RCVLOWAT above the buffer size is EINVAL; poll() needs rx data >= SO_RCVLOWAT (else any data)") \
	PF(A, seqpacket, PF_BOOL, false, true, KV(5, 14), 0, 0, 0, ASSUMED, \
	   "recalled as the \"virtio/vsock: introduce SOCK_SEQPACKET support\" series (2021), not seen; af_vsock.c vsock_create", \
	   "SOCK_SEQPACKET sockets (else ESOCKTNOSUPPORT)") \
	PF(A, credit_request_reply, PF_BOOL, false, true, KV(5, 14), 0, 0, 0, SOURCED, \
	   "e3ea110d6e79; virtio_transport_common.c virtio_transport_recv_connected", \
	   "CREDIT_REQUEST is answered with CREDIT_UPDATE") \
	PF(A, rst_unexpected_state, PF_BOOL, false, true, KV(5, 6), 0, 0, 0, SOURCED, \
	   "(hash uncertain) \"net: virtio_vsock: Enhance connection semantics\"; virtio_transport_common.c recv_pkt", \
	   "RST for a packet to a socket in an unexpected state (else freed silently)") \
	PF(A, listen_rst_to_requester, PF_BOOL, false, true, KV(5, 5), 0, 0, 0, SOURCED, \
	   "(hash not seen) fix of c0cfa2d8a788; virtio_transport_common.c virtio_transport_recv_listen", \
	   "a refusing listener resets the requester (else its own unset remote)") \
	PF(A, rst_sock_done, PF_BOOL, false, true, KV(5, 10), 0, 0, 0, SOURCED, \
	   "3fe356d58efa; virtio_transport_common.c virtio_transport_recv_pkt", \
	   "RST for a packet to a SOCK_DONE socket or one on another transport") \
	PF(A, peer_shutdown_rst, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, ASSUMED, \
	   "origin not found (<= 5.4); virtio_transport_common.c virtio_transport_recv_connected", \
	   "peer SHUTDOWN(both) with nothing unread: RST + close (else TCP_CLOSING only)") \
	PF(A, small_pkt_merge, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, ASSUMED, \
	   "July 2019 series, hunk not read; virtio_transport_common.c recv_enqueue", \
	   "small RW packets (<= 128 B) are merged into the last queued one") \
	PF(A, ealready_immediate, PF_BOOL, false, true, KV(5, 16), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "c7cd82b90599 (stable to every LTS); net/vmw_vsock/af_vsock.c vsock_connect", \
	   "non-blocking connect while SS_CONNECTING: EALREADY without re-arming the timeout") \
	PF(A, timeout_resets_sock_state, PF_BOOL, false, true, KV(6, 0), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "a3e7b29e3085 (stable to every LTS); af_vsock.c vsock_connect_timeout", \
	   "the connect-timeout work resets sock->state to SS_UNCONNECTED") \
	PF(A, connect_clears_sk_err, PF_BOOL, false, true, KV(6, 14), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "aa388c72113b (stable to every LTS); af_vsock.c vsock_connect", \
	   "connect() clears a stale sk_err before a new attempt") \
	PF(A, wait_exits_on_closing, PF_BOOL, false, true, KV(6, 15), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "fccd2b711d96 (stable to every LTS); af_vsock.c vsock_connect", \
	   "the blocking connect wait also ends on TCP_CLOSING") \
	PF(A, signal_keeps_established, PF_BOOL, false, true, KV(6, 18), LTS_ALL_OLDER, 0, 0, SOURCED, \
	   "002541ef650b, CVE-2025-40248 (5.10.247, 5.15.197, 6.1.159, 6.6.118, 6.12.60); af_vsock.c vsock_connect", \
	   "a signal after the connection was established does not fail connect()") \
	PF(A, sigpipe, PF_BOOL, false, true, KV(6, 7), 0, 0, 0, SOURCED, \
	   "8ecf0cedc08a; af_vsock.c vsock_connectible_sendmsg", \
	   "EPIPE on a stream raises SIGPIPE") \
	PF(A, enqueue_err_enomem, PF_BOOL, true, false, KV(6, 3), 0, 0, 0, SOURCED, \
	   "c43170b7e157; af_vsock.c vsock_connectible_sendmsg", \
	   "a negative enqueue result is reported as ENOMEM (else as itself)") \
	PF(A, tx_fast_path, PF_BOOL, false, true, KV(6, 12), 0, 0, 0, SOURCED, \
	   "efcd71af38be; net/vmw_vsock/virtio_transport.c virtio_transport_send_pkt", \
	   "guest TX adds + kicks directly when the send queue is empty") \
	PF(A, vhost_weights, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, ASSUMED, \
	   "CVE-2019-3900 weight series, not found (<= 5.4); drivers/vhost/vsock.c", \
	   "vhost handler weights (256 packets / 512 KiB per run)") \
	PF(A, vhost_dst_check, PF_BOOL, false, true, KV(5, 5), 0, 0, 0, SOURCED, \
	   "(hash not seen) \"vhost/vsock: accept only packets with the right dst_cid\"; drivers/vhost/vsock.c", \
	   "vhost accepts guest TX only with dst_cid == 2") \
	PF(A, rx_buf_linear, PF_BOOL, false, true, KV(6, 17), 0, 0, 0, SOURCED, \
	   "(stable cadc3cdb5c39) \"Resize receive buffers...\" (linear skb 6.3: 71dc9ec9ac7d); virtio_transport.c", \
	   "guest rx buffers: one linear 3776-byte buffer (else 44-byte header + 4096)") \
	PF(A, vhost_split, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, ASSUMED, \
	   "July 2019 series, not dated; drivers/vhost/vsock.c vhost_transport_do_send_pkt", \
	   "vhost splits a host packet over several guest rx buffers") \
	PF(A, svm_flags, PF_BOOL, false, true, KV(5, 11), LTS_5_10, 0, 0, SOURCED, \
	   "dc8eeef73b63 (CID_LOCAL 5.6; 5.10.y backport); include/uapi/linux/vm_sockets.h", \
	   "VMADDR_CID_LOCAL and svm_flags exist") \
	PF(A, buffer_size_credit_update, PF_BOOL, false, true, KV(5, 4), 0, 0, 0, SOURCED, \
	   "(with ae6fcfbf5f03) \"send a credit update when buffer size is changed\"; af_vsock.c", \
	   "SO_VM_SOCKETS_BUFFER_SIZE sends a CREDIT_UPDATE") \
	PF(A, rcvlowat_credit_update, PF_BOOL, false, true, KV(6, 8), LTS_6_6, 0, 0, SOURCED, \
	   "0fe179896811 (6.6.14+); af_vsock.c vsock_set_rcvlowat", \
	   "SO_RCVLOWAT above rx_bytes sends a CREDIT_UPDATE") \
	PF(A, guest_loopback, PF_BOOL, true, false, KV(5, 6), 0, 0, 0, SOURCED, \
	   "(hash not seen) \"vsock/virtio: remove loopback handling\"; net/vmw_vsock/virtio_transport.c", \
	   "the guest driver loops back packets to its own CID (else ENODEV)") \
	PF(A, family_without_transport, PF_BOOL, false, true, KV(5, 5), 0, 0, 0, ASSUMED, \
	   "presumably c0cfa2d8a788, not read; af_vsock.c vsock_init/vsock_create", \
	   "socket(AF_VSOCK) works with no transport (else EAFNOSUPPORT)")

#endif
