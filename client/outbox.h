/*
 * gp-client's outbox and receipt book: one SQLite file (WAL,
 * synchronous=FULL) holding the reports not yet answered by the server and
 * every receipt the client got.
 *
 * An entry keeps the report's canonical bytes (the packed wire Report,
 * its submission id inside), so that sending it again sends exactly the
 * same id and content and a server that already stored it answers with a
 * duplicate. Entries are claimed in a write transaction before they are
 * sent, so that two gp-client processes never send the same entry at once;
 * a claim whose owner died, or whose lease ran out, is taken back.
 *
 * Every failure hands back a sentence in *cause (malloc'd; NULL when even
 * that allocation failed).
 */
#ifndef GP_OUTBOX_H
#define GP_OUTBOX_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define OUTBOX_SCHEMA_VERSION	2
#define OUTBOX_SCHEMA_STRING	"2"
#define OUTBOX_BUSY_MS		15000	/* waiting for another process */

enum outbox_state {
	OUTBOX_WAITING = 0,	/* to be sent */
	OUTBOX_SENDING,		/* claimed by owner until lease_until */
	OUTBOX_FAILED		/* refused for good; kept until dropped */
};

struct outbox_entry {
	int64_t			 seq;		/* order of queueing */
	char			*id;		/* submission id */
	char			*unit;
	char			*period;
	uint8_t			*report;	/* canonical bytes; NULL in lists */
	size_t			 len;
	char			*content_hash;	/* SHA-256, hex */
	int64_t			 first_attempt;	/* Unix time */
	int64_t			 last_attempt;	/* 0: none yet */
	int64_t			 attempts;
	char			*last_error;	/* NULL: none */
	enum outbox_state	 state;
	pid_t			 owner;		/* while sending */
};

struct outbox_receipt {
	char		*receipt;
	char		*submission_id;
	char		*unit;
	char		*period;
	uint32_t	 revision;
	char		*received_at;	/* RFC 3339, as the server gave it */
	int		 duplicate;
	int		 late;
	char		*server;	/* HOST:PORT it came from */
	int64_t		 stored_at;	/* Unix time, this machine's clock */
	char		*content_hash;	/* SHA-256 of the bytes sent, hex */
	uint8_t		*report;	/* the bytes sent; NULL in lists */
	size_t		 len;
	/* The server's signature (signed receipts), for verification
	 * later: NULL when it signed none. */
	char		*report_sha256;	/* as the server computed it */
	uint8_t		*signature;
	size_t		 signature_len;
	uint8_t		*certificate;	/* DER of the signing certificate */
	size_t		 certificate_len;
};

/* What is queued and what is kept, borrowed from the caller. */
struct outbox_item {
	const char	*id;
	const char	*unit;
	const char	*period;
	const uint8_t	*report;	/* canonical bytes */
	size_t		 len;
	const char	*content_hash;
};

struct outbox_proof {
	const char	*receipt;
	const char	*submission_id;
	const char	*unit;
	const char	*period;
	uint32_t	 revision;
	const char	*received_at;
	int		 duplicate;
	int		 late;
	const char	*server;
	int64_t		 stored_at;
	const char	*content_hash;
	const uint8_t	*report;
	size_t		 len;
	const char	*report_sha256;		/* NULL: not signed */
	const uint8_t	*signature;
	size_t		 signature_len;
	const uint8_t	*certificate;
	size_t		 certificate_len;
};

enum outbox_put_result {
	OUTBOX_PUT_NEW,		/* queued now */
	OUTBOX_PUT_WAITING,	/* the same report was already waiting */
	OUTBOX_PUT_REQUEUED,	/* the same report had failed: waiting again */
	OUTBOX_PUT_SENDING,	/* another process is sending it right now */
	OUTBOX_PUT_CONFLICT	/* the id waits with different content */
};

struct outbox;

/*
 * The default path: $XDG_STATE_HOME/gp/outbox.db, or
 * ~/.local/state/gp/outbox.db. Returns a malloc'd path or NULL with *cause.
 */
char	*outbox_default_path(char **cause);

/* Creates the missing directories above path, mode 0700 (the state
 * directory: the outbox's, the kept forms'). */
int	 outbox_mkdirs(const char *path, char **cause);

