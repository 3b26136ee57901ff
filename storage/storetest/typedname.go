package storetest

import (
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// typedNameStaysOutOfErrors: a name that names no account may be a
// password typed into the account field, and an error is read by whoever
// logs or shows it. So no call of a store with such a name answers an
// error that holds it, whatever the error (ErrNoAccount, ErrNoPass,
// ErrNotSupported or another).
func typedNameStaysOutOfErrors(t *testing.T, open func(t *testing.T) Backend) {
	b := open(t)
	b.AddPerson(t, "alice", "correct horse 1")
	const typed = "Canary-Typed-4711"
	s := b.Store
	m := info.Method{ID: "m1", Kind: info.KindPhone, Label: "+1 ••• ••• 0123", Phone: "+12015550123", Channel: "sms", Created: t0}
	calls := map[string]func() error{
		"Account":               func() error { _, err := s.Account(typed); return err },
		"UpdateAccount":         func() error { return s.UpdateAccount(typed, func(*info.Account) error { return nil }) },
		"Unlock":                func() error { return s.Unlock(typed) },
		"ClearPasswordFailures": func() error { return s.ClearPasswordFailures(typed) },
		"SetPassword":           func() error { return s.SetPassword(typed, "battery staple 2") },
		"Bind":                  func() error { _, err := s.Bind(typed, "battery staple 2"); return err },
		"BindProved":            func() error { _, err := s.BindProved(typed, "battery staple 2"); return err },
		"UnknownCodeAtBind":     func() error { _, err := s.UnknownCodeAtBind(typed); return err },
		"Methods":               func() error { _, err := s.Methods(typed); return err },
		"AddMethod":             func() error { return s.AddMethod(typed, m, nil) },
		"UpdateMethod":          func() error { return s.UpdateMethod(typed, "m1", func(*info.Method) error { return nil }) },
		"RemoveMethod":          func() error { return s.RemoveMethod(typed, "m1") },
		"RemoveAllMethods":      func() error { _, err := s.RemoveAllMethods(typed); return err },
		"ReplaceMethods":        func() error { return s.ReplaceMethods(typed, info.KindPhone, []info.Method{m}) },
		"Secret":                func() error { _, err := s.Secret(typed, "m1"); return err },
		"SetPass": func() error {
			return s.SetPass(typed, "", info.Pass{Hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", Issued: t0, Expires: t0.Add(1e12)})
		},
		"GetPass":    func() error { _, err := s.GetPass(typed); return err },
		"UpdatePass": func() error { return s.UpdatePass(typed, func(*info.Pass) error { return nil }) },
		"DeletePass": func() error { return s.DeletePass(typed) },
	}
	for name, call := range calls {
		if err := call(); err != nil && strings.Contains(strings.ToLower(err.Error()), strings.ToLower(typed)) {
			t.Errorf("%s(a name that names no account) answers an error that holds the name: %v", name, err)
		}
	}
}
