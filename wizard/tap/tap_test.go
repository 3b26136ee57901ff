package tap

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestGenerate_LengthAndAlphabet(t *testing.T) {
	if len(Alphabet) != 32 {
		t.Fatalf("the alphabet has %d characters; 32 keep every byte unbiased", len(Alphabet))
	}
	if strings.ContainsAny(Alphabet, "0O1lIo") {
		t.Errorf("the alphabet %q has a look-alike", Alphabet)
	}
	seen := map[rune]bool{}
	passes := map[string]bool{}
	for i := 0; i < 500; i++ {
		p, err := generate(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != Length || Length < 8 {
			t.Fatalf("pass %q has %d characters", p, len(p))
		}
		for _, r := range p {
			if !strings.ContainsRune(Alphabet, r) {
				t.Fatalf("pass %q has %q, not in the alphabet", p, r)
			}
			seen[r] = true
		}
		passes[p] = true
	}
	if len(seen) != len(Alphabet) {
		t.Errorf("500 passes used only %d of %d characters", len(seen), len(Alphabet))
	}
	if len(passes) != 500 {
		t.Errorf("500 passes, %d different", len(passes))
	}
	if _, err := generate(bytes.NewReader([]byte("short"))); err == nil {
		t.Error("a pass was made from too little randomness")
	}
}

func TestFormatNormalise(t *testing.T) {
	if got := Format("ABCDEFGHJKLM"); got != "ABCD-EFGH-JKLM" {
		t.Errorf("Format = %q", got)
	}
	for _, typed := range []string{"ABCD-EFGH-JKLM", "abcd efgh jklm", " abcdEFGH-jklm\t", "ABCD‐EFGH–JKLM"} {
		if got := Normalise(typed); got != "ABCDEFGHJKLM" {
			t.Errorf("Normalise(%q) = %q", typed, got)
		}
	}
}

func TestIssue_Lifetimes(t *testing.T) {
	dir := newStore(t)
	tests := []struct {
		name     string
		lifetime time.Duration
		want     time.Duration // 0: refused
	}{
		{"default", 0, time.Hour},
		{"shortest", 10 * time.Minute, 10 * time.Minute},
		{"longest", 30 * 24 * time.Hour, 30 * 24 * time.Hour},
		{"just too short", 10*time.Minute - time.Second, 0},
		{"just too long", 30*24*time.Hour + time.Second, 0},
		{"negative", -time.Hour, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir.DeletePass(testAccount)
			_, err := Issue(dir, testAccount, tt.lifetime, false, t0, seeded(int64(i)))
			if tt.want == 0 {
				if !errors.Is(err, ErrLifetime) || !strings.Contains(err.Error(), "10 minutes to 30 days") {
					t.Errorf("err = %v, want ErrLifetime", err)
				}
				if _, err := dir.GetPass(testAccount); !errors.Is(err, info.ErrNoPass) {
					t.Error("a refused pass was saved")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, _ := dir.GetPass(testAccount)
			if !p.Issued.Equal(t0) || p.Expires.Sub(p.Issued) != tt.want {
				t.Errorf("issued %v, expires %v; want a lifetime of %v", p.Issued, p.Expires, tt.want)
			}
		})
	}
	if DefaultLifetime != time.Hour || MinLifetime != 10*time.Minute || MaxLifetime != 720*time.Hour {
		t.Error("the lifetime bounds changed")
	}
}

func TestIssue_UnknownAccount(t *testing.T) {
	dir := newStore(t)
	if _, err := Issue(dir, "carol@contoso.example", 0, false, t0, seeded(1)); !errors.Is(err, info.ErrNoAccount) {
		t.Errorf("err = %v, want ErrNoAccount", err)
	}
}

func TestCheck_ExpiryWithAFixedClock(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, time.Hour, false, 1)
	end := t0.Add(time.Hour)

	for _, at := range []time.Time{t0, end.Add(-time.Nanosecond)} {
		if err := Check(dir, testAccount, pass, at); err != nil {
			t.Errorf("at %v: %v, want valid", at, err)
		}
	}
	for _, at := range []time.Time{end, end.Add(time.Second), end.Add(48 * time.Hour)} {
		err := Check(dir, testAccount, pass, at)
		var ee *ExpiredError
		if !errors.Is(err, ErrExpired) || !errors.As(err, &ee) || !ee.At.Equal(end) {
			t.Fatalf("at %v: %v, want expired at %v", at, err, end)
		}
		msg := err.Error()
		if !strings.Contains(msg, "expired at 14:05 UTC") || !strings.Contains(msg, "ask your helpdesk for a new one") {
			t.Errorf("message %q", msg)
		}
		if strings.Contains(msg, "isn't right") {
			t.Errorf("an expired pass reads as a wrong one: %q", msg)
		}
	}
}

func TestCheck_WrongPassIsNoMatchNeverExpiredOrUsed(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, time.Hour, true, 1)
	wrong := "ABCD-EFGH-JKLM"
	if Normalise(wrong) == pass {
		t.Fatal("the seeded pass is the wrong one")
	}
	if err := Check(dir, testAccount, wrong, t0); err != ErrNoMatch {
		t.Errorf("wrong pass while valid: %v, want ErrNoMatch", err)
	}
	if err := Check(dir, testAccount, wrong, t0.Add(2*time.Hour)); err != ErrNoMatch {
		t.Errorf("wrong pass after expiry: %v, want ErrNoMatch", err)
	}
	if err := Check(dir, testAccount, "my-old-password", t0.Add(2*time.Hour)); err != ErrNoMatch {
		t.Errorf("a password after expiry: %v, want ErrNoMatch", err)
	}
	// Wrong guesses do not use a one-time pass up.
	if err := Check(dir, testAccount, pass, t0); err != nil {
		t.Fatalf("right pass: %v", err)
	}
	if err := Check(dir, testAccount, wrong, t0); err != ErrNoMatch {
		t.Errorf("wrong pass after use: %v, want ErrNoMatch", err)
	}
	if err := Check(dir, otherAccount, pass, t0); err != ErrNoPass {
		t.Errorf("another account without a pass: %v, want ErrNoPass", err)
	}
}

