/*
 * Denial records: the bounded store, the refusal model of a Linux plan,
 * the reasons from the definition, and macOS denial messages parsed from
 * recorded `log stream --style ndjson` lines.
 */
#include "unit/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/denial_why.h"
#include "backend/denials.h"
#include "backend/learn.h"
#include "backend/linux/linux_plan.h"
#include "backend/macos/seatbelt_log.h"
#include "backend/trace_plan.h"
#ifdef __linux__
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "backend/linux/trace_filter_linux.h"
#include "unit/listener_child.h"
#endif
#include "util/xalloc.h"

static void
test_store_counts_repeats(void **state)
{
	struct denials d;
	struct denial *e;

	(void)state;
	denials_init(&d);
	for (int i = 0; i < 1000; i++)
		denials_add(&d, DENY_READ, "/etc/shadow", "cat", 10, 1.0, "hidden");
	denials_add(&d, DENY_WRITE, "/etc/shadow", "cat", 10, 2.0, "read-only");
	assert_int_equal(d.nr, 2);
	assert_int_equal(d.total, 1001);
	e = denials_find(&d, DENY_READ, "/etc/shadow");
	assert_non_null(e);
	assert_int_equal(e->count, 1000);
	assert_null(denials_find(&d, DENY_EXEC, "/etc/shadow"));
	denials_release(&d);
}

static void
test_store_is_bounded(void **state)
{
	struct denials d;
	char path[64];

	(void)state;
	denials_init(&d);
	for (int i = 0; i < DENIALS_MAX_DISTINCT + 500; i++) {
		snprintf(path, sizeof(path), "/x/%d", i);
		denials_add(&d, DENY_WRITE, path, "p", 1, 0, "read-only");
	}
	assert_int_equal(d.nr, DENIALS_MAX_DISTINCT);
	assert_int_equal(d.dropped, 500);
	/* a recorded one still counts its repeats past the bound */
	denials_add(&d, DENY_WRITE, "/x/7", "p", 1, 0, "read-only");
	assert_int_equal(denials_find(&d, DENY_WRITE, "/x/7")->count, 2);
	denials_release(&d);
}

