/* SPDX-License-Identifier: MIT */
/*
 * The pending-event set: a ladder queue (after Tang, Goh and Thng, "Ladder
 * Queue: An O(1) Priority Queue Structure for Large-Scale Discrete Event
 * Simulation", ACM TOMACS 15(3), 2005) with power-of-two bucket widths, at
 * most 2^12 buckets per rung, and a bottom made of a sorted run, a FIFO and a
 * heap.
 *
 * Layout
 * ------
 * Every queued event is represented by an entry (time, seq, ev) -- its key,
 * copied at insertion, and the event pointer -- stored inline in exactly one
 * container:
 *
 *   bottom  run:  an array sorted by (time, seq), descending, so the
 *                 minimum is the last element and popping never moves the
 *                 others; a removed entry leaves a hole (ev = NULL, no key
 *                 use) until it reaches the end;
 *           fifo: an array ascending by (time, seq) from fifo_head on, for
 *                 events inserted into the bottom's range while the run is
 *                 being consumed whose key is above the FIFO's last (an
 *                 event for now, or for now + a delay that the previous
 *                 arrival also had): appended, popped from the head, a
 *                 removed entry a hole until it reaches either end;
 *           side: a binary min-heap by (time, seq) for the other events
 *                 inserted into the bottom's range;
 *   rungs   rung[0] (coarsest) .. rung[nrungs-1] (finest).  Rung k has nb_k
 *           (a power of two) buckets of width 2^shift_k ns; bucket i holds,
 *           unsorted, the events with time >> shift_k == base_k + i.
 *           Buckets below cur_k have been consumed and are empty;
 *   top     an unsorted array of everything beyond rung 0.
 *
 * ev->node records the container (loc) and the entry's index in it, so any
 * event is removed in place: swap-with-last in top or a bucket, a sift in the
 * side heap, a hole in the run or the FIFO.  Entries carry their key, so the queue reads
 * an event only to update that back-index when its entry moves.
 *
 * Routing.  The container an event belongs to is a function R(t) of its time
 * and the current shape of the ladder.  With S_k = (base_k + cur_k) <<
 * shift_k, the start of rung k's first unconsumed bucket, and
 * E_0 = (base_0 + nb_0) << shift_0, the end of rung 0:
 *
 *   no rungs                          -> top
 *   t >= E_0                          -> top
 *   S_k <= t, k smallest such index   -> rung k, bucket (t >> shift_k) - base_k
 *   t < S_{nrungs-1}                  -> bottom
 *
 * Rung k+1 is the subdivision of rung k's bucket cur_k - 1 (it was split when
 * consumed), so it covers exactly [start of that bucket, S_k), and the ranges
 * bottom | rung nrungs-1 | ... | rung 0 | top are contiguous and increasing.
 *
 * Operations
 * ----------
 * insert  files the entry where R(t) says: a few compares and an append
 *         (in the bottom: to the FIFO if its key is above the FIFO's last,
 *         otherwise to the side heap).  When the side heap holds SIDE_THRES entries (or 2, 4, ... times
 *         that) and the ladder can go deeper, the bottom's bucket is first
 *         subdivided like a split bucket: a new finest rung covering exactly
 *         it takes the run's, the FIFO's and the side heap's entries
 *         (bottom_spread), so
 *         a bottom much wider than the spread of the events arriving in it
 *         (a rung 0 built over a few far-apart events) does not turn the
 *         queue into one big heap.
 * pop     takes the smallest of the run's last entry, the FIFO's head and
 *         the side heap's root.
 *         If the bottom is empty it is refilled first: take the finest
 *         rung's first non-empty bucket; if it holds more than BUCKET_THRES
 *         events and is wider than 1 ns, spread it over a new, finer rung
 *         of about len / BUCKET_TARGET buckets, and repeat; otherwise sort it
 *         into the run (key_sort_desc(): the entries' small integer keys,
 *         ranked or merged without data-dependent branches; a bucket too big
 *         or too wide for the keys: msort_desc(), insertion sort up to
 *         ISORT_MAX and merge sort above).  A rung with no events left is dropped.  With no rungs
 *         left (then the bottom is empty too), the whole top becomes a new
 *         rung 0 covering [min, max] of the top, with a bucket width chosen
 *         from the density of events near the minimum (rung0_shift()).
 * remove  deletes the entry from the container named by ev->node.
 *
 * Each entry moves a bounded number of times (top -> rung 0 -> at most
 * SIM_EVENTQ_MAX_RUNGS - 1 finer rungs -> bottom), each move O(1) apart from
 * sorting a bucket of at most BUCKET_THRES entries, and bucket widths adapt
 * to the spread of times, so insert, remove and pop are amortised O(1) for
 * the usual distributions.  Whatever the distribution, a bucket that cannot
 * be split further (1 ns wide, or the ladder at its maximum depth) is sorted
 * once in O(k log k) and popped in O(1), the FIFO is O(1) (compacted, not
 * grown, once its popped prefix is half of it), and the side heap is
 * O(log n), so nothing is worse than O(log n) amortised.  Capping rungs at 2^12 buckets
 * keeps the bucket heads and the ends of the bucket arrays that inserts
 * append to in cache even with millions of events queued; big buckets are
 * then split once more, which costs a sequential pass.  Drained bucket arrays
 * are recycled through a small pool, so a steady state does not allocate.
 * Routing never forms the end time of a range: it compares unit numbers
 * t >> shift and their distance from base, which cannot overflow, so events
 * at SIM_TIME_MAX and gaps of any size need no special case.
 *
 * Why the pop order is exactly the (time, seq) order
 * --------------------------------------------------
 * Invariant I1: every entry sits in the container R(ev->time) names (the
 * bottom counting as one container), and its key equals the event's
 * (time, seq).  The run and the FIFO are sorted, the side heap is a heap.
 * Invariant I2: every key in the bottom is smaller, in (time, seq) order,
 * than every key elsewhere; rung k+1's keys are smaller than rung k's; rung
 * k's bucket i keys are smaller than bucket i+1's; rung 0's smaller than
 * top's.
 *
 * I1 implies I2 because the time ranges of the containers are disjoint and
 * increasing.  (Without rungs everything is in top: the ladder loses its
 * last rung only in a refill, which then either rebuilds rung 0 from a
 * non-empty top or finds the queue empty.)
 *
 * Every step preserves I1: insert files by R; remove deletes; a bucket that
 * becomes the run is consumed (cur moves past it), so R now names the bottom
 * for its range; a split bucket's range is by construction exactly the new
 * rung's, and each entry goes to the child bucket R names (a spread bottom
 * likewise, an entry below the bucket staying in the side heap, as R says
 * once the new rung exists); a dropped rung is
 * empty and its remaining range falls to the bottom, which by I2 lies
 * entirely below the coarser rungs; a new rung 0 covers [min, max] of the top
 * it empties, and is built only when the bottom and all rungs are empty.
 * When the queue becomes empty the ladder resets, trivially satisfying both.
 *
 * Given I2, the global minimum is in the bottom whenever the bottom is
 * non-empty, and is the smallest of the run's minimum, the FIFO's head and
 * the heap's root, all compared on full (time, seq) keys (which of the three
 * holds an entry does not matter: an append to the FIFO keeps it sorted, any
 * other bottom entry goes to the heap); refilling moves exactly the
 * smallest non-empty bucket of the finest rung (or of a coarser one once the
 * finer ones are exhausted, or of the rebuilt rung 0).  Events with equal
 * times share a container (R depends only on t), so FIFO among equal times is
 * decided by seq in the sort, the FIFO and the heap -- never by bucket order,
 * array position, memory address or hashing (the key sorts order equal
 * times by seq after the fact, sort_equal_times()).  Hence pop always returns the minimum
 * key, and the whole sequence depends only on the sequence of operations.
 */
