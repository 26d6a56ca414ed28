/*
 * Workers (worker.c): an event loop on a thread of its own, and a mailbox
 * through which any thread asks it to run a function. A worker knows
 * nothing of what runs on it; whoever posts says what to do.
 */
#ifndef GPD_WORKER_H
#define GPD_WORKER_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct worker;

/* A message embedded in the object it carries: posting it cannot fail. */
struct worker_msg {
	STAILQ_ENTRY(worker_msg)	 entry;
	void				(*fn)(void *);
	void				*arg;
	int				 allocated;	/* by worker_post */
};

/* NULL with *errstr (static) when it cannot be made. */
struct worker		*worker_new(size_t index, const char **errstr);
/* Starts the thread: 0, or -1 with *errstr. */
int			 worker_start(struct worker *, const char **errstr);
struct event_base	*worker_base(const struct worker *);
size_t			 worker_index(const struct worker *);
/* Bumped once a second by the loop: a watchdog checks it moves. */
uint64_t		 worker_heartbeats(const struct worker *);

/* From any thread: fn(arg) runs on the worker's loop, in posting order.
 * 0, or -1 when out of memory (nothing was posted). */
int	 worker_post(struct worker *, void (*fn)(void *), void *arg);
/* The same with a message the caller provides (m->fn and m->arg set). */
void	 worker_send(struct worker *, struct worker_msg *m);
/* From any thread: the loop ends once the current callback returns. */
void	 worker_exit(struct worker *);
/* Waits for the thread to end (after worker_exit). */
void	 worker_join(struct worker *);
/* Once the thread has ended: runs what was posted after its loop ended,
 * so that no message (and what it carries) is lost. */
void	 worker_drain(struct worker *);
void	 worker_free(struct worker *);	/* NULL: no-op; drains first */

#endif
