//go:build cgo && !nofido2

// libfido2, loaded on first use. The app is not linked against libfido2:
// linking it made every start map libfido2 and what it pulls in
// (libcrypto, libcbor, libudev, libz: about 1.5 MB resident and the
// loader's relocations), although security keys are used on one page.
// Instead this file defines each fido_* function the package calls as a
// trampoline to a pointer that fido2_lazy_load fills with dlsym from
// dlopen("libfido2.so.1"). The Go code calls fido_* as before; load()
// (load.go) runs fido2_lazy_load once before any of them.
//
// The functions are listed once, in FIDO2_FUNCS (an X-macro), rather than
// written out as ~60 trampolines by hand: each list entry expands to the
// pointer, the trampoline and the dlsym line, so the three can't drift
// apart. <fido.h> stays included for the types and the prototypes, so
// the compiler checks every trampoline's signature against libfido2's
// own declaration (a mismatch is a "conflicting types" error), and the
// pointers are typed with __typeof__ of the real function. A function the
// Go code starts calling that is not in the list is an undefined symbol
// at link time, never a silent NULL call.
//
// The trampolines are hidden, so they never enter the executable's
// dynamic symbol table, whatever the link flags (-rdynamic, a
// -linkshared or c-shared build): an exported fido_dev_open there would
// come first in the global symbol scope, and libfido2's calls to its own
// public functions would reach the trampolines instead of itself.

#include <dlfcn.h>
#include <stdio.h>
#include <fido.h>

// FIDO2_FUNCS(F, V) lists the libfido2 functions the package calls:
// F(return type, name, parameters, arguments) for functions returning a
// value, V(name, parameters, arguments) for void ones.
#define FIDO2_FUNCS(F, V) \
	F(int, fido_assert_allow_cred, (fido_assert_t *a, const unsigned char *p, size_t n), (a, p, n)) \
	F(size_t, fido_assert_authdata_len, (const fido_assert_t *a, size_t i), (a, i)) \
	F(const unsigned char *, fido_assert_authdata_ptr, (const fido_assert_t *a, size_t i), (a, i)) \
	F(size_t, fido_assert_count, (const fido_assert_t *a), (a)) \
	V(fido_assert_free, (fido_assert_t **a), (a)) \
	F(size_t, fido_assert_id_len, (const fido_assert_t *a, size_t i), (a, i)) \
	F(const unsigned char *, fido_assert_id_ptr, (const fido_assert_t *a, size_t i), (a, i)) \
	F(fido_assert_t *, fido_assert_new, (void), ()) \
	F(int, fido_assert_set_clientdata_hash, (fido_assert_t *a, const unsigned char *p, size_t n), (a, p, n)) \
	F(int, fido_assert_set_rp, (fido_assert_t *a, const char *id), (a, id)) \
	F(int, fido_assert_set_up, (fido_assert_t *a, fido_opt_t up), (a, up)) \
	F(size_t, fido_assert_sig_len, (const fido_assert_t *a, size_t i), (a, i)) \
	F(const unsigned char *, fido_assert_sig_ptr, (const fido_assert_t *a, size_t i), (a, i)) \
	F(size_t, fido_cbor_info_aaguid_len, (const fido_cbor_info_t *ci), (ci)) \
	F(const unsigned char *, fido_cbor_info_aaguid_ptr, (const fido_cbor_info_t *ci), (ci)) \
	F(int, fido_cbor_info_algorithm_cose, (const fido_cbor_info_t *ci, size_t i), (ci, i)) \
	F(size_t, fido_cbor_info_algorithm_count, (const fido_cbor_info_t *ci), (ci)) \
	V(fido_cbor_info_free, (fido_cbor_info_t **ci), (ci)) \
	F(fido_cbor_info_t *, fido_cbor_info_new, (void), ()) \
	F(size_t, fido_cbor_info_options_len, (const fido_cbor_info_t *ci), (ci)) \
	F(char **, fido_cbor_info_options_name_ptr, (const fido_cbor_info_t *ci), (ci)) \
	F(const bool *, fido_cbor_info_options_value_ptr, (const fido_cbor_info_t *ci), (ci)) \
	F(size_t, fido_cbor_info_versions_len, (const fido_cbor_info_t *ci), (ci)) \
	F(char **, fido_cbor_info_versions_ptr, (const fido_cbor_info_t *ci), (ci)) \
	F(size_t, fido_cred_attstmt_len, (const fido_cred_t *c), (c)) \
	F(const unsigned char *, fido_cred_attstmt_ptr, (const fido_cred_t *c), (c)) \
	F(size_t, fido_cred_authdata_raw_len, (const fido_cred_t *c), (c)) \
	F(const unsigned char *, fido_cred_authdata_raw_ptr, (const fido_cred_t *c), (c)) \
	F(int, fido_cred_exclude, (fido_cred_t *c, const unsigned char *p, size_t n), (c, p, n)) \
	F(const char *, fido_cred_fmt, (const fido_cred_t *c), (c)) \
	V(fido_cred_free, (fido_cred_t **c), (c)) \
	F(fido_cred_t *, fido_cred_new, (void), ()) \
	F(int, fido_cred_set_attstmt, (fido_cred_t *c, const unsigned char *p, size_t n), (c, p, n)) \
	F(int, fido_cred_set_authdata_raw, (fido_cred_t *c, const unsigned char *p, size_t n), (c, p, n)) \
	F(int, fido_cred_set_clientdata_hash, (fido_cred_t *c, const unsigned char *p, size_t n), (c, p, n)) \
	F(int, fido_cred_set_fmt, (fido_cred_t *c, const char *f), (c, f)) \
	F(int, fido_cred_set_rk, (fido_cred_t *c, fido_opt_t rk), (c, rk)) \
	F(int, fido_cred_set_rp, (fido_cred_t *c, const char *id, const char *name), (c, id, name)) \
	F(int, fido_cred_set_type, (fido_cred_t *c, int alg), (c, alg)) \
	F(int, fido_cred_set_user, (fido_cred_t *c, const unsigned char *id, size_t n, const char *name, const char *display, const char *icon), (c, id, n, name, display, icon)) \
	F(int, fido_cred_verify, (const fido_cred_t *c), (c)) \
	F(int, fido_cred_verify_self, (const fido_cred_t *c), (c)) \
	F(size_t, fido_cred_x5c_len, (const fido_cred_t *c), (c)) \
	F(int, fido_dev_cancel, (fido_dev_t *d), (d)) \
	F(int, fido_dev_close, (fido_dev_t *d), (d)) \
	V(fido_dev_free, (fido_dev_t **d), (d)) \
	F(int, fido_dev_get_assert, (fido_dev_t *d, fido_assert_t *a, const char *pin), (d, a, pin)) \
	F(int, fido_dev_get_cbor_info, (fido_dev_t *d, fido_cbor_info_t *ci), (d, ci)) \
	F(int, fido_dev_get_retry_count, (fido_dev_t *d, int *n), (d, n)) \
	V(fido_dev_info_free, (fido_dev_info_t **l, size_t n), (l, n)) \
	F(int, fido_dev_info_manifest, (fido_dev_info_t *l, size_t max, size_t *n), (l, max, n)) \
	F(const char *, fido_dev_info_manufacturer_string, (const fido_dev_info_t *di), (di)) \
	F(fido_dev_info_t *, fido_dev_info_new, (size_t n), (n)) \
	F(const char *, fido_dev_info_path, (const fido_dev_info_t *di), (di)) \
	F(const char *, fido_dev_info_product_string, (const fido_dev_info_t *di), (di)) \
	F(const fido_dev_info_t *, fido_dev_info_ptr, (const fido_dev_info_t *l, size_t i), (l, i)) \
	F(bool, fido_dev_is_fido2, (const fido_dev_t *d), (d)) \
	F(int, fido_dev_make_cred, (fido_dev_t *d, fido_cred_t *c, const char *pin), (d, c, pin)) \
	F(fido_dev_t *, fido_dev_new, (void), ()) \
	F(int, fido_dev_open, (fido_dev_t *d, const char *path), (d, path)) \
	F(int, fido_dev_set_io_functions, (fido_dev_t *d, const fido_dev_io_t *io), (d, io)) \
	F(int, fido_dev_set_timeout, (fido_dev_t *d, int ms), (d, ms)) \
	V(fido_init, (int flags), (flags))

