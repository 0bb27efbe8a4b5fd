/*
 * The macOS chroot decision (backend/macos/seatbelt_chroot.c) and the Mach-O
 * linkage it rests on (backend/macos/macho.c): every combination of release, SIP
 * state and program linkage, Mach-O files built byte by byte (thin and
 * fat, both byte orders, truncated, scripts), and the launch refusing
 * before it creates anything.
 */
#include "unit/darwin_fake.h"

#include "backend/macos/macho.h"

/* ---- Mach-O files, built here ------------------------------------- */

struct image {
	unsigned char b[1024];
	size_t len;
};

static void
put32(struct image *im, size_t off, uint32_t v, int big)
{
	for (int i = 0; i < 4; i++)
		im->b[off + (size_t)i] = (unsigned char)(big ?
			v >> (24 - 8 * i) : v >> (8 * i));
	if (off + 4 > im->len)
		im->len = off + 4;
}

/*
 * A thin image at off: 64-bit unless is32, little-endian unless big;
 * cmds[] are load command numbers, each 16 bytes long.
 */
static size_t
thin(struct image *im, size_t off, uint32_t filetype, const uint32_t *cmds,
     size_t ncmds, int is32, int big)
{
	size_t h = is32 ? 28 : 32;

	put32(im, off, is32 ? 0xfeedfaceu : 0xfeedfacfu, big);
	put32(im, off + 4, 0x0100000cu, big);          /* cputype arm64 */
	put32(im, off + 8, 0, big);
	put32(im, off + 12, filetype, big);
	put32(im, off + 16, (uint32_t)ncmds, big);
	put32(im, off + 20, (uint32_t)(16 * ncmds), big);
	put32(im, off + 24, 0, big);
	if (!is32)
		put32(im, off + 28, 0, big);
	for (size_t i = 0; i < ncmds; i++) {
		put32(im, off + h + 16 * i, cmds[i], big);
		put32(im, off + h + 16 * i + 4, 16, big);
		put32(im, off + h + 16 * i + 8, 0, big);
		put32(im, off + h + 16 * i + 12, 0, big);
	}
	return off + h + 16 * ncmds;
}

static ssize_t
image_read(void *arg, uint64_t off, void *buf, size_t n)
{
	const struct image *im = arg;

	if (off >= im->len)
		return 0;
	if (n > im->len - off)
		n = (size_t)(im->len - off);
	memcpy(buf, im->b + off, n);
	return (ssize_t)n;
}

static enum macho_link
linkage(struct image *im)
{
	return macho_linkage(image_read, im);
}

#define LC_SEGMENT_64 0x19u
#define LC_MAIN (0x28u | 0x80000000u)
#define LC_UNIXTHREAD 0x5u
#define LC_LOAD_DYLIB 0xcu
#define LC_LOAD_DYLINKER 0xeu
#define LC_LOAD_WEAK_DYLIB (0x18u | 0x80000000u)
#define LC_REEXPORT_DYLIB (0x1fu | 0x80000000u)
#define LC_LAZY_LOAD_DYLIB 0x20u
#define LC_LOAD_UPWARD_DYLIB (0x23u | 0x80000000u)
#define MH_EXECUTE 2u
#define MH_DYLIB 6u

static const uint32_t static_cmds[] = { LC_SEGMENT_64, LC_UNIXTHREAD };

static void
test_macho_thin(void **state)
{
	static const uint32_t dyn[] = {
		LC_LOAD_DYLINKER, LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB,
		LC_REEXPORT_DYLIB, LC_LAZY_LOAD_DYLIB, LC_LOAD_UPWARD_DYLIB,
	};
	struct image im;

	(void)state;
	/* Static in every layout: 64/32-bit, little/big-endian. */
	for (int is32 = 0; is32 < 2; is32++) {
		for (int big = 0; big < 2; big++) {
			memset(&im, 0, sizeof(im));
			thin(&im, 0, MH_EXECUTE, static_cmds, 2, is32, big);
			assert_int_equal(linkage(&im), MACHO_STATIC);
		}
	}
	/* Each command that makes dyld load something, alone, anywhere. */
	for (size_t i = 0; i < sizeof(dyn) / sizeof(dyn[0]); i++) {
		uint32_t cmds[3] = { LC_SEGMENT_64, dyn[i], LC_MAIN };

		memset(&im, 0, sizeof(im));
		thin(&im, 0, MH_EXECUTE, cmds, 3, 0, 0);
		assert_int_equal(linkage(&im), MACHO_DYNAMIC);
	}
	/* A library is not a program a chroot can start by itself. */
	memset(&im, 0, sizeof(im));
	thin(&im, 0, MH_DYLIB, static_cmds, 2, 0, 0);
	assert_int_equal(linkage(&im), MACHO_DYNAMIC);
}

