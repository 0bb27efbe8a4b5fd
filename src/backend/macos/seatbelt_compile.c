/*
 * The profile is compiled in the parent and applied in the child, as
 * Chromium does (chromium/chromium sandbox/mac/seatbelt.cc: Seatbelt::
 * Compile over sandbox_create_params, sandbox_set_param,
 * sandbox_compile_string; ApplyCompiledProfile over sandbox_apply). A
 * profile libsandbox rejects is reported before any process exists, its
 * imports are read from the real root, and no SBPL interpreter runs after
 * fork or chroot: the child makes one system call. Where libsandbox lacks
 * that private API the child falls back to sandbox_init_with_parameters
 * (MACOS.md §1.4: the call Chromium, Firefox and Nix use).
 */
#include "backend/macos/seatbelt.h"

#include <errno.h>
#include <string.h>

/* Apple's message, freed with sandbox_free_error as Chromium does. */
static int
apple_error(const struct darwin_sys *sys, const char *what, char *errorbuf,
	    struct sbox_err *err)
{
	err_set(err, SBOX_E_INTERNAL, "%s: %s", what,
		errorbuf ? errorbuf : "(no message)");
	if (errorbuf)
		sys->sandbox_free_error(sys->ctx, errorbuf);
	return -1;
}

int
seatbelt_profile_compile(const struct darwin_sys *sys,
			 const struct seatbelt_plan *plan,
			 struct seatbelt_compiled *out, struct sbox_err *err)
{
	void *c = sys->ctx, *params;
	char *errorbuf = NULL;

	out->profile = NULL;
	if (!sys->compile_api(c))
		return 0;
	params = sys->sandbox_create_params(c);
	if (!params)
		return err_set(err, SBOX_E_INTERNAL,
			       "sandbox_create_params failed");
	/* libsandbox keeps the pointers (no copy): plan outlives params. */
	for (size_t i = 0; i + 1 < plan->nparams; i += 2) {
		if (sys->sandbox_set_param(c, params, plan->params[i],
					   plan->params[i + 1]) != 0) {
			sys->sandbox_free_params(c, params);
			return err_set(err, SBOX_E_INTERNAL,
				       "sandbox_set_param(%s) failed (a "
				       "duplicate key?)", plan->params[i]);
		}
	}
	out->profile = sys->sandbox_compile_string(c, plan->profile, params,
						   &errorbuf);
	sys->sandbox_free_params(c, params);
	if (!out->profile)
		return apple_error(sys, "the profile does not compile "
				   "(sandbox_compile_string)", errorbuf, err);
	if (errorbuf)
		sys->sandbox_free_error(c, errorbuf);
	return 0;
}

/*
 * In the child. flags 0 means "profile is SBPL source" and params is the
 * flat NULL-terminated KEY, VALUE array (MACOS.md §1.4, §1.5).
 */
int
seatbelt_profile_apply(const struct darwin_sys *sys,
		       const struct seatbelt_plan *plan,
		       const struct seatbelt_compiled *comp,
		       struct sbox_err *err)
{
	char *errorbuf = NULL;

	if (comp->profile) {
		if (sys->sandbox_apply(sys->ctx, comp->profile) != 0)
			return err_sys(err, "sandbox_apply failed");
		return 0;
	}
	if (sys->sandbox_init_with_parameters(sys->ctx, plan->profile, 0,
					      (const char *const *)plan->params,
					      &errorbuf) != 0)
		return apple_error(sys, "sandbox_init_with_parameters failed",
				   errorbuf, err);
	if (errorbuf)
		sys->sandbox_free_error(sys->ctx, errorbuf);
	return 0;
}

void
seatbelt_profile_free(const struct darwin_sys *sys,
		      struct seatbelt_compiled *comp)
{
	if (comp->profile)
		sys->sandbox_free_profile(sys->ctx, comp->profile);
	comp->profile = NULL;
}
