// Package storetest is the contract every info.Store backend must meet,
// as one test suite that each backend's tests run against a real store
// (the local data file with a keyring, the directory on a real slapd), so
// the app behaves the same on either. It is for tests only.
package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// Backend is a fresh, empty store under test and how to add people to it.
type Backend struct {
	// Store is the store under test.
	Store info.Store
	// AddPerson adds a person who signs in with password and returns the
	// name the store knows them by (as Account(name).Name reports it).
	AddPerson func(t *testing.T, uid, password string) string
}

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// Run runs the contract against the backends open makes, a fresh one for
// each subtest.
func Run(t *testing.T, open func(t *testing.T) Backend) {
	t.Run("TypedNameStaysOutOfErrors", func(t *testing.T) { typedNameStaysOutOfErrors(t, open) })

	t.Run("Account", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		a, err := b.Store.Account(strings.ToUpper(name))
		if err != nil || info.AccountKey(a.Name) != info.AccountKey(name) {
			t.Fatalf("Account(%q) = %+v, %v", strings.ToUpper(name), a, err)
		}
		if _, err := b.Store.Account("nobody-here"); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("Account(unknown) error = %v, want ErrNoAccount", err)
		}
	})

	t.Run("SetPassword", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		if err := b.Store.SetPassword(name, "battery staple 2"); err != nil {
			t.Fatal(err)
		}
		a, err := b.Store.Account(name)
		if err != nil {
			t.Fatal(err)
		}
		if a.PasswordHash != "" && !strings.HasPrefix(a.PasswordHash, "$argon2id$") {
			t.Errorf("the new password is kept as %q, not an argon2id hash", a.PasswordHash)
		}
		if strings.Contains(a.PasswordHash, "battery") {
			t.Error("the new password is kept in the clear")
		}
		if err := b.Store.SetPassword("nobody-here", "battery staple 2"); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("SetPassword(unknown) = %v, want ErrNoAccount", err)
		}
	})

	t.Run("AccountSettings", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		m := info.Method{ID: "0123456789abcdef0123456789abcdef", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+14255550123", Channel: "sms"}
		if err := b.Store.AddMethod(name, m, nil); err != nil {
			t.Fatal(err)
		}
		first := t0.Add(time.Hour)
		err := b.Store.UpdateAccount(name, func(a *info.Account) error {
			a.DefaultMethod, a.Snoozes, a.FirstSnooze = m.ID, 2, first
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := b.Store.Account(name)
		if err != nil {
			t.Fatal(err)
		}
		if a.DefaultMethod != m.ID || a.Snoozes != 2 || !a.FirstSnooze.Equal(first) {
			t.Errorf("settings read back as default %q, snoozes %d, first %v", a.DefaultMethod, a.Snoozes, a.FirstSnooze)
		}
		err = b.Store.UpdateAccount(name, func(a *info.Account) error {
			a.DefaultMethod, a.Snoozes, a.FirstSnooze = "", 0, time.Time{}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if a, _ = b.Store.Account(name); a.DefaultMethod != "" || a.Snoozes != 0 || !a.FirstSnooze.IsZero() {
			t.Errorf("settings not cleared: %+v", a)
		}
	})

	t.Run("FactorCounts", func(t *testing.T) {
		// Each factor's failure count is kept on its own: changing one
		// leaves the others; Unlock clears them all.
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		second := info.Tries{Failures: 3, LastFailure: t0.Add(time.Minute)}
		apps := info.Tries{Failures: 2, LastFailure: t0.Add(2 * time.Minute)}
		err := b.Store.UpdateAccount(name, func(a *info.Account) error {
			a.SecondFactorTries, a.AppPasswordTries = second, apps
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := b.Store.Account(name)
		if err != nil {
			t.Fatal(err)
		}
		if a.SecondFactorTries.Failures != 3 || !a.SecondFactorTries.LastFailure.Equal(second.LastFailure) ||
			a.AppPasswordTries.Failures != 2 || !a.AppPasswordTries.LastFailure.Equal(apps.LastFailure) || a.Failures != 0 {
			t.Errorf("counts read back as password %d, second factor %+v, app passwords %+v", a.Failures, a.SecondFactorTries, a.AppPasswordTries)
		}
		err = b.Store.UpdateAccount(name, func(a *info.Account) error { a.AppPasswordTries = info.Tries{}; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if a, _ = b.Store.Account(name); a.AppPasswordTries.Failures != 0 || a.SecondFactorTries.Failures != 3 {
			t.Errorf("clearing the app passwords' count: second factor %+v, app passwords %+v", a.SecondFactorTries, a.AppPasswordTries)
		}
		if err := b.Store.Unlock(name); err != nil {
			t.Fatal(err)
		}
		if a, _ = b.Store.Account(name); a.SecondFactorTries.Failures != 0 || a.AppPasswordTries.Failures != 0 || a.Failures != 0 {
			t.Errorf("after Unlock: %+v", a)
		}
	})

	t.Run("ClearPasswordFailures", func(t *testing.T) {
		// After a password reset: the password's count goes, the
		// other factors' stay.
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		second := info.Tries{Failures: 3, LastFailure: t0.Add(time.Minute)}
		apps := info.Tries{Failures: 2, LastFailure: t0.Add(2 * time.Minute)}
		err := b.Store.UpdateAccount(name, func(a *info.Account) error {
			a.Failures, a.LastFailure = a.Failures+1, t0.Add(3*time.Minute)
			a.SecondFactorTries, a.AppPasswordTries = second, apps
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := b.Store.Account(name); a.Failures != 1 {
			t.Fatalf("password failures %d before, want 1", a.Failures)
		}
		if err := b.Store.ClearPasswordFailures(name); err != nil {
			t.Fatal(err)
		}
		a, err := b.Store.Account(name)
		if err != nil {
			t.Fatal(err)
		}
		if a.Failures != 0 || a.Locked || a.SecondFactorTries.Failures != 3 || a.AppPasswordTries.Failures != 2 {
			t.Errorf("after ClearPasswordFailures: password %d (locked %v), second factor %+v, app passwords %+v; want 0, 3, 2",
				a.Failures, a.Locked, a.SecondFactorTries, a.AppPasswordTries)
		}
		if err := b.Store.ClearPasswordFailures("nobody-here"); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("ClearPasswordFailures(unknown) = %v, want ErrNoAccount", err)
		}
	})

	t.Run("EachAccount", func(t *testing.T) {
		b := open(t)
		for _, uid := range []string{"alice", "alina", "bob", "carl"} {
			b.AddPerson(t, uid, "correct horse 1")
		}
		var got []string
		collect := func(a info.Account) error { got = append(got, strings.SplitN(a.Name, "@", 2)[0]); return nil }
		if err := b.Store.EachAccount("ALI", 0, collect); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != "alice,alina" {
			t.Errorf("EachAccount(ALI) = %v, want alice,alina", got)
		}
		got = nil
		if err := b.Store.EachAccount("", 2, collect); err != nil || len(got) != 2 {
			t.Errorf("EachAccount limit 2 = %v, %v", got, err)
		}
		stop := errors.New("stop")
		if err := b.Store.EachAccount("", 0, func(info.Account) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("EachAccount visit error = %v, want it returned", err)
		}
	})

	t.Run("Methods", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		seed := []byte("12345678901234567890")
		app := info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel 8", Created: t0, LastStep: 100}
		ph := info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0.Add(time.Minute), Phone: "+12015550123", Channel: "sms"}
		pw := info.Method{ID: "w1", Kind: info.KindAppPassword, Label: "Outlook", Created: t0.Add(2 * time.Minute), Hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"}
		for _, m := range []struct {
			m      info.Method
			secret []byte
		}{{app, seed}, {ph, nil}, {pw, nil}} {
			if err := b.Store.AddMethod(name, m.m, m.secret); err != nil {
				t.Fatalf("AddMethod(%s): %v", m.m.ID, err)
			}
		}
		if err := b.Store.AddMethod(name, ph, nil); !errors.Is(err, info.ErrMethodExists) {
			t.Errorf("AddMethod twice: %v, want ErrMethodExists", err)
		}
		if err := b.Store.AddMethod("nobody-here", info.Method{ID: "x", Kind: info.KindPhone}, nil); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("AddMethod(unknown account): %v, want ErrNoAccount", err)
		}
		ms, err := b.Store.Methods(name)
		if err != nil || len(ms) != 3 {
			t.Fatalf("Methods = %+v, %v", ms, err)
		}
		app.HasSecret = true
		for i, want := range []info.Method{app, ph, pw} {
			got := ms[i]
			if got.ID != want.ID || got.Kind != want.Kind || got.Label != want.Label || !got.Created.Equal(want.Created) ||
				got.HasSecret != want.HasSecret || got.LastStep != want.LastStep || got.Phone != want.Phone || got.Channel != want.Channel || got.Hash != want.Hash {
				t.Errorf("Methods()[%d] = %+v, want %+v", i, got, want)
			}
		}
		s, err := b.Store.Secret(name, "a1")
		if err != nil || !bytes.Equal(s, seed) {
			t.Errorf("Secret = %q, %v", s, err)
		}
		if _, err := b.Store.Secret(name, "nope"); !errors.Is(err, info.ErrNoMethod) {
			t.Errorf("Secret(unknown id) = %v, want ErrNoMethod", err)
		}

		// UpdateMethod sees the stored value and writes the change.
		err = b.Store.UpdateMethod(name, "a1", func(m *info.Method) error {
			if m.LastStep != 100 {
				t.Errorf("UpdateMethod saw LastStep %d, want 100", m.LastStep)
			}
			m.LastStep, m.Label = 101, "Pixel 9"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		veto := errors.New("veto")
		if err := b.Store.UpdateMethod(name, "a1", func(m *info.Method) error { m.Label = "x"; return veto }); !errors.Is(err, veto) {
			t.Errorf("UpdateMethod with a vetoing change = %v, want it returned", err)
		}
		if err := b.Store.UpdateMethod(name, "a1", func(m *info.Method) error { m.HasSecret = false; return nil }); err == nil {
			t.Error("UpdateMethod let HasSecret change")
		}
		if err := b.Store.UpdateMethod(name, "nope", func(*info.Method) error { return nil }); !errors.Is(err, info.ErrNoMethod) {
			t.Errorf("UpdateMethod(unknown) = %v, want ErrNoMethod", err)
		}
		ms, _ = b.Store.Methods(name)
		if ms[0].LastStep != 101 || ms[0].Label != "Pixel 9" {
			t.Errorf("after update: %+v", ms[0])
		}

		if err := b.Store.RemoveMethod(name, "p1"); err != nil {
			t.Fatal(err)
		}
		if err := b.Store.RemoveMethod(name, "p1"); !errors.Is(err, info.ErrNoMethod) {
			t.Errorf("RemoveMethod twice = %v, want ErrNoMethod", err)
		}
		n, err := b.Store.RemoveAllMethods(name)
		if err != nil || n != 2 {
			t.Errorf("RemoveAllMethods = %d, %v; want 2", n, err)
		}
		if ms, _ := b.Store.Methods(name); len(ms) != 0 {
			t.Errorf("after RemoveAllMethods: %+v", ms)
		}
		if _, err := b.Store.Secret(name, "a1"); !errors.Is(err, info.ErrNoMethod) {
			t.Errorf("Secret after removal = %v, want ErrNoMethod", err)
		}
	})

	t.Run("AppPasswordLookup", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
		withDigest := info.Method{ID: "w1", Kind: info.KindAppPassword, Label: "Outlook", Created: t0, Hash: hash, Lookup: "3f2a"}
		before := info.Method{ID: "w2", Kind: info.KindAppPassword, Label: "Old phone", Created: t0.Add(time.Minute), Hash: hash}
		for _, m := range []info.Method{withDigest, before} {
			if err := b.Store.AddMethod(name, m, nil); err != nil {
				t.Fatalf("AddMethod(%s): %v", m.ID, err)
			}
		}
		lookups := func() []string {
			t.Helper()
			ms, err := b.Store.Methods(name)
			if err != nil || len(ms) != 2 {
				t.Fatalf("Methods = %+v, %v", ms, err)
			}
			return []string{ms[0].Lookup, ms[1].Lookup}
		}
		if got := lookups(); got[0] != "3f2a" || got[1] != "" {
			t.Fatalf("lookup digests %q, want [3f2a \"\"]", got)
		}
		// An app password saved without one gets it later (Verify's migration).
		err := b.Store.UpdateMethod(name, "w2", func(m *info.Method) error { m.Lookup = "0b1c"; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if got := lookups(); got[0] != "3f2a" || got[1] != "0b1c" {
			t.Fatalf("after the update: lookup digests %q, want [3f2a 0b1c]", got)
		}
		ms, _ := b.Store.Methods(name)
		if ms[1].Hash != hash || ms[1].Label != "Old phone" {
			t.Errorf("the update changed more than the digest: %+v", ms[1])
		}
	})

	t.Run("SecurityKey", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		credID := []byte{0x00, 0xff, 0x10, ',', '=', '\n', 0x80, 0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}
		cose := []byte{0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20, 0x00, 0xfe}
		aaguid := []byte{0xcb, 0x69, 0x48, 0x1e, 0x8f, 0xf7, 0x40, 0x39, 0x93, 0xec, 0x0a, 0x27, 0x29, 0xa1, 0x54, 0xa8}
		key := info.Method{ID: "k1", Kind: info.KindSecurityKey, Label: "YubiKey 5", Created: t0,
			CredentialID: credID, PublicKey: cose, AAGUID: aaguid, SignCount: 7}
		if err := b.Store.AddMethod(name, key, nil); err != nil {
			t.Fatalf("AddMethod(security key): %v", err)
		}
		credID[0] = 0x55 // the store keeps its own copy
		credID[0] = 0x00
		ms, err := b.Store.Methods(name)
		if err != nil || len(ms) != 1 {
			t.Fatalf("Methods = %+v, %v", ms, err)
		}
		got := ms[0]
		if got.Kind != info.KindSecurityKey || got.Label != key.Label || got.HasSecret || !bytes.Equal(got.CredentialID, credID) ||
			!bytes.Equal(got.PublicKey, cose) || !bytes.Equal(got.AAGUID, aaguid) || got.SignCount != 7 {
			t.Fatalf("security key read back as %+v, want %+v", got, key)
		}
		got.CredentialID[0] = 0x99 // nor does it share memory with what it hands out
		err = b.Store.UpdateMethod(name, "k1", func(m *info.Method) error {
			if m.SignCount != 7 || m.CredentialID[0] != 0x00 {
				t.Errorf("UpdateMethod saw %+v", m)
			}
			m.SignCount = 4000000000
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ms, _ = b.Store.Methods(name)
		if ms[0].SignCount != 4000000000 || !bytes.Equal(ms[0].CredentialID, credID) {
			t.Errorf("after UpdateMethod: %+v", ms[0])
		}
		if err := b.Store.RemoveMethod(name, "k1"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ResetMethods", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		const h1 = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
		const h2 = "$argon2id$v=19$m=19456,t=2,p=1$dGxhc3RsYXN0bGFzdGxhcw$aGFzaDJoYXNoMmhhc2gyaGFzaDJoYXNoMmhhc2gyaGE"
		em := info.Method{ID: "e1", Kind: info.KindEmail, Label: "a•••@fabrikam.example", Created: t0, Email: "Alice.Smith+reset@fabrikam.example"}
		qs := []info.Question{
			{ID: "first-pet", Hash: h1},
			{Text: "Which café, \"the one\" near work, do I like?\nsecond line", Hash: h2},
			{ID: "birth-city", Hash: h1},
		}
		sq := info.Method{ID: "q1", Kind: info.KindSecurityQuestions, Label: "3 questions", Created: t0.Add(time.Minute), Questions: qs}
		for _, m := range []info.Method{em, sq} {
			if err := b.Store.AddMethod(name, m, nil); err != nil {
				t.Fatalf("AddMethod(%s): %v", m.Kind, err)
			}
		}
		qs[0].Hash = "changed" // the store keeps its own copy
		qs[0].Hash = h1
		ms, err := b.Store.Methods(name)
		if err != nil || len(ms) != 2 {
			t.Fatalf("Methods = %+v, %v", ms, err)
		}
		if got := ms[0]; got.Kind != info.KindEmail || got.Email != em.Email || got.Label != em.Label || got.HasSecret || len(got.Questions) != 0 {
			t.Errorf("email read back as %+v, want %+v", got, em)
		}
		got := ms[1]
		if got.Kind != info.KindSecurityQuestions || got.Email != "" || len(got.Questions) != 3 {
			t.Fatalf("security questions read back as %+v", got)
		}
		for i := range qs {
			if got.Questions[i] != qs[i] {
				t.Errorf("question %d read back as %+v, want %+v", i, got.Questions[i], qs[i])
			}
		}
		got.Questions[0].Hash = "mine" // nor does it share memory with what it hands out
		err = b.Store.UpdateMethod(name, "q1", func(m *info.Method) error {
			if m.Questions[0].Hash != h1 {
				t.Errorf("UpdateMethod saw %+v", m.Questions)
			}
			m.Questions = []info.Question{{ID: "first-school", Hash: h2}, {ID: "first-pet", Hash: h2}, {ID: "birth-city", Hash: h2}}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = b.Store.UpdateMethod(name, "e1", func(m *info.Method) error { m.Email = "alice@fabrikam.example"; return nil })
		if err != nil {
			t.Fatal(err)
		}
		ms, _ = b.Store.Methods(name)
		if ms[0].Email != "alice@fabrikam.example" || len(ms[1].Questions) != 3 || ms[1].Questions[0].ID != "first-school" || ms[1].Questions[2].Hash != h2 {
			t.Errorf("after UpdateMethod: %+v", ms)
		}
		if n, err := b.Store.RemoveAllMethods(name); err != nil || n != 2 {
			t.Fatalf("RemoveAllMethods = %d, %v", n, err)
		}
	})

	// A set of methods (recovery codes) replaces the old set as one
	// change, and leaves every other method alone.
	t.Run("ReplaceMethods", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		ph := info.Method{ID: "p1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Created: t0, Phone: "+12015550123", Channel: "sms"}
		if err := b.Store.AddMethod(name, ph, nil); err != nil {
			t.Fatal(err)
		}
		// A set saved one code at a time, as before ReplaceMethods.
		for i := range 3 {
			if err := b.Store.AddMethod(name, code("c", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		set := func(prefix string, n int) []info.Method {
			var ms []info.Method
			for i := range n {
				ms = append(ms, code(prefix, i))
			}
			return ms
		}
		codes := func() string {
			t.Helper()
			ms, err := b.Store.Methods(name)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, m := range ms {
				if m.Kind == info.KindRecoveryCodes {
					if want := code(m.ID[:1], int(m.ID[1]-'0')); m.Label != want.Label || m.Hash != want.Hash || !m.Created.Equal(want.Created) || m.HasSecret {
						t.Errorf("code %s read back as %+v, want %+v", m.ID, m, want)
					}
					ids = append(ids, m.ID)
				} else if m.ID != "p1" {
					t.Errorf("Methods lists %+v", m)
				}
			}
			if len(ms) != len(ids)+1 {
				t.Errorf("the phone is gone: %+v", ms)
			}
			sort.Strings(ids)
			return strings.Join(ids, ",")
		}
		if err := b.Store.ReplaceMethods(name, info.KindRecoveryCodes, set("n", 10)); err != nil {
			t.Fatal(err)
		}
		if got := codes(); got != "n0,n1,n2,n3,n4,n5,n6,n7,n8,n9" {
			t.Fatalf("after ReplaceMethods: codes %s", got)
		}
		for _, bad := range []struct {
			what string
			ms   []info.Method
			want error
		}{
			{"an id another method has", append(set("m", 2), info.Method{ID: "p1", Kind: info.KindRecoveryCodes, Created: t0}), info.ErrMethodExists},
			{"an id twice", append(set("m", 2), code("m", 0)), info.ErrMethodExists},
			{"another kind", append(set("m", 2), info.Method{ID: "x1", Kind: info.KindPhone, Created: t0}), nil},
			{"a secret", append(set("m", 2), info.Method{ID: "x1", Kind: info.KindRecoveryCodes, Created: t0, HasSecret: true}), nil},
		} {
			err := b.Store.ReplaceMethods(name, info.KindRecoveryCodes, bad.ms)
			if err == nil || (bad.want != nil && !errors.Is(err, bad.want)) {
				t.Errorf("ReplaceMethods with %s = %v, want an error (%v)", bad.what, err, bad.want)
			}
			if got := codes(); got != "n0,n1,n2,n3,n4,n5,n6,n7,n8,n9" {
				t.Errorf("a refused ReplaceMethods (%s) changed the codes to %s", bad.what, got)
			}
		}
		app := info.Method{ID: "a1", Kind: info.KindAuthenticatorApp, Label: "Pixel 8", Created: t0}
		if err := b.Store.AddMethod(name, app, []byte("12345678901234567890")); err != nil {
			t.Fatal(err)
		}
		if err := b.Store.ReplaceMethods(name, info.KindAuthenticatorApp, nil); err == nil {
			t.Error("ReplaceMethods replaced a method with a secret")
		}
		if err := b.Store.RemoveMethod(name, "a1"); err != nil {
			t.Fatal(err)
		}
		if err := b.Store.ReplaceMethods("nobody-here", info.KindRecoveryCodes, set("m", 2)); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("ReplaceMethods(unknown) = %v, want ErrNoAccount", err)
		}
		// A replaced set is replaced again, and its codes are used (removed)
		// one by one.
		if err := b.Store.ReplaceMethods(name, info.KindRecoveryCodes, set("m", 10)); err != nil {
			t.Fatal(err)
		}
		if err := b.Store.RemoveMethod(name, "m3"); err != nil {
			t.Fatal(err)
		}
		if got := codes(); got != "m0,m1,m2,m4,m5,m6,m7,m8,m9" {
			t.Fatalf("after a second ReplaceMethods and a use: codes %s", got)
		}
		if err := b.Store.ReplaceMethods(name, info.KindRecoveryCodes, nil); err != nil {
			t.Fatal(err)
		}
		if got := codes(); got != "" {
			t.Errorf("after ReplaceMethods with none: codes %s", got)
		}
		if n, err := b.Store.RemoveAllMethods(name); err != nil || n != 1 {
			t.Errorf("RemoveAllMethods = %d, %v; want 1 (the phone)", n, err)
		}
		if err := b.Store.ReplaceMethods(name, info.KindRecoveryCodes, set("k", 2)); err != nil {
			t.Fatal(err)
		}
		if ms, err := b.Store.Methods(name); err != nil || len(ms) != 2 {
			t.Errorf("after a reset, ReplaceMethods saved %+v, %v; want k0, k1", ms, err)
		}
	})

	// Five stations replace one person's set at once: one set is left,
	// whole.
	t.Run("ReplaceMethodsAtOnce", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		const stations, n = 5, 10
		var wg sync.WaitGroup
		errs := make([]error, stations)
		for s := range stations {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var ms []info.Method
				for i := range n {
					ms = append(ms, info.Method{ID: fmt.Sprintf("s%dc%d", s, i), Kind: info.KindRecoveryCodes, Label: "Recovery code", Created: t0, Hash: "h"})
				}
				errs[s] = b.Store.ReplaceMethods(name, info.KindRecoveryCodes, ms)
			}()
		}
		wg.Wait()
		for s, err := range errs {
			if err != nil {
				t.Errorf("station %d: %v", s, err)
			}
		}
		ms, err := b.Store.Methods(name)
		if err != nil {
			t.Fatal(err)
		}
		sets := map[string]int{}
		for _, m := range ms {
			sets[m.ID[:2]]++
		}
		if len(ms) != n || len(sets) != 1 {
			t.Errorf("after %d replacements at once: %d codes from sets %v, want one set of %d", stations, len(ms), sets, n)
		}
	})

	t.Run("Passes", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		if _, err := b.Store.GetPass(name); !errors.Is(err, info.ErrNoPass) {
			t.Errorf("GetPass before = %v, want ErrNoPass", err)
		}
		p := info.Pass{Hash: "$argon2id$x", Issued: t0, Expires: t0.Add(time.Hour), OneTime: true}
		if err := b.Store.SetPass(name, "", p); err != nil {
			t.Fatal(err)
		}
		err := b.Store.UpdatePass(name, func(p *info.Pass) error { p.Used, p.UsedAt = true, t0.Add(time.Minute); return nil })
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Store.GetPass(name)
		if err != nil || got.Hash != p.Hash || !got.Expires.Equal(p.Expires) || !got.OneTime || !got.Used || !got.UsedAt.Equal(t0.Add(time.Minute)) {
			t.Errorf("GetPass = %+v, %v", got, err)
		}
		p2 := info.Pass{Hash: "$argon2id$y", Issued: t0, Expires: t0.Add(2 * time.Hour)}
		if err := b.Store.SetPass(name, "", p2); !errors.Is(err, info.ErrPassChanged) {
			t.Errorf("SetPass over a pass it did not name = %v, want ErrPassChanged", err)
		}
		if err := b.Store.SetPass(name, "$argon2id$other", p2); !errors.Is(err, info.ErrPassChanged) {
			t.Errorf("SetPass over another pass than the one named = %v, want ErrPassChanged", err)
		}
		if got, _ := b.Store.GetPass(name); got.Hash != p.Hash {
			t.Errorf("a refused SetPass changed the pass: %+v", got)
		}
		if err := b.Store.SetPass(name, p.Hash, p2); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.Store.GetPass(name); got.Hash != p2.Hash || got.Used || got.OneTime || !got.UsedAt.IsZero() {
			t.Errorf("SetPass did not replace: %+v", got)
		}
		if err := b.Store.DeletePass(name); err != nil {
			t.Fatal(err)
		}
		if err := b.Store.DeletePass(name); !errors.Is(err, info.ErrNoPass) {
			t.Errorf("DeletePass twice = %v, want ErrNoPass", err)
		}
		if err := b.Store.SetPass(name, p2.Hash, p); !errors.Is(err, info.ErrPassChanged) {
			t.Errorf("SetPass over a revoked pass = %v, want ErrPassChanged", err)
		}
		if _, err := b.Store.GetPass(name); !errors.Is(err, info.ErrNoPass) {
			t.Errorf("a refused SetPass left a pass: %v", err)
		}
		if err := b.Store.SetPass("nobody-here", "", p); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("SetPass(unknown) = %v, want ErrNoAccount", err)
		}
	})

	// 20 helpdesk operators issue a pass for one account at once, each
	// having read the pass it replaces: one is saved, every other is
	// refused, so nobody is told a pass works that does not.
	t.Run("PassIssuedAtOnce", func(t *testing.T) {
		b := open(t)
		name := b.AddPerson(t, "alice", "correct horse 1")
		old := info.Pass{Hash: "$argon2id$old", Issued: t0, Expires: t0.Add(time.Hour)}
		if err := b.Store.SetPass(name, "", old); err != nil {
			t.Fatal(err)
		}
		const n = 20
		var read, wg sync.WaitGroup
		read.Add(n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cur, err := b.Store.GetPass(name)
				read.Done()
				if err != nil {
					errs[i] = err
					return
				}
				read.Wait() // every issuer has read the old pass
				p := info.Pass{Hash: fmt.Sprintf("$argon2id$new%d", i), Issued: t0, Expires: t0.Add(time.Hour)}
				errs[i] = b.Store.SetPass(name, cur.Hash, p)
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won >= 0:
				t.Errorf("issuers %d and %d were both told their pass was saved", won, i)
			case err == nil:
				won = i
			case !errors.Is(err, info.ErrPassChanged):
				t.Errorf("issuer %d: %v, want ErrPassChanged", i, err)
			}
		}
		got, err := b.Store.GetPass(name)
		if won < 0 || err != nil || got.Hash != fmt.Sprintf("$argon2id$new%d", won) {
			t.Errorf("stored %q (%v); the issuer told it was saved: %d", got.Hash, err, won)
		}
	})

	t.Run("Tries", func(t *testing.T) {
		b := open(t)
		// The three counts an account keeps: the password's and, here,
		// app passwords'.
		count := func(tr *info.Counts) error {
			tr.Failures++
			tr.LastFailure = t0
			tr.AppPasswordTries.Failures++
			tr.AppPasswordTries.LastFailure = t0.Add(time.Second)
			return nil
		}
		err := b.Store.UpdateTries("Nobody@Contoso.example", count)
		if errors.Is(err, info.ErrNotSupported) {
			t.Skip("no place for Tries here: the app keeps them in memory")
		}
		if err != nil {
			t.Fatalf("UpdateTries: %v", err)
		}
		refused := errors.New("refused")
		var got info.Counts
		read := func(tr *info.Counts) error { got = *tr; return refused }
		// Names compare as accounts' do; a refusal saves nothing and
		// comes back as it is.
		if err := b.Store.UpdateTries(" nobody@contoso.EXAMPLE ", count); err != nil {
			t.Fatalf("UpdateTries again: %v", err)
		}
		if err := b.Store.UpdateTries("nobody@contoso.example", read); err != refused {
			t.Fatalf("a refusal came back as %v", err)
		}
		if got.Failures != 2 || !got.LastFailure.Equal(t0) || got.AppPasswordTries.Failures != 2 ||
			!got.AppPasswordTries.LastFailure.Equal(t0.Add(time.Second)) || got.SecondFactorTries != (info.Tries{}) {
			t.Fatalf("after two failures: %+v", got)
		}
		if err := b.Store.UpdateTries("nobody@contoso.example", read); err != refused || got.Failures != 2 {
			t.Fatalf("a refusal saved something: %+v", got)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		b := open(t)
		for i, e := range []info.AuditEntry{
			{Time: t0, Actor: "alice", Account: "alice@contoso.example", Action: info.ActionSignIn, Station: "k1"},
			{Time: t0.Add(time.Minute), Actor: "carol", Account: "bob@contoso.example", Action: info.ActionReset, Station: "k1", Detail: "line\nbreak"},
			{Time: t0.Add(2 * time.Minute), Actor: "alice", Account: "alice@contoso.example", Action: info.ActionMethodAdded, Station: "k2"},
		} {
			if err := b.Store.AppendAudit(e); err != nil {
				t.Fatalf("AppendAudit %d: %v", i, err)
			}
		}
		all, err := AuditEntries(b.Store, "", time.Time{})
		if err != nil || len(all) != 3 || all[0].Action != info.ActionSignIn || all[2].Action != info.ActionMethodAdded {
			t.Fatalf("Audit() = %+v, %v", all, err)
		}
		if strings.Contains(all[1].Detail, "\n") {
			t.Errorf("a newline reached the log: %q", all[1].Detail)
		}
		mine, _ := AuditEntries(b.Store, "ALICE@contoso.example", time.Time{})
		if len(mine) != 2 {
			t.Errorf("Audit(alice) = %d entries, want 2", len(mine))
		}
		late, _ := AuditEntries(b.Store, "", t0.Add(time.Minute))
		if len(late) != 2 || late[0].Action != info.ActionReset {
			t.Errorf("Audit(since) = %+v", late)
		}
	})
}

// code is the ith recovery code of a set whose ids start with prefix.
func code(prefix string, i int) info.Method {
	return info.Method{ID: fmt.Sprintf("%s%d", prefix, i), Kind: info.KindRecoveryCodes, Label: "Recovery code",
		Created: t0.Add(time.Duration(i) * time.Second), Hash: "$argon2id$" + prefix + strconv.Itoa(i)}
}

// AuditEntries collects the entries s.EachAudit visits, for tests.
func AuditEntries(s info.Store, account string, since time.Time) ([]info.AuditEntry, error) {
	var out []info.AuditEntry
	err := s.EachAudit(account, since, func(e info.AuditEntry) error { out = append(out, e); return nil })
	return out, err
}
