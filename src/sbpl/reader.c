/*
 * The SBPL reader: bytes -> datums, each with its file:line:col
 * (SBPL-SEMANTICS.md §e "Literals", §i.1). Errors are diagnosed at the
 * exact byte; an unclosed list also points at where it opened.
 */
#include "sbpl/interp.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define READ_MAX_DEPTH 512

#define reader sbpl_reader

static struct src_loc
loc_at(const struct reader *r, size_t start, size_t end)
{
	struct src_loc l = { r->f, (uint32_t)start, (uint32_t)end };

	return l;
}

static struct diag *
read_error(struct reader *r, size_t start, size_t end, const char *id,
	   const char *msg)
{
	r->failed = true;
	if (r->quiet)
		return NULL;
	return diag_add(r->in->diags, DIAG_ERROR, loc_at(r, start, end), id,
			"%s", msg);
}

static bool
is_delim(int c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v' || c == '(' || c == ')' || c == '"' ||
	       c == ';' || c == '\'' || c == '`' || c == ',';
}

static int
peek(const struct reader *r, size_t ahead)
{
	return r->pos + ahead < r->len ? (unsigned char)r->s[r->pos + ahead] : 0;
}

/* #| ... |# nests, as in R7RS. */
static void
skip_block_comment(struct reader *r)
{
	size_t start = r->pos;
	unsigned nest = 1;

	r->pos += 2;
	while (r->pos < r->len && nest) {
		if (peek(r, 0) == '|' && peek(r, 1) == '#') {
			nest--;
			r->pos += 2;
		} else if (peek(r, 0) == '#' && peek(r, 1) == '|') {
			nest++;
			r->pos += 2;
		} else {
			r->pos++;
		}
	}
	if (nest) {
		read_error(r, start, start + 2, "syntax",
			   "unterminated block comment '#|'");
		r->stop = true;
	}
}

static void
skip_ws(struct reader *r)
{
	while (r->pos < r->len) {
		int c = peek(r, 0);

		if (c == ';') {
			while (r->pos < r->len && peek(r, 0) != '\n')
				r->pos++;
		} else if (c == '#' && peek(r, 1) == '|') {
			skip_block_comment(r);
			if (r->stop)
				return;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			   c == '\f' || c == '\v') {
			r->pos++;
		} else {
			return;
		}
	}
}

static struct sval *read_datum(struct reader *r);

static struct sval *
make_pair(struct reader *r, struct sval *car, struct sval *cdr, size_t start)
{
	struct sval *p = sv_new(r->in, SV_PAIR, loc_at(r, start, r->pos));

	p->u.pair.car = car;
	p->u.pair.cdr = cdr;
	return p;
}

static struct sval *
read_list(struct reader *r)
{
	size_t open = r->pos;
	struct sval *head = &r->in->nil, **tail = &head;

	if (++r->depth > READ_MAX_DEPTH) {
		read_error(r, open, open + 1, "syntax",
			   "lists nested too deeply");
		r->stop = true;
		return NULL;
	}
	r->pos++;
	for (;;) {
		struct sval *d;

		skip_ws(r);
		if (r->stop)
			return NULL;
		if (r->pos >= r->len) {
			struct diag *dg = read_error(r, r->len, r->len,
						     "unbalanced-paren",
						     "unexpected end of file: missing ')'");
			if (dg)
				diag_add_related(dg, loc_at(r, open, open + 1),
						 "to close the list opened here");
			r->stop = true;
			return NULL;
		}
		if (peek(r, 0) == ')') {
			r->pos++;
			break;
		}
		if (peek(r, 0) == '.' && is_delim(peek(r, 1)) && head->type == SV_PAIR) {
			size_t dot = r->pos++;

			skip_ws(r);
			d = read_datum(r);
			if (!d)
				return NULL;
			*tail = d;
			skip_ws(r);
			if (peek(r, 0) != ')') {
				read_error(r, dot, dot + 1, "syntax",
					   "bad dotted list: one datum must follow '.'");
				r->stop = true;
				return NULL;
			}
			r->pos++;
			break;
		}
		d = read_datum(r);
		if (!d)
			return NULL;
		*tail = make_pair(r, d, &r->in->nil, r->pos);
		(*tail)->loc = d->loc;
		tail = &(*tail)->u.pair.cdr;
	}
	r->depth--;
	if (head->type == SV_PAIR)
		head->loc = loc_at(r, open, r->pos);
	else
		head = sv_new(r->in, SV_NIL, loc_at(r, open, r->pos));
	return head;
}