static void
test_plan_refusals(void **state)
{
	struct container_def d;
	struct linux_plan plan;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	def_init(&d);
	def_pathlist_append(&d.fs_read, "/srv/ro");
	def_pathlist_append(&d.fs_write, "/srv/rw");
	def_pathlist_append(&d.fs_exec, "/srv/bin");
	def_pathlist_append(&d.fs_deny, "/srv/ro/secret");
	d.network = DEF_NET_NONE;
	linux_plan_init(&plan);
	assert_int_equal(linux_plan_build(&plan, &d, "/data", "/data/tmp", &err), 0);

	assert_null(trace_plan_refusal(&plan, TN_READ, "/srv/ro/a"));
	assert_string_equal(trace_plan_refusal(&plan, TN_WRITE, "/srv/ro/a"),
			    TRACE_READONLY);
	assert_string_equal(trace_plan_refusal(&plan, TN_EXEC, "/srv/ro/a"),
			    TRACE_LANDLOCK);
	assert_null(trace_plan_refusal(&plan, TN_WRITE, "/srv/rw/a"));
	assert_string_equal(trace_plan_refusal(&plan, TN_EXEC, "/srv/rw/a"),
			    TRACE_LANDLOCK);
	assert_null(trace_plan_refusal(&plan, TN_EXEC, "/srv/bin/tool"));
	assert_string_equal(trace_plan_refusal(&plan, TN_READ, "/srv/ro/secret/k"),
			    TRACE_MASKED);
	assert_string_equal(trace_plan_refusal(&plan, TN_READ, "/root/.bashrc"),
			    TRACE_HIDDEN);
	assert_string_equal(trace_plan_refusal(&plan, TN_META, "/root/.bashrc"),
			    TRACE_HIDDEN);
	/* stat of a visible path: Landlock does not check it */
	assert_null(trace_plan_refusal(&plan, TN_META, "/srv/ro/a"));
	/* a folder on the way to a mount is there, but not listable */
	assert_null(trace_plan_refusal(&plan, TN_META, "/srv"));
	assert_string_equal(trace_plan_refusal(&plan, TN_READ, "/srv"),
			    TRACE_LANDLOCK);
	/* chmod: only a read-only mount refuses it */
	assert_string_equal(trace_plan_refusal(&plan, TN_ATTR, "/srv/ro/a"),
			    TRACE_READONLY);
	assert_null(trace_plan_refusal(&plan, TN_ATTR, "/srv/rw/a"));
	/* the container's own /dev nodes are there; other host devices not */
	assert_null(trace_plan_refusal(&plan, TN_READ, "/dev/null"));
	assert_null(trace_plan_refusal(&plan, TN_READ, "/dev/urandom"));
	assert_null(trace_plan_refusal(&plan, TN_META, "/dev/fd/3"));
	assert_null(trace_plan_refusal(&plan, TN_META, "/dev"));
	assert_string_equal(trace_plan_refusal(&plan, TN_READ, "/dev/sda"),
			    TRACE_HIDDEN);
	assert_string_equal(trace_plan_refusal(&plan, TN_READ, "/dev/nullx"),
			    TRACE_HIDDEN);
	assert_string_equal(trace_plan_refusal(&plan, TN_META, "/dev/pts/0"),
			    TRACE_HIDDEN);
	/* network none: no route, and Landlock refuses every bind */
	assert_string_equal(trace_plan_net_refusal(&plan, 0, 1, 80), TRACE_NONET);
	assert_string_equal(trace_plan_net_refusal(&plan, 1, 1, 80), TRACE_LANDLOCK);
	linux_plan_release(&plan);

	d.network = DEF_NET_PORTS;
	ALLOC_GROW(d.net_outbound.v, 1, d.net_outbound.alloc);
	d.net_outbound.v[d.net_outbound.nr++] = 443;
	linux_plan_init(&plan);
	assert_int_equal(linux_plan_build(&plan, &d, "/data", "/data/tmp", &err), 0);
	assert_null(trace_plan_net_refusal(&plan, 0, 0, 443));
	assert_string_equal(trace_plan_net_refusal(&plan, 0, 0, 80), TRACE_LANDLOCK);
	linux_plan_release(&plan);
	def_release(&d);
}

/* Lines in the shape `log stream --style ndjson` prints (fields as on
 * macOS 14; the messages from MACOS.md §1.8 and public trackers). */
#define NDJSON(msg) \
	"{\"traceID\":412316860420,\"eventMessage\":\"" msg "\"," \
	"\"eventType\":\"logEvent\",\"source\":null,\"formatString\":\"%s\"," \
	"\"subsystem\":\"\",\"category\":\"\",\"threadID\":1203354," \
	"\"processImagePath\":\"/kernel\",\"senderImagePath\":" \
	"\"/System/Library/Extensions/Sandbox.kext/Contents/MacOS/Sandbox\"," \
	"\"timestamp\":\"2026-01-05 10:11:12.250000-0800\",\"messageType\":\"Error\"," \
	"\"processID\":0}"

static const char line_read[] =
	NDJSON("Sandbox: cat(7866) deny(1) file-read-data /private/tmp/proj/.ssh/id_rsa\\nsbox:dev");
static const char line_exec[] =
	NDJSON("Sandbox: sandbox-exec(41398) deny(1) process-exec* /usr/bin/touch\\nsbox:dev");
static const char line_meta[] =
	NDJSON("Sandbox: touch(41575) deny(1) file-read-metadata /usr/lib/dyld\\nsbox:dev");
static const char line_net[] =
	NDJSON("Sandbox: curl(5012) deny(1) network-outbound 93.184.216.34:443\\nsbox:dev");
static const char line_spaces[] =
	NDJSON("Sandbox: Google Chrome He(812) deny(1) mach-lookup com.apple.x\\nsbox:dev");
static const char line_other[] =
	NDJSON("Sandbox: cat(99) deny(1) file-read-data /etc/hosts\\nsbox:other");
