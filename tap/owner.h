/* SPDX-License-Identifier: MIT */
/* owner.h - a process identified across pid reuse and reboots */
#ifndef TAP_OWNER_H
#define TAP_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sys/types.h>

/*
 * A process: its pid, its start time (clock ticks after boot, field 22 of
 * /proc/PID/stat) and the boot id (/proc/sys/kernel/random/boot_id; /run is
 * not always a tmpfs, /etc/netns never is). The same pid and start time in
 * another boot is another process.
 */
struct owner {
	pid_t pid;
	uint64_t start;
	char boot[40];
};

/* Fill o for the live process pid (usually getpid()). -ESRCH if none. */
int owner_of(pid_t pid, struct owner *o);

/*
 * Whether o still runs: same boot, same pid and start time, not a zombie
 * (a zombie has exited: what it owned is nobody's any more).
 */
bool owner_alive(const struct owner *o);

/* Whether a and b are the same process. */
bool owner_same(const struct owner *a, const struct owner *b);

/*
 * Temp files of file_write_atomic() are named by their writer, so that
 * `lasermesh cleanup` can tell the debris of a killed writer from a file
 * being written right now, without looking at any clock:
 *
 *	.lasermesh-PID-START-BOOT[-TAG]
 *
 * BOOT is the first OWNER_BOOT_SHORT characters of the boot id. The name
 * is the same at every write of one process (and TAG) into a directory:
 * a process writes its files one after the other, so it has at most one
 * temp file per directory and TAG, and a killed writer leaves at most
 * that one. TAG (may be NULL) tells apart two temp files that one write
 * needs at once; it holds no '-'.
 */
#define OWNER_TEMP_PREFIX ".lasermesh-"
#define OWNER_BOOT_SHORT 8

/* dir/OWNER_TEMP_PREFIX... for the calling process into buf. */
int owner_temp_path(const char *dir, const char *tag, char *buf, size_t len);

/*
 * The writer named by a temp file name (a file name, not a path): false
 * when name is not one (it may be the name of an older version,
 * ".lasermesh-XXXXXX", which named no writer). w->boot holds only the
 * short boot id.
 */
bool owner_temp_writer(const char *name, struct owner *w);

/*
 * Whether the writer of a temp file (from owner_temp_writer()) may still
 * be at work: it is of this boot and runs. Unsure (cannot read /proc)
 * counts as alive.
 */
bool owner_temp_writer_alive(const struct owner *w);

/*
 * The state files that lasermesh writes (marks, run files) share one
 * format, one "key value" per line after a magic first line, the owner
 * first:
 *
 *	lasermesh-mark 1
 *	pid 4242
 *	start 123456
 *	boot c3dc82c1-...
 *	cookie 8193
 *
 * owner_file_format() writes the magic line and the owner keys to f.
 * owner_file_parse() reads len bytes of text: the owner keys into o, and
 * every other key to on_key (may be NULL) with its value (NUL-terminated
 * copies, valid during the call). -EBADMSG if the text is not such a file
 * or has no pid.
 */
struct owner_key {
	const char *key, *val;
};

void owner_file_format(FILE *f, const char *magic, const struct owner *o);
int owner_file_parse(const char *text, size_t len, const char *magic,
		     struct owner *o,
		     int (*on_key)(const struct owner_key *k, void *arg),
		     void *arg);

#endif