func TestCheck_OneTimeDiesOnFirstUse(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, time.Hour, true, 2)
	if err := Check(dir, testAccount, strings.ToLower(Format(pass)), t0.Add(time.Minute)); err != nil {
		t.Fatalf("first use: %v", err)
	}
	p, _ := dir.GetPass(testAccount)
	if !p.Used || !p.UsedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("after use: %+v", p)
	}
	err := Check(dir, testAccount, pass, t0.Add(2*time.Minute))
	if err != ErrUsed || err.Error() != "this one-time pass was already used: ask your helpdesk for a new one" {
		t.Errorf("second use: %v, want ErrUsed", err)
	}
	// Used wins over expired: the pass died when it was used.
	if err := Check(dir, testAccount, pass, t0.Add(2*time.Hour)); err != ErrUsed {
		t.Errorf("after expiry: %v, want ErrUsed", err)
	}
}

func TestCheck_OneTimeUsedOnceEvenWhenRaced(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, time.Hour, true, 3)
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = Check(dir, testAccount, pass, t0)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch err {
		case nil:
			ok++
		case ErrUsed:
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent sign-ins used a one-time pass", ok, n)
	}
}

func TestCheck_ReusableUntilItExpires(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, 8*time.Hour, false, 4)
	for i := range 3 {
		if err := Check(dir, testAccount, pass, t0.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Errorf("use %d: %v", i+1, err)
		}
	}
	if p, _ := dir.GetPass(testAccount); p.Used {
		t.Error("a reusable pass was marked used")
	}
}

func TestRevoke(t *testing.T) {
	dir := newStore(t)
	pass := mustIssue(t, dir, testAccount, time.Hour, false, 5)
	if err := Revoke(dir, testAccount); err != nil {
		t.Fatal(err)
	}
	if err := Check(dir, testAccount, pass, t0); err != ErrNoPass {
		t.Errorf("after revoke: %v, want ErrNoPass", err)
	}
	if err := Revoke(dir, testAccount); err != ErrNoPass {
		t.Errorf("second revoke: %v, want ErrNoPass", err)
	}
}

func TestIssue_ReplacesTheOldPass(t *testing.T) {
	dir := newStore(t)
	old := mustIssue(t, dir, testAccount, time.Hour, false, 6)
	other := mustIssue(t, dir, otherAccount, time.Hour, false, 7)
	fresh := mustIssue(t, dir, testAccount, time.Hour, true, 8)
	if old == fresh {
		t.Fatal("the same pass twice")
	}
	if err := Check(dir, testAccount, old, t0); err != ErrNoMatch {
		t.Errorf("old pass: %v, want ErrNoMatch", err)
	}
	if err := Check(dir, testAccount, fresh, t0); err != nil {
		t.Errorf("new pass: %v", err)
	}
	if err := Check(dir, otherAccount, other, t0); err != nil {
		t.Errorf("another account's pass: %v", err)
	}
	if err := Check(dir, otherAccount, fresh, t0); err != ErrNoMatch {
		t.Errorf("one account's pass for another: %v, want ErrNoMatch", err)
	}
}

