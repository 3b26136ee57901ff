package directory_test

// Benchmarks of the directory backend against a real slapd holding 10 or
// 100,000 people: helpdesk search, sign-in and registering an
// authenticator app should cost the same at both sizes. make bench runs
// them -count 3 in each order of the sizes (SECURITYINFO_BENCH_PEOPLE,
// "10,100000" by default, then "100000,10") and compares the sizes with
// benchstat:
//
//	go test -run '^$' -bench Directory_ -count 6 ./storage/directory/ > d.txt
//	benchstat -col /people d.txt
//
// The people are written offline with slapadd (one generated LDIF, every
// password the same precomputed {ARGON2} hash) into the database of a
// slapdtest server between Stop and Start, so 100,000 take seconds, not
// the hour binding ldapadd with cleartext passwords would. How long that
// took is printed as a "populated" line, outside the timed part. The
// servers are shared by all the benchmarks and stopped by TestMain.

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// benchSizes are the directories compared, in the order they run:
// SECURITYINFO_BENCH_PEOPLE ("10,100000" if unset).
func benchSizes(b *testing.B) []int {
	var sizes []int
	for _, f := range strings.Split(cmp.Or(os.Getenv("SECURITYINFO_BENCH_PEOPLE"), "10,100000"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("SECURITYINFO_BENCH_PEOPLE: %q is not a number of people", f)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// benchPassword is every generated person's password.
const benchPassword = "bench-password-1"

func TestMain(m *testing.M) {
	code := m.Run()
	shared.stop()
	os.Exit(code)
}

// benchPerson is the uid of the i-th generated person.
func benchPerson(i int) string { return fmt.Sprintf("person-%06d", i) }

// sharedTB lends slapdtest a testing.TB that outlives one benchmark: the
// servers it starts run until TestMain calls stop. Everything but
// Cleanup and TempDir goes to the benchmark using the servers now.
type sharedTB struct {
	testing.TB
	cleanups []func()
}

func (s *sharedTB) Cleanup(f func()) { s.cleanups = append(s.cleanups, f) }

func (s *sharedTB) TempDir() string {
	d, err := os.MkdirTemp("", "securityinfo-dirbench-")
	if err != nil {
		s.Fatal(err)
	}
	s.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func (s *sharedTB) Failed() bool { return s.TB != nil && s.TB.Failed() }

// benchDirs holds one populated server (and a station on it) per size.
type benchDirs struct {
	mu   sync.Mutex
	tb   sharedTB
	dirs map[int]*directory.Directory
}

var shared benchDirs

func (s *benchDirs) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.dirs {
		d.Close()
	}
	for i := len(s.tb.cleanups) - 1; i >= 0; i-- {
		s.tb.cleanups[i]()
	}
}

// get returns a station on a directory of n people, populating it first
// if this is the first benchmark to ask.
func (s *benchDirs) get(b *testing.B, n int) *directory.Directory {
	b.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tb.TB = b
	if d := s.dirs[n]; d != nil {
		return d
	}
	start := time.Now()
	srv := slapdtest.Start(&s.tb, slapdtest.Options{})
	ldif := peopleLDIF(b, n)
	gen := time.Since(start)
	srv.Stop()
	slapadd(b, srv, ldif)
	srv.Start()
	// "populated" lines are not benchmark results; benchstat skips them.
	fmt.Printf("populated people=%d in %.1fs (slapd up and LDIF of %.1f MB made in %.1fs, slapadd and restart %.1fs)\n",
		n, time.Since(start).Seconds(), float64(len(ldif))/1e6, gen.Seconds(), (time.Since(start) - gen).Seconds())
	station, err := storage.OpenLocal(s.tb.TempDir(), storage.NewMemoryKeyring())
	if err != nil {
		b.Fatal(err)
	}
	d, err := directory.Open(configFor(srv), []byte(srv.StationPassword), station)
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	if s.dirs == nil {
		s.dirs = map[int]*directory.Directory{}
	}
	s.dirs[n] = d
	return d
}

// peopleLDIF is n inetOrgPersons under ou=people, each with the same
// argon2id hash of benchPassword (the cost slapd.conf sets for new ones).
func peopleLDIF(b *testing.B, n int) []byte {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(benchPassword), salt, 2, 19456, 1, 32)
	hash := fmt.Sprintf("{ARGON2}$argon2id$v=19$m=19456,t=2,p=1$%s$%s",
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	var buf bytes.Buffer
	buf.Grow(n * 300)
	for i := range n {
		uid := benchPerson(i)
		fmt.Fprintf(&buf, "dn: uid=%s,ou=people,dc=contoso,dc=example\nobjectClass: inetOrgPerson\nuid: %s\ncn: Person %06d\nsn: %06d\nmail: %s@contoso.example\nuserPassword: %s\n\n",
			uid, uid, i, i, uid, hash)
	}
	return buf.Bytes()
}

// slapadd writes ldif into the stopped server's database. The database's
// map is made big enough for it first: slapd.conf's 64 MiB holds some
// 50,000 people with their indexes.
func slapadd(b *testing.B, srv *slapdtest.Server, ldif []byte) {
	conf := filepath.Join(srv.Dir, "slapd.conf")
	text, err := os.ReadFile(conf)
	if err != nil {
		b.Fatal(err)
	}
	// Every database's: the people's, and the change log's, which comes
	// first in slapd.conf.
	grown := strings.ReplaceAll(string(text), "maxsize\t\t67108864", "maxsize\t\t4294967296")
	if grown == string(text) {
		b.Fatal("slapd.conf has no maxsize 67108864 line to grow: update slapadd in bench_test.go")
	}
	if err := os.WriteFile(conf, []byte(grown), 0o600); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(srv.Dir, "people.ldif")
	if err := os.WriteFile(file, ldif, 0o600); err != nil {
		b.Fatal(err)
	}
	defer os.Remove(file)
	out, err := exec.Command(filepath.Join(filepath.Dir(slapdPath()), "slapadd"), "-q", "-f", conf, "-b", srv.BaseDN, "-l", file).CombinedOutput()
	if err != nil {
		b.Fatalf("slapadd: %v\n%s", err, out)
	}
	// slapadd -q leaves what it wrote in the page cache, unwritten: the
	// first write slapd then syncs (a timed registration) would flush all
	// of it, hundreds of milliseconds at 100,000 people. A directory in
	// use has no such backlog, so it is flushed here, untimed.
	db, err := os.OpenFile(filepath.Join(srv.Dir, "db", "data.mdb"), os.O_RDWR, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Sync(); err != nil {
		b.Fatalf("flush the database slapadd wrote: %v", err)
	}
}

// slapdPath finds slapd, where Debian puts it or on PATH.
func slapdPath() string {
	if p, err := exec.LookPath("slapd"); err == nil {
		return p
	}
	return "/usr/sbin/slapd"
}

// eachSize runs bench as a sub-benchmark people=N for every size, on a
// station connected to that directory, and the middle person's uid.
func eachSize(b *testing.B, bench func(b *testing.B, d *directory.Directory, uid string)) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			d := shared.get(b, n)
			b.ResetTimer()
			bench(b, d, benchPerson(n/2))
		})
	}
}

