package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/authapp"
)

// An operator whose second factor is more than 10 minutes old asks for a
// pass: the page says to confirm it's them first (Enter goes on), "Verify
// your identity" asks for their app's code, and they come back to the
// account they were helping, the search kept, with the pass issued.
func TestHelpdesk_StaleOperatorConfirmsAndComesBack(t *testing.T) {
	h := openAlice(t)
	h.now = h.now.Add(wizard.ReauthAge + 20*time.Minute)
	test.Tap(buttons(h.w.Canvas(), "Issue Temporary Access Pass")[0])
	h.u.Wait()
	if _, err := h.dir.GetPass("alice@contoso.example"); err == nil {
		t.Fatal("a pass was issued on a second factor 30 minutes old")
	}
	if labelWith(h, "confirm it's you again before changing someone's security info") == nil {
		t.Fatalf("no word that the operator must confirm it's them; message %q", h.u.helpdesk.message.Text)
	}
	press(h.w.Canvas(), fyne.KeyReturn) // the dialog's "Confirm it's you"
	h.u.Wait()
	h.wantTitle("Verify your identity")
	if !strings.Contains(h.u.verify.intro.Text, "someone's security info") {
		t.Errorf("Verify says %q", h.u.verify.intro.Text)
	}
	if len(h.u.verify.panel.entries) == 0 {
		t.Fatalf("Verify asks for no code: %q", h.u.verify.panel.message.Text)
	}
	if f := h.w.Canvas().Focused(); f != h.u.verify.panel.entries[0] {
		t.Errorf("the code field doesn't have the keyboard: %v", f)
	}
	test.Type(h.u.verify.panel.entries[0], authapp.Code(appSeed, h.now)) // submitted on the sixth digit
	h.u.Wait()
	h.wantTitle("Helpdesk")
	if h.u.helpdesk.search.Text != "ali" || h.u.helpdesk.selected != "alice@contoso.example" {
		t.Errorf("back on the helpdesk page: search %q, account %q; want what the operator left", h.u.helpdesk.search.Text, h.u.helpdesk.selected)
	}
	if _, err := h.dir.GetPass("alice@contoso.example"); err != nil {
		t.Errorf("the pass asked for wasn't issued once the operator confirmed: %v", err)
	}
	if labelWith(h, "Temporary Access Pass for alice@contoso.example") == nil {
		t.Error("the new pass isn't shown")
	}
}

// An operator who leaves "Verify your identity" by Back comes back to
// the helpdesk page with nothing done.
func TestHelpdesk_StaleOperatorWhoGoesBackGetsNothingDone(t *testing.T) {
	h := openAlice(t)
	h.now = h.now.Add(wizard.ReauthAge + time.Minute)
	test.Tap(buttons(h.w.Canvas(), "Issue Temporary Access Pass")[0])
	h.u.Wait()
	confirm := buttons(h.w.Canvas(), "Confirm it's you")
	if len(confirm) != 1 {
		t.Fatalf("%d \"Confirm it's you\" buttons, want 1", len(confirm))
	}
	test.Tap(confirm[0])
	h.u.Wait()
	h.wantTitle("Verify your identity")
	test.Tap(buttons(h.w.Canvas(), "Back")[0])
	h.u.Wait()
	h.wantTitle("Helpdesk")
	if _, err := h.dir.GetPass("alice@contoso.example"); err == nil {
		t.Error("a pass was issued though the operator didn't confirm it's them")
	}
	if h.u.helpdesk.selected != "alice@contoso.example" {
		t.Errorf("back on the helpdesk page with account %q shown", h.u.helpdesk.selected)
	}
}
