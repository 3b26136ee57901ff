package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/recovery"
)

// recoveryView registers recovery codes in the wizard host: what they
// are, then the codes shown once with Copy, Save to a file and Print.
type recoveryView struct {
	u      *UI
	status *widget.Label
}

func newRecoveryView(u *UI) *recoveryView {
	return &recoveryView{u: u, status: para("")}
}

func (v *recoveryView) heading(s wizard.Setup) string {
	if s.Screen() == recovery.ScreenShow {
		return lang.L("Save your recovery codes")
	}
	return lang.L("Get recovery codes")
}

func (v *recoveryView) body(s wizard.Setup) fyne.CanvasObject {
	r := s.(*recovery.Setup)
	if r.Screen() != recovery.ScreenShow {
		v.status.SetText("")
		return para(lang.L("Recovery codes let you sign in, or reset your password, when you can't use your other methods. You get {{.Count}} codes; each works once. Any codes you had before stop working.", map[string]any{"Count": recovery.Count}))
	}
	codes := r.Codes()
	list := widget.NewLabelWithStyle(strings.Join(codes, "\n"), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	buttons := container.NewHBox()
	if !v.u.isKiosk() {
		buttons.Add(newButton(lang.L("Copy"), func() { v.u.copySecret(r.Text()) }))
		buttons.Add(newButton(lang.L("Save to a file"), func() { v.save(r) }))
		v.u.copyTarget = r.Text()
		v.u.saveTarget = func() { v.save(r) }
	}
	buttons.Add(newButton(lang.L("Print"), func() { v.print(r) }))
	return container.NewVBox(
		para(lang.L("Keep these codes somewhere safe, away from your computer. They are shown only now.")),
		list, buttons, v.status)
}

// save writes the codes to a file only the person can read, in their
// Documents folder (or home), off the UI thread.
func (v *recoveryView) save(r *recovery.Setup) {
	text, org := r.Text(), v.u.flow.Policy().Organisation
	background(v.u, func() string {
		path, err := saveCodes(org, text)
		if err != nil {
			v.u.logf("saving recovery codes: %v", err)
			return codesNotSaved(err)
		}
		return lang.L("Saved to {{.Path}}. Only you can read this file.", map[string]any{"Path": path})
	}, func(msg string) { v.status.SetText(msg); v.u.relayout() })
}

// codesNotSaved says why the codes weren't saved, in words for people
// (the error itself goes to the log).
func codesNotSaved(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrPermission) && errors.As(err, &pe):
		return lang.L("The codes couldn't be saved: you aren't allowed to write to {{.Folder}}. Copy or print them instead.", map[string]any{"Folder": filepath.Dir(pe.Path)})
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return lang.L("The codes couldn't be saved: the disk is full. Copy or print them instead.")
	}
	return lang.L("The codes couldn't be saved. Copy or print them instead.")
}

// saveCodes writes text to a new file with mode 0600 and returns its path.
func saveCodes(org, text string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(home, "Documents")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = home
	}
	base := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < 0x20 {
			return '-'
		}
		return r
	}, org) + " recovery codes"
	for i := 0; i < 100; i++ {
		name := base + ".txt"
		if i > 0 {
			name = fmt.Sprintf("%s (%d).txt", base, i+1)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil { // no file with part of the codes is left behind
			os.Remove(path)
			return "", err
		}
		return path, nil
	}
	return "", errors.New("too many files with that name")
}

// print sends the codes to the default printer with lp, off the UI thread.
func (v *recoveryView) print(r *recovery.Setup) {
	text := r.Text()
	background(v.u, func() string {
		lp, err := exec.LookPath("lp")
		if err != nil {
			return lang.L("Printing isn't set up on this computer. Save or copy the codes instead.")
		}
		cmd := exec.Command(lp, "-t", "Recovery codes", "-")
		cmd.Stdin = strings.NewReader(text)
		if out, err := cmd.CombinedOutput(); err != nil {
			v.u.logf("printing recovery codes: %v: %s", err, out)
			return lang.L("The codes couldn't be printed. Check the printer, or save or copy them instead.")
		}
		return lang.L("Sent to the printer.")
	}, func(msg string) { v.status.SetText(msg); v.u.relayout() })
}

func (v *recoveryView) canNext(s wizard.Setup) bool { return true }

func (v *recoveryView) next(s wizard.Setup, finish func(error)) {
	r := s.(*recovery.Setup)
	background(v.u, r.Make, finish)
}

func (v *recoveryView) focus(wizard.Setup) fyne.Focusable { return nil }
func (v *recoveryView) tick()                             {}
func (v *recoveryView) wipe()                             { v.status.SetText("") }
