package directory_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// TestDirectory_AnHourLaterTheShareIsCountedAgainInTheBackground: once
// the count of people with an app is an hour old, the next sign-in
// answers by the count it has and starts a new one in the background
// (about a second at 100,000 people, which no person should wait for),
// and the answers then follow the new share.
func TestDirectory_AnHourLaterTheShareIsCountedAgainInTheBackground(t *testing.T) {
	d, s := open(t)
	s.AddPerson("p1", "p1-password-1", false)
	names := make([]string, 400)
	for i := range names {
		names[i] = fmt.Sprintf("nobody-%04d@contoso.example", i)
	}
	if _, n := withApp(t, d, names); n != 0 {
		t.Fatalf("with no app registered, %d of %d names ask for the code", n, len(names))
	}
	if err := d.AddMethod("p1", info.Method{ID: "app1", Kind: info.KindAuthenticatorApp, Created: time.Now()}, seed); err != nil {
		t.Fatal(err)
	}
	directory.AgeShare(d)
	// The sign-in that finds the count old answers by it: nobody had an
	// app then.
	if v, err := d.UnknownCodeAtBind(names[0]); err != nil || v {
		t.Fatalf("the sign-in that starts the new count answers %v, %v; want the old count's answer (false)", v, err)
	}
	// Polled, not timed: the background count lands when slapd answers.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, n := withApp(t, d, names); n == len(names) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("everybody now has an app, and names still answer as people without one: the share was never counted again")
		}
	}
}
