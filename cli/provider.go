package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/securityinfo/securityinfo/wizard/info"
)

const providerUsage = `Usage:
  securityinfo [--data-dir DIR] provider set twilio    reads the account SID, then the auth token (prompt or two lines on stdin)
  securityinfo [--data-dir DIR] provider set webhook   reads the HMAC signing key (prompt or one line on stdin)
  securityinfo [--data-dir DIR] provider show          which providers have credentials (never the values)
  securityinfo [--data-dir DIR] provider clear NAME    removes a provider's credentials

Credentials are kept only in the OS keyring. Choose the provider in the
policy: delivery = "twilio" (with twilio_from) or "webhook" (with webhook_url).
`

// Providers are the delivery providers whose credentials can be set.
var Providers = []string{"twilio", "webhook"}

// TwilioCredentials is how the twilio provider's credentials are kept.
type TwilioCredentials struct {
	AccountSID string `json:"sid"`
	AuthToken  string `json:"token"`
}

func runProvider(g Globals, env Env) error {
	args := g.Rest[1:]
	if g.Help || len(args) == 0 {
		fmt.Fprint(env.Stdout, providerUsage)
		if len(args) == 0 && !g.Help {
			return fmt.Errorf("%w: provider needs a sub-command: set, show or clear", errUsage)
		}
		return nil
	}
	sub, args := args[0], args[1:]
	switch {
	case sub == "show" && len(args) == 0:
	case (sub == "set" || sub == "clear") && len(args) == 1:
		if !known(args[0]) {
			return fmt.Errorf("%w: unknown provider %q: use %s", errUsage, args[0], strings.Join(Providers, " or "))
		}
	default:
		return fmt.Errorf("%w: use provider set NAME, provider show or provider clear NAME", errUsage)
	}
	dir, err := openDir(g, env)
	if err != nil {
		return err
	}
	defer dir.Close()
	ps, ok := dir.(info.Store)
	if !ok {
		return errors.New("this directory can't keep provider credentials")
	}
	switch sub {
	case "show":
		for _, name := range Providers {
			_, err := ps.StationSecret(name)
			switch {
			case err == nil:
				fmt.Fprintf(env.Stdout, "%-8s credentials set\n", name)
			case errors.Is(err, info.ErrSecretNotFound):
				fmt.Fprintf(env.Stdout, "%-8s not set\n", name)
			default:
				return err
			}
		}
		return nil
	case "clear":
		if err := ps.DeleteStationSecret(args[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "cleared %s credentials\n", args[0])
		return nil
	}
	secret, err := readProviderSecret(args[0], env)
	if err != nil {
		return err
	}
	if err := ps.SetStationSecret(args[0], secret); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "saved %s credentials in the keyring\n", args[0])
	return nil
}

func known(name string) bool {
	for _, p := range Providers {
		if p == name {
			return true
		}
	}
	return false
}

// readProviderSecret reads credentials from prompts or stdin lines.
func readProviderSecret(name string, env Env) ([]byte, error) {
	in := bufio.NewReader(env.Stdin)
	ask := func(prompt string) (string, error) {
		if env.ReadPassword != nil {
			return env.ReadPassword(prompt)
		}
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimSpace(line), nil
	}
	if name == "webhook" {
		key, err := ask("Webhook signing key: ")
		if err != nil || len(key) < 16 {
			return nil, errors.New("the webhook signing key must be at least 16 characters: nothing was saved")
		}
		return []byte(key), nil
	}
	sid, err := ask("Twilio account SID: ")
	if err != nil || !strings.HasPrefix(sid, "AC") || len(sid) != 34 {
		return nil, errors.New("a Twilio account SID is 34 characters starting with AC: nothing was saved")
	}
	token, err := ask("Twilio auth token: ")
	if err != nil || len(token) < 16 {
		return nil, errors.New("the Twilio auth token looks wrong (too short): nothing was saved")
	}
	return json.Marshal(TwilioCredentials{AccountSID: sid, AuthToken: token})
}
