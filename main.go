// Command securityinfo walks a person through registering their security
// info right after they sign in, and holds the admin commands that manage
// accounts, in one binary.
package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"golang.org/x/term"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/cli"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/ui"
	_ "github.com/securityinfo/securityinfo/ui/locale" // before Fyne's lang: see the package
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/email"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/method"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/questions"
	"github.com/securityinfo/securityinfo/wizard/recovery"
	"github.com/securityinfo/securityinfo/wizard/securitykey"
	"github.com/securityinfo/securityinfo/wizard/station"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Open: openStore, Station: openStation, ReadPassword: passwordPrompt(), App: runApp, SecretsAt: secretsAt, FindPolicy: findPolicy,
	}))
}

func runApp(g cli.Globals) error {
	restoreGC := startupGC()
	defer restoreGC() // when it fails before the window
	name, text, err := appPolicy(g)
	if err != nil {
		return err
	}
	pol, err := wizard.ParsePolicy(name, text)
	if err != nil {
		return err
	}
	if g.Kiosk {
		pol.Mode = wizard.ModeKiosk
	}
	if err := checkDeliveryURLs(name, pol); err != nil {
		return err
	}
	roots, err := smtpRoots(name, pol)
	if err != nil {
		return err
	}
	if err := ui.CheckDisplay(); err != nil {
		return err
	}
	dataDir := g.DataDir
	if dataDir == "" {
		if dataDir, err = station.DefaultDataDir(); err != nil {
			return err
		}
	}
	dir, err := openPolicyStore(name, pol, dataDir, storage.LocalOptions{})
	if err != nil {
		return err
	}
	defer dir.Close()
	opts := ui.Options{OutboxPath: outboxPath(pol, dataDir), CheckStationPassphrase: func(p string) error { return station.CheckPassphrase(dir, p, time.Now()) }}
	if pol.Mode == wizard.ModeKiosk && pol.Directory.URL == "" {
		fmt.Fprintf(os.Stderr, "securityinfo: kiosk station; per-person secrets are kept in this machine's keyring and %s (configure [directory] to keep them in the organisation's directory)\n", dataDir)
	}
	send := withEmail(pol, dir, sender(pol, dataDir, dir), roots)
	notices := notifier(pol, dir, send)
	flowDir, started := notices.Store(dir), func() {}
	if pol.Demo {
		// Created after the first frame (hashing its password is slow on
		// purpose); a sign-in waits for it.
		demo := newDemoAccount(dir)
		flowDir, started = demo.gate(flowDir), demo.create
		opts.DemoAccount, opts.DemoPassword = wizard.DemoAccount, wizard.DemoPassword
		announceDemo(name)
		if pol.Mode == wizard.ModeHelpdesk { // the demo account isn't a helpdesk account
			fmt.Printf("Security Info demo helpdesk: sign in with a helpdesk account; add one with 'securityinfo --data-dir %s user add NAME --helpdesk'\n", dataDir)
		} else {
			fmt.Printf("Security Info demo: sign in as %s with the password %s (data in %s)\n", wizard.DemoAccount, wizard.DemoPassword, dataDir)
		}
	}
	// The language the window will speak (ui.Run chooses the same), for
	// what shows words before it: the shipped security questions.
	lang := ui.ChooseLanguage(pol.Language)
	flow := wizard.New(wizard.Config{
		Policy: pol, Dir: flowDir, Now: time.Now, Rand: rand.Reader,
		Setups: setupFactories(pol, lang, dir),
		Provers: map[info.Kind]method.ProverFactory{
			info.KindAuthenticatorApp:  authapp.NewProver,
			info.KindPhone:             phone.NewProver,
			info.KindSecurityKey:       securitykey.ProverFactory(securityKeyConfig(pol, dir)),
			info.KindRecoveryCodes:     recovery.NewProver,
			info.KindEmail:             email.ProverFactory(emailConfig(pol)),
			info.KindSecurityQuestions: questions.ProverFactory(questionsConfig(pol, lang)),
		},
		Send:  send,
		Audit: auditor(dir, notices.Notify),
		Pass:  passCheck(dir),
	})
	ui.Run(flow, opts, func() {
		restoreGC()
		go flow.PrepareSignIn() // while the first person walks up
		started()
	})
	finishNotices(notices)
	return nil
}