static void
test_macho_bad(void **state)
{
	struct image im;

	(void)state;
	/* Load commands cut short: malformed, never "static". */
	memset(&im, 0, sizeof(im));
	im.len = thin(&im, 0, MH_EXECUTE, static_cmds, 2, 0, 0) - 4;
	assert_int_equal(linkage(&im), MACHO_MALFORMED);
	/* A command of size 0 would loop for ever. */
	memset(&im, 0, sizeof(im));
	thin(&im, 0, MH_EXECUTE, static_cmds, 2, 0, 0);
	put32(&im, 32 + 4, 0, 0);
	assert_int_equal(linkage(&im), MACHO_MALFORMED);
	/* A command running past sizeofcmds. */
	put32(&im, 32 + 4, 4096, 0);
	assert_int_equal(linkage(&im), MACHO_MALFORMED);
	/* A script, an ELF file, an empty file. */
	memcpy(im.b, "#!/bin/sh\n", 10);
	im.len = 10;
	assert_int_equal(linkage(&im), MACHO_NOT_MACHO);
	memcpy(im.b, "\177ELF\2\1\1\0", 8);
	im.len = 64;
	assert_int_equal(linkage(&im), MACHO_NOT_MACHO);
	im.len = 0;
	assert_int_equal(linkage(&im), MACHO_NOT_MACHO);
	/* A Java class file shares the fat magic: not a static program. */
	memset(&im, 0, sizeof(im));
	put32(&im, 0, 0xcafebabeu, 1);
	put32(&im, 4, 0x00000041u, 1);
	assert_int_equal(linkage(&im), MACHO_MALFORMED);
}

/* A fat file with two slices; the second's commands given. */
static void
fat(struct image *im, int is64, const uint32_t *second, size_t n2)
{
	size_t asize = is64 ? 32 : 20, s1 = 256, s2 = 512;

	memset(im, 0, sizeof(*im));
	put32(im, 0, is64 ? 0xcafebabfu : 0xcafebabeu, 1);
	put32(im, 4, 2, 1);
	for (size_t i = 0; i < 2; i++) {
		size_t a = 8 + i * asize, off = i ? s2 : s1;

		put32(im, a, 0x0100000cu, 1);
		if (is64) {
			put32(im, a + 8, 0, 1);
			put32(im, a + 12, (uint32_t)off, 1);
		} else {
			put32(im, a + 8, (uint32_t)off, 1);
		}
	}
	thin(im, s1, MH_EXECUTE, static_cmds, 2, 0, 0);
	thin(im, s2, MH_EXECUTE, second, n2, 0, 0);
}

static void
test_macho_fat(void **state)
{
	static const uint32_t dyn[] = { LC_SEGMENT_64, LC_LOAD_DYLINKER };
	struct image im;

	(void)state;
	for (int is64 = 0; is64 < 2; is64++) {
		fat(&im, is64, static_cmds, 2);
		assert_int_equal(linkage(&im), MACHO_STATIC);
		/* One dynamic slice is enough: the kernel picks, not sbox. */
		fat(&im, is64, dyn, 2);
		assert_int_equal(linkage(&im), MACHO_DYNAMIC);
	}
	/* A slice offset past the end of the file. */
	fat(&im, 0, static_cmds, 2);
	put32(&im, 8 + 20 + 8, 100000, 1);
	assert_int_equal(linkage(&im), MACHO_MALFORMED);
}

/* ---- the decision: every combination ------------------------------- */