// BenchmarkDirectory_Search is the helpdesk's search: one person's uid
// typed in full, at most 21 results (one is found).
func BenchmarkDirectory_Search(b *testing.B) {
	eachSize(b, func(b *testing.B, d *directory.Directory, uid string) {
		for b.Loop() {
			found := 0
			err := d.EachAccount(uid, 21, func(info.Account) error { found++; return nil })
			if err != nil || found != 1 {
				b.Fatalf("EachAccount(%q) found %d: %v", uid, found, err)
			}
		}
	})
}

// BenchmarkDirectory_Bind is signing in with the password (no method yet):
// finding the person, the bind (slapd checks the argon2id hash) and
// reading the account again.
func BenchmarkDirectory_Bind(b *testing.B) {
	eachSize(b, func(b *testing.B, d *directory.Directory, uid string) {
		name := uid + "@contoso.example"
		for b.Loop() {
			if _, err := d.Bind(name, benchPassword); err != nil {
				b.Fatalf("Bind(%s): %v", name, err)
			}
		}
	})
}

// BenchmarkDirectory_Register is registering an authenticator app with a
// 20-byte secret and listing the person's methods, as the wizard does
// after the test code. The method is removed again outside the timed part.
func BenchmarkDirectory_Register(b *testing.B) {
	secret := []byte("0123456789abcdefghij")
	eachSize(b, func(b *testing.B, d *directory.Directory, uid string) {
		m := info.Method{ID: "bench-app", Kind: info.KindAuthenticatorApp, Label: "Authenticator app", HasSecret: true}
		for b.Loop() {
			m.Created = time.Now()
			if err := d.AddMethod(uid, m, secret); err != nil {
				b.Fatalf("AddMethod: %v", err)
			}
			if ms, err := d.Methods(uid); err != nil || len(ms) != 1 {
				b.Fatalf("Methods: %v %+v", err, ms)
			}
			b.StopTimer()
			if err := d.RemoveMethod(uid, m.ID); err != nil {
				b.Fatalf("RemoveMethod: %v", err)
			}
			b.StartTimer()
		}
	})
}

// BenchmarkDirectory_ShareCount is counting the people with an app, which
// decides how names that name nobody answer (UnknownCodeAtBind): at a
// station's first sign-in, then in the background once an hour. It
// reads every person, so it grows with their number: reported, not judged.
func BenchmarkDirectory_ShareCount(b *testing.B) {
	eachSize(b, func(b *testing.B, d *directory.Directory, uid string) {
		for b.Loop() {
			directory.ExpireShare(d)
			if _, err := d.UnknownCodeAtBind("nobody@contoso.example"); err != nil {
				b.Fatalf("UnknownCodeAtBind: %v", err)
			}
		}
	})
}
