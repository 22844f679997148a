/* SPDX-License-Identifier: MIT */
/* Names of sk_state (include/net/tcp_states.h) and sock->state values. */
#include "net/sock.h"

#include <string.h>

static const char *const tcp_state_names[TCP_MAX_STATES] = {
	[0] = "TCP_UNKNOWN",
	[TCP_ESTABLISHED] = "TCP_ESTABLISHED",
	[TCP_SYN_SENT] = "TCP_SYN_SENT",
	[TCP_SYN_RECV] = "TCP_SYN_RECV",
	[TCP_FIN_WAIT1] = "TCP_FIN_WAIT1",
	[TCP_FIN_WAIT2] = "TCP_FIN_WAIT2",
	[TCP_TIME_WAIT] = "TCP_TIME_WAIT",
	[TCP_CLOSE] = "TCP_CLOSE",
	[TCP_CLOSE_WAIT] = "TCP_CLOSE_WAIT",
	[TCP_LAST_ACK] = "TCP_LAST_ACK",
	[TCP_LISTEN] = "TCP_LISTEN",
	[TCP_CLOSING] = "TCP_CLOSING",
	[TCP_NEW_SYN_RECV] = "TCP_NEW_SYN_RECV",
};

static const char *const ss_names[] = {
	[SS_FREE] = "SS_FREE",
	[SS_UNCONNECTED] = "SS_UNCONNECTED",
	[SS_CONNECTING] = "SS_CONNECTING",
	[SS_CONNECTED] = "SS_CONNECTED",
	[SS_DISCONNECTING] = "SS_DISCONNECTING",
};

const char *tcp_state_name(int state)
{
	return state > 0 && state < TCP_MAX_STATES ? tcp_state_names[state] : "TCP_UNKNOWN";
}

int tcp_state_from_name(const char *name)
{
	if (strncmp(name, "TCP_", 4) != 0)
		return -1;
	for (int i = 1; i < TCP_MAX_STATES; i++)
		if (strcmp(tcp_state_names[i], name) == 0)
			return i;
	return -1;
}

const char *socket_state_name(socket_state s)
{
	return (unsigned)s <= SS_DISCONNECTING ? ss_names[s] : "SS_UNKNOWN";
}

int socket_state_from_name(const char *name)
{
	for (int i = 0; i <= SS_DISCONNECTING; i++)
		if (strcmp(ss_names[i], name) == 0)
			return i;
	return -1;
}