// fido2_fns holds the resolved functions, one member per list entry.
#define FIDO2_MEMBER(ret, name, params, args) __typeof__(name) *name;
#define FIDO2_MEMBER_V(name, params, args) __typeof__(name) *name;
static struct {
	FIDO2_FUNCS(FIDO2_MEMBER, FIDO2_MEMBER_V)
} fido2_fns;

// The trampolines. Only reached after fido2_lazy_load succeeded.
#define FIDO2_TRAMPOLINE(ret, name, params, args) \
	__attribute__((visibility("hidden"))) ret name params { return fido2_fns.name args; }
#define FIDO2_TRAMPOLINE_V(name, params, args) \
	__attribute__((visibility("hidden"))) void name params { fido2_fns.name args; }
FIDO2_FUNCS(FIDO2_TRAMPOLINE, FIDO2_TRAMPOLINE_V)

// dl_error copies the loader's last message to err, or names what
// failed when the loader has none.
static void dl_error(char *err, size_t errlen, const char *what) {
	const char *e = dlerror();
	snprintf(err, errlen, "%s", e != NULL ? e : what);
}

// fido2_lazy_load opens soname, resolves every listed function and runs
// fido_init(0). It returns 0, or -1 with the loader's message in
// err (copied: dlerror's text is only valid on this thread until the
// next dl call, and Go may move on to another thread). Every symbol is
// resolved before any is published, so a failed load leaves an earlier
// successful one intact.
int fido2_lazy_load(const char *soname, char *err, size_t errlen) {
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		dl_error(err, errlen, soname);
		return -1;
	}
	__typeof__(fido2_fns) fns;
#define FIDO2_RESOLVE(ret, name, params, args) \
	if ((fns.name = (__typeof__(fns.name))dlsym(h, #name)) == NULL) { \
		dl_error(err, errlen, #name); \
		dlclose(h); \
		return -1; \
	}
#define FIDO2_RESOLVE_V(name, params, args) FIDO2_RESOLVE(void, name, params, args)
	FIDO2_FUNCS(FIDO2_RESOLVE, FIDO2_RESOLVE_V)
	fido2_fns = fns;
	fido2_fns.fido_init(0);
	return 0;
}
