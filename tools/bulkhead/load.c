// SPDX-License-Identifier: GPL-2.0
/*
 * bulkhead CLI: "load" and "unload" - insert the module (libkmod), then load, attach and pin
 * the BPF-LSM programs (libbpf skeleton); and the reverse.
 *
 * Each program is named after its LSM hook; its link is pinned at BULKHEAD_BPFFS_DIR/links/HOOK
 * (where the module looks to report the hook attached) and the program at .../progs/HOOK.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <bpf/libbpf.h>
#include <libkmod.h>

#include "bulkhead.skel.h"
#include "bpf_hooks.h"
#include "cli.h"
#include "names.h"
#include "number.h"
#include "policy.h"
#include "policy_nl.h"
#include "status.h"

#define MODULE_NAME	"bulkhead"
#define LSM_LIST	"/sys/kernel/security/lsm"
#define BPFFS_ROOT	"/sys/fs/bpf"
#define LINKS_DIR	BULKHEAD_BPFFS_DIR "/links"
#define PROGS_DIR	BULKHEAD_BPFFS_DIR "/progs"

static int check_root(const char *cmd)
{
	if (geteuid() == 0)
		return 0;
	cli_error("%s: must be run as root (needs CAP_SYS_ADMIN to insert the module and attach BPF programs)",
		  cmd);
	return -1;
}

static int check_bpf_lsm(void)
{
	char list[512] = "";
	ssize_t n;
	int fd;

	fd = open(LSM_LIST, O_RDONLY);
	if (fd < 0) {
		cli_error("load: cannot read %s: %s (is securityfs mounted?)", LSM_LIST,
			  strerror(errno));
		return -1;
	}
	n = read(fd, list, sizeof(list) - 1);
	close(fd);
	if (n > 0 && bh_lsm_list_has(list, "bpf"))
		return 0;
	list[strcspn(list, "\n")] = '\0';
	cli_error("load: the BPF LSM is not active (active LSMs: %s); boot with lsm=%s%sbpf on the kernel command line",
		  list, list, list[0] ? "," : "");
	return -1;
}

static void kmod_quiet(void *data, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
	/* Every libkmod failure is reported by the caller, with what it means for bulkhead. */
}

static struct kmod_ctx *open_kmod(const char *cmd)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (!ctx)
		cli_error("%s: cannot initialise libkmod", cmd);
	else
		kmod_set_log_fn(ctx, kmod_quiet, NULL);
	return ctx;
}

/* Whether a module called bulkhead is live; *mod is set for the caller to unref. */
static bool module_live(struct kmod_ctx *ctx, struct kmod_module **mod)
{
	if (kmod_module_new_from_name(ctx, MODULE_NAME, mod))
		return false;
	return kmod_module_get_initstate(*mod) == KMOD_MODULE_LIVE;
}

/*
 * Load the kernel modules @mod depends on (its "depends" modinfo), by name from the running
 * kernel's tree: inserting a module by path does not resolve them.
 */
static int insert_dependencies(struct kmod_ctx *ctx, struct kmod_module *mod)
{
	struct kmod_list *info = NULL, *l;
	int err = 0;

	if (kmod_module_get_info(mod, &info) < 0)
		return 0;
	kmod_list_foreach(l, info) {
		char *names, *name, *save = NULL;

		if (strcmp(kmod_module_info_get_key(l), "depends"))
			continue;
		names = strdup(kmod_module_info_get_value(l));
		for (name = strtok_r(names, ",", &save); name && !err;
		     name = strtok_r(NULL, ",", &save)) {
			struct kmod_module *dep;

			err = kmod_module_new_from_name(ctx, name, &dep);
			if (!err) {
				err = kmod_module_probe_insert_module(dep, 0, NULL, NULL, NULL, NULL);
				if (err)
					cli_error("load: cannot load %s, which bulkhead needs: %s",
						  name, strerror(-err));
				kmod_module_unref(dep);
			}
		}
		free(names);
	}
	kmod_module_info_free_list(info);
	return err;
}

/*
 * The kernel log's last "bulkhead: self-test failed: ..." line, from its end on: which tests
 * failed, for the load's error. Best effort: the errno already says that one did (reading
 * /dev/kmsg needs CAP_SYSLOG, which root has, and the line may have rotated out).
 */
