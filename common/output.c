/* SPDX-License-Identifier: MIT */
/* Output files written safely: temp+rename for regular files only (output.h). */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

/*
 * The temporary files a SIGINT/SIGTERM must remove.  Process-wide by
 * nature (a signal handler cannot be handed a context); it holds only
 * file names, never simulation state.
 */
#define TEMP_SLOTS 16
static char temp_paths[TEMP_SLOTS][PATH_MAX];
static volatile sig_atomic_t temp_used[TEMP_SLOTS];
static volatile sig_atomic_t temp_handlers;

static void on_fatal_signal(int sig)
{
	/* Only async-signal-safe calls: unlink(2), signal(2), raise(3). */
	for (int i = 0; i < TEMP_SLOTS; i++)
		if (temp_used[i])
			unlink(temp_paths[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	if (temp_handlers)
		return;
	temp_handlers = 1;
	for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
		struct sigaction old, sa = { .sa_handler = on_fatal_signal };

		/* A command with its own handler (sweep) keeps it. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
			sigemptyset(&sa.sa_mask);
			sigaction(sigs[i], &sa, NULL);
		}
	}
}

int cli_temp_register(const char *path)
{
	if (strlen(path) >= PATH_MAX)
		return -1;
	install_handlers();
	for (int i = 0; i < TEMP_SLOTS; i++) {
		if (temp_used[i])
			continue;
		memcpy(temp_paths[i], path, strlen(path) + 1);
		atomic_signal_fence(memory_order_seq_cst);
		temp_used[i] = 1;
		return i;
	}
	return -1;
}

void cli_temp_forget(int slot)
{
	if (slot >= 0 && slot < TEMP_SLOTS)
		temp_used[slot] = 0;
	atomic_signal_fence(memory_order_seq_cst);
}

struct cli_output {
	char *path;	/* as given, for messages */
	char *target;	/* what the temporary file is renamed to */
	char *tmp;	/* NULL: written in place */
	int slot;
	FILE *f;
};

enum out_kind { OUT_REPLACE, OUT_IN_PLACE, OUT_REFUSED };

static enum out_kind classify(const char *path, char **target, GError **error)
{
	struct stat lst, st;

	if (lstat(path, &lst) != 0) {
		*target = g_strdup(path);	/* new file (or an error at open) */
		return OUT_REPLACE;
	}
	if (stat(path, &st) != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO,
			    "'%s' is a symbolic link to a missing file; refusing to write through it", path);
		return OUT_REFUSED;
	}
	if (S_ISREG(st.st_mode)) {
		if (S_ISLNK(lst.st_mode)) {
			char *real = realpath(path, NULL);

			if (!real) {
				g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot resolve '%s': %s", path,
					    g_strerror(errno));
				return OUT_REFUSED;
			}
			*target = g_strdup(real);
			free(real);
		} else {
			*target = g_strdup(path);
		}
		return OUT_REPLACE;
	}
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return OUT_IN_PLACE;
	g_set_error(error, CLI_ERROR, CLI_ERROR_IO,
		    "'%s' is %s; an output must be a regular file, a character device or a FIFO",
		    path, S_ISDIR(st.st_mode) ? "a directory" : S_ISBLK(st.st_mode) ? "a block device" :
		    S_ISSOCK(st.st_mode) ? "a socket" : "not a regular file");
	return OUT_REFUSED;
}

bool cli_output_check(const char *path, GError **error)
{
	g_autofree char *target = NULL;

	return classify(path, &target, error) != OUT_REFUSED;
}

struct cli_output *cli_output_open(const char *path, GError **error)
{
	g_autofree char *target = NULL;
	enum out_kind kind = classify(path, &target, error);
	struct cli_output *o;
	int fd = -1;

