package wizard_test

// Benchmarks of the wizard without a UI: password hashing, the sign-in
// check, and each transition of the flow with the real authenticator app
// setup on a real local store (in-memory keyring). Run them with
// bench/run.sh, or:
//
//	go test -run '^$' -bench . -benchmem ./wizard/
//
// BenchmarkSignInCheck uses the populated data directories that
// bench/run.sh makes when SECURITYINFO_BENCH_DIRS names them
// ("0=DIR,10000=DIR,100000=DIR"); without it, it makes a small one.

import (
	crand "crypto/rand"
	"fmt"
	"io"
	mrand "math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	emailmethod "github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/secret"
)

var benchT0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

const (
	benchAccount  = "bench@contoso.example"
	benchPassword = "bench-password-1"
)

// BenchmarkHashSecret is argon2id at the app's parameters: slow on
// purpose, and always run off the UI thread.
func BenchmarkHashSecret(b *testing.B) {
	for b.Loop() {
		if _, err := secret.Hash(benchPassword, crand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckSecret is one password check, the bulk of a sign-in.
func BenchmarkCheckSecret(b *testing.B) {
	h, err := secret.Hash(benchPassword, crand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := secret.Check(h, benchPassword); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// benchDirs are the populated data directories by account count, from
// SECURITYINFO_BENCH_DIRS.
func benchDirs() map[int]string {
	out := map[int]string{}
	for _, kv := range strings.Split(os.Getenv("SECURITYINFO_BENCH_DIRS"), ",") {
		k, v, ok := strings.Cut(kv, "=")
		if n, err := strconv.Atoi(k); ok && err == nil {
			out[n] = v
		}
	}
	return out
}

// benchCopyStore copies a populated data file into a fresh directory, so
// that writes (a sign-in records its outcome) leave the cache alone.
func benchCopyStore(tb testing.TB, from string) string {
	to := tb.TempDir()
	in, err := os.Open(filepath.Join(from, storage.DataFileName))
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(filepath.Join(to, storage.DataFileName), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	return to
}

// BenchmarkSignInCheck is SignIn.Check (the account looked up, the
// password checked, the outcome recorded) on directories of 0 to 100,000
// accounts, with argon2 made cheap (m=8 KiB, t=1) so that the rest shows.
// It runs off the UI thread in the app.
func BenchmarkSignInCheck(b *testing.B) {
	dirs := benchDirs()
	if len(dirs) == 0 {
		dirs = map[int]string{0: ""}
	}
	var sizes []int
	for n := range dirs {
		sizes = append(sizes, n)
	}
	sort.Ints(sizes)
	for _, n := range sizes {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			path := b.TempDir()
			if dirs[n] != "" {
				path = benchCopyStore(b, dirs[n])
			}
			dir, err := storage.OpenLocal(path, storage.NewMemoryKeyring())
			if err != nil {
				b.Fatal(err)
			}
			defer dir.Close()
			if err := dir.CreateAccount(info.Account{Name: benchAccount, PasswordHash: testkit.CheapHash(b, benchPassword), Created: benchT0}); err != nil {
				b.Fatal(err)
			}
			s := &wizard.SignIn{Dir: dir, Now: func() time.Time { return benchT0 }}
			for b.Loop() {
				if _, err := s.Check(benchAccount, benchPassword); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchFlow is a flow on the embedded default policy (or another) with the
// authenticator app setup, as main wires it, signed in.
type benchFlow struct {
	tb   testing.TB
	f    *wizard.Flow
	dir  info.Store
	acct info.Account
}

func newBenchFlow(tb testing.TB, policy string) *benchFlow {
	name, text := assets.DefaultPolicyName, assets.DefaultPolicy
	if policy != "" {
		name, text = "bench.toml", []byte(policy)
	}
	pol, err := wizard.ParsePolicy(name, text)
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := storage.OpenLocal(tb.TempDir(), storage.NewMemoryKeyring())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { dir.Close() })
	if err := dir.CreateAccount(info.Account{Name: benchAccount, PasswordHash: testkit.CheapHash(tb, benchPassword), Created: benchT0}); err != nil {
		tb.Fatal(err)
	}
	bf := &benchFlow{tb: tb, dir: dir}
	if bf.acct, err = dir.Account(benchAccount); err != nil {
		tb.Fatal(err)
	}
	bf.f = wizard.New(wizard.Config{
		Policy: pol, Dir: dir, Now: func() time.Time { return benchT0 }, Rand: mrand.New(mrand.NewSource(2)),
		// Email: the chooser offers only methods with a set-up (#16), and
		// an email set-up needs a sender.
		Setups: map[info.Kind]wizard.SetupFactory{info.KindAuthenticatorApp: authapp.NewSetup, info.KindEmail: emailmethod.Factory(emailmethod.Config{})},
		Send:   &testkit.Phone{},
	})
	return bf
}

func (bf *benchFlow) must(err error) {
	bf.tb.Helper()
	if err != nil {
		bf.tb.Fatal(err)
	}
}

func (bf *benchFlow) toMoreInfo() {
	bf.f.Cancel()
	bf.must(bf.f.Begin(bf.acct))
}

func (bf *benchFlow) toScreen(screen string) *authapp.Setup {
	bf.toMoreInfo()
	bf.must(bf.f.Next())
	a := bf.f.Setup().(*authapp.Setup)
	for a.Screen() != screen {
		bf.must(a.Next())
	}
	return a
}

func (bf *benchFlow) toDone() {
	bf.f.Cancel()
	if _, err := bf.dir.RemoveAllMethods(benchAccount); err != nil {
		bf.tb.Fatal(err)
	}
	a := bf.toScreen(authapp.ScreenTry)
	_, _, secret, err := authapp.ParseURI(a.URI())
	bf.must(err)
	bf.must(a.Submit(authapp.Code(secret, benchT0)))
}

const benchOneMethodPolicy = `organisation = "Contoso"
required = ["authenticator-app"]
allowed = ["authenticator-app", "email"]
`

// BenchmarkFlow measures each transition of the flow alone: from the state
// reset reaches (timer stopped) through op, which must lead to page want.
// In the app these run on the UI thread, except Submit (the code checked
// and the method saved), which runs in the background.
func BenchmarkFlow(b *testing.B) {
	ts := []struct {
		name, policy string
		want         wizard.Page
		reset        func(bf *benchFlow) func() error
	}{
		{"begin", "", wizard.PageMoreInfo, func(bf *benchFlow) func() error {
			bf.f.Cancel()
			return func() error { return bf.f.Begin(bf.acct) }
		}},
		{"moreinfo-app", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			bf.toMoreInfo()
			return bf.f.Next
		}},
		{"app-moreinfo", "", wizard.PageMoreInfo, func(bf *benchFlow) func() error {
			bf.toScreen(authapp.ScreenGetApp)
			return bf.f.Back
		}},
		{"getapp-setup", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			return bf.toScreen(authapp.ScreenGetApp).Next
		}},
		{"setup-scan", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			return bf.toScreen(authapp.ScreenSetUpAccount).Next
		}},
		{"scan-try", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			return bf.toScreen(authapp.ScreenScan).Next
		}},
		{"try-done-submit", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			bf.f.Cancel()
			if _, err := bf.dir.RemoveAllMethods(benchAccount); err != nil {
				b.Fatal(err)
			}
			a := bf.toScreen(authapp.ScreenTry)
			_, _, secret, err := authapp.ParseURI(a.URI())
			bf.must(err)
			code := authapp.Code(secret, benchT0)
			return func() error { return a.Submit(code) }
		}},
		{"done-nextmethod", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			bf.toDone()
			return bf.f.Next
		}},
		{"done-success", benchOneMethodPolicy, wizard.PageSuccess, func(bf *benchFlow) func() error {
			bf.toDone()
			return bf.f.Next
		}},
		{"app-chooser", "", wizard.PageChooser, func(bf *benchFlow) func() error {
			bf.toScreen(authapp.ScreenGetApp)
			return func() error {
				if _, err := bf.f.Choices(); err != nil {
					return err
				}
				return bf.f.OpenChooser()
			}
		}},
		{"chooser-email", "", wizard.PageMethod, func(bf *benchFlow) func() error {
			bf.toScreen(authapp.ScreenGetApp)
			bf.must(bf.f.OpenChooser())
			return func() error { return bf.f.Choose(info.KindEmail) }
		}},
		{"app-cancel", "", wizard.PageSignIn, func(bf *benchFlow) func() error {
			bf.toScreen(authapp.ScreenScan)
			return func() error { bf.f.Cancel(); return nil }
		}},
	}
	for _, t := range ts {
		b.Run(t.name, func(b *testing.B) {
			bf := newBenchFlow(b, t.policy)
			bf.must(t.reset(bf)())
			if bf.f.Page() != t.want {
				b.Fatalf("on %s, want %s", bf.f.Page(), t.want)
			}
			benchStep(b, func() func() {
				op := t.reset(bf)
				return func() {
					if err := op(); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// benchStep measures op alone, from the state reset reaches each time.
// The framework's timer runs throughout, so that b.N stays sensible when
// the reset costs far more than op; ns/op, B/op and allocs/op are then
// replaced with op's own.
func benchStep(b *testing.B, reset func() func()) {
	var m0, m1 runtime.MemStats
	var took time.Duration
	var bytes, allocs uint64
	for i := 0; i < b.N; i++ {
		op := reset()
		runtime.ReadMemStats(&m0)
		t := time.Now()
		op()
		took += time.Since(t)
		runtime.ReadMemStats(&m1)
		bytes += m1.TotalAlloc - m0.TotalAlloc
		allocs += m1.Mallocs - m0.Mallocs
	}
	b.ReportMetric(float64(took.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(bytes)/float64(b.N), "B/op")
	b.ReportMetric(float64(allocs)/float64(b.N), "allocs/op")
}
