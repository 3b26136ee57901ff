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
)

func main() {
	g, err := cli.ParseGlobals(os.Args[1:])
	if err != nil {
		fail(2, err)
	}
	if cli.IsCommand(g.Rest) {
		os.Exit(cli.Run(g, cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Open: openDir, ReadPassword: passwordPrompt()}))
	}
	if g.Help {
		fmt.Print(cli.Usage)
		return
	}
	if err := runApp(g); err != nil {
		fail(1, err)
	}
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
		if dataDir, err = cli.DefaultDataDir(); err != nil {
			return err
		}
	}
	dir, err := openDir(dataDir)
	if err != nil {
		return fmt.Errorf("opening %s: %w", dataDir, err)
	}
	defer dir.Close()
	opts := ui.Options{OutboxPath: outboxPath(pol, dataDir), CheckStationPassphrase: func(p string) error { return cli.CheckStationPassphrase(dir, p) }}
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

func openDir(dataDir string) (info.Store, error) {
	return storage.OpenLocal(dataDir, &storage.OSKeyring{})
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

func fail(code int, err error) {
	fmt.Fprintf(os.Stderr, "securityinfo: %v\n", err)
	os.Exit(code)
}
