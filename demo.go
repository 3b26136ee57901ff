package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"time"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// demoAccount creates the demo account after the window's first frame
// instead of before it: on the very first start that is one argon2id
// hash, which would otherwise delay the window and raise its peak memory.
// Until it is done, the store the flow uses (gate) holds back every
// account look-up, so a sign-in that quick still finds the account.
type demoAccount struct {
	dir   info.Store
	ready chan struct{}
	// now is the clock of the creation.
	now func() time.Time
}

// newDemoAccount prepares the creation of the demo account in dir.
func newDemoAccount(dir info.Store) *demoAccount {
	return &demoAccount{dir: dir, ready: make(chan struct{}), now: time.Now}
}

// create makes the demo account if it is missing, then lets look-ups
// through. A failure is logged: signing in as the demo account then fails
// as a wrong password does.
func (d *demoAccount) create() {
	defer close(d.ready)
	if _, err := wizard.EnsureDemoAccount(d.dir, d.now(), rand.Reader); err != nil {
		fmt.Fprintf(os.Stderr, "securityinfo: creating the demo account: %v\n", err)
	}
}

// gate returns s with its account look-ups held until create is done.
func (d *demoAccount) gate(s info.Store) info.Store { return demoGate{Store: s, ready: d.ready} }

// demoGate is a Store whose account look-ups wait for ready.
type demoGate struct {
	info.Store
	ready <-chan struct{}
}

// Account waits for the demo account, then looks name up.
func (g demoGate) Account(name string) (info.Account, error) {
	<-g.ready
	return g.Store.Account(name)
}

// Bind waits for the demo account, then checks the credential.
func (g demoGate) Bind(name, credential string) (info.Account, error) {
	<-g.ready
	return g.Store.Bind(name, credential)
}

// EachAccount waits for the demo account, then walks the accounts.
func (g demoGate) EachAccount(query string, limit int, visit func(info.Account) error) error {
	<-g.ready
	return g.Store.EachAccount(query, limit, visit)
}