static const char line_untagged[] =
	NDJSON("Sandbox: cat(98) deny(1) file-read-data /etc/hosts");

static void
test_seatbelt_parse(void **state)
{
	struct seatbelt_denial s;
	enum denial_op op;

	(void)state;
	assert_int_equal(seatbelt_log_parse(line_read, strlen(line_read), &s), 1);
	assert_string_equal(s.process, "cat");
	assert_int_equal(s.pid, 7866);
	assert_string_equal(s.operation, "file-read-data");
	assert_string_equal(s.target, "/private/tmp/proj/.ssh/id_rsa");
	assert_string_equal(s.tag, "sbox:dev");
	/* 10:11:12.25 at -0800 is 18:11:12.25 UTC */
	assert_true(s.when > 1767636672.2 && s.when < 1767636672.3);
	seatbelt_denial_release(&s);

	assert_int_equal(seatbelt_log_parse(line_spaces, strlen(line_spaces), &s), 1);
	assert_string_equal(s.process, "Google Chrome He");
	assert_int_equal(s.pid, 812);
	assert_int_equal(seatbelt_op_to_denial(s.operation, &op), -1);
	seatbelt_denial_release(&s);

	assert_int_equal(seatbelt_op_to_denial("process-exec*", &op), 0);
	assert_int_equal(op, DENY_EXEC);
	assert_int_equal(seatbelt_op_to_denial("file-write-create", &op), 0);
	assert_int_equal(op, DENY_WRITE);
	assert_int_equal(seatbelt_op_to_denial("network-outbound", &op), 0);
	assert_int_equal(op, DENY_CONNECT);

	/* not denial lines */
	assert_int_equal(seatbelt_log_parse("Filtering the log data using \"x\"", 32, &s), 0);
	assert_int_equal(seatbelt_log_parse("{}", 2, &s), 0);
	assert_int_equal(seatbelt_log_parse(NDJSON("Sandbox: cat(x) deny(1) file-read-data /a"),
		strlen(NDJSON("Sandbox: cat(x) deny(1) file-read-data /a")), &s), 0);
	assert_int_equal(seatbelt_log_parse(NDJSON("(1) deny(1)"),
		strlen(NDJSON("(1) deny(1)")), &s), 0);
}

static void
test_seatbelt_record_and_why(void **state)
{
	static const char *const lines[] = {
		line_read, line_exec, line_meta, line_net, line_spaces,
		line_other, line_untagged, line_read,
	};
	char dir[] = "/tmp/sbox-test-trace.XXXXXX", *path;
	struct denials d;
	struct denial_why why;
	struct container_def def;
	struct src_set srcs;
	struct diag_list diags;
	struct def_vars vars = { "/Users/me", "/c", "/private/tmp/proj", "/t" };
	struct sbox_err err = SBOX_ERR_INIT;
	struct denial_reason r;
	struct strbuf sb = STRBUF_INIT;
	FILE *f;

	(void)state;
	denials_init(&d);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		seatbelt_log_record(&d, lines[i], strlen(lines[i]), "sbox:dev");
	/* read twice, exec, metadata (a read), network; not the others */
	assert_int_equal(d.nr, 4);
	assert_int_equal(d.total, 5);
	assert_int_equal(denials_find(&d, DENY_READ,
			 "/private/tmp/proj/.ssh/id_rsa")->count, 2);
	assert_non_null(denials_find(&d, DENY_CONNECT, "93.184.216.34:443"));

	/* the same decision model as on Linux: the rule and its line */
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/dev.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\n  \"name\": \"dev\",\n  \"filesystem\": {\n"
	      "    \"read\": [\"/private/tmp/proj\"],\n"
	      "    \"deny\": [\"/private/tmp/proj/.ssh\"]\n  }\n}\n", f);
	fclose(f);
	src_set_init(&srcs);
	diag_list_init(&diags);
	def_init(&def);
	assert_int_equal(def_load(path, &srcs, &diags, &def), 0);
	assert_int_equal(def_resolve(&def, &vars, &err), 0);
	assert_int_equal(denial_why_init(&why, &def, &err), 0);
	denial_why_explain(&why, DENY_READ, "/private/tmp/proj/.ssh/id_rsa", &r);
	assert_true(r.decided_by_rule);
	assert_non_null(strstr(r.where, "dev.json:5:14"));
	assert_string_equal(r.rule, "deny \"/private/tmp/proj/.ssh\"");
	denial_reason_release(&r);
	denial_why_explain(&why, DENY_EXEC, "/usr/bin/touch", &r);
	assert_false(r.decided_by_rule);
	assert_string_equal(r.grant, "filesystem.exec \"/usr/bin/touch\"");
	denial_reason_release(&r);
	denials_summary(&d, &why, &sb);
	assert_non_null(strstr(sb.buf, "5 accesses were denied (4 distinct): "
			       "read /private/tmp/proj/.ssh/id_rsa x2 (deny"));
	strbuf_reset(&sb);
	denials_write_json(&d, &why, &sb);
	assert_non_null(strstr(sb.buf, "\"refused-by\":\"seatbelt\""));
	strbuf_release(&sb);
	denial_why_release(&why);
	def_release(&def);
	diag_list_release(&diags);
	src_set_release(&srcs);
	denials_release(&d);
	unlink(path);
	rmdir(dir);
	free(path);
}


