// Command securityinfo walks a person through registering their security
// info right after they sign in, and holds the admin commands that manage
// accounts, in one binary.
package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"github.com/securityinfo/securityinfo/assets"
	"github.com/securityinfo/securityinfo/cli"
	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/ui"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/apppassword"
	"github.com/securityinfo/securityinfo/wizard/authapp"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/phone"
	"github.com/securityinfo/securityinfo/wizard/station"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Open: openStore, ReadPassword: passwordPrompt(), App: runApp, SecretsAt: secretsAt,
	}))
}

func runApp(g cli.Globals) error {
	name, text := assets.DefaultPolicyName, assets.DefaultPolicy
	if g.Policy != "" {
		b, err := os.ReadFile(g.Policy)
		if err != nil {
			return fmt.Errorf("reading the policy: %w", err)
		}
		name, text = g.Policy, b
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
	if err := ui.CheckDisplay(); err != nil {
		return err
	}
	dataDir := g.DataDir
	if dataDir == "" {
		if dataDir, err = station.DefaultDataDir(); err != nil {
			return err
		}
	}
	g.DataDir = dataDir
	dir, err := openStore(g)
	if err != nil {
		return fmt.Errorf("opening %s: %w", dataDir, err)
	}
	defer dir.Close()
	opts := ui.Options{OutboxPath: outboxPath(pol, dataDir), CheckStationPassphrase: func(p string) error { return station.CheckPassphrase(dir, p, time.Now()) }}
	if pol.Mode == wizard.ModeKiosk {
		// What a directory backend will later replace: say it plainly.
		fmt.Fprintf(os.Stderr, "securityinfo: kiosk station; per-person secrets are kept in this machine's keyring and %s\n", dataDir)
	}
	if pol.Demo {
		if _, err := wizard.EnsureDemoAccount(dir, time.Now(), rand.Reader); err != nil {
			return err
		}
		opts.DemoAccount, opts.DemoPassword = wizard.DemoAccount, wizard.DemoPassword
		fmt.Printf("Security Info demo: sign in as %s with the password %s (data in %s)\n", wizard.DemoAccount, wizard.DemoPassword, dataDir)
	}
	flow := wizard.New(wizard.Config{
		Policy: pol, Dir: dir, Now: time.Now, Rand: rand.Reader,
		Setups: map[info.Kind]wizard.SetupFactory{
			info.KindAuthenticatorApp: authapp.NewSetup,
			info.KindPhone:            phone.NewSetup,
			info.KindAppPassword:      apppassword.NewSetup,
		},
		Send:  sender(pol, dataDir, dir),
		Audit: auditor(dir),
		Pass:  passCheck(dir),
	})
	ui.Run(flow, opts)
	return nil
}

// outboxPath is the demo outbox the app can show, when codes go there.
func outboxPath(pol wizard.Policy, dataDir string) string {
	if pol.Delivery != "outbox" {
		return ""
	}
	return filepath.Join(dataDir, OutboxFile)
}

// openStore opens the store the app and the admin commands use: for now
// the local one in g.DataDir (which the caller has set).
func openStore(g cli.Globals) (info.Store, error) {
	return storage.OpenLocal(g.DataDir, &storage.OSKeyring{})
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
