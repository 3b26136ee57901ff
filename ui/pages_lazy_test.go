package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
)

// The first frame needs only the sign-in page: the others are built when
// first needed (Run builds them right after the first frame), and a kiosk
// that ticks and wipes before then must cope with their absence.
func TestNew_BuildsOnlyTheSignInPageBeforeItIsNeeded(t *testing.T) {
	h := newHarness(t, kioskPolicy, withAuthApp)
	if h.u.host != nil || h.u.manage != nil || h.u.moreInfo != nil {
		t.Fatal("New built the other pages before the first frame")
	}
	h.wantTitle("Sign in")

	// Someone types and walks away: the idle wipe runs with only the
	// sign-in page built, and empties it.
	test.Type(h.u.signIn.account, "half-typed@contoso.example")
	h.tickFor(5 * time.Minute)
	if h.u.signIn.account.Text != "" {
		t.Fatalf("the idle wipe left %q on the sign-in page", h.u.signIn.account.Text)
	}
	if h.u.host != nil {
		t.Fatal("ticking the sign-in page built the other pages")
	}

	// Signing in needs the next page: it is built then, and works.
	h.signIn(wizard.DemoAccount, wizard.DemoPassword)
	if h.u.host == nil || h.u.moreInfo == nil {
		t.Fatal("the pages were not built when the flow left sign-in")
	}
	h.wantTitle("More information required")
	test.Tap(h.u.moreInfo.next)
	h.wantTitle("Keep your account secure — Authenticator app")
}
