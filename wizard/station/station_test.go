package station_test

import (
	crand "crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
)

// rig is a data dir and an in-memory keyring that outlive each open of the
// store, like a station's disk and keyring outlive the app.
type rig struct {
	t    *testing.T
	dir  string
	keys *storage.MemoryKeyring
}

func newRig(t *testing.T) *rig {
	return &rig{t: t, dir: t.TempDir(), keys: storage.NewMemoryKeyring()}
}

// open opens the store afresh, as a restarted app does.
func (r *rig) open() info.Store {
	r.t.Helper()
	s, err := storage.OpenLocal(r.dir, r.keys)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { s.Close() })
	return s
}

const pass = "correct horse battery"

func TestCheckPassphrase_BackoffSurvivesReopen(t *testing.T) {
	r := newRig(t)
	if err := station.SetPassphrase(r.open(), pass, crand.Reader); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)

	first := r.open()
	for i := range 3 {
		if err := station.CheckPassphrase(first, "wrong guess", t0); !errors.Is(err, station.ErrWrongPassphrase) {
			t.Fatalf("guess %d: %v, want ErrWrongPassphrase", i+1, err)
		}
	}
	first.Close()

	// A restart does not forget the three wrong guesses: even the right
	// passphrase waits.
	second := r.open()
	var wait *station.WaitError
	if err := station.CheckPassphrase(second, pass, t0.Add(500*time.Millisecond)); !errors.As(err, &wait) || wait.Wait != 500*time.Millisecond {
		t.Fatalf("after reopen: %v, want a 500ms wait", err)
	}
	if !strings.Contains(wait.Error(), "wait 1s before trying again") {
		t.Errorf("wait message %q", wait.Error())
	}
	if err := station.CheckPassphrase(second, pass, t0.Add(time.Second)); err != nil {
		t.Fatalf("right passphrase after the wait: %v", err)
	}
	// The right passphrase clears the count, also for the next start.
	if err := station.CheckPassphrase(r.open(), "wrong guess", t0.Add(time.Second)); !errors.Is(err, station.ErrWrongPassphrase) {
		t.Errorf("after a success: %v, want ErrWrongPassphrase without a wait", err)
	}
}

func TestCheckPassphrase_BackoffDoubles(t *testing.T) {
	tests := []struct {
		wrong int
		wait  time.Duration
	}{{1, 0}, {2, 0}, {3, time.Second}, {4, 2 * time.Second}, {5, 4 * time.Second}, {14, 15 * time.Minute}}
	for _, tc := range tests {
		t.Run(tc.wait.String(), func(t *testing.T) {
			r := newRig(t)
			s := r.open()
			if err := station.SetPassphrase(s, pass, crand.Reader); err != nil {
				t.Fatal(err)
			}
			t0 := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
			at := t0
			for i := 0; i < tc.wrong; i++ {
				err := station.CheckPassphrase(s, "wrong guess", at)
				var w *station.WaitError
				if errors.As(err, &w) {
					at = at.Add(w.Wait)
					err = station.CheckPassphrase(s, "wrong guess", at)
				}
				if !errors.Is(err, station.ErrWrongPassphrase) {
					t.Fatalf("guess %d: %v", i+1, err)
				}
			}
			err := station.CheckPassphrase(r.open(), pass, at)
			var w *station.WaitError
			switch {
			case tc.wait == 0 && err != nil:
				t.Errorf("after %d wrong: %v, want no wait", tc.wrong, err)
			case tc.wait > 0 && (!errors.As(err, &w) || w.Wait != tc.wait):
				t.Errorf("after %d wrong: %v, want a wait of %v", tc.wrong, err, tc.wait)
			}
		})
	}
}

func TestCheckPassphrase_ClockSetBackWaitsNoLongerThanTheRule(t *testing.T) {
	r := newRig(t)
	s := r.open()
	station.SetPassphrase(s, pass, crand.Reader)
	t0 := time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)
	for range 3 {
		station.CheckPassphrase(s, "wrong guess", t0)
	}
	var w *station.WaitError
	if err := station.CheckPassphrase(s, pass, t0.Add(-24*time.Hour)); !errors.As(err, &w) || w.Wait > time.Second {
		t.Errorf("clock a day back: %v, want at most the 1s of the rule", err)
	}
}

func TestCheckPassphrase_NoneSetDamagedAndSetAgain(t *testing.T) {
	r := newRig(t)
	s := r.open()
	if err := station.CheckPassphrase(s, pass, time.Now()); !errors.Is(err, station.ErrNoPassphrase) {
		t.Errorf("none set: %v", err)
	}
	if err := station.SetPassphrase(s, "too short", crand.Reader); !errors.Is(err, station.ErrShortPassphrase) || r.keys.Len() != 0 {
		t.Errorf("short passphrase: %v, %d items stored", err, r.keys.Len())
	}
	station.SetPassphrase(s, pass, crand.Reader)
	// A damaged back-off record keeps the station closed to guesses ...
	s.SetStationSecret("station-passphrase-failures", []byte("{not json"))
	if err := station.CheckPassphrase(s, pass, time.Now()); err == nil || !strings.Contains(err.Error(), "set the passphrase again") {
		t.Errorf("damaged record: %v", err)
	}
	// ... until the passphrase is set again, which clears it.
	station.SetPassphrase(s, pass, crand.Reader)
	if err := station.CheckPassphrase(s, pass, time.Now()); err != nil {
		t.Errorf("after setting again: %v", err)
	}
	raw, _ := s.StationSecret(station.PassphraseSecret)
	if !strings.HasPrefix(string(raw), "$argon2id$") || strings.Contains(string(raw), "horse") {
		t.Errorf("the keyring holds %q, not a hash", raw)
	}
}

