package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
)

func (c *command) providerCmd() *cobra.Command {
	names := strings.Join(station.Providers, " or ")
	providerArg := func(what string) cobra.PositionalArgs {
		return func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("provider %s needs one provider: %s", what, names)
			}
			if !station.IsProvider(args[0]) {
				return usagef("unknown provider %s: use %s", quote(args[0]), names)
			}
			return nil
		}
	}
	set := &cobra.Command{
		Use:   "set twilio|webhook|smtp",
		Short: "Keep a delivery provider's credentials in the keyring",
		Long: `Keeps a delivery provider's credentials in the OS keyring, never on disk.
twilio reads the account SID, then the auth token; webhook reads the
HMAC signing key; smtp reads the mail server's user name, then its
password. Each is asked without echo on a terminal, or read one a line on
stdin. A credential over 1000 bytes is refused.

Choose the provider in the policy: delivery = "twilio" (with twilio_from)
or "webhook" (with webhook_url) for texts and calls; smtp_host and
smtp_from for email.`,
		ValidArgs: station.Providers,
		Args:      providerArg("set"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			return c.withStore(func(s info.Store) error { return c.providerSet(s, args[0]) })
		}),
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Say which providers have credentials (never the values)",
		Args:  exactArgs(0, false, "provider show takes no arguments"),
		RunE: act(func(*cobra.Command, []string) error {
			return c.withStore(func(s info.Store) error {
				for _, name := range station.Providers {
					set, err := station.HasProvider(s, name)
					if err != nil {
						return err
					}
					state := "not set"
					if set {
						state = "credentials set"
					}
					fmt.Fprintf(c.out(), "%-8s %s\n", name, state)
				}
				return nil
			})
		}),
	}
	clear := &cobra.Command{
		Use:       "clear twilio|webhook|smtp",
		Short:     "Remove a provider's credentials",
		ValidArgs: station.Providers,
		Args:      providerArg("clear"),
		RunE: act(func(_ *cobra.Command, args []string) error {
			name := args[0]
			return c.withStore(func(s info.Store) error {
				err := changeStation(s, snapshotOf(s, name), func() error { return station.ClearProvider(s, name) },
					station.ActionProviderCleared, name)
				if err != nil {
					return err
				}
				fmt.Fprintf(c.out(), "cleared %s credentials\n", name)
				return nil
			})
		}),
	}
	return c.group("provider", "Keep the delivery providers' credentials", `Keeps the credentials of the providers that send SMS, voice and email
codes and notices in the OS keyring.`, set, show, clear)
}

// providerSet reads a provider's credentials and keeps them.
func (c *command) providerSet(s info.Store, name string) error {
	in := newLines(c.env.Stdin)
	ask := func(prompt string) (string, error) {
		v, err := c.secret(in, prompt)
		if err != nil {
			return "", fmt.Errorf("reading the %s credentials: %w: nothing was saved", name, err)
		}
		return strings.TrimSpace(v), nil
	}
	var set func() error
	switch name {
	case station.SMTP:
		user, err := ask("Mail server user name: ")
		if err != nil {
			return err
		}
		pass, err := ask("Mail server password: ")
		if err != nil {
			return err
		}
		set = func() error {
			return station.SetSMTP(s, station.SMTPCredentials{Username: user, Password: pass})
		}
	case station.Webhook:
		key, err := ask("Webhook signing key: ")
		if err != nil {
			return err
		}
		set = func() error { return station.SetWebhookKey(s, []byte(key)) }
	default:
		sid, err := ask("Twilio account SID: ")
		if err != nil {
			return err
		}
		token, err := ask("Twilio auth token: ")
		if err != nil {
			return err
		}
		set = func() error {
			return station.SetTwilio(s, station.TwilioCredentials{AccountSID: sid, AuthToken: token})
		}
	}
	if err := changeStation(s, snapshotOf(s, name), set, station.ActionProviderSet, name); err != nil {
		return notSaved(err)
	}
	fmt.Fprintf(c.out(), "saved %s credentials in the keyring\n", name)
	return nil
}
