/*
 * Settings: the configuration, unit registry and TLS context that SIGHUP
 * reloads, loaded together so that a reload either takes all of them or
 * none, and shared by reference count between the threads.
 */
#include <stdlib.h>
#include <string.h>

#include "gpd.h"

struct settings *
settings_load(const char *conffile, char **cause)
{
	struct settings	*set;

	*cause = NULL;
	if ((set = calloc(1, sizeof(*set))) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	set->refs = 1;
	if ((set->conf = config_load(conffile, cause)) == NULL ||
	    (set->units = units_load(set->conf->units, cause)) == NULL ||
	    (set->ssl_ctx = tls_ctx_new(set->conf, cause)) == NULL ||
	    tls_receipt_key(set->conf, &set->receipt_key, &set->receipt_cert,
	    &set->receipt_certlen, cause) == -1) {
		settings_release(set);
		return NULL;
	}
	tls_expiry_warnings(set->conf);
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
	config_free(set->conf);
	free(set);
}