func TestSecrets_OverLongAreRefusedAndNothingStored(t *testing.T) {
	sid := "AC" + strings.Repeat("0", 32)
	tests := []struct {
		name string
		set  func(info.Store) error
	}{
		{"webhook key", func(s info.Store) error {
			return station.SetWebhookKey(s, []byte(strings.Repeat("k", station.MaxSecret+1)))
		}},
		{"twilio token", func(s info.Store) error {
			return station.SetTwilio(s, station.TwilioCredentials{AccountSID: sid, AuthToken: strings.Repeat("t", 990)})
		}},
		{"directory password", func(s info.Store) error {
			return station.SetDirectoryCredential(s, strings.Repeat("p", station.MaxSecret+1))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t)
			err := tc.set(r.open())
			if !errors.Is(err, station.ErrTooLong) || r.keys.Len() != 0 {
				t.Errorf("err %v, %d items stored; want ErrTooLong and nothing", err, r.keys.Len())
			}
			if strings.Contains(err.Error(), "kkkk") || strings.Contains(err.Error(), "tttt") || strings.Contains(err.Error(), "pppp") {
				t.Errorf("the error holds the secret: %.100q", err.Error())
			}
		})
	}
}

func TestProviders_RoundTripShowAndClear(t *testing.T) {
	r := newRig(t)
	s := r.open()
	c := station.TwilioCredentials{AccountSID: "AC" + strings.Repeat("1", 32), AuthToken: "token-0123456789abcdef"}
	if err := station.SetTwilio(s, c); err != nil {
		t.Fatal(err)
	}
	if err := station.SetWebhookKey(s, []byte("webhook-key-0123456789")); err != nil {
		t.Fatal(err)
	}
	s = r.open()
	if got, err := station.LoadTwilio(s); err != nil || got != c {
		t.Errorf("twilio: %+v %v", got, err)
	}
	if got, err := station.LoadWebhookKey(s); err != nil || string(got) != "webhook-key-0123456789" {
		t.Errorf("webhook: %q %v", got, err)
	}
	if err := station.ClearProvider(s, station.Twilio); err != nil {
		t.Fatal(err)
	}
	if set, err := station.HasProvider(s, station.Twilio); set || err != nil {
		t.Errorf("twilio after clear: %v %v", set, err)
	}
	if _, err := station.LoadTwilio(s); !errors.Is(err, station.ErrNotSet) || !errors.Is(err, info.ErrSecretNotFound) {
		t.Errorf("LoadTwilio after clear: %v", err)
	}
	if set, _ := station.HasProvider(s, station.Webhook); !set {
		t.Error("clearing twilio cleared the webhook key")
	}
	// Damaged credentials say so without quoting them.
	s.SetStationSecret(station.Twilio, []byte(`{"sid":"AC1","token":"leaked-token`))
	if _, err := station.LoadTwilio(s); err == nil || strings.Contains(err.Error(), "leaked") {
		t.Errorf("damaged: %v", err)
	}
	if err := station.SetTwilio(s, station.TwilioCredentials{AccountSID: "not-a-sid", AuthToken: "token-0123456789abcdef"}); !errors.Is(err, station.ErrInvalid) {
		t.Errorf("bad SID: %v", err)
	}
}

func TestDirectoryCredential_RoundTrip(t *testing.T) {
	r := newRig(t)
	if _, err := station.DirectoryCredential(r.open()); !errors.Is(err, station.ErrNotSet) {
		t.Errorf("before: %v", err)
	}
	if err := station.SetDirectoryCredential(r.open(), ""); !errors.Is(err, station.ErrInvalid) {
		t.Errorf("empty: %v", err)
	}
	if err := station.SetDirectoryCredential(r.open(), "bind secret"); err != nil {
		t.Fatal(err)
	}
	s := r.open()
	if got, err := station.DirectoryCredential(s); err != nil || got != "bind secret" {
		t.Errorf("got %q %v", got, err)
	}
	if raw, _ := s.StationSecret("directory"); string(raw) != "bind secret" {
		t.Errorf("not kept as station secret %q: %q", "directory", raw)
	}
}

func TestSnapshot_RestoresOrRemoves(t *testing.T) {
	r := newRig(t)
	s := r.open()
	s.SetStationSecret("webhook", []byte("before-0123456789"))
	restore, err := station.Snapshot(s, "webhook", "twilio")
	if err != nil {
		t.Fatal(err)
	}
	s.SetStationSecret("webhook", []byte("after-0123456789"))
	s.SetStationSecret("twilio", []byte("{}"))
	if err := restore(); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.StationSecret("webhook"); string(b) != "before-0123456789" {
		t.Errorf("webhook %q", b)
	}
	if _, err := s.StationSecret("twilio"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Errorf("twilio was not removed: %v", err)
	}
}

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	if d, err := station.DefaultDataDir(); err != nil || d != filepath.Join("/srv/data", "securityinfo") {
		t.Errorf("%q %v", d, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/alice")
	if d, err := station.DefaultDataDir(); err != nil || !strings.HasPrefix(d, "/home/alice") || filepath.Base(d) != "securityinfo" {
		t.Errorf("%q %v", d, err)
	}
}