static struct sval *
read_quote(struct reader *r, const char *name, size_t skip)
{
	size_t start = r->pos;
	struct sval *d, *q;

	r->pos += skip;
	skip_ws(r);
	if (r->stop)
		return NULL;
	if (r->pos >= r->len || peek(r, 0) == ')') {
		read_error(r, start, start + skip, "syntax",
			   "quote mark with nothing to quote");
		return NULL;
	}
	if (++r->depth > READ_MAX_DEPTH) {
		read_error(r, start, start + 1, "syntax", "forms nested too deeply");
		r->stop = true;
		return NULL;
	}
	d = read_datum(r);
	r->depth--;
	if (!d)
		return NULL;
	q = make_pair(r, d, &r->in->nil, start);
	q = make_pair(r, sv_symbol(r->in, name), q, start);
	return q;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "..." with TinyScheme's escapes; an unknown escape keeps the character
 * and drops the backslash, which is almost never what a regex author
 * meant (SBPL-LINTS B6). */
static struct sval *
read_string(struct reader *r, bool raw)
{
	size_t start = r->pos;
	struct strbuf sb = STRBUF_INIT;
	struct sval *v = NULL;

	r->pos += raw ? 2 : 1;
	for (;;) {
		int c;

		if (r->pos >= r->len) {
			read_error(r, start, start + (raw ? 2 : 1),
				   "unterminated-string",
				   "unterminated string: no closing '\"'");
			r->stop = true;
			goto out;
		}
		c = peek(r, 0);
		if (c == '"')
			break;
		if (c == '\\' && raw) {
			/* raw: keep the escape as written (a regex escape) */
			strbuf_addch(&sb, c);
			if (r->pos + 1 < r->len)
				strbuf_addch(&sb, peek(r, 1));
			r->pos += 2;
			continue;
		}
		if (c == '\\') {
			int e = peek(r, 1);

			r->pos += 2;
			switch (e) {
			case 'n': strbuf_addch(&sb, '\n'); break;
			case 't': strbuf_addch(&sb, '\t'); break;
			case 'r': strbuf_addch(&sb, '\r'); break;
			case 'a': strbuf_addch(&sb, '\a'); break;
			case '0': strbuf_addch(&sb, '\0'); break;
			case '"': case '\\': strbuf_addch(&sb, e); break;
			case '\n': break;  /* line continuation */
			case 'x':
				if (hexval(peek(r, 0)) >= 0 && hexval(peek(r, 1)) >= 0) {
					strbuf_addch(&sb, hexval(peek(r, 0)) * 16 + hexval(peek(r, 1)));
					r->pos += 2;
					break;
				}
				/* fall through */
			default:
				if (r->pos > r->len) {
					r->pos = r->len;
					continue;
				}
				if (!r->quiet)
					diag_add(r->in->diags, DIAG_WARNING,
						 loc_at(r, r->pos - 2, r->pos),
						 "string-escape",
						 "'\\%c' in a plain string is read "
						 "as '%c'; write '\\\\%c' or use a "
						 "raw string #\"...\"", e, e, e);
				strbuf_addch(&sb, e);
			}
			continue;
		}
		strbuf_addch(&sb, c);
		r->pos++;
	}
	r->pos++;
	v = sv_string(r->in, sb.buf, sb.len, loc_at(r, start, r->pos));
	if (raw)
		v->flags |= SVF_RAW;
	lint_string_literal(r->in, v);
out:
	strbuf_release(&sb);
	return v;
}

static size_t
token_end(const struct reader *r, size_t from)
{
	while (from < r->len && !is_delim((unsigned char)r->s[from]))
		from++;
	return from;
}

static bool
parse_int(const char *s, size_t len, int base, long long *out)
{
	char buf[72];
	char *end;
	long long v;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((buf[0] == '+' || buf[0] == '-') && len == 1)
		return false;
	for (size_t i = (buf[0] == '+' || buf[0] == '-'); i < len; i++) {
		int d = hexval((unsigned char)buf[i]);

		if (d < 0 || d >= base)
			return false;
	}
	errno = 0;
	v = strtoll(buf, &end, base);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static const struct {
	const char *name;
	int ch;
} char_names[] = {
	{ "space", ' ' }, { "newline", '\n' }, { "tab", '\t' },
	{ "nul", '\0' }, { "null", '\0' }, { "return", '\r' },
	{ "linefeed", '\n' }, { "altmode", 27 }, { "escape", 27 },
	{ "backspace", 8 }, { "delete", 127 }, { "alarm", 7 },
};

static struct sval *
read_char(struct reader *r, size_t start)
{
	size_t end;
	struct sval *v;

	r->pos = start + 2;
	if (r->pos >= r->len) {
		read_error(r, start, r->pos, "syntax", "'#\\' needs a character");
		return NULL;
	}
	end = token_end(r, r->pos + 1);
	v = sv_new(r->in, SV_CHAR, loc_at(r, start, end));
	if (end == r->pos + 1) {
		v->u.ch = peek(r, 0);
	} else {
		size_t n = end - r->pos;
		bool found = false;

		for (size_t i = 0; i < sizeof(char_names) / sizeof(char_names[0]); i++)
			if (strlen(char_names[i].name) == n &&
			    !strncmp(char_names[i].name, r->s + r->pos, n)) {
				v->u.ch = char_names[i].ch;
				found = true;
			}
		if (!found && r->s[r->pos] == 'x') {
			long long cv;

			if (parse_int(r->s + r->pos + 1, n - 1, 16, &cv) && cv >= 0 && cv < 256) {
				v->u.ch = (int)cv;
				found = true;
			}
		}
		if (!found) {
			read_error(r, start, end, "syntax", "unknown character name");
			r->pos = end;
			return NULL;
		}
	}
	r->pos = end;
	return v;
}

/* C preprocessor lines left in a profile (WebKit .sb.in; SBPL-LINTS A8). */
static bool
is_preprocessor(const struct reader *r, size_t start)
{
	static const char *const words[] = { "if", "ifdef", "ifndef", "else",
		"elif", "endif", "include", "import", "define", "undef",
		"pragma", "error", "warning" };
	size_t end = start + 1;
	size_t line = start;

	while (line > 0 && (r->s[line - 1] == ' ' || r->s[line - 1] == '\t'))
		line--;
	if (line > 0 && r->s[line - 1] != '\n')
		return false;
	while (end < r->len && r->s[end] >= 'a' && r->s[end] <= 'z')
		end++;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == end - start - 1 &&
		    !strncmp(words[i], r->s + start + 1, end - start - 1))
			return true;
	return false;
}

static struct sval *
read_sharp(struct reader *r)
{
	size_t start = r->pos, end;
	int c = peek(r, 1);
	long long iv;
	struct sval *v;
	int base = 0;

	switch (c) {
	case '"':
		return read_string(r, true);
	case '\\':
		return read_char(r, start);
	case ';':
		r->pos += 2;
		skip_ws(r);
		if (r->stop || !read_datum(r))
			return NULL;
		return sv_new(r->in, SV_VOID, loc_at(r, start, r->pos));
	case 'o': base = 8; break;
	case 'x': base = 16; break;
	case 'b': base = 2; break;
	case 'd': base = 10; break;
	default: break;
	}
	end = token_end(r, start + 1);
	if (base && parse_int(r->s + start + 2, end - start - 2, base, &iv)) {
		v = sv_new(r->in, SV_INT, loc_at(r, start, end));
		v->u.i = iv;
		r->pos = end;
		return v;
	}
	if ((end - start == 2 && (c == 't' || c == 'f')) ||
	    (end - start == 5 && !strncmp(r->s + start, "#true", 5)) ||
	    (end - start == 6 && !strncmp(r->s + start, "#false", 6))) {
		r->pos = end;
		return c == 't' ? &r->in->t : &r->in->f;
	}
	if (is_preprocessor(r, start)) {
		size_t eol = start;

		while (eol < r->len && r->s[eol] != '\n')
			eol++;
		read_error(r, start, end, "preprocessor-residue",
			   "C preprocessor line in a profile: run it through "
			   "the preprocessor first");
		r->pos = eol;
		return sv_new(r->in, SV_VOID, loc_at(r, start, end));
	}
	read_error(r, start, end > start + 1 ? end : start + 2, "syntax",
		   "bad '#' syntax");
	r->pos = end > start + 1 ? end : start + 2;
	return NULL;
}

static struct sval *
read_atom(struct reader *r)
{
	size_t start = r->pos, end = token_end(r, r->pos);
	long long iv;
	struct sval *v;

	if (end == start) {
		/* a delimiter we cannot start a datum with, e.g. a stray '.' */
		read_error(r, start, start + 1, "syntax", "unexpected character");
		r->pos++;
		return NULL;
	}
	r->pos = end;
	if (parse_int(r->s + start, end - start, 10, &iv)) {
		v = sv_new(r->in, SV_INT, loc_at(r, start, end));
		v->u.i = iv;
		return v;
	}
	for (size_t i = start; i < end; i++) {
		unsigned char c = (unsigned char)r->s[i];

		if (c < 0x21 || c == 0x7f || c == '[' || c == ']' || c == '{' ||
		    c == '}' || c == '|') {
			read_error(r, i, i + 1, "syntax",
				   "character not allowed in a symbol");
			return NULL;
		}
	}
	v = sv_new(r->in, SV_SYMBOL, loc_at(r, start, end));
	v->u.sym = sym_intern(r->in, r->s + start, end - start);
	lint_string_literal(r->in, v);
	return v;
}

static struct sval *
read_datum(struct reader *r)
{
	switch (peek(r, 0)) {
	case '(':
		return read_list(r);
	case '\'':
		return read_quote(r, "quote", 1);
	case '`':
		return read_quote(r, "quasiquote", 1);
	case ',':
		if (peek(r, 1) == '@')
			return read_quote(r, "unquote-splicing", 2);
		return read_quote(r, "unquote", 1);
	case '"':
		return read_string(r, false);
	case '#':
		return read_sharp(r);
	default:
		return read_atom(r);
	}
}

void
sbpl_reader_init(struct reader *r, struct interp *in, const struct src_file *f,
		 bool quiet)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->f = f;
	r->s = f->text;
	r->len = f->len;
	r->quiet = quiet;
}

struct sval *
sbpl_read_next(struct reader *r)
{
	for (;;) {
		struct sval *d;

		skip_ws(r);
		if (r->stop || r->pos >= r->len)
			return NULL;
		if (peek(r, 0) == ')') {
			read_error(r, r->pos, r->pos + 1, "unbalanced-paren",
				   "unexpected ')' with no matching '('");
			r->pos++;
			continue;
		}
		r->depth = 0;
		d = read_datum(r);
		if (r->stop)
			return NULL;
		if (d && d->type != SV_VOID)
			return d;
	}
}