func TestIssue_NoPassInTheDataFile(t *testing.T) {
	dir := newLocalStore(t)
	pass, err := Issue(dir, testAccount, time.Hour, true, t0, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := dir.GetPass(testAccount)
	if !strings.HasPrefix(p.Hash, "$argon2id$") {
		t.Errorf("stored %q, not an argon2id hash", p.Hash)
	}
	raw, err := os.ReadFile(filepath.Join(dir.path, storage.DataFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, form := range []string{pass, Format(pass), strings.ToLower(pass), Normalise(pass)} {
		if bytes.Contains(raw, []byte(form)) {
			t.Errorf("the data file holds the pass as %q", form)
		}
	}
}

// racing is a store where something happens to the pass between Check
// reading it and Check updating it.
type racing struct {
	info.Store
	between func()
}

func (r racing) GetPass(account string) (info.Pass, error) {
	p, err := r.Store.GetPass(account)
	r.between()
	return p, err
}

func TestCheck_PassReplacedOrRevokedWhileChecking(t *testing.T) {
	dir := newStore(t)
	old := mustIssue(t, dir, testAccount, time.Hour, false, 9)
	reissue := racing{dir, func() { mustIssue(t, dir, testAccount, time.Hour, false, 10) }}
	if err := Check(reissue, testAccount, old, t0); err != ErrNoMatch {
		t.Errorf("pass replaced while checking: %v, want ErrNoMatch", err)
	}
	old = mustIssue(t, dir, testAccount, time.Hour, false, 11)
	revoke := racing{dir, func() { Revoke(dir, testAccount) }}
	if err := Check(revoke, testAccount, old, t0); err != ErrNoMatch {
		t.Errorf("pass revoked while checking: %v, want ErrNoMatch", err)
	}
}

// gatedReader holds an issuer's first read of randomness until every
// issuer has made one, so all of them have read the pass they replace
// before any saves: the race of 20 operators issuing at once, every time.
type gatedReader struct {
	gate *sync.WaitGroup
	once sync.Once
	r    io.Reader
}

func (g *gatedReader) Read(p []byte) (int, error) {
	g.once.Do(func() { g.gate.Done(); g.gate.Wait() })
	return g.r.Read(p)
}

// 20 operators issue a pass for one account at once: the one told its
// pass is the one that works; every other is refused, not handed a dead
// pass.
func TestIssue_AtOnceOnlyTheStoredPassIsGiven(t *testing.T) {
	dir := newLocalStore(t)
	mustIssue(t, dir, testAccount, time.Hour, false, 99) // one to replace
	const n = 20
	var gate, wg sync.WaitGroup
	gate.Add(n)
	passes, errs := make([]string, n), make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &gatedReader{gate: &gate, r: seeded(int64(i))}
			passes[i], errs[i] = Issue(dir, testAccount, time.Hour, false, t0, r)
		}()
	}
	wg.Wait()
	told := 0
	for i := range n {
		if errs[i] != nil {
			if !errors.Is(errs[i], ErrIssuedMeanwhile) {
				t.Errorf("issuer %d: %v, want ErrIssuedMeanwhile", i, errs[i])
			}
			continue
		}
		told++
		if err := Check(dir, testAccount, passes[i], t0.Add(time.Minute)); err != nil {
			t.Errorf("issuer %d was told its pass, which does not work: %v", i, err)
		}
	}
	if told != 1 {
		t.Errorf("%d issuers were given a pass, want 1", told)
	}
}

// A pass withdrawn stops working at once; withdrawing one that another
// issue replaced leaves the new one working.
func TestWithdraw_EndsOnlyThatPass(t *testing.T) {
	dir := newStore(t)
	first := mustIssue(t, dir, testAccount, time.Hour, false, 1)
	if err := Withdraw(dir, testAccount, first, t0); err != nil {
		t.Fatal(err)
	}
	if err := Check(dir, testAccount, first, t0); !errors.Is(err, ErrExpired) {
		t.Fatalf("a withdrawn pass: %v, want expired", err)
	}

	ours := mustIssue(t, dir, testAccount, time.Hour, false, 2)
	theirs := mustIssue(t, dir, testAccount, time.Hour, false, 3) // another operator, meanwhile
	if err := Withdraw(dir, testAccount, ours, t0); err != nil {
		t.Fatal(err)
	}
	if err := Check(dir, testAccount, theirs, t0.Add(time.Minute)); err != nil {
		t.Fatalf("the other operator's pass after withdrawing ours: %v", err)
	}
}
