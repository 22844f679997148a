/* SPDX-License-Identifier: MIT */
/*
 * The yardstick: a textbook binary min-heap of (time, seq, ptr) entries
 * stored inline in one array, ordered by (time, seq).  Push sifts up; pop
 * moves the last entry to the root and sifts down.  The test oracle of
 * tests/unit/test-eventq.c (the order reference); bench/bench-eventq.c also
 * uses it as the speed reference.
 */
#ifndef SOCKSIM_TESTS_YARDSTICK_H
#define SOCKSIM_TESTS_YARDSTICK_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ys_ent {
	uint64_t time;
	uint64_t seq;
	void *ptr;
};

struct ys_heap {
	struct ys_ent *a;
	size_t len;
	size_t cap;
};

static inline bool ys_less(const struct ys_ent *x, const struct ys_ent *y)
{
	return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static inline void ys_sift_up(struct ys_heap *h, size_t i, struct ys_ent e)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!ys_less(&e, &h->a[p]))
			break;
		h->a[i] = h->a[p];
		i = p;
	}
	h->a[i] = e;
}

static inline void ys_sift_down(struct ys_heap *h, size_t i, struct ys_ent e)
{
	size_t n = h->len;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && ys_less(&h->a[c + 1], &h->a[c]))
			c++;
		if (!ys_less(&h->a[c], &e))
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	h->a[i] = e;
}

static inline void ys_push(struct ys_heap *h, struct ys_ent e)
{
	if (h->len == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->a = g_renew(struct ys_ent, h->a, h->cap);
	}
	ys_sift_up(h, h->len++, e);
}

/* The heap must not be empty. */
static inline struct ys_ent ys_pop(struct ys_heap *h)
{
	struct ys_ent top = h->a[0];
	struct ys_ent last = h->a[--h->len];

	if (h->len)
		ys_sift_down(h, 0, last);
	return top;
}

static inline void ys_free(struct ys_heap *h)
{
	g_free(h->a);
	*h = (struct ys_heap){ 0 };
}

#endif
