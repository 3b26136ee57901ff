package main

import (
	"errors"
	"sync"
	"testing"

	"github.com/securityinfo/securityinfo/storage/memory"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// recorder notes, in order, the account writes and look-ups that reach
// the store beneath it.
type recorder struct {
	info.Store
	mu     *sync.Mutex
	events *[]string
	name   string
}

func (r recorder) note(what string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*r.events = append(*r.events, r.name+" "+what)
}

func (r recorder) CreateAccount(a info.Account) error {
	r.note("create " + a.Name)
	return r.Store.CreateAccount(a)
}

func (r recorder) Account(name string) (info.Account, error) {
	r.note("look up " + name)
	return r.Store.Account(name)
}

// A sign-in started before the demo account exists waits for it: the
// look-up through the gate reaches the store only after the account was
// created.
func TestDemoAccount_SignInWaitsForIt(t *testing.T) {
	store := memory.New()
	var mu sync.Mutex
	var events []string
	d := newDemoAccount(recorder{Store: store, mu: &mu, events: &events, name: "creation:"})
	flowDir := d.gate(recorder{Store: store, mu: &mu, events: &events, name: "flow:"})

	asked := make(chan struct{})
	found := make(chan error, 1)
	go func() {
		close(asked)
		a, err := flowDir.Account(wizard.DemoAccount)
		if err == nil && a.PasswordHash == "" {
			err = errors.New("the demo account has no password hash")
		}
		found <- err
	}()
	<-asked
	d.create() // one argon2id hash: the look-up, were it not held, would come first
	if err := <-found; err != nil {
		t.Fatalf("signing in as the demo account at once: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"creation: look up " + wizard.DemoAccount, "creation: create " + wizard.DemoAccount, "flow: look up " + wizard.DemoAccount}
	if len(events) != len(want) {
		t.Fatalf("events %q, want %q", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("events %q, want %q", events, want)
		}
	}
}

// Once created, look-ups go straight through, and a second start creates
// nothing.
func TestDemoAccount_OnlyOnce(t *testing.T) {
	store := memory.New()
	d := newDemoAccount(store)
	d.create()
	a, err := d.gate(store).Account(wizard.DemoAccount)
	if err != nil {
		t.Fatal(err)
	}
	again := newDemoAccount(store)
	again.create()
	b, err := again.gate(store).Account(wizard.DemoAccount)
	if err != nil || b.PasswordHash != a.PasswordHash {
		t.Fatalf("second start: %v, hash kept: %v", err, b.PasswordHash == a.PasswordHash)
	}
	if _, err := d.gate(store).Account("nobody@contoso.example"); !errors.Is(err, info.ErrNoAccount) {
		t.Fatalf("unknown account through the gate: %v", err)
	}
}