static void
test_macos_major(void **state)
{
	(void)state;
	assert_int_equal(seatbelt_macos_major("14.5"), 14);
	assert_int_equal(seatbelt_macos_major("26.0.1"), 26);
	assert_int_equal(seatbelt_macos_major("10.15.7"), 10);
	/* The version-compatibility answer of 11+ ("10.16"). */
	assert_int_equal(seatbelt_macos_major("10.16"), 11);
	assert_int_equal(seatbelt_macos_major(""), 0);
	assert_int_equal(seatbelt_macos_major(NULL), 0);
	assert_int_equal(seatbelt_macos_major("x"), 0);
}

/*
 * The rule, written independently of the code: a chroot is refused only
 * where the release may be 11 or later (either source says so, or
 * neither is known), SIP's filesystem protection may be on (on or
 * unknown), and the program is not a static Mach-O executable.
 */
static int
oracle_refuses(int macos, int darwin, enum seatbelt_sip sip,
	       enum macho_link link)
{
	int old = (macos || darwin) && (macos == 0 || macos < 11) &&
		  (darwin == 0 || darwin < 20);

	return !old && sip != SEATBELT_SIP_FS_OFF && link != MACHO_STATIC;
}

static void
test_decide_every_combination(void **state)
{
	static const int macos[] = { 0, 10, 11, 13, 15, 26 };
	static const int darwin[] = { 0, 19, 20, 24, 25 };
	static const enum seatbelt_sip sips[] = {
		SEATBELT_SIP_UNKNOWN, SEATBELT_SIP_FS_OFF, SEATBELT_SIP_FS_ON,
	};
	static const enum macho_link links[] = {
		MACHO_STATIC, MACHO_DYNAMIC, MACHO_NOT_MACHO, MACHO_MALFORMED,
	};
	size_t n = 0, refused = 0;

	(void)state;
	for (size_t a = 0; a < 6; a++)
	for (size_t b = 0; b < 5; b++)
	for (size_t c = 0; c < 3; c++)
	for (size_t d = 0; d < 4; d++) {
		struct seatbelt_chroot_facts f = {
			macos[a], darwin[b], sips[c], links[d],
		};
		int want = oracle_refuses(macos[a], darwin[b], sips[c],
					  links[d]);
		enum seatbelt_chroot_verdict v = seatbelt_chroot_decide(&f);

		if ((v == SEATBELT_CHROOT_REFUSE) != want) {
			print_message("macOS %d Darwin %d sip %d link %d: "
				      "verdict %d\n", macos[a], darwin[b],
				      (int)sips[c], (int)links[d], (int)v);
			fail();
		}
		n++;
		refused += (size_t)want;
	}
	assert_int_equal(n, 360);
	assert_true(refused > 0 && refused < n);
}