static void selftest_log_line(char *out, size_t size)
{
	static const char marker[] = "bulkhead: self-test failed: ";
	char rec[8192], *text;
	ssize_t n;
	int fd;

	out[0] = '\0';
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return;
	/* One record a read, oldest first; EPIPE when overwritten under us, EAGAIN at the end. */
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (text && !strncmp(text + 1, marker, strlen(marker)))
			snprintf(out, size, "%.*s", (int)strcspn(text + 1 + strlen(marker), "\n"),
				 text + 1 + strlen(marker));
	}
	close(fd);
}

/* Why inserting failed, with what it means for bulkhead. */
static void insert_error(const char *what, int err)
{
	char failed[128];

	if (err == -ENOTRECOVERABLE) {
		selftest_log_line(failed, sizeof(failed));
		cli_error("load: the module's self-test failed%s%s%s; it refused to load and nothing was loaded (see the kernel log)",
			  failed[0] ? " (" : "", failed, failed[0] ? ")" : "");
		return;
	}
	cli_error("load: cannot insert %s: %s%s", what, strerror(-err),
		  err == -ENOEXEC || err == -EINVAL ? " (built for another kernel? see dmesg)" : "");
}

/*
 * Insert the module from @path, or from the installed modules when @path is NULL, with the
 * module parameters @options ("audit_slots=64"), or none.
 */
static int insert_module(struct kmod_ctx *ctx, const char *path, const char *options)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod = NULL;
	struct utsname uts;
	int err;

	uname(&uts);
	if (path) {
		if (access(path, R_OK)) {
			cli_error("load: --module %s: %s", path, strerror(errno));
			return -1;
		}
		err = kmod_module_new_from_path(ctx, path, &mod);
	} else {
		err = kmod_module_new_from_lookup(ctx, MODULE_NAME, &list);
		if (!err && list)
			mod = kmod_module_get_module(list);
		kmod_module_unref_list(list);
		if (!err && (!mod || !kmod_module_get_path(mod))) {
			cli_error("load: module %s not found for kernel %s (install it under /lib/modules/%s or pass --module PATH)",
				  MODULE_NAME, uts.release, uts.release);
			kmod_module_unref(mod);
			return -1;
		}
	}
	if (!err)
		err = insert_dependencies(ctx, mod);
	if (!err)
		err = kmod_module_insert_module(mod, 0, options);
	if (err)
		insert_error(path ? path : MODULE_NAME, err);
	kmod_module_unref(mod);
	return err ? -1 : 0;
}

static int remove_module(struct kmod_ctx *ctx)
{
	struct kmod_module *mod;
	int err, tries;

	if (kmod_module_new_from_name(ctx, MODULE_NAME, &mod))
		return -1;
	/*
	 * Detached BPF programs keep a reference on the module (its kfuncs) until they are
	 * freed after an RCU grace period, so EBUSY/EAGAIN right after unpinning is expected.
	 * Under emulation, with every program going at once, that has taken more than 10 s.
	 */
	for (tries = 0; tries < 1200; tries++) {
		err = kmod_module_remove_module(mod, 0);
		if (err != -EBUSY && err != -EAGAIN)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
	}
	kmod_module_unref(mod);
	if (err && err != -ENOENT) {
		cli_error("unload: cannot remove module %s: %s", MODULE_NAME, strerror(-err));
		return -1;
	}
	return 0;
}