#include "eventq.h"

#include <glib.h>
#include <string.h>

#define NB_SHIFT_MIN	1	/* a rung has at least 2 buckets ...  */
#define NB_SHIFT_MAX	12	/* ... and at most 2^12 */
#define BUCKET_TARGET	16	/* wanted events per bucket when consumed */
#define BUCKET_THRES	64	/* a bucket holding more is split */
#define PREFETCH_AHEAD	8
#define ISORT_MAX	32	/* insertion sort up to this many entries */
#define KSORT_IDX_BITS	8	/* key sorts up to 2^8 entries, see key_sort_desc() */
#define KSORT_MAX	(1u << KSORT_IDX_BITS)
#define KSORT_SPAN_BITS	(64 - KSORT_IDX_BITS)
#define SIDE_THRES	128	/* a side heap this long is spread over a finer rung */
#define SPARE_MAX_CAP	64	/* pool drained arrays up to this capacity */
#define FILL_PRESIZE_MIN 1024	/* a rung fill this large sizes its buckets first */

#define LOC_SIDE	0u
#define LOC_RUN		1u
#define LOC_TOP		2u
#define LOC_FIFO	3u
#define FIFO_COMPACT_MIN 64	/* compact the FIFO when its dead prefix is this long */
#define LOC_RUNG_SHIFT	24
#define LOC_RUNG(k, i)	((((uint32_t)(k) + 1) << LOC_RUNG_SHIFT) | (uint32_t)(i))
#define LOC_RUNG_K(loc)	(((loc) >> LOC_RUNG_SHIFT) - 1)
#define LOC_RUNG_I(loc)	((loc) & ((1u << LOC_RUNG_SHIFT) - 1))

G_STATIC_ASSERT(NB_SHIFT_MAX <= LOC_RUNG_SHIFT);
G_STATIC_ASSERT(SIM_EVENTQ_MAX_RUNGS < (1u << (32 - LOC_RUNG_SHIFT)));

typedef struct sim_eventq_ent ent_t;
typedef struct sim_eventq_vec vec_t;
typedef struct sim_eventq_rung rung_t;

static inline bool ent_before(const ent_t *a, const ent_t *b)
{
	/* (time, seq) lexicographically, as one 128-bit compare */
	return ((unsigned __int128)a->time << 64 | a->seq) <
	       ((unsigned __int128)b->time << 64 | b->seq);
}

static inline void set_node(const ent_t *e, uint32_t loc, uint32_t index)
{
	e->ev->node.loc = loc;
	e->ev->node.index = index;
}

/* ---- growable arrays ---------------------------------------------- */

static void vec_reserve(vec_t *v, uint32_t n)
{
	uint64_t cap = v->cap ? v->cap : 16;

	if (n <= v->cap)
		return;
	while (cap < n)
		cap *= 2;
	g_assert(cap <= UINT32_MAX);
	v->e = g_renew(ent_t, v->e, cap);
	v->cap = (uint32_t)cap;
}

/*
 * Drained bucket arrays are recycled through a small pool, so that in a
 * steady state the queue does not call the allocator at all.
 */
static void vec_release(struct sim_eventq *q, vec_t *v)
{
	if (v->e && v->cap <= SPARE_MAX_CAP && q->nspare < SIM_EVENTQ_SPARES) {
		q->spare[q->nspare].e = v->e;
		q->spare[q->nspare++].cap = v->cap;
	} else {
		g_free(v->e);
	}
	*v = (vec_t){ 0 };
}

static void vec_grow(struct sim_eventq *q, vec_t *v, uint32_t n)
{
	if (v->cap == 0 && q->nspare) {
		q->nspare--;
		v->e = q->spare[q->nspare].e;
		v->cap = q->spare[q->nspare].cap;
	}
	vec_reserve(v, n);
}

