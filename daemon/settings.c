/*
 * Settings: the configuration, unit registry and TLS context that SIGHUP
 * reloads, loaded together so that a reload either takes all of them or
 * none, and shared by reference count between the threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "form.h"
#include "log.h"
#include "settings.h"
#include "tls.h"
#include "tz.h"
#include "units.h"

struct settings_slot {
	pthread_mutex_t	 lock;
	struct settings	*set;
};

struct settings *
settings_load(const char *conffile, char **cause)
{
	struct settings	*set;
	char		*note = NULL;

	*cause = NULL;
	if ((set = calloc(1, sizeof(*set))) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	set->refs = 1;
	if ((set->conf = config_load(conffile, cause)) == NULL ||
	    (set->units = units_load(set->conf->units, cause)) == NULL ||
	    form_set_load(set->conf->forms, &set->forms, cause) == -1 ||
	    tz_load(NULL, set->conf->timezone, &set->zone, &note, cause) ==
	    -1 ||
	    (set->ssl_ctx = tls_ctx_new(set->conf, cause)) == NULL ||
	    tls_receipt_key(set->conf, &set->receipt_key, &set->receipt_cert,
	    &set->receipt_certlen, cause) == -1) {
		free(note);
		settings_release(set);
		if (*cause == NULL)
			*cause = strdup("out of memory");
		return NULL;
	}
	if (note != NULL)
		log_warnx("[server] timezone: %s", note);
	free(note);
	tls_expiry_warnings(set->conf);
	if (set->conf->periods_given)
		log_warnx("%s: [periods] is no longer read: each year's dates "
		    "are in its form (gp-forms(5)); remove the section",
		    conffile);
	return set;
}

void
settings_release(struct settings *set)
{
	if (set == NULL || --set->refs > 0)
		return;
	SSL_CTX_free(set->ssl_ctx);
	EVP_PKEY_free(set->receipt_key);
	free(set->receipt_cert);
	units_free(set->units);
	form_set_free(set->forms);
	tz_free(set->zone);
	config_free(set->conf);
	free(set);
}

struct settings_slot *
settings_slot_new(struct settings *set)
{
	struct settings_slot	*slot;

	if ((slot = calloc(1, sizeof(*slot))) == NULL)
		return NULL;
	pthread_mutex_init(&slot->lock, NULL);
	slot->set = set;
	return slot;
}

void
settings_slot_free(struct settings_slot *slot)
{
	if (slot == NULL)
		return;
	settings_release(slot->set);
	pthread_mutex_destroy(&slot->lock);
	free(slot);
}

struct settings *
settings_get(struct settings_slot *slot)
{
	struct settings	*set;

	/* The lock keeps a reload from freeing what is being taken. */
	pthread_mutex_lock(&slot->lock);
	set = slot->set;
	set->refs++;
	pthread_mutex_unlock(&slot->lock);
	return set;
}

void
settings_put(struct settings_slot *slot, struct settings *set)
{
	struct settings	*old;

	pthread_mutex_lock(&slot->lock);
	old = slot->set;
	slot->set = set;
	pthread_mutex_unlock(&slot->lock);
	settings_release(old);
}
