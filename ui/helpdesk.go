package ui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/words"
)

// passLifetimes are the choices an operator has for a Temporary Access Pass.
var passLifetimes = []struct {
	label string
	d     time.Duration
}{{"1 hour", time.Hour}, {"8 hours", 8 * time.Hour}, {"1 day", 24 * time.Hour}, {"7 days", 7 * 24 * time.Hour}} // labels shown through lang.L

// helpdeskPage is an operator's view: find an account, see its methods
// (never a secret, phones masked), remove one or all, unlock it, and issue
// a Temporary Access Pass shown once with a registration slip.
type helpdeskPage struct {
	u *UI

	search   *widget.Entry
	results  *fyne.Container
	detail   *fyne.Container
	message  *widget.Label
	box      fyne.CanvasObject
	selected string
	// typed counts changes to the search, so that only the last one
	// searches.
	typed int
	// pending is the power the operator asked for when it needed them to
	// confirm it's them first (reauth): it runs once they are back here
	// having done so, and is dropped if they came back without.
	pending func()
}

func newHelpdeskPage(u *UI) *helpdeskPage {
	p := &helpdeskPage{u: u}
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(lang.L("Search accounts (at least 2 characters)"))
	p.search.OnChanged = func(string) { p.u.touch(); p.findSoon() }
	p.results = container.NewVBox()
	p.detail = container.NewVBox()
	p.message = errorLabel()
	// At the top, not centred: results listed while typing must not move
	// the search field.
	p.box = topFramed(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("{{.Organisation}} helpdesk", map[string]any{"Organisation": u.flow.Policy().Organisation}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		heading(lang.L("Help someone with their security info")),
		p.search, p.results, widget.NewSeparator(), p.detail, p.message,
		container.NewHBox(layoutSpacer(), newButton(lang.L("Sign out"), p.onSignOut)),
	))
	return p
}

func (p *helpdeskPage) title() string         { return lang.L("Helpdesk") }
func (p *helpdeskPage) focus() fyne.Focusable { return p.search }

func (p *helpdeskPage) content() fyne.CanvasObject {
	p.showAccount()
	if again := p.pending; again != nil {
		p.pending = nil
		if p.u.flow.Fresh() {
			again()
		}
	}
	return p.box
}

// reauth, for a power refused for want of a recent second factor, asks
// the operator to confirm it's them on "Verify your identity", which
// returns here (the search and the account shown kept) and then does
// again, what they asked for. It reports whether err was that refusal.
func (p *helpdeskPage) reauth(err error, again func()) bool {
	if !errors.Is(err, wizard.ErrReauthNeeded) {
		return false
	}
	d := p.u.newConfirm(lang.L("Confirm it's you"),
		lang.L("For your security, confirm it's you again before changing someone's security info: your second factor is more than 10 minutes old. What you asked for is done once you have."),
		func(ok bool) {
			if !ok {
				return
			}
			p.pending = again
			if err := p.u.handle(p.u.flow.OpenVerify()); err != nil {
				p.pending = nil
				p.message.SetText(p.u.say(err))
			}
		})
	d.SetConfirmText(lang.L("Confirm it's you"))
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
	return true
}

// SearchDelay is how long the search waits after the last key before it
// looks: one search for a name typed at speed, not one per key.
const SearchDelay = 250 * time.Millisecond

// findSoon searches once no key has been typed for SearchDelay.
func (p *helpdeskPage) findSoon() {
	p.typed++
	n := p.typed
	p.u.after(SearchDelay, func() {
		if n == p.typed {
			p.find()
		}
	})
}

// find lists, off the UI thread, the accounts whose names contain what was
// typed.
func (p *helpdeskPage) find() {
	q := p.search.Text
	type result struct {
		names []string
		more  bool
		err   error
	}
	background(p.u, func() result {
		names, more, err := p.u.flow.FindAccounts(q)
		return result{names, more, err}
	}, func(r result) {
		if q == p.search.Text {
			p.list(r.names, r.more, r.err)
		}
	})
}

