/*
 * mail.h - sending one plain-text e-mail over SMTP (libcurl).
 *
 * Used only by scheduled jobs, never inside a request: a slow or failing mail
 * server must not hold up users. Call mail_global_init() once at start-up,
 * before threads start.
 */
#ifndef QMS_MAIL_H
#define QMS_MAIL_H

#include <stddef.h>

struct settings;

void mail_global_init(void);

/* Send subject/body (UTF-8) to one address through cfg->smtp_url. Returns 0, or -1 with
 * a short reason in err. Times out after 20 seconds. */
int mail_send(const struct settings *cfg, const char *to, const char *subject, const char *body,
	      char *err, size_t errlen);

#endif