	if (kind == OUT_REFUSED)
		return NULL;
	o = g_new0(struct cli_output, 1);
	o->path = g_strdup(path);
	o->slot = -1;
	if (kind == OUT_IN_PLACE) {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	} else {
		o->target = g_steal_pointer(&target);
		for (unsigned n = 0; fd < 0 && n < 100; n++) {
			g_free(o->tmp);
			o->tmp = g_strdup_printf("%s.tmp.%d.%u", o->target, (int)getpid(), n);
			o->slot = cli_temp_register(o->tmp);
			/* 0666 & ~umask, as for any file the user creates. */
			fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
			if (fd < 0)
				cli_temp_forget(o->slot);
			if (fd < 0 && errno != EEXIST)
				break;
		}
	}
	if (fd >= 0)
		o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot write '%s': %s", path, g_strerror(e));
		if (o->tmp && fd >= 0)
			g_unlink(o->tmp);
		cli_temp_forget(o->slot);
		g_free(o->path);
		g_free(o->target);
		g_free(o->tmp);
		g_free(o);
		return NULL;
	}
	return o;
}

FILE *cli_output_file(struct cli_output *o)
{
	return o->f;
}

static void output_free(struct cli_output *o)
{
	cli_temp_forget(o->slot);
	g_free(o->path);
	g_free(o->target);
	g_free(o->tmp);
	g_free(o);
}

bool cli_output_commit(struct cli_output *o, GError **error)
{
	bool bad = fflush(o->f) != 0 || ferror(o->f) != 0;
	int e = errno;
	bool ok;

	if (fclose(o->f) != 0 && !bad) {
		bad = true;
		e = errno;
	}
	if (bad) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "writing '%s' failed: %s", o->path, g_strerror(e));
	} else if (o->tmp && rename(o->tmp, o->target) != 0) {
		bad = true;
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot write '%s': %s", o->path, g_strerror(errno));
	}
	if (bad && o->tmp)
		g_unlink(o->tmp);
	ok = !bad;
	output_free(o);
	return ok;
}

void cli_output_discard(struct cli_output *o)
{
	fclose(o->f);
	if (o->tmp)
		g_unlink(o->tmp);
	output_free(o);
}

struct file_id {
	bool exists, chr;
	dev_t dev;
	ino_t ino;
	char *canon;
};

static void file_id_of(const char *path, struct file_id *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (stat(path, &st) == 0) {
		id->exists = true;
		id->chr = S_ISCHR(st.st_mode);
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	} else {
		g_autofree char *dir = g_path_get_dirname(path);
		g_autofree char *base = g_path_get_basename(path);
		char *real = realpath(dir, NULL);

		id->canon = real ? g_build_filename(real, base, NULL) : g_canonicalize_filename(path, NULL);
		free(real);
	}
}

static bool same_file(const struct file_id *a, const struct file_id *b)
{
	if (a->exists != b->exists)
		return false;
	if (a->exists)
		return !a->chr && a->dev == b->dev && a->ino == b->ino;
	return strcmp(a->canon, b->canon) == 0;
}

bool cli_outputs_distinct(const char *const *inputs, size_t n_in, const char *const *outputs,
			  const char *const *out_names, size_t n_out, GError **error)
{
	bool ok = true;
	struct file_id *in = g_new0(struct file_id, n_in + 1);
	struct file_id *out = g_new0(struct file_id, n_out + 1);

	for (size_t i = 0; i < n_in; i++)
		if (inputs[i])
			file_id_of(inputs[i], &in[i]);
	for (size_t j = 0; j < n_out && ok; j++) {
		if (!outputs[j])
			continue;
		file_id_of(outputs[j], &out[j]);
		for (size_t i = 0; i < n_in && ok; i++) {
			if (inputs[i] && same_file(&in[i], &out[j])) {
				g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
					    "%s '%s' is the input '%s'; refusing to overwrite it",
					    out_names[j], outputs[j], inputs[i]);
				ok = false;
			}
		}
		for (size_t k = 0; k < j && ok; k++) {
			if (outputs[k] && same_file(&out[k], &out[j])) {
				g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s '%s' and %s '%s' are the same file",
					    out_names[k], outputs[k], out_names[j], outputs[j]);
				ok = false;
			}
		}
	}
	for (size_t i = 0; i < n_in; i++)
		g_free(in[i].canon);
	for (size_t j = 0; j < n_out; j++)
		g_free(out[j].canon);
	g_free(in);
	g_free(out);
	return ok;
}
