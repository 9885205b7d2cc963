/*
 * mail.c - see mail.h. The message is RFC 5322 with a UTF-8 subject encoded
 * per RFC 2047 and a base64 UTF-8 text body, so any mail server passes the
 * Chinese text through unchanged.
 */
#include "mail.h"
#include "app.h"
#include "util.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void mail_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct payload {
	const char *data;
	size_t len, pos;
};

static size_t read_payload(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct payload *p = ctx;
	size_t room = size * nmemb, left = p->len - p->pos;
	size_t n = left < room ? left : room;
	memcpy(buf, p->data + p->pos, n);
	p->pos += n;
	return n;
}

static char *base64(const char *s, size_t len)
{
	size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = xcalloc(1, n);
	sodium_bin2base64(out, n, (const unsigned char *)s, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

/* The whole message: headers, then the body in base64 lines of 76 characters. */
static void build_message(struct sbuf *m, const struct settings *cfg, const char *to, const char *subject,
			  const char *body)
{
	char date[64], id[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof(rnd));
	char hex[25];
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(id, sizeof(id), "%s", hex);
	char *subj = base64(subject, strlen(subject));
	sbuf_printf(m, "Date: %s\r\nTo: <%s>\r\nFrom: <%s>\r\nMessage-ID: <%s@qmslift>\r\n"
		       "Subject: =?UTF-8?B?%s?=\r\nMIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		    date, to, cfg->smtp_from, id, subj);
	free(subj);
	char *b = base64(body, strlen(body));
	size_t len = strlen(b);
	for (size_t i = 0; i < len; i += 76)
		sbuf_printf(m, "%.*s\r\n", (int)(len - i < 76 ? len - i : 76), b + i);
	free(b);
}

int mail_send(const struct settings *cfg, const char *to, const char *subject, const char *body,
	      char *err, size_t errlen)
{
	if (!cfg->smtp_url[0]) {
		snprintf(err, errlen, "未配置 SMTP 服务器");
		return -1;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, errlen, "curl 初始化失败");
		return -1;
	}
	struct sbuf msg = {0};
	build_message(&msg, cfg, to, subject, body);
	struct payload p = {msg.buf, msg.len, 0};
	char rcpt[300], from[300];
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	snprintf(from, sizeof(from), "<%s>", cfg->smtp_from);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	char ebuf[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
	curl_easy_setopt(c, CURLOPT_READDATA, &p);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (cfg->smtp_user[0]) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL); /* never send a password in clear */
	} else {
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	sbuf_free(&msg);
	return rc == CURLE_OK ? 0 : -1;
}