static inline void vec_push(struct sim_eventq *q, vec_t *v, ent_t e, uint32_t loc)
{
	if (G_UNLIKELY(v->len == v->cap))
		vec_grow(q, v, v->len + 1);
	set_node(&e, loc, v->len);
	v->e[v->len++] = e;
}

/* Unordered delete: the last entry takes the hole. */
static inline void vec_del(vec_t *v, uint32_t i)
{
	uint32_t last = --v->len;

	if (i != last) {
		v->e[i] = v->e[last];
		v->e[i].ev->node.index = i;
	}
}

static void vec_free(vec_t *v)
{
	g_free(v->e);
	*v = (vec_t){ 0 };
}

/* ---- bottom: side heap ------------------------------------------- */

static inline void heap_place(vec_t *h, uint32_t i, ent_t e)
{
	h->e[i] = e;
	e.ev->node.index = i;
}

static void heap_up(vec_t *h, uint32_t i, ent_t e)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (!ent_before(&e, &h->e[p]))
			break;
		heap_place(h, i, h->e[p]);
		i = p;
	}
	heap_place(h, i, e);
}

static void heap_down(vec_t *h, uint32_t i, ent_t e)
{
	uint32_t n = h->len;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && ent_before(&h->e[c + 1], &h->e[c]))
			c++;
		if (!ent_before(&h->e[c], &e))
			break;
		heap_place(h, i, h->e[c]);
		i = c;
	}
	heap_place(h, i, e);
}

static void heap_push(vec_t *h, ent_t e)
{
	if (G_UNLIKELY(h->len == h->cap))
		vec_reserve(h, h->len + 1);
	e.ev->node.loc = LOC_SIDE;
	heap_up(h, h->len++, e);
}

static void heap_del(vec_t *h, uint32_t i)
{
	ent_t last = h->e[--h->len];

	if (i == h->len)
		return;
	if (i > 0 && ent_before(&last, &h->e[(i - 1) / 2]))
		heap_up(h, i, last);
	else
		heap_down(h, i, last);
}

/* ---- bottom: sorted run ------------------------------------------ */

/* Sort @a descending by (time, seq), so the minimum is last. */
static void isort_desc(ent_t *a, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		ent_t e = a[i];
		uint32_t j = i;

		for (; j > 0 && ent_before(&a[j - 1], &e); j--)
			a[j] = a[j - 1];
		a[j] = e;
	}
}

static void msort_desc(ent_t *a, uint32_t n, ent_t *tmp)
{
	uint32_t h = n / 2, i = 0, j = h, k = 0;

	if (n <= ISORT_MAX) {
		isort_desc(a, n);
		return;
	}
	msort_desc(a, h, tmp);
	msort_desc(a + h, n - h, tmp);
	if (!ent_before(&a[h - 1], &a[h]))
		return;			/* already in order */
	memcpy(tmp, a, h * sizeof(*a));
	while (i < h && j < n)
		a[k++] = ent_before(&a[j], &tmp[i]) ? tmp[i++] : a[j++];
	while (i < h)
		a[k++] = tmp[i++];
}

/* Put each group of equal times in @a (descending) in seq order. */
static void sort_equal_times(ent_t *a, uint32_t n)
{
	for (uint32_t i = 0; i + 1 < n;) {
		uint32_t j = i + 1;

		while (j < n && a[j].time == a[i].time)
			j++;
		if (j - i > ISORT_MAX) {
			ent_t tmp[KSORT_MAX / 2];	/* only key sorts call this */

			g_assert(j - i <= KSORT_MAX);
			msort_desc(a + i, j - i, tmp);
		} else if (j - i > 1) {
			isort_desc(a + i, j - i);
		}
		i = j;
	}
}

/*
 * The refill's sorts by key.  A bucket's times lie in [start, start +
 * 2^shift), so each entry can be given one small integer key, (time - start)
 * << IDX_BITS | its index in the bucket, and the keys sorted instead of the
 * 24-byte entries, without the data-dependent branch of an insertion sort
 * (which mispredicted about once per entry and was most of the sort's cost):
 *
 *   rank  up to RANK_MAX entries, shift <= RANK_SPAN_BITS: 32-bit keys; each
 *         entry's place is the number of smaller keys, counted four at a
 *         time with vector compares (O(n^2), but n is about BUCKET_TARGET);
 *   merge up to KSORT_MAX entries, shift <= KSORT_SPAN_BITS: 64-bit keys,
 *         4-key sorting networks, then merges that choose with a
 *         conditional move instead of a branch.
 *
 * The keys are distinct, so their order is total; it is the (time, seq)
 * order except among equal times, where it is the bucket's order.  If that
 * leaves two neighbours out of (time, seq) order, the groups of equal times
 * are put in seq order (sort_equal_times()), so the result depends on the
 * (time, seq) keys alone, exactly as a sort on them would.
 */
#define RANK_IDX_BITS	5
#define RANK_MAX	(1u << RANK_IDX_BITS)
#define RANK_SPAN_BITS	(31 - RANK_IDX_BITS)	/* keys stay positive int32 */

typedef int32_t v4i32 __attribute__((vector_size(16)));