static int ensure_bpffs(void)
{
	struct statfs fs;

	if (!statfs(BPFFS_ROOT, &fs) && fs.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", BPFFS_ROOT, "bpf", 0, "mode=0700")) {
		cli_error("load: %s is not a bpf filesystem and mounting one failed: %s", BPFFS_ROOT,
			  strerror(errno));
		return -1;
	}
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0700) && errno != EEXIST) {
		cli_error("load: cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's warnings (verifier log included) explain a failed load; keep those. */
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static bool link_pinned(const struct bpf_program *prog)
{
	char pin[PATH_MAX];

	snprintf(pin, sizeof(pin), "%s/%s", LINKS_DIR, bpf_program__name(prog));
	return !access(pin, F_OK);
}

static int attach_and_pin(struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);
	struct bpf_link *link;
	char pin[PATH_MAX];

	link = bpf_program__attach(prog);
	if (!link) {
		cli_error("load: cannot attach BPF program %s: %s", name, strerror(errno));
		return -1;
	}
	snprintf(pin, sizeof(pin), "%s/%s", LINKS_DIR, name);
	if (bpf_link__pin(link, pin)) {
		cli_error("load: cannot pin %s: %s", pin, strerror(errno));
		bpf_link__destroy(link);
		return -1;
	}
	bpf_link__destroy(link);	/* the pin keeps it attached */
	snprintf(pin, sizeof(pin), "%s/%s", PROGS_DIR, name);
	if (access(pin, F_OK) && bpf_program__pin(prog, pin)) {
		cli_error("load: cannot pin %s: %s", pin, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Whether the module sees every hook this kernel has in place already (a load after a load):
 * then nothing needs opening. Telling which programs' hooks this kernel lacks means parsing the
 * kernel's whole BTF, the slowest part of a load that has nothing to do.
 */
static bool all_attached(void)
{
	struct bh_status st;
	unsigned int i;

	if (cli_status(&st, "load: status"))
		return false;
	for (i = 0; i < st.n_hooks; i++)
		if (!st.hooks[i].attached)
			return false;
	return st.n_hooks > 0;
}

/*
 * Load, attach and pin every program whose link is not pinned yet. Opening the skeleton is
 * cheap; loading runs the verifier on every program, so it happens only when one is missing.
 */
static int attach_programs(void)
{
	struct bulkhead_bpf *skel;
	struct bpf_program *prog;
	bool missing = false;
	int ret = -1;

	if (ensure_bpffs() || make_dir(BULKHEAD_BPFFS_DIR) || make_dir(LINKS_DIR) ||
	    make_dir(PROGS_DIR))
		return -1;
	if (all_attached())
		return 0;
	libbpf_set_print(libbpf_quiet);
	skel = bulkhead_bpf__open();
	if (!skel) {
		cli_error("load: cannot open the BPF programs: %s", strerror(errno));
		return -1;
	}
	/* Not loaded, not listed by the module either: docs/hooks.table "attached-6.2". */
	bh_skip_absent_hooks(skel->obj);
	bpf_object__for_each_program(prog, skel->obj)
		missing |= bpf_program__autoload(prog) && !link_pinned(prog);
	if (!missing) {
		ret = 0;
		goto out;
	}
	if (bulkhead_bpf__load(skel)) {
		cli_error("load: cannot load the BPF programs: %s", strerror(errno));
		goto out;
	}
	bpf_object__for_each_program(prog, skel->obj)
		if (bpf_program__autoload(prog) && !link_pinned(prog) && attach_and_pin(prog))
			goto out;
	ret = 0;
out:
	bulkhead_bpf__destroy(skel);
	return ret;
}

/* Remove every pin under @dir and the directory itself; a missing @dir is fine. */
static int unpin_dir(const char *dir)
{
	char pin[PATH_MAX];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(pin, sizeof(pin), "%s/%s", dir, de->d_name);
		if (unlink(pin)) {
			cli_error("unload: cannot remove %s: %s", pin, strerror(errno));
			ret = -1;
		}
	}
	closedir(d);
	if (!ret && rmdir(dir)) {
		cli_error("unload: cannot remove %s: %s", dir, strerror(errno));
		ret = -1;
	}
	return ret;
}

static int report_loaded(void)
{
	struct bh_status st;
	unsigned int i, attached = 0;

	if (cli_status(&st, "load: status"))
		return EXIT_FAIL;
	for (i = 0; i < st.n_hooks; i++)
		attached += st.hooks[i].attached;
	if (!cli_quiet)
		printf("bulkhead %s loaded: %u/%u hooks attached, mode %s\n", st.version, attached,
		       st.n_hooks, bh_mode_name(st.mode));
	return attached == st.n_hooks ? EXIT_OK : EXIT_FAIL;
}

int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, NULL, 'm' },
		{ "audit-slots", required_argument, NULL, 's' },
		{ "selftest-fail", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct kmod_module *mod = NULL;
	const char *path = NULL;
	char options[128] = "";
	uint64_t slots;
	size_t len;
	struct kmod_ctx *ctx;
	bool inserted = false;
	struct bh_genl g;
	int c, ret = EXIT_FAIL;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:m:", opts, NULL)) != -1) {
		if (c == ':')
			return cli_usage("load", "option '%s' needs an argument", argv[optind - 1]);
		len = strlen(options);
		if (c == 's') {
			if (bh_parse_uint(optarg, 16, 65536, &slots))
				return cli_usage("load", "--audit-slots takes 16..65536, not '%s'",
						 optarg);
			snprintf(options + len, sizeof(options) - len, "%saudit_slots=%llu",
				 len ? " " : "", (unsigned long long)slots);
			continue;
		}
		/* For tests only: the module checks the names (module parameter selftest_fail). */
		if (c == 'F') {
			if (strlen(optarg) > 32 || strpbrk(optarg, " \t\"="))
				return cli_usage("load", "--selftest-fail takes sha256, hmac, decide (comma-separated), not '%s'",
						 optarg);
			snprintf(options + len, sizeof(options) - len, "%sselftest_fail=%s",
				 len ? " " : "", optarg);
			continue;
		}
		if (c != 'm')
			return cli_usage("load", "unknown option '%s'", argv[optind - 1]);
		path = optarg;
	}
	if (optind < argc)
		return cli_usage("load", "unexpected argument '%s'", argv[optind]);
	if (check_root("load") || check_bpf_lsm())
		return EXIT_FAIL;
	ctx = open_kmod("load");
	if (!ctx)
		return EXIT_FAIL;
	if (!module_live(ctx, &mod)) {
		if (insert_module(ctx, path, options))
			goto out;
		inserted = true;
	}
	if (cli_connect(&g))
		goto rollback;
	bh_genl_close(&g);
	if (attach_programs())
		goto rollback;
	ret = report_loaded();
	goto out;
rollback:
	/* A failed load changes nothing: take back what this call put in place. */
	if (inserted) {
		unpin_dir(LINKS_DIR);
		unpin_dir(PROGS_DIR);
		rmdir(BULKHEAD_BPFFS_DIR);
		remove_module(ctx);
	}
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}

/* Exclusive groups end with the module: their members' tasks run again. */
static int thaw_groups(void)
{
	struct bh_policy p, none;
	int ret;

	if (cli_read_policy(&p))
		return -1;
	bh_policy_init(&none);
	ret = cli_freeze_sync(&p, &none);
	bh_policy_free(&p);
	return ret;
}

/* A locked bulkhead stays until reboot: say so before touching anything. */
static int refuse_if_locked(void)
{
	struct bh_status st;

	if (cli_status(&st, "unload: status"))
		return -1;
	if (st.locked) {
		cli_error("unload: bulkhead is locked until reboot");
		return -1;
	}
	return 0;
}

int cmd_unload(int argc, char **argv)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret = EXIT_FAIL;
	bool live;

	if (argc > 1)
		return cli_usage("unload", "unexpected argument '%s'", argv[1]);
	if (check_root("unload"))
		return EXIT_FAIL;
	ctx = open_kmod("unload");
	if (!ctx)
		return EXIT_FAIL;
	live = module_live(ctx, &mod);
	if (live && (refuse_if_locked() || thaw_groups()))
		goto out;
	if (unpin_dir(LINKS_DIR) || unpin_dir(PROGS_DIR))
		goto out;
	if (rmdir(BULKHEAD_BPFFS_DIR) && errno != ENOENT) {
		cli_error("unload: cannot remove %s: %s", BULKHEAD_BPFFS_DIR, strerror(errno));
		goto out;
	}
	if (!live) {
		if (!cli_quiet)
			printf("bulkhead is not loaded\n");
		ret = EXIT_OK;
		goto out;
	}
	if (!remove_module(ctx)) {
		if (!cli_quiet)
			printf("bulkhead unloaded\n");
		ret = EXIT_OK;
	}
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}