/* The reasons, named: each way a chroot is allowed. */
static void
test_decide_reasons(void **state)
{
	static const struct {
		int macos, darwin;
		enum seatbelt_sip sip;
		enum macho_link link;
		enum seatbelt_chroot_verdict want;
	} rows[] = {
		{ 10, 19, SEATBELT_SIP_FS_ON, MACHO_DYNAMIC,
		  SEATBELT_CHROOT_OK_OLD_RELEASE },
		{ 10, 0, SEATBELT_SIP_UNKNOWN, MACHO_NOT_MACHO,
		  SEATBELT_CHROOT_OK_OLD_RELEASE },
		{ 15, 24, SEATBELT_SIP_FS_OFF, MACHO_DYNAMIC,
		  SEATBELT_CHROOT_OK_SIP_OFF },
		{ 15, 24, SEATBELT_SIP_FS_ON, MACHO_STATIC,
		  SEATBELT_CHROOT_OK_STATIC },
		{ 15, 24, SEATBELT_SIP_FS_ON, MACHO_DYNAMIC,
		  SEATBELT_CHROOT_REFUSE },
		{ 15, 24, SEATBELT_SIP_UNKNOWN, MACHO_DYNAMIC,
		  SEATBELT_CHROOT_REFUSE },
		/* product version "10.15" but Darwin 20: believe the kernel */
		{ 10, 20, SEATBELT_SIP_FS_ON, MACHO_DYNAMIC,
		  SEATBELT_CHROOT_REFUSE },
		/* nothing known: the strict answer */
		{ 0, 0, SEATBELT_SIP_FS_ON, MACHO_MALFORMED,
		  SEATBELT_CHROOT_REFUSE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct seatbelt_chroot_facts f = {
			rows[i].macos, rows[i].darwin, rows[i].sip, rows[i].link,
		};

		assert_int_equal(seatbelt_chroot_decide(&f), rows[i].want);
	}
}

/* ---- the launch: refused before anything exists ------------------- */

static const char *const sudo_env[] = {
	"PATH=/bin:/usr/bin", "SUDO_UID=501", "SUDO_GID=20", NULL,
};

static const struct fake_file system_files[] = {
	{ "/System/Library/Sandbox/Profiles/system.sb", "(version 1)\n" },
	{ NULL, NULL },
};

struct fixture {
	struct container_def def;
	struct launch_request req;
	char *argv[2];
	struct image prog;
	struct fake_bin bins[3];
};

#define ROOT "/private/var/sbox/web/root"

static void
fixture_init(struct fixture *fx, const char *prog)
{
	fake_reset();
	memset(fx, 0, sizeof(*fx));
	def_init(&fx->def);
	fx->def.name = xstrdup("web");
	fx->def.source = xstrdup("/defs/web.json");
	fx->def.root = xstrdup("/images/web.tar");
	fx->argv[0] = xstrdup(prog);
	fx->req.def = &fx->def;
	fx->req.container_dir = "/var/sbox/web";
	fx->req.data_dir = "/var/sbox/web/root/home/Data";
	fx->req.root_dir = "/var/sbox/web/root";
	fx->req.project_dir = "/tmp/proj";
	fx->req.real_home = "/Users/me";
	fx->req.argv = fx->argv;
	fx->req.envp = (char *const *)sudo_env;
	F.uid = F.euid = F.gid = F.egid = 0;
	F.files = system_files;
	F.exec_ok = "/usr/bin/tool";
	/* The program: a static Mach-O in the root's /usr/bin. */
	thin(&fx->prog, 0, MH_EXECUTE, static_cmds, 2, 0, 0);
	fx->bins[0].path = ROOT "/usr/bin/tool";
	fx->bins[0].bytes = fx->prog.b;
	fx->bins[0].len = fx->prog.len;
	F.bins = fx->bins;
}

static void
fixture_release(struct fixture *fx)
{
	def_release(&fx->def);
	free(fx->argv[0]);
	fake_release();
}

/* Nothing was created: no compile, no pipe, no fork, no chroot. */
static void
assert_nothing_started(void)
{
	for (size_t i = 0; i < F.nlog; i++) {
		assert_null(strstr(F.log[i], "sandbox_create_params"));
		assert_null(strstr(F.log[i], "pipe"));
		assert_null(strstr(F.log[i], "fork"));
		assert_null(strstr(F.log[i], "chroot("));
	}
}

static int
launch(struct fixture *fx, struct sbox_err *err)
{
	int status = -1;

	return seatbelt_launch(&fake_sys, &fx->req, &status, err);
}

static int
logged(const char *what)
{
	for (size_t i = 0; i < F.nlog; i++)
		if (strstr(F.log[i], what))
			return 1;
	return 0;
}

static void
test_refuses_dynamic_on_current_macos(void **state)
{
	static const uint32_t dyn[] = { LC_SEGMENT_64, LC_LOAD_DYLINKER };
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx, "tool");
	memset(&fx.prog, 0, sizeof(fx.prog));
	thin(&fx.prog, 0, MH_EXECUTE, dyn, 2, 0, 0);
	fx.bins[0].len = fx.prog.len;
	assert_int_equal(launch(&fx, &err), -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "macOS 15.1"));
	assert_non_null(strstr(err.msg, "System Integrity Protection on"));
	assert_non_null(strstr(err.msg, "'tool' (dynamically linked)"));
	assert_non_null(strstr(err.msg, "dyld shared cache"));
	/* Found through the container's PATH, inside the root. */
	assert_true(logged("pread(" ROOT "/usr/local/bin/tool)"));
	assert_true(logged("pread(" ROOT "/usr/bin/tool)"));
	assert_false(logged("pread(/usr/bin/tool)"));
	assert_nothing_started();
	fixture_release(&fx);
}