static void rank_sort_desc(const ent_t *src, uint32_t n, sim_time_t start, ent_t *dst)
{
	v4i32 kv[RANK_MAX / 4];
	int32_t k[RANK_MAX];
	uint32_t m = (n + 3) / 4;	/* vectors of keys */

	for (uint32_t j = 0; j < n; j++)
		k[j] = (int32_t)((src[j].time - start) << RANK_IDX_BITS | j);
	for (uint32_t j = n; j < 4 * m; j++)
		k[j] = INT32_MAX;	/* padding: never smaller than a key */
	memcpy(kv, k, m * sizeof(kv[0]));
	for (uint32_t i = 0; i < n; i++) {
		v4i32 x = { k[i], k[i], k[i], k[i] }, acc = { 0 };

		for (uint32_t c = 0; c < m; c++)
			acc += kv[c] < x;	/* -1 in each lane where smaller */
		/* descending: the smallest goes last */
		dst[(int32_t)n - 1 + (acc[0] + acc[1] + acc[2] + acc[3])] = src[i];
	}
}

static inline void cswap(uint64_t *a, uint64_t *b)
{
	uint64_t x = *a, y = *b;

	*a = x < y ? x : y;
	*b = x < y ? y : x;
}

/* Merge the ascending a[0..na) and b[0..nb) into out. */
static inline void kmerge(const uint64_t *a, uint32_t na, const uint64_t *b,
			  uint32_t nb, uint64_t *out)
{
	const uint64_t *ae = a + na, *be = b + nb;

	while (a < ae && b < be) {
		uint64_t x = *a, y = *b;
		bool c = y < x;

		*out++ = c ? y : x;
		a += !c;
		b += c;
	}
	while (a < ae)
		*out++ = *a++;
	while (b < be)
		*out++ = *b++;
}

static void merge_sort_desc(const ent_t *src, uint32_t n, sim_time_t start, ent_t *dst)
{
	uint64_t kbuf[KSORT_MAX], tbuf[KSORT_MAX], *k = kbuf, *t = tbuf;
	uint32_t m = (n + 3) & ~3u;

	for (uint32_t j = 0; j < n; j++)
		k[j] = (src[j].time - start) << KSORT_IDX_BITS | j;
	for (uint32_t j = n; j < m; j++)
		k[j] = UINT64_MAX;	/* padding: sorts after every key (a key
					 * is UINT64_MAX only at index 255, when
					 * n = 256 needs no padding) */
	for (uint32_t i = 0; i < m; i += 4) {
		cswap(&k[i], &k[i + 1]);
		cswap(&k[i + 2], &k[i + 3]);
		cswap(&k[i], &k[i + 2]);
		cswap(&k[i + 1], &k[i + 3]);
		cswap(&k[i + 1], &k[i + 2]);
	}
	for (uint32_t w = 4; w < m; w *= 2) {
		uint64_t *x;

		for (uint32_t i = 0; i < m; i += 2 * w) {
			uint32_t na = MIN(w, m - i), nb = MIN(w, m - i - na);

			kmerge(k + i, na, k + i + na, nb, t + i);
		}
		x = k;
		k = t;
		t = x;
	}
	for (uint32_t j = 0; j < n; j++)
		dst[n - 1 - j] = src[k[j] & (KSORT_MAX - 1)];
}

/*
 * Sort the @n entries of @src, whose times lie in [@start, @start + 2^@shift),
 * into @dst, descending by (time, seq); false (nothing done) if the keys
 * would not fit (then msort_desc() sorts the entries themselves).
 */
static bool key_sort_desc(const ent_t *src, uint32_t n, sim_time_t start,
			  unsigned int shift, ent_t *dst)
{
	bool unordered = false;

	if (n <= RANK_MAX && shift <= RANK_SPAN_BITS)
		rank_sort_desc(src, n, start, dst);
	else if (n <= KSORT_MAX && shift <= KSORT_SPAN_BITS)
		merge_sort_desc(src, n, start, dst);
	else
		return false;
	/*
	 * Only equal times can be out of (time, seq) order, and they are in
	 * order already when the bucket's order is seq order (entries are
	 * appended as they are scheduled; only removals reorder a bucket).
	 */
	for (uint32_t j = 0; j + 1 < n; j++)
		unordered |= ent_before(&dst[j], &dst[j + 1]);
	if (G_UNLIKELY(unordered))
		sort_equal_times(dst, n);
	return true;
}

void sim_eventq_sort_desc(const struct sim_eventq_ent *src, uint32_t n,
			  sim_time_t start, unsigned int shift,
			  struct sim_eventq_ent *dst)
{
	ent_t *tmp;

	if (key_sort_desc(src, n, start, shift, dst))
		return;
	memcpy(dst, src, n * sizeof(*src));
	tmp = g_new(ent_t, n / 2 + 1);
	msort_desc(dst, n, tmp);
	g_free(tmp);
}

/* Drop removed entries from the run's end, so its last entry is live. */
static inline void run_trim(vec_t *run)
{
	while (run->len && !run->e[run->len - 1].ev)
		run->len--;
}

/* ---- bottom: FIFO ------------------------------------------------- */

static inline bool fifo_empty(const struct sim_eventq *q)
{
	return q->fifo.len == 0;
}

/* Drop removed entries from both ends, so both ends are live (or it is empty). */
static inline void fifo_trim(struct sim_eventq *q)
{
	vec_t *f = &q->fifo;

	while (q->fifo_head < f->len && !f->e[q->fifo_head].ev)
		q->fifo_head++;
	while (f->len > q->fifo_head && !f->e[f->len - 1].ev)
		f->len--;
	if (q->fifo_head == f->len)
		q->fifo_head = f->len = 0;
}

/*
 * Append @e, whose key is above every key in the FIFO.  A full array whose
 * dead prefix (before fifo_head) is at least half of it is compacted instead
 * of grown, so a FIFO that never empties stays bounded; each compaction moves
 * at most as many entries as were popped since the last, O(1) amortised.
 */