// list shows the accounts found.
func (p *helpdeskPage) list(names []string, more bool, err error) {
	defer p.u.relayout()
	p.results.RemoveAll()
	if errors.Is(err, wizard.ErrShortQuery) {
		return
	}
	if err != nil {
		p.message.SetText(p.u.say(err))
		return
	}
	n := len(names)
	for _, name := range names {
		b := newButton(name, func() { p.selected = name; p.showAccount() })
		b.Alignment = widget.ButtonAlignLeading
		p.results.Add(b)
	}
	if more {
		p.results.Add(widget.NewLabel(lang.L("More accounts match: type more of the name.")))
	}
	if n == 0 {
		p.results.Add(widget.NewLabel(lang.L("No account matches.")))
	}
}

// showAccount reads the selected account, then draws its details.
func (p *helpdeskPage) showAccount() {
	p.message.SetText("")
	if p.selected == "" {
		p.detail.RemoveAll()
		p.u.relayout()
		return
	}
	name := p.selected
	type result struct {
		a   wizard.AccountSummary
		err error
	}
	background(p.u, func() result {
		a, err := p.u.flow.LookUp(name)
		return result{a, err}
	}, func(r result) {
		if name != p.selected {
			return // another account was chosen meanwhile
		}
		p.drawAccount(r.a, r.err)
	})
}

