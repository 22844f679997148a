/* SPDX-License-Identifier: MIT */
/* AF_VSOCK addresses and socket options: include/uapi/linux/vm_sockets.h. */
#ifndef MODELS_UAPI_LINUX_VM_SOCKETS_H
#define MODELS_UAPI_LINUX_VM_SOCKETS_H

#include <stdint.h>

#define VMADDR_CID_ANY		0xFFFFFFFFu
#define VMADDR_PORT_ANY		0xFFFFFFFFu
#define VMADDR_CID_HYPERVISOR	0
#define VMADDR_CID_LOCAL	1	/* 5.0: VMADDR_CID_RESERVED */
#define VMADDR_CID_HOST		2

#define VMADDR_FLAG_TO_HOST	0x01	/* svm_flags (absent in 5.0) */

/* Optnames at level AF_VSOCK. */
#define SO_VM_SOCKETS_BUFFER_SIZE		0
#define SO_VM_SOCKETS_BUFFER_MIN_SIZE		1
#define SO_VM_SOCKETS_BUFFER_MAX_SIZE		2
#define SO_VM_SOCKETS_PEER_HOST_VM_ID		3
#define SO_VM_SOCKETS_TRUSTED			5
#define SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD	6
#define SO_VM_SOCKETS_NONBLOCK_TXRX		7
#define SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW	8
/* What user space gets on 64-bit. */
#define SO_VM_SOCKETS_CONNECT_TIMEOUT		SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD

/* struct sockaddr_vm: 16 bytes. */
struct sockaddr_vm {
	uint16_t svm_family;
	uint16_t svm_reserved1;
	uint32_t svm_port;
	uint32_t svm_cid;
	uint8_t svm_flags;
	uint8_t svm_zero[3];
};

_Static_assert(sizeof(struct sockaddr_vm) == 16, "sockaddr_vm is 16 bytes");

#endif