static void
test_allows_static_program(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx, "tool");
	assert_int_equal(launch(&fx, &err), -1);   /* the fake's exec */
	assert_true(logged("chroot(" ROOT ")"));
	assert_true(logged("posix_spawn(/usr/bin/tool,"));
	fixture_release(&fx);
}

/* Old releases and SIP off need no look at the program at all. */
static void
test_allows_old_release_and_sip_off(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx, "/usr/bin/tool");
	F.bins = NULL;                 /* nothing readable in the root */
	F.os_product = "10.15.7";
	F.os_release = "19.6.0";
	launch(&fx, &err);
	assert_true(logged("chroot(" ROOT ")"));
	assert_false(logged("csr_check"));
	assert_false(logged("pread("));
	fixture_release(&fx);

	fixture_init(&fx, "/usr/bin/tool");
	F.bins = NULL;
	F.sip = SEATBELT_SIP_FS_OFF;
	launch(&fx, &err);
	assert_true(logged("chroot(" ROOT ")"));
	assert_false(logged("pread("));
	fixture_release(&fx);
}

/* Unknown facts are the strict case, and the message says so. */
static void
test_unknown_is_strict(void **state)
{
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx, "/usr/bin/tool");
	F.bins = NULL;
	F.os_product = NULL;
	F.os_release = NULL;
	F.sip = SEATBELT_SIP_UNKNOWN;
	assert_int_equal(launch(&fx, &err), -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "release unknown"));
	assert_non_null(strstr(err.msg, "state unknown, taken as on"));
	assert_non_null(strstr(err.msg, "not in the root filesystem"));
	assert_nothing_started();
	fixture_release(&fx);

	/* The compatibility version "10.16" is macOS 11 or later. */
	fixture_init(&fx, "/usr/bin/tool");
	F.bins = NULL;
	F.os_product = "10.16";
	F.os_release = NULL;
	assert_int_equal(launch(&fx, &err), -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_nothing_started();
	fixture_release(&fx);
}

/* A script is as static as its interpreter, looked up in the root. */
static void
test_script_follows_interpreter(void **state)
{
	static const unsigned char script[] = "#!/bin/stat-sh -e\necho hi\n";
	struct fixture fx;
	struct sbox_err err = SBOX_ERR_INIT;

	(void)state;
	fixture_init(&fx, "/run.sh");
	fx.bins[0].path = ROOT "/bin/stat-sh";
	fx.bins[1].path = ROOT "/run.sh";
	fx.bins[1].bytes = script;
	fx.bins[1].len = sizeof(script) - 1;
	F.exec_ok = "/run.sh";
	launch(&fx, &err);
	assert_true(logged("pread(" ROOT "/bin/stat-sh)"));
	assert_true(logged("chroot(" ROOT ")"));
	fixture_release(&fx);

	/* Same script, its interpreter missing from the root. */
	fixture_init(&fx, "/run.sh");
	fx.bins[0].path = ROOT "/bin/other";
	fx.bins[1].path = ROOT "/run.sh";
	fx.bins[1].bytes = script;
	fx.bins[1].len = sizeof(script) - 1;
	assert_int_equal(launch(&fx, &err), -1);
	assert_int_equal(err.code, SBOX_E_UNSUPPORTED);
	assert_non_null(strstr(err.msg, "not a Mach-O program"));
	assert_nothing_started();
	fixture_release(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_macho_thin),
		cmocka_unit_test(test_macho_bad),
		cmocka_unit_test(test_macho_fat),
		cmocka_unit_test(test_macos_major),
		cmocka_unit_test(test_decide_every_combination),
		cmocka_unit_test(test_decide_reasons),
		cmocka_unit_test(test_refuses_dynamic_on_current_macos),
		cmocka_unit_test(test_allows_static_program),
		cmocka_unit_test(test_allows_old_release_and_sip_off),
		cmocka_unit_test(test_unknown_is_strict),
		cmocka_unit_test(test_script_follows_interpreter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