static void fifo_push(struct sim_eventq *q, ent_t e)
{
	vec_t *f = &q->fifo;

	if (G_UNLIKELY(f->len == f->cap)) {
		uint32_t h = q->fifo_head;

		if (h >= FIFO_COMPACT_MIN && h >= f->len / 2) {
			memmove(f->e, f->e + h, (f->len - h) * sizeof(*f->e));
			f->len -= h;
			q->fifo_head = 0;
			for (uint32_t j = 0; j < f->len; j++)
				if (f->e[j].ev)
					f->e[j].ev->node.index = j;
		} else {
			vec_reserve(f, f->len + 1);
		}
	}
	set_node(&e, LOC_FIFO, f->len);
	f->e[f->len++] = e;
}

/* ---- rungs ---------------------------------------------------------- */

static unsigned int ceil_log2(uint64_t x)
{
	return x <= 1 ? 0 : 64 - (unsigned int)__builtin_clzll(x - 1);
}

/* log2 of the bucket count for a rung that will receive @n events. */
static unsigned int nb_shift_for(uint64_t n)
{
	unsigned int k = ceil_log2(n / BUCKET_TARGET);

	return CLAMP(k, NB_SHIFT_MIN, NB_SHIFT_MAX);
}

static void rung_setup(rung_t *r, uint64_t base, unsigned int nb_shift,
		       unsigned int shift)
{
	uint32_t nb = 1u << nb_shift;

	if (r->nb_alloc < nb) {
		r->b = g_renew(vec_t, r->b, nb);
		memset(r->b + r->nb_alloc, 0, (nb - r->nb_alloc) * sizeof(*r->b));
		r->nb_alloc = nb;
	}
	r->base = base;
	r->nb = nb;
	r->cur = 0;
	r->count = 0;
	r->shift = shift;
}

static inline void rung_push(struct sim_eventq *q, unsigned int k, uint64_t i, ent_t e)
{
	rung_t *r = &q->rung[k];

	vec_push(q, &r->b[i], e, LOC_RUNG(k, i));
	r->count++;
}

/*
 * Spread @n entries, all within rung @k's range, over its buckets.  A large
 * fill counts its entries per bucket first and sizes each bucket's array
 * once: doubling from 16 copied every entry of a top of a million timers
 * about four times (realloc was 2 % of the 10^6 peer workload).
 */
static void rung_fill(struct sim_eventq *q, unsigned int k, const ent_t *src, uint32_t n)
{
	rung_t *r = &q->rung[k];

	if (n >= FILL_PRESIZE_MIN) {
		uint32_t count[1u << NB_SHIFT_MAX];

		g_assert(r->nb <= G_N_ELEMENTS(count));
		memset(count, 0, r->nb * sizeof(count[0]));
		for (uint32_t j = 0; j < n; j++)
			count[(src[j].time >> r->shift) - r->base]++;
		for (uint32_t i = 0; i < r->nb; i++) {
			vec_t *b = &r->b[i];

			if (count[i] > SPARE_MAX_CAP)
				vec_reserve(b, b->len + count[i]);
			else if (count[i])
				vec_grow(q, b, b->len + count[i]);
		}
	}
	for (uint32_t j = 0; j < n; j++) {
		if (j + PREFETCH_AHEAD < n)
			__builtin_prefetch(src[j + PREFETCH_AHEAD].ev, 1);
		rung_push(q, k, (src[j].time >> r->shift) - r->base, src[j]);
	}
}

/* ---- top ------------------------------------------------------------ */

static inline void top_push(struct sim_eventq *q, ent_t e)
{
	vec_push(q, &q->top, e, LOC_TOP);
	if (e.time < q->top_min)
		q->top_min = e.time;
	if (e.time > q->top_max)
		q->top_max = e.time;
}

/* The k-th smallest (0-based) of @a[0..n), k < n, k < 32. */
static sim_time_t kth_smallest(const sim_time_t *a, uint32_t n, uint32_t k)
{
	sim_time_t best[32];		/* the k + 1 smallest so far, sorted */
	uint32_t m = 0;

	for (uint32_t i = 0; i < n; i++) {
		sim_time_t x = a[i];
		uint32_t j;

		if (m == k + 1 && x >= best[k])
			continue;
		j = m <= k ? m++ : k;
		for (; j > 0 && best[j - 1] > x; j--)
			best[j] = best[j - 1];
		best[j] = x;
	}
	return best[k];
}

/*
 * Bucket width (as a shift) for a rung 0 over the top.  A bucket is consumed
 * when the clock reaches it, and by then it holds the events scheduled into
 * its slice over the rung's whole life, so the width should match the density
 * of events just ahead of the clock, not the average density over the top:
 * in a steady state (e.g. the hold model) the front density is the one every
 * slice will have reached when consumed.  It is estimated from a fixed-stride
 * sample of the top: the time from the minimum to the sample's 1/8 quantile
 * holds about len/8 events.  Deterministic: it depends only on the top's
 * contents and order.
 */
static bool rung0_shift(const vec_t *top, sim_time_t lo, unsigned int *shift)
{
	enum { SAMPLES = 128 };
	sim_time_t sample[SAMPLES];
	uint32_t n = top->len;
	unsigned __int128 w;

	if (n < 4 * SAMPLES)
		return false;
	for (uint32_t j = 0; j < SAMPLES; j++)
		sample[j] = top->e[(uint64_t)j * n / SAMPLES].time;
	/* width = (front span / events in it) * BUCKET_TARGET */
	w = ((unsigned __int128)(kth_smallest(sample, SAMPLES, SAMPLES / 8) - lo) + 1) *
	    (8 * BUCKET_TARGET) / n;
	if (w >> 63)
		*shift = 63;
	else
		*shift = w <= 1 ? 0 : 63 - (unsigned int)__builtin_clzll((uint64_t)w);
	return true;
}

