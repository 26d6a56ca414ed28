/*
 * gpd.conf as config_load reads it (daemon/config.c): defaults, every
 * range, required keys, and a cause that names the line and the key.
 */
#include <sys/mman.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

#define REQUIRED	"[server]\nunits = /etc/gpd/units.conf\n" \
			"[tls]\ncertificate = s.crt\nkey = s.key\n" \
			"client_ca = ca.crt\n"

static const char *
conffile(const char *text)
{
	static char	path[64];
	static int	fd = -1;

	if (fd == -1) {
		assert_int_not_equal(fd = memfd_create("test_config", 0), -1);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(pwrite(fd, text, strlen(text), 0),
	    (ssize_t)strlen(text));
	return path;
}

/* Loads text, which must be refused with a cause containing want. */
static void
refused(const char *text, const char *want)
{
	struct config	*conf;
	char		*cause = NULL;

	conf = config_load(conffile(text), &cause);
	if (conf != NULL) {
		config_free(conf);
		fail_msg("accepted: %s", text);
	}
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" does not say \"%s\"", cause, want);
	free(cause);
}

static void
test_defaults(void **state)
{
	struct config	*conf;
	char		*cause = NULL;

	(void)state;
	assert_non_null(conf = config_load(conffile(REQUIRED), &cause));
	assert_null(cause);
	assert_string_equal(conf->listen, "127.0.0.1:7443");
	assert_string_equal(conf->database, "/var/lib/gpd/gp.db");
	assert_int_equal(conf->max_connections, 1000);
	assert_int_equal(conf->handshake_timeout, 10);
	assert_int_equal(conf->idle_timeout, 60);
	assert_int_equal(conf->frame_timeout, 120);
	assert_int_equal(conf->stream_timeout, 60);
	assert_int_equal(conf->max_frame, 1024 * 1024);
	assert_int_equal(conf->workers, 0);
	assert_null(conf->crl);
	assert_string_equal(conf->timezone, "Asia/Ho_Chi_Minh");
	assert_int_equal(conf->nadmins, 0);
	assert_false(config_is_admin(conf, "admin-test"));
	config_free(conf);
}

static void
test_every_key(void **state)
{
	struct config	*conf;
	char		*cause = NULL;

	(void)state;
	assert_non_null(conf = config_load(conffile(REQUIRED
	    "[server]\nlisten = [::1]:7443\nmax_connections = 20\n"
	    "handshake_timeout = 2\nidle_timeout = 4\nframe_timeout = 8\n"
	    "stream_timeout = 3\nmax_frame = 65536\nworkers = 2\n"
	    "database = /tmp/x.db\ntimezone = Asia/Bangkok\n"
	    "[tls]\ncrl = crl.pem\n"
	    "[receipts]\nkey = r.key\ncertificate = r.crt\n"
	    "[access]\nadmins = admin-a, admin-b\tadmin-c\n"
	    "contact = Ban Nữ công\n"), &cause));
	assert_string_equal(conf->listen, "[::1]:7443");
	assert_int_equal(conf->max_connections, 20);
	assert_int_equal(conf->handshake_timeout, 2);
	assert_int_equal(conf->idle_timeout, 4);
	assert_int_equal(conf->frame_timeout, 8);
	assert_int_equal(conf->stream_timeout, 3);
	assert_int_equal(conf->max_frame, 65536);
	assert_int_equal(conf->workers, 2);
	assert_string_equal(conf->timezone, "Asia/Bangkok");
	assert_string_equal(conf->crl, "crl.pem");
	assert_string_equal(conf->receipt_key, "r.key");
	assert_int_equal(conf->nadmins, 3);
	assert_true(config_is_admin(conf, "admin-b"));
	assert_true(config_is_admin(conf, "admin-c"));
	assert_false(config_is_admin(conf, "admin"));
	assert_string_equal(conf->contact, "Ban Nữ công");
	config_free(conf);
}

static void
test_ranges(void **state)
{
	(void)state;
	refused(REQUIRED "[server]\nstream_timeout = 0\n", "stream_timeout");
	refused(REQUIRED "[server]\nstream_timeout = 3601\n", "stream_timeout");
	refused(REQUIRED "[server]\nidle_timeout = -1\n", "idle_timeout");
	refused(REQUIRED "[server]\nmax_connections = 100001\n",
	    "max_connections");
	refused(REQUIRED "[server]\nworkers = 65\n", "workers");
	refused(REQUIRED "[server]\nmax_frame = 1023\n", "max_frame");
	refused(REQUIRED "[server]\nmax_frame = 67108865\n", "max_frame");
	refused(REQUIRED "[server]\nframe_timeout = 12x\n", "frame_timeout");
}

static void
test_refusals_name_what(void **state)
{
	(void)state;
	refused("[server]\nunits = u.conf\n", "[tls] certificate is required");
	refused("[tls]\ncertificate = a\nkey = b\nclient_ca = c\n",
	    "[server] units is required");
	refused(REQUIRED "[server]\nlisten_on = x\n",
	    ":8: unknown key 'listen_on' in [server]");
	refused(REQUIRED "[tsl]\ncrl = x\n", "unknown section [tsl]");
	refused(REQUIRED "[receipts]\nkey = r.key\n",
	    "[receipts] needs both key and certificate, or neither");
	refused(REQUIRED "[periods]\nh1_due = 02-30\n", "[periods]");
	refused(REQUIRED "not a line\n", "not a 'key = value' line");
	/* A zone is a name of the tz database, never a path out of it;
	 * whether the database has it is settings.c's to say. */
	refused(REQUIRED "[server]\ntimezone = ../../etc/passwd\n",
	    "timezone = ../../etc/passwd: not the name of a time zone");
	refused(REQUIRED "[server]\ntimezone = /etc/localtime\n",
	    "not the name of a time zone");
	refused(REQUIRED "[server]\ntimezone = \n", "timezone");
}

/* Issue 16: gpd -n accepted "admins = bad_name!", a name no certificate
 * from gp-ca can have; each administrator is a CN as gp-ca issues it. */
static void
test_admins_are_certificate_names(void **state)
{
	struct config	*conf;
	char		*cause = NULL;

	(void)state;
	refused(REQUIRED "[access]\nadmins = admin-a, bad_name!\n",
	    "[access] admins: 'bad_name!' is not a certificate name");
	refused(REQUIRED "[access]\nadmins = Admin\n", "'Admin'");
	refused(REQUIRED "[access]\nadmins = "
	    "a234567890123456789012345678901234567890123456789012345678901234"
	    "5\n", "is not a certificate name");
	assert_non_null(conf = config_load(conffile(REQUIRED "[access]\n"
	    "admins = a234567890123456789012345678901234567890123456789012345"
	    "678901234, ban-nu-cong-2\n"), &cause));
	assert_int_equal(conf->nadmins, 2);
	config_free(conf);
}

static void
test_missing_file(void **state)
{
	struct config	*conf;
	char		*cause = NULL;

	(void)state;
	assert_null(conf = config_load("/nonexistent/gpd.conf", &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "/nonexistent/gpd.conf"));
	/* Why, in the system's words, and what to check. */
	assert_non_null(strstr(cause, "No such file or directory"));
	assert_non_null(strstr(cause, "-f"));
	free(cause);
	config_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_refusals_name_what),
		cmocka_unit_test(test_admins_are_certificate_names),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
