//go:build e2e

package e2e

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const keyboardPolicy = `organisation = "Contoso"
demo = true
required = ["authenticator-app", "phone"]
allowed = ["authenticator-app", "phone"]
app_passwords = true
`

// windowImage is the window as it is on screen now.
func (s *session) windowImage() image.Image {
	s.t.Helper()
	cmd := exec.Command("import", "-window", s.win, "png:-")
	cmd.Env = s.env
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("screenshot of the window: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		s.t.Fatalf("decoding the screenshot: %v", err)
	}
	return img
}

// backdrop is the colour of the window's top-left corner: the page's
// background, which an open dialog's shade darkens.
func (s *session) backdrop() [3]uint32 {
	r, g, b, _ := s.windowImage().At(3, 3).RGBA()
	return [3]uint32{r >> 8, g >> 8, b >> 8}
}

// dialogOpen reports whether a dialog shades the page: its corner is no
// longer the page's background, page. After the repaint time it waits
// up to 10 s more for the state the test expects, expect (a dialog
// opened by a key can take longer on a loaded machine), and reports the
// state it last saw: a dialog that never comes or never goes still fails.
func (s *session) dialogOpen(page [3]uint32, expect bool) bool {
	s.waitPaint()
	deadline := time.Now().Add(10 * time.Second)
	for {
		open := s.backdrop() != page
		if open == expect || time.Now().After(deadline) {
			return open
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestRealWindow_KeyboardOnly does the whole seed flow with the keyboard
// alone: sign in, the authenticator app (code from oathtool), the phone
// (code from the demo outbox), an app password, done. On the way, Enter
// and Escape in the dialogs act on the dialog, never on the page behind
// it, and the one-time app password stays on screen after Escape at
// "Leave this page?". It logs how many keys that took.
func TestRealWindow_KeyboardOnly(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("xclip"); err != nil {
		t.Fatal("xclip is missing: run `make test`, which installs it")
	}
	s := newSession(t)
	policy := filepath.Join(s.root, "policy.toml")
	os.WriteFile(policy, []byte(keyboardPolicy), 0o644)
	s.start("--policy", policy)
	s.signInWith(demoPassword)
	s.waitTitle("More information required")
	page := s.backdrop()
	// checks counts the keys pressed only to check the dialogs: without
	// them the person would press Return once where each block ends.
	checks, from := 0, s.keys

	// "Learn more" from the keyboard: Tab past "Use a different account".
	s.key("Tab", "Tab", "Return")
	if !s.dialogOpen(page, true) {
		s.shot("learn-more-not-open")
		t.Fatal("Tab, Tab, Enter did not open Learn more")
	}
	s.shot("learn-more")
	s.key("Return") // the dialog's Close, not the wizard's Next
	if s.dialogOpen(page, false) {
		t.Fatal("Enter did not close Learn more")
	}
	if got := s.title(); got != "Security Info — More information required" {
		t.Fatalf("Enter in Learn more moved the page behind to %q", got)
	}
	s.key("Return") // the link still has the keyboard: open it again
	if !s.dialogOpen(page, true) {
		t.Fatal("Enter on the focused link did not open Learn more again")
	}
	s.key("Escape")
	if s.dialogOpen(page, false) {
		t.Fatal("Escape did not close Learn more")
	}
	// Shift+Tab twice: back past the first link, round to Next.
	s.key("shift+Tab", "shift+Tab", "Return")
	checks += s.keys - from - 1
	s.waitTitle("Keep your account secure — Authenticator app")

	s.registerAuthenticatorApp("demo@contoso.example")
	s.key("Return") // registered: Next
	s.waitTitle("Keep your account secure — Phone")
	s.typeText("(201) 555-0123")
	s.key("Return")
	s.eventually("a code in the outbox", func() bool { c, _ := s.outboxCodes(); return len(c) == 1 })
	s.waitPaint()
	codes, _ := s.outboxCodes()
	s.typeText(codes[0]) // submitted on the sixth digit
	s.eventually("the phone registered", func() bool {
		out, _, _ := s.run("", "user", "show", "demo@contoso.example")
		return strings.Contains(out, "0123")
	})
	s.waitPaint()
	s.key("Return") // SMS verified: Next
	s.waitTitle("Keep your account secure — App password")

	s.typeText("Laptop")
	s.key("Return")
	s.waitAppPassword("Laptop")
	s.waitPaint()
	s.key("ctrl+c")
	pw := s.copied(isAppPassword)
	if !isAppPassword(pw) {
		s.shot("no-password")
		t.Fatalf("the clipboard holds %q, not a 16-letter app password", pw)
	}
	s.shot("app-password")
	page = s.backdrop()
	from = s.keys

	// "I want to set up a different method" is the last link but one.
	s.key("shift+Tab", "shift+Tab", "Return")
	if !s.dialogOpen(page, true) {
		s.shot("leave-not-asked")
		t.Fatal("leaving the app password did not ask first")
	}
	s.shot("leave-this-page")
	s.key("Escape")
	if s.dialogOpen(page, false) {
		t.Fatal("Escape did not close Leave this page?")
	}
	clear := exec.Command("xclip", "-i", "-selection", "clipboard")
	clear.Env, clear.Stdin = s.env, strings.NewReader("")
	clear.Run()
	s.key("ctrl+c") // only while the password is on screen
	if got := s.copied(func(c string) bool { return c == pw }); got != pw || s.title() != "Security Info — Keep your account secure — App password" {
		s.shot("password-gone")
		t.Fatalf("after Escape at Leave this page?: page %q, Ctrl+C copies %q", s.title(), got)
	}
	// Again, and Tab to No, Enter: the dialog's No, the page stays.
	s.key("Return")
	if !s.dialogOpen(page, true) {
		t.Fatal("Enter on the focused link did not ask again")
	}
	s.key("Tab", "Return")
	if s.dialogOpen(page, false) || s.title() != "Security Info — Keep your account secure — App password" {
		t.Fatalf("No from the keyboard: dialog open %v, page %q", s.dialogOpen(page, false), s.title())
	}
	// Cancel, the last link: "Sign out without finishing?"; Escape stays.
	s.key("Tab", "Return")
	if !s.dialogOpen(page, true) {
		t.Fatal("Cancel on the shown password did not ask first")
	}
	s.key("Escape")
	if s.dialogOpen(page, false) || s.title() != "Security Info — Keep your account secure — App password" {
		t.Fatalf("Escape at Sign out without finishing?: page %q", s.title())
	}
	s.key("shift+Tab", "shift+Tab", "Return") // Next, now Done
	checks += s.keys - from - 1
	s.waitPaint()
	s.key("Return")
	s.waitTitle("Success")
	s.shot("success")
	seedKeys, seedTyped := s.keys, s.typed

	// Manage, from the keyboard: from Done round to the first link, then
	// from "Add sign-in method", where the page starts, past "Change
	// default sign-in method" and Laptop's Delete to Create.
	s.key("Tab", "Return")
	s.waitTitle("Security info")
	page = s.backdrop()
	s.key("Tab", "Tab", "Tab", "Return")
	if !s.dialogOpen(page, true) {
		s.shot("create-not-open")
		t.Fatal("Create from the keyboard opened no dialog")
	}
	s.typeText("Tablet")
	s.key("Escape")
	if s.dialogOpen(page, false) {
		t.Fatal("Escape did not close Create an app password")
	}
	// The name in use: said in the dialog, which stays open.
	s.key("Return") // Create still has the keyboard
	// Typed at once: the dialog opens with the key, its field taking the
	// letters while the account's room is read ("aptop" when it opened
	// only after the read).
	s.typeText("Laptop")
	if !s.dialogOpen(page, true) {
		t.Fatal("Create from the keyboard opened no dialog the second time")
	}
	s.key("Return")
	s.waitPaint()
	s.shot("name-in-use")
	if !s.dialogOpen(page, true) {
		t.Fatal("a name in use closed the dialog")
	}
	s.key("ctrl+a")
	s.typeText("Tablet")
	s.key("Return")
	s.eventually("Tablet created", func() bool {
		out, _, _ := s.run("", "app-password", "list", "demo@contoso.example")
		return strings.Contains(out, "Tablet")
	})
	s.waitPaint()
	if !s.dialogOpen(page, true) {
		t.Fatal("the new password is not shown")
	}
	s.shot("tablet-shown")
	s.key("Return") // Done
	if s.dialogOpen(page, false) {
		t.Fatal("Enter did not close Your app password")
	}
	if out, _, _ := s.run("", "app-password", "list", "demo@contoso.example"); strings.Count(out, "Tablet") != 1 || !strings.Contains(out, "Laptop") {
		t.Errorf("app-password list after Manage:\n%s", out)
	}
	t.Logf("the seed flow with the keyboard alone: %d keys pressed (Return, Tab, Escape, Ctrl+C), %d of them only for the dialog checks: %d without them; and %d characters typed (account, password, codes including one wrong code, phone number, app password name)", seedKeys, checks, seedKeys-checks, seedTyped)

	if _, errOut, code := s.run(pw+"\n", "app-password", "verify", "demo@contoso.example"); code != 0 {
		t.Fatalf("app-password verify: exit %d %s", code, errOut)
	}
	show, _, _ := s.run("", "user", "show", "demo@contoso.example")
	for _, want := range []string{"authenticator-app", "phone"} {
		if !strings.Contains(show, want) {
			t.Errorf("user show lacks %s:\n%s", want, show)
		}
	}
}