/* Rung 0 from the whole top; the bottom and all rungs are empty. */
static void top_to_rung0(struct sim_eventq *q)
{
	vec_t *top = &q->top;
	sim_time_t lo = q->top_min, hi = q->top_max;
	unsigned int s, k, kmax;

	if (rung0_shift(top, lo, &s)) {
		/* fewer than 4 len buckets (and at most 2^NB_SHIFT_MAX) */
		kmax = CLAMP(ceil_log2(2 * (uint64_t)top->len), NB_SHIFT_MIN, NB_SHIFT_MAX);
	} else {
		s = 0;
		kmax = nb_shift_for(top->len);
	}
	while ((hi >> s) - (lo >> s) >= (UINT64_C(1) << kmax))
		s++;
	/* the fewest buckets that cover [lo, hi] at this width */
	k = MAX(ceil_log2((hi >> s) - (lo >> s) + 1), NB_SHIFT_MIN);
	rung_setup(&q->rung[0], lo >> s, k, s);
	q->nrungs = 1;
	rung_fill(q, 0, top->e, top->len);
	top->len = 0;
	q->top_min = SIM_TIME_MAX;
	q->top_max = 0;
}

static void reset(struct sim_eventq *q)
{
	q->nrungs = 0;
	q->top_min = SIM_TIME_MAX;
	q->top_max = 0;
}

/* ---- public API ------------------------------------------------------ */

void sim_eventq_init(struct sim_eventq *q)
{
	memset(q, 0, sizeof(*q));
	reset(q);
}

void sim_eventq_clear(struct sim_eventq *q)
{
	for (unsigned int k = 0; k < SIM_EVENTQ_MAX_RUNGS; k++) {
		rung_t *r = &q->rung[k];

		for (uint32_t i = 0; i < r->nb_alloc; i++)
			vec_free(&r->b[i]);
		g_free(r->b);
	}
	vec_free(&q->run);
	vec_free(&q->side);
	vec_free(&q->fifo);
	vec_free(&q->tmp);
	vec_free(&q->top);
	while (q->nspare)
		g_free(q->spare[--q->nspare].e);
	sim_eventq_init(q);
}

/*
 * bottom_spread()'s move of @v's live entries from @from on: those inside the
 * new finest rung to its buckets, the others to the heap @stay.
 */
static void spread_range(struct sim_eventq *q, const vec_t *v, uint32_t from, vec_t *stay)
{
	const rung_t *r = &q->rung[q->nrungs - 1];

	for (uint32_t j = from; j < v->len; j++) {
		const ent_t *e = &v->e[j];

		if (!e->ev)
			continue;	/* a hole */
		if ((e->time >> r->shift) >= r->base)
			rung_push(q, q->nrungs - 1, (e->time >> r->shift) - r->base, *e);
		else
			heap_push(stay, *e);
	}
}

/*
 * The side heap has grown long: the bottom's range (rung nrungs-1's consumed
 * bucket cur - 1) is wider than the events arriving in it.  Subdivide that
 * bucket as refill() splits one: a new finest rung of 2^d buckets covering
 * exactly it, which takes every bottom entry inside it (the run's and the
 * side heap's); entries before it (scheduled before the bucket's start,
 * after it became the bottom) stay in the side heap.  The next pop refills
 * the bottom from the new rung.  Routing is R(t) again for every entry, so
 * I1 and the pop order are kept; false if the ladder cannot go deeper.
 */
static bool bottom_spread(struct sim_eventq *q)
{
	rung_t *p = &q->rung[q->nrungs - 1], *r;
	vec_t old_side = q->side;
	unsigned int d;
	uint64_t base;

	if (q->nrungs >= SIM_EVENTQ_MAX_RUNGS || p->shift == 0 || p->cur == 0)
		return false;
	d = nb_shift_for(q->side.len + q->run.len + (q->fifo.len - q->fifo_head));
	if (d > p->shift)
		d = p->shift;
	base = (p->base + p->cur - 1) << d;
	r = &q->rung[q->nrungs];
	rung_setup(r, base, d, p->shift - d);
	q->nrungs++;
	/* run entries all lie in the bucket; the FIFO's may start before it */
	spread_range(q, &q->run, 0, &old_side);
	q->run.len = 0;
	spread_range(q, &q->fifo, q->fifo_head, &old_side);
	q->fifo_head = q->fifo.len = 0;
	q->side = (vec_t){ 0 };
	for (uint32_t j = 0; j < old_side.len; j++) {
		const ent_t *e = &old_side.e[j];

		if ((e->time >> r->shift) >= base)
			rung_push(q, q->nrungs - 1, (e->time >> r->shift) - base, *e);
		else
			heap_push(&q->side, *e);
	}
	vec_free(&old_side);
	return true;
}

void sim_eventq_insert(struct sim_eventq *q, struct sim_event *ev)
{
	sim_time_t t = ev->time;
	uint64_t seq = ev->seq;
	ent_t e;

	/*
	 * Two 8-byte loads: the caller has just stored time and seq separately,
	 * and one 16-byte load of both would stall on store forwarding.
	 */
	__asm__("" : "+r"(t), "+r"(seq));
	e = (ent_t){ t, seq, ev };

	g_assert(q->len < UINT32_MAX);
	q->len++;
	if (q->nrungs == 0) {
		top_push(q, e);
		return;
	}
route:
	for (unsigned int k = 0; k < q->nrungs; k++) {
		rung_t *r = &q->rung[k];
		uint64_t u = t >> r->shift;

		if (u >= r->base && u - r->base >= r->cur) {
			if (G_UNLIKELY(u - r->base >= r->nb))
				top_push(q, e);		/* k == 0: past rung 0 */
			else
				rung_push(q, k, u - r->base, e);
			return;
		}
	}
	/* the bottom: after the FIFO's last key (the usual arrival), append */
	if (fifo_empty(q) || ent_before(&q->fifo.e[q->fifo.len - 1], &e)) {
		fifo_push(q, e);
		return;
	}
	/* at SIDE_THRES, 2 SIDE_THRES, 4 SIDE_THRES, ... entries: try to spread */
	if (G_UNLIKELY(q->side.len >= SIDE_THRES && !(q->side.len & (q->side.len - 1))) &&
	    bottom_spread(q))
		goto route;
	heap_push(&q->side, e);
}

