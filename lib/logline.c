/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logline: a line of kernel log text as dmesg, journalctl, syslog and
 * /dev/kmsg print it, split into its message and its time stamps. */
#include "logline.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "logtime.h"

struct pd_logline_reader {
	int64_t now_us;
	char *buf;		/* a decoded JSON message */
	size_t cap;
	/* the journal entry being read (verbose, export, json-pretty) */
	char e_stamp[64];
	bool e_has_time, e_has_uptime, e_not_kernel;
	int64_t e_time_us;
	uint64_t e_uptime_us;
	/* dmesg --time-format=reltime: the time of the last line */
	bool has_rel;
	int64_t rel_us;
};

int pd_logline_reader_new(int64_t now_us, struct pd_logline_reader **ret_rd)
{
	struct pd_logline_reader *rd = calloc(1, sizeof(*rd));

	if (!rd)
		return -ENOMEM;
	rd->now_us = now_us;
	*ret_rd = rd;
	return 0;
}

void pd_logline_reader_free(struct pd_logline_reader *rd)
{
	if (!rd)
		return;
	free(rd->buf);
	free(rd);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static void copy_text(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A decimal at *P (after blanks), which advances past it. */
static bool get_u64(const char **p, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;

	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*ret = v;
	return true;
}

/* "SEC.FRAC" at *P as microseconds (the fraction to six digits). */
static bool get_seconds(const char **p, uint64_t *ret_us)
{
	const char *q = *p, *f;
	uint64_t sec, frac = 0;
	size_t digits;

	if (!get_u64(&q, &sec) || *q != '.' || sec > UINT64_MAX / 1000000 - 1)
		return false;
	f = q + 1;
	if (!get_u64(&f, &frac) || f == q + 1)
		return false;
	for (digits = (size_t)(f - q - 1); digits < 6; digits++)
		frac *= 10;
	for (; digits > 6; digits--)
		frac /= 10;
	*ret_us = sec * 1000000 + frac;
	*p = f;
	return true;
}

static void set_time(struct pd_logline *ll, int64_t us)
{
	ll->has_time = true;
	ll->time_us = us;
}

/* The wall-clock stamp TEXT (N bytes): into LL (text and time) when it
 * is one; a year-less one without a "now" is a stamp without a time. */
static bool take_stamp(const struct pd_logline_reader *rd, const char *text,
		       size_t n, struct pd_logline *ll)
{
	int64_t us;
	int r;

	r = pd_logtime_parse(text, n, rd->now_us, &us);
	if (r < 0 && r != -ENODATA)
		return false;
	copy_text(ll->stamp, sizeof(ll->stamp), text, n);
	if (r == 0)
		set_time(ll, us);
	return true;
}

/* ---- journal entries ---------------------------------------------------- */

static void entry_reset(struct pd_logline_reader *rd)
{
	rd->e_stamp[0] = '\0';
	rd->e_has_time = rd->e_has_uptime = rd->e_not_kernel = false;
}

/* A field of the journal entry being read; true when it is its MESSAGE
 * (then LL gets the entry's stamps and MSG). */
static bool entry_field(struct pd_logline_reader *rd, const char *key,
			size_t klen, const char *val, struct pd_logline *ll)
{
	const char *p = val;
	uint64_t v;

#define KEY(k) (klen == strlen(k) && !strncmp(key, k, klen))
	if (KEY("__REALTIME_TIMESTAMP")) {
		if (get_u64(&p, &v) && !*p && v <= INT64_MAX) {
			rd->e_has_time = true;
			rd->e_time_us = (int64_t)v;
		}
	} else if (KEY("_SOURCE_MONOTONIC_TIMESTAMP")) {
		if (get_u64(&p, &v) && !*p) {
			rd->e_has_uptime = true;
			rd->e_uptime_us = v;
		}
	} else if (KEY("_TRANSPORT")) {
		rd->e_not_kernel = strcmp(val, "kernel") != 0;
	} else if (KEY("MESSAGE")) {
		if (rd->e_not_kernel)
			return false;
		ll->msg = val;
		memcpy(ll->stamp, rd->e_stamp, sizeof(ll->stamp));
		ll->has_time = rd->e_has_time;
		ll->time_us = rd->e_time_us;
		ll->has_uptime = rd->e_has_uptime;
		ll->uptime_us = rd->e_uptime_us;
		return true;
	}
#undef KEY
	return false;
}

/* "KEY=" at S, the key upper case, digits and '_' (a journal field). */
static size_t field_key(const char *s)
{
	size_t n = 0;

	while (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
	       s[n] == '_')
		n++;
	return n >= 2 && s[n] == '=' && !isdigit((unsigned char)s[0]) ? n : 0;
}

/* journalctl -o verbose: "Mon 2026-12-07 19:49:29.050425 UTC [s=...]". */
static bool verbose_header(struct pd_logline_reader *rd, const char *s)
{
	const char *b = strstr(s, " [s=");
	struct pd_logline tmp;

	if (!b || b - s > 48 || b[strlen(b) - 1] != ']')
		return false;
	memset(&tmp, 0, sizeof(tmp));
	if (!take_stamp(rd, s, (size_t)(b - s), &tmp))
		return false;
	entry_reset(rd);
	memcpy(rd->e_stamp, tmp.stamp, sizeof(rd->e_stamp));
	rd->e_has_time = tmp.has_time;
	rd->e_time_us = tmp.time_us;
	return true;
}

/* ---- JSON (journalctl -o json, json-seq, json-sse, json-pretty) -------- */

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool json_hex4(const char *p, unsigned *ret)
{
	unsigned v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		h = hexval(p[i]);
		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	*ret = v;
	return true;
}

/* Code point CP as UTF-8 at Q; returns the bytes written. */
static size_t utf8_put(char *q, unsigned cp)
{
	if (cp < 0x80) {
		q[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		q[0] = (char)(0xc0 | cp >> 6);
		q[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		q[0] = (char)(0xe0 | cp >> 12);
		q[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		q[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	q[0] = (char)(0xf0 | cp >> 18);
	q[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	q[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	q[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The JSON string at *P (its opening quote) decoded into OUT, which has
 * room for as many bytes as the encoded text (decoding never grows it),
 * NUL-terminated; *P moves past the closing quote. A \u0000 ends the text
 * there. False when malformed.
 */
static bool json_string(const char **p, char *out)
{
	const char *s = *p + 1;
	char *q = out;
	unsigned cp, lo;
	bool nul = false;

	for (;; s++) {
		if (!*s)
			return false;
		if (*s == '"')
			break;
		if (*s != '\\') {
			*q++ = *s;
			continue;
		}
		s++;
		switch (*s) {
		case '"': case '\\': case '/': *q++ = *s; break;
		case 'b': *q++ = '\b'; break;
		case 'f': *q++ = '\f'; break;
		case 'n': *q++ = '\n'; break;
		case 'r': *q++ = '\r'; break;
		case 't': *q++ = '\t'; break;
		case 'u':
			if (!json_hex4(s + 1, &cp))
				return false;
			s += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && s[1] == '\\' &&
			    s[2] == 'u' && json_hex4(s + 3, &lo) &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				s += 6;
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			if (!cp)
				nul = true;
			if (!nul)
				q += utf8_put(q, cp);
			break;
		default:
			return false;
		}
		if (nul)
			break;
	}
	/* after a \u0000: skip to the closing quote */
	while (nul && *s && *s != '"')
		s += *s == '\\' && s[1] ? 2 : 1;
	if (*s != '"')
		return false;
	*q = '\0';
	*p = s + 1;
	return true;
}

/* A byte array ("MESSAGE" : [104, 105], journald's form for text that is
 * not UTF-8) into OUT, as json_string(). */
static bool json_bytes(const char **p, char *out)
{
	const char *s = json_ws(*p + 1);
	char *q = out;
	uint64_t v;

	if (*s == ']') {
		*out = '\0';
		*p = s + 1;
		return true;
	}
	for (;;) {
		if (!get_u64(&s, &v) || v > 255)
			return false;
		if (v)
			*q++ = (char)v;
		s = json_ws(s);
		if (*s == ']')
			break;
		if (*s != ',')
			return false;
		s = json_ws(s + 1);
	}
	*q = '\0';
	*p = s + 1;
	return true;
}

/* Skip a JSON value other than a string or an array of numbers. */
static bool json_skip(const char **p)
{
	const char *s = *p;

	if (starts(s, "null"))
		s += 4;
	else if (starts(s, "true"))
		s += 4;
	else if (starts(s, "false"))
		s += 5;
	else if (*s == '-' || isdigit((unsigned char)*s))
		for (s++; isdigit((unsigned char)*s) || *s == '.' ||
		     *s == 'e' || *s == 'E' || *s == '+' || *s == '-'; s++)
			;
	else
		return false;
	*p = s;
	return true;
}

/*
 * The "KEY" : VALUE pairs at *P, up to the end of the line or a '}': each
 * one a field of the entry being read. True with LL filled when one was
 * the MESSAGE; false at the end or when malformed.
 */
static bool json_pairs(struct pd_logline_reader *rd, const char *p,
		       struct pd_logline *ll)
{
	char *key, *val;
	bool is_msg = false;

	key = rd->buf;
	for (;;) {
		p = json_ws(p);
		if (!*p || *p == '}')
			return is_msg;
		if (*p != '"')
			return false;
		/* the key first, then the value after it in the buffer */
		if (!json_string(&p, key))
			return false;
		val = key + strlen(key) + 1;
		p = json_ws(p);
		if (*p != ':')
			return false;
		p = json_ws(p + 1);
		if (*p == '"') {
			if (!json_string(&p, val))
				return false;
		} else if (*p == '[') {
			if (!json_bytes(&p, val))
				return false;
		} else {
			if (!json_skip(&p))
				return false;
			val = NULL;
		}
		if (val && entry_field(rd, key, strlen(key), val, ll)) {
			/* keep the message: later keys go after it */
			is_msg = true;
			key = val + strlen(val) + 1;
		}
		p = json_ws(p);
		if (*p == ',')
			p++;
		else if (*p && *p != '}')
			return false;
	}
}

/* Room in the reader's buffer for the decoded pairs of LINE. */
static int json_room(struct pd_logline_reader *rd, size_t len)
{
	char *nb;

	if (len + 2 <= rd->cap)
		return 0;
	nb = realloc(rd->buf, len + 2);
	if (!nb)
		return -ENOMEM;
	rd->buf = nb;
	rd->cap = len + 2;
	return 0;
}

/* ---- prefixes ----------------------------------------------------------- */

/* "<4>" of dmesg -r and RFC 5424: 1 to 3 digits. */
static const char *strip_pri(const char *s)
{
	size_t n = 0;

	if (*s != '<')
		return s;
	while (n < 3 && isdigit((unsigned char)s[1 + n]))
		n++;
	return n && s[1 + n] == '>' ? s + 2 + n : s;
}

/* "kern  :warn  : " of dmesg -x. */
static const char *strip_facility(const char *s)
{
	const char *p = s;

	if (!islower((unsigned char)*p))
		return s;
	while (isalnum((unsigned char)*p))
		p++;
	while (*p == ' ')
		p++;
	if (*p++ != ':' || !islower((unsigned char)*p))
		return s;
	while (islower((unsigned char)*p))
		p++;
	while (*p == ' ')
		p++;
	if (p[0] != ':' || p[1] != ' ')
		return s;
	return p - s <= 20 ? p + 2 : s;
}

/*
 * "[...] " at *S: an uptime "[  12.345678]", with dmesg -d's delta
 * "[ 12.3 <    0.1>]"; a date "[Mon Dec  7 19:49:29 2026]" (-T); reltime's
 * "[Dec 7 19:49]" and "[  +0.132607]"; a delta alone "[<    0.1>]".
 * False, *S unmoved, when it is none of them.
 */
static bool strip_bracket(struct pd_logline_reader *rd, const char **s,
			  struct pd_logline *ll)
{
	const char *p = *s, *end, *q;
	uint64_t us;

	if (*p != '[')
		return false;
	end = strchr(p, ']');
	if (!end || end - p > 40)
		return false;
	q = p + 1;
	while (*q == ' ')
		q++;
	if (*q == '+') {
		/* reltime: since the line before */
		q++;
		if (!get_seconds(&q, &us) || q != end)
			return false;
		if (rd->has_rel) {
			rd->rel_us += (int64_t)us;
			set_time(ll, rd->rel_us);
		}
	} else if (*q == '<') {
		/* a delta alone: no time */
	} else if (isdigit((unsigned char)*q)) {
		if (!get_seconds(&q, &us))
			return false;
		while (*q == ' ')
			q++;
		if (*q == '<') {
			q = strchr(q, '>');
			if (!q || q + 1 != end)
				return false;
		} else if (q != end) {
			return false;
		}
		ll->has_uptime = true;
		ll->uptime_us = us;
	} else if (take_stamp(rd, p + 1, (size_t)(end - p - 1), ll)) {
		/* reltime's minute lines carry no seconds: "[Dec 7 19:49]" */
		if (end - p - 1 <= 12 && ll->has_time) {
			rd->has_rel = true;
			rd->rel_us = ll->time_us;
		}
	} else {
		return false;
	}
	p = end + 1;
	if (*p == ' ')
		p++;
	*s = p;
	return true;
}

/* The length of a wall-clock stamp at S of up to four words (ISO, Unix,
 * "Dec  7 19:49:29", "Mon 2026-12-07 19:49:29 UTC"); 0 when none. */
static size_t wall_stamp(struct pd_logline_reader *rd, const char *s,
			 struct pd_logline *ll)
{
	const char *p = s;
	int words;

	if (!isalnum((unsigned char)*s))
		return 0;
	for (words = 0; words < 4; words++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		p += strcspn(p, " ");
		if (take_stamp(rd, s, (size_t)(p - s), ll))
			return (size_t)(p - s);
	}
	return 0;
}

/*
 * After a stamp: "HOST kernel: " (syslog, journalctl) is a kernel line;
 * "HOST IDENT: " or "HOST IDENT[PID]: " some program's. Returns the
 * message of a kernel line, S itself when it is no such prefix (dmesg's
 * own line), NULL for a program's line.
 */
static const char *strip_host(const char *s)
{
	const char *host = s, *ident, *colon;

	ident = strchr(host, ' ');
	if (!ident || ident == host)
		return s;
	ident++;
	if (starts(ident, "kernel: "))
		return ident + 8;
	colon = ident + strcspn(ident, " :[");
	if (*colon == '[') {
		colon += strcspn(colon, "] ");
		if (*colon != ']')
			return s;
		colon++;
	}
	if (colon > ident && colon[0] == ':' && colon[1] == ' ' &&
	    colon[-1] != ' ')
		return NULL;
	return s;
}

/* RFC 5424 after "<PRI>": "1 STAMP HOST APP PROCID MSGID SD MSG"; NULL
 * when APP is not "kernel". */
static const char *strip_5424(struct pd_logline_reader *rd, const char *s,
			      struct pd_logline *ll)
{
	const char *p = s + 2, *w;
	size_t n;
	int i;

	n = strcspn(p, " ");
	if (!take_stamp(rd, p, n, ll) || !p[n])
		return s;
	p += n + 1;
	/* HOST, then APP */
	p += strcspn(p, " ");
	if (*p++ != ' ')
		return NULL;
	w = p;
	p += strcspn(p, " ");
	if ((size_t)(p - w) != 6 || strncmp(w, "kernel", 6))
		return NULL;
	/* PROCID, MSGID */
	for (i = 0; i < 2; i++) {
		if (*p++ != ' ')
			return NULL;
		p += strcspn(p, " ");
	}
	if (*p++ != ' ')
		return NULL;
	/* STRUCTURED-DATA: "-" or "[id k="v"]..." */
	if (*p == '-') {
		p++;
	} else {
		while (*p == '[') {
			for (p++; *p && *p != ']'; p++) {
				if (*p == '\\' && p[1]) {
					p++;
					continue;
				}
				if (*p != '"')
					continue;
				/* a quoted value: to its closing quote */
				for (p++; *p && *p != '"'; p++)
					if (*p == '\\' && p[1])
						p++;
				if (!*p)
					return NULL;
			}
			if (*p != ']')
				return NULL;
			p++;
		}
	}
	if (*p == ' ')
		p++;
	return p;
}

int pd_logline_parse(struct pd_logline_reader *rd, const char *line,
		     struct pd_logline *ret_ll)
{
	struct pd_logline *ll = ret_ll;
	const char *s = line, *p;
	uint64_t v;
	size_t n;
	int i;

	memset(ll, 0, sizeof(*ll));

	/* JSON: one object a line (json, json-seq, json-sse), or a field a
	 * line (json-pretty) */
	if (*s == '\x1e')
		s++;
	else if (starts(s, "data: {"))
		s += 6;
	if (*s == '{' || *s == '}' || (*s == '\t' && s[1] == '"') ||
	    (*s == ' ' && json_ws(s)[0] == '"')) {
		if (*s == '{' || *s == '}') {
			entry_reset(rd);
			s++;
		}
		s = json_ws(s);
		if (json_room(rd, strlen(s)) < 0)
			return -ENOMEM;
		if (*s == '"' && json_pairs(rd, s, ll))
			return 0;
		memset(ll, 0, sizeof(*ll));
		return 0;
	}
	/* journalctl -o export: "KEY=value" lines, a blank one ends an
	 * entry; -o verbose: "    KEY=value" after a header line */
	if (!*s) {
		entry_reset(rd);
		return 0;
	}
	n = field_key(s);
	if (n) {
		if (starts(s, "__CURSOR="))
			entry_reset(rd);
		entry_field(rd, s, n, s + n + 1, ll);
		return 0;
	}
	if (starts(s, "    ") && (n = field_key(s + 4))) {
		entry_field(rd, s + 4, n, s + 5 + n, ll);
		return 0;
	}
	if (isalpha((unsigned char)*s) && verbose_header(rd, s))
		return 0;
	/* a /dev/kmsg record's " KEY=value" dictionary line */
	if (s[0] == ' ' && field_key(s + 1))
		return 0;
	/* "6,1234,5678901,-;msg" (/dev/kmsg) */
	p = s;
	for (i = 0; i < 3; i++)
		if (!get_u64(&p, &v) || *p++ != ',')
			break;
	if (i == 3 && (p = strchr(p, ';'))) {
		ll->has_uptime = true;
		ll->uptime_us = v;
		ll->msg = p + 1;
		return 0;
	}

	p = strip_pri(s);
	if (p != s && p[0] == '1' && p[1] == ' ') {
		ll->msg = strip_5424(rd, p, ll);
		return 0;
	}
	s = strip_facility(p);
	if (strip_bracket(rd, &s, ll)) {
		/* journalctl -o short-monotonic: "[ 12.345678] HOST kernel: " */
		p = strip_host(s);
		if (!p)
			return 0;
		s = p;
	} else if ((n = wall_stamp(rd, s, ll))) {
		s += n;
		if (*s == ' ')
			s++;
		p = strip_host(s);
		if (!p) {
			memset(ll, 0, sizeof(*ll));
			return 0;
		}
		/* after "kernel: ", the kernel's own stamp (syslog files) */
		if (p != s)
			strip_bracket(rd, &p, ll);
		s = p;
	} else if ((p = strstr(s, " kernel: ")) && p - s <= 120 &&
		   isalnum((unsigned char)*s)) {
		/* a stamp we cannot place in time, then "HOST kernel: " */
		n = (size_t)(p - s);
		while (n && s[n - 1] != ' ')
			n--;
		if (n)
			copy_text(ll->stamp, sizeof(ll->stamp), s, n - 1);
		s = p + 9;
		strip_bracket(rd, &s, ll);
	}
	ll->msg = s;
	return 0;
}