// startupGCPercent is the collector's pace (GOGC) until the first frame.
const startupGCPercent = 200

// startupGC makes the collector run less often until the returned func
// puts the pace back, right after the first frame. The start-up allocates
// some 20 MB (fonts parsed, text shaped), much of it kept; at the usual
// pace (100) the collector runs six times on the way, some 25 ms of CPU
// time of about 300 on 2 cores, at 200 twice (#17). The peak memory grows
// little (anonymous RSS at the first frame about 0.5 MB more, of 46): most
// of the heap then is the fonts, kept anyway. A slower pace set with GOGC
// (or none, GOGC=off) is left alone.
func startupGC() (restore func()) {
	was := debug.SetGCPercent(startupGCPercent)
	if was < 0 || was >= startupGCPercent {
		debug.SetGCPercent(was)
	}
	return func() { debug.SetGCPercent(was) }
}

// setupFactories are the methods this binary registers, each with its
// settings from pol, in the language lang, for people kept in dir (nil in
// tests): a method missing here is never offered.
func setupFactories(pol wizard.Policy, lang string, dir info.Store) map[info.Kind]wizard.SetupFactory {
	return map[info.Kind]wizard.SetupFactory{
		info.KindAuthenticatorApp:  authapp.NewSetup,
		info.KindPhone:             phone.NewSetup,
		info.KindAppPassword:       apppassword.NewSetup,
		info.KindSecurityKey:       securitykey.Factory(securityKeyConfig(pol, dir)),
		info.KindEmail:             email.Factory(emailConfig(pol)),
		info.KindSecurityQuestions: questions.Factory(questionsConfig(pol, lang)),
		info.KindRecoveryCodes:     recovery.NewSetup,
	}
}

// outboxPath is the demo outbox the app can show, when codes go there.
func outboxPath(pol wizard.Policy, dataDir string) string {
	if pol.Delivery != "outbox" {
		return ""
	}
	return filepath.Join(dataDir, OutboxFile)
}

// openStore opens the store the admin commands work on: the directory
// when the policy names one, else the data dir's (which the caller has
// set).
func openStore(g cli.Globals) (info.Store, error) {
	name, text, err := policyText(g.Policy)
	if err != nil {
		return nil, err
	}
	pol, err := wizard.ParsePolicy(name, text)
	if err != nil {
		return nil, err
	}
	return openPolicyStore(name, pol, g.DataDir, storage.LocalOptions{LeaveJournal: g.NoSecrets, ReadOnly: g.ReadOnly})
}

// openStation opens this station's own store, where its credentials are
// kept, whatever the policy says: the directory's bind password must be
// set before the directory can be opened.
func openStation(g cli.Globals) (info.Store, error) {
	return storage.OpenLocal(g.DataDir, &storage.OSKeyring{})
}

// policyText reads the policy file, or the embedded default without one
// (the admin commands on a station without a policy: it names no
// directory).
func policyText(path string) (name string, text []byte, err error) {
	if path == "" {
		return assets.DefaultPolicyName, assets.DefaultPolicy, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("reading the policy: %w", err)
	}
	return path, b, nil
}

// secretsAt says where a local store keeps its secrets, for `user show`.
// Stop-gap until info.Store can say so itself: other backends say nothing.
func secretsAt(s info.Store) string {
	if l, ok := s.(*storage.Local); ok {
		return "service " + l.KeyringService()
	}
	return ""
}

// passwordPrompt reads passwords without echo when stdin is a terminal.
func passwordPrompt() func(string) (string, error) {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return nil
	}
	return func(prompt string) (string, error) {
		fmt.Fprint(os.Stderr, prompt)
		b, err := term.ReadPassword(int(os.Stdin.Fd()))
		fmt.Fprintln(os.Stderr)
		return string(b), err
	}
}
