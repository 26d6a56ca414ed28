/*
 * What SIGHUP reloads (settings.c): the configuration, the unit registry,
 * the report forms, the TLS context and the receipt key, as one
 * reference-counted generation. A session keeps the generation it started with; a new one
 * takes the newest, from the slot.
 */
#ifndef GPD_SETTINGS_H
#define GPD_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>

struct form_set;
struct tz;

struct settings {
	_Atomic unsigned int	 refs;
	struct config		*conf;
	struct units		*units;
	struct form_set		*forms;		/* the forms by year */
	/* [server] timezone: the day of submission, due dates, and the
	 * zone every answer names for the times it carries (UTC). */
	struct tz		*zone;
	SSL_CTX			*ssl_ctx;
	/* Receipts are signed with this key; its certificate (DER) goes
	 * into every receipt. */
	EVP_PKEY		*receipt_key;
	uint8_t			*receipt_cert;
	size_t			 receipt_certlen;
};

/* One reference, or NULL with *cause (malloc'd, never NULL). */
struct settings	*settings_load(const char *conffile, char **cause);
void		 settings_release(struct settings *);	/* NULL: no-op */

/* The newest generation, shared between threads. */
struct settings_slot;

struct settings_slot	*settings_slot_new(struct settings *);	/* takes it */
void			 settings_slot_free(struct settings_slot *);
/* A reference to the newest, from any thread. */
struct settings		*settings_get(struct settings_slot *);
/* Makes set (taken) the newest and releases the slot's old reference. */
void			 settings_put(struct settings_slot *,
			    struct settings *);

#endif