// drawAccount draws an account's details: its methods, Unlock if it is
// locked (not if an administrator disabled it), and what the operator can
// do.
func (p *helpdeskPage) drawAccount(a wizard.AccountSummary, err error) {
	defer p.u.relayout()
	p.detail.RemoveAll()
	if err != nil {
		p.message.SetText(p.u.say(err))
		return
	}
	p.detail.Add(widget.NewLabelWithStyle(a.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	switch {
	case a.Disabled:
		// No Unlock: the flow refuses it (ErrDisabledByAdministrator).
		p.detail.Add(para(lang.L("Disabled in the directory by an administrator. Unlocking it is for them, not the helpdesk.")))
	case a.Locked:
		p.detail.Add(container.NewHBox(widget.NewLabel(lang.L("Locked after too many failed sign-ins.")), newButton(lang.L("Unlock"), func() { p.onUnlock(a.Name) })))
	}
	if len(a.Methods) == 0 {
		p.detail.Add(widget.NewLabel(lang.L("No security info registered.")))
	}
	codes := recovery.Codes(a.Methods)
	for _, m := range a.Methods {
		text := lang.L("{{.MethodName}} (added {{.Created}})", map[string]any{"MethodName": methodName(m), "Created": formatDate(m.Created)})
		if m.Kind == info.KindRecoveryCodes {
			// The set is one method, removed as one: one row, where
			// its first code was.
			if m.ID != codes[0].ID {
				continue
			}
			text = lang.L("Recovery codes: {{.Codes}} of {{.Count}} left", map[string]any{"Codes": len(codes), "Count": recovery.Count})
		}
		p.detail.Add(container.NewBorder(nil, nil, nil, newButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() { p.onRemove(a.Name, m) }), widget.NewLabel(text)))
	}
	p.detail.Add(widget.NewSeparator())
	p.detail.Add(widget.NewLabelWithStyle(lang.L("Temporary Access Pass"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	p.detail.Add(para(passStatus(a.Pass)))
	lifetime := widget.NewSelect(nil, nil)
	for _, l := range passLifetimes {
		lifetime.Options = append(lifetime.Options, lang.L(l.label))
	}
	lifetime.SetSelected(lang.L(passLifetimes[0].label))
	oneTime := newCheck(lang.L("One-time use"), nil)
	oneTime.SetChecked(true)
	issue := lang.L("Issue Temporary Access Pass")
	passRow := container.NewHBox(newButton(issue, func() { p.onIssue(a.Name, lifetime.SelectedIndex(), oneTime.Checked) }), lifetime, oneTime)
	if a.Pass != nil {
		passRow.Add(newButton(lang.L("Revoke pass"), func() { p.onRevoke(a.Name) }))
	}
	p.detail.Add(passRow)
	if n := len(a.Methods) - max(len(codes)-1, 0); n > 0 { // the codes are one method
		// Apart from the pass controls, marked as what it is.
		reset := newButtonWithIcon(lang.L("Reset all security info…"), theme.WarningIcon(), func() { p.onReset(a.Name, n) })
		reset.Importance = widget.DangerImportance
		p.detail.Add(widget.NewSeparator())
		p.detail.Add(container.NewBorder(nil, nil, nil, reset,
			para(lang.N("Remove all {{.N}} methods: {{.Name}} registers again at their next sign-in.", n, map[string]any{"N": n, "Name": a.Name}))))
	}
}

// passStatus says what the operator may know of a pass.
func passStatus(ps *wizard.PassStatus) string {
	if ps == nil {
		return lang.L("No Temporary Access Pass.")
	}
	use := lang.L("reusable until then")
	if ps.OneTime {
		use = lang.L("one-time")
	}
	when := func(t time.Time) string { return formatDayTime(t) }
	switch {
	case ps.Active:
		return lang.L("Temporary Access Pass: active until {{.Expires}}, {{.Use}} (issued {{.Issued}}).", map[string]any{"Expires": when(ps.Expires), "Use": use, "Issued": when(ps.Issued)})
	case ps.OneTime && ps.Used:
		return lang.L("Temporary Access Pass: used at {{.Used}} (issued {{.Issued}}). It works no more.", map[string]any{"Used": when(ps.UsedAt), "Issued": when(ps.Issued)})
	default:
		return lang.L("Temporary Access Pass: expired at {{.Expires}} (issued {{.Issued}}).", map[string]any{"Expires": when(ps.Expires), "Issued": when(ps.Issued)})
	}
}

// onRevoke ends the account's pass, once the operator confirms.
func (p *helpdeskPage) onRevoke(account string) {
	d := p.u.newConfirm(lang.L("Revoke the pass?"), lang.L("The Temporary Access Pass of {{.Account}} stops working at once.", map[string]any{"Account": account}), func(ok bool) {
		if !ok {
			return
		}
		p.operate(func() error { return p.u.flow.RevokePassOf(account) }, p.redrawThenSay)
	})
	d.SetConfirmText(lang.L("Revoke"))
	d.SetDismissText(lang.L("Keep"))
	d.Show()
}

func (p *helpdeskPage) onRemove(account string, m info.Method) {
	what := lang.L("{{.Account}} will no longer be able to use {{.Title}}: {{.Label}}.", map[string]any{"Account": account, "Title": translate(wizard.Describe(m.Kind).Title), "Label": methodLabel(m)})
	if m.Kind == info.KindRecoveryCodes {
		what = lang.L("{{.Account}} will no longer be able to use any of their recovery codes.", map[string]any{"Account": account})
	}
	p.u.newConfirm(lang.L("Remove this method?"), what, func(ok bool) {
		if !ok {
			return
		}
		// A keyring delete can take seconds: off the UI thread.
		p.operate(func() error { return p.u.flow.RemoveMethodOf(account, m) }, p.sayOrRedraw)
	}).Show()
}

// onReset removes every method of the account once the operator has typed
// its name: a reset can't be undone.
func (p *helpdeskPage) onReset(account string, n int) {
	name := newKeyEntry()
	name.SetPlaceHolder(account)
	body := container.NewVBox(
		para(lang.N("All {{.N}} methods of {{.Account}} will be removed; they register again at their next sign-in. This can't be undone.", n, map[string]any{"N": n, "Account": account})),
		para(lang.L("Type the account's name to confirm:")),
		name)
	d := p.u.newKeyDialog(lang.L("Reset all security info?"), lang.L("Remove all"), lang.L("Cancel"), body, func(ok bool) {
		if !ok {
			return
		}
		p.operate(func() error { _, err := p.u.flow.ResetAccount(account); return err }, p.redrawThenSay)
	})
	d.dismiss.Icon = nil
	remove := d.confirm
	remove.Icon = theme.DeleteIcon()
	remove.Importance = widget.DangerImportance
	remove.Disable()
	d.first = name
	name.OnSubmitted = func(string) { d.Confirm() } // only once the name matches
	name.OnChanged = func(typed string) {
		p.u.touch()
		if info.AccountKey(typed) == info.AccountKey(account) { // the name as accounts compare it
			remove.Enable()
		} else {
			remove.Disable()
		}
	}
	d.Resize(fyne.NewSize(460, 260))
	d.Show()
}

func (p *helpdeskPage) onUnlock(account string) {
	p.operate(func() error { return p.u.flow.UnlockAccount(account) }, p.sayOrRedraw)
}

// operate runs do, one of the helpdesk's powers, off the UI thread, then
// done with its error; refused for want of a recent second factor, it
// asks the operator to confirm it's them (reauth) and runs again on their
// return instead.
func (p *helpdeskPage) operate(do func() error, done func(error)) {
	background(p.u, do, func(err error) {
		if p.reauth(err, func() { p.operate(do, done) }) {
			return
		}
		done(err)
	})
}

// redrawThenSay shows the account again after a power that may have
// changed it even where it failed part way (a revoke, a reset), then says
// the failure, if any.
func (p *helpdeskPage) redrawThenSay(err error) {
	p.showAccount()
	if err != nil {
		p.message.SetText(p.u.say(err))
	}
}

// sayOrRedraw says a power's failure, or shows the account again after
// it worked.
func (p *helpdeskPage) sayOrRedraw(err error) {
	if err != nil {
		p.message.SetText(p.u.say(err))
		return
	}
	p.showAccount()
}

// onIssue makes a pass off the UI thread (argon2id) and shows it once.
func (p *helpdeskPage) onIssue(account string, choice int, oneTime bool) {
	lifetime := passLifetimes[max(choice, 0)].d
	type result struct {
		pass wizard.IssuedPass
		err  error
	}
	background(p.u, func() result {
		pass, err := p.u.flow.IssuePass(account, lifetime, oneTime)
		return result{pass, err}
	}, func(r result) {
		if p.reauth(r.err, func() { p.onIssue(account, choice, oneTime) }) {
			return
		}
		if r.err != nil {
			p.message.SetText(p.u.say(r.err))
			return
		}
		p.showAccount() // the account's pass status
		p.showPass(account, r.pass)
	})
}

// showPass shows a new pass once, with the registration slip.
func (p *helpdeskPage) showPass(account string, pass wizard.IssuedPass) {
	use := lang.L("It can be used until then.")
	if pass.OneTime {
		use = lang.L("It works once.")
	}
	text := widget.NewRichText(&widget.TextSegment{Text: pass.Formatted, Style: widget.RichTextStyle{
		TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameHeadingText}})
	withPass := newCheck(lang.L("Put the pass on the slip"), nil)
	status := para("")
	slip := func() string {
		pw := ""
		if withPass.Checked {
			pw = pass.Formatted
		}
		return registrationSlip(p.u.flow.Policy().Organisation, account, pass.Expires, pw)
	}
	save := newButtonWithIcon(lang.L("Save registration slip…"), theme.DocumentSaveIcon(), func() {
		text, private := slip(), withPass.Checked
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			p.saveSlip(w, text, private, status)
		}, p.u.win)
		d.SetFileName("registration-slip.txt")
		p.u.showFileDialog(d)
	})
	printIt := newButtonWithIcon(lang.L("Print slip"), theme.DocumentPrintIcon(), func() {
		text := slip()
		status.SetText(lang.L("Sending the slip to the printer…"))
		background(p.u, func() error { return printSlip(text) }, func(err error) {
			if err != nil {
				status.SetText(p.u.say(err))
				return
			}
			status.SetText(lang.L("The slip was sent to the printer."))
		})
	})
	body := container.NewVBox(
		para(lang.L("Temporary Access Pass for {{.Account}}, valid until {{.Expires}}. {{.Use}} Read it out or hand over the slip: it is not shown again.", map[string]any{"Account": account, "Expires": formatDayTime(pass.Expires), "Use": use})),
		text, withPass, container.NewHBox(save, printIt), status)
	p.u.newCustom(lang.L("Temporary Access Pass"), lang.L("Done"), body).Show()
}

// saveSlip writes the slip where the save dialog says, off the UI thread,
// and says where it went. A slip that holds the pass is readable by its
// owner only.
func (p *helpdeskPage) saveSlip(w fyne.URIWriteCloser, text string, private bool, status *widget.Label) {
	u := w.URI()
	if u.Scheme() != "file" { // not a local file: as the dialog gives it
		_, err := w.Write([]byte(text))
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			status.SetText(p.u.say(err))
			return
		}
		status.SetText(lang.L("Saved the registration slip to {{.Path}}.", map[string]any{"Path": u.String()}))
		return
	}
	path := u.Path()
	_ = w.Close() // the dialog created it empty; writeSlip fills it
	background(p.u, func() error { return writeSlip(path, text, private) }, func(err error) {
		if err != nil {
			status.SetText(p.u.say(fmt.Errorf("saving the slip: %w", errSlipNotSaved)))
			p.u.logf("saving the slip to %s: %v", path, err)
			return
		}
		msg := lang.L("Saved the registration slip to {{.Path}}.", map[string]any{"Path": path})
		if private {
			msg += " " + lang.L("Only you can read it: it holds the pass.")
		}
		status.SetText(msg)
	})
}

// writeSlip writes text to path; with private (the slip holds the pass)
// the file is made readable by its owner only before the text is in it.
func writeSlip(path, text string, private bool) error {
	mode := os.FileMode(0o644)
	if private {
		mode = 0o600
		if err := os.Chmod(path, mode); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printCommand prints what it reads on standard input (CUPS).
var printCommand = []string{"lp", "-t", "Registration slip"}

var (
	errNoPrinter = words.New("no printing command (lp) on this computer",
		"This computer can't print (no printer is set up). Save the slip and print it from another computer.")
	errPrintFailed = words.New("printing failed",
		"The slip couldn't be printed. Check the printer, or save the slip and print it from another computer.")
	errSlipNotSaved = words.New("the slip was not saved",
		"The slip couldn't be saved there. Choose another folder.")
)

// printSlip sends text to the printer; slow (the print system may take
// seconds to answer): call it off the UI thread.
func printSlip(text string) error {
	cmd := exec.Command(printCommand[0], printCommand[1:]...)
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	switch {
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %v", errNoPrinter, err)
	case err != nil:
		return fmt.Errorf("%w: %v: %s", errPrintFailed, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// registrationSlip is what a walk-up takes away: who, until when, and
// what to do next; the pass itself only if the operator chooses.
func registrationSlip(org, account string, expires time.Time, pass string) string {
	var b strings.Builder
	b.WriteString(lang.L("{{.Organisation}}: register your security info", map[string]any{"Organisation": org}) + "\n\n")
	b.WriteString(lang.L("Account:  {{.Account}}", map[string]any{"Account": account}) + "\n")
	if pass != "" {
		b.WriteString(lang.L("Pass:     {{.Pass}}", map[string]any{"Pass": pass}) + "\n")
	} else {
		b.WriteString(lang.L("Pass:     given to you in person") + "\n")
	}
	b.WriteString(lang.L("Valid until: {{.Expires}}", map[string]any{"Expires": expires.UTC().Format("2006-01-02 15:04 MST")}) + "\n\n")
	b.WriteString(lang.L("What to do next:") + "\n")
	b.WriteString(lang.L("1. At a registration station or your own computer, open Security Info.") + "\n")
	b.WriteString(lang.L("2. Sign in with your account and the pass instead of your password.") + "\n")
	b.WriteString(lang.L("3. Follow \"Keep your account secure\": set up the authenticator app on your phone first.") + "\n")
	b.WriteString(lang.L("4. Destroy this slip once you are done.") + "\n")
	return b.String()
}

// clear forgets the last operator's search and selection.
func (p *helpdeskPage) clear() {
	p.selected, p.pending = "", nil
	p.typed++
	p.search.SetText("")
	p.results.RemoveAll()
	p.detail.RemoveAll()
	p.message.SetText("")
}

func (p *helpdeskPage) onSignOut() {
	_ = p.u.flow.Done()
	p.u.wipe()
}
