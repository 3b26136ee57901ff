package storage_test

// Benchmarks of the local directory at scale: opening it, looking up an
// account (the sign-in lookup), listing an account's methods (done on the
// UI thread when a person signs in), and the API's cost per write. Run
// them with bench/run.sh, which populates directories of 0, 10,000 and
// 100,000 accounts (bench/populate) and names them in
// SECURITYINFO_BENCH_DIRS ("0=DIR,10000=DIR,100000=DIR"); without it the
// benchmarks make a directory of 1,000 accounts themselves.

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

var benchT0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// benchName is the i-th populated account, as bench/populate names them;
// with no accounts, the demo account the app creates is looked up.
func benchName(n int) string {
	if n == 0 {
		return "demo@contoso.example"
	}
	return fmt.Sprintf("user%06d@contoso.example", n/2)
}

var (
	benchOnce  sync.Once
	benchSizes []int
	benchPaths map[int]string
)

// benchStores returns the populated directories by size, making a small
// one (through the API, like bench/populate) when none are given.
func benchStores(b *testing.B) ([]int, map[int]string) {
	benchOnce.Do(func() {
		benchPaths = map[int]string{}
		for _, kv := range strings.Split(os.Getenv("SECURITYINFO_BENCH_DIRS"), ",") {
			k, v, ok := strings.Cut(kv, "=")
			if n, err := strconv.Atoi(k); ok && err == nil {
				benchPaths[n] = v
			}
		}
		if len(benchPaths) == 0 {
			for _, n := range []int{0, 1000} {
				path, err := os.MkdirTemp("", "securityinfo-bench-")
				if err != nil {
					b.Fatal(err)
				}
				benchPopulate(b, path, n)
				benchPaths[n] = path
			}
		}
		for n := range benchPaths {
			benchSizes = append(benchSizes, n)
		}
		sort.Ints(benchSizes)
	})
	return benchSizes, benchPaths
}

func benchPopulate(b *testing.B, path string, n int) {
	d, err := storage.OpenLocal(path, storage.NewMemoryKeyring())
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2VjdXJpdHlpbmZvc2FsdA$YuS88U/BJNfc4q61scSpM9Cv/RsgZog0K6xI8tccsQo"
	if err := d.CreateAccount(info.Account{Name: "demo@contoso.example", PasswordHash: hash, Created: benchT0}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("user%06d@contoso.example", i)
		if err := d.CreateAccount(info.Account{Name: name, PasswordHash: hash, Created: benchT0}); err != nil {
			b.Fatal(err)
		}
		for _, m := range []info.Method{
			{ID: "a0", Kind: info.KindAuthenticatorApp, Label: "Authenticator app", Created: benchT0},
			{ID: "p0", Kind: info.KindPhone, Label: "+1 ••• ••• 1234", Created: benchT0},
		} {
			if err := d.AddMethod(name, m, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// forEachStore runs f as a sub-benchmark per directory size.
func forEachStore(b *testing.B, f func(b *testing.B, n int, d info.Store)) {
	sizes, paths := benchStores(b)
	for _, n := range sizes {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			d, err := storage.OpenLocal(paths[n], storage.NewMemoryKeyring())
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			f(b, n, d)
		})
	}
}

// BenchmarkOpenLocal opens the directory, as the app and every admin
// command do at start.
func BenchmarkOpenLocal(b *testing.B) {
	_, paths := benchStores(b)
	forEachStore(b, func(b *testing.B, n int, _ info.Store) {
		for b.Loop() {
			d, err := storage.OpenLocal(paths[n], storage.NewMemoryKeyring())
			if err != nil {
				b.Fatal(err)
			}
			d.Close()
		}
	})
}

// BenchmarkAccountLookup is the sign-in lookup: one account by name.
func BenchmarkAccountLookup(b *testing.B) {
	forEachStore(b, func(b *testing.B, n int, d info.Store) {
		name := benchName(n)
		for b.Loop() {
			if _, err := d.Account(name); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMethods lists one account's methods, as Begin does on the UI
// thread after a sign-in.
func BenchmarkMethods(b *testing.B) {
	forEachStore(b, func(b *testing.B, n int, d info.Store) {
		name := benchName(n)
		for b.Loop() {
			if _, err := d.Methods(name); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCreateAccount is one account added through the API (one
// transaction, synced to disk), what populating a directory costs.
func BenchmarkCreateAccount(b *testing.B) {
	d, err := storage.OpenLocal(b.TempDir(), storage.NewMemoryKeyring())
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	i := 0
	for b.Loop() {
		i++
		if err := d.CreateAccount(info.Account{Name: fmt.Sprintf("user%06d@contoso.example", i), PasswordHash: "x", Created: benchT0}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddMethodWithSecret registers an authenticator app with its
// 20-byte secret (journal, keyring, record), here with an in-memory
// keyring. In the app this runs in the background.
func BenchmarkAddMethodWithSecret(b *testing.B) {
	d, err := storage.OpenLocal(b.TempDir(), storage.NewMemoryKeyring())
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if err := d.CreateAccount(info.Account{Name: "alice@contoso.example", PasswordHash: "x", Created: benchT0}); err != nil {
		b.Fatal(err)
	}
	secret := make([]byte, 20)
	i := 0
	for b.Loop() {
		i++
		m := info.Method{ID: fmt.Sprintf("a%d", i), Kind: info.KindAuthenticatorApp, Label: "Authenticator app", Created: benchT0}
		if err := d.AddMethod("alice@contoso.example", m, secret); err != nil {
			b.Fatal(err)
		}
	}
}
