package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/internal/testkit"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// The operator sees a person's recovery codes as one row with how many
// are left (not ten rows of one code each), counted as one method by
// Reset all, and its Remove takes the whole set.
func TestHelpdesk_RecoveryCodesAreOneRowRemovedAsOne(t *testing.T) {
	h := helpdeskHarness(t)
	if _, err := recovery.Regenerate(h.dir, "alice@contoso.example", t0, testkit.Seeded(7)); err != nil {
		t.Fatal(err)
	}
	h.operatorSignIn()
	h.search("ali")
	test.Tap(buttons(h.w.Canvas(), "alice@contoso.example")[0])
	var rows []string
	for _, o := range objects(h.w.Canvas()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "Recovery code") {
			rows = append(rows, l.Text)
		}
	}
	if len(rows) != 1 || rows[0] != "Recovery codes: 10 of 10 left" {
		t.Errorf("recovery code rows: %q; want one, with the count", rows)
	}
	if labelWith(h, "Remove all 3 methods") == nil {
		t.Error("Reset all doesn't count the codes as one method (app, phone, codes)")
	}
	if n := len(buttons(h.w.Canvas(), "Remove")); n != 3 {
		t.Fatalf("%d Remove buttons, want 3 (app, phone, codes)", n)
	}
	test.Tap(removeOnRow(t, h, "Recovery codes"))
	if labelWith(h, "will no longer be able to use any of their recovery codes") == nil {
		t.Error("the confirmation doesn't say every code goes")
	}
	test.Tap(buttons(h.w.Canvas(), "Yes")[0])
	h.u.Wait()
	ms, _ := h.dir.Methods("alice@contoso.example")
	if left := recovery.Left(ms); left != 0 || len(ms) != 2 {
		t.Errorf("after Remove on the codes: %d codes left, %d methods", left, len(ms))
	}
}

// removeOnRow is the Remove button on the helpdesk's method row whose
// text contains part.
func removeOnRow(t *testing.T, h *harness, part string) *widget.Button {
	t.Helper()
	for _, row := range h.u.helpdesk.detail.Objects {
		c, ok := row.(*fyne.Container)
		if !ok {
			continue
		}
		var label *widget.Label
		var remove *widget.Button
		for _, o := range c.Objects {
			if l, ok := o.(*widget.Label); ok {
				label = l
			} else if b, ok := asButton(o); ok && b.Text == "Remove" {
				remove = b
			}
		}
		if label != nil && remove != nil && strings.Contains(label.Text, part) {
			return remove
		}
	}
	t.Fatalf("no method row with %q and Remove", part)
	return nil
}