void sim_eventq_remove(struct sim_eventq *q, struct sim_event *ev)
{
	uint32_t loc = ev->node.loc, i = ev->node.index;

	if (loc == LOC_SIDE) {
		g_assert(i < q->side.len && q->side.e[i].ev == ev);
		heap_del(&q->side, i);
	} else if (loc == LOC_RUN) {
		g_assert(i < q->run.len && q->run.e[i].ev == ev);
		q->run.e[i].ev = NULL;
		run_trim(&q->run);
	} else if (loc == LOC_FIFO) {
		g_assert(i >= q->fifo_head && i < q->fifo.len && q->fifo.e[i].ev == ev);
		q->fifo.e[i].ev = NULL;
		fifo_trim(q);
	} else if (loc == LOC_TOP) {
		g_assert(i < q->top.len && q->top.e[i].ev == ev);
		vec_del(&q->top, i);
	} else {
		unsigned int k = LOC_RUNG_K(loc);
		rung_t *r = &q->rung[k];
		vec_t *b;

		g_assert(k < q->nrungs && LOC_RUNG_I(loc) < r->nb);
		b = &r->b[LOC_RUNG_I(loc)];
		g_assert(i < b->len && b->e[i].ev == ev);
		vec_del(b, i);
		if (b->len == 0)
			vec_release(q, b);
		r->count--;
	}
	if (--q->len == 0)
		reset(q);
}

/* Refill the empty bottom; false if the whole queue is empty. */
static bool refill(struct sim_eventq *q)
{
	for (;;) {
		rung_t *r;
		vec_t *b;
		uint32_t n;

		if (q->nrungs == 0) {
			if (q->top.len == 0)
				return false;
			top_to_rung0(q);
		}
		r = &q->rung[q->nrungs - 1];
		if (r->count == 0) {
			q->nrungs--;
			continue;
		}
		while (r->b[r->cur].len == 0)
			r->cur++;
		b = &r->b[r->cur++];
		n = b->len;
		r->count -= n;
		if (n > BUCKET_THRES && r->shift > 0 &&
		    q->nrungs < SIM_EVENTQ_MAX_RUNGS) {
			/* Split: rung nrungs covers exactly bucket cur - 1. */
			unsigned int k = nb_shift_for(n);
			uint64_t u = r->base + r->cur - 1;

			if (k > r->shift)
				k = r->shift;
			rung_setup(&q->rung[q->nrungs], u << k, k, r->shift - k);
			rung_fill(q, q->nrungs++, b->e, n);
			vec_release(q, b);
			continue;
		}
		for (uint32_t j = 0; j < n; j++)
			__builtin_prefetch(b->e[j].ev, 1);
		/* sorted by key into the run's own array, or in place as the run */
		vec_reserve(&q->run, n <= KSORT_MAX ? n : 0);
		if (key_sort_desc(b->e, n, (r->base + r->cur - 1) << r->shift,
				  r->shift, q->run.e)) {
			vec_release(q, b);
			q->run.len = n;
			for (uint32_t j = 0; j < n; j++)
				set_node(&q->run.e[j], LOC_RUN, j);
			return true;
		}
		/* The bucket's array becomes the (empty) bottom's sorted run. */
		vec_release(q, &q->run);
		q->run = *b;
		*b = (vec_t){ 0 };
		if (n > ISORT_MAX)
			vec_reserve(&q->tmp, n / 2);
		msort_desc(q->run.e, n, q->tmp.e);
		for (uint32_t j = 0; j < n; j++)
			set_node(&q->run.e[j], LOC_RUN, j);
		return true;
	}
}

/*
 * Where the bottom's minimum is (refilling the bottom first if it is empty):
 * the smallest of q->run.e[q->run.len - 1], q->side.e[0] and
 * q->fifo.e[q->fifo_head], or nowhere if the queue is empty.
 */
enum where { NOWHERE, IN_RUN, IN_SIDE, IN_FIFO };

static inline enum where bottom_min(struct sim_eventq *q)
{
	vec_t *run = &q->run, *side = &q->side;
	const ent_t *best;
	enum where w;

	if (G_LIKELY((side->len | q->fifo.len) == 0)) {
		/* only the run, as after a refill (which fills only the run) */
		if (G_LIKELY(run->len) || refill(q))
			return IN_RUN;
		return NOWHERE;
	}
	if (run->len) {
		best = &run->e[run->len - 1];
		w = IN_RUN;
		if (side->len && ent_before(&side->e[0], best)) {
			best = &side->e[0];
			w = IN_SIDE;
		}
	} else if (side->len) {
		best = &side->e[0];
		w = IN_SIDE;
	} else {
		return IN_FIFO;
	}
	if (!fifo_empty(q) && ent_before(&q->fifo.e[q->fifo_head], best))
		return IN_FIFO;
	return w;
}

struct sim_event *sim_eventq_peek(struct sim_eventq *q)
{
	switch (bottom_min(q)) {
	case IN_RUN:
		return q->run.e[q->run.len - 1].ev;
	case IN_SIDE:
		return q->side.e[0].ev;
	case IN_FIFO:
		return q->fifo.e[q->fifo_head].ev;
	default:
		return NULL;
	}
}

struct sim_event *sim_eventq_pop(struct sim_eventq *q)
{
	struct sim_event *ev;