/*
 * Whether the directories of the outbox at path keep it this user's: its
 * own directory (or, until that is made, the nearest one above that
 * exists) must not be writable by every user, who could plant its log or
 * replace it; nor any directory above, unless that one is sticky (as /tmp
 * is: nobody there removes or renames what is not theirs). Returns 0, or -1
 * with *cause naming the directory and what to do.
 */
int	 outbox_check_dirs(const char *path, char **cause);

/*
 * Opens the outbox, creating it (and missing directories, mode 0700; the
 * file mode 0600) when create is set. Without create, a missing file is an
 * error whose *cause is NULL and errno ENOENT.
 */
struct outbox	*outbox_open(const char *path, int create, char **cause);
void		 outbox_close(struct outbox *);
const char	*outbox_path(const struct outbox *);

/* Queues it (first_attempt now), unless an entry with its id is there:
 * see outbox_put_result. *owner is set for OUTBOX_PUT_SENDING. */
int	 outbox_put(struct outbox *, const struct outbox_item *it,
	    int64_t now, enum outbox_put_result *result, pid_t *owner,
	    char **cause);

/*
 * Claims the oldest waiting entry for owner until now + lease seconds, and
 * returns it with its report bytes in *out (NULL when none can be claimed).
 * With unit and period set, only that unit and period's entries. An entry
 * waits behind any earlier waiting or sending entry of the same unit and
 * period, so that revisions reach the server in the order they were made.
 * Claims of dead owners and expired leases are taken back first.
 */
int	 outbox_claim(struct outbox *, const char *unit, const char *period,
	    pid_t owner, int64_t now, int64_t lease,
	    struct outbox_entry **out, char **cause);

/* Counts one try to send id at now. */
int	 outbox_attempt(struct outbox *, const char *id, int64_t now,
	    char **cause);

/* Gives a claimed entry back to wait, with why it was not delivered. */
int	 outbox_release(struct outbox *, const char *id, pid_t owner,
	    const char *error, char **cause);

/* Marks an entry refused for good; it stays until dropped. */
int	 outbox_fail(struct outbox *, const char *id, const char *error,
	    char **cause);

/* Removes an entry without a receipt (a refusal the user has seen). */
int	 outbox_remove(struct outbox *, const char *id, char **cause);

/* Keeps the receipt and removes its entry (if any), in one transaction. */
int	 outbox_delivered(struct outbox *, const struct outbox_proof *,
	    char **cause);

/*
 * The user's commands on one entry. Return 0 when done, 1 when there is
 * no such entry (or, for retry, no failed one), 2 when a live process is
 * sending it, -1 on error.
 */
int	 outbox_drop(struct outbox *, const char *id, int64_t now,
	    char **cause);
int	 outbox_retry(struct outbox *, const char *id, char **cause);

/* The entry with this id with its report bytes, or *out NULL. */
int	 outbox_get(struct outbox *, const char *id,
	    struct outbox_entry **out, char **cause);

/* Every entry, oldest first, without report bytes. */
int	 outbox_list(struct outbox *, struct outbox_entry ***out, size_t *n,
	    char **cause);

/* Receipts, oldest first; unit and period filter when not NULL. */
int	 outbox_receipts(struct outbox *, const char *unit,
	    const char *period, struct outbox_receipt ***out, size_t *n,
	    char **cause);

/* The latest receipt for a submission id, or *out NULL. */
int	 outbox_receipt_of(struct outbox *, const char *submission_id,
	    struct outbox_receipt **out, char **cause);

/* The receipt id, or the latest receipt of submission id id, or the one
 * receipt whose id begins with the OUTBOX_RECEIPT_PREFIX or more digits of
 * id; with the report's bytes, or *out NULL. -1 with *cause when the
 * digits begin two receipts. */
#define OUTBOX_RECEIPT_PREFIX	8
int	 outbox_receipt_get(struct outbox *, const char *id,
	    struct outbox_receipt **out, char **cause);

void	 outbox_entry_free(struct outbox_entry *);
void	 outbox_entries_free(struct outbox_entry **, size_t);
void	 outbox_receipt_free(struct outbox_receipt *);
void	 outbox_receipts_free(struct outbox_receipt **, size_t);

const char	*outbox_state_name(enum outbox_state);

#endif