/* A definition's file in a new folder; *dir to remove after. */
static char *
write_def(char *dir, const char *text)
{
	char *path;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/def.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* learn and the seccomp program's refusals: nothing proposed for what is
 * never allowed (listed with the reason), and for an IP socket refused
 * under "none" the smallest network setting that has them. */
static void
test_learn_seccomp(void **state)
{
	char dir[] = "/tmp/sbox-test-learn.XXXXXX";
	char *path = write_def(dir, "{\n  \"name\": \"n\",\n"
			       "  \"network\": \"none\"\n}\n");
	struct def_vars vars = { "/home/me", "/c", "/tmp/proj", "/t" };
	struct sbox_err err = SBOX_ERR_INIT;
	struct container_def def;
	struct src_set srcs;
	struct diag_list diags;
	struct denial_why why;
	struct denial_reason r;
	struct denials d;
	struct strbuf report = STRBUF_INIT;
	struct learn_ctx c;
	json_t *p;

	(void)state;
	src_set_init(&srcs);
	diag_list_init(&diags);
	def_init(&def);
	assert_int_equal(def_load(path, &srcs, &diags, &def), 0);
	assert_int_equal(def_resolve(&def, &vars, &err), 0);
	assert_int_equal(denial_why_init(&why, &def, &err), 0);
	denials_init(&d);
	denials_add(&d, DENY_MOUNT, "mount", "sh", 1, 0, "seccomp");
	denials_add(&d, DENY_SOCKET, "AF_VSOCK", "sh", 1, 0, "seccomp");
	denials_add(&d, DENY_SOCKET, "AF_INET stream protocol 0", "sh", 1, 0,
		    "seccomp");
	/* the network setting decides the IP socket, at its line */
	denial_why_explain(&why, DENY_SOCKET, "AF_INET stream protocol 0", &r);
	assert_true(r.decided_by_rule);
	assert_null(r.never);
	assert_string_equal(r.rule, "network \"none\"");
	assert_non_null(strstr(r.where, "def.json:3:14"));
	denial_reason_release(&r);
	denial_why_explain(&why, DENY_MOUNT, "mount", &r);
	assert_non_null(r.never);
	assert_null(r.grant);
	denial_reason_release(&r);
	memset(&c, 0, sizeof(c));
	c.extends = path;
	c.name = "n-learned";
	c.start = &def;
	c.home = "/home/me";
	p = learn_propose(&d, &why, &c, &report);
	assert_string_equal(json_string_value(json_object_get(p, "network")),
			    "localhost");
	assert_null(json_object_get(p, "filesystem"));
	assert_non_null(strstr(report.buf, "not granted: mount mount: never "
			       "allowed in a container"));
	assert_non_null(strstr(report.buf, "not granted: socket AF_VSOCK"));
	json_decref(p);
	strbuf_release(&report);
	denials_release(&d);
	denial_why_release(&why);
	def_release(&def);
	diag_list_release(&diags);
	src_set_release(&srcs);
	unlink(path);
	rmdir(dir);
	free(path);
}

#ifdef __linux__
/* The child: the observing program alone, then fstat, futimens (no
 * path: they go on without a stop) and utimensat of a path (stops). */
static void
filter_child(int sock, const char *file)
{
	struct sock_fprog prog = {
		(unsigned short)trace_filter_embedded.len,
		(struct sock_filter *)(uintptr_t)trace_filter_embedded.insns,
	};
	struct stat st;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		_exit(2);
	listener_child_install(sock, &prog);
	if (fstat(fd, &st) < 0 || futimens(fd, NULL) < 0 ||
	    utimensat(AT_FDCWD, file, NULL, 0) < 0)
		_exit(4);
	_exit(0);
}

/* The calls of the child that stopped, answered "continue". */
static size_t
stopped_calls(int listener, int *nrs, size_t max)
{
	size_t n = 0;

	for (;;) {
		struct pollfd p = { listener, POLLIN, 0 };
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		if (poll(&p, 1, 10000) != 1 || !(p.revents & POLLIN))
			return n;  /* hung up: the child is gone */
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			continue;
		if (n < max)
			nrs[n++] = req.data.nr;
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* What the observing program lets go on without a stop: only calls
 * without a path (the real kernel decides, the filter is the built one). */
static void
test_filter_stops(void **state)
{
	char dir[] = "/tmp/sbox-test-filter.XXXXXX", *file;
	int sv[2], nrs[16], listener, status, utimes = 0;
	size_t n;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	file = xasprintf("%s/f", dir);
	close(open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		filter_child(sv[1], file);
	close(sv[1]);
	listener = listener_receive(sv[0]);
	assert_true(listener >= 0);
	n = stopped_calls(listener, nrs, 16);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(nrs[i], SYS_newfstatat);  /* fstat */
		utimes += nrs[i] == SYS_utimensat;
	}
	assert_int_equal(utimes, 1);  /* the one with a path */
	close(listener);
	close(sv[0]);
	unlink(file);
	rmdir(dir);
	free(file);
}

/* Joining: only "allow" becomes a jump into the observing part. */
static void
test_filter_join(void **state)
{
	static const struct sock_filter enforcing[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter computed[] = {
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct seccomp_bpf e = { enforcing, 4 }, c = { computed, 1 }, out;
	const struct sock_filter *v;

	(void)state;
	assert_int_equal(trace_filter_join(&e, &trace_filter_embedded, &out), 0);
	v = out.insns;
	assert_int_equal(out.len, 4 + trace_filter_embedded.len);
	assert_memory_equal(v, enforcing, 3 * sizeof(*v));
	assert_int_equal(v[3].code, BPF_JMP | BPF_JA);
	assert_int_equal(v[3].k, 0);  /* the next instruction: the observer */
	assert_memory_equal(v + 4, trace_filter_embedded.insns,
			    trace_filter_embedded.len * sizeof(*v));
	free((void *)out.insns);
	assert_int_equal(trace_filter_join(&c, &trace_filter_embedded, &out), -1);
	/* every program sbox launches with joins */
	for (int i = 0; i < LPS_COUNT; i++) {
		assert_int_equal(trace_filter_join(&seccomp_filters_embedded[i],
						   &trace_filter_embedded, &out), 0);
		assert_true(out.len <= BPF_MAXINSNS);
		free((void *)out.insns);
	}
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_counts_repeats),
		cmocka_unit_test(test_store_is_bounded),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_seatbelt_parse),
		cmocka_unit_test(test_seatbelt_record_and_why),
		cmocka_unit_test(test_learn_seccomp),
#ifdef __linux__
		cmocka_unit_test(test_filter_join),
		cmocka_unit_test(test_filter_stops),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