	switch (bottom_min(q)) {
	case IN_RUN:
		ev = q->run.e[--q->run.len].ev;
		run_trim(&q->run);
		break;
	case IN_SIDE:
		ev = q->side.e[0].ev;
		heap_del(&q->side, 0);
		break;
	case IN_FIFO:
		ev = q->fifo.e[q->fifo_head++].ev;
		fifo_trim(q);
		break;
	default:
		return NULL;
	}
	if (--q->len == 0)
		reset(q);
	return ev;
}

/* ---- validation ----------------------------------------------------- */

/* R(t): the container an event at time @t belongs in (see the top). */
static uint32_t route(const struct sim_eventq *q, sim_time_t t)
{
	if (q->nrungs == 0)
		return LOC_TOP;
	for (unsigned int k = 0; k < q->nrungs; k++) {
		const rung_t *r = &q->rung[k];
		uint64_t u = t >> r->shift;

		if (u >= r->base && u - r->base >= r->cur)
			return u - r->base >= r->nb ? LOC_TOP :
			       LOC_RUNG(k, u - r->base);
	}
	return LOC_SIDE;
}

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		g_warning("eventq: " __VA_ARGS__); \
		return false; \
	} \
} while (0)

/* Entries from..len of @v; the FIFO's from is fifo_head, every other's 0. */
static bool check_vec(const struct sim_eventq *q, const vec_t *v, uint32_t from,
		      uint32_t loc, uint64_t *total)
{
	const ent_t *prev = NULL;
	bool bottom = loc == LOC_RUN || loc == LOC_FIFO;

	for (uint32_t i = from; i < v->len; i++) {
		const ent_t *e = &v->e[i];
		uint32_t want, have = bottom ? LOC_SIDE : loc;

		if (!e->ev) {
			CHECK(bottom && i + 1 < v->len && (loc == LOC_RUN || i > from),
			      "removed entry %u in container %#x", i, loc);
			continue;
		}
		want = route(q, e->time);
		CHECK(e->ev->node.loc == loc && e->ev->node.index == i,
		      "entry %u of container %#x has back-index %#x/%u", i, loc,
		      e->ev->node.loc, e->ev->node.index);
		CHECK(e->time == e->ev->time && e->seq == e->ev->seq,
		      "entry %u of container %#x: stale key", i, loc);
		CHECK(want == have,
		      "event at t=%" G_GUINT64_FORMAT " is in %#x, routes to %#x",
		      e->time, loc, want);
		if (loc == LOC_TOP)
			CHECK(e->time >= q->top_min && e->time <= q->top_max,
			      "top bounds do not cover t=%" G_GUINT64_FORMAT, e->time);
		if (loc == LOC_SIDE && i > 0)
			CHECK(!ent_before(e, &v->e[(i - 1) / 2]), "heap order broken at %u", i);
		if (loc == LOC_RUN && prev)
			CHECK(ent_before(e, prev), "run order broken at %u", i);
		if (loc == LOC_FIFO && prev)
			CHECK(ent_before(prev, e), "FIFO order broken at %u", i);
		if (bottom)
			prev = e;
		++*total;
	}
	return true;
}

bool sim_eventq_validate(const struct sim_eventq *q)
{
	uint64_t total = 0;

	CHECK(q->nrungs <= SIM_EVENTQ_MAX_RUNGS, "nrungs %u", q->nrungs);
	CHECK(q->nrungs > 0 || (q->run.len == 0 && q->side.len == 0 && q->fifo.len == 0),
	      "bottom not empty without rungs");
	CHECK(q->run.len == 0 || q->run.e[q->run.len - 1].ev, "run ends in a hole");
	CHECK(q->fifo_head < q->fifo.len || (q->fifo_head == 0 && q->fifo.len == 0),
	      "FIFO head %u, length %u", q->fifo_head, q->fifo.len);
	if (!check_vec(q, &q->side, 0, LOC_SIDE, &total) ||
	    !check_vec(q, &q->run, 0, LOC_RUN, &total) ||
	    !check_vec(q, &q->fifo, q->fifo_head, LOC_FIFO, &total) ||
	    !check_vec(q, &q->top, 0, LOC_TOP, &total))
		return false;
	for (unsigned int k = 0; k < SIM_EVENTQ_MAX_RUNGS; k++) {
		const rung_t *r = &q->rung[k];
		uint64_t count = 0;

		for (uint32_t i = 0; i < r->nb_alloc; i++) {
			if (k >= q->nrungs || i < r->cur || i >= r->nb) {
				CHECK(r->b[i].len == 0, "rung %u bucket %u should be empty", k, i);
				continue;
			}
			if (!check_vec(q, &r->b[i], 0, LOC_RUNG(k, i), &count))
				return false;
		}
		if (k >= q->nrungs)
			continue;
		CHECK(count == r->count, "rung %u count %u, holds %" G_GUINT64_FORMAT,
		      k, r->count, count);
		CHECK(r->nb >= 2 && r->nb <= r->nb_alloc && r->cur <= r->nb &&
		      (r->nb & (r->nb - 1)) == 0 && r->shift < 64,
		      "rung %u shape", k);
		if (k > 0) {
			/* Rung k subdivides rung k-1's bucket cur - 1. */
			const rung_t *p = &q->rung[k - 1];
			unsigned int d = p->shift - r->shift;

			CHECK(p->shift > r->shift && p->cur > 0 &&
			      r->nb == (1u << d) &&
			      r->base == (p->base + p->cur - 1) << d,
			      "rung %u does not subdivide rung %u's bucket", k, k - 1);
		}
		total += count;
	}
	CHECK(total == q->len, "len %u, holds %" G_GUINT64_FORMAT, q->len, total);
	return true;
}
